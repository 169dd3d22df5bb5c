// Backups of a store: RocksDB's BackupEngine, incremental (a backup folder holds many backups
// that share their unchanged files) and checksummed (every file's crc32c is recorded when it is
// copied and checked by VerifyBackup and on restore). A backup folder is as private as the
// store: mode 0700, files 0600. FeedbackStore::CreateBackup adds a backup to a folder.
#ifndef FEEDBACK_STORAGE_BACKUPS_H_
#define FEEDBACK_STORAGE_BACKUPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/feedback_store.h"

namespace rocksdb {
class DB;
}

namespace feedback::storage {

// Every backup in `backup_dir`, oldest first. NOT_FOUND if the folder holds no backup.
[[nodiscard]] absl::StatusOr<std::vector<BackupInfo>> ListBackups(const std::string& backup_dir);

// Reads every file of backup `id` (0: the latest) and checks its size and checksum against what
// was recorded when it was taken. NOT_FOUND for no such backup, DATA_LOSS naming the first file
// that differs.
[[nodiscard]] absl::StatusOr<BackupInfo> VerifyBackup(const std::string& backup_dir, uint32_t id);

// Restores backup `id` (0: the latest) into `data_dir`, which must be missing or empty (never
// overwritten: FAILED_PRECONDITION), verifying every file's checksum on the way. The restored
// store opens with FeedbackStore::Open.
[[nodiscard]] absl::StatusOr<BackupInfo> RestoreBackup(const std::string& backup_dir, uint32_t id,
                                                       const std::string& data_dir);

// FeedbackStore::CreateBackup of the RocksDB database `db`. Internal to storage/.
[[nodiscard]] absl::StatusOr<BackupInfo> BackupDatabase(rocksdb::DB& db,
                                                        const std::string& backup_dir,
                                                        uint32_t keep);

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_BACKUPS_H_
