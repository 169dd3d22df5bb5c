// Erasure of the QA records, audits and observations (qc_ ids) and chairs' oversight outcomes
// (co_ ids): EraseFeedback and SetLegalHold given such an id (erasure.h dispatches here by the
// id's prefix).
//
// These are professionals' records, but their words (strengths, areas for improvement or for
// development) are about a family's case and may name a child. Erasing one clears that text and
// sets erased_at; the grade, division, meeting, outcome, dates and the themes found in the text
// stay, so the quarter's figures and counters (and with them published quarters and
// `admin verify`) do not change. The fingerprint of its idempotency entry is replaced by
// kErasedFingerprint (replay.h), so a replay of the recording is refused instead of storing the
// words again. An escalation's alert holds no words and stays, with its link.
#ifndef FEEDBACK_SERVICE_OPS_QA_RECORD_ERASURE_H_
#define FEEDBACK_SERVICE_OPS_QA_RECORD_ERASURE_H_

#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/ops/erasure.h"
#include "storage/transaction.h"

namespace feedback {

// True if `id` names an audit or observation ("qc_"), or a chair's oversight outcome ("co_").
bool IsQualityCheckId(std::string_view id);
bool IsOversightId(std::string_view id);

// The stored record `id`; nullopt if absent, DATA_LOSS if it does not parse.
[[nodiscard]] absl::StatusOr<std::optional<v1::QualityCheck>> FindQualityCheck(
    storage::Transaction& txn, std::string_view id);
[[nodiscard]] absl::StatusOr<std::optional<v1::ChairOversight>> FindOversight(
    storage::Transaction& txn, std::string_view id);

// Stages the erasure of the stored record (REQUIRES: it is not under a legal hold) and sets
// result.check (result.oversight) and result.scrub. Returns false if it was erased before:
// nothing is written, but the scrub keys are set, so that erasing again scrubs the files again.
[[nodiscard]] absl::StatusOr<bool> StageQualityCheckErasure(storage::Transaction& txn,
                                                            const v1::QualityCheck& check,
                                                            absl::Time now, ErasureResult& result);
[[nodiscard]] absl::StatusOr<bool> StageOversightErasure(storage::Transaction& txn,
                                                         const v1::ChairOversight& oversight,
                                                         absl::Time now, ErasureResult& result);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_QA_RECORD_ERASURE_H_
