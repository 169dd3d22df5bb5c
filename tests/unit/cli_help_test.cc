// feedbackctl's help for a person: the closest word to a typo, and advice on errors.
#include <string>
#include <vector>

#include "client/cli/cli_advice.h"
#include "client/cli/cli_suggest.h"
#include "client/cli/exit_codes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace feedback::client {
namespace {
namespace cli_help_test {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ClosestWord, FindsTheWordATypoMeant) {
  const std::vector<std::string> commands = {"submit", "get", "list", "summary", "report"};
  EXPECT_EQ(ClosestWord("lsit", commands), "list");  // two letters swapped
  EXPECT_EQ(ClosestWord("sumary", commands), "summary");
  EXPECT_EQ(ClosestWord("--quater", {"--quarter", "--source", "--kind"}), "--quarter");
  EXPECT_EQ(ClosestWord("--servr", {"--server", "--json"}), "--server");
}

TEST(ClosestWord, SuggestsNothingForAWordFarFromAll) {
  EXPECT_EQ(ClosestWord("xyzzy", {"list", "get"}), "");
  EXPECT_EQ(ClosestWord("ab", {"get"}), "");  // a short word is not "close" to everything
  EXPECT_EQ(ClosestWord("list", {}), "");
}

TEST(AdviseOn, NoTokenSaysHowToGiveOne) {
  const absl::Status advised = AdviseOn(
      absl::UnauthenticatedError("authorization: missing; send 'authorization: Bearer <token>' "
                                 "(gRPC metadata or HTTP header)"),
      {.made = true, .server = "127.0.0.1:50051", .tls = false, .token = false});
  EXPECT_EQ(advised.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(advised.message()), HasSubstr("--token-file FILE"));
  EXPECT_THAT(std::string(advised.message()), HasSubstr("FEEDBACK_TOKEN"));
  EXPECT_THAT(std::string(advised.message()), HasSubstr("FEEDBACK_TOKEN_FILE"));
  EXPECT_THAT(std::string(advised.message()), Not(HasSubstr("metadata")));
}

TEST(AdviseOn, AWrongTokenIsLeftAsTheServerSaidIt) {
  const absl::Status unknown = absl::UnauthenticatedError("authorization: unknown token");
  EXPECT_EQ(
      AdviseOn(unknown, {.made = true, .server = "127.0.0.1:50051", .tls = false, .token = true}),
      unknown);
}

TEST(AdviseOn, PlainTextToATlsServerSuggestsTlsCa) {
  const absl::Status advised =
      AdviseOn(absl::UnavailableError("failed to connect to all addresses; last error: "
                                      "UNAVAILABLE: ipv4:127.0.0.1:50443: Socket closed"),
               {.made = true, .server = "localhost:50443", .tls = false, .token = true});
  EXPECT_EQ(advised.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(advised.message()), HasSubstr("--tls-ca"));
  EXPECT_THAT(std::string(advised.message()), HasSubstr("localhost:50443"));
}

TEST(AdviseOn, ARefusedConnectionIsNotBlamedOnTls) {
  const absl::Status refused = absl::UnavailableError(
      "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: Failed to "
      "connect to remote host: Connection refused");
  EXPECT_EQ(AdviseOn(refused, {.made = true, .server = "127.0.0.1:1", .tls = false, .token = true}),
            refused);
}

TEST(AdviseOn, KeepsAUsageErrorsMark) {
  const absl::Status usage = AsUsageError(absl::UnauthenticatedError("x"));
  EXPECT_TRUE(IsUsageError(
      AdviseOn(usage, {.made = true, .server = "127.0.0.1:50051", .tls = false, .token = false})));
}

}  // namespace cli_help_test
}  // namespace
}  // namespace feedback::client
