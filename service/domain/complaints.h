// The children's complaints procedure (Children Act 1989 representations procedure, England):
// Stage 1 local resolution, Stage 2 independent investigation, Stage 3 review panel, each with a
// due date in working days; a complaint closes with an outcome and can be reopened only by
// escalating it to the next stage.
#ifndef FEEDBACK_SERVICE_DOMAIN_COMPLAINTS_H_
#define FEEDBACK_SERVICE_DOMAIN_COMPLAINTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/working_days.h"

namespace feedback {

// Working days allowed at each stage. Stage 3 cannot be extended.
struct StageLimits {
  int days;
  int extended_days;
};
StageLimits LimitsOf(v1::ComplaintStage stage);

// The procedure's clock: working days in the council's time zone. Immutable; thread-safe.
class ComplaintProcedure {
 public:
  ComplaintProcedure(WorkingDays working_days, absl::TimeZone zone)
      : working_days_(std::move(working_days)), zone_(zone) {}

  // The case of a complaint just received (REQUIRES: record is a complaint with occurred_at
  // and received_at): Stage 1 from the day it was made, due 10 working days later.
  v1::Complaint Open(const v1::Feedback& record, absl::Time recorded_at) const;

  // Applies one update to `current` (feedback included) and returns the new state with the
  // step appended to its history. Errors: INVALID_ARGUMENT for bad fields (named);
  // FAILED_PRECONDITION for a step the procedure forbids (an outcome on a closed complaint not
  // escalated first, going back a stage, skipping one, extending twice or at Stage 3).
  [[nodiscard]] absl::StatusOr<v1::Complaint> Apply(const v1::Complaint& current,
                                                    const v1::UpdateComplaintRequest& update,
                                                    absl::Time now) const;

  // True if open past its due date at `now`, or closed after it.
  bool IsOverdue(const v1::Complaint& complaint, absl::Time now) const;

  // The first instant after the `working_days`-th working day after the day of `start` (in the
  // procedure's zone): the due time of anything given that many working days, such as a chair's
  // escalation (service/ops/oversight.h). REQUIRES: working_days >= 0.
  absl::Time WorkingDaysAfter(absl::Time start, int working_days) const {
    return DueAt(start, working_days);
  }

 private:
  // The first instant after the due day: `stage_start` plus the stage's working days.
  absl::Time DueAt(absl::Time stage_start, int working_days) const;

  WorkingDays working_days_;
  absl::TimeZone zone_;
};

// Tags that describe a complaint's state: "stage_N", "open" or "closed", and the outcome
// ("upheld", "partially_upheld", "not_upheld", "withdrawn").
std::vector<std::string> ComplaintTags(const v1::Complaint& complaint);

// The tag of an outcome ("" for unspecified).
std::string OutcomeTag(v1::ComplaintOutcome outcome);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_COMPLAINTS_H_
