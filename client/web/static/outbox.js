// The tablet's outbox: answers and talk-now requests in IndexedDB until feedbackd has them.
//
// Each entry is {id, method, request, priority, createdAt}: `id` is the submission id (or the
// talk-now request id), so putting the same entry twice keeps one. An entry leaves the outbox
// only when feedbackd accepted it (sender.js), or moves to `refused` when feedbackd said it
// never will (a non-retryable 4xx): kept there for staff, never shown to the respondent.

const DB_NAME = 'feedbackd-kiosk';
const DB_VERSION = 1;
export const OUTBOX = 'outbox';
export const REFUSED = 'refused';

let opened = null;

function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: 'id' });
        if (!db.objectStoreNames.contains(REFUSED)) db.createObjectStore(REFUSED, { keyPath: 'id' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    opened.catch(() => { opened = null; });
  }
  return opened;
}

// Runs `work(stores)` in one transaction over `names`; resolves with its result once committed.
async function transact(names, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries(names.map((name) => [name, tx.objectStore(name)]));
    let result;
    Promise.resolve(work(stores)).then((value) => { result = value; }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function requested(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Keeps `entry` until it is sent (the same id again replaces it: still one).
export function put(entry) {
  return transact([OUTBOX], 'readwrite', (s) => requested(s[OUTBOX].put(entry)));
}

// Every entry of `store`, talk-now requests first, then oldest first.
export async function all(store = OUTBOX) {
  const entries = await transact([store], 'readonly', (s) => requested(s[store].getAll()));
  return entries.sort((a, b) => a.priority - b.priority || a.createdAt - b.createdAt);
}

export function count(store = OUTBOX) {
  return transact([store], 'readonly', (s) => requested(s[store].count()));
}

// feedbackd has it: forget it.
export function remove(id) {
  return transact([OUTBOX], 'readwrite', (s) => requested(s[OUTBOX].delete(id)));
}

// feedbackd will never take it: keep it aside for staff, with what feedbackd said.
export function refuse(entry, status, message) {
  return transact([OUTBOX, REFUSED], 'readwrite', (s) => {
    s[OUTBOX].delete(entry.id);
    return requested(s[REFUSED].put({ ...entry, refusedStatus: status, refusedMessage: message }));
  });
}

// Staff: put the refused entries back in the outbox, to be tried again.
export function requeueRefused() {
  return transact([OUTBOX, REFUSED], 'readwrite', async (s) => {
    const refused = await requested(s[REFUSED].getAll());
    for (const { refusedStatus, refusedMessage, ...entry } of refused) {
      s[OUTBOX].put(entry);
      s[REFUSED].delete(entry.id);
    }
    return refused.length;
  });
}
