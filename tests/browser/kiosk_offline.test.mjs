// Offline first: answers wait on the tablet and reach feedbackd exactly once when it can be
// reached again, while the respondent sees only the thank-you.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingTechnical, enrol, holdStaffMark, launchBrowser, onScreen, screen, screenshots, seriousAxeViolations,
  shownScreen, tap, until, waiting,
} from './support/kiosk.mjs';
import { Feedbackd } from './support/feedbackd.mjs';
import { withOwnServer, withTablet } from './support/session.mjs';

const RETRY_MS = 20000;

async function answerAsChild(page, text) {
  await tap(page, 'Very good');
  await onScreen(page, 'more');
  await page.getByLabel('Tell us more', { exact: true }).fill(text);
  await tap(page, 'Next');
  await onScreen(page, 'consent');
  await tap(page, 'Yes');
  await onScreen(page, 'thanks');
}

describe('offline first', () => {
  let browser;
  let server;
  before(async () => { [browser, server] = await Promise.all([launchBrowser(), Feedbackd.start()]); });
  after(async () => { await Promise.all([browser?.close(), server?.stop()]); });

  test('offline, then online: the answer arrives exactly once', async () => {
    await withTablet(browser, server, {}, async ({ page, context, newItems }) => {
      await enrol(page, server);
      await context.setOffline(true);
      await answerAsChild(page, 'said while offline');
      await assertNothingTechnical(page);
      await until(async () => (await waiting(page)) === 1, 'the staff mark to show 1 waiting');
      assert.deepEqual(await newItems(), [], 'nothing reached feedbackd yet');

      await context.setOffline(false);  // the page hears `online` and sends
      await until(async () => (await waiting(page)) === 0, 'the outbox to empty');
      // Later rounds (the timer while idle) send nothing again.
      await page.clock.fastForward(RETRY_MS * 2);
      const items = await newItems();
      assert.equal(items.length, 1, 'one record');
      assert.equal(items[0].text, 'said while offline');
      assert.equal(items[0].consentToQuote, true);
    });
  });

  test("feedbackd stored it but the reply was lost: sent again, still stored once", async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server);
      let delivered = 0;
      await page.route('**/feedback.v1.FeedbackService/SubmitFeedback', async (route) => {
        const response = await route.fetch();  // it reaches feedbackd...
        delivered += response.ok() ? 1 : 0;
        await route.abort('connectionreset');  // ...but the tablet never hears back
      });
      await answerAsChild(page, 'the reply got lost');
      await until(async () => delivered === 1, 'feedbackd to receive it');
      assert.equal(await waiting(page), 1, 'kept until the tablet hears that it arrived');
      await page.unrouteAll({ behavior: 'wait' });

      await page.clock.fastForward(RETRY_MS + 1000);  // the next round, while the kiosk is idle
      await until(async () => (await waiting(page)) === 0, 'the outbox to empty');
      const items = await newItems();
      assert.equal(items.length, 1, 'one record, not two');
      assert.equal(items[0].text, 'the reply got lost');
    });
  });

  test('with feedbackd down the page still opens (service worker) and sends later', async () => {
    await withOwnServer(browser, { serviceWorkers: 'allow' }, async ({ server, page, newItems }) => {
      await enrol(page, server);
      await page.evaluate(() => navigator.serviceWorker.ready);
      await until(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)),
        'the service worker to control the page');

      await server.pause();
      await page.reload();
      await onScreen(page, 'rate');
      await answerAsChild(page, 'said while the server was down');
      await assertNothingTechnical(page);
      await until(async () => (await waiting(page)) === 1, 'one answer waiting');

      await server.resume();
      await page.clock.fastForward(RETRY_MS + 1000);  // sent while idle, on the timer
      await until(async () => (await waiting(page)) === 0, 'the outbox to empty');
      const items = await newItems();
      assert.equal(items.length, 1);
      assert.equal(items[0].text, 'said while the server was down');
    });
  });

  test('an answer feedbackd refuses is kept aside for staff, never shown to the child', async () => {
    // The tablet's clock is an hour fast: feedbackd refuses an occurred_at in the future.
    const clockAt = new Date(Date.now() + 3600 * 1000);
    await withTablet(browser, server, { clockAt }, async ({ page, newItems }) => {
      await enrol(page, server, { pin: '1357' });
      await answerAsChild(page, 'sent from a tablet with a fast clock');
      await assertNothingTechnical(page);
      await page.clock.fastForward(8000);
      await onScreen(page, 'rate');
      await until(async () => (await waiting(page)) === 0, 'the answer to leave the outbox');
      assert.deepEqual(await newItems(), []);

      await holdStaffMark(page, 3100);
      await onScreen(page, 'pin');
      await page.getByLabel('Staff PIN').fill('1357');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await onScreen(page, 'setup');
      // The set-up screen fills its outbox lines from IndexedDB just after it opens. Wait for the
      // refused line itself: until the section is shown, innerText is its raw text, which holds
      // the (hidden) label of the "Try the refused answers again" button.
      const outboxText = () => page.locator('.outbox').innerText();
      await until(async () => /refused by feedbackd/.test(await outboxText()),
        'the outbox lines to be filled in');
      const outbox = await outboxText();
      assert.match(outbox, /1 refused by feedbackd and kept here/);
      assert.match(outbox, /occurred_at/, 'staff see why');
      assert.deepEqual(await seriousAxeViolations(page), []);
      await screenshots(page, 'staff-refused');
    });
  });
});
