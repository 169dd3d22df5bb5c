// "I want to talk to someone now" through the real feedbackd and feedbackctl (issue 11): a
// tablet enrolled with a code asks; duty staff watching alerts over gRPC get an alert with the
// tablet's name, the meeting, the service area and the time, and nothing about the person; it
// is raised once per request_id, survives a restart until acknowledged, and `alerts watch`
// says it in plain words.
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/cli/cli_common.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace talk_now_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// One WatchAlerts stream of a qa_manager, open (its headers received) when constructed. Reads
// give up after 30 s instead of hanging the test.
class Watcher {
 public:
  explicit Watcher(v1::FeedbackService::Stub& stub) {
    context_.set_deadline(Deadline());
    reader_ = stub.WatchAlerts(&context_, v1::WatchAlertsRequest());
    reader_->WaitForInitialMetadata();
  }
  ~Watcher() {
    context_.TryCancel();
    v1::Alert ignored;
    while (reader_->Read(&ignored)) {
    }
    reader_->Finish();
  }
  std::optional<v1::Alert> Next() {
    v1::Alert alert;
    if (!reader_->Read(&alert)) return std::nullopt;
    return alert;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::Alert>> reader_;
};

class TalkNowE2e : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    // The tablet, enrolled as staff would: a code from a qa_manager, exchanged with no token.
    const CommandResult issued =
        Ctl(v1::ROLE_QA_MANAGER, {"--json", "admin", "kiosk", "enrol", "--device", "tablet-3"});
    ASSERT_EQ(issued.exit_code, 0) << issued.err;
    v1::KioskEnrolment enrolment;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(issued.out, &enrolment).ok());
    auto anyone = v1::FeedbackService::NewStub(
        grpc::CreateChannel(server().address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::EnrolKioskRequest request;
    request.set_code(enrolment.code());
    v1::EnrolKioskResponse enrolled;
    const grpc::Status status = anyone->EnrolKiosk(&context, request, &enrolled);
    ASSERT_TRUE(status.ok()) << status.error_message();
    tablet_secret_ = enrolled.secret();
  }

  std::unique_ptr<v1::FeedbackService::Stub> Tablet() {
    return v1::FeedbackService::NewStub(ChannelWithToken(server().address(), tablet_secret_));
  }

  static grpc::Status TalkNow(v1::FeedbackService::Stub& stub,
                              const v1::RequestTalkNowRequest& request, v1::Alert* alert) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    return stub.RequestTalkNow(&context, request, alert);
  }

  static v1::RequestTalkNowRequest Request(const std::string& request_id) {
    v1::RequestTalkNowRequest request;
    request.set_request_id(request_id);
    request.set_meeting(v1::MEETING_CLA_REVIEW);
    request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    *request.mutable_requested_at() = TimeUtil::GetCurrentTime();
    return request;
  }

  std::string tablet_secret_;
};

TEST_F(TalkNowE2e, ReachesAWatcherWithTheTabletMeetingAndTimeAndNoFeedbackOnce) {
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  Watcher watcher(*qa);
  auto tablet = Tablet();
  const v1::RequestTalkNowRequest request = Request(client::NewSubmissionId());
  v1::Alert answered;
  grpc::Status status = TalkNow(*tablet, request, &answered);
  ASSERT_TRUE(status.ok()) << status.error_message();

  std::optional<v1::Alert> heard = watcher.Next();
  ASSERT_TRUE(heard.has_value()) << "the watcher heard nothing";
  EXPECT_THAT(heard->id(), MatchesRegex("tn_[0-9a-f]{32}"));
  EXPECT_EQ(heard->id(), answered.id());
  EXPECT_EQ(heard->reason(), v1::ALERT_REASON_TALK_NOW);
  EXPECT_EQ(heard->device_name(), "tablet-3");
  EXPECT_EQ(heard->meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(heard->service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(heard->raised_at().seconds(), request.requested_at().seconds());
  EXPECT_FALSE(heard->has_feedback());
  EXPECT_FALSE(heard->acknowledged());

  // The tablet sends the same request again (its answer was lost): the same alert, no second.
  v1::Alert repeated;
  status = TalkNow(*tablet, request, &repeated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(repeated.id(), answered.id());
  // The next alert the watcher hears is the next request's, not a copy of the first.
  v1::Alert second;
  status = TalkNow(*tablet, Request(client::NewSubmissionId()), &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  heard = watcher.Next();
  ASSERT_TRUE(heard.has_value());
  EXPECT_EQ(heard->id(), second.id());
  EXPECT_NE(second.id(), answered.id());

  // Nothing was stored as feedback.
  EXPECT_TRUE(ListAllFeedback(server()).empty());
}

TEST_F(TalkNowE2e, SurvivesARestartUntilAcknowledgedOnce) {
  auto tablet = Tablet();
  v1::Alert raised;
  grpc::Status status = TalkNow(*tablet, Request(client::NewSubmissionId()), &raised);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(StopServer(SIGTERM), 0);
  ASSERT_OK(StartServer());

  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  {
    Watcher watcher(*qa);
    std::optional<v1::Alert> backlog = watcher.Next();
    ASSERT_TRUE(backlog.has_value());
    EXPECT_EQ(backlog->id(), raised.id());
    EXPECT_EQ(backlog->device_name(), "tablet-3");
    EXPECT_EQ(backlog->reason(), v1::ALERT_REASON_TALK_NOW);
  }
  const CommandResult first = Ctl({"alerts", "ack", raised.id(), "--actor", "Chair, room 2"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, raised.id() + " acknowledged by Chair, room 2\n");
  const CommandResult second = Ctl({"alerts", "ack", raised.id(), "--actor", "Someone else"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, raised.id() + " acknowledged by Chair, room 2\n");

  // Acknowledged: a new watcher is not sent it again; the next alert it hears is a new one.
  Watcher watcher(*qa);
  v1::Alert next;
  status = TalkNow(*Tablet(), Request(client::NewSubmissionId()), &next);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::optional<v1::Alert> heard = watcher.Next();
  ASSERT_TRUE(heard.has_value());
  EXPECT_EQ(heard->id(), next.id());
}

TEST_F(TalkNowE2e, OnlyRolesThatCollectFeedbackMayAsk) {
  v1::Alert alert;
  EXPECT_EQ(
      TalkNow(*server().NewStub(v1::ROLE_REPORTER), Request(client::NewSubmissionId()), &alert)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  auto nobody = v1::FeedbackService::NewStub(
      grpc::CreateChannel(server().address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(TalkNow(*nobody, Request(client::NewSubmissionId()), &alert).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::RequestTalkNowRequest no_id = Request("");
  const grpc::Status invalid = TalkNow(*Tablet(), no_id, &alert);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(invalid.error_message(), HasSubstr("request_id"));
}

// `alerts watch` prints a talk-now alert in one plain sentence (and a safeguarding alert as
// before). Read until the sentence is complete, then end the watch.
TEST_F(TalkNowE2e, AlertsWatchSaysWhoAskedWhereInPlainWords) {
  v1::Alert raised;
  v1::RequestTalkNowRequest request = Request(client::NewSubmissionId());
  const grpc::Status status = TalkNow(*Tablet(), request, &raised);
  ASSERT_TRUE(status.ok()) << status.error_message();

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
  std::string output;
  const std::string end = "--actor NAME)\n\n";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (output.find(end) == std::string::npos) {
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
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  close(out_pipe[0]);

  ASSERT_THAT(output, HasSubstr(end)) << output;
  const std::string time = absl::FormatTime(
      "%H:%M", absl::FromUnixSeconds(request.requested_at().seconds()), client::LocalZone());
  EXPECT_THAT(output, HasSubstr("Talk now: someone at tablet-3 (CLA review, social care) asked "
                                "to talk to someone, " +
                                time));
  EXPECT_THAT(output, HasSubstr("\n  alert " + raised.id() + " (when someone has gone: "));
  EXPECT_THAT(output, Not(HasSubstr("SAFEGUARDING ALERT")));
}

}  // namespace talk_now_e2e_test
}  // namespace
}  // namespace feedback::testing
