// Reading requests that the generated code would refuse without saying why.
#ifndef FEEDBACK_SERVICE_RPC_WIRE_H_
#define FEEDBACK_SERVICE_RPC_WIRE_H_

#include <string>

#include "absl/status/status.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace feedback {

// Parses the bytes of a gRPC request into `request` (cleared first): the door's half of
// ParseRequest (service/core/request_parse.h), which says what is refused and how. No bytes at
// all: INVALID_ARGUMENT "request: none was sent; ...". Every RPC's request comes through here.
[[nodiscard]] absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                                        google::protobuf::Message& request);

// ParseRequest for a SubmitFeedbackRequest.
[[nodiscard]] absl::Status ParseSubmitRequest(const grpc::ByteBuffer& bytes,
                                              v1::SubmitFeedbackRequest& request);

// `message` serialized into a ByteBuffer, for raw-method responses.
grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_WIRE_H_
