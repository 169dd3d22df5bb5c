// The RocksDB tuning docs/performance.md measured is what a store runs with, as RocksDB itself
// records it in the store's OPTIONS file (what an operator reads to check a store's options).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/sst_file_reader.h"
#include "rocksdb/table_properties.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace store_tuning_test {

using ::feedback::testing::TempDir;
using ::testing::HasSubstr;

// The text of the newest OPTIONS file in `dir`.
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

// The [DBOptions] section of the newest OPTIONS file in `dir`.
std::string DbOptionsSection(const std::string& dir) {
  const std::string all = NewestOptionsFile(dir);
  const size_t begin = all.find("[DBOptions]");
  const size_t end = all.find("\n[", begin + 1);
  return begin == std::string::npos ? "" : all.substr(begin, end - begin);
}

// Without the one budget each of the six families could hold two 64 MiB memtables: a server
// that had taken 10^6 submissions peaked at 283 MB of RSS, against 125 MB with it.
TEST(StoreTuning, AllFamiliesShareOneMemtableBudget) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
    std::vector<WriteOp> ops;
    ops.push_back([](Transaction& txn) { return txn.PutEntity("test/1", "a child's words"); });
    const std::vector<absl::Status> results = (*store)->Commit(std::move(ops));
    ASSERT_EQ(results.size(), 1u);
    ASSERT_OK(results[0]);
  }
  const std::string options = DbOptionsSection(data);
  EXPECT_THAT(options, HasSubstr("\n  db_write_buffer_size=67108864\n"));  // 64 MiB
}

// Commits `count` entities of about 700 bytes each, as one write per entity.
void PutEntities(FeedbackStore& store, int count) {
  const std::string words(700, 'w');
  for (int i = 0; i < count; ++i) {
    std::vector<WriteOp> ops;
    ops.push_back([&words, i](Transaction& txn) {
      return txn.PutEntity("test/" + std::to_string(i), words);
    });
    const std::vector<absl::Status> results = store.Commit(std::move(ops));
    ASSERT_EQ(results.size(), 1u);
    ASSERT_OK(results[0]);
  }
}

// The compression RocksDB recorded in each table file in `dir`, by file name.
std::vector<std::pair<std::string, std::string>> TableCompressions(const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".sst") continue;
    rocksdb::SstFileReader reader{rocksdb::Options()};
    EXPECT_TRUE(reader.Open(entry.path().string()).ok()) << entry.path();
    const auto properties = reader.GetTableProperties();
    found.emplace_back(entry.path().filename().string(),
                       properties == nullptr ? "" : properties->compression_name);
  }
  return found;
}

// A flush (here, the one a clean close makes) writes its table uncompressed: compressing it cost
// a submission about 1 µs of CPU under load, and compaction, which writes the levels below,
// compresses what it writes there. Every family says so in the OPTIONS file.
TEST(StoreTuning, FlushedTablesAreUncompressedAndTheLevelsBelowAreCompressed) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
    PutEntities(**store, 200);
  }
  const auto tables = TableCompressions(data);
  ASSERT_FALSE(tables.empty()) << "a clean close flushes the store";
  for (const auto& [name, compression] : tables) {
    EXPECT_EQ(compression, "NoCompression") << name;
  }
  const std::string options = NewestOptionsFile(data);
  size_t families = 0;
  for (size_t at = options.find("[CFOptions "); at != std::string::npos;
       at = options.find("[CFOptions ", at + 1)) {
    ++families;
  }
  size_t compressed_below = 0;
  for (size_t at = options.find("compression_per_level=kNoCompression:kSnappyCompression\n");
       at != std::string::npos;
       at = options.find("compression_per_level=kNoCompression:kSnappyCompression\n", at + 1)) {
    ++compressed_below;
  }
  EXPECT_EQ(families, 6u);
  EXPECT_EQ(compressed_below, families) << options;
}

}  // namespace store_tuning_test
}  // namespace
}  // namespace feedback::storage
