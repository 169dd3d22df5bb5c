// The respondent's words, from translation files: i18n/<code>.json, one per language, listed in
// i18n/languages.json. Adding a language is adding its file and its code to that list. A file
// has the same keys as en.json, plus "_name" (the language's name in itself), "_lang" (a BCP 47
// tag, for the page and the speech synthesiser), "_dir" ("ltr" or "rtl") and "_status" (who
// checked the translation). A key a file lacks falls back to English.

const languages = new Map();  // code -> strings, in the list's order
let current = 'en';

export async function load() {
  let codes = ['en'];
  try {
    const listed = await fetchJson('i18n/languages.json');
    if (Array.isArray(listed) && listed.length > 0) codes = listed;
  } catch {
    // English alone.
  }
  const files = await Promise.all(codes.map((code) => fetchJson(`i18n/${code}.json`).catch(() => null)));
  codes.forEach((code, i) => {
    if (files[i] && typeof files[i] === 'object') languages.set(code, files[i]);
  });
}

async function fetchJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(path);
  return response.json();
}

// [{code, name}] in the list's order.
export function list() {
  return [...languages].map(([code, strings]) => ({ code, name: strings._name ?? code }));
}

export function has(code) {
  return languages.has(code);
}

export function language() {
  return current;
}

export function langTag(code = current) {
  return languages.get(code)?._lang ?? code;
}

// The text of `key` in the current language, else English, else undefined.
export function t(key) {
  return languages.get(current)?.[key] ?? languages.get('en')?.[key];
}

// Switches to `code` and rewrites every [data-i18n] text and [data-i18n-label] label in `root`.
export function use(code, root = document) {
  if (languages.has(code)) current = code;
  const strings = languages.get(current);
  document.documentElement.lang = strings?._lang ?? 'en-GB';
  document.documentElement.dir = strings?._dir === 'rtl' ? 'rtl' : 'ltr';
  for (const element of root.querySelectorAll('[data-i18n]')) {
    const text = t(element.dataset.i18n);
    if (text !== undefined) element.textContent = text;
  }
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    const text = t(element.dataset.i18nLabel);
    if (text !== undefined) element.setAttribute('aria-label', text);
  }
}
