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

// Every family's tables are compressed with LZ4, which RocksDB advises over its default, Snappy
// (docs/performance.md, twenty-first pass).
TEST(StoreTuning, EveryFamilyCompressesItsTablesWithLz4) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_NO_FATAL_FAILURE(MakeStore(data));
  const std::string options = NewestOptionsFile(data);
  for (const std::string family :
       {"default", "records", "time_index", "idempotency", "entities", "counters"}) {
    const std::string section = Section(options, "[CFOptions \"" + family + "\"]");
    ASSERT_FALSE(section.empty()) << "no options for the family " << family;
    EXPECT_THAT(section, HasSubstr("\n  compression=kLZ4Compression\n")) << family;
  }
}

}  // namespace store_tuning_test
}  // namespace
}  // namespace feedback::storage
