// A full disk under the real server: feedbackd's store lives on a small tmpfs the test mounts;
// when the file system has less room than the server keeps in reserve, writes are refused with
// UNAVAILABLE (never a false success, nothing written) while reads go on, the operator is told
// once, the clients' outboxes keep what was refused, and once space returns the server takes
// writes again by itself and the outbox delivers each refused item exactly once.
// Mounting needs root (CI runs as root); elsewhere the test is skipped and says why.
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace disk_full_e2e_test {

using ::testing::HasSubstr;

constexpr uint64_t kMiB = 1 << 20;

uint64_t UsedBytes(const std::string& mount) {
  struct statvfs disk {};
  if (statvfs(mount.c_str(), &disk) != 0) return 0;
  return static_cast<uint64_t>(disk.f_blocks - disk.f_bfree) * disk.f_frsize;
}

// Sets the tmpfs at `mount` to `bytes` (rounded up to whole MiB).
void Resize(const std::string& mount, uint64_t bytes) {
  const CommandResult resized = RunCommand(
      {"mount", "-o", absl::StrCat("remount,size=", (bytes + kMiB - 1) / kMiB, "m"), mount});
  ASSERT_EQ(resized.exit_code, 0) << resized.err;
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

class DiskFullTest : public DeferredServerTest {
 protected:
  void SetUp() override {
    DeferredServerTest::SetUp();
    if (geteuid() != 0) GTEST_SKIP() << "mounting the small file system this test fills needs root";
    mount_ = dir().Sub("disk");
    std::filesystem::create_directories(mount_);
    const CommandResult mounted =
        RunCommand({"mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount_});
    ASSERT_EQ(mounted.exit_code, 0) << mounted.err;
    mounted_ = true;
  }
  void TearDown() override {
    server_.reset();  // SIGKILL, before the file system goes
    if (mounted_) RunCommand({"umount", "-l", mount_});
    DeferredServerTest::TearDown();
  }

  CommandResult Submit(const std::string& text) {
    std::vector<std::string> argv =
        server_->Ctl({"--outbox", dir().Sub("outbox"), "submit", "--source", "family", "--kind",
                      "compliment", "--rating", "4", "--text", text});
    return RunCommand(argv);
  }
  CommandResult Outbox(const std::string& command) {
    return RunCommand(server_->Ctl({"--outbox", dir().Sub("outbox"), "outbox", command}));
  }

  std::string mount_;
  bool mounted_ = false;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(DiskFullTest, WritesAreRefusedUntilSpaceReturnsAndTheOutboxDeliversThemOnce) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> started =
      ServerProcess::Start(mount_ + "/store", {"--http-listen", "127.0.0.1:0"});
  ASSERT_TRUE(started.ok()) << started.status();
  server_ = *std::move(started);
  const CommandResult before = Submit("before the disk filled");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const std::string stored_id = std::string(absl::StripAsciiWhitespace(before.out));

  // The disk fills: 16 MiB left, below the server's reserve of 64 MiB.
  Resize(mount_, UsedBytes(mount_) + 16 * kMiB);

  // Refused, not lost: the outbox keeps both, and nothing is stored.
  for (const std::string text : {"while full, first", "while full, second"}) {
    const CommandResult refused = Submit(text);
    EXPECT_THAT(refused.err, HasSubstr("NOT STORED YET"));
    EXPECT_THAT(refused.err, HasSubstr("the store's disk is full"));
  }
  EXPECT_THAT(Outbox("status").out, HasSubstr("pending: 2"));
  // The kiosk's door says 503, which the kiosk's outbox keeps and retries.
  absl::StatusOr<std::unique_ptr<HttpClient>> http = HttpClient::Connect(server_->http_address());
  ASSERT_TRUE(http.ok()) << http.status();
  absl::StatusOr<HttpReply> door = (*http)->Call(
      "SubmitFeedback",
      R"({"feedback":{"submissionId":"7a0c7d0e-8f51-4c55-9d55-2c4f8a1d9e01","source":"SOURCE_CHILD",)"
      R"("kind":"KIND_COMMENT","meeting":"MEETING_CLA_REVIEW","rating":5}})",
      server_->token(v1::ROLE_KIOSK));
  ASSERT_TRUE(door.ok()) << door.status();
  EXPECT_EQ(door->status, 503) << door->body;
  EXPECT_THAT(door->body, HasSubstr("unavailable"));

  // Reads go on: the quarter's figures count what was stored before. (A read of people's words
  // waits too, since it is answered only once its audit entry is on disk.)
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const int financial_year =
      today.month() >= 4 ? static_cast<int>(today.year()) : static_cast<int>(today.year()) - 1;
  const int quarter = (today.month() + 8) % 12 / 3 + 1;
  auto stub = server_->NewStub();
  EXPECT_EQ(QuarterSummaryOf(*stub, financial_year, quarter).compliments_from_families(), 1);
  grpc::ClientContext context;
  v1::GetFeedbackRequest get;
  get.set_id(stored_id);
  v1::Feedback item;
  EXPECT_EQ(stub->GetFeedback(&context, get, &item).error_code(), grpc::StatusCode::UNAVAILABLE);

  // Space returns: the next write goes through, with nobody restarting anything.
  Resize(mount_, UsedBytes(mount_) + 200 * kMiB);
  const CommandResult flushed = Outbox("flush");
  EXPECT_EQ(flushed.exit_code, 0) << flushed.err;
  EXPECT_THAT(flushed.out, HasSubstr("sent 2"));
  EXPECT_THAT(Outbox("status").out, HasSubstr("pending: 0"));

  std::map<std::string, int> times;
  for (const v1::Feedback& item : ListAllFeedback(*server_)) ++times[item.text()];
  EXPECT_EQ(times["before the disk filled"], 1);
  EXPECT_EQ(times["while full, first"], 1);
  EXPECT_EQ(times["while full, second"], 1);
  EXPECT_EQ(times.size(), 3u) << "the refused door call must not have been stored";
  ExpectCountersConsistent(*server_->NewStub());

  // The operator was told once that the disk was full, and once that it had room again.
  const std::string log = server_->Stderr();
  EXPECT_EQ(CountOf(log, "the store's disk is full"), 1u) << log;
  EXPECT_EQ(CountOf(log, "the store's disk has room again"), 1u) << log;
}

}  // namespace disk_full_e2e_test
}  // namespace
}  // namespace feedback::testing
