// FeedbackCore: published quarters (service/ops/publication.h, docs/quarters.md).
#include <memory>
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"

namespace feedback {

void FeedbackCore::PublishQuarter(const Principal& caller, const v1::PublishQuarterRequest& request,
                                  Reply<v1::PublishedQuarter> reply) {
  if (!Permits(caller, "PublishQuarter", reply)) return;
  const Quarter quarter{request.financial_year(), request.quarter()};
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateQuarter(quarter); !valid.ok()) return std::move(reply)(valid);
  if (absl::Status over = figures_->CheckFinished(quarter, now); !over.ok()) {
    return std::move(reply)(over);
  }
  storage::TypedWriteOp<v1::PublishedQuarter> op =
      WithAudit(figures_->Publish(quarter, now, caller.token_id), caller, now,
                AuditEvent("quarter.publish", {FormatQuarter(quarter)}));
  WriteThenReply(*writer_, std::move(op), std::move(reply),
                 [](v1::PublishedQuarter& published) { return std::move(published); });
}

}  // namespace feedback
