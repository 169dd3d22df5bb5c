// FeedbackCore: independent chairs' oversight (service/domain/oversight.h).
#include "service/domain/oversight.h"

#include <string>
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/ops/alert_hub.h"
#include "service/ops/backdating.h"
#include "service/ops/oversight.h"

namespace feedback {

void FeedbackCore::RecordOversight(const Principal& caller,
                                   const v1::RecordOversightRequest& request,
                                   Reply<v1::ChairOversight> reply) {
  if (!Permits(caller, "RecordOversight", reply)) return;
  const absl::Time now = Now();
  if (absl::Status valid = ValidateOversight(request.oversight(), now); !valid.ok()) {
    return std::move(reply)(valid);
  }
  if (request.oversight().has_occurred_at()) {
    if (absl::Status dated =
            CheckDate(request.oversight().occurred_at(), "oversight.occurred_at", caller.role, now);
        !dated.ok()) {
      return std::move(reply)(dated);
    }
  }
  WriteThenReply(*writer_, RecordOversightOp(request.oversight(), caller, now, *ledger_),
                 std::move(reply), [this](RecordedOversight& recorded) {
                   // An escalation's practice alert goes out to the watching managers as soon
                   // as it is durable, as a safeguarding alert does.
                   if (recorded.alert.has_value()) alerts_->Publish(*recorded.alert);
                   return std::move(recorded.oversight);
                 });
}

void FeedbackCore::ListOversights(const Principal& caller, const v1::ListOversightsRequest& request,
                                  Reply<v1::ListOversightsResponse> reply) {
  if (!Permits(caller, "ListOversights", reply)) return;
  if (absl::Status valid = ValidateOversightFilters(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  // A chair reads its own records; QA staff and admin every chair's.
  const std::string recorded_by = caller.role == v1::ROLE_CHAIR ? caller.token_id : "";
  absl::StatusOr<v1::ListOversightsResponse> response =
      feedback::ListOversights(*store_, calendar_, request, recorded_by);
  if (!response.ok()) return std::move(reply)(response.status());
  // Staff's words about practice: every read is audited, by the ids shown.
  AuditEvent event("oversight.list");
  for (const v1::ChairOversight& oversight : response->oversights()) {
    event.ids.push_back(oversight.id());
  }
  if (event.ids.empty()) return std::move(reply)(*std::move(response));
  AuditThenReply(*writer_, caller, std::move(event), *std::move(response), std::move(reply));
}

}  // namespace feedback
