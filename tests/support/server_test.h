// GoogleTest fixtures that run the real feedbackd for end-to-end tests:
//   ServerTest         a server of each test's own, on a fresh store, started in SetUp;
//   SharedServerSuite  one server for every test of a suite, started in SetUpTestSuite;
//   SeededServerSuite  the same, holding the 2018-19 seed dataset (tests/support/seed_dataset.h).
// They are built on ServerProcess (tests/support/server_process.h); a test reaches for that
// directly only for what these do not do.
//
// Example:
//   using ErasureTest = ServerTest;
//   TEST_F(ErasureTest, AnAdminErases) {
//     const std::string id = MustSubmit(stub(), Complaint());      // staff: each call's role
//     EXPECT_EQ(Erase(stub(v1::ROLE_KIOSK), id).error_code(), grpc::PERMISSION_DENIED);
//     EXPECT_EQ(Ctl({"admin", "erase", id, "--reason", "SAR 1"}).exit_code, 0);
//   }
//   using PurgeTest = DeferredServerTest;  // each test starts the server it needs
//   TEST_F(PurgeTest, ...) {
//     ASSERT_OK(StartServer({.files = {{"--retention", "comment 365\n"}}}));
//   }
#ifndef FEEDBACK_TESTS_SUPPORT_SERVER_TEST_H_
#define FEEDBACK_TESTS_SUPPORT_SERVER_TEST_H_

#include <signal.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/support/seed_dataset.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::testing {

// How a feedbackd is started, beyond ServerProcess::Start's own flags (unlimited rates, 16
// streams per token, one test token per role). Plain value.
struct ServerOptions {
  // Flags that name a file, with the file's contents: each file is written to
  // <folder>/<flag without its dashes>.txt ("--retention" -> retention.txt) before the start and
  // passed as `FLAG PATH`. Default: none.
  std::vector<std::pair<std::string, std::string>> files = {};
  // Serve TLS with the server certificate of deploy/make-test-certs. Default: false.
  bool tls = false;
  // With `tls`: also require a client certificate signed by the test CA. Default: false.
  bool client_certificates = false;
  // More feedbackd flags, after all the others (later flags win). Default: none.
  std::vector<std::string> flags = {};
};

// Starts feedbackd on the store `dir`/`store` with `options`; the files of `options` are written
// in `dir`, test certificates made in `dir`/tls if `options.tls` asks for them. Returns the
// start's error (with the server's stderr) if it does not come up.
[[nodiscard]] absl::StatusOr<std::unique_ptr<ServerProcess>> StartServerIn(
    const TempDir& dir, const std::string& store, const ServerOptions& options);
// Makes the test CA, a server and a client certificate (deploy/make-test-certs) in `dir`/tls,
// unless they are there already.
[[nodiscard]] absl::Status MakeTestCertificates(const TempDir& dir);

// A fixture with one feedbackd of each test's own, on a fresh store (data_dir()) in a temporary
// folder (dir()) removed after the test. TearDown drops the stubs and SIGKILLs the server. Not
// thread-safe: call it from the test's thread (stubs it returns may be used from any thread).
class ServerTest : public ::testing::Test {
 protected:
  // SetUp starts the server with `options`.
  explicit ServerTest(ServerOptions options = {});

  void SetUp() override;
  void TearDown() override;

  // The fixture's server: the running one, or the last one stopped (its tokens and Stderr()
  // stay readable). REQUIRES: a server was started.
  ServerProcess& server() { return *server_; }
  // A stub of server() for "the staff" (ServerProcess::NewStub()), or whose every call carries
  // `role`'s token; made on first use, kept until the server stops. REQUIRES: a server runs.
  v1::FeedbackService::Stub& stub();
  v1::FeedbackService::Stub& stub(v1::Role role);
  // Runs `feedbackctl --server ... --token-file ... ARGS` against server() with the token of the
  // command's user, or of `role` (see ServerProcess::Ctl).
  CommandResult Ctl(const std::vector<std::string>& args, const std::string& stdin_text = "");
  CommandResult Ctl(v1::Role role, const std::vector<std::string>& args);

  const TempDir& dir() const { return dir_; }
  // dir()/data: the store of every server StartServer starts.
  std::string data_dir() const { return dir_.Sub("data"); }
  // The file written for `flag` of ServerOptions::files: dir()/<flag without dashes>.txt.
  std::string FileFor(std::string_view flag) const;
  // A file of MakeTestCertificates(dir()): ca.pem, server.pem, server.key, client.pem, client.key.
  std::string TlsFile(const std::string& name) const;

  // --- Lower-level pieces: restarts on the same store, crashes, failed starts, other servers.

  // Starts a server on data_dir() (the store an earlier server left, or a new one) with
  // `options`, or with the fixture's (none for a DeferredServerTest). A server of the fixture's
  // still running is SIGKILLed first. On failure the fixture has no server, and the error names the
  // reason.
  [[nodiscard]] absl::Status StartServer();
  [[nodiscard]] absl::Status StartServer(const ServerOptions& options);
  // Drops the stubs, sends `signal` to the server and waits for it to end; returns its wait
  // status (0: exited 0). REQUIRES: a server was started.
  int StopServer(int signal = SIGTERM);
  // Another server on the store dir()/`store`, beside the fixture's; the test owns it.
  [[nodiscard]] absl::StatusOr<std::unique_ptr<ServerProcess>> StartOtherServer(
      const std::string& store, const ServerOptions& options = {}) const;

 private:
  friend class DeferredServerTest;
  struct NoServerInSetUp {};
  explicit ServerTest(NoServerInSetUp);

  const ServerOptions options_;
  const bool start_in_set_up_;
  TempDir dir_;  // outlives every server and stub below
  std::unique_ptr<ServerProcess> server_;
  // By role; ROLE_UNSPECIFIED: the staff stub.
  std::map<v1::Role, std::unique_ptr<v1::FeedbackService::Stub>> stubs_;
};

// A ServerTest whose SetUp starts no server: each test calls StartServer when it is ready (after
// an offline token issue, under a umask, at a fixed address, with options of its own), or
// starts none.
class DeferredServerTest : public ServerTest {
 protected:
  DeferredServerTest() : ServerTest(NoServerInSetUp()) {}
};

// A fixture whose one feedbackd, on a fresh store, serves every test of the suite: started in
// SetUpTestSuite, SIGKILLed in TearDownTestSuite. For tests that only read, or that do not
// disturb one another. If the suite's set-up fails, every test fails with its error. A derived
// suite that loads data defines its own SetUpTestSuite: it calls this class's first, then
// reports its own failure with FailSuite.
// The state is static and shared by every suite derived from this class: GoogleTest sets up,
// runs and tears down one suite at a time. Not thread-safe.
class SharedServerSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // REQUIRES: the suite's set-up succeeded (as it has in every test).
  static ServerProcess& server() { return *server_; }
  // A stub for "the staff", or with `role`'s token; made on first use, kept for the suite.
  static v1::FeedbackService::Stub& stub();
  static v1::FeedbackService::Stub& stub(v1::Role role);
  // A generic stub on a channel that adds no token: for raw bytes and raw metadata.
  static grpc::GenericStub& generic_stub() { return *generic_stub_; }
  static CommandResult Ctl(const std::vector<std::string>& args);
  static CommandResult Ctl(v1::Role role, const std::vector<std::string>& args);

  // Records the first failure of the suite's set-up; every test then fails with it.
  static void FailSuite(absl::Status status);
  static const absl::Status& suite_status() { return *status_; }

 private:
  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline grpc::GenericStub* generic_stub_ = nullptr;
  static inline std::map<v1::Role, std::unique_ptr<v1::FeedbackService::Stub>>* stubs_ = nullptr;
  static inline absl::Status* status_ = nullptr;
};

// SharedServerSuite whose server holds the seed dataset, generated once for the suite through
// stub() (the built-in lexicon, no advocacy eligibility limits).
class SeededServerSuite : public SharedServerSuite {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // What GenerateSeedDataset created. REQUIRES: the suite's set-up succeeded.
  static const SeedDataset& seed() { return *seed_; }

 private:
  static inline SeedDataset* seed_ = nullptr;
};

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_SERVER_TEST_H_
