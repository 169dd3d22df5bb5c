// feedbackctl's errors for a person: each names what went wrong and says what to do instead.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace cli_errors_e2e_test {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr int kExitUsage = 2;        // client/cli/exit_codes.h
constexpr int kExitUnavailable = 6;  // client/cli/exit_codes.h
constexpr int kExitDenied = 7;       // client/cli/exit_codes.h

class CliErrors : public SharedServerSuite {};

TEST_F(CliErrors, NoTokenSaysHowToGiveOne) {
  const CommandResult result =
      RunCommand({"env", "-u", "FEEDBACK_TOKEN", "-u", "FEEDBACK_TOKEN_FILE", FEEDBACKCTL_PATH,
                  "--server", server().address(), "list"});
  EXPECT_EQ(result.exit_code, kExitDenied) << result.err;
  EXPECT_THAT(result.err, HasSubstr("--token-file FILE"));
  EXPECT_THAT(result.err, HasSubstr("FEEDBACK_TOKEN_FILE"));
  EXPECT_THAT(result.err, HasSubstr("FEEDBACK_TOKEN "));
  EXPECT_THAT(result.err, Not(HasSubstr("metadata")));
  EXPECT_THAT(result.out, IsEmpty());
}

// A typo names the word and suggests the closest flag or command, wherever it is.
TEST_F(CliErrors, ATypoIsNamedWithTheClosestValidWord) {
  struct Case {
    std::vector<std::string> args;
    std::string typo;
    std::string suggestion;
  };
  const std::vector<Case> cases = {
      {{"list", "--quater", "2018-19Q3"}, "--quater", "did you mean --quarter?"},
      {{"list", "--quater=2018-19Q3"}, "--quater", "did you mean --quarter?"},
      {{"lsit"}, "\"lsit\"", "did you mean list?"},
      {{"summary", "--quarter", "2018-19Q3", "--jsno"}, "--jsno", "did you mean --json?"},
      {{"admin", "tokn", "list"}, "\"tokn\"", "did you mean token?"},
      {{"complaint", "lst"}, "\"lst\"", "did you mean list?"},
  };
  for (const Case& c : cases) {
    const CommandResult result = Ctl(c.args);
    SCOPED_TRACE(result.err);
    EXPECT_EQ(result.exit_code, kExitUsage);
    EXPECT_THAT(result.err, HasSubstr(c.typo));
    EXPECT_THAT(result.err, HasSubstr(c.suggestion));
    EXPECT_THAT(result.out, IsEmpty());
  }
  // Nothing close: the word is named, and where the list is.
  const CommandResult far = Ctl({"xyzzy"});
  EXPECT_EQ(far.exit_code, kExitUsage);
  EXPECT_THAT(far.err, HasSubstr("\"xyzzy\""));
  EXPECT_THAT(far.err, Not(HasSubstr("did you mean")));
  EXPECT_THAT(far.err, HasSubstr("--help"));
}

TEST_F(CliErrors, AuditHelpSaysWhatItPrints) {
  ASSERT_EQ(Ctl({"list"}).exit_code, 0);  // something to audit: a read
  const CommandResult help = Ctl({"admin", "audit", "--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_THAT(help.out, HasSubstr("one line an entry"));
  EXPECT_THAT(help.out, HasSubstr("--json: one JSON object a line"));

  const CommandResult text = Ctl({"admin", "audit"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  const std::vector<std::string> lines = absl::StrSplit(text.out, '\n', absl::SkipEmpty());
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) EXPECT_NE(line.front(), '{') << line;

  const CommandResult json = Ctl({"admin", "audit", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::vector<std::string> objects = absl::StrSplit(json.out, '\n', absl::SkipEmpty());
  EXPECT_EQ(objects.size(), lines.size());
  for (const std::string& object : objects) {
    v1::AuditEntry entry;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(object, &entry).ok()) << object;
    EXPECT_FALSE(entry.action().empty()) << object;
  }
}

using CliTlsErrors = DeferredServerTest;

TEST_F(CliTlsErrors, PlainTextToATlsServerSuggestsTlsCa) {
  ASSERT_OK(StartServer({.tls = true}));
  const CommandResult result =
      Ctl(v1::ROLE_REPORTER, {"--timeout", "5", "summary", "--quarter", "2018-19Q3"});
  EXPECT_EQ(result.exit_code, kExitUnavailable) << result.err;
  EXPECT_THAT(result.err, HasSubstr("--tls-ca"));
  EXPECT_THAT(result.err, HasSubstr(server().address()));
}

TEST_F(CliTlsErrors, TlsToAPlainTextServerSaysToLeaveOutTlsCa) {
  ASSERT_OK(MakeTestCertificates(dir()));
  ASSERT_OK(StartServer());
  const CommandResult result =
      Ctl(v1::ROLE_REPORTER,
          {"--timeout", "5", "--tls-ca", TlsFile("ca.pem"), "summary", "--quarter", "2018-19Q3"});
  EXPECT_EQ(result.exit_code, kExitUnavailable) << result.err;
  EXPECT_THAT(result.err, HasSubstr("leave out --tls-ca"));
}

}  // namespace cli_errors_e2e_test
}  // namespace
}  // namespace feedback::testing
