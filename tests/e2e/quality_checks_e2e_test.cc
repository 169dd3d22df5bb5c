// Case-file audits and practice observations through the real feedbackd (issue 13): an auditor
// records them, the quarter's summary counts them by division and grade with their themes,
// VerifyCounters agrees with a recount, a retry stores nothing twice, bad input names its field
// and stores nothing, and every list is audited.
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace quality_checks_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

// Noon in London on the given day.
google::protobuf::Timestamp Day(int year, int month, int day) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(year, month, day, 12, 0, 0), absl::UTCTimeZone())));
}

v1::QualityCheck Check(v1::QaActivity activity, v1::ServiceArea division, v1::QaGrade grade) {
  v1::QualityCheck check;
  check.set_submission_id(client::NewSubmissionId());
  check.set_activity(activity);
  check.set_service_area(division);
  check.set_grade(grade);
  return check;
}

absl::StatusOr<v1::QualityCheck> Record(Stub& stub, const v1::QualityCheck& check) {
  v1::RecordQualityCheckRequest request;
  *request.mutable_check() = check;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::QualityCheck stored;
  const grpc::Status status = stub.RecordQualityCheck(&context, request, &stored);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return stored;
}

absl::StatusOr<v1::ListQualityChecksResponse> List(Stub& stub,
                                                   const v1::ListQualityChecksRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ListQualityChecksResponse response;
  const grpc::Status status = stub.ListQualityChecks(&context, request, &response);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return response;
}

v1::QuarterSummary Summary(Stub& stub, int financial_year, int quarter) {
  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(financial_year);
  request.set_quarter(quarter);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::QuarterSummary summary;
  const grpc::Status status = stub.GetQuarterSummary(&context, request, &summary);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return summary;
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

// One server for the suite: each test uses its own quarter (or no figures at all).
using QualityChecks = SharedServerSuite;

TEST_F(QualityChecks, TheQuarterCountsEachActivityByDivisionAndGradeWithItsThemes) {
  // Back-filled into 2018-19 Q3 by QA staff (an auditor reaches only 90 days back).
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  const auto audit = v1::QA_ACTIVITY_CASE_FILE_AUDIT;
  const auto observation = v1::QA_ACTIVITY_PRACTICE_OBSERVATION;
  std::vector<v1::QualityCheck> checks = {
      Check(audit, v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_GOOD),
      Check(audit, v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_GOOD),
      Check(audit, v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_INADEQUATE),
      Check(audit, v1::SERVICE_AREA_SOCIAL_CARE, v1::QA_GRADE_OUTSTANDING),
      Check(audit, v1::SERVICE_AREA_SOCIAL_CARE, v1::QA_GRADE_REQUIRES_IMPROVEMENT),
      Check(observation, v1::SERVICE_AREA_YOUTH_OFFENDING, v1::QA_GRADE_GOOD),
  };
  checks[0].set_moderated(true);
  checks[0].set_strengths("Good evidence of partner agencies input into assessments");
  checks[2].set_areas_for_improvement("Auditors need to identify where oversight can improve");
  checks[4].set_areas_for_improvement("No evidence of management oversight");
  for (v1::QualityCheck& check : checks) {
    *check.mutable_occurred_at() = Day(2018, 11, 14);
    absl::StatusOr<v1::QualityCheck> stored = Record(*qa, check);
    ASSERT_OK(stored);
    EXPECT_THAT(stored->id(), ::testing::StartsWith("qc_"));
  }
  // A check of Q2 (the last day of September) counts there, not here.
  v1::QualityCheck september = Check(audit, v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_GOOD);
  *september.mutable_occurred_at() = Day(2018, 9, 30);
  ASSERT_OK(Record(*qa, september));

  const v1::QuarterSummary summary = Summary(*qa, 2018, 3);
  ASSERT_EQ(summary.qa_activity_size(), 3);
  const v1::QaActivityFigures& early_help = summary.qa_activity(0);
  EXPECT_EQ(early_help.activity(), audit);
  EXPECT_EQ(early_help.service_area(), v1::SERVICE_AREA_EARLY_HELP);
  EXPECT_EQ(early_help.count(), 3);
  EXPECT_EQ(early_help.moderated(), 1);
  std::vector<int64_t> grades;
  for (const v1::QaGradeCount& grade : early_help.grades()) grades.push_back(grade.count());
  EXPECT_THAT(grades,
              ElementsAre(0, 2, 0, 1));  // outstanding, good, requires improvement, inadequate
  EXPECT_EQ(summary.qa_activity(1).service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(summary.qa_activity(1).count(), 2);
  EXPECT_EQ(summary.qa_activity(2).activity(), observation);
  EXPECT_EQ(summary.qa_activity(2).count(), 1);
  ASSERT_EQ(summary.qa_themes_size(), 1);
  std::vector<std::string> strengths, areas;
  for (const v1::TagCount& tag : summary.qa_themes(0).strengths()) strengths.push_back(tag.tag());
  for (const v1::TagCount& tag : summary.qa_themes(0).areas_for_improvement()) {
    areas.push_back(absl::StrCat(tag.tag(), "=", tag.count()));
  }
  EXPECT_THAT(strengths, ElementsAre("assessment", "partner_agencies"));
  EXPECT_THAT(areas, ElementsAre("management_oversight=2"));
  EXPECT_EQ(Summary(*qa, 2018, 2).qa_activity_size(), 1);

  // Counters kept with each write equal a recount from the stored checks.
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::VerifyCountersResponse verified;
  ASSERT_TRUE(admin->VerifyCounters(&context, v1::VerifyCountersRequest(), &verified).ok());
  EXPECT_THAT(verified.differences(), IsEmpty());
}

TEST_F(QualityChecks, AnAuditorRecordsTodayAndReadsItBackWithItsThemes) {
  auto auditor = server().NewStub(v1::ROLE_AUDITOR);
  v1::QualityCheck check =
      Check(v1::QA_ACTIVITY_PRACTICE_OBSERVATION, v1::SERVICE_AREA_SOCIAL_CARE, v1::QA_GRADE_GOOD);
  check.set_strengths("Evidence of the use of Signs of Safety in direct work");
  absl::StatusOr<v1::QualityCheck> stored = Record(*auditor, check);
  ASSERT_OK(stored);
  EXPECT_THAT(stored->strength_themes(), ElementsAre("direct_work", "signs_of_safety"));
  EXPECT_TRUE(stored->has_occurred_at());  // now, when the auditor gives no date
  EXPECT_FALSE(stored->recorded_by().empty());

  v1::ListQualityChecksRequest request;
  request.set_activity(v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  absl::StatusOr<v1::ListQualityChecksResponse> listed = List(*auditor, request);
  ASSERT_OK(listed);
  std::set<std::string> ids;
  for (const v1::QualityCheck& c : listed->checks()) {
    EXPECT_EQ(c.service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
    ids.insert(c.id());
  }
  EXPECT_TRUE(ids.contains(stored->id()));

  // Both the write and the read are in the audit log, by id.
  bool record_audited = false, list_audited = false;
  for (const v1::AuditEntry& entry : AuditLog(server(), "quality_check.record")) {
    if (entry.ids_size() == 1 && entry.ids(0) == stored->id()) record_audited = true;
  }
  for (const v1::AuditEntry& entry : AuditLog(server(), "quality_check.list")) {
    for (const std::string& id : entry.ids()) list_audited |= id == stored->id();
    EXPECT_EQ(entry.actor_role(), v1::ROLE_AUDITOR);
  }
  EXPECT_TRUE(record_audited);
  EXPECT_TRUE(list_audited);

  // An auditor's reach back in time is 90 days; older checks are back-filled by QA staff.
  v1::QualityCheck old = check;
  old.set_submission_id(client::NewSubmissionId());
  *old.mutable_occurred_at() = Day(2018, 11, 14);
  absl::StatusOr<v1::QualityCheck> refused = Record(*auditor, old);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("check.occurred_at"));
}

TEST_F(QualityChecks, ARetryStoresNothingTwiceAndAReusedIdIsRefused) {
  auto auditor = server().NewStub(v1::ROLE_AUDITOR);
  const v1::QualityCheck check =
      Check(v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::SERVICE_AREA_YOUTH_OFFENDING, v1::QA_GRADE_GOOD);
  absl::StatusOr<v1::QualityCheck> first = Record(*auditor, check);
  absl::StatusOr<v1::QualityCheck> again = Record(*auditor, check);
  ASSERT_OK(first);
  ASSERT_OK(again);
  EXPECT_EQ(again->id(), first->id());

  v1::QualityCheck changed = check;
  changed.set_grade(v1::QA_GRADE_INADEQUATE);
  absl::StatusOr<v1::QualityCheck> conflict = Record(*auditor, changed);
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(conflict.status().message(), HasSubstr("submission_id"));
  // Another token may not learn what was recorded under someone else's id.
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  EXPECT_EQ(Record(*qa, check).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(QualityChecks, BadInputNamesTheFieldAndStoresNothing) {
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  v1::QualityCheck check =
      Check(v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_GOOD);
  *check.mutable_occurred_at() = Day(2016, 5, 10);  // 2016-17 Q1: nothing else is there
  v1::QualityCheck no_grade = check;
  no_grade.clear_grade();
  absl::StatusOr<v1::QualityCheck> refused = Record(*qa, no_grade);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("check.grade"));
  v1::QualityCheck chosen_id = check;
  chosen_id.set_id("qc_mine");
  EXPECT_THAT(Record(*qa, chosen_id).status().message(), HasSubstr("check.id"));

  v1::ListQualityChecksRequest request;
  request.set_financial_year(2016);
  request.set_quarter(1);
  absl::StatusOr<v1::ListQualityChecksResponse> listed = List(*qa, request);
  ASSERT_OK(listed);
  EXPECT_THAT(listed->checks(), IsEmpty());
  EXPECT_THAT(Summary(*qa, 2016, 1).qa_activity(), IsEmpty());
}

TEST_F(QualityChecks, TheCommandLineRecordsAnAuditAndListsItWithoutItsWords) {
  // `audit ...` runs with an auditor's token (CommandRoleFor).
  const CommandResult recorded =
      Ctl({"audit", "record", "--division", "youth-offending", "--grade", "requires-improvement",
           "--moderated", "--areas", "No evidence of management oversight"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  const std::string id(absl::StripAsciiWhitespace(recorded.out));
  EXPECT_THAT(id, ::testing::MatchesRegex("qc_[0-9a-f]{32}"));
  EXPECT_THAT(recorded.err, HasSubstr("case-file audit"));

  const CommandResult listed = Ctl({"audit", "list", "--division", "youth-offending"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(id));
  EXPECT_THAT(listed.out, HasSubstr("requires"));
  EXPECT_THAT(listed.out, ::testing::Not(HasSubstr("oversight")));

  const CommandResult bad =
      Ctl({"audit", "record", "--division", "youth-offending", "--grade", "brilliant"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("--grade"));
}

}  // namespace quality_checks_e2e_test
}  // namespace
}  // namespace feedback::testing
