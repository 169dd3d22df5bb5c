// Every exit code of feedbackctl (client/cli/exit_codes.h, the README's "Exit codes"), each met
// the way a person or script meets it: the real feedbackctl against a real feedbackd.
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/cli/exit_codes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/roles.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace cli_exit_codes_e2e_test {

using client::kExitConflict;
using client::kExitDenied;
using client::kExitFailure;
using client::kExitInvalid;
using client::kExitNotFound;
using client::kExitOk;
using client::kExitRateLimited;
using client::kExitUnavailable;
using client::kExitUsage;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::vector<std::string> kCompliment = {"submit",
                                              "--source",
                                              "family",
                                              "--kind",
                                              "compliment",
                                              "--meeting",
                                              "cla-review",
                                              "--service-area",
                                              "social-care",
                                              "--rating",
                                              "4",
                                              "--text",
                                              "We were listened to"};

class CliExitCodes : public SharedServerSuite {
 protected:
  // feedbackctl ARGS with the token of the command's user and an outbox of the test's own.
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--outbox", outbox_.Sub("outbox")});
    return Ctl(args);
  }

  TempDir outbox_;
};

TEST_F(CliExitCodes, ZeroWhenDone) {
  const CommandResult result = Run(kCompliment);
  EXPECT_EQ(result.exit_code, kExitOk) << result.err;
  EXPECT_EQ(kExitOk, 0);
}

// Each bad command line exits 2, whether CLI11 or the command finds the mistake, and names it.
TEST_F(CliExitCodes, TwoForABadCommandLine) {
  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  const std::vector<Case> cases = {
      {{"list", "--kind", "compliments"}, "--kind"},   // a bad enum value
      {{"list", "--quarter", "2018Q3"}, "--quarter"},  // a bad quarter
      {{"summary", "--quarter", "2018-19Q5"}, "--quarter"},
      {{"report", "--quarter", "Q3"}, "--quarter"},
      {{"complaint", "list", "--outcome", "upheld-ish"}, "--outcome"},
      {{"list", "--quater", "2018-19Q3"}, "--quater"},               // an unknown flag
      {{"lsit"}, ""},                                                // an unknown command
      {{"submit", "--kind", "comment", "--text", "x"}, "--source"},  // a required flag missing
      {{"admin", "audit", "--since", "last week"}, "--since"},
      {{"submit", "--source", "child", "--kind", "comment", "--text-file", "/no/such/file"},
       "--text-file"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrJoin(c.args, " "));
    const CommandResult result = Run(c.args);
    EXPECT_EQ(result.exit_code, kExitUsage) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.named));
    EXPECT_THAT(result.out, IsEmpty());
  }
}

TEST_F(CliExitCodes, TwoForATokenFileThatCannotBeRead) {
  const std::string missing = outbox_.Sub("no-such.token");
  const CommandResult result = RunCommand(
      {FEEDBACKCTL_PATH, "--server", server().address(), "--token-file", missing, "list"});
  EXPECT_EQ(result.exit_code, kExitUsage) << result.err;
  EXPECT_THAT(result.err, HasSubstr("--token-file"));
  EXPECT_THAT(result.err, HasSubstr(missing));
}

TEST_F(CliExitCodes, ThreeWhenTheServerRejectsTheInput) {
  std::vector<std::string> args = kCompliment;
  args[10] = "9";  // --rating 9
  ASSERT_EQ(args[9], "--rating");
  const CommandResult result = Run(args);
  EXPECT_EQ(result.exit_code, kExitInvalid) << result.err;
  EXPECT_THAT(result.err, HasSubstr("INVALID_ARGUMENT: feedback.rating"));
}

TEST_F(CliExitCodes, FourWhenNotFound) {
  const CommandResult result = Run({"get", "fb_00000000000000000000000000000000"});
  EXPECT_EQ(result.exit_code, kExitNotFound) << result.err;
}

TEST_F(CliExitCodes, FiveWhenASubmissionIdWasUsedForOtherContent) {
  const std::string id = "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
  std::vector<std::string> args = kCompliment;
  args.insert(args.end(), {"--submission-id", id});
  ASSERT_EQ(Run(args).exit_code, kExitOk);
  args[12] = "Something else";  // --text
  const CommandResult result = Run(args);
  EXPECT_EQ(result.exit_code, kExitConflict) << result.err;
}

TEST_F(CliExitCodes, SixWhenTheServerCannotBeReached) {
  const CommandResult result =
      RunCommand({FEEDBACKCTL_PATH, "--server", ClosedPortAddress(), "--token-file",
                  server().TokenFile(v1::ROLE_QA_MANAGER), "--timeout", "1", "get", "fb_0123"});
  EXPECT_EQ(result.exit_code, kExitUnavailable) << result.err;
}

TEST_F(CliExitCodes, SevenWhenNotAllowed) {
  const CommandResult result = Ctl(v1::ROLE_KIOSK, {"list"});
  EXPECT_EQ(result.exit_code, kExitDenied) << result.err;
  EXPECT_THAT(result.err, HasSubstr("PERMISSION_DENIED"));
}

using CliRateLimit = DeferredServerTest;

TEST_F(CliRateLimit, EightWhenOverTheRateLimit) {
  ASSERT_OK(
      StartServer({.flags = {"--rate-limit", absl::StrCat(RoleName(v1::ROLE_QA_MANAGER), "=1")}}));
  // One call a minute: the first is allowed, the next (a moment later) is not.
  const CommandResult first = Ctl(v1::ROLE_QA_MANAGER, {"list"});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  const CommandResult second = Ctl(v1::ROLE_QA_MANAGER, {"list"});
  EXPECT_EQ(second.exit_code, kExitRateLimited) << second.err;
  EXPECT_THAT(second.err, HasSubstr("rate limit"));
  EXPECT_EQ(kExitRateLimited, 8);
}

// A failure the table names no code for (here the server's DATA_LOSS on a damaged record).
TEST(CliOtherError, OneForAnythingElse) {
  TempDir dir;
  {
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir.Sub("data")});
    ASSERT_OK(store);
    std::vector<storage::WriteOp> ops;
    ops.push_back([](storage::Transaction& txn) {
      return txn.PutEntity("referral/ar_0123456789abcdef0123456789abcdef",
                           "\x0f this is not a protobuf message \xff\xfe");
    });
    const std::vector<absl::Status> committed = (*store)->Commit(std::move(ops));
    ASSERT_OK(committed.front());
  }
  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(dir.Sub("data"));
  ASSERT_OK(server);
  const CommandResult result = RunCommand((*server)->Ctl({"admin", "verify"}));
  EXPECT_EQ(result.exit_code, kExitFailure) << result.err;
  EXPECT_THAT(result.err, HasSubstr("DATA_LOSS"));
}

}  // namespace cli_exit_codes_e2e_test
}  // namespace
}  // namespace feedback::testing
