// Issue 12: the README is executable. Its console examples are run, in order, against a fresh
// feedbackd, and each command's output must be what the README shows under it.
//
// How README.md is read (keep the README to these rules):
// - Run: the fenced blocks opened with ```console. In them a line "$ COMMAND" is a command; a
//   command whose line ends with "\" goes on over the next lines (as bash reads it). The lines
//   after a command, up to the next "$ " or the block's end, are what it prints (stdout and
//   stderr, each in its own order). A command shown with no lines under it must print nothing.
// - Not run: every other block. Commands that install packages, need root, start a server or
//   wait for Ctrl-C (deploy/run, deploy/test, a second server for TLS, `alerts watch`) are
//   written in ```sh blocks, without "$ ": a reader pastes them as they are.
// - Exit status: a command must exit 0, unless its line ends with a comment "# exit N", which
//   the test checks (and a reader sees, with the error text shown under it).
// - Placeholders: a line "..." stands for any number of lines; "..." inside a line for any text.
//   What changes from run to run is matched by pattern, so the README shows real-looking values:
//   UUIDs, ids (fb_, ar_, tok_, tn_ and hex), token secrets (fbk_ and 64 hex digits), kiosk
//   enrolment codes (ABCD-EFGH), loopback ports, and dates and times from 2020 on (the moment a
//   command ran: received, expiry, audit). The examples' own dates (2018) must match exactly.
// - Where: a fresh temporary folder laid out like a checkout after deploy/run: build/ is this
//   build, deploy/ the repository's, and feedbackd serves the store var/feedback-data, whose
//   "local admin" token was issued into var/admin.token first, as deploy/run does. The
//   build's feedbackctl and feedbackd come first on PATH; FEEDBACK_SERVER points at the test's
//   server, and deploy/run's addresses in commands (127.0.0.1:50051, 127.0.0.1:8080) are replaced
//   by the test server's gRPC and HTTP addresses. One bash runs every command, so variables set
//   by one command (C=..., export FEEDBACK_TOKEN_FILE=...) hold for the next.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace readme_e2e_test {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string Readme() { return ReadFile(std::string(FEEDBACK_SOURCE_DIR) + "/README.md"); }

// One "$ " command of a ```console block and what the README shows under it.
struct Example {
  int line = 0;                       // README line of the "$ "
  std::string command;                // without the "$ ", continuation lines joined with "\n"
  int exit_code = 0;                  // from a trailing "# exit N"
  std::vector<std::string> expected;  // the lines shown under it
};

std::vector<Example> ParseReadme(const std::string& text) {
  std::vector<Example> examples;
  const std::regex exit_comment(R"(#.*\bexit (\d+)\s*$)");
  bool in_console = false;
  bool in_other_block = false;
  bool continues = false;  // the last command line ended with "\"
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    if (absl::StartsWith(line, "```")) {
      if (in_console || in_other_block) {
        in_console = in_other_block = false;
      } else if (line == "```console") {
        in_console = true;
      } else {
        in_other_block = true;
      }
      continues = false;
      continue;
    }
    if (!in_console) continue;
    if (continues) {
      absl::StrAppend(&examples.back().command, "\n", line);
      continues = absl::EndsWith(line, "\\");
    } else if (absl::StartsWith(line, "$ ")) {
      examples.push_back(
          {.line = number, .command = std::string(line.substr(2)), .exit_code = 0, .expected = {}});
      continues = absl::EndsWith(line, "\\");
    } else if (!examples.empty()) {
      examples.back().expected.emplace_back(line);
    }
    if (!continues && !examples.empty() && examples.back().expected.empty()) {
      const std::string& command = examples.back().command;
      const std::string last_line = command.substr(command.rfind('\n') + 1);
      std::smatch match;
      if (std::regex_search(last_line, match, exit_comment)) {
        examples.back().exit_code = std::stoi(match[1].str());
      }
    }
  }
  return examples;
}

// Replaces what changes from run to run with a fixed word (see the file comment).
std::string Normalize(std::string line) {
  static const auto* const kPatterns = new std::vector<std::pair<std::regex, std::string>>{
      {std::regex(R"(fbk_[0-9a-f]{64})"), "fbk_<secret>"},
      {std::regex(R"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"), "<uuid>"},
      {std::regex(R"(\b(fb|ar|tok|tn)_[0-9a-f]{6,}\b)"), "$1_<id>"},
      {std::regex(R"(\b[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}\b)"), "<code>"},
      {std::regex(R"((127\.0\.0\.1|localhost):\d+)"), "$1:<port>"},
      // A date from 2020 on, with its time of day and zone if given: when the command ran.
      {std::regex(
           R"(\b20[2-9]\d-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z| ?[A-Z]{3,4}|[+-]\d\d:\d\d)?)?)"),
       "<time>"},
      {std::regex(
           R"(\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ 20[2-9]\d\b)"),
       "<date>"},
      {std::regex(R"(\b\d\d:\d\d on <date>)"), "<hh:mm> on <date>"},
  };
  for (const auto& [pattern, replacement] : *kPatterns) {
    line = std::regex_replace(line, pattern, replacement);
  }
  return line;
}

// Whether `actual` matches `expected`, where "..." in `expected` stands for any text.
bool LineMatches(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> parts = absl::StrSplit(Normalize(expected), "...");
  const std::string text = Normalize(actual);
  if (parts.size() == 1) return parts[0] == text;
  if (!absl::StartsWith(text, parts.front()) || !absl::EndsWith(text, parts.back())) return false;
  if (parts.front().size() + parts.back().size() > text.size()) return false;
  size_t at = parts.front().size();
  const size_t end = text.size() - parts.back().size();
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    const size_t found = text.find(parts[i], at);
    if (found == std::string::npos || found + parts[i].size() > end) return false;
    at = found + parts[i].size();
  }
  return true;
}

std::vector<std::string> Lines(const std::string& text) {
  if (text.empty()) return {};
  std::vector<std::string> lines = absl::StrSplit(absl::StripSuffix(text, "\n"), '\n');
  return lines;
}

// Whether the expected lines can be read as stdout's and stderr's lines, interleaved, each
// stream in its own order (a terminal shows them as they are written; captured apart, only each
// one's order is known), with "..." lines standing for any number of lines.
bool OutputMatches(const std::vector<std::string>& expected, const std::vector<std::string>& out,
                   const std::vector<std::string>& err) {
  // memo[i][j][k]: expected[i..] matches out[j..] and err[k..]; 0 unknown, 1 no, 2 yes.
  std::vector<std::vector<std::vector<char>>> memo(
      expected.size() + 1,
      std::vector<std::vector<char>>(out.size() + 1, std::vector<char>(err.size() + 1, 0)));
  std::function<bool(size_t, size_t, size_t)> match = [&](size_t i, size_t j, size_t k) -> bool {
    char& known = memo[i][j][k];
    if (known != 0) return known == 2;
    bool result = false;
    if (i == expected.size()) {
      result = j == out.size() && k == err.size();
    } else if (expected[i] == "...") {
      result = match(i + 1, j, k) || (j < out.size() && match(i, j + 1, k)) ||
               (k < err.size() && match(i, j, k + 1));
    } else {
      result = (j < out.size() && LineMatches(expected[i], out[j]) && match(i + 1, j + 1, k)) ||
               (k < err.size() && LineMatches(expected[i], err[k]) && match(i + 1, j, k + 1));
    }
    known = result ? 2 : 1;
    return result;
  };
  return match(0, 0, 0);
}

// What one command did.
struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The first example whose outcome differs from what the README shows, described for a person;
// empty if all match. `outcomes` may be shorter than `examples` (the run stopped).
std::string FirstMismatch(const std::vector<Example>& examples,
                          const std::vector<Outcome>& outcomes) {
  for (size_t i = 0; i < examples.size(); ++i) {
    const Example& example = examples[i];
    const std::string where = absl::StrCat("README.md:", example.line, ": $ ", example.command);
    if (i >= outcomes.size()) return absl::StrCat(where, "\n  did not run (the run stopped)");
    const Outcome& outcome = outcomes[i];
    const std::string shown =
        absl::StrCat("\n  exit ", outcome.exit_code, "\n  stdout:\n    ",
                     absl::StrJoin(Lines(outcome.out), "\n    "), "\n  stderr:\n    ",
                     absl::StrJoin(Lines(outcome.err), "\n    "), "\n  the README shows:\n    ",
                     absl::StrJoin(example.expected, "\n    "));
    if (outcome.exit_code != example.exit_code) {
      return absl::StrCat(where, "\n  exited ", outcome.exit_code, ", the README expects ",
                          example.exit_code,
                          example.exit_code == 0 ? "" : " (its \"# exit N\" comment)", shown);
    }
    if (!OutputMatches(example.expected, Lines(outcome.out), Lines(outcome.err))) {
      return absl::StrCat(where, "\n  printed something other than the README shows", shown);
    }
  }
  return "";
}

// The bash script that runs every example in `work`, leaving each one's output in
// `work`/.readme/N.{out,err,rc}.
std::string Script(const std::vector<Example>& examples, const std::string& grpc_address,
                   const std::string& http_address) {
  std::string script = "exec </dev/null\n";
  for (size_t i = 0; i < examples.size(); ++i) {
    const std::string command = absl::StrReplaceAll(
        examples[i].command, {{"127.0.0.1:50051", grpc_address}, {"127.0.0.1:8080", http_address}});
    absl::StrAppend(&script, "{ ", command, "\n} >.readme/", i, ".out 2>.readme/", i,
                    ".err\necho $? >.readme/", i, ".rc\n");
  }
  return script;
}

TEST(ReadmeParser, ReadsCommandsOutputAndExpectedExit) {
  const std::vector<Example> examples = ParseReadme(
      "text\n```sh\ndeploy/run\n```\n```console\n$ a \\\n    --b\nout 1\n...\n$ c  # exit 3\n"
      "feedbackctl: no\n$ d\n```\n$ not a command\n");
  ASSERT_EQ(examples.size(), 3u);
  EXPECT_EQ(examples[0].line, 6);
  EXPECT_EQ(examples[0].command, "a \\\n    --b");
  EXPECT_THAT(examples[0].expected, ::testing::ElementsAre("out 1", "..."));
  EXPECT_EQ(examples[0].exit_code, 0);
  EXPECT_EQ(examples[1].exit_code, 3);
  EXPECT_THAT(examples[1].expected, ::testing::ElementsAre("feedbackctl: no"));
  EXPECT_TRUE(examples[2].expected.empty());
}

TEST(ReadmeMatcher, MatchesVolatileValuesByPatternAndTheRestExactly) {
  EXPECT_TRUE(
      LineMatches("fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a", "fb_0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(LineMatches("stored (submission 4b3f0d8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b)",
                          "stored (submission 00000000-1111-4222-8333-444444444444)"));
  EXPECT_TRUE(LineMatches("expires 2027-12-02", "expires 2027-12-03"));
  EXPECT_TRUE(LineMatches("listening on 127.0.0.1:50051", "listening on 127.0.0.1:41234"));
  EXPECT_TRUE(LineMatches("id: fb_..., rating 5", "id: fb_12, rating 5"));
  EXPECT_FALSE(
      LineMatches("2018-11-14 10:30:00 GMT  compliment", "2018-11-15 10:30:00 GMT  compliment"));
  EXPECT_FALSE(LineMatches("5/5", "4/5"));
  EXPECT_FALSE(LineMatches("a...b", "ab-"));
  EXPECT_TRUE(OutputMatches({"one", "...", "four"}, {"one", "two", "four"}, {"three"}));
  EXPECT_TRUE(OutputMatches({"err", "out"}, {"out"}, {"err"}));
  EXPECT_FALSE(OutputMatches({"out"}, {"out", "more"}, {}));  // nothing unshown
  EXPECT_FALSE(OutputMatches({}, {}, {"a warning"}));         // nothing shown: nothing printed
}

// feedbackd as deploy/run starts it, on a fresh store (with a "local admin" token issued offline
// first, into var/admin.token) and loopback ports of its own; SIGKILLed at the end.
class DeployRunServer {
 public:
  DeployRunServer() = default;
  DeployRunServer(const DeployRunServer&) = delete;
  DeployRunServer& operator=(const DeployRunServer&) = delete;

  // Starts it in `checkout` (var/feedback-data); returns once it printed its ready line.
  // REQUIRES: checkout/var exists.
  absl::Status Start(const std::string& checkout) {
    const CommandResult issued = RunCommand(
        {"/bin/sh", "-c",
         absl::StrCat("umask 077 && cd '", checkout, "' && '", FEEDBACKD_PATH,
                      "' admin token issue --role admin --device 'local admin' --data-dir "
                      "var/feedback-data --out var/admin.token")});
    if (issued.exit_code != 0) return absl::InternalError("admin token issue: " + issued.err);
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
    pid_ = fork();
    if (pid_ < 0) return absl::InternalError("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      dup2(out[1], STDERR_FILENO);
      execl(FEEDBACKD_PATH, FEEDBACKD_PATH, "--listen", "127.0.0.1:0", "--http-listen",
            "127.0.0.1:0", "--data-dir", (checkout + "/var/feedback-data").c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    // "feedbackd: http on HOST:PORT, ..." then "feedbackd: listening on HOST:PORT, ...". A
    // blocking read: the pipe closes if feedbackd exits first.
    output_fd_ = out[0];
    std::string output;
    const std::regex http(R"(http on (\S+),)");
    const std::regex grpc(R"(listening on (\S+),)");
    std::smatch match;
    while (!std::regex_search(output, match, grpc)) {
      char buffer[512];
      const ssize_t n = read(output_fd_, buffer, sizeof buffer);
      if (n <= 0) return absl::InternalError("feedbackd exited before it was ready: " + output);
      output.append(buffer, static_cast<size_t>(n));
    }
    grpc_address_ = match[1].str();
    if (std::regex_search(output, match, http)) http_address_ = match[1].str();
    return absl::OkStatus();
  }
  ~DeployRunServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (output_fd_ >= 0) close(output_fd_);
  }
  const std::string& grpc_address() const { return grpc_address_; }
  const std::string& http_address() const { return http_address_; }

 private:
  pid_t pid_ = -1;
  int output_fd_ = -1;
  std::string grpc_address_;
  std::string http_address_;
};

TEST(Readme, ExamplesRunAsShown) {
  const std::string readme = Readme();
  const std::vector<Example> examples = ParseReadme(readme);
  ASSERT_GE(examples.size(), 20u) << "README.md has too few console examples to be a walk-through";

  // A folder like a checkout after deploy/run.
  const TempDir dir;
  const std::string work = dir.Sub("checkout");
  std::filesystem::create_directories(work + "/var");
  std::filesystem::create_directories(work + "/.readme");
  const std::filesystem::path build =
      std::filesystem::path(FEEDBACKCTL_PATH).parent_path().parent_path();
  std::filesystem::create_directory_symlink(build, work + "/build");
  std::filesystem::create_directory_symlink(std::string(FEEDBACK_SOURCE_DIR) + "/deploy",
                                            work + "/deploy");
  DeployRunServer server;
  ASSERT_OK(server.Start(work));
  std::ofstream(work + "/.readme/run.sh")
      << Script(examples, server.grpc_address(), server.http_address());

  const std::string path = absl::StrCat(
      std::filesystem::path(FEEDBACKCTL_PATH).parent_path().string(), ":",
      std::filesystem::path(FEEDBACKD_PATH).parent_path().string(), ":", getenv("PATH"));
  const CommandResult run =
      RunCommand({"/usr/bin/env", "-i", "PATH=" + path, "HOME=" + work, "LANG=C.UTF-8",
                  "TZ=Europe/London", "FEEDBACK_SERVER=" + server.grpc_address(),
                  "FEEDBACK_OUTBOX=" + work + "/outbox", "/usr/bin/timeout", "240", "/bin/bash",
                  "-c", absl::StrCat("umask 022; cd '", work, "' && source .readme/run.sh")});
  ASSERT_NE(run.exit_code, 124) << "the README's commands took over 4 minutes";

  std::vector<Outcome> outcomes;
  for (size_t i = 0; i < examples.size(); ++i) {
    const std::string base = absl::StrCat(work, "/.readme/", i);
    if (!std::filesystem::exists(base + ".rc")) break;
    Outcome outcome{
        .exit_code = -1, .out = ReadFile(base + ".out"), .err = ReadFile(base + ".err")};
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(ReadFile(base + ".rc")), &outcome.exit_code)) {
      break;
    }
    outcomes.push_back(std::move(outcome));
  }
  const std::string mismatch = FirstMismatch(examples, outcomes);
  EXPECT_EQ(mismatch, "") << "a README example no longer does what the README shows:\n" << mismatch;

  // The check is not vacuous: a README with one shown output line changed fails, naming it.
  size_t doctored = 0;
  for (; doctored < examples.size(); ++doctored) {
    if (!examples[doctored].expected.empty() && examples[doctored].expected[0] != "...") break;
  }
  ASSERT_LT(doctored, examples.size()) << "no README example shows any output";
  std::vector<Example> changed = examples;
  changed[doctored].expected[0] += " (changed)";
  EXPECT_THAT(FirstMismatch(changed, outcomes),
              ::testing::HasSubstr(absl::StrCat("README.md:", examples[doctored].line, ":")));
  // ...and so does one whose expected exit status is changed.
  changed = examples;
  changed.back().exit_code += 1;
  EXPECT_THAT(FirstMismatch(changed, outcomes),
              ::testing::HasSubstr(absl::StrCat("README.md:", examples.back().line, ":")));
}

TEST(ReadmeBlocks, EveryCommandOutsideAConsoleBlockIsPlainShell) {
  // A "$ " line in a ```sh block would be pasted with its "$" and never be checked.
  bool in_block = false;
  bool console = false;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(Readme(), '\n')) {
    ++number;
    if (absl::StartsWith(line, "```")) {
      console = !in_block && line == "```console";
      in_block = !in_block;
      continue;
    }
    if (in_block && !console) {
      EXPECT_FALSE(absl::StartsWith(line, "$ "))
          << "README.md:" << number << ": a \"$ \" command outside a ```console block: " << line;
    }
  }
}

}  // namespace readme_e2e_test
}  // namespace
}  // namespace feedback::testing
