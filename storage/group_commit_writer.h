// Group commit: the path by which write operations reach the disk without any caller's thread
// waiting on fsync.
#ifndef FEEDBACK_STORAGE_GROUP_COMMIT_WRITER_H_
#define FEEDBACK_STORAGE_GROUP_COMMIT_WRITER_H_

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "storage/work_queue.h"

namespace feedback::storage {

// One writer thread (a WorkQueue) takes every operation queued since its last write, commits
// them as one synced batch (FeedbackStore::Commit), then calls each one's `done` with the op's
// own result. Under load, one fsync acknowledges many operations; alone, an operation waits for
// exactly one fsync. An operation's value is handed on only after its batch is durable.
//
// Thread-safe. Example:
//   GroupCommitWriter writer(store.get());
//   writer.Submit(ledger.UpdateComplaint(update, now),
//                 [reactor](absl::StatusOr<v1::Complaint> complaint) { ... });
class GroupCommitWriter {
 public:
  using OpDone = absl::AnyInvocable<void(absl::Status) &&>;
  template <typename T>
  using Done = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

  // Told of each committed group: its operations and the time Commit took (written and synced).
  // Runs on the writer thread: must be quick.
  using CommitObserver = std::function<void(size_t operations, absl::Duration commit)>;

  // `store` is borrowed and must outlive the writer. `max_group` bounds one batch. Default: 512.
  // `observer`: default none.
  explicit GroupCommitWriter(FeedbackStore* store, size_t max_group = 512,
                             CommitObserver observer = {});
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  // Stop()s.
  ~GroupCommitWriter();

  // Queues one write operation and returns at once. `done` runs exactly once, on the writer
  // thread, once the op's group is durable (or has failed): with the op's value, or its own
  // error (its writes rolled back, the rest of the group unaffected), or the batch's write error.
  // After Stop(), `done` gets UNAVAILABLE immediately, on the caller's thread.
  template <typename T>
  void Submit(TypedWriteOp<T> op, std::type_identity_t<Done<T>> done) {
    Enqueue(std::make_unique<TypedPending<T>>(std::move(op), std::move(done)));
  }
  // The same for an operation without a value: `done` gets OK once it is durable.
  void Submit(WriteOp op, OpDone done);

  // Commits everything already queued, then stops the thread. Idempotent.
  void Stop();

  // Operations queued and not yet taken into a group.
  size_t queued() const { return queue_.queued(); }

 private:
  // One queued operation: staged into its group's transaction, then told the group's outcome.
  class Pending {
   public:
    virtual ~Pending() = default;
    // Runs the op; its own result.
    virtual absl::Status Stage(Transaction& txn) = 0;
    // Calls `done`: `committed` is the op's result in the group (FeedbackStore::Commit).
    virtual void Finish(absl::Status committed) && = 0;
  };

  template <typename T>
  class TypedPending final : public Pending {
   public:
    TypedPending(TypedWriteOp<T> op, Done<T> done) : op_(std::move(op)), done_(std::move(done)) {}
    absl::Status Stage(Transaction& txn) override {
      result_ = std::move(op_)(txn);
      return result_->status();
    }
    void Finish(absl::Status committed) && override {
      if (committed.ok() && result_.has_value()) {
        std::move(done_)(*std::move(result_));
      } else {
        std::move(done_)(committed.ok() ? absl::InternalError("write op never ran") : committed);
      }
    }

   private:
    TypedWriteOp<T> op_;
    Done<T> done_;
    std::optional<absl::StatusOr<T>> result_;  // set by Stage
  };

  void Enqueue(std::unique_ptr<Pending> pending);
  // Runs on the queue's thread: one group, one synced write, then every done.
  void CommitGroup(std::vector<std::unique_ptr<Pending>> group);

  FeedbackStore* const store_;
  const CommitObserver observer_;
  WorkQueue<std::unique_ptr<Pending>> queue_;  // last: its thread uses the members above
};

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_GROUP_COMMIT_WRITER_H_
