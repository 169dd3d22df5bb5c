// FeedbackCore: complaints (the children's complaints procedure, service/domain/complaints.h).
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/error_text.h"
#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/domain/list_filters.h"
#include "service/ops/queries.h"

namespace feedback {

void FeedbackCore::UpdateComplaint(const Principal& caller,
                                   const v1::UpdateComplaintRequest& request,
                                   Reply<v1::Feedback> reply) {
  if (!Permits(caller, "UpdateComplaint", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<v1::Complaint> op =
      WithAudit(ledger_->UpdateComplaint(request, now), caller, now,
                AuditEvent("complaint.update", {request.id()}));
  WriteThenReply(*writer_, std::move(op), std::move(reply),
                 [](v1::Complaint& complaint) { return std::move(*complaint.mutable_feedback()); });
}

void FeedbackCore::GetComplaint(const Principal& caller, const v1::GetComplaintRequest& request,
                                Reply<v1::Complaint> reply) {
  if (!Permits(caller, "GetComplaint", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<v1::Feedback> record = store_->Get(request.id());
  if (!record.ok()) return std::move(reply)(record.status());
  if (record->kind() != v1::KIND_COMPLAINT) {
    return std::move(reply)(absl::NotFoundError(
        absl::StrCat("id: no complaint with id ", QuoteClientValue(request.id()))));
  }
  absl::StatusOr<v1::Complaint> complaint =
      LoadComplaint(*store_, ledger_->procedure(), *record, absl::Now());
  if (!complaint.ok()) return std::move(reply)(complaint.status());
  AuditThenReply(*writer_, caller, AuditEvent("complaint.read", {request.id()}),
                 *std::move(complaint), std::move(reply));
}

void FeedbackCore::ListComplaints(const Principal& caller, const v1::ListComplaintsRequest& request,
                                  Reply<v1::ListComplaintsResponse> reply) {
  if (!Permits(caller, "ListComplaints", reply)) return;
  if (absl::Status valid = ValidateComplaintFilters(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  absl::StatusOr<v1::ListComplaintsResponse> response =
      feedback::ListComplaints(*store_, ledger_->procedure(), calendar_, request, absl::Now());
  if (!response.ok()) return std::move(reply)(response.status());
  AuditEvent event("complaint.list");
  for (const v1::Complaint& complaint : response->complaints()) {
    event.ids.push_back(complaint.feedback().id());
  }
  if (event.ids.empty()) return std::move(reply)(*std::move(response));
  AuditThenReply(*writer_, caller, std::move(event), *std::move(response), std::move(reply));
}

}  // namespace feedback
