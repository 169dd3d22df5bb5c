// "I want to talk to someone now": a talk-now request from a kiosk becomes an alert on
// WatchAlerts, stored with the safeguarding alerts (alert/tn_..., storage/layout.h) so that it
// survives a restart and is re-sent until acknowledged. It carries the asking token's device
// name, the meeting, the service area and the time, and nothing about the person.
#ifndef FEEDBACK_SERVICE_OPS_TALK_NOW_H_
#define FEEDBACK_SERVICE_OPS_TALK_NOW_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/access.h"
#include "storage/transaction.h"

namespace feedback {

// Checks a talk-now request at server time `now`: request_id a UUID; meeting and service area
// known values (unspecified is allowed: a request for help is not refused for a missing
// setting); requested_at, if set, a valid time from 2000 to now + kMaxClockSkew.
// INVALID_ARGUMENT naming the field.
[[nodiscard]] absl::Status ValidateTalkNowRequest(const v1::RequestTalkNowRequest& request,
                                                  absl::Time now);

// What a talk-now request came to.
struct TalkNowOutcome {
  v1::Alert alert;         // as stored (for a repeat: as it stands now, perhaps acknowledged)
  bool duplicate = false;  // true: this request_id raised it before; nothing was written
};

// Raises the alert of `request` (REQUIRES: ValidateTalkNowRequest is OK) from `caller`: id
// "tn_..." , reason ALERT_REASON_TALK_NOW, the caller's device name, the request's meeting and
// service area, raised_at its requested_at (at most `now`; `now` when unset); with its
// idempotency entry ("talk_now:" + request_id, owned by the caller's token) and audit entry
// (alert.talk_now, ids the alert) in the same batch. A repeat of the request_id is decided as
// a submission's (service/ops/replay.h): from the same token with the same request, the stored
// alert and nothing written; with another request, or from another token, ALREADY_EXISTS
// naming request_id.
storage::TypedWriteOp<TalkNowOutcome> RaiseTalkNowOp(v1::RequestTalkNowRequest request,
                                                     Principal caller, absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_TALK_NOW_H_
