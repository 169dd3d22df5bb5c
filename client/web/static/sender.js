// Sends the outbox to feedbackd, one entry at a time, each exactly once: an entry is deleted
// only after a 2xx (feedbackd stored it, or already had it: it deduplicates by submission id)
// or moved aside after a non-retryable 4xx. Anything else stops the round and the entry waits
// for the next one (a timer, the `online` event, a new answer, staff's "Send now").
//
// Not reentrant by design: a flush while one runs asks the running one to go round again, even
// when the running pass stops on a failure.

import { call, isRetryable } from './connect.js';
import * as outbox from './outbox.js';

export class Sender {
  // `tokenOf()` gives the kiosk token (or nothing before enrolment); `onChange()` is called
  // whenever the outbox or the problem changed.
  constructor({ tokenOf, onChange }) {
    this.tokenOf = tokenOf;
    this.onChange = onChange;
    this.running = null;
    this.again = false;
    // For staff: null, or 'not-enrolled' | 'offline' | 'token-refused' | 'busy' | 'server'.
    this.problem = null;
  }

  flush() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.round().catch(() => {}).finally(() => { this.running = null; });
    return this.running;
  }

  // Passes over the outbox until no flush was asked for during the last one. A flush asked for
  // while a pass was failing (the network came back mid-request) gets a pass of its own.
  async round() {
    do {
      this.again = false;
      await this.pass();
    } while (this.again);
  }

  // One pass: each entry in turn, stopping at the first that cannot be sent now.
  async pass() {
    const entries = await outbox.all();
    for (const entry of entries) {
      const token = this.tokenOf();
      if (!token) {
        this.setProblem('not-enrolled');
        return;
      }
      const answer = await call(entry.method, entry.request, token);
      if (answer.ok) {
        await outbox.remove(entry.id);
        this.setProblem(null);
      } else if (isRetryable(answer.status)) {
        this.setProblem(problemOf(answer.status));
        return;
      } else {
        await outbox.refuse(entry, answer.status, answer.message || answer.code);
        this.onChange();
      }
    }
    if (entries.length === 0) this.setProblem(null);
  }

  // For a tablet that cannot keep an outbox (no IndexedDB): one try, no retry.
  async sendOnce(entry) {
    const token = this.tokenOf();
    if (token) await call(entry.method, entry.request, token);
  }

  setProblem(problem) {
    this.problem = problem;
    this.onChange();
  }
}

function problemOf(status) {
  if (status === 0) return 'offline';
  if (status === 401 || status === 403) return 'token-refused';
  if (status === 429) return 'busy';
  return 'server';
}
