// GroupCommitWriter over a real FeedbackStore, observed through a counting decorator.
#include "storage/group_commit_writer.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/domain/validation.h"
#include "service/ops/ingest.h"
#include "storage/feedback_store.h"
#include "tests/support/submissions.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace group_commit_writer_test {

using ::feedback::testing::StoreSubmissionOp;
using ::feedback::testing::TempDir;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2024, 6, 1, 12, 0, 0), absl::UTCTimeZone());

std::string Uuid(int n) { return absl::StrFormat("00000000-0000-4000-8000-%012x", n); }

// A prepared, valid submission; n picks its submission_id and (unless given) its text.
NewSubmission Submission(int n, const std::string& text = "") {
  v1::Feedback sent;
  sent.set_submission_id(Uuid(n));
  sent.set_source(v1::SOURCE_FAMILY);
  sent.set_kind(v1::KIND_COMPLIMENT);
  sent.set_text(text.empty() ? absl::StrCat("submission ", n) : text);
  *sent.mutable_occurred_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kNow - absl::Seconds(n)));
  EXPECT_OK(ValidateSubmission(sent, kNow));
  return PrepareSubmission(sent, kNow);
}

// Forwards to a real store, recording the size of every group the writer commits (each
// Commit() call is one synced batch). Optionally holds the first Commit() call (after recording
// it) until Release().
class CountingStore final : public FeedbackStore {
 public:
  explicit CountingStore(FeedbackStore* inner, bool hold_first_group = false)
      : inner_(inner), hold_first_group_(hold_first_group) {}

  std::vector<absl::Status> Commit(std::vector<WriteOp> ops) override {
    bool first = false;
    {
      absl::MutexLock lock(&mutex_);
      first = group_sizes_.empty();
      group_sizes_.push_back(ops.size());
    }
    if (first && hold_first_group_) {
      first_group_entered_.Notify();
      release_.WaitForNotification();
    }
    return inner_->Commit(std::move(ops));
  }
  absl::StatusOr<v1::Feedback> Get(std::string_view id) const override { return inner_->Get(id); }
  absl::StatusOr<std::string> GetEntity(std::string_view key) const override {
    return inner_->GetEntity(key);
  }
  absl::Status ScanEntities(
      std::string_view prefix,
      absl::FunctionRef<ScanStep(std::string_view, std::string_view)> visit) const override {
    return inner_->ScanEntities(prefix, visit);
  }
  absl::Status ScanEntitiesAfter(
      std::string_view prefix, std::string_view after,
      absl::FunctionRef<ScanStep(std::string_view, std::string_view)> visit) const override {
    return inner_->ScanEntitiesAfter(prefix, after, visit);
  }
  absl::Status ScanFeedback(absl::FunctionRef<ScanStep(const v1::Feedback&)> visit) const override {
    return inner_->ScanFeedback(visit);
  }
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> ReadCounters(
      std::string_view prefix) const override {
    return inner_->ReadCounters(prefix);
  }
  absl::StatusOr<ListPage> List(const ListQuery& query) const override {
    return inner_->List(query);
  }

  std::vector<size_t> group_sizes() const {
    absl::MutexLock lock(&mutex_);
    return group_sizes_;
  }
  void WaitUntilFirstGroupHeld() { first_group_entered_.WaitForNotification(); }
  void Release() { release_.Notify(); }

 private:
  FeedbackStore* const inner_;
  const bool hold_first_group_;
  mutable absl::Mutex mutex_;
  std::vector<size_t> group_sizes_;
  absl::Notification first_group_entered_;
  absl::Notification release_;
};

// Per-submission bookkeeping of done callbacks: how often each ran, with what, on which thread.
class DoneLog {
 public:
  explicit DoneLog(size_t submissions) : calls_(submissions), results_(submissions) {}

  GroupCommitWriter::Done<SubmitOutcome> For(size_t index) {
    return [this, index](absl::StatusOr<SubmitOutcome> result) {
      absl::MutexLock lock(&mutex_);
      ++calls_[index];
      ++total_;
      threads_.insert(std::this_thread::get_id());
      results_[index] = std::move(result);
    };
  }

  // Blocks until `n` callbacks have run in total.
  void WaitForTotal(size_t n) {
    absl::MutexLock lock(&mutex_);
    wanted_ = n;
    mutex_.Await(absl::Condition(
        +[](DoneLog* self) { return self->total_ >= self->wanted_; }, this));
  }

  int calls(size_t index) const {
    absl::MutexLock lock(&mutex_);
    return calls_[index];
  }
  absl::StatusOr<SubmitOutcome> result(size_t index) const {
    absl::MutexLock lock(&mutex_);
    return results_[index];
  }
  std::set<std::thread::id> threads() const {
    absl::MutexLock lock(&mutex_);
    return threads_;
  }

 private:
  mutable absl::Mutex mutex_;
  std::vector<int> calls_;
  std::vector<absl::StatusOr<SubmitOutcome>> results_;
  std::set<std::thread::id> threads_;
  size_t total_ = 0;
  size_t wanted_ = 0;
};

size_t CountStored(const FeedbackStore& store) {
  size_t count = 0;
  ListQuery query;
  query.limit = 500;
  for (int pages = 0; pages < 1000; ++pages) {
    absl::StatusOr<ListPage> page = store.List(query);
    EXPECT_OK(page);
    if (!page.ok()) break;
    count += page->items.size();
    if (page->next_cursor.empty()) break;
    query.cursor = page->next_cursor;
  }
  return count;
}

class GroupCommitWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
        FeedbackStore::Open(StoreOptions{.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  TempDir dir_;
  std::unique_ptr<FeedbackStore> store_;
};

TEST_F(GroupCommitWriterTest, ConcurrentSubmittersAreAllStoredInFewerGroups) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  constexpr size_t kTotal = kThreads * kPerThread;
  std::vector<NewSubmission> submissions;
  for (size_t i = 0; i < kTotal; ++i) submissions.push_back(Submission(static_cast<int>(i)));

  CountingStore counting(store_.get());
  DoneLog log(kTotal);  // outlives the writer
  GroupCommitWriter writer(&counting);
  absl::Notification go;
  std::vector<std::thread> threads;
  std::set<std::thread::id> submitter_threads = {std::this_thread::get_id()};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      go.WaitForNotification();
      for (int k = 0; k < kPerThread; ++k) {
        const size_t index = static_cast<size_t>(t) * kPerThread + k;
        writer.Submit(StoreSubmissionOp(std::move(submissions[index])), log.For(index));
      }
    });
    submitter_threads.insert(threads.back().get_id());
  }
  go.Notify();
  for (std::thread& thread : threads) thread.join();
  log.WaitForTotal(kTotal);
  writer.Stop();  // joins the writer thread: no callback can run after this

  std::set<std::string> ids;
  for (size_t i = 0; i < kTotal; ++i) {
    ASSERT_EQ(log.calls(i), 1) << "submission " << i;
    absl::StatusOr<SubmitOutcome> result = log.result(i);
    ASSERT_OK(result);
    EXPECT_FALSE(result->duplicate);
    // Each done gets the outcome of its own submission.
    EXPECT_EQ(result->record.submission_id(), Uuid(static_cast<int>(i)));
    ids.insert(result->record.id());
  }
  EXPECT_EQ(ids.size(), kTotal);
  EXPECT_EQ(CountStored(*store_), kTotal);

  const std::vector<size_t> sizes = counting.group_sizes();
  size_t committed = 0;
  for (size_t size : sizes) {
    EXPECT_GT(size, 0u);
    committed += size;
  }
  EXPECT_EQ(committed, kTotal);
  EXPECT_LT(sizes.size(), kTotal);
  RecordProperty("commit_groups", static_cast<int>(sizes.size()));

  // Every done ran on the one writer thread, never on a submitter's.
  const std::set<std::thread::id> done_threads = log.threads();
  ASSERT_EQ(done_threads.size(), 1u);
  EXPECT_FALSE(submitter_threads.contains(*done_threads.begin()));
}

TEST_F(GroupCommitWriterTest, QueuedSubmissionsShareOneGroupBoundedByMaxGroup) {
  constexpr size_t kQueued = 300;
  CountingStore counting(store_.get(), /*hold_first_group=*/true);
  DoneLog log(1 + kQueued);
  GroupCommitWriter writer(&counting, /*max_group=*/128);

  writer.Submit(StoreSubmissionOp(Submission(0)), log.For(0));
  counting.WaitUntilFirstGroupHeld();
  // Everything below is queued while the first group's commit is in progress.
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (size_t k = 0; k < kQueued / 3; ++k) {
        const size_t index = 1 + t * (kQueued / 3) + k;
        writer.Submit(StoreSubmissionOp(Submission(static_cast<int>(index))), log.For(index));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  counting.Release();
  log.WaitForTotal(1 + kQueued);
  writer.Stop();

  EXPECT_THAT(counting.group_sizes(), ElementsAre(1u, 128u, 128u, 44u));
  for (size_t i = 0; i <= kQueued; ++i) {
    EXPECT_EQ(log.calls(i), 1) << i;
    EXPECT_OK(log.result(i));
  }
  EXPECT_EQ(CountStored(*store_), 1 + kQueued);
}

TEST_F(GroupCommitWriterTest, SubmitAfterStopIsUnavailableAtOnceOnTheCallersThread) {
  CountingStore counting(store_.get());
  GroupCommitWriter writer(&counting);
  writer.Stop();
  writer.Stop();  // idempotent

  bool ran = false;
  std::thread::id ran_on;
  absl::Status status;
  writer.Submit(StoreSubmissionOp(Submission(1)), [&](absl::StatusOr<SubmitOutcome> result) {
    ran = true;
    ran_on = std::this_thread::get_id();
    status = result.status();
  });
  ASSERT_TRUE(ran) << "done must have run before Submit returned";
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_THAT(counting.group_sizes(), ::testing::IsEmpty());
  EXPECT_EQ(CountStored(*store_), 0u);
}

TEST_F(GroupCommitWriterTest, StopCommitsWhatWasQueuedBeforeIt) {
  constexpr size_t kQueued = 10;
  CountingStore counting(store_.get(), /*hold_first_group=*/true);
  // Submissions 0..kQueued, then probes (repeats of submission 1) until one is refused.
  constexpr size_t kMaxProbes = 100'000;
  DoneLog log(1 + kQueued + kMaxProbes);
  GroupCommitWriter writer(&counting);

  writer.Submit(StoreSubmissionOp(Submission(0)), log.For(0));
  counting.WaitUntilFirstGroupHeld();
  for (size_t i = 1; i <= kQueued; ++i)
    writer.Submit(StoreSubmissionOp(Submission(static_cast<int>(i))), log.For(i));

  std::thread stopper([&writer] { writer.Stop(); });
  // Stop() cannot finish while the first group is held; find out when it has begun by
  // submitting probes until one is refused synchronously.
  size_t probes = 0;
  bool refused_one = false;
  while (!refused_one && probes < kMaxProbes) {
    const size_t index = 1 + kQueued + probes;
    ++probes;
    writer.Submit(StoreSubmissionOp(Submission(1)), log.For(index));
    refused_one = log.calls(index) == 1;  // refused on this thread: Stop() has begun
    if (!refused_one) std::this_thread::yield();
  }
  counting.Release();
  stopper.join();  // Stop() returns only after committing the queue
  ASSERT_TRUE(refused_one) << "Stop() never took effect";
  const size_t refused = kQueued + probes;
  EXPECT_EQ(log.result(refused).status().code(), absl::StatusCode::kUnavailable);

  for (size_t i = 0; i <= kQueued; ++i) {
    ASSERT_EQ(log.calls(i), 1) << i;
    absl::StatusOr<SubmitOutcome> result = log.result(i);
    ASSERT_OK(result);
    EXPECT_FALSE(result->duplicate);
    absl::StatusOr<v1::Feedback> stored = store_->Get(result->record.id());
    ASSERT_OK(stored);
    EXPECT_EQ(stored->submission_id(), Uuid(static_cast<int>(i)));
  }
  const std::string id_of_1 = log.result(1)->record.id();
  for (size_t index = 1 + kQueued; index < refused; ++index) {  // probes queued before Stop()
    ASSERT_EQ(log.calls(index), 1) << index;
    absl::StatusOr<SubmitOutcome> result = log.result(index);
    ASSERT_OK(result);
    EXPECT_TRUE(result->duplicate);
    EXPECT_EQ(result->record.id(), id_of_1);
  }
  EXPECT_EQ(log.calls(refused), 1);
  EXPECT_EQ(CountStored(*store_), 1 + kQueued);
}

TEST_F(GroupCommitWriterTest, DestructionCommitsWhatWasQueued) {
  constexpr size_t kCount = 50;
  DoneLog log(kCount);
  {
    GroupCommitWriter writer(store_.get());
    for (size_t i = 0; i < kCount; ++i) {
      writer.Submit(StoreSubmissionOp(Submission(static_cast<int>(i))), log.For(i));
    }
  }
  for (size_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(log.calls(i), 1) << i;
    EXPECT_OK(log.result(i));
  }
  EXPECT_EQ(CountStored(*store_), kCount);
}

TEST_F(GroupCommitWriterTest, EachDoneGetsItsOwnOutcomeIncludingErrors) {
  CountingStore counting(store_.get(), /*hold_first_group=*/true);
  DoneLog log(5);
  GroupCommitWriter writer(&counting);
  writer.Submit(StoreSubmissionOp(Submission(0)), log.For(0));
  counting.WaitUntilFirstGroupHeld();
  writer.Submit(StoreSubmissionOp(Submission(1)), log.For(1));
  writer.Submit(StoreSubmissionOp(Submission(1, "other text")), log.For(2));
  writer.Submit(StoreSubmissionOp(Submission(2)), log.For(3));
  writer.Submit(StoreSubmissionOp(Submission(1)), log.For(4));
  counting.Release();
  log.WaitForTotal(5);
  writer.Stop();

  EXPECT_THAT(counting.group_sizes(), ElementsAre(1u, 4u));
  ASSERT_OK(log.result(0));
  ASSERT_OK(log.result(1));
  EXPECT_FALSE(log.result(1)->duplicate);
  EXPECT_EQ(log.result(2).status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_OK(log.result(3));
  EXPECT_EQ(log.result(3)->record.submission_id(), Uuid(2));
  ASSERT_OK(log.result(4));
  EXPECT_TRUE(log.result(4)->duplicate);
  EXPECT_EQ(log.result(4)->record.id(), log.result(1)->record.id());
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(log.calls(i), 1) << i;
  EXPECT_EQ(CountStored(*store_), 3u);
}

}  // namespace group_commit_writer_test
}  // namespace
}  // namespace feedback::storage
