// Group commit: the path by which submissions reach the disk without any caller's thread
// waiting on fsync.
#ifndef FEEDBACK_STORAGE_GROUP_COMMIT_WRITER_H_
#define FEEDBACK_STORAGE_GROUP_COMMIT_WRITER_H_

#include <deque>
#include <thread>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/feedback_store.h"

namespace feedback::storage {

// One writer thread takes every submission queued since its last write, commits them as one
// synced batch (FeedbackStore::Commit), then calls each one's `done`. Under load, one
// fsync acknowledges many submissions; alone, a submission waits for exactly one fsync.
//
// Thread-safe. Example:
//   GroupCommitWriter writer(store.get());
//   writer.Submit(std::move(submission), [reactor](absl::StatusOr<SubmitOutcome> r) { ... });
class GroupCommitWriter {
 public:
  using OpDone = absl::AnyInvocable<void(absl::Status) &&>;
  using Done = absl::AnyInvocable<void(absl::StatusOr<SubmitOutcome>) &&>;

  // `store` is borrowed and must outlive the writer. `max_group` bounds one batch. Default: 512.
  explicit GroupCommitWriter(FeedbackStore* store, size_t max_group = 512);
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  // Stop()s.
  ~GroupCommitWriter();

  // Queues one write operation and returns at once. `done` runs exactly once, on the writer
  // thread, with the op's result once its group is durable (or has failed). After Stop(),
  // `done` gets UNAVAILABLE immediately, on the caller's thread.
  void Submit(WriteOp op, OpDone done);

  // Submit() of StageSubmission(): `done` gets the outcome.
  void Submit(NewSubmission submission, Done done);

  // Commits everything already queued, then stops the thread. Idempotent.
  void Stop();

 private:
  struct Pending {
    WriteOp op;
    OpDone done;
  };

  void Run();
  std::deque<Pending> TakeGroup();

  FeedbackStore* const store_;
  const size_t max_group_;
  absl::Mutex mutex_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_GROUP_COMMIT_WRITER_H_
