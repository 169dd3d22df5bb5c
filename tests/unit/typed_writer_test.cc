// GroupCommitWriter's typed Submit over a real store: a write operation's value reaches its
// caller only once its batch is written, errors reach the op they belong to, and operations of
// different result types share one batch.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/status_macros.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace typed_writer_test {

using ::feedback::testing::TempDir;
using ::testing::ElementsAre;

// Forwards to a real store; records the size of every batch and can make every batch's write
// fail (as a full disk would), after the real write.
class ObservedStore final : public FeedbackStore {
 public:
  explicit ObservedStore(FeedbackStore* inner) : inner_(inner) {}

  std::vector<absl::Status> Commit(std::vector<WriteOp> ops) override {
    {
      absl::MutexLock lock(&mutex_);
      batch_sizes_.push_back(ops.size());
    }
    std::vector<absl::Status> results = inner_->Commit(std::move(ops));
    absl::MutexLock lock(&mutex_);
    if (fail_writes_) {
      for (absl::Status& result : results) {
        if (result.ok()) result = absl::DataLossError("writing to the store: the disk is gone");
      }
    }
    return results;
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

  void FailWrites() {
    absl::MutexLock lock(&mutex_);
    fail_writes_ = true;
  }
  std::vector<size_t> batch_sizes() const {
    absl::MutexLock lock(&mutex_);
    return batch_sizes_;
  }

 private:
  FeedbackStore* const inner_;
  mutable absl::Mutex mutex_;
  std::vector<size_t> batch_sizes_ ABSL_GUARDED_BY(mutex_);
  bool fail_writes_ ABSL_GUARDED_BY(mutex_) = false;
};

// An op that stages entity `key` = `value` and returns `result`.
template <typename T>
TypedWriteOp<T> PutThenReturn(std::string key, std::string value, T result) {
  return [key = std::move(key), value = std::move(value),
          result = std::move(result)](Transaction& txn) mutable -> absl::StatusOr<T> {
    RETURN_IF_ERROR(txn.PutEntity(key, value));
    return std::move(result);
  };
}

// Keeps one done's result; Wait() blocks until it has run.
template <typename T>
class Outcome {
 public:
  GroupCommitWriter::Done<T> Done() {
    return [this](absl::StatusOr<T> result) {
      result_ = std::move(result);
      ran_.Notify();
    };
  }
  const absl::StatusOr<T>& Wait() {
    ran_.WaitForNotification();
    return *result_;
  }
  bool ran() const { return ran_.HasBeenNotified(); }

 private:
  std::optional<absl::StatusOr<T>> result_;
  absl::Notification ran_;
};

class TypedWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
        FeedbackStore::Open(StoreOptions{.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  // Submits an op that blocks the writer thread inside its batch (after staging its own entity
  // "test/gate") until Release(); returns once it is blocked. Everything submitted meanwhile
  // goes into the next batch together.
  void HoldTheWriter(GroupCommitWriter& writer) {
    writer.Submit(
        [this](Transaction& txn) -> absl::Status {
          RETURN_IF_ERROR(txn.PutEntity("test/gate", "held"));
          holding_.Notify();
          release_.WaitForNotification();
          return absl::OkStatus();
        },
        [](absl::Status status) { EXPECT_OK(status); });
    holding_.WaitForNotification();
  }
  void Release() { release_.Notify(); }

  TempDir dir_;
  std::unique_ptr<FeedbackStore> store_;
  absl::Notification holding_;
  absl::Notification release_;
};

TEST_F(TypedWriterTest, HandsTheValueOnOnlyOnceItsBatchIsWritten) {
  GroupCommitWriter writer(store_.get());
  absl::Notification staged;
  absl::Notification release;
  bool written_when_done_ran = false;
  Outcome<std::string> outcome;
  writer.Submit(TypedWriteOp<std::string>([&](Transaction& txn) -> absl::StatusOr<std::string> {
                  RETURN_IF_ERROR(txn.PutEntity("test/answer", "42"));
                  staged.Notify();
                  release.WaitForNotification();
                  return std::string("forty-two");
                }),
                [&, done = outcome.Done()](absl::StatusOr<std::string> result) mutable {
                  written_when_done_ran = store_->GetEntity("test/answer").ok();
                  std::move(done)(std::move(result));
                });
  staged.WaitForNotification();
  // The op has computed its value and staged its write; nothing is on disk, nobody is told.
  EXPECT_EQ(store_->GetEntity("test/answer").status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(outcome.ran());
  release.Notify();

  const absl::StatusOr<std::string>& result = outcome.Wait();
  ASSERT_OK(result);
  EXPECT_EQ(*result, "forty-two");
  EXPECT_TRUE(written_when_done_ran) << "done ran before its batch was written";
}

TEST_F(TypedWriterTest, AFailedOpGetsItsOwnErrorAndTheRestOfItsBatchIsWritten) {
  ObservedStore observed(store_.get());
  GroupCommitWriter writer(&observed);
  HoldTheWriter(writer);
  Outcome<int> before;
  Outcome<int> failing;
  Outcome<int> after;
  writer.Submit(PutThenReturn<int>("test/before", "b", 1), before.Done());
  writer.Submit(TypedWriteOp<int>([](Transaction& txn) -> absl::StatusOr<int> {
                  RETURN_IF_ERROR(txn.PutEntity("test/failing", "staged, then rolled back"));
                  return absl::InvalidArgumentError("count: must be positive");
                }),
                failing.Done());
  writer.Submit(PutThenReturn<int>("test/after", "a", 3), after.Done());
  Release();

  EXPECT_EQ(failing.Wait().status(), absl::InvalidArgumentError("count: must be positive"));
  ASSERT_OK(before.Wait());
  EXPECT_EQ(*before.Wait(), 1);
  ASSERT_OK(after.Wait());
  EXPECT_EQ(*after.Wait(), 3);
  writer.Stop();
  EXPECT_THAT(observed.batch_sizes(), ElementsAre(1u, 3u));
  EXPECT_OK(store_->GetEntity("test/before"));
  EXPECT_OK(store_->GetEntity("test/after"));
  EXPECT_EQ(store_->GetEntity("test/failing").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TypedWriterTest, AFailedWriteReachesEveryOpOfTheBatchInsteadOfItsValue) {
  ObservedStore observed(store_.get());
  observed.FailWrites();
  GroupCommitWriter writer(&observed);
  Outcome<std::string> outcome;
  writer.Submit(PutThenReturn<std::string>("test/lost", "x", "never acknowledged"), outcome.Done());
  const absl::StatusOr<std::string>& result = outcome.Wait();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(result.status().message(), ::testing::HasSubstr("the disk is gone"));
}

TEST_F(TypedWriterTest, OpsOfDifferentResultTypesShareOneBatchAndEachGetsItsOwnValue) {
  struct Receipt {
    std::string id;
    int64_t count = 0;
  };
  ObservedStore observed(store_.get());
  GroupCommitWriter writer(&observed);
  HoldTheWriter(writer);

  Outcome<int> number;
  Outcome<std::string> text;
  Outcome<Receipt> receipt;
  Outcome<std::vector<std::string>> list;
  absl::Status untyped = absl::UnknownError("not run");
  absl::Notification untyped_ran;
  writer.Submit(PutThenReturn<int>("test/number", "1", 7), number.Done());
  writer.Submit(PutThenReturn<std::string>("test/text", "2", "seven"), text.Done());
  writer.Submit([](Transaction& txn) { return txn.PutEntity("test/untyped", "3"); },
                [&](absl::Status status) {
                  untyped = status;
                  untyped_ran.Notify();
                });
  writer.Submit(TypedWriteOp<Receipt>([](Transaction& txn) -> absl::StatusOr<Receipt> {
                  // Reads what the ops before it in the batch staged.
                  ASSIGN_OR_RETURN(std::optional<std::string> text, txn.FindEntity("test/text"));
                  if (!text.has_value()) return absl::InternalError("earlier write not visible");
                  return Receipt{txn.NewId("r_"), 7};
                }),
                receipt.Done());
  writer.Submit(PutThenReturn<std::vector<std::string>>("test/list", "5", {"a", "b"}), list.Done());
  Release();

  ASSERT_OK(number.Wait());
  EXPECT_EQ(*number.Wait(), 7);
  ASSERT_OK(text.Wait());
  EXPECT_EQ(*text.Wait(), "seven");
  untyped_ran.WaitForNotification();
  EXPECT_OK(untyped);
  ASSERT_OK(receipt.Wait());
  EXPECT_THAT(receipt.Wait()->id, ::testing::StartsWith("r_"));
  EXPECT_EQ(receipt.Wait()->count, 7);
  ASSERT_OK(list.Wait());
  EXPECT_THAT(*list.Wait(), ElementsAre("a", "b"));
  writer.Stop();
  EXPECT_THAT(observed.batch_sizes(), ElementsAre(1u, 5u));  // the gate, then all five
}

TEST_F(TypedWriterTest, ATypedSubmitAfterStopIsUnavailableOnTheCallersThread) {
  GroupCommitWriter writer(store_.get());
  writer.Stop();
  std::optional<absl::StatusOr<int>> result;
  writer.Submit(PutThenReturn<int>("test/late", "x", 1),
                [&result](absl::StatusOr<int> r) { result = std::move(r); });
  ASSERT_TRUE(result.has_value()) << "done must have run before Submit returned";
  EXPECT_EQ(result->status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store_->GetEntity("test/late").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TypedWriterTest, AndThenAddsWritesToTheOpsBatchAndAFailureRollsBackBoth) {
  auto audited = [](std::string key, bool fail_after) {
    return AndThen(PutThenReturn<std::string>(key, "item", key),
                   [fail_after](Transaction& txn, const std::string& value) -> absl::Status {
                     if (fail_after) return absl::AbortedError("audit: cannot write");
                     return txn.PutEntity("audit-of/" + value, "entry");
                   });
  };
  absl::StatusOr<std::string> kept = CommitOne(*store_, audited("test/kept", false));
  ASSERT_OK(kept);
  EXPECT_EQ(*kept, "test/kept");
  EXPECT_OK(store_->GetEntity("test/kept"));
  EXPECT_OK(store_->GetEntity("audit-of/test/kept"));

  absl::StatusOr<std::string> dropped = CommitOne(*store_, audited("test/dropped", true));
  EXPECT_EQ(dropped.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->GetEntity("test/dropped").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace typed_writer_test
}  // namespace
}  // namespace feedback::storage
