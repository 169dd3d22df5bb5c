// Reading the stored records of one type: the entities under a key prefix (storage/layout.h),
// each parsed as its message, and the newest-first order every list answers in.
#ifndef FEEDBACK_SERVICE_OPS_RECORD_SCAN_H_
#define FEEDBACK_SERVICE_OPS_RECORD_SCAN_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "storage/feedback_store.h"

namespace feedback {

// Calls `visit(Record&&)` (returning a storage::ScanStep) with each record stored under
// `prefix`, in key order, from one snapshot. A record that does not parse stops the scan with
// DATA_LOSS "<key>: a stored <what> does not parse": named by its key only, since its bytes may
// hold a child's words.
template <typename Record, typename Visit>
[[nodiscard]] absl::Status ScanRecords(const storage::FeedbackStore& store, std::string_view prefix,
                                       std::string_view what, Visit visit) {
  return store.ScanEntities(
      prefix, [&](std::string_view key, std::string_view value) -> storage::ScanStep {
        Record record;
        if (!record.ParseFromString(std::string(value))) {
          return absl::DataLossError(
              absl::StrCat(std::string(key), ": a stored ", std::string(what), " does not parse"));
        }
        return visit(std::move(record));
      });
}

// Sorts `records` newest first by the time `at(record)`, then by id.
template <typename Record, typename At>
void SortNewestFirst(std::vector<Record>& records, At at) {
  using google::protobuf::util::TimeUtil;
  std::sort(records.begin(), records.end(), [&at](const Record& a, const Record& b) {
    const int64_t at_a = TimeUtil::TimestampToMicroseconds(at(a));
    const int64_t at_b = TimeUtil::TimestampToMicroseconds(at(b));
    return at_a != at_b ? at_a > at_b : a.id() < b.id();
  });
}

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_RECORD_SCAN_H_
