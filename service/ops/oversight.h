// Independent chairs' oversight in the store: each ChairOversight is an entity
// (oversight/<id>, storage/layout.h) with its idempotency entry, its counters (counters.h,
// OfOversight), its audit entry and, for an escalation, its practice alert (alert/<id>), all in
// one batch.
#ifndef FEEDBACK_SERVICE_OPS_OVERSIGHT_H_
#define FEEDBACK_SERVICE_OPS_OVERSIGHT_H_

#include <optional>
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

// "oversight/<id>" -> ChairOversight.
std::string OversightKey(std::string_view id);

// The idempotency key of an oversight's submission_id (REQUIRES: in lower case, as stored).
std::string OversightSubmissionKey(std::string_view submission_id);

// What recording an oversight came to.
struct RecordedOversight {
  v1::ChairOversight oversight;  // as stored (for a repeat: the first)
  bool duplicate = false;        // true: the same submission was stored before; nothing written
  // The practice alert a new escalation raised (never for a duplicate), for WatchAlerts.
  std::optional<v1::Alert> alert;
};

// Records `oversight` (REQUIRES: ValidateOversight(oversight, now) is OK) for `caller`: its id
// ("co_..."), occurred_at (now when unset), recorded_at and recorded_by set, and the practice
// themes of its strengths and areas for development (Tagger::PracticeTags); stored with its
// idempotency entry ("oversight:" + submission_id, owned by the caller's token), its counters
// and its audit entry (oversight.record). An escalation also raises its practice alert: id the
// oversight's, reason ALERT_REASON_CHAIR_ESCALATION, the meeting and service area, raised_at
// now, due_at kEscalationWorkingDays working days after now's day (the complaint procedure's
// working days), also written into the oversight's alert_id and alert_due_at; never its text.
// A repeat of its submission_id is decided as a submission's (replay.h): the same oversight
// from the same token gets the stored one and nothing is written; other content, or another
// token, ALREADY_EXISTS naming submission_id.
storage::TypedWriteOp<RecordedOversight> RecordOversightOp(v1::ChairOversight oversight,
                                                           Principal caller, absl::Time now,
                                                           const Ledger& ledger);

// Every oversight `request` asks for (REQUIRES: ValidateOversightFilters(request) is OK),
// newest occurred_at first; only those recorded by the token `recorded_by` unless it is empty.
// DATA_LOSS, naming the key, for a stored oversight that does not parse.
[[nodiscard]] absl::StatusOr<v1::ListOversightsResponse> ListOversights(
    const storage::FeedbackStore& store, const QuarterCalendar& calendar,
    const v1::ListOversightsRequest& request, std::string_view recorded_by);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_OVERSIGHT_H_
