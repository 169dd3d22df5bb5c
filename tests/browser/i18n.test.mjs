// The translation files: every language in the list has a file with every key English has, says
// who checked it, and the page asks for no key English lacks. No browser needed.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/web/static');
const readJson = async (file) => JSON.parse(await readFile(path.join(staticDir, file), 'utf8'));

test('every listed language has every key English has, and says who checked it', async () => {
  const codes = await readJson('i18n/languages.json');
  assert.ok(codes.includes('en') && codes.includes('pl'), 'English and Polish at least');
  const english = await readJson('i18n/en.json');
  for (const code of codes) {
    const strings = await readJson(`i18n/${code}.json`);
    const missing = Object.keys(english).filter((key) => !(key in strings));
    assert.deepEqual(missing, [], `${code}.json lacks keys`);
    const extra = Object.keys(strings).filter((key) => !(key in english));
    assert.deepEqual(extra, [], `${code}.json has keys English does not`);
    for (const [key, value] of Object.entries(strings)) {
      assert.equal(typeof value, 'string', `${code}.json ${key}`);
      assert.ok(value.trim().length > 0, `${code}.json ${key} is empty`);
    }
    assert.ok(strings._status, `${code}.json says who checked it`);
  }
  const polish = await readJson('i18n/pl.json');
  assert.equal(polish._status, 'machine-drafted, not yet checked by a native speaker');
});

test('every key the page uses is in English', async () => {
  const english = await readJson('i18n/en.json');
  const html = await readFile(path.join(staticDir, 'index.html'), 'utf8');
  const app = await readFile(path.join(staticDir, 'app.js'), 'utf8');
  const used = new Set([...html.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)].map((m) => m[1]));
  for (const rating of [1, 2, 3, 4, 5]) used.add(`face.${rating}`);
  for (const who of ['child', 'adult']) {
    for (const key of ['rate.title', 'more.hint', 'consent.title', 'thanks.body', 'talk.body']) {
      used.add(`${key}.${who}`);
    }
  }
  for (const kind of ['compliment', 'complaint', 'comment']) used.add(`more.title.${kind}`);
  // The patterns app.js builds keys from are the ones enumerated above.
  assert.match(app, /`rate\.title\.\$\{who\}`/);
  assert.match(app, /`more\.title\.\$\{answer\.kind\.replace\('KIND_', ''\)\.toLowerCase\(\)\}`/);
  const missing = [...used].filter((key) => !(key in english));
  assert.deepEqual(missing, []);
});
