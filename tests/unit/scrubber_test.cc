// Scrubber (the background erasure worker) over a real store, fed from several threads at once.
// Part of the concurrency suite that deploy/test-sanitizers runs under ThreadSanitizer.
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "service/ops/erasure.h"
#include "storage/feedback_store.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace scrubber_test {

using ::feedback::testing::TempDir;

// Every done callback's result and thread, in the order they ran.
class DoneLog {
 public:
  Scrubber::Done Done() {
    return [this](absl::Status status) {
      absl::MutexLock lock(&mutex_);
      statuses_.push_back(std::move(status));
      threads_.insert(std::this_thread::get_id());
    };
  }
  std::vector<absl::Status> statuses() const {
    absl::MutexLock lock(&mutex_);
    return statuses_;
  }
  std::set<std::thread::id> threads() const {
    absl::MutexLock lock(&mutex_);
    return threads_;
  }

 private:
  mutable absl::Mutex mutex_;
  std::vector<absl::Status> statuses_;
  std::set<std::thread::id> threads_;
};

storage::ScrubKeys KeysOf(const std::string& id) {
  storage::ScrubKeys keys;
  keys.records.push_back(id);
  return keys;
}

class ScrubberTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  TempDir dir_;
  std::unique_ptr<storage::FeedbackStore> store_;
};

TEST_F(ScrubberTest, ScrubsQueuedFromManyThreadsEachFinishOnceOnTheScrubberThread) {
  constexpr int kThreads = 3;
  constexpr int kPerThread = 4;
  DoneLog log;  // outlives the scrubber
  std::set<std::thread::id> callers;
  {
    Scrubber scrubber(store_.get());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&scrubber, &log, t] {
        for (int i = 0; i < kPerThread; ++i)
          scrubber.Scrub(KeysOf(absl::StrCat(t, "-", i)), log.Done());
      });
    }
    for (std::thread& thread : threads) {
      callers.insert(thread.get_id());
      thread.join();
    }
  }  // the destructor runs what is still queued, then joins

  const std::vector<absl::Status> statuses = log.statuses();
  ASSERT_EQ(statuses.size(), kThreads * kPerThread);
  for (const absl::Status& status : statuses) EXPECT_OK(status);
  const std::set<std::thread::id> threads = log.threads();
  ASSERT_EQ(threads.size(), 1u);  // one scrubber thread ran them all
  EXPECT_FALSE(callers.contains(*threads.begin()));
  EXPECT_NE(*threads.begin(), std::this_thread::get_id());
}

TEST_F(ScrubberTest, DestructionRunsEveryQueuedScrubBeforeItReturns) {
  DoneLog log;
  {
    Scrubber scrubber(store_.get());
    for (int i = 0; i < 5; ++i) scrubber.Scrub(KeysOf(absl::StrCat("id-", i)), log.Done());
  }
  EXPECT_EQ(log.statuses().size(), 5u);
}

TEST_F(ScrubberTest, NothingToScrubFinishesAtOnceOnTheCallersThread) {
  DoneLog log;
  Scrubber scrubber(store_.get());
  scrubber.Scrub(storage::ScrubKeys(), log.Done());
  const std::vector<absl::Status> statuses = log.statuses();
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_OK(statuses.front());
  EXPECT_EQ(log.threads(), std::set<std::thread::id>{std::this_thread::get_id()});
}

}  // namespace scrubber_test
}  // namespace
}  // namespace feedback
