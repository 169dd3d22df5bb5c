// The tablet kiosk: the respondent's screens, one question at a time, and the way to staff's.
//
// Child mode:           rate -> more -> consent (only if they wrote something) -> thanks
// Family/partner mode:  kind -> rate -> more -> consent (likewise) -> thanks
// On every respondent screen: the language switch, "Read to me", "I want to talk to someone
// now" (-> talk) and, in a corner, staff's mark (answers waiting; hold 3 s -> PIN -> set-up).
//
// Promises kept here: the thank-you stays up THANKS_MS, then everything the person entered is
// gone (state, fields, language); 60 s without a touch on any screen does the same without
// sending; a tap within TAP_GUARD_MS of a new screen is ignored, so a double tap counts once;
// nothing technical is ever shown on a respondent screen (errors go to staff's set-up screen).

import * as i18n from './i18n.js';
import { drawFace } from './faces.js';
import * as outbox from './outbox.js';
import { Sender } from './sender.js';
import * as settings from './settings.js';
import * as speech from './speech.js';
import { Staff } from './staff.js';

export const IDLE_MS = 60000;
export const THANKS_MS = 6000;
const TAP_GUARD_MS = 800;
const HOLD_MS = 3000;
const RETRY_MS = 20000;
const TALK_REPEAT_MS = 10000;

const RESPONDENT_SCREENS = new Set(['kind', 'rate', 'more', 'consent', 'thanks', 'talk']);
const SOURCES = { child: 'SOURCE_CHILD', family: 'SOURCE_FAMILY', partner: 'SOURCE_PARTNER_AGENCY' };

const $ = (selector) => document.querySelector(selector);
const screens = new Map([...document.querySelectorAll('[data-screen]')].map((s) => [s.dataset.screen, s]));

let config = settings.load();
let answer = freshAnswer();
let trail = [];           // respondent screens behind the current one, for Back
let current = null;
let guardUntil = 0;
let idleTimer = 0;
let screenTimer = 0;
let holdTimer = 0;
let lastTalkAt = -Infinity;

const sender = new Sender({ tokenOf: () => config.token, onChange: () => refreshCounts() });
const staff = new Staff({
  show: (name) => show(name),
  getConfig: () => config,
  setConfig: (next) => { config = next; settings.save(config); },
  sender,
  handOver: () => { sender.flush(); resetForNext(); },
  // Back where they were; from the thank-you (whose timer has stopped), a fresh start.
  backToRespondent: (screen) => (screen && screen !== 'thanks' ? show(screen) : resetForNext()),
});

function freshAnswer() {
  return { submissionId: crypto.randomUUID(), kind: '', rating: 0, occurredAt: '', sending: false };
}

// The kind a child's answer is stored as: the terminal kiosk's rule (client/lib/kiosk.cc,
// KioskKind): a compliment for 4 or 5, else a comment (a low rating is not a complaint).
export function childKind(rating) {
  return rating >= 4 ? 'KIND_COMPLIMENT' : 'KIND_COMMENT';
}

function isChild() {
  return config.mode === 'child';
}

function startScreen() {
  return isChild() ? 'rate' : 'kind';
}

// ---- Screens ----

function show(name, { push = false } = {}) {
  // The thank-you is not a place to come back to, and its timer ends when it is left.
  if (push && current && RESPONDENT_SCREENS.has(current) && current !== name && current !== 'thanks') {
    trail.push(current);
  }
  if (name !== 'thanks') clearTimeout(screenTimer);
  for (const [screenName, section] of screens) section.hidden = screenName !== name;
  current = name;
  const respondent = RESPONDENT_SCREENS.has(name);
  $('#respondent-bar').hidden = !respondent;
  $('#respondent-footer').hidden = !respondent || name === 'talk';
  $('#staff-mark').hidden = !respondent;
  setWordsFor(name);
  i18n.use(i18n.language());
  guardUntil = performance.now() + TAP_GUARD_MS;
  speech.stop();
  restartIdle();
  screens.get(name).querySelector('h1')?.focus({ preventScroll: true });
  if (name === 'setup') staff.render();
  refreshCounts();
}

// Which translation each mode's words come from.
function setWordsFor(name) {
  const who = isChild() ? 'child' : 'adult';
  $('#rate-title').dataset.i18n = `rate.title.${who}`;
  $('#more-title').dataset.i18n = isChild() || !answer.kind ? 'more.title.child'
    : `more.title.${answer.kind.replace('KIND_', '').toLowerCase()}`;
  $('#more-hint').dataset.i18n = `more.hint.${who}`;
  $('#consent-title').dataset.i18n = `consent.title.${who}`;
  screens.get('thanks').querySelector('.big').dataset.i18n = `thanks.body.${who}`;
  screens.get('talk').querySelector('.big').dataset.i18n = `talk.body.${who}`;
  // In child mode the faces are the first screen: nothing to go back to, and no skipping them.
  screens.get('rate').querySelector('[data-action="back"]').hidden = isChild();
  $('[data-action="skip-rating"]').hidden = isChild();
}

function go(name) {
  show(name, { push: true });
}

function back() {
  const previous = trail.pop();
  if (previous) show(previous);
}

// The next person starts from nothing: no answer, no text, no selection, the staff's language.
function resetForNext() {
  clearTimeout(screenTimer);
  forgetAnswer();
  i18n.use(i18n.has(config.language) ? config.language : 'en');
  markLanguage();
  show(startScreen());
}

// Nothing of the unfinished answer stays on the tablet, on any screen.
function forgetAnswer() {
  answer = freshAnswer();
  trail = [];
  $('#more-text').value = '';
  $('#more-needed').hidden = true;
  for (const face of document.querySelectorAll('.face')) face.setAttribute('aria-pressed', 'false');
  for (const button of document.querySelectorAll('[data-consent]')) button.disabled = false;
  $('#pin-entry').value = '';
}

// ---- The answer ----

function chooseKind(kind) {
  answer.kind = kind;
  go('rate');
}

function chooseRating(rating) {
  answer.rating = rating;
  answer.occurredAt = new Date().toISOString();
  for (const face of document.querySelectorAll('.face')) {
    face.setAttribute('aria-pressed', String(Number(face.dataset.rating) === rating));
  }
  go('more');
}

function skipRating() {
  answer.rating = 0;
  go('more');
}

function words() {
  return $('#more-text').value.trim();
}

function moreNext() {
  const needsWords = answer.kind === 'KIND_COMPLAINT' || answer.rating === 0;
  if (needsWords && !words()) {
    $('#more-needed').hidden = false;
    return;
  }
  $('#more-needed').hidden = true;
  if (words()) go('consent');
  else submit(false);
}

function consent(yes) {
  for (const button of document.querySelectorAll('[data-consent]')) button.disabled = true;
  submit(yes);
}

async function submit(consentToQuote) {
  if (answer.sending) return;
  answer.sending = true;
  const text = words();
  const feedback = {
    submissionId: answer.submissionId,
    source: SOURCES[config.mode],
    kind: isChild() ? childKind(answer.rating) : answer.kind,
    meeting: config.meeting,
    serviceArea: config.serviceArea,
    consentToQuote: Boolean(consentToQuote && text),
    occurredAt: answer.occurredAt || new Date().toISOString(),
  };
  if (answer.rating) feedback.rating = answer.rating;
  if (text) feedback.text = text;
  await queue({ id: answer.submissionId, method: 'SubmitFeedback', request: { feedback }, priority: 1 });
  trail = [];  // sent: nothing to go back to
  show('thanks');
  clearTimeout(screenTimer);
  screenTimer = setTimeout(resetForNext, THANKS_MS);
}

// Keeps an entry in the outbox and tries to send it. If the tablet cannot keep it (no
// IndexedDB), it is sent once directly; either way the respondent hears nothing of it.
async function queue(entry) {
  const stamped = { ...entry, createdAt: Date.now() };
  try {
    await outbox.put(stamped);
  } catch {
    sender.sendOnce(stamped);
    return;
  }
  await refreshCounts();
  sender.flush();
}

async function talkNow() {
  const now = performance.now();
  if (now - lastTalkAt < TALK_REPEAT_MS) {
    go('talk');
    return;
  }
  lastTalkAt = now;
  const requestId = crypto.randomUUID();
  const request = {
    requestId,
    meeting: config.meeting,
    serviceArea: config.serviceArea,
    requestedAt: new Date().toISOString(),
  };
  go('talk');
  await queue({ id: requestId, method: 'RequestTalkNow', request, priority: 0 });
}

// ---- Chrome: language, read aloud, staff's mark ----

function buildLanguageSwitch() {
  const group = $('#language-switch');
  group.replaceChildren();
  for (const { code, name } of i18n.list()) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.language = code;
    button.lang = i18n.langTag(code);
    button.textContent = name;
    button.setAttribute('aria-pressed', 'false');
    group.append(button);
  }
  group.hidden = i18n.list().length < 2;
}

function markLanguage() {
  for (const button of document.querySelectorAll('[data-language]')) {
    button.setAttribute('aria-pressed', String(button.dataset.language === i18n.language()));
  }
}

function chooseLanguage(code) {
  i18n.use(code);
  markLanguage();
  speech.stop();
}

function readAloud() {
  const section = screens.get(current);
  if (!section) return;
  const text = [section.innerText, RESPONDENT_SCREENS.has(current) && current !== 'talk'
    ? $('#talk-now').innerText : ''].join('\n');
  speech.speak(text, i18n.langTag());
}

async function refreshCounts() {
  let waiting = 0;
  try {
    waiting = await outbox.count();
  } catch {
    waiting = 0;
  }
  const mark = $('#staff-mark');
  $('#staff-mark-count').textContent = String(waiting);
  mark.setAttribute('aria-label', `${waiting} waiting to be sent (staff)`);
  mark.dataset.waiting = String(waiting);
  if (current === 'setup') staff.renderOutbox();
}

function startHold(event) {
  if (event.type === 'keydown' && (event.repeat || (event.key !== 'Enter' && event.key !== ' '))) return;
  event.preventDefault();
  clearTimeout(holdTimer);
  $('#staff-mark').classList.add('holding');
  holdTimer = setTimeout(() => {
    $('#staff-mark').classList.remove('holding');
    staff.askPin(current);
  }, HOLD_MS);
}

function endHold() {
  clearTimeout(holdTimer);
  $('#staff-mark').classList.remove('holding');
}

// ---- Idle ----

function restartIdle() {
  clearTimeout(idleTimer);
  if (!settings.isComplete(config)) return;  // before the first hand-over: staff are setting up
  idleTimer = setTimeout(onIdle, current === 'setup' ? 2 * IDLE_MS : IDLE_MS);
}

// A child waiting for someone to come keeps the calm screen; only their unfinished answer is
// dropped, so "Go back" then starts afresh.
function onIdle() {
  if (current === 'talk') {
    forgetAnswer();
    return;
  }
  resetForNext();
}

// ---- Wiring ----

// A respondent's tap, ignored right after a screen changed (a double tap counts once).
function tap(handler) {
  return (event) => {
    if (performance.now() < guardUntil) {
      event.preventDefault();
      return;
    }
    handler(event);
  };
}

function wire() {
  const faces = $('#faces');
  for (let rating = 1; rating <= 5; ++rating) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `face face-${rating}`;
    button.dataset.rating = String(rating);
    button.setAttribute('aria-pressed', 'false');
    const word = document.createElement('span');
    word.dataset.i18n = `face.${rating}`;
    button.append(drawFace(rating), word);
    button.addEventListener('click', tap(() => chooseRating(rating)));
    faces.append(button);
  }
  for (const choice of document.querySelectorAll('[data-kind]')) {
    choice.addEventListener('click', tap(() => chooseKind(choice.dataset.kind)));
  }
  for (const button of document.querySelectorAll('[data-action="back"]')) {
    button.addEventListener('click', tap(back));
  }
  $('[data-action="skip-rating"]').addEventListener('click', tap(skipRating));
  $('[data-action="more-next"]').addEventListener('click', tap(moreNext));
  $('#more-text').addEventListener('input', () => { $('#more-needed').hidden = true; });
  for (const button of document.querySelectorAll('[data-consent]')) {
    button.addEventListener('click', tap(() => consent(button.dataset.consent === 'yes')));
  }
  $('[data-action="talk-back"]').addEventListener('click', tap(() => (trail.length ? back() : resetForNext())));
  $('#talk-now').addEventListener('click', tap(talkNow));
  $('#language-switch').addEventListener('click', (event) => {
    const button = event.target.closest('[data-language]');
    if (button) chooseLanguage(button.dataset.language);
  });
  const read = $('#read-aloud');
  read.hidden = !speech.canSpeak;
  read.addEventListener('click', readAloud);

  const mark = $('#staff-mark');
  mark.addEventListener('pointerdown', startHold);
  mark.addEventListener('keydown', startHold);
  for (const type of ['pointerup', 'pointerleave', 'pointercancel', 'keyup', 'blur']) {
    mark.addEventListener(type, endHold);
  }
  mark.addEventListener('contextmenu', (event) => event.preventDefault());
  mark.addEventListener('click', (event) => event.preventDefault());

  for (const type of ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart']) {
    document.addEventListener(type, restartIdle, { capture: true, passive: true });
  }
  staff.wire();

  // Send while idle too: on a timer, when the network comes back, when the tablet wakes.
  setInterval(() => sender.flush(), RETRY_MS);
  window.addEventListener('online', () => sender.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') sender.flush();
  });
  // Whatever goes wrong stays off the respondent's screen.
  window.addEventListener('error', (event) => event.preventDefault());
  window.addEventListener('unhandledrejection', (event) => event.preventDefault());
}

async function start() {
  await i18n.load();
  wire();
  buildLanguageSwitch();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js', { scope: './' }).catch(() => {});
  }
  $('#loading').hidden = true;
  if (settings.isComplete(config)) {
    resetForNext();
  } else {
    i18n.use('en');
    show('setup');
  }
  sender.flush();
}

start();
