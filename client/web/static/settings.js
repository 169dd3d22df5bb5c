// What the tablet keeps between hand-overs, in localStorage: the kiosk token from enrolment,
// the staff PIN's hash, and staff's choices (meeting type, service area, who answers, the
// language to start in). Never an answer: those live only in the outbox until sent.

const KEY = 'feedbackd.kiosk.settings';

export function load() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return stored && typeof stored === 'object' ? stored : {};
  } catch {
    return {};
  }
}

export function save(settings) {
  localStorage.setItem(KEY, JSON.stringify(settings));
}

// Whether staff have finished the set-up, so the tablet can be handed over.
export function isComplete(settings) {
  return Boolean(settings.token && settings.pin && settings.meeting && settings.serviceArea &&
    ['child', 'family', 'partner'].includes(settings.mode));
}
