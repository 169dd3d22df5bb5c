// feedbackctl's global flags where people put them: before or after the command, or in the
// environment (FEEDBACK_SERVER, FEEDBACK_TOKEN_FILE, FEEDBACK_TOKEN), a flag beating its variable.
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace cli_flags_e2e_test {

using ::testing::HasSubstr;

// Runs feedbackctl with exactly `args` (no flags added) in an environment where none of
// feedbackctl's variables is set except `env` ("NAME=value" each).
CommandResult RunWithEnvironment(const std::vector<std::string>& env,
                                 const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "env", "-u", "FEEDBACK_SERVER", "-u", "FEEDBACK_TOKEN", "-u", "FEEDBACK_TOKEN_FILE"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(FEEDBACKCTL_PATH);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

// The quarter `result` printed as --json, or a test failure.
void ExpectJsonSummaryOf2018Q3(const CommandResult& result) {
  ASSERT_EQ(result.exit_code, 0) << result.err;
  v1::QuarterSummary summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &summary).ok()) << result.out;
  EXPECT_EQ(summary.financial_year(), 2018);
  EXPECT_EQ(summary.quarter(), 3);
}

class CliGlobalFlags : public SharedServerSuite {
 protected:
  static std::string ReporterTokenFile() { return server().TokenFile(v1::ROLE_REPORTER); }
};

TEST_F(CliGlobalFlags, AreAcceptedAfterTheCommand) {
  ExpectJsonSummaryOf2018Q3(
      RunWithEnvironment({}, {"summary", "--quarter", "2018-19Q3", "--server", server().address(),
                              "--token-file", ReporterTokenFile(), "--json"}));
}

TEST_F(CliGlobalFlags, AreAcceptedBeforeAndAfterTheCommandTogether) {
  ExpectJsonSummaryOf2018Q3(
      RunWithEnvironment({}, {"--server", server().address(), "summary", "--json", "--quarter",
                              "2018-19Q3", "--token-file", ReporterTokenFile()}));
}

TEST_F(CliGlobalFlags, ComeFromTheEnvironment) {
  ExpectJsonSummaryOf2018Q3(RunWithEnvironment(
      {"FEEDBACK_SERVER=" + server().address(), "FEEDBACK_TOKEN_FILE=" + ReporterTokenFile()},
      {"summary", "--quarter", "2018-19Q3", "--json"}));
}

TEST_F(CliGlobalFlags, FeedbackTokenStillWorksAlone) {
  ExpectJsonSummaryOf2018Q3(
      RunWithEnvironment({"FEEDBACK_SERVER=" + server().address(),
                          "FEEDBACK_TOKEN=" + server().token(v1::ROLE_REPORTER)},
                         {"summary", "--quarter", "2018-19Q3", "--json"}));
}

TEST_F(CliGlobalFlags, AFlagBeatsItsEnvironmentVariable) {
  // The variables point at nothing useful; the flags, wherever they are, win.
  ExpectJsonSummaryOf2018Q3(RunWithEnvironment(
      {"FEEDBACK_SERVER=" + ClosedPortAddress(),
       "FEEDBACK_TOKEN_FILE=" + server().TokenFile(v1::ROLE_REPORTER) + ".missing"},
      {"summary", "--quarter", "2018-19Q3", "--json", "--server", server().address(),
       "--token-file", ReporterTokenFile()}));
}

TEST_F(CliGlobalFlags, ATokenFileBeatsFeedbackToken) {
  ExpectJsonSummaryOf2018Q3(RunWithEnvironment(
      {"FEEDBACK_SERVER=" + server().address(), "FEEDBACK_TOKEN_FILE=" + ReporterTokenFile(),
       "FEEDBACK_TOKEN=not-a-token"},
      {"summary", "--quarter", "2018-19Q3", "--json"}));
}

TEST_F(CliGlobalFlags, AnUnreadableTokenFileFromTheEnvironmentIsNamed) {
  const std::string missing = server().TokenFile(v1::ROLE_REPORTER) + ".missing";
  const CommandResult result = RunWithEnvironment(
      {"FEEDBACK_SERVER=" + server().address(), "FEEDBACK_TOKEN_FILE=" + missing},
      {"summary", "--quarter", "2018-19Q3"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("FEEDBACK_TOKEN_FILE"));
  EXPECT_THAT(result.err, HasSubstr(missing));
  EXPECT_TRUE(result.out.empty()) << result.out;
}

TEST_F(CliGlobalFlags, HelpExplainsWhereTheyMayGoAndTheirPrecedence) {
  const CommandResult help = RunWithEnvironment({}, {"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_THAT(help.out, HasSubstr("before or after the command"));
  EXPECT_THAT(help.out, HasSubstr("FEEDBACK_SERVER"));
  EXPECT_THAT(help.out, HasSubstr("FEEDBACK_TOKEN_FILE"));
  EXPECT_THAT(help.out, HasSubstr("FEEDBACK_TOKEN"));
}

}  // namespace cli_flags_e2e_test
}  // namespace
}  // namespace feedback::testing
