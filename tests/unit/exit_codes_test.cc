// feedbackctl's exit codes: one table (client/cli/exit_codes.h) that the README and --help show.
#include "client/cli/exit_codes.h"

#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace feedback::client {
namespace {
namespace exit_codes_test {

using ::testing::HasSubstr;

// The README with every run of white space made one space.
std::string ReadmeOnOneLine() {
  std::ifstream in(FEEDBACK_SOURCE_DIR "/README.md");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return absl::StrJoin(absl::StrSplit(text, absl::ByAnyChar(" \n\t"), absl::SkipEmpty()), " ");
}

// Its "Exit codes" table: a row "| `N` | meaning" for each code.
TEST(ExitCodes, TheReadmeDocumentsEveryCodeAsTheTableDoes) {
  const std::string readme = ReadmeOnOneLine();
  ASSERT_FALSE(readme.empty());
  for (const ExitCodeMeaning& entry : kExitCodes) {
    EXPECT_THAT(readme, HasSubstr(absl::StrCat("| `", static_cast<int>(entry.code), "` | ",
                                               entry.meaning)));
  }
}

TEST(ExitCodes, HelpListsEveryCode) {
  const std::string help = ExitCodesHelp();
  for (const ExitCodeMeaning& entry : kExitCodes) {
    EXPECT_THAT(help, HasSubstr(absl::StrCat(static_cast<int>(entry.code), "  ", entry.meaning)));
  }
}

TEST(ExitCodes, AUsageErrorIsTwoAndTheServersRefusalThree) {
  EXPECT_EQ(ExitCodeFor(UsageError("--quarter: bad")), kExitUsage);
  EXPECT_EQ(ExitCodeFor(absl::InvalidArgumentError("feedback.rating: 9")), kExitInvalid);
  EXPECT_EQ(ExitCodeFor(AsUsageError(absl::InvalidArgumentError("--meeting: x"))), kExitUsage);
  EXPECT_EQ(ExitCodeFor(AsUsageError(absl::OkStatus())), kExitOk);
  EXPECT_EQ(UsageError("--quarter: bad").message(), "--quarter: bad");
}

TEST(ExitCodes, RateLimitedHasItsOwnCode) {
  EXPECT_EQ(ExitCodeFor(absl::ResourceExhaustedError("rate limit")), kExitRateLimited);
  EXPECT_EQ(static_cast<int>(kExitRateLimited), 8);
}

}  // namespace exit_codes_test
}  // namespace
}  // namespace feedback::client
