// The store's files are its user's alone, whatever the umask of the process that opens it
// (feedbackd runs with umask 077; other tools that open a store may run under the user's).
#include <sys/stat.h>

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
using ::testing::IsEmpty;

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

}  // namespace store_files_test
}  // namespace
}  // namespace feedback::storage
