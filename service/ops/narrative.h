// The quarterly report's narrative in the store: every version of a quarter's section is its own
// entity, narrative/<2018Q3>/<section, 2 digits>/<version, 8 digits> (storage/layout.h), never
// overwritten, so the section's history is the versions in key order and its current text the
// last. A new version is written with its idempotency entry ("narrative:" + submission_id) and
// its audit entry (narrative.set) in one batch.
#ifndef FEEDBACK_SERVICE_OPS_NARRATIVE_H_
#define FEEDBACK_SERVICE_OPS_NARRATIVE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/access.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"

namespace feedback {

// "narrative/2018Q3/05/00000002": version 2 of next steps in 2018-19 Q3.
std::string NarrativeVersionKey(int32_t financial_year, int32_t quarter,
                                v1::NarrativeSection section, int32_t version);

// Stores `request` (REQUIRES: ValidateSetNarrative(request) is OK) as the section's next version
// (1 + the last stored one), written_at now and written_by the caller's token and role. A repeat
// of its submission_id is decided as a submission's (replay.h): the same request from the same
// token gets the stored version and nothing is written; other content, or another token,
// ALREADY_EXISTS naming submission_id.
storage::TypedWriteOp<v1::NarrativeVersion> SetNarrativeOp(v1::SetNarrativeRequest request,
                                                           Principal caller, absl::Time now);

// The quarter's narrative (REQUIRES: ValidateGetNarrative(request) is OK): the last version of
// each section (or of the one asked for) that has one, in section order, and with
// include_history every version, oldest first within a section. DATA_LOSS, naming the key, for
// a stored version that does not parse.
[[nodiscard]] absl::StatusOr<v1::GetNarrativeResponse> ReadNarrative(
    const storage::FeedbackStore& store, const v1::GetNarrativeRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_NARRATIVE_H_
