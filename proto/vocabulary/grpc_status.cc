#include "proto/vocabulary/grpc_status.h"

#include <string>

namespace feedback {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const absl::string_view message = status.message();
  if (message.size() > kMaxErrorMessageBytes) {
    // Cut on a UTF-8 character boundary: never inside a multi-byte character.
    size_t cut = kMaxErrorMessageBytes;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xc0) == 0x80) --cut;
    return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                        std::string(message.substr(0, cut)) + "...");
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(message));
}

}  // namespace feedback
