// A real feedbackd for one test: a temporary store, tokens issued offline on it (as an operator
// would), the gRPC port and the HTTP door on free loopback ports, and feedbackctl to drive it.
// Paths come from the environment (ctest sets them): FEEDBACKD, FEEDBACKCTL; by hand they
// default to the build folder of the repository.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FEEDBACKD = process.env.FEEDBACKD ?? path.join(repo, 'build/service/feedbackd');
export const FEEDBACKCTL = process.env.FEEDBACKCTL ?? path.join(repo, 'build/client/feedbackctl');

const READY_TIMEOUT_MS = 30000;

// Issues a token of `role` on the stopped store in `dataDir`; returns its secret (the last line
// of feedbackd's output).
async function issueOffline(dataDir, role, device) {
  const args = ['admin', 'token', 'issue', '--role', role, '--data-dir', dataDir];
  if (device) args.push('--device', device);
  const { stdout } = await run(FEEDBACKD, args);
  return stdout.trim().split('\n').pop().trim();
}

export class Feedbackd {
  // Starts feedbackd; `extraArgs` are added to its command line.
  static async start({ extraArgs = [] } = {}) {
    const server = new Feedbackd();
    server.dataDir = await mkdtemp(path.join(tmpdir(), 'kiosk-browser-'));
    const store = path.join(server.dataDir, 'store');
    server.tokens = {
      admin: await issueOffline(store, 'admin', 'browser-test-admin'),
      qa_manager: await issueOffline(store, 'qa_manager', 'browser-test-qa'),
    };
    server.tokenFiles = {};
    for (const [role, secret] of Object.entries(server.tokens)) {
      server.tokenFiles[role] = path.join(server.dataDir, `${role}.token`);
      await writeFile(server.tokenFiles[role], `${secret}\n`, { mode: 0o600 });
    }
    server.store = store;
    server.extraArgs = extraArgs;
    await server.spawn('127.0.0.1:0');
    return server;
  }

  async spawn(httpListen) {
    const args = ['--listen', '127.0.0.1:0', '--http-listen', httpListen, '--data-dir', this.store];
    for (const role of ['kiosk', 'advocate', 'qa_manager', 'reporter', 'admin']) {
      args.push('--rate-limit', `${role}=0`);
    }
    this.grpcAddress = null;
    this.httpOrigin = null;
    this.process = spawn(FEEDBACKD, [...args, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.stderr = '';
    this.process.stderr.on('data', (chunk) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => this.process.on('exit', resolve));
    await this.waitUntilReady();
  }

  // Stops feedbackd (SIGTERM) and keeps its store: the tablet finds nobody at the door.
  async pause() {
    this.process.kill('SIGTERM');
    await this.exited;
  }

  // Starts feedbackd again on the same store and the same HTTP port (the page's origin).
  async resume() {
    const port = new URL(this.httpOrigin).port;
    await this.spawn(`127.0.0.1:${port}`);
  }

  // Reads feedbackd's standard output until it says where gRPC and the HTTP door listen.
  waitUntilReady() {
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: this.process.stdout });
      const timer = setTimeout(() => reject(new Error(`feedbackd not ready: ${this.stderr}`)),
        READY_TIMEOUT_MS);
      this.process.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`feedbackd exited (${code}) before it was ready: ${this.stderr}`));
      });
      lines.on('line', (line) => {
        const grpc = /^feedbackd: listening on (\S+?),/.exec(line);
        if (grpc) this.grpcAddress = grpc[1];
        const http = /(https?):\/\/(127\.0\.0\.1:\d+)/.exec(line);
        if (http) this.httpOrigin = `${http[1]}://${http[2]}`;
        if (this.grpcAddress && this.httpOrigin) {
          clearTimeout(timer);
          this.kioskUrl = `${this.httpOrigin}/kiosk/`;
          resolve();
        }
      });
    });
  }

  async stop() {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM');
      await this.exited;
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }

  // feedbackctl against this server as `role`; resolves with its standard output.
  async ctl(role, args) {
    const { stdout } = await run(FEEDBACKCTL,
      ['--server', this.grpcAddress, '--token-file', this.tokenFiles[role], ...args]);
    return stdout;
  }

  // A new one-time enrolment code for `device`, as a qa_manager would print it.
  async enrolmentCode(device) {
    const out = await this.ctl('qa_manager', ['admin', 'kiosk', 'enrol', '--device', device]);
    const code = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(out);
    if (!code) throw new Error(`no enrolment code in: ${out}`);
    return code[1];
  }

  // A Connect unary call through the HTTP door, as `role`; resolves with {status, body}.
  async call(role, method, request) {
    const response = await fetch(`${this.httpOrigin}/feedback.v1.FeedbackService/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.tokens[role]}` },
      body: JSON.stringify(request),
    });
    return { status: response.status, body: await response.json() };
  }

  // Every stored feedback item, read by a qa_manager.
  async allFeedback() {
    const items = [];
    let pageToken = '';
    do {
      const { status, body } = await this.call('qa_manager', 'ListFeedback', { pageSize: 500, pageToken });
      if (status !== 200) throw new Error(`ListFeedback: ${status} ${JSON.stringify(body)}`);
      items.push(...(body.feedback ?? []));
      pageToken = body.nextPageToken ?? '';
    } while (pageToken);
    return items;
  }

  // `feedbackctl --json alerts watch` as a qa_manager (over gRPC): the alerts it has printed so
  // far, and a way to wait for one.
  watchAlerts() {
    const child = spawn(FEEDBACKCTL, ['--server', this.grpcAddress, '--token-file',
      this.tokenFiles.qa_manager, '--json', 'alerts', 'watch'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const alerts = [];
    const waiters = [];
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      // One JSON object per alert (possibly pretty-printed over several lines).
      for (;;) {
        const end = closingBrace(buffered);
        if (end < 0) break;
        alerts.push(JSON.parse(buffered.slice(0, end + 1)));
        buffered = buffered.slice(end + 1);
        for (const waiter of [...waiters]) waiter();
      }
    });
    return {
      alerts,
      // Resolves with the first alert that `matches`, or rejects after `timeoutMs`.
      waitFor(matches, timeoutMs = 20000) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const found = alerts.find(matches);
            if (!found) return;
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve(found);
          };
          const timer = setTimeout(() => {
            waiters.splice(waiters.indexOf(check), 1);
            reject(new Error(`no matching alert; saw ${JSON.stringify(alerts)}`));
          }, timeoutMs);
          waiters.push(check);
          check();
        });
      },
      stop() {
        child.kill('SIGTERM');
      },
    };
  }
}

// The index of the brace that closes the first complete JSON object in `text`, or -1.
function closingBrace(text) {
  let depth = 0;
  let inString = false;
  let started = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (inString) {
      if (c === '\\') ++i;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      ++depth;
      started = true;
    } else if (c === '}') {
      --depth;
      if (started && depth === 0) return i;
    }
  }
  return -1;
}
