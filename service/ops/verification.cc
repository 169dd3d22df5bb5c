#include "service/ops/verification.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/counters.h"
#include "service/ops/queries.h"
#include "service/ops/record_scan.h"
#include "storage/layout.h"

namespace feedback {
namespace {

// A record that does not parse: what it counted for is unknown, so no verdict on the counters
// would be true.
absl::Status Unverifiable(absl::Status status) {
  if (!absl::IsDataLoss(status)) return status;
  return absl::DataLossError(
      absl::StrCat(status.message(), "; the counters cannot be verified until it is repaired"));
}

}  // namespace

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
  // Each record's counters, as OfRecord(record) gives them.
  auto count = [&](auto of_record) {
    return [&, of_record](auto&& record) -> storage::ScanStep {
      add(of_record(record));
      response.set_records_examined(response.records_examined() + 1);
      return absl::OkStatus();
    };
  };
  const CounterBook& book = ledger.counters();
  RETURN_IF_ERROR(Unverifiable(ScanRecords<v1::AdvocacyReferral>(
      store, kReferralPrefix, "referral",
      count([&book](const v1::AdvocacyReferral& r) { return book.OfReferral(r); }))));
  RETURN_IF_ERROR(Unverifiable(ScanRecords<v1::QualityCheck>(
      store, storage::layout::kQualityCheckPrefix, "audit or observation",
      count([&book](const v1::QualityCheck& c) { return book.OfQualityCheck(c); }))));
  RETURN_IF_ERROR(Unverifiable(ScanRecords<v1::ChairOversight>(
      store, storage::layout::kOversightPrefix, "oversight outcome",
      count([&book](const v1::ChairOversight& o) { return book.OfOversight(o); }))));
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
