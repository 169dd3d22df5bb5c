// An outbox folder found more open than 0700 (made by hand, by an older version, or restored
// from a copy) is tightened by the next Add or Flush: it holds what children and families said.
#include <sys/stat.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "client/lib/outbox.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace outbox_private_test {

using ::feedback::testing::TempDir;

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

v1::Feedback Item() {
  v1::Feedback feedback;
  feedback.set_submission_id("00000000-0000-4000-8000-000000000001");
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_text("my advocate helped");
  return feedback;
}

TEST(OutboxPermissions, AddTightensALooseExistingFolder) {
  TempDir dir;
  const std::string box = dir.Sub("box");
  ASSERT_EQ(mkdir(box.c_str(), 0700), 0);
  ASSERT_EQ(chmod(box.c_str(), 0755), 0);
  const Outbox outbox(box, "127.0.0.1:50051");
  ASSERT_OK(outbox.Add(Item()));
  EXPECT_EQ(ModeOf(box), 0700u);
}

TEST(OutboxPermissions, FlushTightensTheFolderAndItsRejectedFolder) {
  TempDir dir;
  const std::string box = dir.Sub("box");
  const Outbox outbox(box, "127.0.0.1:50051");
  ASSERT_OK(outbox.Add(Item()));
  const std::string rejected = absl::StrCat(box, "/rejected");
  ASSERT_EQ(mkdir(rejected.c_str(), 0700), 0);
  ASSERT_EQ(chmod(rejected.c_str(), 0777), 0);
  ASSERT_EQ(chmod(box.c_str(), 0777), 0);
  absl::StatusOr<FlushResult> flushed = outbox.Flush(
      [](const v1::SubmitFeedbackRequest&) -> absl::StatusOr<v1::SubmitFeedbackResponse> {
        return absl::UnavailableError("server down");
      });
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->pending, 1);
  EXPECT_EQ(ModeOf(box), 0700u);
  EXPECT_EQ(ModeOf(rejected), 0700u);
}

}  // namespace outbox_private_test
}  // namespace
}  // namespace feedback::client
