#include "service/domain/complaints.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time ToTime(const google::protobuf::Timestamp& at) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at));
}
google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(problem)));
}
absl::Status Forbidden(std::string_view why) {
  return absl::FailedPreconditionError(std::string(why));
}

absl::Status ValidateUpdateFields(const v1::UpdateComplaintRequest& update) {
  if (!v1::ComplaintStage_IsValid(update.stage())) {
    return Invalid("stage", absl::StrCat("unknown value ", update.stage()));
  }
  if (!v1::ComplaintOutcome_IsValid(update.outcome())) {
    return Invalid("outcome", absl::StrCat("unknown value ", update.outcome()));
  }
  if (update.note().size() > kMaxTextBytes || !IsValidUtf8(update.note())) {
    return Invalid("note", "must be valid UTF-8 of at most 8 KiB");
  }
  if (update.actor().size() > 200 || !IsValidUtf8(update.actor())) {
    return Invalid("actor", "must be valid UTF-8 of at most 200 bytes");
  }
  // In range before it is converted: a huge seconds value would wrap around to another time.
  if (update.has_effective_at() && !IsValidTimestamp(update.effective_at())) {
    return Invalid("effective_at", "is not a valid timestamp");
  }
  return absl::OkStatus();
}

}  // namespace

StageLimits LimitsOf(v1::ComplaintStage stage) {
  switch (stage) {
    case v1::COMPLAINT_STAGE_2:
      return {25, 65};
    case v1::COMPLAINT_STAGE_3:
      return {30, 30};
    default:
      return {10, 20};
  }
}

std::string OutcomeTag(v1::ComplaintOutcome outcome) {
  if (outcome == v1::COMPLAINT_OUTCOME_UNSPECIFIED) return "";
  constexpr std::string_view kPrefix = "COMPLAINT_OUTCOME_";
  return absl::AsciiStrToLower(v1::ComplaintOutcome_Name(outcome).substr(kPrefix.size()));
}

std::vector<std::string> ComplaintTags(const v1::Complaint& complaint) {
  const v1::Feedback& f = complaint.feedback();
  std::vector<std::string> tags = {absl::StrCat("stage_", static_cast<int>(f.complaint_stage()))};
  if (f.complaint_outcome() == v1::COMPLAINT_OUTCOME_UNSPECIFIED) {
    tags.push_back("open");
  } else {
    tags.push_back("closed");
    tags.push_back(OutcomeTag(f.complaint_outcome()));
  }
  return tags;
}

absl::Time ComplaintProcedure::DueAt(absl::Time stage_start, int working_days) const {
  const absl::CivilDay start_day = absl::ToCivilDay(stage_start, zone_);
  return absl::FromCivil(working_days_.AddWorkingDays(start_day, working_days) + 1, zone_);
}

v1::Complaint ComplaintProcedure::Open(const v1::Feedback& record, absl::Time recorded_at) const {
  v1::Complaint complaint;
  *complaint.mutable_feedback() = record;
  complaint.mutable_feedback()->set_complaint_stage(v1::COMPLAINT_STAGE_1);
  *complaint.mutable_stage_started_at() = record.occurred_at();
  *complaint.mutable_due_at() =
      ToTimestamp(DueAt(ToTime(record.occurred_at()), LimitsOf(v1::COMPLAINT_STAGE_1).days));
  v1::ComplaintEvent* received = complaint.add_history();
  *received->mutable_effective_at() = record.occurred_at();
  *received->mutable_recorded_at() = ToTimestamp(recorded_at);
  received->set_actor("complainant");
  received->set_stage(v1::COMPLAINT_STAGE_1);
  received->set_action("received");
  *received->mutable_due_at() = complaint.due_at();
  return complaint;
}

absl::StatusOr<v1::Complaint> ComplaintProcedure::Apply(const v1::Complaint& current,
                                                        const v1::UpdateComplaintRequest& update,
                                                        absl::Time now) const {
  if (absl::Status valid = ValidateUpdateFields(update); !valid.ok()) return valid;
  const v1::Feedback& feedback = current.feedback();
  const v1::ComplaintStage stage = feedback.complaint_stage();
  const bool closed = feedback.complaint_outcome() != v1::COMPLAINT_OUTCOME_UNSPECIFIED;

  const absl::Time effective = update.has_effective_at() ? ToTime(update.effective_at()) : now;
  const absl::Time last = ToTime(current.history(current.history_size() - 1).effective_at());
  if (effective < last) {
    return Invalid("effective_at", "is before the complaint's last recorded step");
  }
  if (effective > now + kMaxClockSkew) return Invalid("effective_at", "is in the future");

  const bool escalating =
      update.stage() != v1::COMPLAINT_STAGE_UNSPECIFIED && update.stage() != stage;
  if (escalating && update.stage() < stage) {
    return Forbidden("a complaint cannot go back to an earlier stage");
  }
  if (escalating && update.stage() != stage + 1) {
    return Forbidden(absl::StrCat("escalate one stage at a time: the complaint is at stage ",
                                  static_cast<int>(stage)));
  }
  const bool closing = update.outcome() != v1::COMPLAINT_OUTCOME_UNSPECIFIED;
  if (closed && !escalating && (closing || update.extend())) {
    return Forbidden(
        "the complaint is closed; escalate it to the next stage before recording a new outcome");
  }
  if (update.extend() && (escalating ? update.stage() : stage) == v1::COMPLAINT_STAGE_3) {
    return Forbidden("a stage 3 review panel's timescale cannot be extended");
  }
  if (update.extend() && current.extended() && !escalating) {
    return Forbidden("this stage's due date has already been extended");
  }
  if (!escalating && !closing && !update.extend() && update.note().empty()) {
    return Invalid("stage",
                   "nothing to record: give a stage to escalate to, an outcome, extend, or a note");
  }

  v1::Complaint next = current;
  v1::Feedback& record = *next.mutable_feedback();
  std::string action = "noted";
  if (escalating) {
    record.set_complaint_stage(update.stage());
    record.set_complaint_outcome(v1::COMPLAINT_OUTCOME_UNSPECIFIED);
    next.clear_closed_at();
    next.set_extended(false);
    *next.mutable_stage_started_at() = ToTimestamp(effective);
    *next.mutable_due_at() = ToTimestamp(DueAt(effective, LimitsOf(update.stage()).days));
    action = "escalated";
  }
  if (update.extend()) {
    next.set_extended(true);
    *next.mutable_due_at() = ToTimestamp(
        DueAt(ToTime(next.stage_started_at()), LimitsOf(record.complaint_stage()).extended_days));
    if (!escalating) action = "extended";
  }
  if (closing) {
    record.set_complaint_outcome(update.outcome());
    *next.mutable_closed_at() = ToTimestamp(effective);
    action = "closed";
  }
  v1::ComplaintEvent* event = next.add_history();
  *event->mutable_effective_at() = ToTimestamp(effective);
  *event->mutable_recorded_at() = ToTimestamp(now);
  event->set_actor(update.actor().empty() ? "unnamed" : update.actor());
  event->set_stage(record.complaint_stage());
  event->set_outcome(record.complaint_outcome());
  event->set_note(update.note());
  event->set_action(action);
  *event->mutable_due_at() = next.due_at();
  return next;
}

bool ComplaintProcedure::IsOverdue(const v1::Complaint& complaint, absl::Time now) const {
  const absl::Time due = ToTime(complaint.due_at());
  if (complaint.has_closed_at()) return ToTime(complaint.closed_at()) >= due;
  return now >= due;
}

}  // namespace feedback
