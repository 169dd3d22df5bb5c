// FeedbackCore: case-file audits and practice observations (service/domain/quality_checks.h).
#include "service/domain/quality_checks.h"

#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/ops/backdating.h"
#include "service/ops/quality_checks.h"

namespace feedback {

void FeedbackCore::RecordQualityCheck(const Principal& caller,
                                      const v1::RecordQualityCheckRequest& request,
                                      Reply<v1::QualityCheck> reply) {
  if (!Permits(caller, "RecordQualityCheck", reply)) return;
  const absl::Time now = Now();
  if (absl::Status valid = ValidateQualityCheck(request.check(), now); !valid.ok()) {
    return std::move(reply)(valid);
  }
  if (request.check().has_occurred_at()) {
    if (absl::Status dated =
            CheckDate(request.check().occurred_at(), "check.occurred_at", caller.role, now);
        !dated.ok()) {
      return std::move(reply)(dated);
    }
  }
  WriteThenReply(*writer_, RecordQualityCheckOp(request.check(), caller, now, *ledger_),
                 std::move(reply), [](v1::QualityCheck& check) { return std::move(check); });
}

void FeedbackCore::ListQualityChecks(const Principal& caller,
                                     const v1::ListQualityChecksRequest& request,
                                     Reply<v1::ListQualityChecksResponse> reply) {
  if (!Permits(caller, "ListQualityChecks", reply)) return;
  if (absl::Status valid = ValidateQualityCheckFilters(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  absl::StatusOr<v1::ListQualityChecksResponse> response =
      feedback::ListQualityChecks(*store_, calendar_, request);
  if (!response.ok()) return std::move(reply)(response.status());
  // Staff's words about a worker's practice: every read is audited, by the ids shown.
  AuditEvent event("quality_check.list");
  for (const v1::QualityCheck& check : response->checks()) event.ids.push_back(check.id());
  if (event.ids.empty()) return std::move(reply)(*std::move(response));
  AuditThenReply(*writer_, caller, std::move(event), *std::move(response), std::move(reply));
}

}  // namespace feedback
