// FeedbackCore: quarterly summaries (service/ops/counters.h, service/ops/publication.h).
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"

namespace feedback {

void FeedbackCore::GetQuarterSummary(const Principal& caller,
                                     const v1::GetQuarterSummaryRequest& request,
                                     Reply<v1::QuarterSummary> reply) {
  if (!Permits(caller, "GetQuarterSummary", reply)) return;
  const Quarter quarter{request.financial_year(), request.quarter()};
  if (absl::Status valid = ValidateQuarter(quarter); !valid.ok()) return std::move(reply)(valid);
  if (!v1::ServiceArea_IsValid(request.service_area())) {
    return std::move(reply)(absl::InvalidArgumentError("service_area: unknown value"));
  }
  // Exact counts are for internal QA only: QA staff get them unless they ask for the published
  // form; every other caller (a reporter, or any role later allowed here) gets the published
  // form, which for a published quarter is its frozen figures (service/ops/publication.h).
  const bool published = request.published() || caller.role != v1::ROLE_QA_MANAGER;
  absl::StatusOr<v1::QuarterSummary> summary =
      figures_->Get(quarter, request.service_area(), published);
  if (summary.ok()) summary->set_published_form(published);
  std::move(reply)(std::move(summary));
}

}  // namespace feedback
