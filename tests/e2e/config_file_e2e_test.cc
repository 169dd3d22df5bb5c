// feedbackd's TOML configuration file through the real binary: the documented example checks
// clean, a mistake is named by its line, the file's settings take effect, and a flag on the
// command line wins over the file.
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace config_file_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.Sub(name);
  std::ofstream(path) << text;
  return path;
}

CommandResult CheckConfig(const std::string& path) {
  return RunCommand({FEEDBACKD_PATH, "--check-config", path});
}

TEST(ConfigFile, TheDocumentedExampleIsValid) {
  TempDir dir;
  std::ifstream example(std::string(FEEDBACK_SOURCE_DIR) + "/deploy/config/feedbackd.toml");
  ASSERT_TRUE(example.good());
  std::string text((std::istreambuf_iterator<char>(example)), std::istreambuf_iterator<char>());
  // Its policy file is where this repository keeps it, not where a council would.
  text = absl::StrReplaceAll(text,
                             {{"/etc/feedbackd/retention.txt",
                               std::string(FEEDBACK_SOURCE_DIR) + "/deploy/config/retention.txt"}});
  const CommandResult checked = CheckConfig(Write(dir, "feedbackd.toml", text));
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_THAT(checked.out, HasSubstr("all valid"));
}

TEST(ConfigFile, EachMistakeIsNamedByItsLine) {
  TempDir dir;
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"listen = \"127.0.0.1:0\"\nlisten_port = 3\n",
       "bad.toml:2: \"listen_port\" is not a setting"},
      {"# policies\n\nretention = \"/no/such/file\"\n",
       "bad.toml:3: --retention: File does not exist"},
      {"[rate_limit]\nkiosk = 30\nchild = 4\n", "bad.toml:3: --rate-limit: unknown role \"child\""},
      {"allow_insecure = 3\n", "bad.toml:1: allow_insecure: expected true or false"},
      {"data_dir = [\n", "bad.toml:1: not TOML"},
      {"restore_from = \"/var/backups/feedbackd\"\n",
       "bad.toml:1: \"restore_from\" is not a setting a file may hold"},
  };
  for (const Case& mistake : cases) {
    SCOPED_TRACE(mistake.text);
    const CommandResult checked = CheckConfig(Write(dir, "bad.toml", mistake.text));
    EXPECT_EQ(checked.exit_code, 2);
    EXPECT_THAT(checked.err, HasSubstr(mistake.expected));
    // A start with the same file refuses just as clearly, and never serves.
    const CommandResult started =
        RunCommand({FEEDBACKD_PATH, "--config", dir.Sub("bad.toml"), "--data-dir", dir.Sub("s")});
    EXPECT_NE(started.exit_code, 0);
    EXPECT_THAT(started.err, Not(HasSubstr("listening on")));
  }
}

using ConfigFileServerTest = DeferredServerTest;

TEST_F(ConfigFileServerTest, TheFilesSettingsTakeEffectAndTheCommandLineWins) {
  ASSERT_OK(StartServer({.files = {{"--config",
                                    "council_name = \"Testshire County Council\"\n"
                                    "division_title = \"From the file\"\n"}},
                         .flags = {"--division-title", "From the command line"}}));
  grpc::ClientContext context;
  v1::GetNarrativeRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  v1::GetNarrativeResponse response;
  const grpc::Status status = stub().GetNarrative(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.council_name(), "Testshire County Council");
  EXPECT_EQ(response.division_title(), "From the command line");
}

}  // namespace config_file_e2e_test
}  // namespace
}  // namespace feedback::testing
