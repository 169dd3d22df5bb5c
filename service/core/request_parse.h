// Reading a request from its bytes (gRPC: service/rpc/wire.h) or its JSON (HTTP:
// service/http), for every door, so that a request is refused the same way whichever transport
// brought it.
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

// Parses `json` (protobuf's JSON mapping: lowerCamelCase or proto field names, enum values by
// name) into `request` (cleared first), ignoring nothing: the same refusals as ParseRequest,
// each INVALID_ARGUMENT naming what it refuses, never echoing more of the client's text than
// QuoteClientValue shows:
//   a body that is not UTF-8         "request: is not valid UTF-8 (send JSON encoded as UTF-8)"
//   a body that is not JSON          "request: is not valid JSON: <the parser's reason>"
//   a key that is not a field        "feedback: unknown field \"ratin\" (not a field of
//                                     feedback.v1.Feedback)"
//   a value of the wrong kind        "feedback.rating: is not a whole number in range"
//   a field only the server sets     CheckNoServerSetFields's error
// Thread-safe.
[[nodiscard]] absl::Status ParseJsonRequest(std::string_view json,
                                            google::protobuf::Message& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_REQUEST_PARSE_H_
