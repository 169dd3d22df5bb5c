// Opaque ListFeedback page tokens: a store cursor bound to the filters it was issued for.
#ifndef FEEDBACK_SERVICE_DOMAIN_PAGE_TOKEN_H_
#define FEEDBACK_SERVICE_DOMAIN_PAGE_TOKEN_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// A web-safe base64 token holding `cursor` and a digest of the request's filters.
std::string EncodePageToken(const v1::ListFeedbackRequest& request, std::string_view cursor);

// The cursor inside `request.page_token()`; INVALID_ARGUMENT naming page_token if the token is
// malformed or was issued for other filters. Empty token: empty cursor.
[[nodiscard]] absl::StatusOr<std::string> DecodePageToken(const v1::ListFeedbackRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_PAGE_TOKEN_H_
