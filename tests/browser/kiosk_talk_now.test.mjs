// "I want to talk to someone now": a calm screen for the child, an alert for duty staff that
// carries the device, meeting and time, and nothing about the child.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingTechnical, enrol, launchBrowser, onScreen, screen, shownScreen, tap, until, waiting,
} from './support/kiosk.mjs';
import { Feedbackd } from './support/feedbackd.mjs';
import { withOwnServer, withTablet } from './support/session.mjs';

describe('talk now', () => {
  let browser;
  let server;
  before(async () => { [browser, server] = await Promise.all([launchBrowser(), Feedbackd.start()]); });
  after(async () => { await Promise.all([browser?.close(), server?.stop()]); });

  test('reaches a WatchAlerts watcher with the device and meeting only', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      const watcher = server.watchAlerts();
      try {
        await enrol(page, server, { device: 'tablet-9', meeting: 'Initial child protection conference' });
        await tap(page, 'Very bad');
        await onScreen(page, 'more');
        await page.getByLabel('Tell us more', { exact: true }).fill('my private words');
        await tap(page, 'I want to talk to someone now');
        await onScreen(page, 'talk');
        assert.match(await screen(page, 'talk').innerText(), /Someone will come and talk to you\./);
        await assertNothingTechnical(page);

        const alert = await watcher.waitFor((a) => a.reason === 'ALERT_REASON_TALK_NOW' && a.deviceName === 'tablet-9');
        assert.equal(alert.deviceName, 'tablet-9');
        assert.equal(alert.meeting, 'MEETING_INITIAL_CP_CONFERENCE');
        assert.equal(alert.serviceArea, 'SERVICE_AREA_SOCIAL_CARE');
        assert.ok(alert.raisedAt, 'the time');
        assert.equal(alert.feedback, undefined, 'no feedback, no words, no identity');
        assert.ok(!JSON.stringify(alert).includes('my private words'));
        await until(async () => (await waiting(page)) === 0, 'the request sent');

        // Going back returns to the unfinished answer.
        await tap(page, 'Go back');
        await onScreen(page, 'more');
        assert.equal(await page.getByLabel('Tell us more', { exact: true }).inputValue(), 'my private words');
      } finally {
        watcher.stop();
      }
    });
  });

  test('asked while offline: the alert is raised when the tablet is back', async () => {
    await withTablet(browser, server, {}, async ({ page, context, newItems }) => {
      const watcher = server.watchAlerts();
      try {
        await enrol(page, server, { device: 'tablet-4' });
        await context.setOffline(true);
        await tap(page, 'I want to talk to someone now');
        await onScreen(page, 'talk');
        await assertNothingTechnical(page);
        await until(async () => (await waiting(page)) === 1, 'the request waiting on the tablet');
        await context.setOffline(false);
        const alert = await watcher.waitFor((a) => a.reason === 'ALERT_REASON_TALK_NOW' && a.deviceName === 'tablet-4');
        assert.equal(alert.deviceName, 'tablet-4');
      } finally {
        watcher.stop();
      }
    });
  });

  test('left waiting: the calm screen stays past the idle reset, and the answer is dropped', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, { device: 'tablet-12' });
      await tap(page, 'Bad');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('words left behind');
      await tap(page, 'I want to talk to someone now');
      await onScreen(page, 'talk');
      await page.clock.fastForward(3 * 60000);  // three idle periods
      assert.equal(await shownScreen(page), 'talk', 'still waiting for someone');
      await tap(page, 'Go back');
      await onScreen(page, 'rate');
      assert.equal(await page.locator('.face[aria-pressed="true"]').count(), 0);
      assert.equal(await page.getByLabel('Tell us more', { exact: true }).inputValue(), '');
      assert.deepEqual(await newItems(), [], 'the unfinished answer was not sent');
    });
  });

  test('asked on the thank-you screen: the calm screen stays, and Go back starts afresh', async () => {
    await withTablet(browser, server, {}, async ({ page }) => {
      const watcher = server.watchAlerts();
      try {
        await enrol(page, server, { device: 'tablet-11' });
        await tap(page, 'Good');
        await onScreen(page, 'more');
        await page.getByLabel('Tell us more', { exact: true }).fill('done, but I want to talk');
        await tap(page, 'Next');
        await onScreen(page, 'consent');
        await tap(page, 'No');
        await onScreen(page, 'thanks');
        await tap(page, 'I want to talk to someone now');
        await onScreen(page, 'talk');
        await page.clock.fastForward(10000);  // past the thank-you's 6 seconds
        assert.equal(await shownScreen(page), 'talk', 'not taken away by the thank-you timer');
        await watcher.waitFor((a) => a.reason === 'ALERT_REASON_TALK_NOW' && a.deviceName === 'tablet-11');
        await tap(page, 'Go back');
        await onScreen(page, 'rate');
        assert.equal(await page.getByLabel('Tell us more', { exact: true }).inputValue(), '');
      } finally {
        watcher.stop();
      }
    });
  });
});
