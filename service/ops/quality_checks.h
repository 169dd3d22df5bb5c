// Case-file audits and practice observations in the store: each QualityCheck is an entity
// (quality_check/<id>, storage/layout.h) with its idempotency entry, its counters (counters.h,
// OfQualityCheck) and its audit entry, all in one batch.
#ifndef FEEDBACK_SERVICE_OPS_QUALITY_CHECKS_H_
#define FEEDBACK_SERVICE_OPS_QUALITY_CHECKS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/access.h"
#include "service/ops/ledger.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"

namespace feedback {

// "quality_check/<id>" -> QualityCheck.
std::string QualityCheckKey(std::string_view id);

// The idempotency key of a check's submission_id (REQUIRES: in lower case, as stored).
std::string QualityCheckSubmissionKey(std::string_view submission_id);

// Records `check` (REQUIRES: ValidateQualityCheck(check, now) is OK) for `caller`: its id
// ("qc_..."), occurred_at (now when unset), recorded_at and recorded_by set, and the practice
// themes of its strengths and areas for improvement (Tagger::PracticeTags); stored with its
// idempotency entry ("quality_check:" + submission_id, owned by the caller's token), its
// counters and its audit entry (quality_check.record). A repeat of its submission_id is decided
// as a submission's (replay.h): the same check from the same token gets the stored one and
// nothing is written; other content, or another token, ALREADY_EXISTS naming submission_id.
storage::TypedWriteOp<v1::QualityCheck> RecordQualityCheckOp(v1::QualityCheck check,
                                                             Principal caller, absl::Time now,
                                                             const Ledger& ledger);

// Every check `request` asks for (REQUIRES: ValidateQualityCheckFilters(request) is OK), newest
// occurred_at first. DATA_LOSS, naming the key, for a stored check that does not parse.
[[nodiscard]] absl::StatusOr<v1::ListQualityChecksResponse> ListQualityChecks(
    const storage::FeedbackStore& store, const QuarterCalendar& calendar,
    const v1::ListQualityChecksRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_QUALITY_CHECKS_H_
