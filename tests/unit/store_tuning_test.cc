// The RocksDB tuning docs/performance.md measured is what a store runs with, as RocksDB itself
// records it in the store's OPTIONS file (what an operator reads to check a store's options).
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace store_tuning_test {

using ::feedback::testing::TempDir;
using ::testing::HasSubstr;

// The newest OPTIONS file in `dir`, whole.
std::string NewestOptionsFile(const std::string& dir) {
  std::string newest;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("OPTIONS-") && !name.ends_with(".dbtmp") && name > newest) newest = name;
  }
  EXPECT_FALSE(newest.empty()) << "no OPTIONS file in " << dir;
  std::ifstream file(std::filesystem::path(dir) / newest);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The section of `options` (an OPTIONS file) whose header is `header`, e.g. "[DBOptions]".
std::string Section(const std::string& options, const std::string& header) {
  const size_t begin = options.find(header);
  const size_t end = options.find("\n[", begin + 1);
  return begin == std::string::npos ? "" : options.substr(begin, end - begin);
}

// The [DBOptions] section of the newest OPTIONS file in `dir`.
std::string DbOptionsSection(const std::string& dir) {
  return Section(NewestOptionsFile(dir), "[DBOptions]");
}

// The [CFOptions "<family>"] section of the newest OPTIONS file in `dir`.
std::string FamilyOptionsSection(const std::string& dir, const std::string& family) {
  return Section(NewestOptionsFile(dir), "[CFOptions \"" + family + "\"]");
}

// A store with one write committed, closed.
void MakeStore(const std::string& data) {
  absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
  ASSERT_OK(store);
  std::vector<WriteOp> ops;
  ops.push_back([](Transaction& txn) { return txn.PutEntity("test/1", "a child's words"); });
  const std::vector<absl::Status> results = (*store)->Commit(std::move(ops));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_OK(results[0]);
}

// Without the one budget each of the six families could hold two 64 MiB memtables: a server
// that had taken 10^6 submissions peaked at 283 MB of RSS, against 125 MB with it.
TEST(StoreTuning, AllFamiliesShareOneMemtableBudget) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string options = DbOptionsSection(data);
  EXPECT_THAT(options, HasSubstr("\n  db_write_buffer_size=67108864\n"));  // 64 MiB
}

// A flush hands its table to the disk as it writes it, so that the sync at its end does not
// hold the write-ahead log's next sync, and with it a group of submissions, behind a whole
// table (docs/performance.md, twenty-ninth pass).
TEST(StoreTuning, FlushesHandTheirTablesToTheDiskAMebibyteAtATime) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string options = DbOptionsSection(data);
  EXPECT_THAT(options, HasSubstr("\n  bytes_per_sync=1048576\n"));
  // The write-ahead log is synced whole on every commit: nothing to hand over early there.
  EXPECT_THAT(options, HasSubstr("\n  wal_bytes_per_sync=0\n"));
}

// Every family's tables are compressed with LZ4, which RocksDB advises over its default, Snappy
// (docs/performance.md, twenty-first pass).
TEST(StoreTuning, EveryFamilyCompressesItsTablesWithLz4) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string options = NewestOptionsFile(data);
  for (const std::string family : {"default", "records", "time_index", "idempotency", "entities",
                                   "counters", "counter_pages"}) {
    const std::string section = Section(options, "[CFOptions \"" + family + "\"]");
    ASSERT_FALSE(section.empty()) << "no options for the family " << family;
    EXPECT_THAT(section, HasSubstr("\n  compression=kLZ4Compression\n")) << family;
  }
}

// The idempotency family's memtable hashes each key by its first three characters
// (docs/performance.md, twenty-second pass); an operator finds that in the family's options.
TEST(StoreTuning, TheIdempotencyMemtableHashesEachKeyByItsFirstThreeCharacters) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string section = FamilyOptionsSection(data, "idempotency");
  EXPECT_THAT(section, HasSubstr("\n  prefix_extractor=rocksdb.CappedPrefix.3\n"));
  EXPECT_THAT(section, HasSubstr("id=feedback.PrefixHashedMemTable;"));
  EXPECT_THAT(section, HasSubstr("bucket_count=4096;"));
}

// The time index and the records are in this project's memtable too, whose inserts do not run
// Debian's RocksDB assertions (docs/performance.md, thirty-third pass): the time index as a
// hash of one skip list per dimension, the records as one list.
TEST(StoreTuning, TheTimeIndexAndTheRecordsUseTheProjectsOwnMemtable) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string time_index = FamilyOptionsSection(data, "time_index");
  EXPECT_THAT(time_index, HasSubstr("id=feedback.PrefixHashedMemTable;"));
  EXPECT_THAT(time_index, HasSubstr("bucket_count=1024;"));
  EXPECT_THAT(time_index, HasSubstr("max_height=12;"));
  const std::string records = FamilyOptionsSection(data, "records");
  EXPECT_THAT(records, HasSubstr("id=feedback.PrefixHashedMemTable;"));
  EXPECT_THAT(records, HasSubstr("\n  prefix_extractor=nullptr\n"));
}

// Every submission looks its id up, nearly always new: the idempotency family's memtable has a
// bloom filter of whole keys that answers "not here" without searching its skip lists
// (docs/performance.md, twenty-third pass). An operator finds it in the family's options.
TEST(StoreTuning, TheIdempotencyMemtableHasABloomFilterOfWholeKeys) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string section = FamilyOptionsSection(data, "idempotency");
  EXPECT_THAT(section, HasSubstr("\n  memtable_whole_key_filtering=true\n"));
  EXPECT_THAT(section, HasSubstr("\n  memtable_prefix_bloom_size_ratio=0.010000\n"));
}

// Commits `key` = `value` in the idempotency family, each pair in a group of its own.
void PutIdempotencyKeys(FeedbackStore& store,
                        const std::vector<std::pair<std::string, std::string>>& entries) {
  for (const auto& [key, value] : entries) {
    std::vector<WriteOp> ops;
    ops.push_back([&key, &value](Transaction& txn) { return txn.PutIdempotencyKey(key, value); });
    const std::vector<absl::Status> results = store.Commit(std::move(ops));
    ASSERT_EQ(results.size(), 1u);
    ASSERT_OK(results[0]);
  }
}

// What the store holds under `key` in the idempotency family, read in a group of its own.
std::optional<std::string> FindIdempotencyKey(FeedbackStore& store, const std::string& key) {
  absl::StatusOr<std::optional<std::string>> found = CommitOne<std::optional<std::string>>(
      store, [&key](Transaction& txn) { return txn.FindIdempotencyKey(key); });
  EXPECT_OK(found);
  return found.ok() ? *std::move(found) : std::nullopt;
}

// Keys that share their first characters share a bucket of that memtable: each is still found
// under its own key (its bloom filter lets each through), and a key never written is not, both
// while the keys are in the memtable and after a clean close has flushed them to a table.
TEST(StoreTuning, IdempotencyKeysSharingTheirFirstCharactersAreEachFound) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  const std::vector<std::pair<std::string, std::string>> entries = {
      {"abc00000-0000-4000-8000-000000000001", "first"},
      {"abc00000-0000-4000-8000-000000000002", "second"},
      {"abcfffff-ffff-4fff-bfff-ffffffffffff", "third"},
      {"abd00000-0000-4000-8000-000000000001", "fourth"},
      {"ab", "a key shorter than the hashed characters"},
      {"referral:abc00000-0000-4000-8000-000000000001", "a referral's"},
  };
  const std::vector<std::string> never_written = {"abc00000-0000-4000-8000-000000000003", "abc",
                                                  "a", "referral:abd00000"};
  for (const bool after_flush : {false, true}) {
    SCOPED_TRACE(after_flush ? "after a clean close and reopening" : "in the memtable");
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
    if (!after_flush) {
      ASSERT_NO_FATAL_FAILURE(PutIdempotencyKeys(**store, entries));
    }
    for (const auto& [key, value] : entries) {
      EXPECT_EQ(FindIdempotencyKey(**store, key), value) << key;
    }
    for (const std::string& key : never_written) {
      EXPECT_EQ(FindIdempotencyKey(**store, key), std::nullopt) << key;
    }
  }
}

}  // namespace store_tuning_test
}  // namespace
}  // namespace feedback::storage
