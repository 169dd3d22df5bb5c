#ifndef FEEDBACK_SERVICE_GRPC_STATUS_H_
#define FEEDBACK_SERVICE_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace feedback {

// The one place an absl::Status becomes a gRPC status (the codes are the same numbers).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_GRPC_STATUS_H_
