// "Read to me": the browser's own speech synthesis. Silent (and the button hidden) where the
// browser has none.

export const canSpeak = typeof window.speechSynthesis !== 'undefined' &&
  typeof window.SpeechSynthesisUtterance === 'function';

export function speak(text, lang) {
  if (!canSpeak) return;
  try {
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  } catch {
    // Nothing to say to the respondent about it.
  }
}

export function stop() {
  if (!canSpeak) return;
  try {
    window.speechSynthesis.cancel();
  } catch {
    // As above.
  }
}
