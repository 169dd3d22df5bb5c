#ifndef FEEDBACK_PROTO_VOCABULARY_GRPC_STATUS_H_
#define FEEDBACK_PROTO_VOCABULARY_GRPC_STATUS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace feedback {

// Longest error message a caller is sent, in bytes. Values a client sent are echoed through
// QuoteClientValue (storage/error_text.h); this is the backstop for any message.
inline constexpr size_t kMaxErrorMessageBytes = 1024;

// The one place an absl::Status becomes a gRPC status (the codes are the same numbers). A message
// longer than kMaxErrorMessageBytes is cut there (on a UTF-8 boundary) and ends in "...".
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_GRPC_STATUS_H_
