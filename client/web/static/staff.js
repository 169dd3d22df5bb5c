// Staff's screens: the PIN after a long press on the corner mark, and the set-up (enrolment,
// the PIN, the meeting, who answers, the outbox). Messages here may be technical: only staff
// see them.

import { call } from './connect.js';
import * as i18n from './i18n.js';
import * as outbox from './outbox.js';
import { checkPin, hashPin, isValidPin } from './pin.js';
import { isComplete } from './settings.js';

const $ = (selector) => document.querySelector(selector);

const PROBLEMS = {
  'not-enrolled': 'This tablet is not enrolled yet: answers wait here until it is.',
  offline: 'feedbackd cannot be reached just now. Answers wait on this tablet and are sent when it is back.',
  'token-refused': "feedbackd refused this tablet's token (revoked or expired?). Enrol again with a new code; the waiting answers are sent after that.",
  busy: 'feedbackd asked this tablet to slow down. Answers are sent again shortly.',
  server: 'feedbackd answered with an error. Answers are tried again every 20 seconds.',
};

export class Staff {
  constructor({ show, getConfig, setConfig, sender, handOver, backToRespondent }) {
    this.show = show;
    this.getConfig = getConfig;
    this.setConfig = setConfig;
    this.sender = sender;
    this.handOver = handOver;
    this.backToRespondent = backToRespondent;
    this.returnTo = null;
    this.reEnrol = false;
    this.busy = false;
  }

  wire() {
    $('#pin-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.unlock();
    });
    $('[data-action="pin-cancel"]').addEventListener('click', () => this.leavePin());
    $('#setup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitSetup();
    });
    $('[data-action="re-enrol"]').addEventListener('click', () => {
      this.reEnrol = true;
      this.render();
      $('#enrol-code').focus();
    });
    $('[data-action="send-now"]').addEventListener('click', () => this.sender.flush());
    $('[data-action="retry-refused"]').addEventListener('click', async () => {
      await outbox.requeueRefused().catch(() => 0);
      this.sender.flush();
      this.renderOutbox();
    });
  }

  // The long press ended: ask for the PIN; `returnTo` is the respondent screen to go back to.
  askPin(returnTo) {
    this.returnTo = returnTo;
    $('#pin-entry').value = '';
    this.show('pin');
    $('#pin-entry').focus();
  }

  leavePin() {
    $('#pin-entry').value = '';
    this.backToRespondent(this.returnTo);
  }

  async unlock() {
    const entered = $('#pin-entry').value;
    $('#pin-entry').value = '';
    if (await checkPin(entered, this.getConfig().pin)) {
      this.reEnrol = false;
      this.show('setup');
    } else {
      // A wrong PIN goes straight back to the respondent's screen: another try needs another
      // long press.
      this.backToRespondent(this.returnTo);
    }
  }

  render() {
    const config = this.getConfig();
    const enrolled = Boolean(config.token);
    $('#enrol-fields').hidden = enrolled && !this.reEnrol;
    $('#enrolled').hidden = !enrolled || this.reEnrol;
    $('#device-name').textContent = config.deviceName || '(unnamed)';
    $('#pin-legend').textContent = config.pin
      ? 'Change the staff PIN (leave empty to keep it)'
      : 'Staff PIN (4 to 6 digits), needed to leave the respondent screens';
    $('#meeting').value = config.meeting ?? '';
    $('#service-area').value = config.serviceArea ?? '';
    for (const radio of document.querySelectorAll('input[name="mode"]')) {
      radio.checked = radio.value === config.mode;
    }
    const languages = $('#start-language');
    languages.replaceChildren(...i18n.list().map(({ code, name }) => {
      const option = document.createElement('option');
      option.value = code;
      option.textContent = name;
      return option;
    }));
    languages.value = i18n.has(config.language) ? config.language : 'en';
    $('#setup-error').hidden = true;
    this.renderOutbox();
  }

  async renderOutbox() {
    let waiting = 0;
    let refused = [];
    try {
      waiting = await outbox.count();
      refused = await outbox.all(outbox.REFUSED);
    } catch {
      // No IndexedDB: nothing waits.
    }
    // Before the first enrolment there is nothing to say about answers, unless some wait.
    $('.outbox').hidden = !this.getConfig().token && waiting === 0 && refused.length === 0;
    $('#outbox-waiting').textContent = waiting === 1
      ? '1 answer is waiting to be sent.'
      : `${waiting} answers are waiting to be sent.`;
    const refusedLine = $('#outbox-refused');
    refusedLine.hidden = refused.length === 0;
    if (refused.length > 0) {
      const first = refused[0];
      refusedLine.textContent = `${refused.length} refused by feedbackd and kept here ` +
        `(first: HTTP ${first.refusedStatus} ${first.refusedMessage ?? ''}).`;
    }
    $('[data-action="retry-refused"]').hidden = refused.length === 0;
    const problem = waiting > 0 || this.sender.problem === 'token-refused' ? this.sender.problem : null;
    $('#outbox-problem').hidden = !problem;
    $('#outbox-problem').textContent = problem ? PROBLEMS[problem] ?? '' : '';
  }

  fail(message) {
    const error = $('#setup-error');
    error.textContent = message;
    error.hidden = false;
  }

  async submitSetup() {
    if (this.busy) return;
    const config = this.getConfig();
    const needsCode = !config.token || this.reEnrol;
    const code = $('#enrol-code').value.trim();
    const pinNew = $('#pin-new').value;
    const pinAgain = $('#pin-again').value;
    const mode = document.querySelector('input[name="mode"]:checked')?.value;
    const next = {
      ...config,
      meeting: $('#meeting').value,
      serviceArea: $('#service-area').value,
      mode,
      language: $('#start-language').value || 'en',
    };
    // Everything is checked before the code is spent.
    if (needsCode && !code) return this.fail('Enter the enrolment code.');
    if (!config.pin || pinNew || pinAgain) {
      if (!isValidPin(pinNew)) return this.fail('The PIN must be 4 to 6 digits.');
      if (pinNew !== pinAgain) return this.fail('The two PINs are not the same.');
    }
    if (!next.meeting) return this.fail('Choose the meeting type.');
    if (!next.serviceArea) return this.fail('Choose the service area.');
    if (!mode) return this.fail('Choose who will answer.');

    this.busy = true;
    const handOverButton = $('.hand-over');
    handOverButton.disabled = true;
    try {
      if (needsCode) {
        const answer = await call('EnrolKiosk', { code }, null);
        if (!answer.ok) return this.fail(enrolProblem(answer));
        next.token = answer.body.secret;
        next.deviceName = answer.body.deviceName || answer.body.token?.deviceName || '';
        next.tokenId = answer.body.token?.id ?? '';
      }
      if (pinNew) next.pin = await hashPin(pinNew);
      if (!isComplete(next)) return this.fail('The set-up is not complete.');
      this.setConfig(next);
      this.reEnrol = false;
      for (const id of ['#enrol-code', '#pin-new', '#pin-again']) $(id).value = '';
      this.handOver();
    } finally {
      this.busy = false;
      handOverButton.disabled = false;
    }
  }
}

function enrolProblem(answer) {
  if (answer.status === 401) {
    return 'That enrolment code is not valid: mistyped, already used, or older than 15 minutes. ' +
      'Ask for a new one.';
  }
  if (answer.status === 429) return 'Too many tries. Wait a minute, then try again.';
  if (answer.status === 0) return "feedbackd cannot be reached. Check the tablet's network and try again.";
  return `feedbackd refused the enrolment (HTTP ${answer.status} ${answer.code}): ${answer.message}`;
}
