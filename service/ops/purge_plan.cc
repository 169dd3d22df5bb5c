#include "service/ops/purge_plan.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/erasure.h"
#include "service/ops/ledger.h"
#include "service/ops/record_scan.h"
#include "storage/layout.h"

namespace feedback {
namespace {

// Adds to `plan` the records of type `Record` stored under `prefix` that are past their period.
template <typename Record>
absl::Status PlanRecords(const storage::FeedbackStore& store, std::string_view prefix,
                         const RetentionPolicy* retention, absl::Time now,
                         const std::set<std::string>& held, PurgePlan& plan) {
  return ScanRecords<Record>(store, prefix, "record", [&](Record&& record) -> storage::ScanStep {
    ++plan.examined;
    if (record.has_erased_at() || retention == nullptr || !retention->IsExpired(record, now)) {
      return absl::OkStatus();
    }
    (held.contains(record.id()) ? plan.held : plan.expired).push_back(record.id());
    return absl::OkStatus();
  });
}

}  // namespace

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
  // Advocacy referrals (a child's age, an advocate's reason), audits and observations, and
  // chairs' outcomes (professionals' words about a family's case) have their own periods.
  RETURN_IF_ERROR(
      PlanRecords<v1::AdvocacyReferral>(store, kReferralPrefix, retention, now, held, plan));
  RETURN_IF_ERROR(PlanRecords<v1::QualityCheck>(store, storage::layout::kQualityCheckPrefix,
                                                retention, now, held, plan));
  RETURN_IF_ERROR(PlanRecords<v1::ChairOversight>(store, storage::layout::kOversightPrefix,
                                                  retention, now, held, plan));
  return plan;
}

}  // namespace feedback
