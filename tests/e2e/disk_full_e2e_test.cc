// A full disk under the real server: feedbackd's store lives on a small tmpfs the test mounts;
// when the file system has less room than the server keeps in reserve, writes are refused with
// UNAVAILABLE (never a false success, nothing written) while reads go on, the operator is told
// once, the clients' outboxes keep what was refused, and once space returns the server takes
// writes again by itself and the outbox delivers each refused item exactly once.
// When the disk fills past the reserve (between the reserve's check and a write), RocksDB meets
// the full disk itself: the server stays up and refuses writes; after a failed append to its
// write-ahead log it exits with status 75 once there is room, for its service manager to start it
// again, which recovers the log; after a failed flush it resumes on the first write that finds
// room. Mounting needs root (CI runs as root); elsewhere the tests are skipped and say why.
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
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
using ::testing::Not;

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

// Fills the file system at `mount` to the last byte with a file of its own, as another program
// would; returns the file, to be removed when space is to return.
std::string FillDisk(const std::string& mount) {
  const std::string filler = mount + "/filler";
  std::FILE* file = std::fopen(filler.c_str(), "wb");
  EXPECT_NE(file, nullptr);
  if (file == nullptr) return filler;
  const std::string chunk(64 * 1024, '\0');
  while (std::fwrite(chunk.data(), 1, chunk.size(), file) == chunk.size() &&
         std::fflush(file) == 0) {
  }
  std::fclose(file);
  return filler;
}

bool Running(pid_t pid) { return pid > 0 && kill(pid, 0) == 0; }

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

  // The current quarter's compliments from families, as the summary counts them.
  int64_t FamilyComplimentsThisQuarter() {
    const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
    const int financial_year =
        today.month() >= 4 ? static_cast<int>(today.year()) : static_cast<int>(today.year()) - 1;
    const int quarter = (today.month() + 8) % 12 / 3 + 1;
    return QuarterSummaryOf(*server_->NewStub(), financial_year, quarter)
        .compliments_from_families();
  }

  // Starts (or starts again) the server on `store` with the reserve off, so that RocksDB itself
  // meets the full disk, as it does when another program fills the disk between the reserve's
  // check and a write. `tokens` empty: a new store, with new tokens.
  void StartWithoutReserve(const std::string& store,
                           const std::map<v1::Role, std::string>& tokens = {},
                           const std::vector<std::string>& more_flags = {}) {
    std::vector<std::string> flags = {"--min-free-disk-mb", "0"};
    flags.insert(flags.end(), more_flags.begin(), more_flags.end());
    absl::StatusOr<std::unique_ptr<ServerProcess>> started =
        tokens.empty() ? ServerProcess::Start(store, flags)
                       : ServerProcess::StartWithTokens(store, tokens, flags);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
  }

  // The store's folder on the small file system, reached through a link outside it, so that the
  // server's stderr file (the store's path + ".stderr") is not on the disk that fills.
  std::string LinkedStore() {
    const std::string store = mount_ + "/store";
    std::filesystem::create_directories(store);
    const std::string link = dir().Sub("store");
    std::filesystem::create_directory_symlink(store, link);
    return link;
  }

  std::map<std::string, int> StoredTimesByText() {
    std::map<std::string, int> times;
    for (const v1::Feedback& item : ListAllFeedback(*server_)) ++times[item.text()];
    return times;
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
  EXPECT_EQ(FamilyComplimentsThisQuarter(), 1);
  auto stub = server_->NewStub();
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

// The store has written nothing since it opened, so the first append to its write-ahead log
// needs new room.
TEST_F(DiskFullTest, AFailedAppendToTheLogIsRefusedAndTheServerRestartsToRecoverIt) {
  const std::string store = LinkedStore();
  ASSERT_NO_FATAL_FAILURE(StartWithoutReserve(store));
  const std::map<v1::Role, std::string> tokens = server_->tokens();
  const std::string address = server_->address();  // the outbox keeps items per address
  const std::string filler = FillDisk(mount_);

  // Refused and kept, and the server stays up (RocksDB 7.8's writer asserted here before).
  for (const std::string text : {"while full, first", "while full, second"}) {
    const CommandResult refused = Submit(text);
    EXPECT_THAT(refused.err, HasSubstr("NOT STORED YET"));
    ASSERT_TRUE(Running(server_->pid())) << server_->Stderr();
  }
  EXPECT_THAT(Outbox("status").out, HasSubstr("pending: 2"));
  EXPECT_EQ(FamilyComplimentsThisQuarter(), 0);  // figures are still served

  // Space returns: the next write is refused too, and the server exits with status 75 for its
  // service manager (systemd's Restart=on-failure) to start it again.
  std::filesystem::remove(filler);
  EXPECT_THAT(Submit("once there is room").err, HasSubstr("NOT STORED YET"));
  const int status = server_->WaitForExit();
  ASSERT_TRUE(WIFEXITED(status)) << server_->Stderr();
  EXPECT_EQ(WEXITSTATUS(status), 75) << server_->Stderr();
  const std::string log = server_->Stderr();
  EXPECT_THAT(log, HasSubstr("the store's write-ahead log could not be written"));
  EXPECT_THAT(log, HasSubstr("restarting, to recover the write-ahead log"));
  EXPECT_THAT(log, Not(HasSubstr("Assertion"))) << log;

  // Started again on the same store, as systemd would: the outbox delivers each item once.
  ASSERT_NO_FATAL_FAILURE(StartWithoutReserve(store, tokens, {"--listen", address}));
  const CommandResult flushed = Outbox("flush");
  EXPECT_EQ(flushed.exit_code, 0) << flushed.err;
  EXPECT_THAT(flushed.out, HasSubstr("sent 3"));
  const std::map<std::string, int> times = StoredTimesByText();
  EXPECT_EQ(times.size(), 3u);
  for (const auto& [text, count] : times) EXPECT_EQ(count, 1) << text;
  ExpectCountersConsistent(*server_->NewStub());
}

// A flush that fails on the full disk (here, the one a backup starts with) leaves the server up
// and its log intact; once there is room, the store resumes on the next write, with no restart.
TEST_F(DiskFullTest, AFlushThatFailsOnAFullDiskResumesOnceThereIsRoom) {
  const std::string store = LinkedStore();
  ASSERT_NO_FATAL_FAILURE(StartWithoutReserve(store));
  ASSERT_EQ(Submit("before the disk filled").exit_code, 0);
  const std::string filler = FillDisk(mount_);

  const std::string backups = dir().Sub("backups");  // on another file system, with room
  const CommandResult backup =
      RunCommand(server_->Ctl(v1::ROLE_ADMIN, {"admin", "backup", "--to", backups}));
  EXPECT_NE(backup.exit_code, 0);
  EXPECT_THAT(backup.err, HasSubstr("UNAVAILABLE"));
  EXPECT_THAT(backup.err, HasSubstr("disk is full or failing"));
  ASSERT_TRUE(Running(server_->pid())) << server_->Stderr();
  // Stored now (the log has room it set aside) or kept in the outbox and sent by the next
  // submit: either way, once.
  Submit("while full");

  std::filesystem::remove(filler);
  const CommandResult after = Submit("once there is room");
  EXPECT_EQ(after.exit_code, 0) << after.err;
  const CommandResult second =
      RunCommand(server_->Ctl(v1::ROLE_ADMIN, {"admin", "backup", "--to", backups}));
  EXPECT_EQ(second.exit_code, 0) << second.err;
  ASSERT_TRUE(Running(server_->pid())) << server_->Stderr();

  // Each item is there once, after a restart too.
  const std::map<v1::Role, std::string> tokens = server_->tokens();
  server_->StopWith(SIGTERM);
  ASSERT_NO_FATAL_FAILURE(StartWithoutReserve(store, tokens));
  std::map<std::string, int> times = StoredTimesByText();
  EXPECT_EQ(times["before the disk filled"], 1);
  EXPECT_EQ(times["once there is room"], 1);
  EXPECT_EQ(times["while full"], 1);
  EXPECT_EQ(times.size(), 3u);
  ExpectCountersConsistent(*server_->NewStub());
  EXPECT_THAT(server_->Stderr(), Not(HasSubstr("Assertion")));
}

}  // namespace disk_full_e2e_test
}  // namespace
}  // namespace feedback::testing
