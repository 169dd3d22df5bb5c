// End-to-end domain rules over gRPC: the complaints procedure, advocacy referral idempotency and
// eligibility rules with effective dates, and child statements' link to their referral. Every
// refused call must leave the store as it was.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace domain_e2e_test {

using ::testing::HasSubstr;

using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

google::protobuf::Timestamp At(const std::string& rfc3339) {
  google::protobuf::Timestamp at;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(rfc3339, &at)) << rfc3339;
  return at;
}

// Unary call helpers: the status, and the response in `*out`.
grpc::Status Submit(Stub& stub, const v1::Feedback& feedback, v1::SubmitFeedbackResponse* out) {
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.SubmitFeedback(&context, request, out);
}

grpc::Status Update(Stub& stub, const v1::UpdateComplaintRequest& request, v1::Feedback* out) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.UpdateComplaint(&context, request, out);
}

grpc::Status GetComplaint(Stub& stub, const std::string& id, v1::Complaint* out) {
  v1::GetComplaintRequest request;
  request.set_id(id);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.GetComplaint(&context, request, out);
}

grpc::Status Refer(Stub& stub, const v1::CreateAdvocacyReferralRequest& request,
                   v1::AdvocacyReferral* out) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.CreateAdvocacyReferral(&context, request, out);
}

std::vector<v1::Feedback> ListEverything(Stub& stub) {
  v1::ListFeedbackRequest request;
  request.set_page_size(500);
  v1::ListFeedbackResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.ListFeedback(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.feedback().begin(), response.feedback().end()};
}

v1::Feedback FamilyItem(v1::Kind kind, const std::string& text, const std::string& occurred_at) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(kind);
  feedback.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  feedback.set_text(text);
  *feedback.mutable_occurred_at() = At(occurred_at);
  return feedback;
}

v1::CreateAdvocacyReferralRequest Referral(int child_age, const std::string& referred_at,
                                           bool within_city_boundary = true) {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id(client::NewSubmissionId());
  request.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  request.set_child_age(child_age);
  *request.mutable_referred_at() = At(referred_at);
  request.set_within_city_boundary(within_city_boundary);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  return request;
}

int64_t IcpcReferrals(const v1::QuarterSummary& summary) {
  for (const v1::AdvocacyFigures& a : summary.advocacy()) {
    if (a.meeting() == v1::MEETING_INITIAL_CP_CONFERENCE) return a.referrals();
  }
  return 0;
}

using DomainE2E = ServerTest;

TEST_F(DomainE2E, UpdateComplaintOnACommentOrComplimentIsFailedPrecondition) {
  v1::SubmitFeedbackResponse stored;
  ASSERT_TRUE(
      Submit(stub(), FamilyItem(v1::KIND_COMPLIMENT, "Thank you", "2018-10-02T10:00:00Z"), &stored)
          .ok());

  v1::UpdateComplaintRequest close;
  close.set_id(stored.feedback().id());
  close.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  *close.mutable_effective_at() = At("2018-10-05T10:00:00Z");
  v1::Feedback updated;
  const grpc::Status status = Update(stub(), close, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();

  v1::Complaint complaint;
  EXPECT_EQ(GetComplaint(stub(), stored.feedback().id(), &complaint).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const std::vector<v1::Feedback> all = ListEverything(stub());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(QuarterSummaryOf(stub(), 2018, 3).complaints_upheld(), 0);
  ExpectCountersConsistent(stub());
}

TEST_F(DomainE2E, NewOutcomeOnAClosedComplaintNeedsEscalationFirstAndARefusalChangesNothing) {
  v1::SubmitFeedbackResponse stored;
  ASSERT_TRUE(Submit(stub(),
                     FamilyItem(v1::KIND_COMPLAINT, "Nobody told us the conference moved.",
                                "2018-10-02T09:00:00Z"),
                     &stored)
                  .ok());
  const std::string id = stored.feedback().id();
  v1::UpdateComplaintRequest close;
  close.set_id(id);
  close.set_outcome(v1::COMPLAINT_OUTCOME_NOT_UPHELD);
  *close.mutable_effective_at() = At("2018-10-12T15:00:00Z");
  close.set_actor("complaints-officer");
  v1::Feedback updated;
  ASSERT_TRUE(Update(stub(), close, &updated).ok());
  v1::Complaint before;
  ASSERT_TRUE(GetComplaint(stub(), id, &before).ok());
  ASSERT_EQ(before.history_size(), 2);
  const v1::QuarterSummary summary_before = QuarterSummaryOf(stub(), 2018, 3);
  EXPECT_EQ(summary_before.complaints_not_upheld(), 1);

  // A new outcome at the same stage, with or without naming the stage, or an extension.
  std::vector<v1::UpdateComplaintRequest> refused(3);
  refused[0].set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  refused[1].set_outcome(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD);
  refused[1].set_stage(v1::COMPLAINT_STAGE_1);
  refused[2].set_extend(true);
  for (v1::UpdateComplaintRequest& request : refused) {
    SCOPED_TRACE(request.ShortDebugString());
    request.set_id(id);
    *request.mutable_effective_at() = At("2018-10-20T10:00:00Z");
    request.set_note("changed our minds");
    const grpc::Status status = Update(stub(), request, &updated);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr("escalate"));
  }

  v1::Complaint after;
  ASSERT_TRUE(GetComplaint(stub(), id, &after).ok());
  EXPECT_EQ(after.history_size(), before.history_size());
  EXPECT_EQ(after.feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_NOT_UPHELD);
  EXPECT_EQ(after.feedback().complaint_stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(after.closed_at().seconds(), before.closed_at().seconds());
  const v1::QuarterSummary summary_after = QuarterSummaryOf(stub(), 2018, 3);
  EXPECT_EQ(summary_after.complaints_upheld(), 0);
  EXPECT_EQ(summary_after.complaints_partially_upheld(), 0);
  EXPECT_EQ(summary_after.complaints_not_upheld(), 1);
  EXPECT_EQ(summary_after.complaints_closed(), 1);

  // Escalated to stage 2 first, a new outcome is accepted.
  v1::UpdateComplaintRequest escalate;
  escalate.set_id(id);
  escalate.set_stage(v1::COMPLAINT_STAGE_2);
  *escalate.mutable_effective_at() = At("2018-10-22T09:00:00Z");
  ASSERT_TRUE(Update(stub(), escalate, &updated).ok());
  EXPECT_EQ(updated.complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  v1::UpdateComplaintRequest uphold = refused[0];
  *uphold.mutable_effective_at() = At("2018-11-20T09:00:00Z");
  const grpc::Status status = Update(stub(), uphold, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.complaint_stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(updated.complaint_outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  ASSERT_TRUE(GetComplaint(stub(), id, &after).ok());
  EXPECT_EQ(after.history_size(), 4);
  EXPECT_EQ(QuarterSummaryOf(stub(), 2018, 3).complaints_upheld(), 1);
  ExpectCountersConsistent(stub());
}

TEST_F(DomainE2E, CreateAdvocacyReferralIsIdempotentOnSubmissionIdAndContent) {
  const v1::CreateAdvocacyReferralRequest request = Referral(12, "2018-10-10T10:00:00Z");
  v1::AdvocacyReferral first, again;
  grpc::Status status = Refer(stub(), request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = Refer(stub(), request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(first.id().empty());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(again.status(), v1::ADVOCACY_STATUS_REFERRED);
  // The key is the UUID, whatever its case.
  v1::CreateAdvocacyReferralRequest shouted = request;
  shouted.set_submission_id(absl::AsciiStrToUpper(request.submission_id()));
  status = Refer(stub(), shouted, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.id(), first.id());

  v1::CreateAdvocacyReferralRequest older = request;
  older.set_child_age(13);
  v1::AdvocacyReferral conflicting;
  status = Refer(stub(), older, &conflicting);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("submission_id"));

  // One referral, of the first request's content.
  EXPECT_EQ(IcpcReferrals(QuarterSummaryOf(stub(), 2018, 3)), 1);
  v1::GetAdvocacyReferralRequest get;
  get.set_id(first.id());
  v1::AdvocacyReferral stored;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  ASSERT_TRUE(stub().GetAdvocacyReferral(&context, get, &stored).ok());
  EXPECT_EQ(stored.child_age(), 12);
  ExpectCountersConsistent(stub());
}

TEST_F(DomainE2E, AdvocacyEligibilityIsTheRuleInForceAtReferredAt) {
  // This test's server has eligibility rules: it replaces the one SetUp started.
  ASSERT_OK(StartServer({.files = {{"--advocacy-eligibility",
                                    "# the 2018-19 pilot, then the limits removed\n"
                                    "from=2018-04-01 min_age=10 max_age=15 "
                                    "within_city_boundary=required name=pilot-2018\n"
                                    "from=2019-04-01 name=no-limits\n"}}}));

  v1::AdvocacyReferral referral;
  // November 2018: the pilot's rule refuses a 16-year-old and a child outside the city.
  const v1::CreateAdvocacyReferralRequest sixteen_in_2018 = Referral(16, "2018-11-14T10:00:00Z");
  grpc::Status status = Refer(stub(), sixteen_in_2018, &referral);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("pilot-2018"));
  status = Refer(stub(), Referral(12, "2018-11-14T10:00:00Z", false), &referral);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("pilot-2018"));
  // 23:59:59 BST on 31 March 2019 is still the pilot.
  status = Refer(stub(), Referral(16, "2019-03-31T22:59:59Z"), &referral);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_TRUE(QuarterSummaryOf(stub(), 2018, 3).advocacy().empty());
  EXPECT_TRUE(QuarterSummaryOf(stub(), 2018, 4).advocacy().empty());

  // A refused submission reserved nothing: its submission_id can carry an eligible referral.
  v1::CreateAdvocacyReferralRequest fifteen = sixteen_in_2018;
  fifteen.set_child_age(15);
  status = Refer(stub(), fifteen, &referral);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // May 2019: no limits.
  v1::CreateAdvocacyReferralRequest sixteen_in_2019 = sixteen_in_2018;
  sixteen_in_2019.set_submission_id(client::NewSubmissionId());
  *sixteen_in_2019.mutable_referred_at() = At("2019-05-15T10:00:00Z");
  status = Refer(stub(), sixteen_in_2019, &referral);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(referral.child_age(), 16);
  // Midnight BST on 1 April 2019: the new rule is in force from local midnight.
  status = Refer(stub(), Referral(17, "2019-03-31T23:00:00Z", false), &referral);
  EXPECT_TRUE(status.ok()) << status.error_message();

  EXPECT_EQ(IcpcReferrals(QuarterSummaryOf(stub(), 2018, 3)), 1);
  EXPECT_EQ(IcpcReferrals(QuarterSummaryOf(stub(), 2019, 1)), 2);
  ExpectCountersConsistent(stub());
}

TEST_F(DomainE2E, ChildStatementForAMissingReferralIsInvalidArgumentAndNothingIsStored) {
  v1::Feedback statement;
  statement.set_submission_id(client::NewSubmissionId());
  statement.set_source(v1::SOURCE_ADVOCATE);
  statement.set_kind(v1::KIND_CHILD_STATEMENT);
  statement.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  statement.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  statement.set_text("I can actually speak, and people listen when the advocate is here.");
  statement.set_consent_to_quote(true);
  statement.set_child_confirmed(true);
  *statement.mutable_occurred_at() = At("2018-10-09T14:00:00Z");
  statement.set_advocacy_referral_id("ar_0123456789abcdef0123456789abcdef");

  v1::SubmitFeedbackResponse response;
  grpc::Status status = Submit(stub(), statement, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("advocacy_referral_id"));
  EXPECT_EQ(ListEverything(stub()).size(), 0u);
  EXPECT_EQ(QuarterSummaryOf(stub(), 2018, 3).child_statements(), 0);

  // Nothing was reserved either: the same submission_id stores the statement once it names a
  // real referral.
  v1::AdvocacyReferral referral;
  status = Refer(stub(), Referral(13, "2018-10-03T10:00:00Z"), &referral);
  ASSERT_TRUE(status.ok()) << status.error_message();
  statement.set_advocacy_referral_id(referral.id());
  status = Submit(stub(), statement, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.duplicate());
  const std::vector<v1::Feedback> stored = ListEverything(stub());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].advocacy_referral_id(), referral.id());
  EXPECT_EQ(QuarterSummaryOf(stub(), 2018, 3).child_statements(), 1);
  ExpectCountersConsistent(stub());
}

}  // namespace domain_e2e_test
}  // namespace
}  // namespace feedback::testing
