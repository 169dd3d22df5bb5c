// End-to-end: how far back each role may date what it records (issue 9, item 3), through the
// real feedbackd. A kiosk reaches 30 days back, an advocate 90; QA staff back-fill anything,
// audited; timestamps are range-checked before they are converted, so a huge seconds value is
// refused instead of wrapping around to another time.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/domain/access.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace backdating_e2e_test {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

google::protobuf::Timestamp DaysAgo(int days) {
  return TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::Now() - absl::Hours(24) * days));
}

v1::Feedback Compliment(const google::protobuf::Timestamp& occurred_at) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  feedback.set_text("The chair listened to us.");
  *feedback.mutable_occurred_at() = occurred_at;
  return feedback;
}

absl::StatusOr<v1::Feedback> Submit(Stub& stub, const v1::Feedback& feedback) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = stub.SubmitFeedback(&context, request, &response);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return response.feedback();
}

absl::StatusOr<v1::AdvocacyReferral> Refer(Stub& stub, const google::protobuf::Timestamp& at) {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id(client::NewSubmissionId());
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  request.set_child_age(12);
  request.set_within_city_boundary(true);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  *request.mutable_referred_at() = at;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::AdvocacyReferral referral;
  const grpc::Status status = stub.CreateAdvocacyReferral(&context, request, &referral);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return referral;
}

absl::StatusOr<v1::AdvocacyReferral> Progress(Stub& stub, const std::string& id) {
  v1::UpdateAdvocacyReferralRequest request;
  request.set_id(id);
  request.set_status(v1::ADVOCACY_STATUS_PROGRESSED);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::AdvocacyReferral referral;
  const grpc::Status status = stub.UpdateAdvocacyReferral(&context, request, &referral);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return referral;
}

std::vector<v1::AuditEntry> AuditLog(const ServerProcess& server, const std::string& action) {
  auto admin = server.NewStub(v1::ROLE_ADMIN);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ListAuditRequest request;
  request.set_action(action);
  request.set_page_size(1000);
  v1::ListAuditResponse response;
  const grpc::Status status = admin->ListAudit(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.entries().begin(), response.entries().end()};
}

using BackDating = SharedServerSuite;

TEST_F(BackDating, AKioskReachesThirtyDaysBackAndNoFurther) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  absl::StatusOr<v1::Feedback> old = Submit(*kiosk, Compliment(DaysAgo(31)));
  EXPECT_EQ(old.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(old.status().message(), HasSubstr("feedback.occurred_at"));
  EXPECT_THAT(old.status().message(), HasSubstr("30 days"));
  EXPECT_OK(Submit(*kiosk, Compliment(DaysAgo(29))));
  // Nor into the future beyond the clock skew allowed.
  google::protobuf::Timestamp tomorrow = DaysAgo(-1);
  EXPECT_EQ(Submit(*kiosk, Compliment(tomorrow)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BackDating, AnAdvocateReachesNinetyDaysBackForFeedbackAndReferrals) {
  auto advocate = server().NewStub(v1::ROLE_ADVOCATE);
  absl::StatusOr<v1::AdvocacyReferral> old = Refer(*advocate, DaysAgo(91));
  EXPECT_EQ(old.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(old.status().message(), HasSubstr("referred_at"));
  EXPECT_OK(Refer(*advocate, DaysAgo(89)));
  v1::Feedback compliment = Compliment(DaysAgo(91));
  compliment.set_source(v1::SOURCE_ADVOCATE);
  absl::StatusOr<v1::Feedback> late = Submit(*advocate, compliment);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(late.status().message(), HasSubstr("feedback.occurred_at"));
  *compliment.mutable_occurred_at() = DaysAgo(60);  // more than a kiosk's 30 days
  EXPECT_OK(Submit(*advocate, compliment));
}

// 2^62 seconds times a million overflows int64 and wrapped to 1970, before every eligibility
// rule: it must be refused, not stored as a referral of another time.
TEST_F(BackDating, AReferredAtOutsideTheTimestampRangeIsRefusedNotWrapped) {
  for (v1::Role role : {v1::ROLE_ADVOCATE, v1::ROLE_QA_MANAGER}) {
    auto stub = server().NewStub(role);
    google::protobuf::Timestamp huge;
    huge.set_seconds(int64_t{1} << 62);
    absl::StatusOr<v1::AdvocacyReferral> referral = Refer(*stub, huge);
    EXPECT_EQ(referral.status().code(), absl::StatusCode::kInvalidArgument) << RoleName(role);
    EXPECT_THAT(referral.status().message(), HasSubstr("referred_at"));
    // 2^58 + t wraps to exactly t: an hour ago, as it would have been taken.
    huge.set_seconds((int64_t{1} << 58) + DaysAgo(0).seconds() - 3600);
    referral = Refer(*stub, huge);
    EXPECT_EQ(referral.status().code(), absl::StatusCode::kInvalidArgument) << RoleName(role);
  }
}

TEST_F(BackDating, AComplaintStepOutsideTheTimestampRangeIsRefusedNotWrapped) {
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  v1::Feedback complaint = Compliment(DaysAgo(2));
  complaint.set_kind(v1::KIND_COMPLAINT);
  absl::StatusOr<v1::Feedback> stored = Submit(*qa, complaint);
  ASSERT_OK(stored);
  v1::UpdateComplaintRequest request;
  request.set_id(stored->id());
  request.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  // Would wrap to an hour ago: after the complaint was received, so it used to be accepted.
  request.mutable_effective_at()->set_seconds((int64_t{1} << 58) + DaysAgo(0).seconds() - 3600);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::Feedback updated;
  const grpc::Status status = qa->UpdateComplaint(&context, request, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("effective_at"));
}

TEST_F(BackDating, QaStaffBackfillOldQuartersAndEachBackfillIsAudited) {
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  google::protobuf::Timestamp november_2018;
  ASSERT_TRUE(TimeUtil::FromString("2018-11-02T10:00:00Z", &november_2018));

  absl::StatusOr<v1::Feedback> letter = Submit(*qa, Compliment(november_2018));
  ASSERT_OK(letter);
  std::vector<v1::AuditEntry> feedback_backfills = AuditLog(server(), "feedback.backfill");
  ASSERT_EQ(feedback_backfills.size(), 1u);
  EXPECT_THAT(feedback_backfills[0].ids(), ElementsAre(letter->id()));
  EXPECT_EQ(feedback_backfills[0].detail(), "2018-19Q3");
  EXPECT_EQ(feedback_backfills[0].actor_role(), v1::ROLE_QA_MANAGER);

  absl::StatusOr<v1::AdvocacyReferral> referral = Refer(*qa, november_2018);
  ASSERT_OK(referral);
  // An advocate may not decide a referral of 2018; a qa_manager records the decision.
  auto advocate = server().NewStub(v1::ROLE_ADVOCATE);
  absl::StatusOr<v1::AdvocacyReferral> by_advocate = Progress(*advocate, referral->id());
  EXPECT_EQ(by_advocate.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(by_advocate.status().message(), HasSubstr("referred_at"));
  EXPECT_OK(Progress(*qa, referral->id()));

  std::vector<v1::AuditEntry> referral_backfills = AuditLog(server(), "referral.backfill");
  ASSERT_EQ(referral_backfills.size(), 2u);  // the creation, then the decision
  for (const v1::AuditEntry& entry : referral_backfills) {
    EXPECT_THAT(entry.ids(), ElementsAre(referral->id()));
    EXPECT_EQ(entry.detail(), "2018-19Q3");
  }
  // A recent one is no back-fill.
  ASSERT_OK(Submit(*qa, Compliment(DaysAgo(1))));
  EXPECT_EQ(AuditLog(server(), "feedback.backfill").size(), 1u);
}

}  // namespace backdating_e2e_test
}  // namespace
}  // namespace feedback::testing
