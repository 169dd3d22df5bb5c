// Independent chairs' oversight through the real feedbackd (issue 13): a chair records outcomes
// and lists its own; an escalation raises a practice alert for managers with a due date in
// working days, resolved by acknowledging it; the quarter's summary counts outcomes by meeting
// group with their themes; VerifyCounters agrees; a retry stores nothing twice; bad input names
// its field and stores nothing; record and list are audited; feedbackctl never prints the text.
#include <chrono>
#include <memory>
#include <optional>
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
namespace oversight_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

google::protobuf::Timestamp Noon(int year, int month, int day) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(year, month, day, 12, 0, 0), absl::UTCTimeZone())));
}

v1::ChairOversight Outcome(v1::Meeting meeting, v1::OversightOutcome outcome) {
  v1::ChairOversight oversight;
  oversight.set_submission_id(client::NewSubmissionId());
  oversight.set_meeting(meeting);
  oversight.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  oversight.set_outcome(outcome);
  return oversight;
}

absl::StatusOr<v1::ChairOversight> Record(Stub& stub, const v1::ChairOversight& oversight) {
  v1::RecordOversightRequest request;
  *request.mutable_oversight() = oversight;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ChairOversight stored;
  const grpc::Status status = stub.RecordOversight(&context, request, &stored);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return stored;
}

// The ids `stub` may list in the financial quarter (0, 0: all time).
std::set<std::string> ListedIds(Stub& stub, int financial_year, int quarter) {
  v1::ListOversightsRequest request;
  request.set_financial_year(financial_year);
  request.set_quarter(quarter);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ListOversightsResponse response;
  const grpc::Status status = stub.ListOversights(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> ids;
  for (const v1::ChairOversight& o : response.oversights()) ids.insert(o.id());
  return ids;
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

// The actions of the audit log's entries naming `id`.
std::vector<std::string> AuditedActions(Stub& admin, const std::string& id) {
  v1::ListAuditRequest request;
  request.set_page_size(1000);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ListAuditResponse response;
  const grpc::Status status = admin.ListAudit(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> actions;
  for (const v1::AuditEntry& entry : response.entries()) {
    for (const std::string& named : entry.ids()) {
      if (named == id) actions.push_back(entry.action());
    }
  }
  return actions;
}

using Oversight = SharedServerSuite;

TEST_F(Oversight, AChairsEscalationRaisesADueAlertAndChairsListOnlyTheirOwn) {
  // The managers' watch is open before the chair records anything.
  grpc::ClientContext watch_context;
  watch_context.set_deadline(Deadline(20));
  std::unique_ptr<grpc::ClientReader<v1::Alert>> watch =
      stub(v1::ROLE_QA_MANAGER).WatchAlerts(&watch_context, v1::WatchAlertsRequest());

  Stub& chair = stub(v1::ROLE_CHAIR);
  v1::ChairOversight escalation =
      Outcome(v1::MEETING_REVIEW_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_ESCALATION);
  escalation.set_areas_for_development("Planning and preparation for conference");
  absl::StatusOr<v1::ChairOversight> stored = Record(chair, escalation);
  ASSERT_OK(stored);
  EXPECT_THAT(stored->id(), ::testing::MatchesRegex("co_[0-9a-f]{32}"));
  EXPECT_EQ(stored->alert_id(), stored->id());
  EXPECT_THAT(stored->development_themes(), ElementsAre("planning"));
  // Due at the end of the fifth working day: at least a week of calendar days, at most 11 (a
  // long weekend and bank holidays never add more here).
  const absl::Duration due_in =
      absl::Seconds(stored->alert_due_at().seconds() - stored->recorded_at().seconds());
  EXPECT_GE(due_in, absl::Hours(24 * 5));
  EXPECT_LE(due_in, absl::Hours(24 * 12));

  // A retry is answered with the stored outcome; no second record.
  absl::StatusOr<v1::ChairOversight> again = Record(chair, escalation);
  ASSERT_OK(again);
  EXPECT_EQ(again->id(), stored->id());

  v1::Alert alert;
  ASSERT_TRUE(watch->Read(&alert)) << "the managers' watch got no alert";
  EXPECT_EQ(alert.id(), stored->id());
  EXPECT_EQ(alert.reason(), v1::ALERT_REASON_CHAIR_ESCALATION);
  EXPECT_EQ(alert.oversight_id(), stored->id());
  EXPECT_EQ(alert.meeting(), v1::MEETING_REVIEW_CP_CONFERENCE);
  EXPECT_EQ(alert.due_at().seconds(), stored->alert_due_at().seconds());
  EXPECT_THAT(alert.DebugString(), Not(HasSubstr("Planning")));  // never the chair's words
  watch_context.TryCancel();
  while (watch->Read(&alert)) {
  }
  watch->Finish();

  // Resolved the way any alert is: acknowledged by a manager.
  v1::AcknowledgeAlertRequest acknowledge;
  acknowledge.set_id(stored->id());
  acknowledge.set_actor("team-manager-sam");
  grpc::ClientContext ack_context;
  ack_context.set_deadline(Deadline());
  v1::Alert acknowledged;
  ASSERT_TRUE(
      stub(v1::ROLE_QA_MANAGER).AcknowledgeAlert(&ack_context, acknowledge, &acknowledged).ok());
  EXPECT_TRUE(acknowledged.acknowledged());
  EXPECT_TRUE(acknowledged.has_due_at());

  // A chair reaches 90 days back; QA staff back-fill older quarters. A chair lists only the
  // outcomes its own token recorded; QA staff list every chair's.
  v1::ChairOversight old = Outcome(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_NO_CONCERNS);
  *old.mutable_occurred_at() = Noon(2018, 11, 14);
  absl::StatusOr<v1::ChairOversight> refused = Record(chair, old);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("oversight.occurred_at"));
  absl::StatusOr<v1::ChairOversight> backfilled = Record(stub(v1::ROLE_QA_MANAGER), old);
  ASSERT_OK(backfilled);
  const std::set<std::string> chairs = ListedIds(chair, 0, 0);
  EXPECT_TRUE(chairs.contains(stored->id()));
  EXPECT_FALSE(chairs.contains(backfilled->id()));
  const std::set<std::string> all = ListedIds(stub(v1::ROLE_QA_MANAGER), 0, 0);
  EXPECT_TRUE(all.contains(stored->id()));
  EXPECT_TRUE(all.contains(backfilled->id()));

  // Recorded, listed and acknowledged: each in the audit log by id.
  EXPECT_THAT(AuditedActions(stub(v1::ROLE_ADMIN), stored->id()),
              ::testing::IsSupersetOf({"oversight.record", "oversight.list", "alert.acknowledge"}));
}

TEST_F(Oversight, TheQuarterCountsOutcomesByMeetingGroupAndBadInputStoresNothing) {
  Stub& qa = stub(v1::ROLE_QA_MANAGER);
  // 2017-18 Q2 (July-September 2017): nothing else is there.
  std::vector<v1::ChairOversight> outcomes = {
      Outcome(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_ESCALATION),
      Outcome(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_NO_CONCERNS),
      Outcome(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_NO_CONCERNS),
      Outcome(v1::MEETING_INITIAL_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_COMMENDATION),
      Outcome(v1::MEETING_REVIEW_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_NO_CONCERNS),
  };
  outcomes[1].set_strengths("Embedding Signs of Safety practice");
  outcomes[3].set_strengths("Good engagement with children and their wishes");
  for (v1::ChairOversight& o : outcomes) {
    *o.mutable_occurred_at() = Noon(2017, 8, 9);
    ASSERT_OK(Record(qa, o));
  }
  // Bad input names its field and stores nothing.
  v1::ChairOversight cin = Outcome(v1::MEETING_CIN_REVIEW, v1::OVERSIGHT_OUTCOME_NO_CONCERNS);
  *cin.mutable_occurred_at() = Noon(2017, 8, 9);
  absl::StatusOr<v1::ChairOversight> refused = Record(qa, cin);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("oversight.meeting"));
  v1::ChairOversight no_outcome = outcomes[0];
  no_outcome.set_submission_id(client::NewSubmissionId());
  no_outcome.clear_outcome();
  EXPECT_THAT(Record(qa, no_outcome).status().message(), HasSubstr("oversight.outcome"));
  EXPECT_EQ(ListedIds(qa, 2017, 2).size(), outcomes.size());

  const v1::QuarterSummary summary = Summary(qa, 2017, 2);
  ASSERT_EQ(summary.oversight_size(), 2) << summary.DebugString();
  const v1::OversightFigures& cp = summary.oversight(0);
  EXPECT_EQ(cp.group(), v1::OVERSIGHT_GROUP_CP_CONFERENCES);
  EXPECT_EQ(cp.count(), 2);
  EXPECT_EQ(cp.commendations(), 1);
  EXPECT_EQ(cp.no_concerns(), 1);
  const v1::OversightFigures& lac = summary.oversight(1);
  EXPECT_EQ(lac.group(), v1::OVERSIGHT_GROUP_LAC_REVIEWS);
  EXPECT_EQ(lac.count(), 3);
  EXPECT_EQ(lac.escalations(), 1);
  EXPECT_EQ(lac.no_concerns(), 2);
  std::vector<std::string> strengths;
  for (const v1::TagCount& t : summary.oversight_strengths()) strengths.push_back(t.tag());
  EXPECT_THAT(strengths, ElementsAre("direct_work", "signs_of_safety", "wishes_and_feelings"));

  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::VerifyCountersResponse verified;
  ASSERT_TRUE(
      stub(v1::ROLE_ADMIN).VerifyCounters(&context, v1::VerifyCountersRequest(), &verified).ok());
  EXPECT_THAT(verified.differences(), IsEmpty());
}

TEST_F(Oversight, TheCommandLineRecordsAnOutcomeAndListsItWithoutItsWords) {
  // `oversight ...` runs with a chair's token (CommandRoleFor).
  const CommandResult recorded =
      Ctl({"oversight", "record", "--meeting", "icpc", "--service-area", "social-care", "--outcome",
           "commendation", "--strengths", "Consistent footprint of the chair"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  const std::string id(absl::StripAsciiWhitespace(recorded.out));
  EXPECT_THAT(id, ::testing::MatchesRegex("co_[0-9a-f]{32}"));
  EXPECT_THAT(recorded.err, HasSubstr("icpc, social-care, commendation"));

  const CommandResult listed = Ctl({"oversight", "list", "--outcome", "commendation"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(id));
  EXPECT_THAT(listed.out, Not(HasSubstr("footprint")));
  const CommandResult json = Ctl({"--json", "oversight", "list", "--meeting", "icpc"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr(id));

  const CommandResult bad = Ctl({"oversight", "record", "--meeting", "cin-review", "--service-area",
                                 "social-care", "--outcome", "no-concerns"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("--meeting"));
  const CommandResult bad_outcome = Ctl({"oversight", "record", "--meeting", "rcpc",
                                         "--service-area", "social-care", "--outcome", "great"});
  EXPECT_EQ(bad_outcome.exit_code, 2) << bad_outcome.err;
  EXPECT_THAT(bad_outcome.err, HasSubstr("--outcome"));
}

}  // namespace oversight_e2e_test
}  // namespace
}  // namespace feedback::testing
