// Backup and restore through the real binaries: `feedbackctl admin backup` while clients keep
// submitting, `admin backup list|verify`, and `feedbackd admin restore` / `feedbackd
// --restore-from` into a new store that holds every item acknowledged before the backup began,
// with its counters intact; a damaged backup is found out and never restored; backups are as
// private as the store.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/roles.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace backup_e2e_test {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kSubmitters = 4;

// Submissions acknowledged so far: submission_id -> feedback id, and the text each was sent with.
struct Acknowledged {
  absl::Mutex mutex;
  std::map<std::string, std::string> ids ABSL_GUARDED_BY(mutex);
  std::map<std::string, std::string> texts ABSL_GUARDED_BY(mutex);
};

v1::SubmitFeedbackRequest Item(int submitter, int n) {
  v1::SubmitFeedbackRequest request;
  v1::Feedback& item = *request.mutable_feedback();
  item.set_submission_id(client::NewSubmissionId());
  item.set_source(n % 2 == 0 ? v1::SOURCE_FAMILY : v1::SOURCE_CHILD);
  item.set_kind(n % 3 == 0 ? v1::KIND_COMPLAINT : v1::KIND_COMPLIMENT);
  item.set_meeting(v1::MEETING_CLA_REVIEW);
  item.set_rating(1 + n % 5);
  item.set_text(absl::StrCat("backup load ", submitter, "/", n, ": the plan was explained well"));
  return request;
}

// Submits until `stop`, recording every acknowledgement.
void Submit(const ServerProcess& server, int submitter, const std::atomic<bool>& stop,
            Acknowledged& acked) {
  auto stub = server.NewStub(v1::ROLE_ADVOCATE);
  for (int n = 0; !stop.load(); ++n) {
    const v1::SubmitFeedbackRequest request = Item(submitter, n);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::SubmitFeedbackResponse response;
    const grpc::Status status = stub->SubmitFeedback(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    absl::MutexLock lock(&acked.mutex);
    acked.ids[request.feedback().submission_id()] = response.feedback().id();
    acked.texts[request.feedback().submission_id()] = request.feedback().text();
  }
}

// Blocks until at least `count` submissions have been acknowledged.
void AwaitAcknowledged(Acknowledged& acked, size_t count) {
  absl::MutexLock lock(&acked.mutex);
  const auto enough = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return acked.ids.size() >= count; };
  acked.mutex.Await(absl::Condition(&enough));
}

// Folders 0700 and files 0600, everywhere under `dir`.
void ExpectPrivate(const fs::path& dir) {
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all) << dir;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    const fs::perms mode = entry.symlink_status().permissions() & fs::perms::all;
    if (entry.is_directory()) {
      EXPECT_EQ(mode, fs::perms::owner_all) << entry.path();
    } else {
      EXPECT_EQ(mode, fs::perms::owner_read | fs::perms::owner_write) << entry.path();
    }
  }
}

// Submits one complaint through `stub` and returns its id.
std::string SubmitComplaint(v1::FeedbackService::Stub& stub) {
  v1::SubmitFeedbackRequest request = Item(0, 0);
  grpc::ClientContext context;
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = stub.SubmitFeedback(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.feedback().id();
}

CommandResult Feedbackd(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {FEEDBACKD_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

using BackupTest = ServerTest;

TEST_F(BackupTest, ABackupTakenUnderLoadRestoresEveryItemAcknowledgedBeforeItBegan) {
  const std::string backups = dir().Sub("backups");
  Acknowledged acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> submitters;
  for (int i = 0; i < kSubmitters; ++i) {
    submitters.emplace_back([&, i] { Submit(server(), i, stop, acked); });
  }
  AwaitAcknowledged(acked, 200);
  std::map<std::string, std::string> before_backup;
  {
    absl::MutexLock lock(&acked.mutex);
    before_backup = acked.ids;
  }
  const CommandResult backup = Ctl({"admin", "backup", "--to", backups});
  // The load went on while the backup was taken.
  AwaitAcknowledged(acked, before_backup.size() + 100);
  stop = true;
  for (std::thread& submitter : submitters) submitter.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out, HasSubstr("backup 1  taken "));

  const CommandResult listed = Ctl({"admin", "backup", "list", "--to", backups});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("backup 1  taken "));
  const CommandResult verified = Ctl({"admin", "backup", "verify", "--to", backups});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("backup 1"));
  EXPECT_THAT(verified.out, HasSubstr("every file matches its checksum"));
  ExpectPrivate(backups);

  const std::string restored_store = dir().Sub("restored");
  const CommandResult restore =
      Feedbackd({"admin", "restore", "--from", backups, "--data-dir", restored_store});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_THAT(restore.out, HasSubstr("restored backup 1"));
  ExpectPrivate(restored_store);

  absl::StatusOr<std::unique_ptr<ServerProcess>> restored =
      ServerProcess::StartWithTokens(restored_store, server().tokens());
  ASSERT_TRUE(restored.ok()) << restored.status();
  std::map<std::string, int> times_seen;
  for (const v1::Feedback& item : ListAllFeedback(**restored)) {
    ++times_seen[item.submission_id()];
    absl::MutexLock lock(&acked.mutex);
    ASSERT_TRUE(acked.texts.count(item.submission_id())) << "an item nobody acknowledged";
    EXPECT_EQ(item.text(), acked.texts[item.submission_id()]);
  }
  for (const auto& [submission_id, id] : before_backup) {
    EXPECT_EQ(times_seen[submission_id], 1) << id << " acknowledged before the backup";
  }
  ExpectCountersConsistent(*(*restored)->NewStub());

  const CommandResult audit = Ctl({"admin", "audit", "--action", "backup.create"});
  EXPECT_THAT(audit.out, HasSubstr(backups));
}

TEST_F(BackupTest, FeedbackdRestoreFromServesTheBackupAndNeverOverwritesAStore) {
  const std::string backups = dir().Sub("backups");
  const std::string id = SubmitComplaint(stub());
  ASSERT_EQ(Ctl({"admin", "backup", "--to", backups}).exit_code, 0);

  const CommandResult onto_live =
      Feedbackd({"--restore-from", backups, "--data-dir", data_dir(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(onto_live.exit_code, 1);
  EXPECT_THAT(onto_live.err, HasSubstr("is not empty; a restore never overwrites a store"));

  const std::string fresh = dir().Sub("fresh");
  absl::StatusOr<std::unique_ptr<ServerProcess>> restored =
      ServerProcess::StartWithTokens(fresh, server().tokens(), {"--restore-from", backups});
  ASSERT_TRUE(restored.ok()) << restored.status();
  grpc::ClientContext context;
  v1::GetFeedbackRequest request;
  request.set_id(id);
  v1::Feedback item;
  const grpc::Status status = (*restored)->NewStub()->GetFeedback(&context, request, &item);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(item.id(), id);
}

TEST_F(BackupTest, ADamagedBackupFailsVerifyAndIsNeverRestored) {
  const std::string backups = dir().Sub("backups");
  SubmitComplaint(stub());
  ASSERT_EQ(Ctl({"admin", "backup", "--to", backups}).exit_code, 0);
  // One byte of one table file changes, as a failing disk would change it.
  std::vector<fs::path> tables;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(fs::path(backups) / "shared_checksum")) {
    if (entry.path().extension() == ".sst") tables.push_back(entry.path());
  }
  ASSERT_FALSE(tables.empty());
  {
    std::fstream file(tables.front(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(100);
    char byte = 0;
    file.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x5a);
    file.seekp(100);
    file.write(&byte, 1);
  }

  const CommandResult verified = Ctl({"admin", "backup", "verify", "--to", backups});
  EXPECT_NE(verified.exit_code, 0);
  EXPECT_THAT(verified.err, HasSubstr("DATA_LOSS"));
  EXPECT_THAT(verified.err, HasSubstr("backup 1"));

  const std::string target = dir().Sub("restored");
  const CommandResult restore =
      Feedbackd({"admin", "restore", "--from", backups, "--data-dir", target});
  EXPECT_EQ(restore.exit_code, 1);
  EXPECT_THAT(restore.err, HasSubstr("DATA_LOSS"));
  EXPECT_TRUE(!fs::exists(target) || fs::is_empty(target)) << "a damaged restore was left";
}

TEST_F(BackupTest, OnlyAnAdminBacksUpAndNeverIntoTheStore) {
  const CommandResult inside = Ctl({"admin", "backup", "--to", data_dir() + "/backups"});
  EXPECT_EQ(inside.exit_code, 3);
  EXPECT_THAT(inside.err, HasSubstr("dir: "));
  EXPECT_THAT(inside.err, HasSubstr("overlaps the store's own folder"));
  EXPECT_FALSE(fs::exists(data_dir() + "/backups"));

  const CommandResult by_qa =
      Ctl(v1::ROLE_QA_MANAGER, {"admin", "backup", "--to", dir().Sub("backups")});
  EXPECT_NE(by_qa.exit_code, 0);
  EXPECT_THAT(by_qa.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_FALSE(fs::exists(dir().Sub("backups")));

  const CommandResult nothing = Ctl({"admin", "backup", "list", "--to", dir().Sub("none")});
  EXPECT_NE(nothing.exit_code, 0);
  EXPECT_THAT(nothing.err, HasSubstr("holds no backup"));
}

TEST_F(BackupTest, KeepDeletesTheOldestBackupsOnceTheNewOneIsTaken) {
  const std::string backups = dir().Sub("backups");
  for (int i = 0; i < 3; ++i) {
    SubmitComplaint(stub());
    const CommandResult taken = Ctl({"admin", "backup", "--to", backups, "--keep", "2"});
    ASSERT_EQ(taken.exit_code, 0) << taken.err;
  }
  const CommandResult listed = Ctl({"admin", "backup", "list", "--to", backups});
  EXPECT_THAT(listed.out, Not(HasSubstr("backup 1 ")));
  EXPECT_THAT(listed.out, HasSubstr("backup 2 "));
  EXPECT_THAT(listed.out, HasSubstr("backup 3 "));
  EXPECT_EQ(Ctl({"admin", "backup", "verify", "--to", backups, "--id", "2"}).exit_code, 0);
}

}  // namespace backup_e2e_test
}  // namespace
}  // namespace feedback::testing
