// WorkQueue, the one-consumer queue under the group-commit writer and the scrubber: order,
// batch bounds, a clean stop that hands over everything queued before it, and a watch for the
// next item (the writer's) that ends: the thread sleeps once it is over, and a stop ends it.
#include "storage/work_queue.h"

#include <pthread.h>
#include <time.h>

#include <memory>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace feedback::storage {
namespace {
namespace work_queue_test {

using ::testing::Each;
using ::testing::ElementsAreArray;
using ::testing::Le;

// What the handler saw: every batch, in order, and on which threads. The first batch can be
// held (until Release()) so that later pushes pile up behind it.
class Handled {
 public:
  explicit Handled(bool hold_first = false) : hold_first_(hold_first) {}

  WorkQueue<std::unique_ptr<int>>::Handler Handler() {
    return [this](std::vector<std::unique_ptr<int>> batch) {
      bool first = false;
      {
        absl::MutexLock lock(&mutex_);
        first = sizes_.empty();
        sizes_.push_back(batch.size());
        for (const std::unique_ptr<int>& item : batch) items_.push_back(*item);
        threads_.insert(std::this_thread::get_id());
        pthread_getcpuclockid(pthread_self(), &cpu_clock_);
      }
      if (first && hold_first_) {
        holding_.Notify();
        release_.WaitForNotification();
      }
    };
  }
  void WaitUntilHolding() { holding_.WaitForNotification(); }
  void Release() { release_.Notify(); }
  void WaitForItems(size_t n) {
    absl::MutexLock lock(&mutex_);
    wanted_ = n;
    mutex_.Await(absl::Condition(
        +[](Handled* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
          return self->items_.size() >= self->wanted_;
        },
        this));
  }

  std::vector<int> items() const {
    absl::MutexLock lock(&mutex_);
    return items_;
  }
  std::vector<size_t> sizes() const {
    absl::MutexLock lock(&mutex_);
    return sizes_;
  }
  std::set<std::thread::id> threads() const {
    absl::MutexLock lock(&mutex_);
    return threads_;
  }
  // The CPU time the handling thread has used so far (it must still be running).
  absl::Duration HandlerThreadCpu() const {
    clockid_t clock;
    {
      absl::MutexLock lock(&mutex_);
      clock = cpu_clock_;
    }
    timespec used{};
    clock_gettime(clock, &used);
    return absl::DurationFromTimespec(used);
  }

 private:
  const bool hold_first_;
  mutable absl::Mutex mutex_;
  std::vector<int> items_ ABSL_GUARDED_BY(mutex_);
  std::vector<size_t> sizes_ ABSL_GUARDED_BY(mutex_);
  std::set<std::thread::id> threads_ ABSL_GUARDED_BY(mutex_);
  size_t wanted_ ABSL_GUARDED_BY(mutex_) = 0;
  clockid_t cpu_clock_ ABSL_GUARDED_BY(mutex_) = CLOCK_THREAD_CPUTIME_ID;
  absl::Notification holding_;
  absl::Notification release_;
};

std::vector<int> Range(int from, int to) {
  std::vector<int> out;
  for (int i = from; i < to; ++i) out.push_back(i);
  return out;
}

bool Push(WorkQueue<std::unique_ptr<int>>& queue, int value) {
  auto item = std::make_unique<int>(value);
  return queue.Push(item);
}

TEST(WorkQueue, HandsOverItemsInPushOrderInBatchesOfAtMostMaxBatch) {
  Handled handled(/*hold_first=*/true);
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/4, handled.Handler());
  ASSERT_TRUE(Push(queue, 0));
  handled.WaitUntilHolding();
  for (int i = 1; i <= 10; ++i) ASSERT_TRUE(Push(queue, i));  // queued behind the first batch
  handled.Release();
  handled.WaitForItems(11);
  queue.Stop();

  EXPECT_THAT(handled.items(), ElementsAreArray(Range(0, 11)));
  EXPECT_THAT(handled.sizes(), ElementsAreArray({1u, 4u, 4u, 2u}));
  // One thread of its own handles everything.
  ASSERT_EQ(handled.threads().size(), 1u);
  EXPECT_NE(*handled.threads().begin(), std::this_thread::get_id());
}

TEST(WorkQueue, ItemsFromManyProducersAreEachHandledOnceInEachProducersOrder) {
  constexpr int kProducers = 4;
  constexpr int kEach = 500;
  Handled handled;
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/64, handled.Handler());
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&queue, p] {
      for (int i = 0; i < kEach; ++i) EXPECT_TRUE(Push(queue, p * kEach + i));
    });
  }
  for (std::thread& producer : producers) producer.join();
  queue.Stop();

  const std::vector<int> items = handled.items();
  ASSERT_EQ(items.size(), static_cast<size_t>(kProducers * kEach));
  std::vector<int> last(kProducers, -1);
  for (int item : items) {
    EXPECT_GT(item, last[item / kEach]) << "producer " << item / kEach << " out of order";
    last[item / kEach] = item;
  }
  EXPECT_THAT(handled.sizes(), Each(Le(64u)));
}

TEST(WorkQueue, StopHandsOverEverythingQueuedThenRefusesAndLeavesTheItemToTheCaller) {
  Handled handled(/*hold_first=*/true);
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/3, handled.Handler());
  ASSERT_TRUE(Push(queue, 0));
  handled.WaitUntilHolding();
  for (int i = 1; i <= 7; ++i) ASSERT_TRUE(Push(queue, i));

  std::thread stopper([&queue] { queue.Stop(); });
  // Stop() cannot return while the first batch is held; find out when it has begun by pushing
  // until a push is refused.
  int next = 8;
  auto refused = std::make_unique<int>(-1);
  for (;; ++next) {
    auto probe = std::make_unique<int>(next);
    if (!queue.Push(probe)) {
      ASSERT_NE(probe, nullptr) << "a refused item must stay with the caller";
      EXPECT_EQ(*probe, next);
      refused = std::move(probe);
      break;
    }
    std::this_thread::yield();
  }
  handled.Release();
  stopper.join();  // returns only once everything queued was handed over

  EXPECT_THAT(handled.items(), ElementsAreArray(Range(0, next)));
  EXPECT_EQ(*refused, next);
  EXPECT_FALSE(Push(queue, 1000));  // stays stopped
  queue.Stop();                     // idempotent
}

TEST(WorkQueue, DestructionHandsOverWhatWasQueued) {
  Handled handled(/*hold_first=*/true);
  {
    WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/2, handled.Handler());
    ASSERT_TRUE(Push(queue, 0));
    handled.WaitUntilHolding();
    for (int i = 1; i < 50; ++i) ASSERT_TRUE(Push(queue, i));
    handled.Release();
  }
  EXPECT_THAT(handled.items(), ElementsAreArray(Range(0, 50)));
}

TEST(WorkQueue, ConcurrentStopsAllReturnOnceTheThreadHasEnded) {
  Handled handled(/*hold_first=*/true);
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/8, handled.Handler());
  ASSERT_TRUE(Push(queue, 0));
  handled.WaitUntilHolding();
  ASSERT_TRUE(Push(queue, 1));
  std::vector<std::thread> stoppers;
  for (int i = 0; i < 3; ++i) stoppers.emplace_back([&queue] { queue.Stop(); });
  handled.Release();
  for (std::thread& stopper : stoppers) stopper.join();
  EXPECT_THAT(handled.items(), ElementsAreArray({0, 1}));
}

// A queue that watches for its next item (the writer's, between one client's calls) hands over
// each item pushed while it watches, in order, as it does any other.
TEST(WorkQueue, AWatchingQueueHandsOverEachItemPushedWhileItWatches) {
  Handled handled;
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/8, handled.Handler(),
                                        /*watch=*/absl::Seconds(1));
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(Push(queue, i));
    handled.WaitForItems(static_cast<size_t>(i) + 1);  // one at a time, as one client calls
  }
  queue.Stop();
  EXPECT_THAT(handled.items(), ElementsAreArray(Range(0, 200)));
  EXPECT_EQ(handled.threads().size(), 1u);
}

// The watch is bounded: an idle server's writer sleeps rather than spend a CPU looking at an
// empty queue.
TEST(WorkQueue, AWatchingQueueSleepsOnceItsWatchIsOver) {
  Handled handled;
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/8, handled.Handler(),
                                        /*watch=*/absl::Milliseconds(1));
  ASSERT_TRUE(Push(queue, 0));
  handled.WaitForItems(1);
  const absl::Duration before = handled.HandlerThreadCpu();
  // Not a synchronisation: the idle time whose CPU is measured. A thread that watched without
  // end would use about all of it.
  absl::SleepFor(absl::Milliseconds(300));
  const absl::Duration used = handled.HandlerThreadCpu() - before;
  EXPECT_LT(used, absl::Milliseconds(100)) << "the queue's thread kept the CPU while idle";
  queue.Stop();
}

// Stop() does not wait out a watch: the thread sees the stop while it watches.
TEST(WorkQueue, StopEndsAWatchAtOnce) {
  Handled handled;
  WorkQueue<std::unique_ptr<int>> queue(/*max_batch=*/8, handled.Handler(),
                                        /*watch=*/absl::Seconds(120));
  ASSERT_TRUE(Push(queue, 0));
  handled.WaitForItems(1);  // the thread now watches for the next item
  const absl::Time began = absl::Now();
  queue.Stop();
  EXPECT_LT(absl::Now() - began, absl::Seconds(30));
  EXPECT_THAT(handled.items(), ElementsAreArray({0}));
}

}  // namespace work_queue_test
}  // namespace
}  // namespace feedback::storage
