// The store's files are its user's alone, whatever the umask of the process that opens it
// (feedbackd runs with umask 077; other tools that open a store may run under the user's).
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace store_files_test {

using ::feedback::testing::TempDir;
using ::testing::_;
using ::testing::Each;
using ::testing::IsEmpty;
using ::testing::Lt;
using ::testing::Pair;

// Sets this process's umask for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// "path mode" of every file in `dir` that is not exactly 0600.
std::vector<std::string> FilesNot0600(const std::string& dir) {
  std::vector<std::string> loose;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const mode_t mode = ModeOf(entry.path().string());
    if (mode != 0600) loose.push_back(absl::StrFormat("%s %04o", entry.path().string(), mode));
  }
  EXPECT_GT(files, 3) << "no store in " << dir;
  return loose;
}

void WriteSomething(FeedbackStore& store, const std::string& key) {
  std::vector<WriteOp> ops;
  ops.push_back([key](Transaction& txn) { return txn.PutEntity(key, "a child's words, say"); });
  std::vector<absl::Status> results = store.Commit(std::move(ops));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_OK(results[0]);
}

TEST(StoreFiles, EveryFileIsCreated0600UnderAUsualUmask) {
  ScopedUmask usual(022);
  TempDir dir;
  const std::string data = dir.Sub("data");
  for (int open = 0; open < 3; ++open) {  // reopening recovers the log, rotates LOG, new OPTIONS
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
    WriteSomething(**store, absl::StrFormat("test/%d", open));
  }
  EXPECT_THAT(FilesNot0600(data), IsEmpty());
  EXPECT_EQ(ModeOf(data), 0700u);
}

// A store made before this fix (or copied in with looser modes) is tightened when it opens.
TEST(StoreFiles, FilesAlreadyThereAreMadePrivateOnOpen) {
  ScopedUmask usual(022);
  TempDir dir;
  const std::string data = dir.Sub("data");
  {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
    WriteSomething(**store, "test/1");
  }
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    ASSERT_EQ(chmod(entry.path().c_str(), 0644), 0);
  }
  ASSERT_EQ(chmod(data.c_str(), 0755), 0);
  {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
  }
  EXPECT_THAT(FilesNot0600(data), IsEmpty());
  EXPECT_EQ(ModeOf(data), 0700u);
}

// The write-ahead logs in `dir`, with their sizes.
std::vector<std::pair<std::string, uintmax_t>> WriteAheadLogs(const std::string& dir) {
  std::vector<std::pair<std::string, uintmax_t>> logs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") {
      logs.emplace_back(entry.path().filename().string(), entry.file_size());
    }
  }
  return logs;
}

uintmax_t LargestLog(const std::string& dir) {
  uintmax_t largest = 0;
  for (const auto& [name, size] : WriteAheadLogs(dir)) largest = std::max(largest, size);
  return largest;
}

constexpr uintmax_t kOneMiB = 1 << 20;

// A sync that must also record a longer file costs ext4 a journal entry; the log's room is
// reserved with its size, so most syncs only write data (docs/performance.md).
TEST(StoreFiles, TheWriteAheadLogIsLongerThanWhatIsWrittenInIt) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
  ASSERT_OK(store);
  WriteSomething(**store, "test/1");
  EXPECT_GE(LargestLog(data), kOneMiB);
}

// A crash leaves the room after the last record as zeros; the store opens past them with every
// acknowledged write. (A copy of the folder while the store is open is what a crash leaves.)
TEST(StoreFiles, AStoreLeftWithZerosAfterItsLastWriteOpensWithEveryWrite) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  const std::string crashed = dir.Sub("crashed");
  constexpr int kWrites = 50;
  absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
  ASSERT_OK(store);
  for (int i = 0; i < kWrites; ++i) WriteSomething(**store, absl::StrFormat("test/%d", i));
  std::filesystem::copy(data, crashed);
  ASSERT_GE(LargestLog(crashed), kOneMiB) << "the copy has no zeros after its last write";

  absl::StatusOr<std::unique_ptr<FeedbackStore>> reopened =
      FeedbackStore::Open({.data_dir = crashed});
  ASSERT_OK(reopened);
  for (int i = 0; i < kWrites; ++i) {
    absl::StatusOr<std::string> words = (*reopened)->GetEntity(absl::StrFormat("test/%d", i));
    ASSERT_OK(words);
    EXPECT_EQ(*words, "a child's words, say") << i;
  }
}

// A store closed cleanly leaves no zeros behind: its logs are trimmed to what they hold.
TEST(StoreFiles, AStoreClosedCleanlyLeavesItsLogsNoLongerThanTheirRecords) {
  TempDir dir;
  const std::string data = dir.Sub("data");
  {
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store = FeedbackStore::Open({.data_dir = data});
    ASSERT_OK(store);
    for (int i = 0; i < 10; ++i) WriteSomething(**store, absl::StrFormat("test/%d", i));
    ASSERT_GE(LargestLog(data), kOneMiB);
  }
  EXPECT_THAT(WriteAheadLogs(data), Each(Pair(_, Lt(kOneMiB))));
}

}  // namespace store_files_test
}  // namespace
}  // namespace feedback::storage
