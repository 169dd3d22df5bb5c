// End-to-end: staff terminals are safe from what the public types. A complaint whose words hold
// terminal escape sequences (window title, clear screen), a carriage return, a backspace, a
// right-to-left override, a C1 control and DEL goes through a real feedbackd, and every
// human-readable output of the real feedbackctl that shows it (get, list, complaint get,
// quotes approve and list, alerts watch, report --format md, error messages) shows those
// characters as visible escapes and never writes them; --json and the data formats keep the
// words exact.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace terminal_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;

// The words, as a child might type them at a kiosk: an OSC that retitles the window and ends in
// BEL, a CSI that clears the screen, CR, backspace, RIGHT-TO-LEFT OVERRIDE, the C1 control CSI
// (U+009B, in UTF-8), DEL; then a safeguarding phrase (so it raises an alert) and a second line.
// All within the 60 bytes a list row shows.
constexpr char kWords[] =
    "\x1b]0;pwned\x07\x1b[2J\r\b\xE2\x80\xAE\xC2\x9B\x7f"
    "I am scared to go home\nnext line";
// How a terminal shows them (client/terminal_text.h).
constexpr char kShownOsc[] = "\\u001b]0;pwned\\u0007";
constexpr char kShownClear[] = "\\u001b[2J";
constexpr char kShownRest[] = "\\r\\b\\u202e\\u009b\\u007fI am scared to go home";

// The bytes and characters a terminal acts on: none may reach stdout or stderr.
void ExpectNothingATerminalActsOn(const std::string& output, const std::string& what) {
  for (const char byte : {'\x1b', '\x07', '\x08', '\x0d', '\x7f'}) {
    EXPECT_EQ(output.find(byte), std::string::npos)
        << what << " wrote byte " << static_cast<int>(byte) << ": " << absl::CHexEscape(output);
  }
  for (unsigned char c1 = 0x80; c1 <= 0x9F; ++c1) {
    const std::string utf8 = {'\xC2', static_cast<char>(c1)};
    EXPECT_EQ(output.find(utf8), std::string::npos)
        << what << " wrote C1 control " << static_cast<int>(c1) << ": " << absl::CHexEscape(output);
  }
  EXPECT_EQ(output.find("\xE2\x80\xAE"), std::string::npos)
      << what << " wrote U+202E: " << absl::CHexEscape(output);
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class TerminalEndToEnd : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    // A family's complaint with consent to quote, in 2018-19 Q3, submitted by a qa_manager.
    const CommandResult submitted =
        Ctl({"submit", "--source", "family", "--kind", "complaint", "--meeting", "cla-review",
             "--service-area", "social-care", "--consent-to-quote", "--occurred-at",
             "2018-11-01T12:00:00Z", "--text", kWords});
    ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
    id_ = std::string(absl::StripTrailingAsciiWhitespace(submitted.out));
    ASSERT_TRUE(id_.starts_with("fb_")) << submitted.out;
  }

  std::string id_;
};

TEST_F(TerminalEndToEnd, GetShowsControlCharactersAsEscapesAndJsonKeepsTheWordsExact) {
  const CommandResult got = Ctl({"get", id_});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  ExpectNothingATerminalActsOn(got.out + got.err, "get");
  EXPECT_THAT(got.out, HasSubstr(absl::StrCat("text:\n  ", kShownOsc, kShownClear, kShownRest,
                                              "\n  next line\n")));

  const CommandResult json = Ctl({"--json", "get", id_});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::Feedback parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &parsed).ok()) << json.out;
  EXPECT_EQ(parsed.text(), kWords);
}

TEST_F(TerminalEndToEnd, ListShowsTheWordsOnOneLineWithEscapes) {
  const CommandResult listed = Ctl({"list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  ExpectNothingATerminalActsOn(listed.out + listed.err, "list");
  EXPECT_THAT(listed.out,
              HasSubstr(absl::StrCat(kShownOsc, kShownClear, kShownRest, "\\nnext line\n")));
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), 1) << listed.out;

  const CommandResult json = Ctl({"--json", "list"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::ListFeedbackResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &parsed).ok()) << json.out;
  ASSERT_EQ(parsed.feedback_size(), 1);
  EXPECT_EQ(parsed.feedback(0).text(), kWords);
}

TEST_F(TerminalEndToEnd, ComplaintGetShowsTheWordsAndTheHistoryNotesWithEscapes) {
  const CommandResult updated =
      Ctl({"complaint", "update", id_, "--stage", "2", "--note",
           "escalated\x1b[2J\nfake history line", "--actor", "duty\x1b]0;x\x07 manager"});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  ExpectNothingATerminalActsOn(updated.out + updated.err, "complaint update");

  const CommandResult got = Ctl({"complaint", "get", id_});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  ExpectNothingATerminalActsOn(got.out + got.err, "complaint get");
  EXPECT_THAT(got.out, HasSubstr(absl::StrCat(kShownOsc, kShownClear, kShownRest)));
  EXPECT_THAT(got.out, HasSubstr("by duty\\u001b]0;x\\u0007 manager: "
                                 "escalated\\u001b[2J\\nfake history line\n"));
}

TEST_F(TerminalEndToEnd, QuotesApproveAndListShowTheWordsWithEscapes) {
  const CommandResult candidates =
      Ctl({"quotes", "list", "--quarter", "2018-19Q3", "--candidates"});
  ASSERT_EQ(candidates.exit_code, 0) << candidates.err;
  ExpectNothingATerminalActsOn(candidates.out + candidates.err, "quotes list --candidates");
  EXPECT_THAT(candidates.out, HasSubstr(kShownOsc));

  const CommandResult approved = Ctl({"quotes", "approve", id_});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  ExpectNothingATerminalActsOn(approved.out + approved.err, "quotes approve");

  for (v1::Role role : {v1::ROLE_QA_MANAGER, v1::ROLE_REPORTER}) {
    const CommandResult listed = Ctl(role, {"quotes", "list", "--quarter", "2018-19Q3"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    ExpectNothingATerminalActsOn(listed.out + listed.err, "quotes list");
    EXPECT_THAT(listed.out, HasSubstr(absl::StrCat("  \"", kShownOsc, kShownClear, kShownRest,
                                                   "\n   next line\"\n")));
  }
}

TEST_F(TerminalEndToEnd, MarkdownReportShowsTheQuoteWithEscapesAndNoMarkup) {
  const CommandResult approved = Ctl({"quotes", "approve", id_});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;

  const CommandResult md =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  ExpectNothingATerminalActsOn(md.out + md.err, "report --format md");
  // Markdown escaping first ([ and ] of the sequences), then the terminal's escapes; the
  // carriage return is a line break in a Markdown quote.
  EXPECT_THAT(md.out, HasSubstr("> \\u001b\\]0;pwned\\u0007\\u001b\\[2J\\\n"
                                "> \\b\\u202e\\u009b\\u007fI am scared to go home\\\n"
                                "> next line\n"));

  // The same bytes when written to a file.
  const std::string file = dir().Sub("report.md");
  const CommandResult written = Ctl(
      v1::ROLE_REPORTER, {"report", "--quarter", "2018-19Q3", "--format", "md", "--output", file});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  EXPECT_EQ(ReadWholeFile(file), md.out);
}

// `alerts watch` is a stream: read its output until the first alert is complete, then end it.
TEST_F(TerminalEndToEnd, AlertsWatchShowsTheWordsWithEscapes) {
  const std::vector<std::string> args = server().Ctl({"alerts", "watch"});
  int out_pipe[2];
  ASSERT_EQ(pipe2(out_pipe, O_CLOEXEC), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(out_pipe[1], STDERR_FILENO);
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  // The first alert ends with its words and an empty line.
  std::string output;
  const std::string end_of_alert = "  next line\n\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (output.find(end_of_alert) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd readable{out_pipe[0], POLLIN, 0};
    if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    const ssize_t n = read(out_pipe[0], buffer, sizeof buffer);
    if (n <= 0) break;
    output.append(buffer, static_cast<size_t>(n));
  }
  kill(pid, SIGTERM);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  close(out_pipe[0]);

  ASSERT_THAT(output, HasSubstr(end_of_alert)) << "no complete alert: " << output;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("SAFEGUARDING ALERT ", id_, "\n")));
  ExpectNothingATerminalActsOn(output, "alerts watch");
  EXPECT_THAT(output, HasSubstr(absl::StrCat("text:\n  ", kShownOsc, kShownClear, kShownRest,
                                             "\n  next line\n\n")));
}

// Server errors can echo what a client sent: shown on one line, with escapes.
TEST_F(TerminalEndToEnd, ErrorMessagesShowControlCharactersAsEscapes) {
  const CommandResult missing = Ctl({"get", "fb_\x1b]0;pwned\x07\nno"});
  EXPECT_NE(missing.exit_code, 0);
  ExpectNothingATerminalActsOn(missing.out + missing.err, "get of a bad id");
  if (missing.err.find("pwned") != std::string::npos) {  // the message echoes the id
    // Escaped by feedbackctl, or already by the server (QuoteClientValue, storage/error_text.h).
    EXPECT_THAT(missing.err, ::testing::AnyOf(HasSubstr("fb_\\u001b]0;pwned\\u0007\\nno"),
                                              HasSubstr("fb_\\x1b]0;pwned\\x07\\nno")));
  }
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
}

// Data formats are not for terminals: they keep the words exact (CSV still disarms formulas).
TEST_F(TerminalEndToEnd, ExportKeepsTheWordsExact) {
  const CommandResult csv = Ctl({"export", "--quarter", "2018-19Q3", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("\x1b]0;pwned\x07\x1b[2J\r\b\xE2\x80\xAE\xC2\x9B\x7f"));
  EXPECT_THAT(csv.out, HasSubstr("\r\n"));

  const CommandResult ndjson = Ctl({"export", "--quarter", "2018-19Q3"});
  ASSERT_EQ(ndjson.exit_code, 0) << ndjson.err;
  v1::Feedback parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  std::string(absl::StripTrailingAsciiWhitespace(ndjson.out)), &parsed)
                  .ok())
      << ndjson.out;
  EXPECT_EQ(parsed.text(), kWords);
}

}  // namespace terminal_e2e_test
}  // namespace
}  // namespace feedback::testing
