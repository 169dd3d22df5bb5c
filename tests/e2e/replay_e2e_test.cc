// Idempotency is not an oracle, through the real server and feedbackctl: a replayed
// submission_id is a duplicate only for the token that made the submission; any other token gets
// ALREADY_EXISTS with the same message whatever it sent, and no record. A kiosk's (or an
// advocate's) answer to a submission carries the id and the duplicate flag, never the record's
// server-side state.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace replay_e2e_test {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::Not;

using Stub = v1::FeedbackService::Stub;

constexpr char kWords[] = "Please do not tell my dad what I said about the bruises";
constexpr int kExitConflict = 5;  // client/cli_output.h

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(60);
}

v1::Feedback Complaint(const std::string& submission_id, const std::string& text) {
  v1::Feedback f;
  f.set_submission_id(submission_id);
  f.set_source(v1::SOURCE_CHILD);
  f.set_kind(v1::KIND_COMPLAINT);
  f.set_meeting(v1::MEETING_REVIEW_CP_CONFERENCE);
  f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  f.set_rating(1);
  f.set_text(text);
  return f;
}

grpc::Status Submit(Stub& stub, const v1::Feedback& feedback, v1::SubmitFeedbackResponse* out) {
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.SubmitFeedback(&context, request, out);
}

grpc::Status Refer(Stub& stub, const v1::CreateAdvocacyReferralRequest& request,
                   v1::AdvocacyReferral* out) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.CreateAdvocacyReferral(&context, request, out);
}

// The only fields a device hears back: the record's id and its submission_id.
v1::Feedback IdsOnly(const std::string& id, const std::string& submission_id) {
  v1::Feedback ids;
  ids.set_id(id);
  ids.set_submission_id(submission_id);
  return ids;
}

class ReplayE2eTest : public ServerTest {
 protected:
  // A second token of `role` (another tablet, another advocate), issued by the admin.
  std::string Issue(v1::Role role, const std::string& device) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::IssueTokenRequest request;
    request.set_role(role);
    request.set_device_name(device);
    v1::IssueTokenResponse issued;
    const grpc::Status status = stub(v1::ROLE_ADMIN).IssueToken(&context, request, &issued);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return issued.secret();
  }

  std::unique_ptr<Stub> StubWith(const std::string& token) {
    return v1::FeedbackService::NewStub(ChannelWithToken(server().address(), token));
  }

  size_t Stored() { return ListAllFeedback(server()).size(); }
};

TEST_F(ReplayE2eTest, AnotherTokenReplayingASubmissionIdLearnsNothing) {
  auto tablet_a = server().NewStub(v1::ROLE_KIOSK);
  auto tablet_b = StubWith(Issue(v1::ROLE_KIOSK, "tablet-b"));
  const std::string submission_id = "7f3c2a10-5b6d-4e8f-9a0b-1c2d3e4f5a6b";
  const v1::Feedback sent = Complaint(submission_id, kWords);
  v1::SubmitFeedbackResponse first;
  const grpc::Status stored = Submit(*tablet_a, sent, &first);
  ASSERT_TRUE(stored.ok()) << stored.error_message();
  ASSERT_FALSE(first.feedback().id().empty());

  // Token B, with the right guess of the content and with a wrong one: the same answer.
  v1::SubmitFeedbackResponse right_guess, wrong_guess;
  const grpc::Status right = Submit(*tablet_b, sent, &right_guess);
  const grpc::Status wrong =
      Submit(*tablet_b, Complaint(submission_id, "Something else entirely"), &wrong_guess);
  EXPECT_EQ(right.error_code(), grpc::StatusCode::ALREADY_EXISTS) << right.error_message();
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::ALREADY_EXISTS) << wrong.error_message();
  EXPECT_EQ(right.error_message(), wrong.error_message());
  EXPECT_THAT(right.error_message(), HasSubstr("submission_id"));
  EXPECT_THAT(right.error_message(), Not(HasSubstr(first.feedback().id())));
  EXPECT_FALSE(right_guess.has_feedback()) << right_guess.ShortDebugString();
  EXPECT_FALSE(right_guess.duplicate());

  // Token A's own retry is the duplicate it always was, with the same id.
  v1::SubmitFeedbackResponse retry;
  const grpc::Status retried = Submit(*tablet_a, sent, &retry);
  ASSERT_TRUE(retried.ok()) << retried.error_message();
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.feedback().id(), first.feedback().id());

  EXPECT_EQ(Stored(), 1u);
  EXPECT_EQ(ListAllFeedback(server())[0].text(), kWords);
}

TEST_F(ReplayE2eTest, AKiosksAnswerHasNoServerStateOfTheRecord) {
  auto tablet = server().NewStub(v1::ROLE_KIOSK);
  const std::string submission_id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const v1::Feedback sent = Complaint(submission_id, kWords);
  v1::SubmitFeedbackResponse first;
  grpc::Status status = Submit(*tablet, sent, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(first.duplicate());
  const std::string id = first.feedback().id();
  EXPECT_THAT(id, ::testing::StartsWith("fb_"));
  EXPECT_TRUE(MessageDifferencer::Equals(first.feedback(), IdsOnly(id, submission_id)))
      << first.ShortDebugString();

  // The complaint moves on; the tablet's retry still hears only the id.
  v1::UpdateComplaintRequest update;
  update.set_id(id);
  update.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::Feedback updated;
    status = server().NewStub(v1::ROLE_QA_MANAGER)->UpdateComplaint(&context, update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_THAT(updated.tags(), ::testing::Contains("upheld"));
  }
  v1::SubmitFeedbackResponse retry;
  status = Submit(*tablet, sent, &retry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(retry.duplicate());
  EXPECT_TRUE(MessageDifferencer::Equals(retry.feedback(), IdsOnly(id, submission_id)))
      << retry.ShortDebugString();
  EXPECT_EQ(retry.feedback().tags_size(), 0);
  EXPECT_EQ(retry.feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(retry.feedback().text(), "");
  EXPECT_FALSE(retry.feedback().has_received_at());

  // An advocate, who may not read feedback either, hears the same shape.
  v1::SubmitFeedbackResponse advocate;
  const v1::Feedback other = Complaint("1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", "Too many people");
  status = Submit(*server().NewStub(v1::ROLE_ADVOCATE), other, &advocate);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(MessageDifferencer::Equals(advocate.feedback(),
                                         IdsOnly(advocate.feedback().id(), other.submission_id())))
      << advocate.ShortDebugString();
}

TEST_F(ReplayE2eTest, AnErasedSubmissionIsRefusedToItsTabletAndHiddenFromOthers) {
  auto tablet_a = server().NewStub(v1::ROLE_KIOSK);
  auto tablet_b = StubWith(Issue(v1::ROLE_KIOSK, "tablet-b"));
  const v1::Feedback sent = Complaint("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", kWords);
  v1::SubmitFeedbackResponse first;
  ASSERT_TRUE(Submit(*tablet_a, sent, &first).ok());
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::EraseFeedbackRequest request;
    request.set_id(first.feedback().id());
    request.set_reason("SAR 2026-070");
    v1::EraseFeedbackResponse erased;
    const grpc::Status status =
        server().NewStub(v1::ROLE_ADMIN)->EraseFeedback(&context, request, &erased);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  v1::SubmitFeedbackResponse response;
  const grpc::Status own = Submit(*tablet_a, sent, &response);
  EXPECT_EQ(own.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << own.error_message();
  EXPECT_THAT(own.error_message(), HasSubstr("erased"));
  // Tablet B cannot tell an erased submission from any other it did not make.
  const grpc::Status other = Submit(*tablet_b, sent, &response);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::ALREADY_EXISTS) << other.error_message();
  EXPECT_THAT(other.error_message(), Not(HasSubstr("erased")));
  EXPECT_THAT(other.error_message(), Not(HasSubstr(first.feedback().id())));
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(ReplayE2eTest, AReferralIsADuplicateOnlyForTheAdvocateTokenThatMadeIt) {
  auto advocate_a = server().NewStub(v1::ROLE_ADVOCATE);
  auto advocate_b = StubWith(Issue(v1::ROLE_ADVOCATE, "laptop-b"));
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id("3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a");
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  request.set_child_age(9);
  v1::AdvocacyReferral first;
  grpc::Status status = Refer(*advocate_a, request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::AdvocacyReferral response;
  const grpc::Status right = Refer(*advocate_b, request, &response);
  EXPECT_EQ(right.error_code(), grpc::StatusCode::ALREADY_EXISTS) << right.error_message();
  EXPECT_EQ(response.id(), "");
  EXPECT_EQ(response.child_age(), 0);
  v1::CreateAdvocacyReferralRequest other_age = request;
  other_age.set_child_age(10);
  const grpc::Status wrong = Refer(*advocate_b, other_age, &response);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(right.error_message(), wrong.error_message());

  v1::AdvocacyReferral again;
  status = Refer(*advocate_a, request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.id(), first.id());
}

TEST_F(ReplayE2eTest, FeedbackctlSubmitWithAKioskTokenPrintsTheIdAndNothingElse) {
  TempDir outbox;
  auto kiosk_ctl = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"--timeout", "10", "--outbox", outbox.Sub("outbox")};
    argv.insert(argv.end(), args.begin(), args.end());
    return Ctl(v1::ROLE_KIOSK, argv);
  };
  const std::vector<std::string> submit = {
      "--json",          "submit",
      "--source",        "child",
      "--kind",          "complaint",
      "--meeting",       "cla-review",
      "--service-area",  "social-care",
      "--text",          kWords,
      "--submission-id", "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b"};
  CommandResult result = kiosk_ctl(submit);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  v1::SubmitFeedbackResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &response).ok())
      << result.out;
  const std::string id = response.feedback().id();
  EXPECT_THAT(id, ::testing::StartsWith("fb_"));
  EXPECT_TRUE(MessageDifferencer::Equals(response.feedback(),
                                         IdsOnly(id, "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b")))
      << result.out;
  EXPECT_THAT(result.out, Not(HasSubstr("bruises")));
  EXPECT_THAT(result.out, Not(HasSubstr("receivedAt")));
  EXPECT_THAT(result.out, Not(HasSubstr("COMPLAINT_STAGE_1")));

  // The same tablet's retry: a duplicate, the same id (what its outbox relies on).
  result = kiosk_ctl(submit);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &response).ok());
  EXPECT_TRUE(response.duplicate());
  EXPECT_EQ(response.feedback().id(), id);

  // Another tablet's token: refused as a conflict.
  const std::string other_token = dir().Sub("tablet-b.token");
  std::ofstream(other_token) << Issue(v1::ROLE_KIOSK, "tablet-b") << "\n";
  std::filesystem::permissions(
      other_token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::vector<std::string> argv = {
      FEEDBACKCTL_PATH, "--server", server().address(), "--token-file",        other_token,
      "--timeout",      "10",       "--outbox",         outbox.Sub("outbox-b")};
  argv.insert(argv.end(), submit.begin(), submit.end());
  result = RunCommand(argv);
  EXPECT_EQ(result.exit_code, kExitConflict) << result.out << result.err;
  EXPECT_THAT(result.out + result.err, Not(HasSubstr(id)));
  EXPECT_EQ(Stored(), 1u);
}

}  // namespace replay_e2e_test
}  // namespace
}  // namespace feedback::testing
