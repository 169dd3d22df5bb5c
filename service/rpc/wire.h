// Reading requests that the generated code would refuse without saying why.
#ifndef FEEDBACK_SERVICE_RPC_WIRE_H_
#define FEEDBACK_SERVICE_RPC_WIRE_H_

#include <string>

#include "absl/status/status.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace feedback {

// Parses `bytes` into `request` (cleared first). Protobuf refuses a proto3 string that is not
// UTF-8 without naming it, and logs an error line each time; this finds such a string first,
// without protobuf, and returns INVALID_ARGUMENT naming its field ("feedback.text: is not valid
// UTF-8 ..."). Bytes that are not a message of the type: INVALID_ARGUMENT "request: is not a
// feedback.v1.GetFeedbackRequest"; no bytes at all: INVALID_ARGUMENT "request: ...". A request
// that parses but sets a field the server sets: INVALID_ARGUMENT naming it
// (CheckNoServerSetFields, service/server_fields.h). Every RPC's request comes through here.
[[nodiscard]] absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                                        google::protobuf::Message& request);

// ParseRequest for a SubmitFeedbackRequest.
[[nodiscard]] absl::Status ParseSubmitRequest(const grpc::ByteBuffer& bytes,
                                              v1::SubmitFeedbackRequest& request);

// `message` serialized into a ByteBuffer, for raw-method responses.
grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_WIRE_H_
