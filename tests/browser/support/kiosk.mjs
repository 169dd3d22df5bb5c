// Driving the kiosk page in Debian's Chromium (playwright-core, no browser download), as staff
// and respondents would: by the words and roles on the screen.

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = process.env.KIOSK_SCREENSHOTS ?? path.join(repo, 'build/tests/browser/screenshots');
export const LANDSCAPE = { width: 1024, height: 768 };
export const PORTRAIT = { width: 768, height: 1024 };
// The page ignores taps this soon after a screen changes (app.js TAP_GUARD_MS): a double tap
// counts once. Tests move the page's clock past it before the next tap.
export const TAP_GUARD_MS = 800;

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Chromium's sandbox needs user namespaces, which containers and root often lack.
    args: ['--no-sandbox'],
  });
}

// A fresh tablet: its own storage, a tablet-sized screen, the page's clock under the test's
// control (time still flows; the test jumps it forward), and a record of anything that breaks
// the strict content security policy or throws. `touch`: a touch screen with no hovering
// pointer, as a real tablet is (CSS `hover: none`; taps with locator.tap()).
export async function newTablet(browser, {
  viewport = LANDSCAPE, serviceWorkers = 'block', clockAt, touch = false,
} = {}) {
  const context = await browser.newContext({
    viewport, serviceWorkers, reducedMotion: 'reduce', hasTouch: touch,
  });
  await context.clock.install(clockAt ? { time: clockAt } : {});
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return { context, page, problems };
}

// Closes the tablet after checking the page broke no rule of its own policy and threw nothing.
export async function closeTablet({ context, page, problems }) {
  try {
    if (!page.isClosed()) {
      const violations = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
      problems.push(...violations.map((v) => `CSP violation: ${v}`));
    }
    assert.deepEqual(problems, [], 'the page kept to its content security policy and threw nothing');
  } finally {
    await context.close();
  }
}

export function screen(page, name) {
  return page.locator(`[data-screen="${name}"]`);
}

// Waits until `name` is the screen shown, then moves the clock past the tap guard.
export async function onScreen(page, name) {
  await screen(page, name).waitFor({ state: 'visible' });
  await page.clock.fastForward(TAP_GUARD_MS + 50);
}

export async function shownScreen(page) {
  return page.evaluate(() => document.querySelector('[data-screen]:not([hidden])')?.dataset.screen);
}

// Staff enrol the tablet: the code from feedbackctl, a PIN, the meeting, who answers.
export async function enrol(page, server, {
  device = 'tablet-3', pin = '2468', meeting = 'Looked-after child (CLA) review',
  area = 'Social care', who = 'A child or young person',
} = {}) {
  const code = await server.enrolmentCode(device);
  await page.goto(server.kioskUrl);
  await screen(page, 'setup').waitFor({ state: 'visible' });
  await page.getByLabel('Enrolment code').fill(code);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('PIN again').fill(pin);
  await page.getByLabel('Meeting type').selectOption({ label: meeting });
  await page.getByLabel('Service area').selectOption({ label: area });
  await page.getByLabel(who).check();
  await page.getByRole('button', { name: 'Hand over' }).click();
  await onScreen(page, who === 'A child or young person' ? 'rate' : 'kind');
  return { code, device, pin };
}

// A respondent's tap on the button named `name` (exactly), then past the tap guard.
export async function tap(page, name) {
  await page.getByRole('button', { name, exact: true }).click();
  await page.clock.fastForward(TAP_GUARD_MS + 50);
}

// What the staff mark says is waiting to be sent.
export async function waiting(page) {
  return Number(await page.locator('#staff-mark-count').textContent());
}

// Everything a respondent can read now: nothing technical may be in it.
export async function assertNothingTechnical(page) {
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text,
    /error|fail|http|server|feedbackd|offline|network|token|invalid|status|refused|retry|exception/i,
    `the respondent's screen shows only kind words, not: ${text}`);
}

// A screenshot of what is shown at the page's size now, as <name>-<w>x<h>.png.
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const { width, height } = page.viewportSize();
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
}

// Screenshots of what is shown, at 1024x768 and 768x1024.
export async function screenshots(page, name) {
  const original = page.viewportSize();
  for (const size of [LANDSCAPE, PORTRAIT]) {
    await page.setViewportSize(size);
    await screenshot(page, name);
  }
  await page.setViewportSize(original);
}

// axe-core on what is shown: WCAG 2.0, 2.1 and 2.2 A and AA rules. Returns the violations of
// serious or critical impact (each with its rule and the elements).
let axeSource = null;
export async function seriousAxeViolations(page) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the debugging protocol: not a script the page's policy has to allow.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

// Holds the staff mark down for `ms` of the page's clock, then lets go.
export async function holdStaffMark(page, ms) {
  const box = await page.locator('#staff-mark').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.clock.fastForward(ms);
  await page.mouse.up();
}

// Polls `check` (real time) until it is true; fails the test after `ms`.
export async function until(check, what, ms = 10000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}
