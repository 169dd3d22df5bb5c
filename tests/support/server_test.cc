#include "tests/support/server_test.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace feedback::testing {
namespace {

std::string FileForFlag(const TempDir& dir, std::string_view flag) {
  while (flag.starts_with('-')) flag.remove_prefix(1);
  return dir.Sub(std::string(flag) + ".txt");
}

std::string TlsFileIn(const TempDir& dir, const std::string& name) {
  return absl::StrCat(dir.Sub("tls"), "/", name);
}

// The stub of `role` in `stubs` (ROLE_UNSPECIFIED: the staff stub), made on first use.
v1::FeedbackService::Stub& CachedStub(
    const ServerProcess& server, v1::Role role,
    std::map<v1::Role, std::unique_ptr<v1::FeedbackService::Stub>>& stubs) {
  std::unique_ptr<v1::FeedbackService::Stub>& stub = stubs[role];
  if (stub == nullptr) {
    stub = role == v1::ROLE_UNSPECIFIED ? server.NewStub() : server.NewStub(role);
  }
  return *stub;
}

}  // namespace

absl::Status MakeTestCertificates(const TempDir& dir) {
  if (std::filesystem::exists(TlsFileIn(dir, "client.key"))) return absl::OkStatus();
  const CommandResult made =
      RunCommand({FEEDBACK_SOURCE_DIR "/deploy/make-test-certs", dir.Sub("tls")});
  if (made.exit_code != 0) {
    return absl::InternalError(absl::StrCat("deploy/make-test-certs failed: ", made.err));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ServerProcess>> StartServerIn(const TempDir& dir,
                                                             const std::string& store,
                                                             const ServerOptions& options) {
  std::vector<std::string> args;
  for (const auto& [flag, contents] : options.files) {
    const std::string path = FileForFlag(dir, flag);
    std::ofstream out(path, std::ios::trunc);
    out << contents;
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
    args.insert(args.end(), {flag, path});
  }
  if (options.tls) {
    if (absl::Status made = MakeTestCertificates(dir); !made.ok()) return made;
    args.insert(args.end(), {"--tls-cert", TlsFileIn(dir, "server.pem"), "--tls-key",
                             TlsFileIn(dir, "server.key")});
    if (options.client_certificates) {
      args.insert(args.end(), {"--tls-client-ca", TlsFileIn(dir, "ca.pem")});
    }
  }
  args.insert(args.end(), options.flags.begin(), options.flags.end());
  return ServerProcess::Start(dir.Sub(store), args);
}

// --- ServerTest ---------------------------------------------------------------------------------

ServerTest::ServerTest(ServerOptions options)
    : options_(std::move(options)), start_in_set_up_(true) {}

ServerTest::ServerTest(NoServerInSetUp) : start_in_set_up_(false) {}

void ServerTest::SetUp() {
  if (start_in_set_up_) ASSERT_OK(StartServer());
}

void ServerTest::TearDown() {
  stubs_.clear();  // channels first, so that nothing holds the server
  server_.reset();
}

v1::FeedbackService::Stub& ServerTest::stub() { return stub(v1::ROLE_UNSPECIFIED); }

v1::FeedbackService::Stub& ServerTest::stub(v1::Role role) {
  return CachedStub(*server_, role, stubs_);
}

CommandResult ServerTest::Ctl(const std::vector<std::string>& args, const std::string& stdin_text) {
  return RunCommand(server_->Ctl(args), stdin_text);
}

CommandResult ServerTest::Ctl(v1::Role role, const std::vector<std::string>& args) {
  return RunCommand(server_->Ctl(role, args));
}

std::string ServerTest::FileFor(std::string_view flag) const { return FileForFlag(dir_, flag); }

std::string ServerTest::TlsFile(const std::string& name) const { return TlsFileIn(dir_, name); }

absl::Status ServerTest::StartServer() { return StartServer(options_); }

absl::Status ServerTest::StartServer(const ServerOptions& options) {
  stubs_.clear();
  // The old server first: it removes its stderr file, which the new one would share.
  server_.reset();
  absl::StatusOr<std::unique_ptr<ServerProcess>> started = StartServerIn(dir_, "data", options);
  if (!started.ok()) return started.status();
  server_ = *std::move(started);
  return absl::OkStatus();
}

int ServerTest::StopServer(int signal) {
  stubs_.clear();  // an open connection would hold a graceful shutdown for seconds
  return server_->StopWith(signal);
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerTest::StartOtherServer(
    const std::string& store, const ServerOptions& options) const {
  return StartServerIn(dir_, store, options);
}

// --- SharedServerSuite --------------------------------------------------------------------------

void SharedServerSuite::SetUpTestSuite() {
  status_ = new absl::Status();
  dir_ = new TempDir();
  stubs_ = new std::map<v1::Role, std::unique_ptr<v1::FeedbackService::Stub>>();
  absl::StatusOr<std::unique_ptr<ServerProcess>> started = StartServerIn(*dir_, "data", {});
  if (!started.ok()) return FailSuite(started.status());
  server_ = started->release();
  generic_stub_ = new grpc::GenericStub(
      grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials()));
}

void SharedServerSuite::TearDownTestSuite() {
  // Channels first, so that nothing holds the server.
  delete generic_stub_;
  generic_stub_ = nullptr;
  delete stubs_;
  stubs_ = nullptr;
  delete server_;  // SIGKILL
  server_ = nullptr;
  delete dir_;
  dir_ = nullptr;
  delete status_;
  status_ = nullptr;
}

void SharedServerSuite::SetUp() { ASSERT_OK(suite_status()); }

v1::FeedbackService::Stub& SharedServerSuite::stub() { return stub(v1::ROLE_UNSPECIFIED); }

v1::FeedbackService::Stub& SharedServerSuite::stub(v1::Role role) {
  return CachedStub(*server_, role, *stubs_);
}

CommandResult SharedServerSuite::Ctl(const std::vector<std::string>& args) {
  return RunCommand(server_->Ctl(args));
}

CommandResult SharedServerSuite::Ctl(v1::Role role, const std::vector<std::string>& args) {
  return RunCommand(server_->Ctl(role, args));
}

void SharedServerSuite::FailSuite(absl::Status status) {
  if (status_->ok()) *status_ = std::move(status);
}

// --- SeededServerSuite --------------------------------------------------------------------------

void SeededServerSuite::SetUpTestSuite() {
  SharedServerSuite::SetUpTestSuite();
  if (!suite_status().ok()) return;
  absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(server());
  if (!seed.ok()) return FailSuite(seed.status());
  seed_ = new SeedDataset(*std::move(seed));
}

void SeededServerSuite::TearDownTestSuite() {
  delete seed_;
  seed_ = nullptr;
  SharedServerSuite::TearDownTestSuite();
}

}  // namespace feedback::testing
