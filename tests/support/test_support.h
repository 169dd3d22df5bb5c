// Shared test helpers: status assertions and temporary folders.
#ifndef FEEDBACK_TESTS_SUPPORT_TEST_SUPPORT_H_
#define FEEDBACK_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace feedback::testing {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// A folder under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// True if any file under `dir` (its sub-folders too) holds the bytes `needle`: erasure tests
// look for words in a store's files.
bool AnyFileContains(const std::filesystem::path& dir, const std::string& needle);

}  // namespace feedback::testing

// Like EXPECT_TRUE(s.ok()), but prints the status on failure. Works on Status and StatusOr.
#define EXPECT_OK(expr)                                                   \
  do {                                                                    \
    auto&& result_ = (expr);                                              \
    const absl::Status& status_ = ::feedback::testing::StatusOf(result_); \
    EXPECT_TRUE(status_.ok()) << #expr << " -> " << status_.ToString();   \
  } while (0)
#define ASSERT_OK(expr)                                                   \
  do {                                                                    \
    auto&& result_ = (expr);                                              \
    const absl::Status& status_ = ::feedback::testing::StatusOf(result_); \
    ASSERT_TRUE(status_.ok()) << #expr << " -> " << status_.ToString();   \
  } while (0)

#endif  // FEEDBACK_TESTS_SUPPORT_TEST_SUPPORT_H_
