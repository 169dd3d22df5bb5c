// Independent chairs' oversight (ChairOversight): what a CP chair or IRO may record after a
// meeting, which records a list asks for, and how the quarterly figures group meetings. Pure
// rules; the store is service/ops/oversight.h.
#ifndef FEEDBACK_SERVICE_DOMAIN_OVERSIGHT_H_
#define FEEDBACK_SERVICE_DOMAIN_OVERSIGHT_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// An escalation's practice alert is due this many working days after the day it was recorded
// (docs/quarters.md, "Chairs' oversight").
inline constexpr int kEscalationWorkingDays = 5;

// The figures' group of a chaired meeting: ICPC and RCPC are CP conferences, a CLA review a LAC
// review; any other meeting OVERSIGHT_GROUP_UNSPECIFIED.
v1::OversightGroup OversightGroupOf(v1::Meeting meeting);

// An oversight as a client sends it (RecordOversightRequest.oversight), judged at server time
// `now`: submission_id a UUID; meeting an ICPC, RCPC or CLA review; service_area and outcome set
// to known values; strengths and areas_for_development valid UTF-8 of at most kMaxTextBytes
// each; occurred_at (if set) from 2000 to now + kMaxClockSkew; no server_set field set.
// INVALID_ARGUMENT naming the field ("oversight.meeting: ...").
[[nodiscard]] absl::Status ValidateOversight(const v1::ChairOversight& oversight, absl::Time now);

// A list's filters: a known meeting and outcome; quarter 0..4, and only with financial_year.
[[nodiscard]] absl::Status ValidateOversightFilters(const v1::ListOversightsRequest& request);

// True if `oversight` passes the meeting and outcome filters of `request` (unset: any).
bool MatchesOversightFilter(const v1::ChairOversight& oversight,
                            const v1::ListOversightsRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_OVERSIGHT_H_
