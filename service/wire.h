// Reading requests that the generated code would refuse without saying why.
#ifndef FEEDBACK_SERVICE_WIRE_H_
#define FEEDBACK_SERVICE_WIRE_H_

#include <string>

#include "absl/status/status.h"
#include "feedback/v1/feedback.pb.h"
#include "grpcpp/support/byte_buffer.h"

namespace feedback {

// Parses a SubmitFeedbackRequest. Protobuf refuses a proto3 string that is not UTF-8 without
// naming it; this returns INVALID_ARGUMENT naming the field ("feedback.text: is not valid
// UTF-8") or saying the message does not parse.
[[nodiscard]] absl::Status ParseSubmitRequest(const grpc::ByteBuffer& bytes,
                                              v1::SubmitFeedbackRequest& request);

// `message` serialized into a ByteBuffer, for raw-method responses.
grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_WIRE_H_
