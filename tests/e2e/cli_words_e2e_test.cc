// Issue 12, silence where a person expects a word: `alerts watch` says it is waiting, an empty
// list says nothing matched, a submit that only queued says so plainly (where, and how to send
// it), and a reporter who asked for exact figures is told they got the published form. Each
// through the real feedbackctl against a real feedbackd.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace cli_words_e2e_test {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

// A running `feedbackctl`, its stdout and stderr read apart. Ends it with SIGTERM.
class RunningCommand {
 public:
  explicit RunningCommand(const std::vector<std::string>& args) {
    if (pipe2(out_, O_CLOEXEC) != 0 || pipe2(err_, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out_[1], STDOUT_FILENO);
      dup2(err_[1], STDERR_FILENO);
      std::vector<char*> argv;
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out_[1]);
    close(err_[1]);
  }
  ~RunningCommand() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
    close(out_[0]);
    close(err_[0]);
  }
  RunningCommand(const RunningCommand&) = delete;
  RunningCommand& operator=(const RunningCommand&) = delete;

  // Reads stdout and stderr until `text` is in the one asked for (or 30 s pass, or it ends);
  // returns whether it is.
  bool WaitFor(bool on_stderr, const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string& wanted = on_stderr ? err_text : out_text;
    while (wanted.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd fds[2] = {{out_[0], POLLIN, 0}, {err_[0], POLLIN, 0}};
      if (poll(fds, 2, static_cast<int>(left.count())) <= 0) return false;
      bool read_any = false;
      for (int i = 0; i < 2; ++i) {
        if ((fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
        char buffer[4096];
        const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) continue;
        (i == 0 ? out_text : err_text).append(buffer, static_cast<size_t>(n));
        read_any = true;
      }
      if (!read_any) return false;  // both ended
    }
    return true;
  }

  std::string out_text, err_text;

 private:
  int out_[2] = {-1, -1};
  int err_[2] = {-1, -1};
  pid_t pid_ = -1;
};

std::string Trimmed(const std::string& text) {
  return std::string(absl::StripTrailingAsciiWhitespace(text));
}

class CliWords : public ServerTest {
 protected:
  CommandResult Run(v1::Role role, std::vector<std::string> args) {
    args.insert(args.begin(), {"--outbox", dir().Sub("outbox")});
    return RunCommand(server().Ctl(role, args));
  }
};

TEST_F(CliWords, AlertsWatchSaysOnStderrThatItIsWaiting) {
  RunningCommand watch(server().Ctl(v1::ROLE_QA_MANAGER, {"alerts", "watch"}));
  ASSERT_TRUE(watch.WaitFor(/*on_stderr=*/true, "Ctrl-C to stop\n")) << watch.err_text;
  EXPECT_THAT(watch.err_text, HasSubstr("watching for alerts from " + server().address()));
  EXPECT_THAT(watch.out_text, IsEmpty());

  // It was waiting indeed: an alert raised now is printed, on stdout.
  const CommandResult submitted =
      Run(v1::ROLE_QA_MANAGER,
          {"submit", "--source", "child", "--kind", "comment", "--meeting", "cla-review",
           "--service-area", "social-care", "--text", "I am scared to go home"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  ASSERT_TRUE(watch.WaitFor(/*on_stderr=*/false, "SAFEGUARDING ALERT " + Trimmed(submitted.out)))
      << watch.out_text;
  EXPECT_THAT(watch.out_text, Not(HasSubstr("watching")));
}

TEST_F(CliWords, EmptyListsSayNothingMatchedExceptInJson) {
  const CommandResult complaints = Run(v1::ROLE_QA_MANAGER, {"complaint", "list"});
  ASSERT_EQ(complaints.exit_code, 0) << complaints.err;
  EXPECT_THAT(complaints.out, IsEmpty());
  EXPECT_THAT(complaints.err, HasSubstr("no complaints matched"));

  const CommandResult items = Run(v1::ROLE_QA_MANAGER, {"list", "--quarter", "2018-19Q3"});
  ASSERT_EQ(items.exit_code, 0) << items.err;
  EXPECT_THAT(items.out, IsEmpty());
  EXPECT_THAT(items.err, HasSubstr("no items matched"));

  const CommandResult json = Run(v1::ROLE_QA_MANAGER, {"--json", "complaint", "list"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::ListComplaintsResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &parsed).ok()) << json.out;
  EXPECT_EQ(parsed.complaints_size(), 0);
  EXPECT_THAT(json.err, Not(HasSubstr("matched")));

  // With a row, no such word.
  ASSERT_EQ(Run(v1::ROLE_QA_MANAGER,
                {"submit", "--source", "family", "--kind", "complaint", "--text", "No call back"})
                .exit_code,
            0);
  const CommandResult one = Run(v1::ROLE_QA_MANAGER, {"complaint", "list"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(one.out, Not(IsEmpty()));
  EXPECT_THAT(one.err, Not(HasSubstr("matched")));
}

// A mistyped or unreachable --server: the item is queued, and the person is told so plainly:
// not stored yet, the file it is kept in, the command that sends it, and what the printed line
// is. Exit 0, as the README says: the item is safe on the device.
TEST_F(CliWords, SubmitThatCouldOnlyQueueSaysWhereAndHowToSendIt) {
  const std::string address = ClosedPortAddress();
  const std::string outbox = dir().Sub("outbox");
  const std::vector<std::string> global = {FEEDBACKCTL_PATH, "--server", address, "--timeout", "1",
                                           "--outbox",       outbox};
  std::vector<std::string> submit = global;
  submit.insert(submit.end(), {"submit", "--source", "family", "--kind", "compliment", "--text",
                               "Thank you for listening"});
  const CommandResult queued = RunCommand(submit);
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  EXPECT_THAT(Trimmed(queued.out), MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                                "[0-9a-f]{12}"));
  EXPECT_THAT(queued.err, AllOf(HasSubstr("NOT STORED YET"), HasSubstr("the server at " + address),
                                HasSubstr("queued"), HasSubstr("outbox"),
                                HasSubstr("feedbackctl --server " + address + " --outbox " +
                                          outbox + " outbox flush"),
                                HasSubstr("submission id (" + Trimmed(queued.out) + ")")));
  // The file it names is there.
  const std::string marker = "in the outbox: ";
  const size_t at = queued.err.find(marker);
  ASSERT_NE(at, std::string::npos) << queued.err;
  const std::string path =
      queued.err.substr(at + marker.size(), queued.err.find('\n', at) - at - marker.size());
  EXPECT_TRUE(std::filesystem::exists(path)) << path;

  // `outbox status` with the same flags shows it waiting.
  std::vector<std::string> status = global;
  status.insert(status.end(), {"outbox", "status"});
  const CommandResult waiting = RunCommand(status);
  EXPECT_EQ(waiting.exit_code, 0) << waiting.err;
  EXPECT_THAT(waiting.out, HasSubstr("1"));
}

TEST_F(CliWords, AReporterAskingForExactFiguresIsToldTheyGotThePublishedForm) {
  const std::string notice = "these are the published figures";
  // `summary` asks for exact figures unless --published: a reporter gets the published form.
  const CommandResult reporter = Run(v1::ROLE_REPORTER, {"summary", "--quarter", "2018-19Q3"});
  ASSERT_EQ(reporter.exit_code, 0) << reporter.err;
  EXPECT_THAT(reporter.err, AllOf(HasSubstr(notice), HasSubstr("qa_manager")));
  const CommandResult asked_published =
      Run(v1::ROLE_REPORTER, {"summary", "--quarter", "2018-19Q3", "--published"});
  ASSERT_EQ(asked_published.exit_code, 0) << asked_published.err;
  EXPECT_THAT(asked_published.err, Not(HasSubstr(notice)));
  const CommandResult qa = Run(v1::ROLE_QA_MANAGER, {"summary", "--quarter", "2018-19Q3"});
  ASSERT_EQ(qa.exit_code, 0) << qa.err;
  EXPECT_THAT(qa.err, Not(HasSubstr(notice)));

  // `report --exact` the same way; without --exact a reporter asked for the published form.
  const CommandResult exact =
      Run(v1::ROLE_REPORTER, {"report", "--quarter", "2018-19Q3", "--exact"});
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  EXPECT_THAT(exact.err, HasSubstr(notice));
  const CommandResult plain = Run(v1::ROLE_REPORTER, {"report", "--quarter", "2018-19Q3"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_THAT(plain.err, Not(HasSubstr(notice)));
  const CommandResult qa_exact =
      Run(v1::ROLE_QA_MANAGER, {"report", "--quarter", "2018-19Q3", "--exact"});
  ASSERT_EQ(qa_exact.exit_code, 0) << qa_exact.err;
  EXPECT_THAT(qa_exact.err, Not(HasSubstr(notice)));
}

}  // namespace cli_words_e2e_test
}  // namespace
}  // namespace feedback::testing
