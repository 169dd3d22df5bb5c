// What a retention purge (PurgeFeedback) would erase: read before any chunk is written.
#ifndef FEEDBACK_SERVICE_OPS_PURGE_PLAN_H_
#define FEEDBACK_SERVICE_OPS_PURGE_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/domain/retention.h"
#include "storage/feedback_store.h"

namespace feedback {

struct PurgePlan {
  int64_t examined = 0;              // feedback items and other records looked at
  std::vector<std::string> expired;  // past retention and not held: to erase
  std::vector<std::string> held;     // past retention but under a legal hold: kept
};

// Every feedback item, then every advocacy referral, audit or observation and chair's oversight
// outcome, past its retention period at `now` and not erased yet, split by legal hold.
// `retention` null: nothing expires. DATA_LOSS, naming the key, if a record does not parse.
[[nodiscard]] absl::StatusOr<PurgePlan> PlanPurge(const storage::FeedbackStore& store,
                                                  const RetentionPolicy* retention, absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_PURGE_PLAN_H_
