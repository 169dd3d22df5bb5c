#include "proto/vocabulary/grpc_status.h"

namespace feedback {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const absl::string_view message = status.message();
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      CapErrorMessage(std::string_view(message.data(), message.size())));
}

}  // namespace feedback
