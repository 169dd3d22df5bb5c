#include "service/rpc/credentials.h"

#include <iterator>
#include <string>

namespace feedback {

absl::StatusOr<Credentials> CredentialsOf(const grpc::ServerContextBase& context) {
  Credentials credentials;
  credentials.peer = context.peer();
  auto [first, last] = context.client_metadata().equal_range("authorization");
  if (first == last) return credentials;
  if (std::next(first) != last) {
    return absl::UnauthenticatedError("authorization: sent more than once");
  }
  credentials.authorization.assign(first->second.data(), first->second.size());
  return credentials;
}

}  // namespace feedback
