// Case-file audits and practice observations (QualityCheck): what an auditor may record, and
// which checks a list asks for. Pure rules; the store is service/ops/quality_checks.h.
#ifndef FEEDBACK_SERVICE_DOMAIN_QUALITY_CHECKS_H_
#define FEEDBACK_SERVICE_DOMAIN_QUALITY_CHECKS_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// A check as a client sends it (RecordQualityCheckRequest.check), judged at server time `now`:
// submission_id a UUID; activity, division (service_area) and grade each set to a known value;
// strengths and areas_for_improvement valid UTF-8 of at most kMaxTextBytes each; occurred_at (if
// set) from 2000 to now + kMaxClockSkew; no server_set field set. INVALID_ARGUMENT naming the
// field ("check.grade: ...").
[[nodiscard]] absl::Status ValidateQualityCheck(const v1::QualityCheck& check, absl::Time now);

// A list's filters: known activity and division; quarter 0..4, and only with financial_year.
[[nodiscard]] absl::Status ValidateQualityCheckFilters(const v1::ListQualityChecksRequest& request);

// True if `check` passes the activity and division filters of `request` (unset: any).
bool MatchesQualityCheckFilter(const v1::QualityCheck& check,
                               const v1::ListQualityChecksRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_QUALITY_CHECKS_H_
