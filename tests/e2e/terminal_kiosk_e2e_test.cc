// End-to-end: the terminal kiosk (`feedbackctl kiosk`) as a respondent meets it, driven through
// the real binary on a pseudo-terminal (the screen is everything the terminal shows) or on
// pipes (the screen is standard output): the thank-you stays until Enter or its pause; the
// rating has words; nothing technical reaches the screen, only a small "answers waiting to be
// sent" mark; no word, Ctrl-C or Ctrl-Z gets a respondent out, staff close it with Ctrl-D and
// the exit phrase; an answer queued while the server was down is sent while the kiosk sits
// idle, with nobody typing. Nothing here sleeps to wait: every wait is for something to appear,
// with a deadline.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/kiosk.h"
#include "client/lib/outbox.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace terminal_kiosk_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr auto kPatience = std::chrono::seconds(30);

// A running `feedbackctl kiosk`, on a pseudo-terminal or on pipes. Not thread-safe.
class KioskProcess {
 public:
  // On a terminal: stdin, stdout and stderr are one pseudo-terminal (80x24), as on a laptop.
  static std::unique_ptr<KioskProcess> OnTerminal(const std::vector<std::string>& argv) {
    auto process = std::unique_ptr<KioskProcess>(new KioskProcess());
    winsize size = {};
    size.ws_row = 24;
    size.ws_col = 80;
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, &size);
    if (pid < 0) return nullptr;
    if (pid == 0) Exec(argv);
    process->pid_ = pid;
    process->input_ = master;
    process->output_ = master;
    return process;
  }

  // On pipes: the screen is stdout; stderr, which is then the staff log, apart (log()).
  static std::unique_ptr<KioskProcess> OnPipes(const std::vector<std::string>& argv) {
    int in[2], out[2], err[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
      return nullptr;
    }
    const pid_t pid = fork();
    if (pid < 0) return nullptr;
    if (pid == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      Exec(argv);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    auto process = std::unique_ptr<KioskProcess>(new KioskProcess());
    process->pid_ = pid;
    process->input_ = in[1];
    process->output_ = out[0];
    process->log_fd_ = err[0];
    return process;
  }

  ~KioskProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (input_ >= 0) close(input_);
    if (output_ >= 0 && output_ != input_) close(output_);
    if (log_fd_ >= 0) close(log_fd_);
  }

  void Type(std::string_view keys) {
    while (!keys.empty()) {
      const ssize_t n = write(input_, keys.data(), keys.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      keys.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Pipes only: the end of input, as at the end of a script.
  void CloseInput() {
    close(input_);
    input_ = -1;
  }

  // Reads until `text` appears on the screen at or after `from` (a position in screen());
  // returns its position, or npos after kPatience or when the output ends.
  size_t WaitFor(std::string_view text, size_t from = 0) { return Await(screen_, text, from); }
  // The same for the staff log (pipes only: standard error).
  size_t WaitForLog(std::string_view text) { return Await(log_, text, 0); }

  // Reads whatever the screen has been sent so far, without waiting.
  const std::string& Drain() {
    while (ReadSome(0)) {
    }
    return screen_;
  }

  const std::string& screen() const { return screen_; }
  const std::string& log() const { return log_; }
  pid_t pid() const { return pid_; }

  // Waits for the process to end (at most kPatience); its exit status, or -1.
  int Wait() {
    const auto deadline = Clock::now() + kPatience;
    while (pid_ > 0) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        Drain();
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (Clock::now() > deadline) return -1;
      ReadSome(50);  // keep the terminal from filling while it exits
    }
    return -1;
  }

 private:
  KioskProcess() = default;

  [[noreturn]] static void Exec(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }

  size_t Await(const std::string& buffer, std::string_view text, size_t from) {
    const auto deadline = Clock::now() + kPatience;
    for (;;) {
      if (const size_t at = buffer.find(text, from); at != std::string::npos) return at;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0 || !ReadSome(static_cast<int>(left.count()))) return std::string::npos;
    }
  }

  // Appends what the screen or the log sends within `timeout_ms`; false when nothing came (or
  // both have ended).
  bool ReadSome(int timeout_ms) {
    pollfd fds[2] = {{output_, POLLIN, 0}, {log_fd_, POLLIN, 0}};
    if (output_ < 0 && log_fd_ < 0) return false;
    if (poll(fds, 2, timeout_ms) <= 0) return false;
    bool got = false;
    for (auto [fd, buffer] : {std::pair(&output_, &screen_), std::pair(&log_fd_, &log_)}) {
      const pollfd& polled = fd == &output_ ? fds[0] : fds[1];
      if (*fd < 0 || polled.revents == 0) continue;
      char bytes[4096];
      const ssize_t n = read(*fd, bytes, sizeof bytes);
      if (n <= 0) {  // the end (EIO from a terminal whose process has gone)
        if (*fd != input_) close(*fd);
        *fd = -1;
        continue;
      }
      buffer->append(bytes, static_cast<size_t>(n));
      got = true;
    }
    return got || output_ >= 0 || log_fd_ >= 0;
  }

  pid_t pid_ = -1;
  int input_ = -1;
  int output_ = -1;
  int log_fd_ = -1;
  std::string screen_;
  std::string log_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What the respondent's screen must never show.
void ExpectNothingTechnical(const std::string& screen) {
  for (const char* word : {"outbox", "server", "UNAVAILABLE", "unavailable", "connect", "kept on",
                           "error", "Error", "token", "127.0.0.1", "feedbackctl"}) {
    EXPECT_THAT(screen, Not(HasSubstr(word))) << "the screen shows \"" << word << "\"";
  }
}

std::vector<std::string> KioskArgs(const std::string& address, const std::string& token_file,
                                   const std::string& outbox, std::vector<std::string> more) {
  std::vector<std::string> argv = {
      FEEDBACKCTL_PATH, "--server",   address, "--token-file", token_file,  "--outbox",
      outbox,           "--timeout",  "1",     "kiosk",        "--meeting", "cla-review",
      "--service-area", "social-care"};
  argv.insert(argv.end(), more.begin(), more.end());
  return argv;
}

using TerminalKiosk = ServerTest;

TEST_F(TerminalKiosk, TheRatingHasWordsAndConsentIsInPlainWords) {
  auto kiosk = KioskProcess::OnTerminal(
      KioskArgs(server().address(), server().TokenFile(v1::ROLE_KIOSK), dir().Sub("outbox"), {}));
  ASSERT_NE(kiosk, nullptr);
  ASSERT_NE(kiosk->WaitFor(client::kKioskRatingHint), std::string::npos) << kiosk->screen();
  EXPECT_THAT(kiosk->screen(), HasSubstr("How was today?"));
  EXPECT_THAT(kiosk->screen(), HasSubstr("1 Very bad    2 Bad    3 OK    4 Good    5 Very good"));
  kiosk->Type("4\nThe chair was kind\n");
  ASSERT_NE(kiosk->WaitFor("Can we share what you wrote, without your name?"), std::string::npos)
      << kiosk->screen();
  EXPECT_THAT(kiosk->screen(), Not(HasSubstr("quote")));
  kiosk->Type("y\n");
  ASSERT_NE(kiosk->WaitFor(client::kKioskThankYou), std::string::npos) << kiosk->screen();
  kiosk->Type("\x04");
  ASSERT_NE(kiosk->WaitFor(client::kKioskStaffPrompt), std::string::npos) << kiosk->screen();
  kiosk->Type("close kiosk\n");
  ASSERT_EQ(kiosk->Wait(), 0) << kiosk->screen();
  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_TRUE(stored[0].consent_to_quote());
  EXPECT_EQ(stored[0].submitter_role(), v1::ROLE_KIOSK);
}

// The thank-you stays until the next person presses Enter (here its pause is ten minutes), and
// when nobody does, it goes by itself after its pause.
TEST_F(TerminalKiosk, TheThankYouStaysUntilEnterOrItsPause) {
  auto kiosk =
      KioskProcess::OnPipes(KioskArgs(server().address(), server().TokenFile(v1::ROLE_KIOSK),
                                      dir().Sub("outbox"), {"--thank-you-seconds", "600"}));
  ASSERT_NE(kiosk, nullptr);
  kiosk->Type("5\n\n");
  const size_t thanks = kiosk->WaitFor(client::kKioskThankYou);
  ASSERT_NE(thanks, std::string::npos) << kiosk->screen();
  // Once the staff log says the answer was sent, the kiosk is long past showing the thank-you:
  // had it moved on by itself, the next question would be on the screen by now.
  ASSERT_NE(kiosk->WaitForLog("sent 1"), std::string::npos) << kiosk->log();
  EXPECT_THAT(kiosk->Drain().substr(thanks), Not(HasSubstr(client::kKioskRatingPrompt)));
  kiosk->Type("\n");
  EXPECT_NE(kiosk->WaitFor(client::kKioskRatingPrompt, thanks), std::string::npos)
      << kiosk->screen();
  kiosk->CloseInput();
  EXPECT_EQ(kiosk->Wait(), 0);

  auto quick =
      KioskProcess::OnPipes(KioskArgs(server().address(), server().TokenFile(v1::ROLE_KIOSK),
                                      dir().Sub("outbox"), {"--thank-you-seconds", "0.3"}));
  ASSERT_NE(quick, nullptr);
  quick->Type("3\n\n");
  const size_t quick_thanks = quick->WaitFor(client::kKioskThankYou);
  ASSERT_NE(quick_thanks, std::string::npos) << quick->screen();
  // Nobody types: the first question comes back on a clear screen.
  const size_t next = quick->WaitFor(client::kKioskRatingPrompt, quick_thanks);
  ASSERT_NE(next, std::string::npos) << quick->screen();
  EXPECT_NE(quick->screen().find(client::kClearScreen, quick_thanks), std::string::npos);
  quick->CloseInput();
  EXPECT_EQ(quick->Wait(), 0);
}

// No Wi-Fi: the screen says only that answers are waiting; the staff log says why.
TEST_F(TerminalKiosk, NothingTechnicalReachesTheScreenOnlyTheWaitingMark) {
  const std::string address = ClosedPortAddress();
  const std::string token_file = dir().Sub("kiosk.token");
  std::ofstream(token_file) << "fbk_never_checked\n";
  const std::string outbox = dir().Sub("outbox");
  auto kiosk =
      KioskProcess::OnTerminal(KioskArgs(address, token_file, outbox, {"--retry-seconds", "0.2"}));
  ASSERT_NE(kiosk, nullptr);
  ASSERT_NE(kiosk->WaitFor(client::kKioskRatingHint), std::string::npos) << kiosk->screen();
  kiosk->Type("2\nit was cold\nn\n");
  const size_t thanks = kiosk->WaitFor(client::kKioskThankYou);
  ASSERT_NE(thanks, std::string::npos) << kiosk->screen();
  kiosk->Type("\n");  // the next person
  ASSERT_NE(kiosk->WaitFor(std::string(client::kKioskWaitingMark) + "1", thanks), std::string::npos)
      << kiosk->screen();
  ExpectNothingTechnical(kiosk->Drain());

  // Staff close it; what it prints then is for them.
  kiosk->Type("\x04");
  ASSERT_NE(kiosk->WaitFor(client::kKioskStaffPrompt), std::string::npos) << kiosk->screen();
  kiosk->Type("close kiosk\n");
  EXPECT_EQ(kiosk->Wait(), 0);
  // With stderr on the screen, the staff log is a file in the outbox folder: it has the why.
  const std::string log = client::OutboxDirFor(outbox, address) + "/kiosk.log";
  EXPECT_THAT(kiosk->screen(), HasSubstr("staff log " + log));
  const std::string logged = ReadFile(log);
  EXPECT_THAT(logged, HasSubstr("server not reached"));
  EXPECT_THAT(logged, HasSubstr("1 response(s) kept on this device"));
}

// "quit" is words, Ctrl-C and Ctrl-Z do nothing, Ctrl-D then anything but the exit phrase goes
// back to the question; staff close it with Ctrl-D and the exit phrase.
TEST_F(TerminalKiosk, ARespondentCannotLeaveAndStaffCloseItWithThePhrase) {
  auto kiosk =
      KioskProcess::OnTerminal(KioskArgs(server().address(), server().TokenFile(v1::ROLE_KIOSK),
                                         dir().Sub("outbox"), {"--debounce-seconds", "0"}));
  ASSERT_NE(kiosk, nullptr);
  ASSERT_NE(kiosk->WaitFor(client::kKioskRatingHint), std::string::npos) << kiosk->screen();
  kiosk->Type("quit\n");
  size_t at = kiosk->WaitFor("Please choose a number from 1 to 5.");
  ASSERT_NE(at, std::string::npos) << kiosk->screen();
  kiosk->Type("\x03");  // Ctrl-C
  kiosk->Type("\x1a");  // Ctrl-Z
  kiosk->Type("\x1c");  // Ctrl-backslash
  kiosk->Type("5\n");
  at = kiosk->WaitFor(client::kKioskCommentPrompt, at);
  ASSERT_NE(at, std::string::npos) << "the kiosk did not survive Ctrl-C/Z/\\: " << kiosk->screen();
  kiosk->Type("quit\n");
  at = kiosk->WaitFor(client::kKioskConsentPrompt, at);
  ASSERT_NE(at, std::string::npos) << kiosk->screen();
  kiosk->Type("n\n");
  at = kiosk->WaitFor(client::kKioskThankYou, at);
  ASSERT_NE(at, std::string::npos) << kiosk->screen();
  kiosk->Type("\n");

  kiosk->Type("\x04");  // Ctrl-D: the staff prompt, which a child answers with Enter
  at = kiosk->WaitFor(client::kKioskStaffPrompt, at);
  ASSERT_NE(at, std::string::npos) << kiosk->screen();
  EXPECT_THAT(kiosk->screen(), Not(HasSubstr(client::kKioskExitPhrase)));
  kiosk->Type("bye\n");
  at = kiosk->WaitFor(client::kKioskRatingHint, at);
  ASSERT_NE(at, std::string::npos) << "did not go back to the question: " << kiosk->screen();
  kiosk->Type("\x04");
  at = kiosk->WaitFor(client::kKioskStaffPrompt, at);
  ASSERT_NE(at, std::string::npos) << kiosk->screen();
  kiosk->Type("\x04");  // Ctrl-D twice is not a way out either
  at = kiosk->WaitFor(client::kKioskRatingHint, at);
  ASSERT_NE(at, std::string::npos) << kiosk->screen();

  kiosk->Type("\x04");
  at = kiosk->WaitFor(client::kKioskStaffPrompt, at);
  ASSERT_NE(at, std::string::npos) << kiosk->screen();
  kiosk->Type("close kiosk\n");
  EXPECT_EQ(kiosk->Wait(), 0) << kiosk->screen();

  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].rating(), 5);
  EXPECT_EQ(stored[0].text(), "quit");
  EXPECT_FALSE(stored[0].consent_to_quote());
}

// SIGTERM (staff, from another terminal) closes the kiosk cleanly and keeps the answer in
// progress.
TEST_F(TerminalKiosk, SigtermClosesItKeepingTheAnswerInProgress) {
  auto kiosk = KioskProcess::OnPipes(
      KioskArgs(server().address(), server().TokenFile(v1::ROLE_KIOSK), dir().Sub("outbox"), {}));
  ASSERT_NE(kiosk, nullptr);
  kiosk->Type("3\n");
  ASSERT_NE(kiosk->WaitFor(client::kKioskCommentPrompt), std::string::npos) << kiosk->screen();
  kill(kiosk->pid(), SIGTERM);
  EXPECT_EQ(kiosk->Wait(), 0);
  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].rating(), 3);
}

using IdleKiosk = DeferredServerTest;

// The server is down when a child answers; it comes back while the kiosk sits idle with nobody
// at the keyboard: the answer arrives, once, and the waiting mark clears.
TEST_F(IdleKiosk, AnAnswerQueuedWhileTheServerWasDownArrivesWithoutAnyoneTyping) {
  absl::StatusOr<std::map<v1::Role, std::string>> tokens = IssueTestTokens(data_dir());
  ASSERT_OK(tokens);
  const std::string address = ClosedPortAddress();
  auto kiosk = KioskProcess::OnPipes(
      KioskArgs(address, TestTokenFile(data_dir(), v1::ROLE_KIOSK), dir().Sub("outbox"),
                {"--retry-seconds", "0.2", "--thank-you-seconds", "0.2"}));
  ASSERT_NE(kiosk, nullptr);
  kiosk->Type("4\nthe server was down\nn\n");
  const size_t thanks = kiosk->WaitFor(client::kKioskThankYou);
  ASSERT_NE(thanks, std::string::npos) << kiosk->screen();
  ASSERT_NE(kiosk->WaitForLog("server not reached"), std::string::npos) << kiosk->log();
  const size_t mark = kiosk->WaitFor(std::string(client::kKioskWaitingMark) + "1", thanks);
  ASSERT_NE(mark, std::string::npos) << kiosk->screen();

  ASSERT_OK(StartServer({.flags = {"--listen", address}}));
  // Nobody types: the background retry sends it, and the staff log says so.
  ASSERT_NE(kiosk->WaitForLog("sent 1"), std::string::npos) << kiosk->log();
  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), 1u) << kiosk->log();
  EXPECT_EQ(stored[0].text(), "the server was down");
  EXPECT_EQ(stored[0].rating(), 4);
  EXPECT_EQ(stored[0].submitter_role(), v1::ROLE_KIOSK);
  // The mark's line is rewritten in place, empty: nothing waits any more.
  EXPECT_NE(kiosk->WaitFor("\x1b"
                           "7\x1b[1;1H\x1b[2K\x1b"
                           "8",
                           mark),
            std::string::npos)
      << kiosk->screen();

  kiosk->CloseInput();
  EXPECT_EQ(kiosk->Wait(), 0);
  EXPECT_EQ(ListAllFeedback(server()).size(), 1u);
}

}  // namespace terminal_kiosk_e2e_test
}  // namespace
}  // namespace feedback::testing
