#include "tests/support/seed_dataset.h"

#include <string>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace feedback::testing {
namespace {

// The test server's token of each role, issued before it started.
class TestTokens final : public demo::SeedCredentials {
 public:
  explicit TestTokens(const ServerProcess& server) : server_(server) {}
  absl::StatusOr<std::string> TokenFor(v1::Role role) override { return server_.token(role); }

 private:
  const ServerProcess& server_;
};

}  // namespace

absl::StatusOr<SeedDataset> GenerateSeedDataset(const ServerProcess& server) {
  // A plain channel: the generator puts each call's token on it.
  auto stub = v1::FeedbackService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
  TestTokens tokens(server);
  return demo::GenerateSeedDataset(*stub, tokens);
}

}  // namespace feedback::testing
