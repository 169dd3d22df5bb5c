#include "service/ops/purge_plan.h"

#include <set>

#include "proto/vocabulary/status_macros.h"
#include "service/ops/erasure.h"
#include "service/ops/ledger.h"

namespace feedback {

absl::StatusOr<PurgePlan> PlanPurge(const storage::FeedbackStore& store,
                                    const RetentionPolicy* retention, absl::Time now) {
  std::set<std::string> held;
  RETURN_IF_ERROR(store.ScanEntities(
      kHoldPrefix, [&held](std::string_view key, std::string_view) -> storage::ScanStep {
        held.insert(std::string(key.substr(kHoldPrefix.size())));
        return absl::OkStatus();
      }));
  PurgePlan plan;
  RETURN_IF_ERROR(store.ScanFeedback([&](const v1::Feedback& record) -> storage::ScanStep {
    ++plan.examined;
    if (IsErased(record) || retention == nullptr || !retention->IsExpired(record, now)) {
      return absl::OkStatus();
    }
    (held.contains(record.id()) ? plan.held : plan.expired).push_back(record.id());
    return absl::OkStatus();
  }));
  // Advocacy referrals (a child's age, an advocate's reason) have their own period.
  RETURN_IF_ERROR(store.ScanEntities(
      kReferralPrefix, [&](std::string_view, std::string_view value) -> storage::ScanStep {
        ++plan.examined;
        v1::AdvocacyReferral referral;
        if (!referral.ParseFromString(std::string(value))) {
          return absl::DataLossError("referral does not parse");
        }
        if (referral.has_erased_at() || retention == nullptr ||
            !retention->IsExpired(referral, now)) {
          return absl::OkStatus();
        }
        (held.contains(referral.id()) ? plan.held : plan.expired).push_back(referral.id());
        return absl::OkStatus();
      }));
  return plan;
}

}  // namespace feedback
