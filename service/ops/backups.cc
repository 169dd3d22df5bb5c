#include "service/ops/backups.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "storage/backups.h"

namespace feedback {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxDirBytes = 1024;

absl::Status BadDir(std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("dir: ", std::string(why)));
}

bool HasControlCharacter(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// True if `inner` is `outer` or a folder below it (both canonical).
bool IsWithin(const fs::path& inner, const fs::path& outer) {
  const fs::path relative = inner.lexically_relative(outer);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

absl::StatusOr<std::string> CheckBackupDir(std::string_view dir, const std::string& data_dir) {
  if (dir.empty()) {
    return BadDir("required: the absolute path of a backup folder on the server's machine");
  }
  if (dir.size() > kMaxDirBytes || HasControlCharacter(dir)) {
    return BadDir(absl::StrCat("must be a path of at most ", kMaxDirBytes,
                               " bytes without control characters"));
  }
  const fs::path path(dir);
  if (!path.is_absolute()) {
    return BadDir(absl::StrCat(QuoteClientValue(dir),
                               " is not an absolute path on the server's machine (e.g. "
                               "/var/backups/feedbackd)"));
  }
  for (const fs::path& part : path) {
    if (part == "..") return BadDir(absl::StrCat(QuoteClientValue(dir), " must not contain .."));
  }
  std::error_code backup_error;
  std::error_code store_error;
  const fs::path backup = fs::weakly_canonical(path, backup_error);
  const fs::path store = fs::weakly_canonical(fs::absolute(data_dir), store_error);
  if (backup_error || store_error) {
    return BadDir(absl::StrCat("cannot resolve ", QuoteClientValue(dir)));
  }
  if (IsWithin(backup, store) || IsWithin(store, backup)) {
    return BadDir(absl::StrCat(QuoteClientValue(dir),
                               " overlaps the store's own folder; a backup must be kept "
                               "outside it (e.g. /var/backups/feedbackd)"));
  }
  return backup.string();
}

v1::Backup BackupMessage(const storage::BackupInfo& backup, const std::string& dir) {
  v1::Backup message;
  message.set_backup_id(backup.id);
  *message.mutable_created_at() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(backup.created_at_unix);
  message.set_size_bytes(backup.size_bytes);
  message.set_file_count(backup.file_count);
  message.set_dir(dir);
  return message;
}

BackupRunner::BackupRunner(storage::FeedbackStore* store)
    : store_(store), queue_(/*max_batch=*/1, [](std::vector<Job> batch) {
        for (Job& job : batch) std::move(job)(/*refused=*/false);
      }) {}

BackupRunner::~BackupRunner() { queue_.Stop(); }

template <typename T>
void BackupRunner::Queue(absl::AnyInvocable<absl::StatusOr<T>() &&> work, Done<T> done) {
  Job job = [work = std::move(work), done = std::move(done)](bool refused) mutable {
    if (refused) {
      std::move(done)(absl::UnavailableError("the server is shutting down; back up again later"));
      return;
    }
    std::move(done)(std::move(work)());
  };
  if (!queue_.Push(job)) std::move(job)(/*refused=*/true);
}

void BackupRunner::Create(std::string dir, uint32_t keep, Done<storage::BackupInfo> done) {
  Queue<storage::BackupInfo>(
      [store = store_, dir = std::move(dir), keep]() { return store->CreateBackup(dir, keep); },
      std::move(done));
}

void BackupRunner::List(std::string dir, Done<std::vector<storage::BackupInfo>> done) {
  Queue<std::vector<storage::BackupInfo>>(
      [dir = std::move(dir)]() { return storage::ListBackups(dir); }, std::move(done));
}

void BackupRunner::Verify(std::string dir, uint32_t id, Done<storage::BackupInfo> done) {
  Queue<storage::BackupInfo>(
      [dir = std::move(dir), id]() { return storage::VerifyBackup(dir, id); }, std::move(done));
}

}  // namespace feedback
