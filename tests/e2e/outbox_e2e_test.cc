// Black-box tests of the offline outbox: feedbackctl with the server down, then up, and a flush
// killed with SIGKILL half way; the server must end up holding every item exactly once.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/lib/outbox.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace outbox_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::UnorderedElementsAreArray;

// feedbackctl against one server and one outbox root.
// Its token is the kiosk token TestTokenFile(data_dir) of the store the server uses.
class KioskCtl {
 public:
  KioskCtl(std::string server, std::string outbox, std::string data_dir)
      : server_(std::move(server)),
        outbox_(std::move(outbox)),
        token_file_(TestTokenFile(data_dir, v1::ROLE_KIOSK)) {}

  std::vector<std::string> Argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {FEEDBACKCTL_PATH, "--server",  server_,
                                     "--token-file",   token_file_, "--outbox",
                                     outbox_,          "--timeout", "1"};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  CommandResult Run(const std::vector<std::string>& args) const { return RunCommand(Argv(args)); }

  CommandResult Submit(const std::string& text) const {
    return Run({"submit", "--source", "family", "--kind", "compliment", "--meeting", "cla-review",
                "--service-area", "social-care", "--rating", "5", "--text", text});
  }

  // `outbox status --json`, parsed.
  google::protobuf::Struct Status() const {
    const CommandResult result = Run({"--json", "outbox", "status"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    google::protobuf::Struct status;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &status).ok())
        << result.out;
    return status;
  }
  int Pending() const { return static_cast<int>(Status().fields().at("pending").number_value()); }

 private:
  std::string server_;
  std::string outbox_;
  std::string token_file_;
};

v1::Feedback Item(int n) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_rating(5);
  feedback.set_text(absl::StrCat("kiosk response ", n));
  client::PrepareForDelivery(feedback);
  return feedback;
}

// Each test starts its server when it is ready: the first only once items are queued.
using OutboxEndToEnd = DeferredServerTest;

TEST_F(OutboxEndToEnd, SubmitWhileTheServerIsDownIsQueuedThenSentByTheNextSubmit) {
  const std::string address = ClosedPortAddress();
  auto tokens = IssueTestTokens(data_dir());
  ASSERT_OK(tokens);
  const KioskCtl ctl(address, dir().Sub("outbox"), data_dir());

  const CommandResult queued = ctl.Submit("Lovely chair");
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  // The submission id alone on stdout; stderr says it was queued.
  const std::string submission_id(absl::StripTrailingAsciiWhitespace(queued.out));
  EXPECT_THAT(submission_id, MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-"
                                          "[0-9a-f]{12}"));
  EXPECT_THAT(queued.err, HasSubstr("queued"));
  const google::protobuf::Struct status = ctl.Status();
  EXPECT_EQ(status.fields().at("pending").number_value(), 1);
  EXPECT_EQ(status.fields().at("oldestSubmissionId").string_value(), submission_id);
  EXPECT_THAT(ctl.Run({"outbox", "status"}).out, HasSubstr("pending: 1"));
  // With the server still down, flush says so and keeps the item.
  const CommandResult still_down = ctl.Run({"outbox", "flush"});
  EXPECT_EQ(still_down.exit_code, 6) << still_down.err;
  EXPECT_EQ(ctl.Pending(), 1);

  const absl::Time before_start = absl::Now();
  // Where the client queued its items.
  ASSERT_OK(StartServer({.flags = {"--listen", address}}));
  const CommandResult next = ctl.Submit("Second visit");
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_THAT(next.out, MatchesRegex("fb_[0-9a-z]+\n"));
  EXPECT_THAT(next.err, HasSubstr("sent 1 queued item(s)"));
  EXPECT_EQ(ctl.Pending(), 0);

  const std::vector<v1::Feedback> stored =
      ListAllFeedback(address, tokens->at(v1::ROLE_QA_MANAGER));
  ASSERT_EQ(stored.size(), 2u);
  const v1::Feedback& first = stored[0].text() == "Lovely chair" ? stored[0] : stored[1];
  EXPECT_EQ(first.text(), "Lovely chair");
  EXPECT_EQ(first.submission_id(), submission_id);
  // It belongs to when it was given, not when the server got it.
  EXPECT_LT(TimeUtil::TimestampToMicroseconds(first.occurred_at()),
            absl::ToUnixMicros(before_start));
}

// The issue's test: queue many items, SIGKILL a flush half way, flush again: each item is held
// exactly once and the outbox is empty.
TEST_F(OutboxEndToEnd, FlushKilledHalfWayThenFlushedAgainStoresEachItemExactlyOnce) {
  ASSERT_OK(StartServer());
  const std::string address = server().address();
  const KioskCtl ctl(address, dir().Sub("outbox"), data_dir());

  constexpr int kItems = 200;
  const client::Outbox outbox(client::OutboxDirFor(dir().Sub("outbox"), address), address);
  std::vector<std::string> queued_ids;
  for (int n = 0; n < kItems; ++n) {
    const v1::Feedback item = Item(n);
    ASSERT_OK(outbox.Add(item));
    queued_ids.push_back(item.submission_id());
  }
  ASSERT_EQ(ctl.Pending(), kItems);

  // A flush in a child process, killed once the server holds some of the items (a few, so that
  // some files are already removed and the kill lands in the middle).
  std::vector<std::string> args = ctl.Argv({"outbox", "flush"});
  const pid_t flusher = fork();
  ASSERT_GE(flusher, 0);
  if (flusher == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  constexpr int kHeldBeforeKill = 10;
  int held_at_kill = 0;
  for (const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       held_at_kill < kHeldBeforeKill && std::chrono::steady_clock::now() < deadline;) {
    grpc::ClientContext context;
    v1::ListFeedbackRequest request;
    request.set_page_size(kHeldBeforeKill);
    v1::ListFeedbackResponse page;
    if (stub().ListFeedback(&context, request, &page).ok()) held_at_kill = page.feedback_size();
  }
  kill(flusher, SIGKILL);
  int wait_status = 0;
  ASSERT_EQ(waitpid(flusher, &wait_status, 0), flusher);
  ASSERT_EQ(held_at_kill, kHeldBeforeKill) << "the flush did not get going in 30 s";
  const size_t stored_at_kill = ListAllFeedback(server()).size();
  if (WIFSIGNALED(wait_status)) {
    EXPECT_LT(stored_at_kill, static_cast<size_t>(kItems)) << "killed, yet everything was sent";
  } else {
    ADD_FAILURE() << "the flush finished before it could be killed; raise kItems";
  }
  const int left = ctl.Pending();
  EXPECT_GT(left, 0);
  // No file was removed before the server had acknowledged its item.
  EXPECT_GE(static_cast<size_t>(left) + stored_at_kill, static_cast<size_t>(kItems));

  const CommandResult again = ctl.Run({"outbox", "flush"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr(absl::StrCat("sent ", left)));

  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  EXPECT_EQ(stored.size(), static_cast<size_t>(kItems));
  std::set<std::string> stored_ids;
  for (const v1::Feedback& item : stored) stored_ids.insert(item.submission_id());
  EXPECT_THAT(stored_ids, UnorderedElementsAreArray(queued_ids));
  EXPECT_EQ(ctl.Pending(), 0);
  EXPECT_EQ(ctl.Status().fields().at("rejected").list_value().values_size(), 0);
}

TEST_F(OutboxEndToEnd, RefusedItemIsKeptAndReportedNotDropped) {
  ASSERT_OK(StartServer());
  const std::string address = server().address();
  const KioskCtl ctl(address, dir().Sub("outbox"), data_dir());
  const client::Outbox outbox(client::OutboxDirFor(dir().Sub("outbox"), address), address);
  v1::Feedback bad = Item(1);
  bad.set_rating(9);
  ASSERT_OK(outbox.Add(bad));
  ASSERT_OK(outbox.Add(Item(2)));

  const CommandResult flushed = ctl.Run({"outbox", "flush"});
  EXPECT_EQ(flushed.exit_code, 3) << flushed.err;
  EXPECT_THAT(flushed.out, HasSubstr("sent 1"));
  EXPECT_THAT(flushed.out, HasSubstr("rejected 1"));
  EXPECT_EQ(ListAllFeedback(server()).size(), 1u);

  const google::protobuf::Struct status = ctl.Status();
  EXPECT_EQ(status.fields().at("pending").number_value(), 0);
  const auto& rejected = status.fields().at("rejected").list_value();
  ASSERT_EQ(rejected.values_size(), 1);
  const auto& entry = rejected.values(0).struct_value().fields();
  EXPECT_EQ(entry.at("submissionId").string_value(), bad.submission_id());
  EXPECT_THAT(entry.at("error").string_value(), HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(entry.at("error").string_value(), HasSubstr("rating"));
  const CommandResult human = ctl.Run({"outbox", "status"});
  EXPECT_THAT(human.out, HasSubstr("rejected: 1"));
  EXPECT_THAT(human.out, HasSubstr(bad.submission_id()));
}

// Items wait for the server they were meant for; they are never sent to another one.
TEST_F(OutboxEndToEnd, ItemsQueuedForOneServerAreNotSentToAnother) {
  ASSERT_OK(StartServer());
  const std::string other = "127.0.0.1:1";
  ASSERT_OK(client::Outbox(client::OutboxDirFor(dir().Sub("outbox"), other), other).Add(Item(1)));
  const KioskCtl ctl(server().address(), dir().Sub("outbox"), data_dir());
  const CommandResult submitted = ctl.Submit("only me");
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  EXPECT_EQ(ListAllFeedback(server()).size(), 1u);
  const CommandResult status = ctl.Run({"outbox", "status"});
  EXPECT_THAT(status.out, HasSubstr("pending: 0"));
  EXPECT_THAT(status.out, HasSubstr("also queued for 127.0.0.1:1: 1 pending"));
}

}  // namespace outbox_e2e_test
}  // namespace
}  // namespace feedback::testing
