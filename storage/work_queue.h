// A queue with one consumer thread: the shape of the store's background work. The group-commit
// writer (group_commit_writer.h: a batch is one synced write) and the scrubber
// (service/ops/erasure.h: a batch of one scrub) both run on it.
#ifndef FEEDBACK_STORAGE_WORK_QUEUE_H_
#define FEEDBACK_STORAGE_WORK_QUEUE_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <deque>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace feedback::storage {

// Producers Push() items from any thread; one thread, owned by the queue, takes every item
// queued since its last turn (at most `max_batch`) and hands them to the handler, in the order
// they were pushed. Stop() hands over everything already queued before the thread ends.
//
// Thread-safe. Example:
//   WorkQueue<Job> queue(/*max_batch=*/64, [](std::vector<Job> batch) { ... });
//   Job job = ...;
//   if (!queue.Push(job)) job.Refuse();  // stopping: `job` is still the caller's
template <typename Item>
class WorkQueue {
 public:
  using Handler = absl::AnyInvocable<void(std::vector<Item> batch)>;

  // Starts the thread. `handle` runs on it, one batch at a time, and must not call Stop().
  // `max_batch` bounds a batch; 0 counts as 1. With a `watch` above zero, the thread, once it
  // finds the queue empty, watches it for up to that long before it sleeps (WatchUntilQueued).
  WorkQueue(size_t max_batch, Handler handle, absl::Duration watch = absl::ZeroDuration())
      : max_batch_(std::max<size_t>(1, max_batch)),
        watch_(watch),
        handle_(std::move(handle)),
        thread_([this] { Run(); }) {}
  // Stop()s.
  ~WorkQueue() { Stop(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `item` (moved from) and returns true. Once Stop() has begun, returns false and leaves
  // `item` untouched, so that the caller can answer it.
  [[nodiscard]] bool Push(Item& item) {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return false;
    queue_.push_back(std::move(item));
    queued_hint_.store(queue_.size(), std::memory_order_release);
    return true;
  }

  // Items pushed and not yet handed to the thread.
  size_t queued() const {
    absl::MutexLock lock(&mutex_);
    return queue_.size();
  }

  // Refuses every later Push(), lets the thread hand over everything already queued, and
  // returns once the thread has ended. Idempotent; a concurrent caller also waits for the end.
  void Stop() {
    {
      absl::MutexLock lock(&mutex_);
      stopping_ = true;
      stopping_hint_.store(true, std::memory_order_release);
    }
    absl::MutexLock lock(&join_mutex_);
    if (thread_.joinable()) thread_.join();
  }

 private:
  // Blocks until something is queued or Stop() began (watching first, then asleep); empty only
  // when stopping with nothing left.
  std::vector<Item> Take() {
    if (watch_ > absl::ZeroDuration()) WatchUntilQueued();
    absl::MutexLock lock(&mutex_);
    mutex_.Await(absl::Condition(
        +[](WorkQueue* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
          return self->stopping_ || !self->queue_.empty();
        },
        this));
    std::vector<Item> batch;
    batch.reserve(std::min(queue_.size(), max_batch_));
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    queued_hint_.store(queue_.size(), std::memory_order_relaxed);
    return batch;
  }

  // Returns once something is queued, Stop() has begun, `watch_` has passed, or another thread
  // has wanted this CPU three times, giving the CPU back between looks. A sleeping thread wakes
  // tens of µs after the Push that wakes it (on the development machine), and an operation that
  // comes alone waits all of that (docs/performance.md, twenty-sixth pass); RocksDB's own write
  // queue waits the same way (write_thread_max_yield_usec, write_thread_slow_yield_usec).
  void WatchUntilQueued() {
    constexpr absl::Duration kSlowYield = absl::Microseconds(3);
    constexpr int kSlowYieldsBeforeSleeping = 3;
    const absl::Time until = absl::Now() + watch_;
    int slow_yields = 0;
    while (queued_hint_.load(std::memory_order_acquire) == 0 &&
           !stopping_hint_.load(std::memory_order_acquire)) {
      const absl::Time before = absl::Now();
      if (before >= until) return;
      std::this_thread::yield();
      if (absl::Now() - before >= kSlowYield && ++slow_yields >= kSlowYieldsBeforeSleeping) return;
    }
  }

  void Run() {
    for (std::vector<Item> batch = Take(); !batch.empty(); batch = Take()) {
      handle_(std::move(batch));
    }
  }

  const size_t max_batch_;
  const absl::Duration watch_;
  Handler handle_;  // used only on thread_
  mutable absl::Mutex mutex_;
  std::deque<Item> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  // Copies of queue_.size() and stopping_, written under mutex_, that WatchUntilQueued reads
  // without taking it.
  std::atomic<size_t> queued_hint_{0};
  std::atomic<bool> stopping_hint_{false};
  absl::Mutex join_mutex_;  // serializes the join of concurrent Stop()s
  std::thread thread_;      // last: starts once every other member is ready
};

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_WORK_QUEUE_H_
