// FeedbackCore: advocacy referrals (service/domain/advocacy.h).
#include "service/domain/advocacy.h"

#include <memory>
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/domain/list_filters.h"
#include "service/ops/backdating.h"
#include "service/ops/queries.h"

namespace feedback {

void FeedbackCore::CreateAdvocacyReferral(const Principal& caller,
                                          const v1::CreateAdvocacyReferralRequest& request,
                                          Reply<v1::AdvocacyReferral> reply) {
  if (!Permits(caller, "CreateAdvocacyReferral", reply)) return;
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateReferralRequest(request, now); !valid.ok()) {
    return std::move(reply)(valid);
  }
  if (absl::Status dated = CheckReferredAt(request, caller.role, now); !dated.ok()) {
    return std::move(reply)(dated);
  }
  // Audited with the id the referral gets, in the same batch.
  storage::TypedWriteOp<v1::AdvocacyReferral> op = storage::AndThen(
      ledger_->CreateReferral(request, now, caller.token_id),
      [caller, now](storage::Transaction& txn, const v1::AdvocacyReferral& referral) {
        return AppendAudit(txn, caller, now, AuditEvent("referral.create", {referral.id()}));
      });
  WriteThenReply(*writer_, AuditReferralBackfill(std::move(op), request, caller, now, calendar_),
                 std::move(reply),
                 [](v1::AdvocacyReferral& referral) { return std::move(referral); });
}

void FeedbackCore::UpdateAdvocacyReferral(const Principal& caller,
                                          const v1::UpdateAdvocacyReferralRequest& request,
                                          Reply<v1::AdvocacyReferral> reply) {
  if (!Permits(caller, "UpdateAdvocacyReferral", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<v1::AdvocacyReferral> op =
      GuardReferralUpdate(WithAudit(ledger_->UpdateReferral(request, now), caller, now,
                                    AuditEvent("referral.update", {request.id()})),
                          request.id(), caller, now, calendar_);
  WriteThenReply(*writer_, std::move(op), std::move(reply),
                 [](v1::AdvocacyReferral& referral) { return std::move(referral); });
}

void FeedbackCore::GetAdvocacyReferral(const Principal& caller,
                                       const v1::GetAdvocacyReferralRequest& request,
                                       Reply<v1::AdvocacyReferral> reply) {
  if (!Permits(caller, "GetAdvocacyReferral", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<v1::AdvocacyReferral> referral = ReadReferral(*store_, request.id());
  if (!referral.ok()) return std::move(reply)(referral.status());
  // A referral's reason is an advocate's words about a child.
  AuditThenReply(*writer_, caller, AuditEvent("referral.read", {request.id()}),
                 *std::move(referral), std::move(reply));
}

void FeedbackCore::ListAdvocacyReferrals(const Principal& caller,
                                         const v1::ListAdvocacyReferralsRequest& request,
                                         Reply<v1::ListAdvocacyReferralsResponse> reply) {
  if (!Permits(caller, "ListAdvocacyReferrals", reply)) return;
  if (absl::Status valid = ValidateReferralFilters(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  absl::StatusOr<v1::ListAdvocacyReferralsResponse> response =
      ListReferrals(*store_, calendar_, request);
  if (!response.ok()) return std::move(reply)(response.status());
  // No reason is listed, but each line is still a child referred for advocacy (meeting, age):
  // audited as complaint.list is, by the ids shown.
  AuditEvent event("referral.list");
  for (const v1::AdvocacyReferral& referral : response->referrals()) {
    event.ids.push_back(referral.id());
  }
  if (event.ids.empty()) return std::move(reply)(*std::move(response));
  AuditThenReply(*writer_, caller, std::move(event), *std::move(response), std::move(reply));
}

}  // namespace feedback
