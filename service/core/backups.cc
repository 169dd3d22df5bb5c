// FeedbackCore: backups (service/ops/backups.h). A backup copies every word the store holds, so
// taking and verifying one is audited, with the folder it went to.
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/core/core_support.h"
#include "service/core/feedback_core.h"

namespace feedback {

void FeedbackCore::CreateBackup(const Principal& caller, const v1::CreateBackupRequest& request,
                                Reply<v1::Backup> reply) {
  if (!Permits(caller, "CreateBackup", reply)) return;
  absl::StatusOr<std::string> dir = CheckBackupDir(request.dir(), data_dir_);
  if (!dir.ok()) {
    std::move(reply)(dir.status());
    return;
  }
  backups_->Create(*dir, request.keep(),
                   [this, caller, dir = *dir,
                    reply = std::move(reply)](absl::StatusOr<storage::BackupInfo> taken) mutable {
                     if (!taken.ok()) {
                       std::move(reply)(taken.status());
                       return;
                     }
                     AuditEvent event(
                         "backup.create", {},
                         absl::StrCat("backup ", taken->id, " in ", dir, ": ", taken->file_count,
                                      " files, ", taken->size_bytes, " bytes"));
                     AuditThenReply(*writer_, caller, std::move(event), BackupMessage(*taken, dir),
                                    std::move(reply));
                   });
}

void FeedbackCore::ListBackups(const Principal& caller, const v1::ListBackupsRequest& request,
                               Reply<v1::ListBackupsResponse> reply) {
  if (!Permits(caller, "ListBackups", reply)) return;
  absl::StatusOr<std::string> dir = CheckBackupDir(request.dir(), data_dir_);
  if (!dir.ok()) {
    std::move(reply)(dir.status());
    return;
  }
  backups_->List(*dir, [dir = *dir, reply = std::move(reply)](
                           absl::StatusOr<std::vector<storage::BackupInfo>> listed) mutable {
    if (!listed.ok()) {
      std::move(reply)(listed.status());
      return;
    }
    v1::ListBackupsResponse response;
    for (const storage::BackupInfo& backup : *listed) {
      *response.add_backups() = BackupMessage(backup, dir);
    }
    std::move(reply)(std::move(response));
  });
}

void FeedbackCore::VerifyBackup(const Principal& caller, const v1::VerifyBackupRequest& request,
                                Reply<v1::Backup> reply) {
  if (!Permits(caller, "VerifyBackup", reply)) return;
  absl::StatusOr<std::string> dir = CheckBackupDir(request.dir(), data_dir_);
  if (!dir.ok()) {
    std::move(reply)(dir.status());
    return;
  }
  backups_->Verify(
      *dir, request.backup_id(),
      [this, caller, dir = *dir,
       reply = std::move(reply)](absl::StatusOr<storage::BackupInfo> verified) mutable {
        if (!verified.ok()) {
          std::move(reply)(verified.status());
          return;
        }
        v1::Backup backup = BackupMessage(*verified, dir);
        backup.set_verified(true);
        AuditEvent event("backup.verify", {},
                         absl::StrCat("backup ", verified->id, " in ", dir, ": intact"));
        AuditThenReply(*writer_, caller, std::move(event), std::move(backup), std::move(reply));
      });
}

}  // namespace feedback
