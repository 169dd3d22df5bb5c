#include "storage/backups.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/backup_engine.h"
#include "storage/rocks_support.h"

namespace feedback::storage {
namespace {

namespace fs = std::filesystem;

BackupInfo FromEngine(const rocksdb::BackupInfo& info) {
  return BackupInfo{.id = info.backup_id,
                    .created_at_unix = info.timestamp,
                    .size_bytes = info.size,
                    .file_count = info.number_files};
}

rocksdb::BackupEngineOptions EngineOptions(const std::string& backup_dir) {
  rocksdb::BackupEngineOptions options(backup_dir, PrivateEnv());
  options.share_files_with_checksum = true;  // incremental across backups, checked by crc32c
  options.sync = true;                       // a backup is complete only once it is on disk
  options.max_background_operations = 1;     // the server's cores are for its callers
  return options;
}

// A folder BackupEngine has written to has its "meta" folder.
bool HoldsBackups(const std::string& backup_dir) {
  std::error_code error;
  return fs::is_directory(fs::path(backup_dir) / "meta", error);
}

absl::Status NoBackupsIn(const std::string& backup_dir) {
  return absl::NotFoundError(absl::StrCat("backup folder ", backup_dir, ": holds no backup"));
}

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngineReadOnly>> OpenToRead(
    const std::string& backup_dir) {
  if (!HoldsBackups(backup_dir)) return NoBackupsIn(backup_dir);
  rocksdb::BackupEngineReadOnly* raw = nullptr;
  const rocksdb::IOStatus opened =
      rocksdb::BackupEngineReadOnly::Open(EngineOptions(backup_dir), PrivateEnv(), &raw);
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw);
  RETURN_IF_ERROR(FromRocks(opened, absl::StrCat("backup folder ", backup_dir)));
  return engine;
}

// Backup `id` (0: the latest) of `engine`, or NOT_FOUND.
absl::StatusOr<BackupInfo> FindBackup(const rocksdb::BackupEngineReadOnlyBase& engine,
                                      const std::string& backup_dir, uint32_t id) {
  std::vector<rocksdb::BackupInfo> infos;
  engine.GetBackupInfo(&infos);
  if (infos.empty()) return NoBackupsIn(backup_dir);
  if (id == 0) return FromEngine(infos.back());
  for (const rocksdb::BackupInfo& info : infos) {
    if (info.backup_id == id) return FromEngine(info);
  }
  return absl::NotFoundError(absl::StrCat("backup folder ", backup_dir, ": no backup ", id));
}

// A corrupt or missing file of a backup is lost data, not a passing fault.
absl::Status BackupFileError(const rocksdb::Status& s, const std::string& what) {
  if (s.IsCorruption() || s.IsNotFound()) {
    return absl::DataLossError(absl::StrCat(what, ": ", s.ToString()));
  }
  return FromRocks(s, what);
}

absl::Status CheckRestoreTarget(const std::string& data_dir) {
  std::error_code error;
  if (!fs::exists(data_dir, error)) return absl::OkStatus();
  if (!fs::is_directory(data_dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir ", data_dir, ": is not a folder; restore into a new folder"));
  }
  if (!fs::is_empty(data_dir, error) || error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir ", data_dir,
        ": is not empty; a restore never overwrites a store: restore into a new folder"));
  }
  return absl::OkStatus();
}

// Removes what a failed restore left in `data_dir`, which was empty before it.
void ClearFolder(const std::string& data_dir) {
  std::error_code error;
  for (fs::directory_iterator it(data_dir, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    std::error_code ignored;
    fs::remove_all(it->path(), ignored);
  }
}

}  // namespace

absl::StatusOr<BackupInfo> BackupDatabase(rocksdb::DB& db, const std::string& backup_dir,
                                          uint32_t keep) {
  std::error_code error;
  if (fs::exists(backup_dir, error) && !HoldsBackups(backup_dir) &&
      !fs::is_empty(backup_dir, error)) {
    return absl::FailedPreconditionError(
        absl::StrCat("backup folder ", backup_dir,
                     ": holds other files and no backup; choose an empty or new folder"));
  }
  fs::create_directories(backup_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("backup folder ", backup_dir, ": cannot create: ", error.message()));
  }
  RETURN_IF_ERROR(MakeFolderPrivate(backup_dir, /*recursive=*/true));
  rocksdb::BackupEngine* raw = nullptr;
  const rocksdb::IOStatus opened =
      rocksdb::BackupEngine::Open(EngineOptions(backup_dir), PrivateEnv(), &raw);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  RETURN_IF_ERROR(FromRocks(opened, absl::StrCat("backup folder ", backup_dir)));
  rocksdb::CreateBackupOptions options;
  // The backup then holds table files only: a restore opens without replaying a log.
  options.flush_before_backup = true;
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(FromRocks(engine->CreateNewBackup(options, &db, &id),
                            absl::StrCat("backing up into ", backup_dir)));
  ASSIGN_OR_RETURN(BackupInfo backup, FindBackup(*engine, backup_dir, id));
  if (keep > 0) {
    RETURN_IF_ERROR(
        FromRocks(engine->PurgeOldBackups(keep),
                  absl::StrCat("backup ", id, " taken; deleting older backups in ", backup_dir)));
  }
  return backup;
}

absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& backup_dir) {
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngineReadOnly> engine, OpenToRead(backup_dir));
  std::vector<rocksdb::BackupInfo> infos;
  engine->GetBackupInfo(&infos);
  if (infos.empty()) return NoBackupsIn(backup_dir);
  std::vector<BackupInfo> backups;
  backups.reserve(infos.size());
  for (const rocksdb::BackupInfo& info : infos) backups.push_back(FromEngine(info));
  return backups;
}

absl::StatusOr<BackupInfo> VerifyBackup(const std::string& backup_dir, uint32_t id) {
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngineReadOnly> engine, OpenToRead(backup_dir));
  ASSIGN_OR_RETURN(BackupInfo backup, FindBackup(*engine, backup_dir, id));
  RETURN_IF_ERROR(BackupFileError(engine->VerifyBackup(backup.id, /*verify_with_checksum=*/true),
                                  absl::StrCat("backup ", backup.id, " in ", backup_dir)));
  return backup;
}

absl::StatusOr<BackupInfo> RestoreBackup(const std::string& backup_dir, uint32_t id,
                                         const std::string& data_dir) {
  RETURN_IF_ERROR(CheckRestoreTarget(data_dir));
  ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngineReadOnly> engine, OpenToRead(backup_dir));
  ASSIGN_OR_RETURN(BackupInfo backup, FindBackup(*engine, backup_dir, id));
  std::error_code error;
  fs::create_directories(data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir ", data_dir, ": cannot create: ", error.message()));
  }
  RETURN_IF_ERROR(MakeFolderPrivate(data_dir));
  const rocksdb::IOStatus restored =
      engine->RestoreDBFromBackup(rocksdb::RestoreOptions(), backup.id, data_dir, data_dir);
  // Closing the engine waits for copies still under way when one failed.
  engine.reset();
  if (!restored.ok()) {
    ClearFolder(data_dir);
    return BackupFileError(restored, absl::StrCat("restoring backup ", backup.id, " from ",
                                                  backup_dir, " into ", data_dir));
  }
  RETURN_IF_ERROR(MakeFolderPrivate(data_dir));
  return backup;
}

}  // namespace feedback::storage
