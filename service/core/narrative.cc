// FeedbackCore: the quarterly report's narrative (service/domain/narrative.h).
#include "service/domain/narrative.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/ops/narrative.h"

namespace feedback {

void FeedbackCore::SetNarrative(const Principal& caller, const v1::SetNarrativeRequest& request,
                                Reply<v1::NarrativeVersion> reply) {
  if (!Permits(caller, "SetNarrative", reply)) return;
  if (absl::Status valid = ValidateSetNarrative(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  WriteThenReply(*writer_, SetNarrativeOp(request, caller, Now()), std::move(reply),
                 [](v1::NarrativeVersion& stored) { return std::move(stored); });
}

void FeedbackCore::GetNarrative(const Principal& caller, const v1::GetNarrativeRequest& request,
                                Reply<v1::GetNarrativeResponse> reply) {
  if (!Permits(caller, "GetNarrative", reply)) return;
  if (absl::Status valid = ValidateGetNarrative(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  // The history names who wrote what: QA staff and admin only; a reporter reads the current
  // text that goes into the report.
  if (request.include_history() && caller.role != v1::ROLE_QA_MANAGER &&
      caller.role != v1::ROLE_ADMIN) {
    return std::move(reply)(absl::PermissionDeniedError(
        "include_history: only a qa_manager or admin token may read the narrative's history"));
  }
  absl::StatusOr<v1::GetNarrativeResponse> response = ReadNarrative(*store_, request);
  if (!response.ok()) return std::move(reply)(response.status());
  response->set_council_name(title_.council_name);
  response->set_division_title(title_.division_title);
  if (!request.include_history()) return std::move(reply)(*std::move(response));
  AuditEvent event("narrative.history", {},
                   absl::StrCat(request.financial_year(), "Q", request.quarter()));
  AuditThenReply(*writer_, caller, std::move(event), *std::move(response), std::move(reply));
}

}  // namespace feedback
