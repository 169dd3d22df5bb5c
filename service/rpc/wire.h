// Reading requests that the generated code would refuse without saying why.
#ifndef FEEDBACK_SERVICE_RPC_WIRE_H_
#define FEEDBACK_SERVICE_RPC_WIRE_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace feedback {

// Parses the bytes of a gRPC request into `request` (cleared first): the door's half of
// ParseRequest (service/core/request_parse.h), which says what is refused and how. No bytes at
// all: INVALID_ARGUMENT "request: none was sent; ...". Every RPC's request comes through here.
[[nodiscard]] absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                                        google::protobuf::Message& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_WIRE_H_
