// Errors as the Connect protocol sends them over HTTP: a status code chosen by the error's code,
// and a JSON body {"code": "invalid_argument", "message": "feedback.rating: ..."}.
#ifndef FEEDBACK_SERVICE_HTTP_CONNECT_STATUS_H_
#define FEEDBACK_SERVICE_HTTP_CONNECT_STATUS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace feedback::http {

// Connect's name of `code`: "invalid_argument", "unauthenticated", ... ("canceled" for
// CANCELLED, as Connect spells it). OK is not an error and has no name: "unknown".
std::string_view ConnectCodeName(absl::StatusCode code);

// The HTTP status Connect's specification gives `code`:
//   invalid_argument, failed_precondition, out_of_range 400; unauthenticated 401;
//   permission_denied 403; not_found 404; already_exists, aborted 409; resource_exhausted 429;
//   canceled 499; unimplemented 501; unavailable 503; deadline_exceeded 504;
//   unknown, internal, data_loss (and anything else) 500.
int HttpStatusOf(absl::StatusCode code);

// `text` as a JSON string, quotes included: `"`, `\` and control characters escaped; text that
// is not UTF-8 has every byte past ASCII escaped as \u00XX, so the result is always valid JSON.
std::string JsonString(std::string_view text);

// The Connect error body of `status` (REQUIRES: not OK): {"code":"...","message":"..."}, the
// message cut at kMaxErrorMessageBytes (CapErrorMessage) like every door's.
std::string ConnectErrorJson(const absl::Status& status);

}  // namespace feedback::http

#endif  // FEEDBACK_SERVICE_HTTP_CONNECT_STATUS_H_
