// Accessibility: axe-core (WCAG 2.2 AA rules) on every screen with no serious or critical
// violation, targets of at least 44 px, keyboard operation, reduced motion; and the Polish
// screens. Screenshots of each screen at tablet sizes go to the build folder.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  enrol, holdStaffMark, LANDSCAPE, launchBrowser, onScreen, PORTRAIT, screenshot,
  seriousAxeViolations, tap, until, waiting,
} from './support/kiosk.mjs';
import { Feedbackd } from './support/feedbackd.mjs';
import { withOwnServer, withTablet } from './support/session.mjs';

// Every visible control on the screen is at least `min` px in both directions.
async function smallTargets(page, min) {
  return page.evaluate((least) => [...document.querySelectorAll('button, input, select, textarea, a')]
    .filter((e) => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
    .filter((e) => e.type !== 'radio')  // a radio's target is its whole label (checked below)
    .map((e) => ({ e, box: e.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && (box.width < least || box.height < least))
    .map(({ e, box }) => `${e.outerHTML.slice(0, 60)} ${Math.round(box.width)}x${Math.round(box.height)}`), min);
}

// axe, target sizes and a screenshot of the screen shown now, at both tablet sizes.
async function checkScreen(page, name, found) {
  for (const size of [PORTRAIT, LANDSCAPE]) {
    await page.setViewportSize(size);
    const violations = await seriousAxeViolations(page);
    if (violations.length) found.push({ screen: name, size, violations });
    const small = await smallTargets(page, 44);
    if (small.length) found.push({ screen: name, size, small });
    await screenshot(page, name);
  }
}

describe('accessibility and language', () => {
  let browser;
  let server;
  before(async () => { [browser, server] = await Promise.all([launchBrowser(), Feedbackd.start()]); });
  after(async () => { await Promise.all([browser?.close(), server?.stop()]); });

  test('every screen passes axe (no serious or critical violation) with targets of 44 px or more', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      const found = [];
      await page.goto(server.kioskUrl);
      await onScreen(page, 'setup');
      await checkScreen(page, 'staff-setup', found);
      const labels = await page.locator('label.radio').evaluateAll((all) =>
        all.map((l) => l.getBoundingClientRect().height));
      assert.ok(labels.every((h) => h >= 44), `radio labels are 44 px tall: ${labels}`);

      await enrol(page, server, { pin: '2468' });
      await checkScreen(page, 'child-rate', found);
      await tap(page, 'Good');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('It was fine');
      await checkScreen(page, 'child-more', found);
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      await checkScreen(page, 'child-consent', found);
      await tap(page, 'Polski');
      await checkScreen(page, 'child-consent-pl', found);
      await tap(page, 'Tak');
      await onScreen(page, 'thanks');
      await checkScreen(page, 'child-thanks-pl', found);
      await page.clock.fastForward(7000);
      await onScreen(page, 'rate');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en-GB',
        'the next person starts in the language staff chose');
      await tap(page, 'I want to talk to someone now');
      await onScreen(page, 'talk');
      await checkScreen(page, 'child-talk', found);
      await tap(page, 'Go back');
      await onScreen(page, 'rate');
      await holdStaffMark(page, 3100);
      await onScreen(page, 'pin');
      await checkScreen(page, 'staff-pin', found);
      await page.getByLabel('Staff PIN').fill('2468');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await onScreen(page, 'setup');
      await checkScreen(page, 'staff-enrolled', found);
      await page.getByLabel('A parent or family member').check();
      await page.getByRole('button', { name: 'Hand over' }).click();
      await onScreen(page, 'kind');
      await checkScreen(page, 'family-kind', found);
      await tap(page, 'Something wrong (a complaint)');
      await onScreen(page, 'rate');
      await checkScreen(page, 'family-rate', found);
      await tap(page, 'OK');
      await onScreen(page, 'more');
      await tap(page, 'Next');  // no words yet: the gentle reminder
      await checkScreen(page, 'family-more-needed', found);
      await tap(page, 'Polski');
      await checkScreen(page, 'family-more-pl', found);
      assert.deepEqual(found, [], JSON.stringify(found, null, 1));
    });
  });

  test('a child can answer with the keyboard alone, and sees where the focus is', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      const focusRing = async () => page.evaluate(() => {
        const style = getComputedStyle(document.activeElement);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      });
      // Tab to "Very good": languages, read aloud, then the faces.
      for (let i = 0; i < 10; ++i) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement?.dataset.rating === '5')) break;
      }
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.rating), '5');
      assert.ok(await focusRing(), 'a visible focus ring');
      await page.keyboard.press('Enter');
      await onScreen(page, 'more');
      await page.keyboard.press('Tab');  // from the heading into the words
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'more-text');
      await page.keyboard.type('typed, not tapped');
      await page.keyboard.press('Tab');  // Back
      await page.keyboard.press('Tab');  // Next
      await page.keyboard.press('Enter');
      await onScreen(page, 'consent');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.consent), 'yes');
      assert.ok(await focusRing());
      await page.keyboard.press('Enter');
      await onScreen(page, 'thanks');
      await until(async () => (await waiting(page)) === 0, 'the answer sent');
      const [item] = await newItems();
      assert.equal(item.text, 'typed, not tapped');
      assert.equal(item.rating, 5);
      assert.equal(item.consentToQuote, true);
    });
  });

  test('"Read to me" reads the screen shown, in its language; hidden where there is no speech', async () => {
    await withTablet(browser, server, {}, async ({ page, context, newItems }) => {
      // Listen to what the page asks the browser's synthesiser to say.
      await context.addInitScript(() => {
        window.__spoken = [];
        window.speechSynthesis.speak = (utterance) => window.__spoken.push({ text: utterance.text, lang: utterance.lang });
      });
      await enrol(page, server);
      await tap(page, 'Read to me');
      let [said] = await page.evaluate(() => window.__spoken);
      assert.match(said.text, /How was today\?/);
      assert.match(said.text, /Very bad[\s\S]*Very good/);
      assert.match(said.text, /I want to talk to someone now/);
      assert.equal(said.lang, 'en-GB');
      await tap(page, 'Polski');
      await tap(page, 'Przeczytaj mi');
      said = (await page.evaluate(() => window.__spoken)).pop();
      assert.match(said.text, /Jak było dzisiaj\?/);
      assert.equal(said.lang, 'pl-PL');
    });
    await withTablet(browser, server, {}, async ({ page, context, newItems }) => {
      await context.addInitScript(() => { delete window.speechSynthesis; delete Window.prototype.speechSynthesis; });
      await enrol(page, server);
      assert.equal(await page.locator('#read-aloud').isVisible(), false);
    });
  });

  test('people who ask for less motion get none', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      const animated = await page.evaluate(() => getComputedStyle(document.querySelector('[data-screen="rate"]')).animationName);
      assert.equal(animated, 'none');
    });
  });
});
