// Storing prepared submissions without the ledger's domain rules, for tests of the store, the
// writer and replays.
#ifndef FEEDBACK_TESTS_SUPPORT_SUBMISSIONS_H_
#define FEEDBACK_TESTS_SUPPORT_SUBMISSIONS_H_

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/ingest.h"
#include "service/ops/ledger.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"

namespace feedback::testing {

// The submission part of Ledger::Submit alone: its replay decided (FindReplay), then, if it is
// new, the record as prepared (no tags, no complaint case, alert or counters) with its
// idempotency entry (StoreNewSubmission).
inline storage::TypedWriteOp<SubmitOutcome> StoreSubmissionOp(NewSubmission submission) {
  return [submission = std::move(submission)](
             storage::Transaction& txn) mutable -> absl::StatusOr<SubmitOutcome> {
    ASSIGN_OR_RETURN(std::optional<SubmitOutcome> replay, FindReplay(txn, submission));
    if (replay.has_value()) return *std::move(replay);
    RETURN_IF_ERROR(StoreNewSubmission(txn, submission));
    SubmitOutcome outcome;
    outcome.record = std::move(submission.record);
    return outcome;
  };
}

// StoreSubmissionOp of each of `group`, committed as one group; results in input order.
inline std::vector<absl::StatusOr<SubmitOutcome>> CommitSubmissions(
    storage::FeedbackStore& store, std::vector<NewSubmission> group) {
  std::vector<storage::TypedWriteOp<SubmitOutcome>> ops;
  ops.reserve(group.size());
  for (NewSubmission& submission : group) ops.push_back(StoreSubmissionOp(std::move(submission)));
  return storage::CommitAll(store, std::move(ops));
}

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_SUBMISSIONS_H_
