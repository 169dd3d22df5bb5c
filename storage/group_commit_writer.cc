#include "storage/group_commit_writer.h"

#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace feedback::storage {
namespace {

// An operation without a value, as a pending of the writer: its done hears only the status.
struct Unit {};

// How long the writer, its group answered, watches for the next operation before it sleeps.
// One client alone sends its next call about 0.1 ms after its answer leaves (its own turn and
// gRPC's), so a writer that watches this long takes it at once instead of being woken for it.
constexpr absl::Duration kWatchBeforeSleeping = absl::Microseconds(200);

}  // namespace

GroupCommitWriter::GroupCommitWriter(FeedbackStore* store, size_t max_group,
                                     CommitObserver observer)
    : store_(store),
      observer_(std::move(observer)),
      queue_(
          max_group,
          [this](std::vector<std::unique_ptr<Pending>> group) { CommitGroup(std::move(group)); },
          kWatchBeforeSleeping) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Submit(WriteOp op, OpDone done) {
  Submit(TypedWriteOp<Unit>([op = std::move(op)](Transaction& txn) mutable -> absl::StatusOr<Unit> {
           if (absl::Status status = std::move(op)(txn); !status.ok()) return status;
           return Unit{};
         }),
         [done = std::move(done)](absl::StatusOr<Unit> result) mutable {
           std::move(done)(result.status());
         });
}

void GroupCommitWriter::Enqueue(std::unique_ptr<Pending> pending) {
  if (queue_.Push(pending)) return;
  std::move(*pending).Finish(absl::UnavailableError("the server is shutting down"));
}

void GroupCommitWriter::Stop() { queue_.Stop(); }

void GroupCommitWriter::CommitGroup(std::vector<std::unique_ptr<Pending>> group) {
  std::vector<WriteOp> ops;
  ops.reserve(group.size());
  for (std::unique_ptr<Pending>& pending : group) {
    ops.push_back([&pending = *pending](Transaction& txn) { return pending.Stage(txn); });
  }
  // Returns once the batch is synced (or failed): only then does any done run.
  const absl::Time began = absl::Now();
  std::vector<absl::Status> results = store_->Commit(std::move(ops));
  if (observer_) observer_(group.size(), absl::Now() - began);
  for (size_t i = 0; i < group.size(); ++i) std::move(*group[i]).Finish(std::move(results[i]));
}

}  // namespace feedback::storage
