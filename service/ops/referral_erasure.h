// Erasure of advocacy referrals: EraseFeedback, PurgeFeedback and SetLegalHold given an `ar_`
// id (erasure.h dispatches here by the id's prefix).
//
// A referral holds a child's exact age and, once decided, an advocate's free-text reason.
// Erasing it clears both and sets erased_at; the age band the referral is counted in is kept as
// age_band, so that the counters (meeting, service area, referred_at, status, band) and with
// them published quarters do not change and `admin verify` stays clean. The fingerprint of its
// idempotency entry ("referral:<submission_id>") is replaced by kErasedFingerprint (replay.h), so
// a replay of the creation is refused. The referral itself stays (with its id), so child statements
// given for it keep their link; they are the child's words and are erased on their own.
#ifndef FEEDBACK_SERVICE_OPS_REFERRAL_ERASURE_H_
#define FEEDBACK_SERVICE_OPS_REFERRAL_ERASURE_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/ops/erasure.h"
#include "storage/layout.h"
#include "storage/transaction.h"

namespace feedback {

// Advocacy referral ids: "ar_" and 32 hex digits (storage/layout.h).
using storage::layout::kReferralIdPrefix;
// True if `id` names an advocacy referral rather than a feedback item.
bool IsReferralId(std::string_view id);

// The stored referral `id`; nullopt if absent, DATA_LOSS if it does not parse.
[[nodiscard]] absl::StatusOr<std::optional<v1::AdvocacyReferral>> FindReferral(
    storage::Transaction& txn, std::string_view id);

// What is left of `referral` after an erasure at `now`: no reason, child_age 0 with age_band
// set to the band it was counted in, erased_at = now; every other field as it was. An erased
// referral is returned unchanged.
v1::AdvocacyReferral ErasedReferral(const v1::AdvocacyReferral& referral, absl::Time now);

// Stages the erasure of the stored `referral` (REQUIRES: it is not under a legal hold) and sets
// result.referral and result.scrub. Returns false if it was erased before: nothing is written,
// but the scrub keys are set, so that erasing again scrubs the files again.
[[nodiscard]] absl::StatusOr<bool> StageReferralErasure(storage::Transaction& txn,
                                                        const v1::AdvocacyReferral& referral,
                                                        absl::Time now, ErasureResult& result);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_REFERRAL_ERASURE_H_
