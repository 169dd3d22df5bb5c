#include "service/domain/complaints.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/domain/working_days.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace complaints_test {

using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Instants are written in UTC; every due date below is worked out by hand from a calendar, the
// England bank holidays and the UK clock rules (GMT in winter; BST = UTC+1 from the last Sunday
// of March to the last Sunday of October), never from the code under test.
absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

google::protobuf::Timestamp Ts(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::Time TimeOf(const google::protobuf::Timestamp& at) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at));
}

ComplaintProcedure MakeProcedure() {
  absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
  EXPECT_OK(days);
  absl::TimeZone london;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  return ComplaintProcedure(*std::move(days), london);
}

v1::Feedback ComplaintRecord(absl::Time occurred_at) {
  v1::Feedback record;
  record.set_id("fb_1");
  record.set_submission_id("0b7f3c9e-8a4d-4f3e-9a57-2d1c6b8e4f10");
  record.set_source(v1::SOURCE_FAMILY);
  record.set_kind(v1::KIND_COMPLAINT);
  record.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  record.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  record.set_text("Nobody told us the date of the conference.");
  *record.mutable_occurred_at() = Ts(occurred_at);
  *record.mutable_received_at() = Ts(occurred_at + absl::Minutes(5));
  return record;
}

// Received on Thursday 20 December 2018; stage 1 is due by the end of Tuesday 8 January 2019
// (21, 24, 27, 28, 31 Dec, 2, 3, 4, 7, 8 Jan), so due_at is midnight GMT starting 9 January.
const absl::Time kReceived = Utc(2018, 12, 20, 10);
const absl::Time kStage1Due = Utc(2019, 1, 9);

v1::Complaint Opened(const ComplaintProcedure& procedure) {
  return procedure.Open(ComplaintRecord(kReceived), kReceived + absl::Minutes(5));
}

v1::UpdateComplaintRequest Escalate(v1::ComplaintStage stage, absl::Time effective_at) {
  v1::UpdateComplaintRequest update;
  update.set_id("fb_1");
  update.set_stage(stage);
  *update.mutable_effective_at() = Ts(effective_at);
  update.set_actor("complaints manager");
  return update;
}

v1::UpdateComplaintRequest Close(v1::ComplaintOutcome outcome, absl::Time effective_at) {
  v1::UpdateComplaintRequest update;
  update.set_id("fb_1");
  update.set_outcome(outcome);
  *update.mutable_effective_at() = Ts(effective_at);
  update.set_actor("complaints manager");
  return update;
}

v1::UpdateComplaintRequest Extend(absl::Time effective_at) {
  v1::UpdateComplaintRequest update;
  update.set_id("fb_1");
  update.set_extend(true);
  *update.mutable_effective_at() = Ts(effective_at);
  return update;
}

// `complaint` after `update` at `now`, failing the test if it is refused.
v1::Complaint MustApply(const ComplaintProcedure& procedure, const v1::Complaint& complaint,
                        const v1::UpdateComplaintRequest& update, absl::Time now) {
  absl::StatusOr<v1::Complaint> next = procedure.Apply(complaint, update, now);
  EXPECT_OK(next);
  return next.ok() ? *std::move(next) : complaint;
}

TEST(ComplaintProcedure, OpenStartsStageOneDueAfterTenWorkingDays) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint complaint = Opened(procedure);
  EXPECT_EQ(complaint.feedback().complaint_stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(complaint.feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(complaint.feedback().text(), "Nobody told us the date of the conference.");
  EXPECT_EQ(TimeOf(complaint.stage_started_at()), kReceived);
  EXPECT_EQ(TimeOf(complaint.due_at()), kStage1Due);
  EXPECT_FALSE(complaint.extended());
  EXPECT_FALSE(complaint.has_closed_at());

  ASSERT_EQ(complaint.history_size(), 1);
  const v1::ComplaintEvent& received = complaint.history(0);
  EXPECT_EQ(received.action(), "received");
  EXPECT_EQ(received.stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(received.outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(TimeOf(received.effective_at()), kReceived);
  EXPECT_EQ(TimeOf(received.recorded_at()), kReceived + absl::Minutes(5));
  EXPECT_EQ(TimeOf(received.due_at()), kStage1Due);
}

TEST(ComplaintProcedure, OpenDueIsLocalMidnightInLondonSummerTime) {
  const ComplaintProcedure procedure = MakeProcedure();
  // 23:30 UTC on Sunday 2 June 2019 is 00:30 BST on Monday 3 June, so Monday is day 0. Ten
  // working days on is Monday 17 June; the due instant is midnight BST starting 18 June.
  const absl::Time occurred = Utc(2019, 6, 2, 23, 30);
  const v1::Complaint complaint = procedure.Open(ComplaintRecord(occurred), occurred);
  EXPECT_EQ(TimeOf(complaint.due_at()), Utc(2019, 6, 17, 23));
}

TEST(ComplaintProcedure, EscalateToStageTwoStartsTwentyFiveWorkingDays) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint opened = Opened(procedure);
  // From Thursday 10 January 2019, the 25th working day is Thursday 14 February.
  const absl::Time effective = Utc(2019, 1, 10, 12);
  absl::StatusOr<v1::Complaint> escalated = procedure.Apply(
      opened, Escalate(v1::COMPLAINT_STAGE_2, effective), effective + absl::Hours(1));
  ASSERT_OK(escalated);
  EXPECT_EQ(escalated->feedback().complaint_stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(escalated->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(TimeOf(escalated->stage_started_at()), effective);
  EXPECT_EQ(TimeOf(escalated->due_at()), Utc(2019, 2, 15));
  EXPECT_FALSE(escalated->extended());
  ASSERT_EQ(escalated->history_size(), 2);
  const v1::ComplaintEvent& event = escalated->history(1);
  EXPECT_EQ(event.action(), "escalated");
  EXPECT_EQ(event.stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(event.actor(), "complaints manager");
  EXPECT_EQ(TimeOf(event.effective_at()), effective);
  EXPECT_EQ(TimeOf(event.recorded_at()), effective + absl::Hours(1));
  EXPECT_EQ(TimeOf(event.due_at()), Utc(2019, 2, 15));
}

TEST(ComplaintProcedure, CloseWithOutcomeRecordsOutcomeAndClosedAt) {
  const ComplaintProcedure procedure = MakeProcedure();
  const absl::Time effective = Utc(2019, 1, 7, 9);
  absl::StatusOr<v1::Complaint> closed = procedure.Apply(
      Opened(procedure), Close(v1::COMPLAINT_OUTCOME_UPHELD, effective), Utc(2019, 1, 7, 10));
  ASSERT_OK(closed);
  EXPECT_EQ(closed->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  EXPECT_EQ(closed->feedback().complaint_stage(), v1::COMPLAINT_STAGE_1);
  ASSERT_TRUE(closed->has_closed_at());
  EXPECT_EQ(TimeOf(closed->closed_at()), effective);
  EXPECT_EQ(TimeOf(closed->due_at()), kStage1Due);
  ASSERT_EQ(closed->history_size(), 2);
  EXPECT_EQ(closed->history(1).action(), "closed");
  EXPECT_EQ(closed->history(1).outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  EXPECT_EQ(closed->history(1).stage(), v1::COMPLAINT_STAGE_1);
}

TEST(ComplaintProcedure, CloseNamingTheCurrentStageIsNotAnEscalation) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::UpdateComplaintRequest update = Close(v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2019, 1, 7));
  update.set_stage(v1::COMPLAINT_STAGE_1);
  absl::StatusOr<v1::Complaint> closed =
      procedure.Apply(Opened(procedure), update, Utc(2019, 1, 7, 1));
  ASSERT_OK(closed);
  EXPECT_EQ(closed->feedback().complaint_stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(closed->history(1).action(), "closed");
  EXPECT_EQ(TimeOf(closed->due_at()), kStage1Due);
}

TEST(ComplaintProcedure, EffectiveAtDefaultsToNow) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::UpdateComplaintRequest update;
  update.set_outcome(v1::COMPLAINT_OUTCOME_WITHDRAWN);
  const absl::Time now = Utc(2019, 1, 3, 15);
  absl::StatusOr<v1::Complaint> closed = procedure.Apply(Opened(procedure), update, now);
  ASSERT_OK(closed);
  EXPECT_EQ(TimeOf(closed->closed_at()), now);
  EXPECT_EQ(TimeOf(closed->history(1).effective_at()), now);
  EXPECT_EQ(closed->history(1).actor(), "unnamed");
}

TEST(ComplaintProcedure, ClosingAClosedComplaintAgainIsAFailedPrecondition) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint closed =
      MustApply(procedure, Opened(procedure),
                Close(v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2019, 1, 4)), Utc(2019, 1, 4, 1));
  absl::StatusOr<v1::Complaint> again = procedure.Apply(
      closed, Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 5)), Utc(2019, 1, 5, 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  // The same stage named explicitly is still not an escalation.
  v1::UpdateComplaintRequest same_stage = Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 5));
  same_stage.set_stage(v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(procedure.Apply(closed, same_stage, Utc(2019, 1, 5, 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ComplaintProcedure, EscalatingAClosedComplaintReopensIt) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint closed =
      MustApply(procedure, Opened(procedure),
                Close(v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2019, 1, 4)), Utc(2019, 1, 4, 1));
  const absl::Time effective = Utc(2019, 1, 10, 12);
  absl::StatusOr<v1::Complaint> reopened =
      procedure.Apply(closed, Escalate(v1::COMPLAINT_STAGE_2, effective), Utc(2019, 1, 10, 13));
  ASSERT_OK(reopened);
  EXPECT_EQ(reopened->feedback().complaint_stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(reopened->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_FALSE(reopened->has_closed_at());
  EXPECT_EQ(TimeOf(reopened->due_at()), Utc(2019, 2, 15));
  EXPECT_EQ(reopened->history(2).action(), "escalated");
  EXPECT_EQ(reopened->history(2).outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);

  const absl::Time decided = Utc(2019, 2, 1, 16);
  absl::StatusOr<v1::Complaint> closed_again = procedure.Apply(
      *reopened, Close(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, decided), Utc(2019, 2, 1, 17));
  ASSERT_OK(closed_again);
  EXPECT_EQ(closed_again->feedback().complaint_stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(closed_again->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD);
  EXPECT_EQ(TimeOf(closed_again->closed_at()), decided);
  EXPECT_EQ(closed_again->history(3).action(), "closed");
}

TEST(ComplaintProcedure, GoingBackAStageIsAFailedPrecondition) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint stage2 =
      MustApply(procedure, Opened(procedure), Escalate(v1::COMPLAINT_STAGE_2, Utc(2019, 1, 10)),
                Utc(2019, 1, 10, 1));
  absl::StatusOr<v1::Complaint> back = procedure.Apply(
      stage2, Escalate(v1::COMPLAINT_STAGE_1, Utc(2019, 1, 11)), Utc(2019, 1, 11, 1));
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ComplaintProcedure, SkippingAStageIsAFailedPrecondition) {
  const ComplaintProcedure procedure = MakeProcedure();
  absl::StatusOr<v1::Complaint> skipped = procedure.Apply(
      Opened(procedure), Escalate(v1::COMPLAINT_STAGE_3, Utc(2019, 1, 10)), Utc(2019, 1, 10, 1));
  ASSERT_FALSE(skipped.ok());
  EXPECT_EQ(skipped.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ComplaintProcedure, ExtendAtStageOneMovesDueToTwentyWorkingDaysFromStageStart) {
  const ComplaintProcedure procedure = MakeProcedure();
  // From 20 December 2018 the 20th working day is Tuesday 22 January 2019 (the 10th is 8
  // January, then 9, 10, 11, 14, 15, 16, 17, 18, 21, 22).
  absl::StatusOr<v1::Complaint> extended =
      procedure.Apply(Opened(procedure), Extend(Utc(2019, 1, 7)), Utc(2019, 1, 7, 1));
  ASSERT_OK(extended);
  EXPECT_TRUE(extended->extended());
  EXPECT_EQ(TimeOf(extended->due_at()), Utc(2019, 1, 23));
  EXPECT_EQ(TimeOf(extended->stage_started_at()), kReceived);
  EXPECT_EQ(extended->feedback().complaint_stage(), v1::COMPLAINT_STAGE_1);
  ASSERT_EQ(extended->history_size(), 2);
  EXPECT_EQ(extended->history(1).action(), "extended");
  EXPECT_EQ(TimeOf(extended->history(1).due_at()), Utc(2019, 1, 23));
}

TEST(ComplaintProcedure, ExtendingTwiceIsAFailedPrecondition) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint extended =
      MustApply(procedure, Opened(procedure), Extend(Utc(2019, 1, 7)), Utc(2019, 1, 7, 1));
  absl::StatusOr<v1::Complaint> twice =
      procedure.Apply(extended, Extend(Utc(2019, 1, 8)), Utc(2019, 1, 8, 1));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ComplaintProcedure, ExtendAtStageTwoAfterAStageOneExtension) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::Complaint complaint =
      MustApply(procedure, Opened(procedure), Extend(Utc(2019, 1, 7)), Utc(2019, 1, 7, 1));
  complaint = MustApply(procedure, complaint, Escalate(v1::COMPLAINT_STAGE_2, Utc(2019, 1, 10, 12)),
                        Utc(2019, 1, 10, 13));
  EXPECT_FALSE(complaint.extended());
  // 65 working days from Thursday 10 January 2019 is Thursday 11 April (no bank holidays in
  // between); the due instant is midnight BST starting 12 April.
  absl::StatusOr<v1::Complaint> extended =
      procedure.Apply(complaint, Extend(Utc(2019, 2, 1)), Utc(2019, 2, 1, 1));
  ASSERT_OK(extended);
  EXPECT_TRUE(extended->extended());
  EXPECT_EQ(TimeOf(extended->due_at()), Utc(2019, 4, 11, 23));
}

TEST(ComplaintProcedure, ExtendAtStageThreeIsAFailedPrecondition) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::Complaint complaint =
      MustApply(procedure, Opened(procedure), Escalate(v1::COMPLAINT_STAGE_2, Utc(2019, 1, 10)),
                Utc(2019, 1, 10, 1));
  // Escalating to stage 3 and extending in the same step is refused too.
  v1::UpdateComplaintRequest escalate_and_extend =
      Escalate(v1::COMPLAINT_STAGE_3, Utc(2019, 2, 20));
  escalate_and_extend.set_extend(true);
  EXPECT_EQ(procedure.Apply(complaint, escalate_and_extend, Utc(2019, 2, 20, 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);

  complaint = MustApply(procedure, complaint, Escalate(v1::COMPLAINT_STAGE_3, Utc(2019, 2, 20)),
                        Utc(2019, 2, 20, 1));
  EXPECT_EQ(complaint.feedback().complaint_stage(), v1::COMPLAINT_STAGE_3);
  absl::StatusOr<v1::Complaint> extended =
      procedure.Apply(complaint, Extend(Utc(2019, 2, 21)), Utc(2019, 2, 21, 1));
  ASSERT_FALSE(extended.ok());
  EXPECT_EQ(extended.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ComplaintProcedure, ExtendingAClosedComplaintIsAFailedPrecondition) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint closed =
      MustApply(procedure, Opened(procedure), Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 4)),
                Utc(2019, 1, 4, 1));
  EXPECT_EQ(procedure.Apply(closed, Extend(Utc(2019, 1, 5)), Utc(2019, 1, 5, 1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ComplaintProcedure, EffectiveAtBeforeTheLastStepIsInvalid) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint opened = Opened(procedure);
  absl::StatusOr<v1::Complaint> early = procedure.Apply(
      opened, Close(v1::COMPLAINT_OUTCOME_UPHELD, kReceived - absl::Hours(1)), Utc(2019, 1, 4));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(early.status().message(), HasSubstr("effective_at"));

  // Before a later step, though after the first.
  const v1::Complaint stage2 = MustApply(
      procedure, opened, Escalate(v1::COMPLAINT_STAGE_2, Utc(2019, 1, 10)), Utc(2019, 1, 10, 1));
  absl::StatusOr<v1::Complaint> before_escalation = procedure.Apply(
      stage2, Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 9)), Utc(2019, 1, 10, 2));
  ASSERT_FALSE(before_escalation.ok());
  EXPECT_EQ(before_escalation.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(before_escalation.status().message(), HasSubstr("effective_at"));

  // At the same instant as the last step is fine.
  EXPECT_OK(procedure.Apply(stage2, Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 10)),
                            Utc(2019, 1, 10, 2)));
}

TEST(ComplaintProcedure, EffectiveAtInTheFutureIsInvalid) {
  const ComplaintProcedure procedure = MakeProcedure();
  const absl::Time now = Utc(2019, 1, 4, 12);
  absl::StatusOr<v1::Complaint> future = procedure.Apply(
      Opened(procedure), Close(v1::COMPLAINT_OUTCOME_UPHELD, now + absl::Hours(1)), now);
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(future.status().message(), HasSubstr("effective_at"));
}

TEST(ComplaintProcedure, AnUpdateWithNothingToDoIsInvalid) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::UpdateComplaintRequest nothing;
  nothing.set_id("fb_1");
  nothing.set_actor("someone");
  absl::StatusOr<v1::Complaint> result =
      procedure.Apply(Opened(procedure), nothing, Utc(2019, 1, 4));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);

  // Naming the current stage is not something to do either.
  nothing.set_stage(v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(procedure.Apply(Opened(procedure), nothing, Utc(2019, 1, 4)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ComplaintProcedure, UnknownEnumValuesAreInvalidNamingTheField) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::UpdateComplaintRequest bad_stage =
      Escalate(static_cast<v1::ComplaintStage>(9), Utc(2019, 1, 4));
  absl::StatusOr<v1::Complaint> result =
      procedure.Apply(Opened(procedure), bad_stage, Utc(2019, 1, 4, 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("stage"));

  v1::UpdateComplaintRequest bad_outcome =
      Close(static_cast<v1::ComplaintOutcome>(42), Utc(2019, 1, 4));
  result = procedure.Apply(Opened(procedure), bad_outcome, Utc(2019, 1, 4, 1));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("outcome"));
}

TEST(ComplaintProcedure, NoteOnlyUpdateAppendsANotedEvent) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::UpdateComplaintRequest note;
  note.set_id("fb_1");
  note.set_note("Phoned the family to acknowledge.");
  note.set_actor("duty manager");
  *note.mutable_effective_at() = Ts(Utc(2018, 12, 21, 9));
  const v1::Complaint opened = Opened(procedure);
  absl::StatusOr<v1::Complaint> noted = procedure.Apply(opened, note, Utc(2018, 12, 21, 10));
  ASSERT_OK(noted);
  EXPECT_EQ(noted->feedback().complaint_stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(noted->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(TimeOf(noted->due_at()), kStage1Due);
  EXPECT_FALSE(noted->extended());
  ASSERT_EQ(noted->history_size(), 2);
  EXPECT_EQ(noted->history(1).action(), "noted");
  EXPECT_EQ(noted->history(1).note(), "Phoned the family to acknowledge.");
  EXPECT_EQ(noted->history(1).actor(), "duty manager");
  EXPECT_EQ(noted->history(1).stage(), v1::COMPLAINT_STAGE_1);
}

TEST(ComplaintProcedure, NoteOnAClosedComplaintIsAllowed) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint closed =
      MustApply(procedure, Opened(procedure), Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 4)),
                Utc(2019, 1, 4, 1));
  v1::UpdateComplaintRequest note;
  note.set_note("Apology letter sent.");
  absl::StatusOr<v1::Complaint> noted = procedure.Apply(closed, note, Utc(2019, 1, 5));
  ASSERT_OK(noted);
  EXPECT_EQ(noted->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  EXPECT_TRUE(noted->has_closed_at());
  EXPECT_EQ(noted->history(2).action(), "noted");
  EXPECT_EQ(noted->history(2).outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
}

TEST(ComplaintProcedure, HistoryIsAppendOnly) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::UpdateComplaintRequest note;
  note.set_note("Acknowledged.");
  *note.mutable_effective_at() = Ts(Utc(2018, 12, 21));
  const std::vector<v1::UpdateComplaintRequest> steps = {
      note,
      Extend(Utc(2019, 1, 7)),
      Close(v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2019, 1, 8)),
      Escalate(v1::COMPLAINT_STAGE_2, Utc(2019, 1, 10)),
      Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 2, 1)),
      Escalate(v1::COMPLAINT_STAGE_3, Utc(2019, 2, 20)),
  };
  v1::Complaint complaint = Opened(procedure);
  for (const v1::UpdateComplaintRequest& step : steps) {
    SCOPED_TRACE(step.ShortDebugString());
    const absl::Time now = TimeOf(step.effective_at()) + absl::Hours(1);
    absl::StatusOr<v1::Complaint> next = procedure.Apply(complaint, step, now);
    ASSERT_OK(next);
    ASSERT_EQ(next->history_size(), complaint.history_size() + 1);
    for (int i = 0; i < complaint.history_size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(next->history(i), complaint.history(i)))
          << "event " << i << " changed: " << next->history(i).ShortDebugString();
    }
    complaint = *std::move(next);
  }
  std::vector<std::string> actions;
  for (const v1::ComplaintEvent& event : complaint.history()) actions.push_back(event.action());
  EXPECT_THAT(actions, ElementsAre("received", "noted", "extended", "closed", "escalated", "closed",
                                   "escalated"));
}

TEST(ComplaintProcedure, OpenPastDueIsOverdue) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint opened = Opened(procedure);
  EXPECT_FALSE(procedure.IsOverdue(opened, Utc(2019, 1, 8, 12)));
  EXPECT_FALSE(procedure.IsOverdue(opened, kStage1Due - absl::Seconds(1)));
  EXPECT_TRUE(procedure.IsOverdue(opened, kStage1Due));
  EXPECT_TRUE(procedure.IsOverdue(opened, Utc(2019, 2, 1)));
}

TEST(ComplaintProcedure, ClosedBeforeDueIsNotOverdue) {
  const ComplaintProcedure procedure = MakeProcedure();
  // Closed in the last minute of the due day: in time, however late it is now.
  const v1::Complaint closed =
      MustApply(procedure, Opened(procedure),
                Close(v1::COMPLAINT_OUTCOME_UPHELD, kStage1Due - absl::Minutes(1)), kStage1Due);
  EXPECT_FALSE(procedure.IsOverdue(closed, Utc(2019, 6, 1)));
}

TEST(ComplaintProcedure, ClosedAfterDueIsOverdue) {
  const ComplaintProcedure procedure = MakeProcedure();
  const v1::Complaint at_due =
      MustApply(procedure, Opened(procedure), Close(v1::COMPLAINT_OUTCOME_UPHELD, kStage1Due),
                kStage1Due + absl::Hours(1));
  EXPECT_TRUE(procedure.IsOverdue(at_due, Utc(2019, 6, 1)));
  const v1::Complaint late =
      MustApply(procedure, Opened(procedure), Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 15)),
                Utc(2019, 1, 15, 1));
  EXPECT_TRUE(procedure.IsOverdue(late, Utc(2019, 6, 1)));
}

TEST(ComplaintProcedure, ExtensionMakesALateClosingInTime) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::Complaint complaint =
      MustApply(procedure, Opened(procedure), Extend(Utc(2019, 1, 7)), Utc(2019, 1, 7, 1));
  complaint = MustApply(procedure, complaint, Close(v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 15)),
                        Utc(2019, 1, 15, 1));
  EXPECT_FALSE(procedure.IsOverdue(complaint, Utc(2019, 6, 1)));
}

TEST(ComplaintTags, OpenComplaint) {
  const ComplaintProcedure procedure = MakeProcedure();
  EXPECT_THAT(ComplaintTags(Opened(procedure)), ElementsAre("stage_1", "open"));
}

TEST(ComplaintTags, ClosedComplaintHasItsOutcome) {
  const ComplaintProcedure procedure = MakeProcedure();
  v1::Complaint complaint =
      MustApply(procedure, Opened(procedure), Escalate(v1::COMPLAINT_STAGE_2, Utc(2019, 1, 10)),
                Utc(2019, 1, 10, 1));
  EXPECT_THAT(ComplaintTags(complaint), ElementsAre("stage_2", "open"));
  complaint =
      MustApply(procedure, complaint,
                Close(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, Utc(2019, 2, 1)), Utc(2019, 2, 1, 1));
  EXPECT_THAT(ComplaintTags(complaint), ElementsAre("stage_2", "closed", "partially_upheld"));
}

TEST(ComplaintTags, EveryOutcomeHasATag) {
  EXPECT_EQ(OutcomeTag(v1::COMPLAINT_OUTCOME_UNSPECIFIED), "");
  EXPECT_EQ(OutcomeTag(v1::COMPLAINT_OUTCOME_UPHELD), "upheld");
  EXPECT_EQ(OutcomeTag(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD), "partially_upheld");
  EXPECT_EQ(OutcomeTag(v1::COMPLAINT_OUTCOME_NOT_UPHELD), "not_upheld");
  EXPECT_EQ(OutcomeTag(v1::COMPLAINT_OUTCOME_WITHDRAWN), "withdrawn");

  v1::Complaint withdrawn;
  withdrawn.mutable_feedback()->set_complaint_stage(v1::COMPLAINT_STAGE_3);
  withdrawn.mutable_feedback()->set_complaint_outcome(v1::COMPLAINT_OUTCOME_WITHDRAWN);
  EXPECT_THAT(ComplaintTags(withdrawn), ElementsAre("stage_3", "closed", "withdrawn"));
}

TEST(ComplaintProcedure, StageLimitsFollowTheStatutoryProcedure) {
  EXPECT_EQ(LimitsOf(v1::COMPLAINT_STAGE_1).days, 10);
  EXPECT_EQ(LimitsOf(v1::COMPLAINT_STAGE_1).extended_days, 20);
  EXPECT_EQ(LimitsOf(v1::COMPLAINT_STAGE_2).days, 25);
  EXPECT_EQ(LimitsOf(v1::COMPLAINT_STAGE_2).extended_days, 65);
  EXPECT_EQ(LimitsOf(v1::COMPLAINT_STAGE_3).days, 30);
}

}  // namespace complaints_test
}  // namespace
}  // namespace feedback
