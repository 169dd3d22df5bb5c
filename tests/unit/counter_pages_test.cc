// The store keeps its counters in pages, one for each quarter and service area (layout.h): what
// a summary reads back is what was counted, whatever the keys look like, and a store of the
// earlier layout, one key a counter, opens with every total it held.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "feedback/v1/wire_check.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/merge_operator.h"
#include "storage/feedback_store.h"
#include "storage/layout.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace counter_pages_test {

using ::feedback::testing::TempDir;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using CounterList = std::vector<std::pair<std::string, int64_t>>;

std::string EncodeTotal(int64_t total) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>((static_cast<uint64_t>(total) >> (8 * i)) & 0xff);
  }
  return bytes;
}

int64_t DecodeTotal(const rocksdb::Slice& bytes) {
  uint64_t total = 0;
  for (int i = 7; i >= 0; --i) total = (total << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<int64_t>(total);
}

// The counters family's merge operator in stores written before 2026-12-04: it summed deltas.
class EarlierInt64Add final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    *new_value =
        EncodeTotal((existing == nullptr ? 0 : DecodeTotal(*existing)) + DecodeTotal(value));
    return true;
  }
  const char* Name() const override { return "feedback.Int64Add"; }
};

// The store's files opened with RocksDB alone (the store closed meanwhile).
class RawFiles {
 public:
  explicit RawFiles(const std::string& data_dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies({}, data_dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names) {
      rocksdb::ColumnFamilyOptions options;
      if (name == layout::kCountersFamily)
        options.merge_operator = std::make_shared<EarlierInt64Add>();
      families.emplace_back(name, options);
    }
    rocksdb::DB* opened = nullptr;
    const rocksdb::Status status =
        rocksdb::DB::Open(rocksdb::DBOptions(), data_dir, families, &handles_, &opened);
    EXPECT_TRUE(status.ok()) << status.ToString();
    db_.reset(opened);
    for (size_t i = 0; i < handles_.size(); ++i) by_name_[names[i]] = handles_[i];
  }
  ~RawFiles() {
    if (db_ == nullptr) return;
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      EXPECT_TRUE(db_->DestroyColumnFamilyHandle(handle).ok());
    }
    EXPECT_TRUE(db_->Close().ok());
  }

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* Family(std::string_view name) {
    return by_name_.at(std::string(name));
  }

  // Every key of the family `name`, in order.
  std::vector<std::string> Keys(std::string_view name) {
    std::vector<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Family(name)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
    EXPECT_TRUE(it->status().ok());
    return keys;
  }

 private:
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name_;
  std::unique_ptr<rocksdb::DB> db_;
};

class CounterPagesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }

  void Open() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
        FeedbackStore::Open(StoreOptions{.data_dir = data_});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  // Adds each delta in one group of one op; the op's result.
  absl::Status Add(CounterList deltas) {
    std::vector<WriteOp> ops;
    ops.push_back([deltas = std::move(deltas)](Transaction& txn) -> absl::Status {
      for (const auto& [key, delta] : deltas) RETURN_IF_ERROR(txn.AddToCounter(key, delta));
      return absl::OkStatus();
    });
    std::vector<absl::Status> results = store_->Commit(std::move(ops));
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? absl::InternalError("no result") : results.front();
  }

  CounterList Read(std::string_view prefix) {
    absl::StatusOr<CounterList> counters = store_->ReadCounters(prefix);
    EXPECT_OK(counters);
    return counters.value_or(CounterList{});
  }

  TempDir dir_;
  const std::string data_ = dir_.Sub("data");
  std::unique_ptr<FeedbackStore> store_;
};

TEST_F(CounterPagesTest, EachPrefixReadsBackExactlyTheCountersUnderItInKeyOrder) {
  ASSERT_OK(Add({{"2018Q3/2/complaints", 2},
                 {"2018Q3/2/tag:listened_to", 1},
                 {"2018Q3/2/kiosk:3:rating:5", 4},
                 {"2018Q3/1/complaints", 1},
                 {"2018Q4/2/complaints", 6},
                 {"no_slash", 3},
                 {"a/b/c/d", 5}}));
  ASSERT_OK(Add({{"2018Q3/2/complaints", 1}, {"2018Q3/2/tag:upheld", 1}}));

  const CounterList all = {{"2018Q3/1/complaints", 1},
                           {"2018Q3/2/complaints", 3},
                           {"2018Q3/2/kiosk:3:rating:5", 4},
                           {"2018Q3/2/tag:listened_to", 1},
                           {"2018Q3/2/tag:upheld", 1},
                           {"2018Q4/2/complaints", 6},
                           {"a/b/c/d", 5},
                           {"no_slash", 3}};
  EXPECT_THAT(Read(""), ElementsAreArray(all));
  EXPECT_THAT(Read("2018Q3/"), ElementsAreArray(CounterList(all.begin(), all.begin() + 5)));
  EXPECT_THAT(Read("2018Q3/2/"), ElementsAreArray(CounterList(all.begin() + 1, all.begin() + 5)));
  EXPECT_THAT(Read("2018Q3/2/tag:"),
              ElementsAreArray(CounterList(all.begin() + 3, all.begin() + 5)));
  EXPECT_THAT(Read("2018Q3/2/k"), ElementsAreArray({all[2]}));
  EXPECT_THAT(Read("a/b"), ElementsAreArray({all[6]}));
  EXPECT_THAT(Read("no"), ElementsAreArray({all[7]}));
  EXPECT_THAT(Read("2019Q1/"), IsEmpty());

  // On disk: one page for each quarter and area, and nothing in the counters family.
  store_.reset();
  RawFiles files(data_);
  EXPECT_THAT(files.Keys(layout::kCounterPagesFamily),
              ElementsAreArray({"", "2018Q3/1/", "2018Q3/2/", "2018Q4/2/", "a/b/c/"}));
  EXPECT_THAT(files.Keys(layout::kCountersFamily), IsEmpty());
}

TEST_F(CounterPagesTest, AFigureThatComesBackToZeroLeavesItsPageAndAnEmptyPageIsDeleted) {
  ASSERT_OK(Add({{"2018Q3/2/complaints", 1}, {"2018Q3/2/compliments", 2}}));
  ASSERT_OK(Add({{"2018Q3/2/complaints", -1}}));
  EXPECT_THAT(Read(""), ElementsAreArray(CounterList{{"2018Q3/2/compliments", 2}}));
  ASSERT_OK(Add({{"2018Q3/2/compliments", -2}}));
  EXPECT_THAT(Read(""), IsEmpty());
  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_THAT(Read(""), IsEmpty());
  store_.reset();
  RawFiles files(data_);
  EXPECT_THAT(files.Keys(layout::kCounterPagesFamily), IsEmpty());
}

TEST_F(CounterPagesTest, AKeyThatIsNotUtf8IsRefusedAndItsOpCountsNothing) {
  const absl::Status refused = Add({{"2018Q3/2/complaints", 1}, {"2018Q3/2/tag:\xff", 1}});
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("counter key"));
  EXPECT_THAT(Read(""), IsEmpty());
  ASSERT_OK(Add({{"2018Q3/2/complaints", 1}}));
  EXPECT_THAT(Read(""), ElementsAreArray(CounterList{{"2018Q3/2/complaints", 1}}));
}

// A page that is not one (a damaged file) is named in the error, and a group that would add to
// it writes nothing.
TEST_F(CounterPagesTest, APageThatDoesNotParseIsDataLossAndNothingIsWrittenOverIt) {
  ASSERT_OK(Add({{"2018Q3/1/complaints", 1}}));
  store_.reset();
  {
    RawFiles files(data_);
    ASSERT_TRUE(files.db()
                    .Put(rocksdb::WriteOptions(), files.Family(layout::kCounterPagesFamily),
                         "2018Q3/2/", "\xff\xff\xff not a page")
                    .ok());
  }
  ASSERT_NO_FATAL_FAILURE(Open());
  const absl::StatusOr<CounterList> read = store_->ReadCounters("2018Q3/");
  EXPECT_EQ(read.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(read.status().message(), HasSubstr("2018Q3/2/"));
  EXPECT_EQ(Add({{"2018Q3/2/complaints", 1}}).code(), absl::StatusCode::kDataLoss);
  // Other pages are untouched, and go on counting.
  ASSERT_OK(Add({{"2018Q3/1/complaints", 1}}));
  EXPECT_THAT(Read("2018Q3/1/"), ElementsAreArray(CounterList{{"2018Q3/1/complaints", 2}}));
  store_.reset();
  RawFiles files(data_);
  std::string value;
  ASSERT_TRUE(files.db()
                  .Get(rocksdb::ReadOptions(), files.Family(layout::kCounterPagesFamily),
                       "2018Q3/2/", &value)
                  .ok());
  EXPECT_EQ(value, "\xff\xff\xff not a page");
}

// A store of the earlier layout held one key a counter in the counters family: a total put by
// each group, and, before 2026-12-04, merges of deltas. Opening it moves them into pages.
TEST_F(CounterPagesTest, AStoreOfTheEarlierLayoutOpensWithEveryTotalItHeldAndCountsOn) {
  store_.reset();
  {
    RawFiles files(data_);
    rocksdb::ColumnFamilyHandle* counters = files.Family(layout::kCountersFamily);
    // The counter_pages family exists (the store was just made), but an earlier layout's would
    // not have it: it is empty here, as there.
    ASSERT_THAT(files.Keys(layout::kCounterPagesFamily), IsEmpty());
    const rocksdb::WriteOptions write;
    ASSERT_TRUE(files.db().Put(write, counters, "2018Q3/2/complaints", EncodeTotal(5)).ok());
    ASSERT_TRUE(files.db().Merge(write, counters, "2018Q3/2/complaints", EncodeTotal(2)).ok());
    ASSERT_TRUE(files.db().Merge(write, counters, "2018Q3/2/tag:upheld", EncodeTotal(3)).ok());
    ASSERT_TRUE(files.db().Put(write, counters, "2018Q4/1/compliments", EncodeTotal(4)).ok());
    ASSERT_TRUE(files.db().Put(write, counters, "2018Q4/1/retagged_away", EncodeTotal(0)).ok());
  }
  ASSERT_NO_FATAL_FAILURE(Open());
  const CounterList moved = {
      {"2018Q3/2/complaints", 7}, {"2018Q3/2/tag:upheld", 3}, {"2018Q4/1/compliments", 4}};
  EXPECT_THAT(Read(""), ElementsAreArray(moved));

  ASSERT_OK(Add({{"2018Q3/2/complaints", 1}, {"2018Q4/1/compliments", 1}}));
  const CounterList counted_on = {
      {"2018Q3/2/complaints", 8}, {"2018Q3/2/tag:upheld", 3}, {"2018Q4/1/compliments", 5}};
  EXPECT_THAT(Read(""), ElementsAreArray(counted_on));
  // Moved once: opening again finds nothing left to move, and the same totals.
  ASSERT_NO_FATAL_FAILURE(Open());
  EXPECT_THAT(Read(""), ElementsAreArray(counted_on));

  store_.reset();
  RawFiles files(data_);
  EXPECT_THAT(files.Keys(layout::kCountersFamily), IsEmpty());
  EXPECT_THAT(files.Keys(layout::kCounterPagesFamily),
              ElementsAreArray({"2018Q3/2/", "2018Q4/1/"}));
}

// A counter of the earlier layout that is not a count (a damaged file) stops the store from
// opening, with the key named, rather than opening with figures that are wrong.
TEST_F(CounterPagesTest, AnEarlierLayoutsCounterThatIsNotACountStopsTheStoreOpening) {
  store_.reset();
  {
    RawFiles files(data_);
    ASSERT_TRUE(files.db()
                    .Put(rocksdb::WriteOptions(), files.Family(layout::kCountersFamily),
                         "2018Q3/2/complaints", "five")
                    .ok());
  }
  const absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
      FeedbackStore::Open(StoreOptions{.data_dir = data_});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("2018Q3/2/complaints"));
}

}  // namespace counter_pages_test
}  // namespace
}  // namespace feedback::storage
