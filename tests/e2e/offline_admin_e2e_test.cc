// Offline store tooling lives in the server binary (issue 10, item 2): `feedbackd admin token
// issue --data-dir` issues on a stopped server's store, and `feedbackctl`, which opens no store,
// answers `--data-dir` with the feedbackd command to run.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/roles.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace offline_admin_e2e_test {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// The tokens the running server knows, through its admin token.
int TokenCount(const ServerProcess& server) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListTokensResponse tokens;
  const grpc::Status listed =
      server.NewStub(v1::ROLE_ADMIN)->ListTokens(&context, v1::ListTokensRequest(), &tokens);
  EXPECT_TRUE(listed.ok()) << listed.error_message();
  return tokens.tokens_size();
}

// The line of `text` that starts with `prefix` (after leading spaces), or "".
std::string LineStartingWith(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, prefix.size(), prefix) == 0) {
      return line.substr(start);
    }
  }
  return "";
}

// feedbackctl no longer touches a store: it names the feedbackd command, flags quoted for the
// shell, and exits 2. Run as printed, that command issues a token the server then accepts.
TEST(OfflineAdminE2e, FeedbackctlWithDataDirPrintsTheFeedbackdCommandAndExits2) {
  TempDir dir;
  const std::string data = dir.Sub("the council's store");
  const std::string out = dir.Sub("admin token");
  const CommandResult redirected =
      RunCommand({FEEDBACKCTL_PATH, "admin", "token", "issue", "--role", "admin", "--device",
                  "ops laptop", "--expires-in-days", "30", "--data-dir", data, "--out", out});
  EXPECT_EQ(redirected.exit_code, 2) << redirected.err;
  EXPECT_EQ(redirected.out, "");
  const std::string command = LineStartingWith(redirected.err, "feedbackd admin token issue");
  EXPECT_EQ(command,
            absl::StrCat("feedbackd admin token issue --role admin --device 'ops laptop' "
                         "--expires-in-days 30 --data-dir '",
                         absl::StrReplaceAll(data, {{"'", "'\\''"}}), "' --out '", out, "'"))
      << redirected.err;
  // Nothing was made: no store, no token file.
  EXPECT_FALSE(std::filesystem::exists(data));
  EXPECT_FALSE(std::filesystem::exists(out));

  // The printed command, through the shell, with the path of this build's feedbackd.
  const std::string runnable =
      absl::StrCat("'", FEEDBACKD_PATH, "'", command.substr(std::string("feedbackd").size()));
  const CommandResult issued = RunCommand({"/bin/sh", "-c", runnable});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_THAT(issued.out, AllOf(HasSubstr("ops laptop"), HasSubstr("token written to " + out)));
  EXPECT_EQ(ModeOf(out), 0600u);
  const std::string contents = ReadFile(out);
  ASSERT_THAT(contents, ::testing::MatchesRegex("fbk_[0-9a-f]{64}\n"));
  EXPECT_THAT(issued.out, Not(HasSubstr(contents.substr(0, contents.size() - 1))));

  // The running server accepts it as an admin token.
  auto server = ServerProcess::Start(data);
  ASSERT_OK(server);
  const CommandResult listed = RunCommand({FEEDBACKCTL_PATH, "--server", (*server)->address(),
                                           "--token-file", out, "admin", "token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, AllOf(HasSubstr("ops laptop"), HasSubstr("admin")));
}

// While a server holds the store, feedbackd refuses, says to go through that server with
// feedbackctl, and leaves neither a token nor a token file behind.
TEST(OfflineAdminE2e, FeedbackdRefusesWhileAServerHoldsTheStore) {
  TempDir dir;
  auto server = ServerProcess::Start(dir.Sub("data"));
  ASSERT_OK(server);
  const int tokens_before = TokenCount(**server);
  const std::string out = dir.Sub("kiosk.token");
  const CommandResult refused = RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role",
                                            "kiosk", "--data-dir", dir.Sub("data"), "--out", out});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, AllOf(HasSubstr("FAILED_PRECONDITION"), HasSubstr(dir.Sub("data")),
                                 HasSubstr("feedbackctl --server")));
  EXPECT_THAT(refused.out, Not(HasSubstr("listening on")));
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(TokenCount(**server), tokens_before);
}

// The flags are checked as feedbackctl checks them, and an existing --out file is never
// overwritten; a refusal costs no token and makes no store.
TEST(OfflineAdminE2e, FeedbackdChecksItsFlagsAndNeverOverwritesATokenFile) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  const CommandResult no_role = RunCommand(
      {FEEDBACKD_PATH, "admin", "token", "issue", "--role", "janitor", "--data-dir", data});
  EXPECT_EQ(no_role.exit_code, 1);
  EXPECT_THAT(no_role.err, HasSubstr("--role"));
  const CommandResult no_days = RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role",
                                            "admin", "--expires-in-days", "0", "--data-dir", data});
  EXPECT_EQ(no_days.exit_code, 1);
  EXPECT_THAT(no_days.err, HasSubstr("--expires-in-days: must be at least 1"));
  const std::string out = dir.Sub("existing.token");
  std::ofstream(out) << "keep me\n";
  const CommandResult exists = RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role",
                                           "admin", "--data-dir", data, "--out", out});
  EXPECT_EQ(exists.exit_code, 1);
  EXPECT_THAT(exists.err, AllOf(HasSubstr("--out"), HasSubstr(out), HasSubstr("already exists")));
  EXPECT_EQ(ReadFile(out), "keep me\n");
  EXPECT_FALSE(std::filesystem::exists(data));

  // Without --data-dir there is no store to issue on: a usage error, nothing made.
  const CommandResult no_store =
      RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role", "admin"});
  EXPECT_NE(no_store.exit_code, 0);
  EXPECT_THAT(no_store.err, HasSubstr("--data-dir"));
  EXPECT_THAT(no_store.out, Not(HasSubstr("listening on")));
}

// The token alone on the last line of stdout, for `| tail -n 1`; two issues, two tokens.
TEST(OfflineAdminE2e, FeedbackdPrintsTheTokenAloneOnTheLastLine) {
  TempDir dir;
  std::vector<std::string> secrets;
  for (const char* device : {"laptop 1", "laptop 2"}) {
    const CommandResult issued =
        RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role", "admin", "--device",
                    device, "--data-dir", dir.Sub("data")});
    ASSERT_EQ(issued.exit_code, 0) << issued.err;
    EXPECT_THAT(issued.out, HasSubstr(absl::StrCat("admin  device=", device, "  expires ")));
    std::string out = issued.out;
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out.back(), '\n');
    out.pop_back();
    secrets.push_back(out.substr(out.rfind('\n') + 1));
    EXPECT_THAT(secrets.back(), ::testing::MatchesRegex("fbk_[0-9a-f]{64}"));
  }
  EXPECT_NE(secrets[0], secrets[1]);
  auto server = ServerProcess::Start(dir.Sub("data"));
  ASSERT_OK(server);
  EXPECT_EQ(TokenCount(**server), 2 + static_cast<int>(AllRoles().size()));
}

}  // namespace offline_admin_e2e_test
}  // namespace
}  // namespace feedback::testing
