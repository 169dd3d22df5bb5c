// End-to-end: published quarters stay put (issue 9, item 3), through the real feedbackd and
// feedbackctl. An admin publishes 2018-19 Q1..Q3; a qa_manager then back-fills a complaint and
// an advocacy referral into Q3. The exact view moves, the published summary and the report do
// not, and every report of Q3 and of Q4 says what changed after publication.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace publication_e2e_test {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;
using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

google::protobuf::Timestamp At(const std::string& rfc3339) {
  google::protobuf::Timestamp at;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &at)) << rfc3339;
  return at;
}

v1::Feedback Complaint(const std::string& occurred_at) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(v1::KIND_COMPLAINT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  feedback.set_text("Nobody told us the date of the review.");
  *feedback.mutable_occurred_at() = At(occurred_at);
  return feedback;
}

absl::StatusOr<v1::SubmitFeedbackResponse> Submit(Stub& stub, const v1::Feedback& feedback) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = stub.SubmitFeedback(&context, request, &response);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::AdvocacyReferral> Refer(Stub& stub, int child_age, const std::string& at) {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id(client::NewSubmissionId());
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  request.set_child_age(child_age);
  request.set_within_city_boundary(true);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  *request.mutable_referred_at() = At(at);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::AdvocacyReferral referral;
  const grpc::Status status = stub.CreateAdvocacyReferral(&context, request, &referral);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return referral;
}

absl::StatusOr<v1::QuarterSummary> Summary(Stub& stub, int quarter, bool published) {
  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(2018);
  request.set_quarter(quarter);
  request.set_published(published);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::QuarterSummary summary;
  const grpc::Status status = stub.GetQuarterSummary(&context, request, &summary);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return summary;
}

absl::StatusOr<v1::PublishedQuarter> Publish(Stub& stub, int financial_year, int quarter) {
  v1::PublishQuarterRequest request;
  request.set_financial_year(financial_year);
  request.set_quarter(quarter);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::PublishedQuarter published;
  const grpc::Status status = stub.PublishQuarter(&context, request, &published);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return published;
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

const v1::LateRevision* FindRevision(const v1::QuarterSummary& summary, const std::string& name) {
  for (const v1::LateRevision& revision : summary.late_revisions()) {
    if (revision.figure() == name) return &revision;
  }
  return nullptr;
}

// 2018-19 Q1..Q3 with a few complaints and, in Q3, ten CLA referrals of children aged 12;
// entered by a qa_manager (back-fill: they are years old).
class PublishedQuarters : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* at : {"2018-05-02T10:00:00Z", "2018-08-02T10:00:00Z"}) {
      ASSERT_OK(Submit(qa(), Complaint(at)));
    }
    for (int i = 0; i < 10; ++i) ASSERT_OK(Submit(qa(), Complaint("2018-11-05T10:00:00Z")));
    for (int i = 0; i < 10; ++i) ASSERT_OK(Refer(qa(), 12, "2018-11-06T10:00:00Z"));
  }

  Stub& qa() { return stub(v1::ROLE_QA_MANAGER); }
  Stub& admin() { return stub(v1::ROLE_ADMIN); }
  Stub& reporter() { return stub(v1::ROLE_REPORTER); }

  // The README's command, for each quarter of 2018-19 up to `last`.
  void PublishUpTo(int last) {
    for (int q = 1; q <= last; ++q) {
      const std::string quarter = absl::StrCat("2018-19Q", q);
      const CommandResult published = Ctl({"admin", "publish", "--quarter", quarter});
      ASSERT_EQ(published.exit_code, 0) << published.err;
      EXPECT_THAT(published.out, HasSubstr("published " + quarter));
    }
  }
};

TEST_F(PublishedQuarters, ABackfillMovesTheExactViewButNotThePublishedSummary) {
  PublishUpTo(3);
  absl::StatusOr<v1::QuarterSummary> before = Summary(reporter(), 3, true);
  ASSERT_OK(before);
  EXPECT_EQ(before->complaints_received(), 10);
  EXPECT_TRUE(before->has_published_at());
  EXPECT_EQ(before->late_revisions_size(), 0);

  // A letter from November 2018, entered now by a qa_manager.
  ASSERT_OK(Submit(qa(), Complaint("2018-11-20T10:00:00Z")));

  absl::StatusOr<v1::QuarterSummary> exact = Summary(qa(), 3, false);
  ASSERT_OK(exact);
  EXPECT_EQ(exact->complaints_received(), 11);

  for (Stub* reader : {&reporter(), &qa()}) {
    absl::StatusOr<v1::QuarterSummary> after = Summary(*reader, 3, true);
    ASSERT_OK(after);
    EXPECT_EQ(after->complaints_received(), 10) << "the published figure stays put";
    const v1::LateRevision* late = FindRevision(*after, "complaints_received");
    ASSERT_NE(late, nullptr) << after->DebugString();
    EXPECT_EQ(late->count(), 1);
    EXPECT_FALSE(late->withheld());
    // Everything but the late revisions is what was published.
    v1::QuarterSummary frozen = *after;
    frozen.clear_late_revisions();
    frozen.mutable_previous_quarter()->clear_late_revisions();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(frozen, *before))
        << frozen.DebugString() << "\nwas\n"
        << before->DebugString();
  }
  // The next quarter's summary shows Q3 as published, with its late revision.
  absl::StatusOr<v1::QuarterSummary> q4 = Summary(reporter(), 4, true);
  ASSERT_OK(q4);
  EXPECT_EQ(q4->previous_quarter().complaints_received(), 10);
  EXPECT_NE(FindRevision(q4->previous_quarter(), "complaints_received"), nullptr);
}

TEST_F(PublishedQuarters, EveryReportOfTheQuarterAndOfTheNextNotesTheLateRevision) {
  PublishUpTo(3);
  ASSERT_OK(Submit(qa(), Complaint("2018-11-20T10:00:00Z")));
  const std::string note = "2018-19 Q3 \xE2\x80\x93 Complaints received: 1 more after publication";

  const CommandResult md = Ctl({"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("| Complaints received | 10 |"));
  EXPECT_THAT(md.out, HasSubstr("Figures as published on "));
  EXPECT_THAT(md.out, HasSubstr("## Revised after publication"));
  EXPECT_THAT(md.out, HasSubstr("- " + note));
  for (const char* format : {"csv", "json", "html"}) {
    const CommandResult other = Ctl({"report", "--quarter", "2018-19Q3", "--format", format});
    ASSERT_EQ(other.exit_code, 0) << other.err;
    EXPECT_THAT(other.out, HasSubstr(note)) << format;
  }
  // Q4 is not published: its report shows Q3 as published and says what changed since.
  const CommandResult next = Ctl({"report", "--quarter", "2018-19Q4", "--format", "md"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_THAT(next.out, HasSubstr("- " + note));
  EXPECT_THAT(next.out, Not(HasSubstr("Figures as published on ")));
}

TEST_F(PublishedQuarters, LateCountsOfAWithheldFigureAreWithheldToo) {
  PublishUpTo(3);
  // An advocate's colleague back-fills one referral of a 7-year-old into Q3: a reader must not
  // learn that the 5-9 band grew by exactly one.
  ASSERT_OK(Refer(qa(), 7, "2018-11-07T10:00:00Z"));
  absl::StatusOr<v1::QuarterSummary> published = Summary(reporter(), 3, true);
  ASSERT_OK(published);
  ASSERT_EQ(published->advocacy_size(), 1);
  EXPECT_EQ(published->advocacy(0).referrals(), 10);
  const v1::LateRevision* referrals =
      FindRevision(*published, "advocacy.MEETING_CLA_REVIEW.referrals");
  ASSERT_NE(referrals, nullptr);
  EXPECT_EQ(referrals->count(), 1);
  int withheld_bands = 0;
  for (const v1::LateRevision& revision : published->late_revisions()) {
    if (revision.figure().find(".age_band.") == std::string::npos) continue;
    EXPECT_TRUE(revision.withheld()) << revision.DebugString();
    EXPECT_EQ(revision.count(), 0);
    ++withheld_bands;
  }
  EXPECT_GE(withheld_bands, 2) << "the one that changed must not stand out";
  EXPECT_NE(FindRevision(*published, "advocacy.MEETING_CLA_REVIEW.age_band.5-9"), nullptr);
  // QA staff's exact view is live, and says nothing of publication.
  absl::StatusOr<v1::QuarterSummary> exact = Summary(qa(), 3, false);
  ASSERT_OK(exact);
  ASSERT_EQ(exact->advocacy_size(), 1);
  EXPECT_EQ(exact->advocacy(0).referrals(), 11);
  EXPECT_FALSE(exact->has_published_at());
  EXPECT_EQ(exact->late_revisions_size(), 0);

  const CommandResult md = Ctl({"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("Children Looked After, aged 5-9: c more after publication"));
  EXPECT_THAT(md.out, Not(HasSubstr("aged 5-9: 1 more")));
}

TEST_F(PublishedQuarters, PublishIsAuditedAndHappensOnceInOrderForFinishedQuarters) {
  // Q3 before Q1 and Q2: a report of Q3 shows them, so they are published first.
  absl::StatusOr<v1::PublishedQuarter> early = Publish(admin(), 2018, 3);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("2018-19Q1"));

  absl::StatusOr<v1::PublishedQuarter> q1 = Publish(admin(), 2018, 1);
  ASSERT_OK(q1);
  EXPECT_EQ(q1->summaries_size(), 4);  // all areas, then each area
  EXPECT_EQ(q1->summaries(0).service_area(), v1::SERVICE_AREA_UNSPECIFIED);
  EXPECT_EQ(q1->summaries(0).complaints_received(), 1);
  EXPECT_EQ(q1->published_by().substr(0, 4), "tok_");

  std::vector<v1::AuditEntry> audit = AuditLog(server(), "quarter.publish");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor_role(), v1::ROLE_ADMIN);
  EXPECT_THAT(audit[0].ids(), ::testing::ElementsAre("2018-19Q1"));

  // Twice: refused, nothing written, nothing audited.
  absl::StatusOr<v1::PublishedQuarter> again = Publish(admin(), 2018, 1);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("was published on"));
  EXPECT_EQ(AuditLog(server(), "quarter.publish").size(), 1u);

  // A quarter that is not over yet.
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::CivilMonth month = absl::ToCivilMonth(absl::Now(), london);
  const int quarter = month.month() >= 4 ? (month.month() - 4) / 3 + 1 : 4;
  const int year = month.month() >= 4 ? month.year() : month.year() - 1;
  absl::StatusOr<v1::PublishedQuarter> current = Publish(admin(), year, quarter);
  EXPECT_EQ(current.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(current.status().message(), HasSubstr("is not over"));

  // Only an admin publishes.
  EXPECT_EQ(Publish(qa(), 2018, 2).status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace publication_e2e_test
}  // namespace
}  // namespace feedback::testing
