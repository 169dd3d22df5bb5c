// Reading a request from its bytes, for every door (gRPC: service/rpc/wire.h), so that a
// request is refused the same way whichever transport brought it.
#ifndef FEEDBACK_SERVICE_CORE_REQUEST_PARSE_H_
#define FEEDBACK_SERVICE_CORE_REQUEST_PARSE_H_

#include <string_view>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace feedback {

// Parses `bytes` (the protobuf wire format) into `request` (cleared first). Protobuf refuses a
// proto3 string that is not UTF-8 without naming it, and logs an error line each time; this
// finds such a string first, without protobuf, and returns INVALID_ARGUMENT naming its field
// ("feedback.text: is not valid UTF-8 ..."). Bytes that are not a message of the type:
// INVALID_ARGUMENT "request: is not a feedback.v1.GetFeedbackRequest". A request that parses
// but sets a field the server sets: INVALID_ARGUMENT naming it (CheckNoServerSetFields,
// service/domain/server_fields.h). Every RPC's request comes through here.
[[nodiscard]] absl::Status ParseRequest(std::string_view bytes, google::protobuf::Message& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_REQUEST_PARSE_H_
