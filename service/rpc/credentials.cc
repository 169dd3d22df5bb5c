#include "service/rpc/credentials.h"

#include <string_view>
#include <vector>

namespace feedback {

absl::StatusOr<Credentials> CredentialsOf(const grpc::ServerContextBase& context) {
  std::vector<std::string_view> authorization;
  auto [first, last] = context.client_metadata().equal_range("authorization");
  for (auto it = first; it != last; ++it) {
    authorization.emplace_back(it->second.data(), it->second.size());
  }
  return ReadCredentials(authorization);
}

}  // namespace feedback
