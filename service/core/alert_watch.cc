// WatchAlerts' stream (streams.h).
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/core/log_limit.h"
#include "service/core/streams.h"
#include "service/ops/audit.h"
#include "service/ops/queries.h"

namespace feedback {
namespace {

class AlertWatch final : public std::enable_shared_from_this<AlertWatch> {
 public:
  AlertWatch(AlertHub& hub, const storage::FeedbackStore& store, storage::GroupCommitWriter& writer,
             const TokenRegistry& tokens, Principal caller, StreamSlot slot,
             StreamSink<v1::Alert>& sink)
      : hub_(hub),
        store_(store),
        writer_(writer),
        tokens_(tokens),
        caller_(std::move(caller)),
        slot_(std::move(slot)),
        sink_(sink) {}

  void Start() {
    // Subscribe before reading the backlog, so that nothing raised in between is missed. The
    // watch lives until the sink is done, which unsubscribes it.
    const int handle = hub_.Subscribe(
        [weak = weak_from_this()](const v1::Alert& alert) {
          if (std::shared_ptr<AlertWatch> self = weak.lock()) self->AuditThenEnqueue(alert);
        },
        [weak = weak_from_this()] {
          if (std::shared_ptr<AlertWatch> self = weak.lock()) {
            self->Close(absl::UnavailableError("the server is shutting down"));
          }
        });
    sink_.WhenDone([self = shared_from_this(), handle] { self->hub_.Unsubscribe(handle); });
    sink_.WhenCancelled([self = shared_from_this()] { self->Close(absl::CancelledError()); });
    {
      // Headers go out at once, so a watcher knows it is subscribed before any alert arrives.
      absl::MutexLock lock(&mutex_);
      if (!finished_) sink_.Open();
    }
    absl::StatusOr<std::vector<v1::Alert>> backlog = UnacknowledgedAlerts(store_);
    if (!backlog.ok()) {
      // The watcher hears that something is wrong rather than silently missing an alert; the
      // operator reads which key (never its words).
      LogServerError(absl::StrCat("WatchAlerts: ", backlog.status().ToString()));
      Close(backlog.status());
      return;
    }
    for (const v1::Alert& alert : *backlog) AuditThenEnqueue(alert);
  }

 private:
  void AuditThenEnqueue(const v1::Alert& alert) {
    {
      absl::MutexLock lock(&mutex_);
      if (finished_ || !sent_.insert(alert.id()).second) return;
      // A token revoked (or expired) while the watch is open gets no more children's words.
      if (absl::Status valid = tokens_.CheckStillValid(caller_.token_id, absl::Now());
          !valid.ok()) {
        FinishLocked(valid);
        return;
      }
    }
    writer_.Submit(AuditOp(caller_, absl::Now(), AuditEvent("alert.read", {alert.id()})),
                   [self = shared_from_this(), alert](absl::Status status) {
                     absl::MutexLock lock(&self->mutex_);
                     if (!status.ok()) {
                       self->FinishLocked(status);
                     } else if (!self->finished_) {
                       self->queue_.push_back(alert);
                       self->WriteNextLocked();
                     }
                   });
  }

  void OnSent(bool ok) {
    absl::MutexLock lock(&mutex_);
    writing_ = false;
    if (!ok) {
      FinishLocked(absl::CancelledError("the watcher went away"));
      return;
    }
    queue_.pop_front();
    WriteNextLocked();
  }

  void Close(const absl::Status& status) {
    absl::MutexLock lock(&mutex_);
    FinishLocked(status);
  }

  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (writing_ || finished_ || queue_.empty()) return;
    writing_ = true;
    sink_.Send(queue_.front(), [self = shared_from_this()](bool ok) { self->OnSent(ok); });
  }

  void FinishLocked(const absl::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (finished_) return;
    finished_ = true;
    sink_.Finish(status);
  }

  AlertHub& hub_;
  const storage::FeedbackStore& store_;
  storage::GroupCommitWriter& writer_;
  const TokenRegistry& tokens_;
  const Principal caller_;
  StreamSlot slot_;
  StreamSink<v1::Alert>& sink_;  // not used once finished
  absl::Mutex mutex_;
  std::deque<v1::Alert> queue_ ABSL_GUARDED_BY(mutex_);  // front() is being sent
  std::set<std::string> sent_ ABSL_GUARDED_BY(mutex_);
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace

void StartAlertWatch(AlertHub& hub, const storage::FeedbackStore& store,
                     storage::GroupCommitWriter& writer, const TokenRegistry& tokens,
                     Principal caller, StreamSlot slot, StreamSink<v1::Alert>& sink) {
  std::make_shared<AlertWatch>(hub, store, writer, tokens, std::move(caller), std::move(slot), sink)
      ->Start();
}

}  // namespace feedback
