#ifndef FEEDBACK_PROTO_VOCABULARY_GRPC_STATUS_H_
#define FEEDBACK_PROTO_VOCABULARY_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "proto/vocabulary/error_text.h"

namespace feedback {

// The one place an absl::Status becomes a gRPC status (the codes are the same numbers). A message
// longer than kMaxErrorMessageBytes is cut there (CapErrorMessage, error_text.h).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_GRPC_STATUS_H_
