// Handler for published quarters (service/publication.h, docs/quarters.md).
#include "service/rpc/feedback_service.h"
#include "service/rpc/rpc_support.h"

namespace feedback {

grpc::ServerUnaryReactor* FeedbackServiceImpl::PublishQuarter(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::PublishQuarterRequest* request, v1::PublishedQuarter* response) {
  const Quarter quarter{request->financial_year(), request->quarter()};
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateQuarter(quarter); !valid.ok()) return FinishNow(context, valid);
  if (absl::Status over = figures_->CheckFinished(quarter, now); !over.ok()) {
    return FinishNow(context, over);
  }
  storage::TypedWriteOp<v1::PublishedQuarter> op =
      WithAudit(figures_->Publish(quarter, now, caller.token_id), caller, now,
                AuditEvent("quarter.publish", {FormatQuarter(quarter)}));
  return WriteThenFinish(
      context, *writer_, std::move(op),
      [response](v1::PublishedQuarter& published) { *response = std::move(published); });
}

}  // namespace feedback
