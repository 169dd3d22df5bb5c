// What a gRPC caller presented, read into the transport-neutral Credentials that the
// Gatekeeper admits (service/core/gatekeeper.h).
#ifndef FEEDBACK_SERVICE_RPC_CREDENTIALS_H_
#define FEEDBACK_SERVICE_RPC_CREDENTIALS_H_

#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "service/core/gatekeeper.h"

namespace feedback {

// The caller's `authorization` metadata (empty if absent). UNAUTHENTICATED
// "authorization: sent more than once" if the metadata came twice.
[[nodiscard]] absl::StatusOr<Credentials> CredentialsOf(const grpc::ServerContextBase& context);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_CREDENTIALS_H_
