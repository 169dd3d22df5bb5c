// Staff: enrolment with a one-time code, and leaving the respondent screens only with a long
// press and the PIN.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  enrol, holdStaffMark, launchBrowser, newTablet, closeTablet, onScreen, screen,
  shownScreen, tap, until, waiting, assertNothingTechnical,
} from './support/kiosk.mjs';
import { Feedbackd } from './support/feedbackd.mjs';
import { withOwnServer, withTablet } from './support/session.mjs';

describe('staff', () => {
  let browser;
  let server;
  before(async () => { [browser, server] = await Promise.all([launchBrowser(), Feedbackd.start()]); });
  after(async () => { await Promise.all([browser?.close(), server?.stop()]); });

  test('enrolment: the code works once, and the tablet keeps its kiosk token', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await page.goto(server.kioskUrl);
      await onScreen(page, 'setup');
      // A wrong code: staff are told, in words staff understand; nothing else changes.
      await page.getByLabel('Enrolment code').fill('ABCD-EFGH');
      await page.getByLabel('PIN', { exact: true }).fill('2468');
      await page.getByLabel('PIN again').fill('2468');
      await page.getByLabel('Meeting type').selectOption({ label: 'Early help review' });
      await page.getByLabel('Service area').selectOption({ label: 'Early help' });
      await page.getByLabel('A child or young person').check();
      await page.getByRole('button', { name: 'Hand over' }).click();
      await page.getByText('That enrolment code is not valid').waitFor();
      assert.equal(await shownScreen(page), 'setup');

      // The real code, typed in lower case without its dash (as staff might).
      const code = await server.enrolmentCode('tablet-7');
      await page.getByLabel('Enrolment code').fill(code.replace('-', '').toLowerCase());
      await page.getByRole('button', { name: 'Hand over' }).click();
      await onScreen(page, 'rate');
      const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('feedbackd.kiosk.settings')));
      assert.equal(kept.deviceName, 'tablet-7');
      assert.ok(kept.token, 'a kiosk token');
      assert.ok(!JSON.stringify(kept).includes('2468'), 'the PIN is kept only as a hash');

      // The token is a kiosk token of that device, and feedbackd knows it.
      const tokens = JSON.parse(await server.ctl('admin', ['--json', 'admin', 'token', 'list']));
      const list = tokens.tokens ?? tokens;
      assert.ok(list.some((t) => t.role === 'ROLE_KIOSK' && t.deviceName === 'tablet-7'),
        `a kiosk token for tablet-7 in ${JSON.stringify(list)}`);

      // A second tablet cannot use the same code again.
      const other = await newTablet(browser);
      await other.page.goto(server.kioskUrl);
      await onScreen(other.page, 'setup');
      await other.page.getByLabel('Enrolment code').fill(code);
      await other.page.getByLabel('PIN', { exact: true }).fill('1111');
      await other.page.getByLabel('PIN again').fill('1111');
      await other.page.getByLabel('Meeting type').selectOption({ label: 'Other meeting' });
      await other.page.getByLabel('Service area').selectOption({ label: 'Social care' });
      await other.page.getByLabel('A partner agency').check();
      await other.page.getByRole('button', { name: 'Hand over' }).click();
      await other.page.getByText('That enrolment code is not valid').waitFor();
      await closeTablet(other);
    });
  });

  test('a short press does nothing; a wrong PIN goes back to the child; the right one opens set-up', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, { pin: '975310' });
      await tap(page, 'Good');
      await onScreen(page, 'more');
      await page.getByLabel('Tell us more', { exact: true }).fill('half written');

      await holdStaffMark(page, 1500);
      assert.equal(await shownScreen(page), 'more', 'a short press is not enough');

      await holdStaffMark(page, 3100);
      await onScreen(page, 'pin');
      await page.getByLabel('Staff PIN').fill('123456');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await onScreen(page, 'more');
      assert.equal(await page.getByLabel('Tell us more', { exact: true }).inputValue(), 'half written',
        'the child is back where they were');
      assert.equal(await screen(page, 'setup').isVisible(), false);

      // Keyboard: hold Enter on the mark for 3 seconds.
      await page.locator('#staff-mark').focus();
      await page.keyboard.down('Enter');
      await page.clock.fastForward(3100);
      await page.keyboard.up('Enter');
      await onScreen(page, 'pin');
      await page.getByLabel('Staff PIN').fill('975310');
      await page.keyboard.press('Enter');
      await onScreen(page, 'setup');
      assert.match(await screen(page, 'setup').innerText(), /enrolled as tablet-3/);

      // Staff switch to family mode and hand over again: a fresh screen, nothing left over.
      await page.getByLabel('A parent or family member').check();
      await page.getByRole('button', { name: 'Hand over' }).click();
      await onScreen(page, 'kind');
      const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('feedbackd.kiosk.settings')));
      assert.equal(kept.mode, 'family');
    });
  });

  test('a revoked token: answers wait, staff are told, and enrolling again sends them', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, { device: 'tablet-5', pin: '8642' });
      const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('feedbackd.kiosk.settings')));
      await server.ctl('admin', ['admin', 'token', 'revoke', kept.tokenId]);

      await tap(page, 'Good');
      await onScreen(page, 'more');
      await tap(page, 'Next');
      await onScreen(page, 'thanks');
      await assertNothingTechnical(page);
      await until(async () => (await waiting(page)) === 1, 'the answer waiting');

      await holdStaffMark(page, 3100);
      await onScreen(page, 'pin');
      await page.getByLabel('Staff PIN').fill('8642');
      await page.keyboard.press('Enter');
      await onScreen(page, 'setup');
      await page.getByText("feedbackd refused this tablet's token").waitFor();
      await page.getByRole('button', { name: 'Enrol again with a new code' }).click();
      await page.getByLabel('Enrolment code').fill(await server.enrolmentCode('tablet-5'));
      await page.getByRole('button', { name: 'Hand over' }).click();
      await onScreen(page, 'rate');
      await until(async () => (await waiting(page)) === 0, 'the waiting answer sent');
      const items = await newItems();
      assert.equal(items.length, 1);
      assert.equal(items[0].rating, 4);
    });
  });
});
