// Erasure of audits, observations and chairs' oversight outcomes through the real server and
// feedbackctl: the words leave the record and the store's files, the grade, outcome, themes
// and figures stay, the erasure is audited, a replay cannot bring the words back, and a legal
// hold stops it.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace qa_record_erasure_e2e_test {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using Stub = v1::FeedbackService::Stub;

// Made-up words that no key, id or lexicon entry contains, so a search of the files finds only
// the text they were written in.
constexpr char kStrengths[] = "Zq7Lm2Xv: Philomena's voice is clear in the plan";
constexpr char kAreas[] = "Bt9Rk4Wc: chronology for Philomena out of date";
constexpr char kChairWords[] = "Yd3Hs8Np: Philomena's plan drifted, escalated to the team manager";

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(60);
}

template <typename Request, typename Response>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return (stub.*method)(&context, request, response);
}

v1::RecordQualityCheckRequest Audit() {
  v1::RecordQualityCheckRequest request;
  v1::QualityCheck& check = *request.mutable_check();
  check.set_submission_id(client::NewSubmissionId());
  check.set_activity(v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  check.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  check.set_grade(v1::QA_GRADE_REQUIRES_IMPROVEMENT);
  check.set_moderated(true);
  check.set_strengths(kStrengths);
  check.set_areas_for_improvement(kAreas);
  return request;
}

v1::RecordOversightRequest Escalation() {
  v1::RecordOversightRequest request;
  v1::ChairOversight& oversight = *request.mutable_oversight();
  oversight.set_submission_id(client::NewSubmissionId());
  oversight.set_meeting(v1::MEETING_CLA_REVIEW);
  oversight.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  oversight.set_outcome(v1::OVERSIGHT_OUTCOME_ESCALATION);
  oversight.set_areas_for_development(kChairWords);
  return request;
}

// The one audit or observation (oversight outcome) `stub` may list.
v1::QualityCheck OnlyCheck(Stub& stub) {
  v1::ListQualityChecksResponse response;
  const grpc::Status status =
      Call(stub, &Stub::ListQualityChecks, v1::ListQualityChecksRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.checks_size(), 1);
  return response.checks().empty() ? v1::QualityCheck() : response.checks(0);
}

v1::ChairOversight OnlyOversight(Stub& stub) {
  v1::ListOversightsResponse response;
  const grpc::Status status =
      Call(stub, &Stub::ListOversights, v1::ListOversightsRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.oversights_size(), 1);
  return response.oversights().empty() ? v1::ChairOversight() : response.oversights(0);
}

// The quarter's figures, exact (qa_manager) and published (reporter).
std::vector<v1::QuarterSummary> Figures(const ServerProcess& server) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  EXPECT_OK(calendar);
  const Quarter q = calendar->QuarterOf(absl::Now());
  return {QuarterSummaryOf(*server.NewStub(v1::ROLE_QA_MANAGER), q.financial_year, q.quarter),
          QuarterSummaryOf(*server.NewStub(v1::ROLE_REPORTER), q.financial_year, q.quarter)};
}

void ExpectSameFigures(const std::vector<v1::QuarterSummary>& before,
                       const std::vector<v1::QuarterSummary>& after) {
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i], after[i]))
        << before[i].DebugString() << "\nvs\n"
        << after[i].DebugString();
  }
}

std::vector<v1::AuditEntry> AuditLog(Stub& admin, const std::string& action) {
  v1::ListAuditRequest request;
  request.set_action(action);
  v1::ListAuditResponse response;
  const grpc::Status status = Call(admin, &Stub::ListAudit, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.entries().begin(), response.entries().end()};
}

using QaRecordErasureE2eTest = DeferredServerTest;

TEST_F(QaRecordErasureE2eTest, AnAuditsWordsLeaveTheStoreItsGradeThemesAndFiguresStay) {
  ASSERT_OK(StartServer());
  auto auditor = server().NewStub(v1::ROLE_AUDITOR);
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  const v1::RecordQualityCheckRequest request = Audit();
  v1::QualityCheck recorded;
  grpc::Status status = Call(*auditor, &Stub::RecordQualityCheck, request, &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<v1::QuarterSummary> before = Figures(server());
  ASSERT_TRUE(AnyFileContains(data_dir(), "Zq7Lm2Xv"));

  const CommandResult erased = Ctl({"admin", "erase", recorded.id(), "--reason", "SAR 2026-090"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_THAT(erased.out, HasSubstr(recorded.id() + ": erased at "));
  EXPECT_THAT(erased.out, HasSubstr("strengths and areas for improvement removed"));

  // What is left: no words; the grade, division, moderation and themes as they were.
  const v1::QualityCheck after = OnlyCheck(*qa);
  EXPECT_EQ(after.id(), recorded.id());
  EXPECT_EQ(after.strengths(), "");
  EXPECT_EQ(after.areas_for_improvement(), "");
  EXPECT_TRUE(after.has_erased_at());
  EXPECT_EQ(after.grade(), v1::QA_GRADE_REQUIRES_IMPROVEMENT);
  EXPECT_EQ(after.service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_TRUE(after.moderated());
  EXPECT_THAT(after.strength_themes(), ElementsAreArray(recorded.strength_themes()));
  EXPECT_THAT(after.improvement_themes(), ElementsAreArray(recorded.improvement_themes()));
  ExpectSameFigures(before, Figures(server()));
  ExpectCountersConsistent(*admin);
  const std::vector<v1::AuditEntry> entries = AuditLog(*admin, "quality_check.erase");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(entries[0].ids(), UnorderedElementsAre(recorded.id()));
  EXPECT_EQ(entries[0].detail(), "SAR 2026-090");
  EXPECT_FALSE(AnyFileContains(data_dir(), "Zq7Lm2Xv"));
  EXPECT_FALSE(AnyFileContains(data_dir(), "Bt9Rk4Wc"));

  // The auditor's tool retrying the recording cannot bring the words back.
  v1::QualityCheck replay;
  status = Call(*auditor, &Stub::RecordQualityCheck, request, &replay);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("erased"));

  // Erasing again is harmless; an unknown id is NOT_FOUND, naming what was looked for.
  const CommandResult again =
      Ctl({"--json", "admin", "erase", recorded.id(), "--reason", "SAR 2026-090"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("\"check\""));
  v1::EraseFeedbackRequest unknown;
  unknown.set_id("qc_0123456789abcdef0123456789abcdef");
  unknown.set_reason("SAR 1");
  v1::EraseFeedbackResponse response;
  status = Call(*admin, &Stub::EraseFeedback, unknown, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("no audit or observation with id"));
}

TEST_F(QaRecordErasureE2eTest, AChairsEscalationIsErasedOnlyOnceItsLegalHoldIsReleased) {
  ASSERT_OK(StartServer());
  auto chair = server().NewStub(v1::ROLE_CHAIR);
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  const v1::RecordOversightRequest request = Escalation();
  v1::ChairOversight recorded;
  grpc::Status status = Call(*chair, &Stub::RecordOversight, request, &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(recorded.alert_id().empty());
  const std::vector<v1::QuarterSummary> before = Figures(server());

  CommandResult result = Ctl({"admin", "hold", "set", recorded.id(), "--reason", "Claim 2026-12"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Ctl({"admin", "erase", recorded.id(), "--reason", "SAR 2026-091"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("legal hold"));
  EXPECT_TRUE(AnyFileContains(data_dir(), "Yd3Hs8Np"));

  result = Ctl({"admin", "hold", "release", recorded.id()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Ctl({"admin", "erase", recorded.id(), "--reason", "SAR 2026-091"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("strengths and areas for development removed"));

  // The chair reads their own outcome: no words; the outcome and its alert stay.
  const v1::ChairOversight after = OnlyOversight(*chair);
  EXPECT_EQ(after.areas_for_development(), "");
  EXPECT_TRUE(after.has_erased_at());
  EXPECT_EQ(after.outcome(), v1::OVERSIGHT_OUTCOME_ESCALATION);
  EXPECT_EQ(after.alert_id(), recorded.alert_id());
  EXPECT_THAT(after.development_themes(), ElementsAreArray(recorded.development_themes()));
  ExpectSameFigures(before, Figures(server()));
  ExpectCountersConsistent(*admin);
  EXPECT_EQ(AuditLog(*admin, "oversight.erase").size(), 1u);
  EXPECT_FALSE(AnyFileContains(data_dir(), "Yd3Hs8Np"));

  v1::ChairOversight replay;
  status = Call(*chair, &Stub::RecordOversight, request, &replay);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
}

// Retention: `audit` and `oversight` lines purge those records by occurred_at; observations,
// with no line, are kept; a held outcome waits for its hold to be released.
TEST_F(QaRecordErasureE2eTest, APurgeErasesAuditsAndOutcomesPastTheirPeriodsButNotHeldOnes) {
  ASSERT_OK(StartServer({.files = {{"--retention", "audit 30\noversight 30\n"}}}));
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  const google::protobuf::Timestamp two_years_ago =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(absl::Now() - absl::Hours(24 * 730)));
  v1::RecordQualityCheckRequest audit = Audit();
  *audit.mutable_check()->mutable_occurred_at() = two_years_ago;
  v1::RecordQualityCheckRequest observation = Audit();
  observation.mutable_check()->set_activity(v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
  observation.mutable_check()->set_strengths("Kv6Pd1Sx: warm with the children");
  *observation.mutable_check()->mutable_occurred_at() = two_years_ago;
  v1::RecordOversightRequest oversight = Escalation();
  *oversight.mutable_oversight()->mutable_occurred_at() = two_years_ago;
  v1::QualityCheck old_audit, old_observation;
  v1::ChairOversight old_oversight;
  ASSERT_TRUE(Call(*qa, &Stub::RecordQualityCheck, audit, &old_audit).ok());
  ASSERT_TRUE(Call(*qa, &Stub::RecordQualityCheck, observation, &old_observation).ok());
  ASSERT_TRUE(Call(*qa, &Stub::RecordOversight, oversight, &old_oversight).ok());
  ASSERT_EQ(Ctl({"admin", "hold", "set", old_oversight.id(), "--reason", "Claim 7"}).exit_code, 0);

  CommandResult result = Ctl({"admin", "purge", "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("would erase " + old_audit.id()));
  EXPECT_THAT(result.out, HasSubstr("held       " + old_oversight.id()));
  EXPECT_THAT(result.out, Not(HasSubstr(old_observation.id())));
  EXPECT_TRUE(AnyFileContains(data_dir(), "Zq7Lm2Xv"));

  result = Ctl({"admin", "purge"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("erased " + old_audit.id()));
  EXPECT_FALSE(AnyFileContains(data_dir(), "Zq7Lm2Xv"));  // the audit's words
  EXPECT_TRUE(AnyFileContains(data_dir(), "Kv6Pd1Sx"));   // the observation's: no period
  EXPECT_TRUE(AnyFileContains(data_dir(), "Yd3Hs8Np"));   // the held outcome's

  ASSERT_EQ(Ctl({"admin", "hold", "release", old_oversight.id()}).exit_code, 0);
  result = Ctl({"admin", "purge"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("erased " + old_oversight.id()));
  EXPECT_FALSE(AnyFileContains(data_dir(), "Yd3Hs8Np"));
  ExpectCountersConsistent(*server().NewStub(v1::ROLE_ADMIN));
}

}  // namespace qa_record_erasure_e2e_test
}  // namespace
}  // namespace feedback::testing
