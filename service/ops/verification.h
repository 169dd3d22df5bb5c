// `admin verify`: the stored quarterly counters checked against the records they count.
#ifndef FEEDBACK_SERVICE_OPS_VERIFICATION_H_
#define FEEDBACK_SERVICE_OPS_VERIFICATION_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/ops/ledger.h"
#include "storage/feedback_store.h"

namespace feedback {

// Recomputes every counter from the records, complaint cases and advocacy referrals (what each
// counts for, Ledger::counters()) and lists every counter whose stored value differs. An error
// reading the store, or a complaint case or referral that cannot be read, is the error: the
// counters cannot be verified without it.
[[nodiscard]] absl::StatusOr<v1::VerifyCountersResponse> VerifyCounters(
    const storage::FeedbackStore& store, const Ledger& ledger, absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_VERIFICATION_H_
