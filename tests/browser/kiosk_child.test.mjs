// Child mode: a child answers "How was today?" and what they chose is what feedbackd holds.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingTechnical, enrol, launchBrowser, onScreen, screen, shownScreen, tap,
  TAP_GUARD_MS, until, waiting,
} from './support/kiosk.mjs';
import { Feedbackd } from './support/feedbackd.mjs';
import { withOwnServer, withTablet } from './support/session.mjs';

const THANKS_MS = 6000;
const IDLE_MS = 60000;

// Waits until the tablet has sent everything, then reads what feedbackd holds.
async function stored(page, newItems) {
  await until(async () => (await waiting(page)) === 0, 'the outbox to empty');
  return newItems();
}

describe('child mode', () => {
  let browser;
  let server;
  before(async () => { [browser, server] = await Promise.all([launchBrowser(), Feedbackd.start()]); });
  after(async () => { await Promise.all([browser?.close(), server?.stop()]); });

  test('a child rates, writes, says yes to sharing: feedbackd holds exactly that', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, { device: 'tablet-3' });
      assert.equal(await page.getByRole('heading').first().textContent(), 'How was today?');
      await tap(page, 'Good');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('My social worker listened to me');
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      assert.match(await screen(page, 'consent').innerText(),
        /Can we share what you wrote, without your name\?/);
      await tap(page, 'Yes');
      await onScreen(page, 'thanks');
      await assertNothingTechnical(page);

      const [item, ...others] = await stored(page, newItems);
      assert.deepEqual(others, []);
      assert.equal(item.source, 'SOURCE_CHILD');
      assert.equal(item.kind, 'KIND_COMPLIMENT', 'a 4 is a compliment, as at the terminal kiosk');
      assert.equal(item.rating, 4);
      assert.equal(item.text, 'My social worker listened to me');
      assert.equal(item.consentToQuote, true);
      assert.equal(item.meeting, 'MEETING_CLA_REVIEW');
      assert.equal(item.serviceArea, 'SERVICE_AREA_SOCIAL_CARE');
      assert.match(item.submissionId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  });

  test('saying no to sharing is stored as no consent', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      await tap(page, 'Very bad');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('Too many people in the room');
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      await tap(page, 'No');
      await onScreen(page, 'thanks');
      const [item] = await stored(page, newItems);
      assert.equal(item.consentToQuote ?? false, false);
      assert.equal(item.kind, 'KIND_COMMENT', 'a low rating is a comment, never a complaint');
      assert.equal(item.rating, 1);
      assert.equal(item.text, 'Too many people in the room');
    });
  });

  test('a face and no words: no consent question, straight to thank you', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      await tap(page, 'OK');
      await onScreen(page, 'more');
      await tap(page, 'Next');
      await onScreen(page, 'thanks');
      const [item] = await stored(page, newItems);
      assert.equal(item.rating, 3);
      assert.equal(item.text ?? '', '');
      assert.equal(item.consentToQuote ?? false, false);
    });
  });

  test('the thank-you stays up for a few seconds, then the next child sees a clean screen', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      await tap(page, 'Very good');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('I liked the biscuits');
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      await tap(page, 'Yes');  // ...and the clock past the tap guard
      await screen(page, 'thanks').waitFor();
      await page.clock.fastForward(4000 - (TAP_GUARD_MS + 50));
      assert.equal(await shownScreen(page), 'thanks', 'still thanking them 4 seconds later');
      await page.clock.fastForward(THANKS_MS - 4000 + 500);
      await onScreen(page, 'rate');
      // Nothing of the previous answer: no face chosen, no words, not even when going forward.
      assert.equal(await page.locator('.face[aria-pressed="true"]').count(), 0);
      await tap(page, 'Bad');
      await onScreen(page, 'more');
      assert.equal(await page.getByLabel('Tell us more', { exact: true }).inputValue(), '');
      const items = await stored(page, newItems);
      assert.equal(items.length, 1);
    });
  });

  test('after 60 seconds without a touch the screen resets and nothing is sent', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      await tap(page, 'Bad');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('half an answer');
      await page.clock.fastForward(IDLE_MS - 5000);
      assert.equal(await shownScreen(page), 'more', 'not yet');
      await page.clock.fastForward(6000);
      await onScreen(page, 'rate');
      assert.equal(await page.locator('.face[aria-pressed="true"]').count(), 0);
      assert.equal(await page.getByLabel('Tell us more', { exact: true }).inputValue(), '');
      assert.equal(await waiting(page), 0);
      assert.deepEqual(await newItems(), []);
    });
  });

  test('on a touch screen a face looks chosen only once it is chosen', async () => {
    await withTablet(browser, server, { touch: true }, async ({ page, newItems }) => {
      await enrol(page, server);
      const face = (name) => page.getByRole('button', { name, exact: true });
      const look = (name) => face(name).evaluate((button) => {
        const style = getComputedStyle(button);
        return `${style.backgroundColor} ${style.borderColor}`;
      });
      await face('Very bad').tap();
      await onScreen(page, 'more');
      // The clock stops once past this screen's tap guard: back on the faces, the guard of that
      // screen then holds for as long as the test needs.
      await page.clock.pauseAt(await page.evaluate(() => Date.now()) + TAP_GUARD_MS + 50);
      await page.getByRole('button', { name: 'Back', exact: true }).tap();
      await screen(page, 'rate').waitFor({ state: 'visible' });
      await face('Good').tap();  // too soon after the screen came: ignored, as a double tap is
      assert.equal(await shownScreen(page), 'rate');
      assert.equal(await look('Good'), await look('OK'),
        'the ignored tap left "Good" looking unchosen');
      assert.notEqual(await look('Very bad'), await look('OK'), 'the answer given still shows');

      await page.clock.resume();
      await page.clock.fastForward(TAP_GUARD_MS + 50);
      await face('Good').tap();
      await onScreen(page, 'more');
      await page.getByRole('button', { name: 'Next', exact: true }).tap();
      await onScreen(page, 'thanks');
      const [item] = await stored(page, newItems);
      assert.equal(item.rating, 4);
    });
  });

  test('repeated taps count once', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      // Two taps before the screen can change: on "Very good", then where "Very bad" was.
      await page.evaluate(() => {
        document.querySelector('.face-5').click();
        document.querySelector('.face-1').click();
      });
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('Good day');
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      // "Yes" tapped three times in a row, and "No" straight after.
      await page.evaluate(() => {
        const yes = document.querySelector('[data-consent="yes"]');
        yes.click();
        yes.click();
        yes.click();
        document.querySelector('[data-consent="no"]').click();
      });
      await onScreen(page, 'thanks');
      const items = await stored(page, newItems);
      assert.equal(items.length, 1, 'one answer');
      assert.equal(items[0].rating, 5);
      assert.equal(items[0].consentToQuote, true);
    });
  });
});
