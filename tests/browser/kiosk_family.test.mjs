// Family and partner modes: a compliment, complaint or comment, with the same faces.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNothingTechnical, enrol, launchBrowser, onScreen, screen, tap, until, waiting,
} from './support/kiosk.mjs';
import { Feedbackd } from './support/feedbackd.mjs';
import { withOwnServer, withTablet } from './support/session.mjs';

// Waits until the tablet has sent everything, then reads what feedbackd holds.
async function stored(page, newItems) {
  await until(async () => (await waiting(page)) === 0, 'the outbox to empty');
  return newItems();
}

describe('family and partner modes', () => {
  let browser;
  let server;
  before(async () => { [browser, server] = await Promise.all([launchBrowser(), Feedbackd.start()]); });
  after(async () => { await Promise.all([browser?.close(), server?.stop()]); });

  test('a parent makes a complaint: words are needed, and feedbackd opens a complaint', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, {
        who: 'A parent or family member', meeting: 'Review child protection conference',
        area: 'Early help',
      });
      await tap(page, 'Something wrong (a complaint)');
      await onScreen(page, 'rate');
      assert.match(await screen(page, 'rate').innerText(), /How was today's meeting\?/);
      await tap(page, 'Bad');
      await onScreen(page, 'more');
      assert.match(await screen(page, 'more').innerText(), /What went wrong\?/);
      // A complaint with no words is not sent: a gentle word, nothing technical.
      await tap(page, 'Next');
      await page.getByText('Please write a few words first.').waitFor();
      assert.equal(await screen(page, 'more').isVisible(), true);
      await assertNothingTechnical(page);
      await page.getByLabel('Tell us more', { exact: true }).fill('The report was shared before we saw it');
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      assert.match(await screen(page, 'consent').innerText(),
        /Can we quote your words in our reports, without your name\?/);
      await tap(page, 'No');
      await onScreen(page, 'thanks');

      const [item, ...others] = await stored(page, newItems);
      assert.deepEqual(others, []);
      assert.equal(item.source, 'SOURCE_FAMILY');
      assert.equal(item.kind, 'KIND_COMPLAINT');
      assert.equal(item.rating, 2);
      assert.equal(item.text, 'The report was shared before we saw it');
      assert.equal(item.consentToQuote ?? false, false);
      assert.equal(item.meeting, 'MEETING_REVIEW_CP_CONFERENCE');
      assert.equal(item.serviceArea, 'SERVICE_AREA_EARLY_HELP');
      assert.equal(item.complaintStage, 'COMPLAINT_STAGE_1', 'a complaint opens at stage 1');
    });
  });

  test('a partner agency leaves a compliment with no rating', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, { who: 'A partner agency', meeting: 'Child in need review' });
      await tap(page, 'Something good (a compliment)');
      await onScreen(page, 'rate');
      await tap(page, 'Skip this question');
      await onScreen(page, 'more');
      assert.match(await screen(page, 'more').innerText(), /What was good\?/);
      await page.getByLabel('Tell us more', { exact: true }).fill('Clear plan, well chaired');
      await tap(page, 'Next');
      await onScreen(page, 'consent');
      await tap(page, 'Yes');
      await onScreen(page, 'thanks');
      const [item] = await stored(page, newItems);
      assert.equal(item.source, 'SOURCE_PARTNER_AGENCY');
      assert.equal(item.kind, 'KIND_COMPLIMENT');
      assert.equal(item.rating ?? 0, 0);
      assert.equal(item.consentToQuote, true);
      assert.equal(item.meeting, 'MEETING_CIN_REVIEW');
    });
  });

  test('Back goes back without losing the choice made', async () => {
    await withTablet(browser, server, {}, async ({ page, newItems }) => {
      await enrol(page, server, { who: 'A parent or family member' });
      await tap(page, 'Something else (a comment)');
      await onScreen(page, 'rate');
      await tap(page, 'Back');
      await onScreen(page, 'kind');
      await tap(page, 'Something good (a compliment)');
      await onScreen(page, 'rate');
      await tap(page, 'Very good');
      await onScreen(page, 'more');
      await tap(page, 'Next');
      await onScreen(page, 'thanks');
      const [item] = await stored(page, newItems);
      assert.equal(item.kind, 'KIND_COMPLIMENT', 'the second choice, not the first');
      assert.equal(item.rating, 5);
    });
  });
});
