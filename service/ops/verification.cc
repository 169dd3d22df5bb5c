#include "service/ops/verification.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/counters.h"
#include "service/ops/queries.h"
#include "storage/layout.h"

namespace feedback {

absl::StatusOr<v1::VerifyCountersResponse> VerifyCounters(const storage::FeedbackStore& store,
                                                          const Ledger& ledger, absl::Time now) {
  v1::VerifyCountersResponse response;
  Counters recomputed;
  auto add = [&recomputed](const Counters& counters) {
    for (const auto& [key, value] : counters) recomputed[key] += value;
  };
  RETURN_IF_ERROR(store.ScanFeedback([&](const v1::Feedback& record) -> storage::ScanStep {
    response.set_records_examined(response.records_examined() + 1);
    if (record.kind() != v1::KIND_COMPLAINT) {
      add(ledger.counters().OfFeedback(record, nullptr));
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const v1::Complaint complaint,
                     LoadComplaint(store, ledger.procedure(), record, now));
    add(ledger.counters().OfFeedback(record, &complaint));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(store.ScanEntities(
      kReferralPrefix, [&](std::string_view key, std::string_view value) -> storage::ScanStep {
        v1::AdvocacyReferral referral;
        if (!referral.ParseFromString(std::string(value))) {
          // What it counted for is unknown, so no verdict on the counters would be true.
          return absl::DataLossError(
              absl::StrCat(std::string(key),
                           ": a stored referral does not parse; the counters cannot be "
                           "verified until it is repaired"));
        }
        add(ledger.counters().OfReferral(referral));
        response.set_records_examined(response.records_examined() + 1);
        return absl::OkStatus();
      }));
  RETURN_IF_ERROR(store.ScanEntities(
      storage::layout::kQualityCheckPrefix,
      [&](std::string_view key, std::string_view value) -> storage::ScanStep {
        v1::QualityCheck check;
        if (!check.ParseFromString(std::string(value))) {
          return absl::DataLossError(
              absl::StrCat(std::string(key),
                           ": a stored audit or observation does not parse; the counters cannot "
                           "be verified until it is repaired"));
        }
        add(ledger.counters().OfQualityCheck(check));
        response.set_records_examined(response.records_examined() + 1);
        return absl::OkStatus();
      }));
  RETURN_IF_ERROR(store.ScanEntities(
      storage::layout::kOversightPrefix,
      [&](std::string_view key, std::string_view value) -> storage::ScanStep {
        v1::ChairOversight oversight;
        if (!oversight.ParseFromString(std::string(value))) {
          return absl::DataLossError(
              absl::StrCat(std::string(key),
                           ": a stored oversight outcome does not parse; the counters cannot be "
                           "verified until it is repaired"));
        }
        add(ledger.counters().OfOversight(oversight));
        response.set_records_examined(response.records_examined() + 1);
        return absl::OkStatus();
      }));
  ASSIGN_OR_RETURN(auto stored, store.ReadCounters(""));
  Counters stored_map(stored.begin(), stored.end());
  std::set<std::string> keys;
  for (const auto& [key, value] : stored_map) keys.insert(key);
  for (const auto& [key, value] : recomputed) keys.insert(key);
  for (const std::string& key : keys) {
    const int64_t have = stored_map.contains(key) ? stored_map[key] : 0;
    const int64_t want = recomputed.contains(key) ? recomputed[key] : 0;
    if (have != want) {
      v1::CounterDifference* difference = response.add_differences();
      difference->set_key(key);
      difference->set_stored(have);
      difference->set_recomputed(want);
    }
  }
  response.set_counters_checked(static_cast<int64_t>(keys.size()));
  return response;
}

}  // namespace feedback
