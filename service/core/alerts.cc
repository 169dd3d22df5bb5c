// FeedbackCore: safeguarding alerts (watching and acknowledging).
#include <memory>
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/core/streams.h"

namespace feedback {

void FeedbackCore::WatchAlerts(const Principal& caller, const v1::WatchAlertsRequest&,
                               StreamSink<v1::Alert>& sink) {
  if (!Permits(caller, "WatchAlerts", sink)) return;
  absl::StatusOr<StreamSlot> slot = gate_->OpenStream(caller);
  if (!slot.ok()) return sink.Finish(slot.status());
  StartAlertWatch(*alerts_, *store_, *writer_, *tokens_, caller, *std::move(slot), sink);
}

void FeedbackCore::AcknowledgeAlert(const Principal& caller,
                                    const v1::AcknowledgeAlertRequest& request,
                                    Reply<v1::Alert> reply) {
  if (!Permits(caller, "AcknowledgeAlert", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<v1::Alert> op =
      WithAudit(ledger_->AcknowledgeAlert(request, now), caller, now,
                AuditEvent("alert.acknowledge", {request.id()}));
  WriteThenReply(*writer_, std::move(op), std::move(reply),
                 [](v1::Alert& alert) { return std::move(alert); });
}

}  // namespace feedback
