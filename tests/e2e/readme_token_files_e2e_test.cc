// Issue 12: the token files the README's own commands write are readable only by their owner.
// The README's console lines that issue a token are run as written (under the usual umask 022,
// against a real feedbackd), and the files they leave are checked; a README line that writes a
// token with a plain shell redirection (`... | tail -n 1 > var/qa.token`, mode 0644) fails too.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace readme_token_files_e2e_test {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The README's console commands ("$ ..." lines), without the "$ ".
std::vector<std::string> ReadmeCommands() {
  std::vector<std::string> commands;
  for (const absl::string_view line :
       absl::StrSplit(ReadFile(std::string(FEEDBACK_SOURCE_DIR) + "/README.md"), '\n')) {
    if (absl::StartsWith(line, "$ ")) commands.emplace_back(line.substr(2));
  }
  return commands;
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 ? (info.st_mode & 0777) : 0;
}

TEST(ReadmeTokenFiles, NoReadmeCommandWritesATokenWithAPlainRedirection) {
  const std::vector<std::string> commands = ReadmeCommands();
  ASSERT_FALSE(commands.empty()) << "no console commands found in README.md";
  // "> FILE.token" or ">> FILE.token" outside a `(umask 077; ...)`.
  const std::regex redirect(R"(>>?\s*\S*\.token\b)");
  for (const std::string& command : commands) {
    if (!std::regex_search(command, redirect)) continue;
    EXPECT_THAT(command, ::testing::HasSubstr("umask 077"))
        << "this README command writes a token file readable by others: " << command;
  }
}

using ReadmeTokenCommands = ServerTest;

TEST_F(ReadmeTokenCommands, LeaveTokenFilesOnlyTheirOwnerCanRead) {
  // Where the README runs: a checkout with var/admin.token from deploy/run.
  const std::string var = dir().Sub("var");
  std::filesystem::create_directories(var);
  std::filesystem::copy_file(server().TokenFile(v1::ROLE_ADMIN), var + "/admin.token");

  const std::regex out_flag(R"(--out\s+(\S+))");
  int issued = 0;
  for (const std::string& command : ReadmeCommands()) {
    if (command.find("admin token issue") == std::string::npos) continue;
    std::smatch out_match;
    ASSERT_TRUE(std::regex_search(command, out_match, out_flag))
        << "a README command issues a token without --out FILE (mode 600): " << command;
    const std::string out = out_match[1].str();
    // As a newcomer pastes it, with the usual umask; feedbackctl on PATH, at this test's server.
    const CommandResult result = RunCommand(
        {"/bin/sh", "-c",
         absl::StrCat("umask 022 && cd '", dir().path().string(), "' && export PATH='",
                      std::filesystem::path(FEEDBACKCTL_PATH).parent_path().string(),
                      "':\"$PATH\" FEEDBACK_SERVER=", server().address(), " && ", command)});
    ASSERT_EQ(result.exit_code, 0) << command << "\n" << result.err;
    const std::string path = dir().Sub(out);
    EXPECT_EQ(ModeOf(path), 0600u) << command;
    EXPECT_THAT(ReadFile(path), ::testing::MatchesRegex("fbk_[0-9a-f]{64}\n")) << command;
    ++issued;
  }
  EXPECT_GE(issued, 2) << "the README's token commands were not found";
}

}  // namespace readme_token_files_e2e_test
}  // namespace
}  // namespace feedback::testing
