#include "storage/group_commit_writer.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

namespace feedback::storage {

GroupCommitWriter::GroupCommitWriter(FeedbackStore* store, size_t max_group)
    : store_(store), max_group_(std::max<size_t>(1, max_group)), thread_([this] { Run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Submit(NewSubmission submission, Done done) {
  auto outcome = std::make_shared<SubmitOutcome>();
  Submit(
      [submission = std::move(submission), outcome](Transaction& txn) mutable {
        return StageSubmission(txn, std::move(submission), *outcome);
      },
      [outcome, done = std::move(done)](absl::Status status) mutable {
        if (status.ok()) {
          std::move(done)(std::move(*outcome));
        } else {
          std::move(done)(std::move(status));
        }
      });
}

void GroupCommitWriter::Submit(WriteOp op, OpDone done) {
  {
    absl::MutexLock lock(&mutex_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(op), std::move(done)});
      return;
    }
  }
  std::move(done)(absl::UnavailableError("the server is shutting down"));
}

void GroupCommitWriter::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

// Blocks until work is queued or Stop() is called; empty only when stopping with nothing left.
std::deque<GroupCommitWriter::Pending> GroupCommitWriter::TakeGroup() {
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(
      +[](GroupCommitWriter* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
        return self->stopping_ || !self->queue_.empty();
      },
      this));
  std::deque<Pending> group;
  while (!queue_.empty() && group.size() < max_group_) {
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return group;
}

void GroupCommitWriter::Run() {
  for (std::deque<Pending> group = TakeGroup(); !group.empty(); group = TakeGroup()) {
    std::vector<WriteOp> ops;
    ops.reserve(group.size());
    for (Pending& pending : group) ops.push_back(std::move(pending.op));
    std::vector<absl::Status> results = store_->Commit(std::move(ops));
    for (size_t i = 0; i < group.size(); ++i) std::move(group[i].done)(std::move(results[i]));
  }
}

}  // namespace feedback::storage
