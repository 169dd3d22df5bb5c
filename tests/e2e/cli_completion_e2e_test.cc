// `feedbackctl completion bash`: a valid bash script, made from feedbackctl's own definitions,
// that completes commands and flags.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace cli_completion_e2e_test {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

class CliCompletion : public ::testing::Test {
 protected:
  void SetUp() override {
    const CommandResult printed = RunCommand({FEEDBACKCTL_PATH, "completion", "bash"});
    ASSERT_EQ(printed.exit_code, 0) << printed.err;
    std::ofstream(script_) << printed.out;
  }

  // What bash completes for the command line `words` (the last one being typed), through the
  // script's completion function, as bash would call it.
  std::vector<std::string> Complete(const std::vector<std::string>& words) {
    std::vector<std::string> quoted;
    for (const std::string& word : words) quoted.push_back(absl::StrCat("'", word, "'"));
    const std::string program =
        absl::StrCat("source '", script_, "' && COMP_WORDS=(", absl::StrJoin(quoted, " "),
                     ") && COMP_CWORD=", words.size() - 1,
                     " && _feedbackctl && printf '%s\\n' \"${COMPREPLY[@]}\"");
    const CommandResult result = RunCommand({"bash", "--norc", "-c", program});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return absl::StrSplit(result.out, '\n', absl::SkipEmpty());
  }

  TempDir dir_;
  const std::string script_ = dir_.Sub("feedbackctl.bash");
};

TEST_F(CliCompletion, TheScriptIsValidBash) {
  const CommandResult checked = RunCommand({"bash", "-n", script_});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
}

TEST_F(CliCompletion, CompletesACommand) {
  EXPECT_THAT(Complete({"feedbackctl", "summ"}), ElementsAre("summary"));
  EXPECT_THAT(Complete({"feedbackctl", "admin", "tok"}), ElementsAre("token"));
  EXPECT_THAT(Complete({"feedbackctl", "admin", "token", "rev"}), ElementsAre("revoke"));
  // After a global flag and its value.
  EXPECT_THAT(Complete({"feedbackctl", "--server", "localhost:50443", "summ"}),
              ElementsAre("summary"));
  EXPECT_THAT(Complete({"feedbackctl", ""}), Contains("completion"));
}

TEST_F(CliCompletion, CompletesAFlagOfTheCommandAndTheGlobalOnes) {
  EXPECT_THAT(Complete({"feedbackctl", "list", "--qua"}), ElementsAre("--quarter"));
  EXPECT_THAT(Complete({"feedbackctl", "summary", "--quarter", "2018-19Q3", "--js"}),
              ElementsAre("--json"));
  EXPECT_THAT(Complete({"feedbackctl", "admin", "token", "issue", "--ro"}), ElementsAre("--role"));
  // A flag of another command is not offered.
  EXPECT_THAT(Complete({"feedbackctl", "get", "--qua"}), IsEmpty());
  EXPECT_THAT(Complete({"feedbackctl", "list", "--"}), Not(Contains("--role")));
}

}  // namespace cli_completion_e2e_test
}  // namespace
}  // namespace feedback::testing
