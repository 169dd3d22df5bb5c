// One unary call to feedbackd's HTTP door: the Connect protocol's unary JSON form
// (POST /feedback.v1.FeedbackService/<Method>, protobuf's JSON mapping). Never throws: the
// answer says whether it worked, its HTTP status (0 when the door could not be reached) and,
// on an error, the door's code and message. These are for staff screens only; the respondent
// never sees them.

const TIMEOUT_MS = 15000;

// Returns {ok, status, body} on a 2xx, else {ok: false, status, code, message}.
export async function call(method, request, token) {
  const headers = { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`/feedback.v1.FeedbackService/${method}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      signal: controller.signal,
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (response.ok) return { ok: true, status: response.status, body: body ?? {} };
    return {
      ok: false,
      status: response.status,
      code: typeof body?.code === 'string' ? body.code : '',
      message: typeof body?.message === 'string' ? body.message : '',
    };
  } catch (error) {
    return { ok: false, status: 0, code: 'unavailable', message: 'feedbackd could not be reached' };
  } finally {
    clearTimeout(timer);
  }
}

// Whether a failed call may succeed later unchanged: the network, a busy or failing server, and
// a refused token (staff enrol again; the answers wait). Any other 4xx never will.
export function isRetryable(status) {
  return status === 0 || status === 401 || status === 403 || status === 408 || status === 429 ||
    status >= 500;
}
