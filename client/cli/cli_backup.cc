// feedbackctl admin backup --to DIR | admin backup list --to DIR | admin backup verify --to DIR:
// backups that the server takes of its own store, into a folder on its machine.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_output.h"
#include "client/cli/exit_codes.h"
#include "proto/vocabulary/listen_address.h"

namespace feedback::client {
namespace {

// Copying a large store takes minutes, far past the usual deadline of a call.
constexpr double kBackupTimeoutSeconds = 3600;

struct BackupFlags {
  std::string dir;
  uint32_t backup_id = 0;
  uint32_t keep = 0;
};

// The folder as the server must see it: absolute. A relative one is taken from this folder
// when the server is on this machine (the usual case); a remote server refuses it.
std::string BackupDirForServer(const CliContext& context, const std::string& dir) {
  const std::filesystem::path path(dir);
  if (path.is_relative() && !dir.empty() && IsLoopbackListen(context.server)) {
    std::error_code error;
    const std::filesystem::path absolute = std::filesystem::absolute(path, error);
    if (!error) return absolute.lexically_normal().string();
  }
  return dir;
}

std::string HumanBytes(uint64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " bytes");
  if (bytes < 1024 * 1024) return absl::StrFormat("%.1f KiB", bytes / 1024.0);
  if (bytes < 1024ull * 1024 * 1024) return absl::StrFormat("%.1f MiB", bytes / (1024.0 * 1024));
  return absl::StrFormat("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
}

// "backup 3  taken 2026-12-03 07:10  14 files, 1.2 MiB"
std::string FormatBackupLine(const v1::Backup& backup) {
  return absl::StrCat("backup ", backup.backup_id(), "  taken ", LocalMinute(backup.created_at()),
                      "  ", backup.file_count(), " files, ", HumanBytes(backup.size_bytes()));
}

int RunCreateBackup(CliContext context, const BackupFlags& flags) {
  context.timeout_seconds = std::max(context.timeout_seconds, kBackupTimeoutSeconds);
  v1::CreateBackupRequest request;
  request.set_dir(BackupDirForServer(context, flags.dir));
  request.set_keep(flags.keep);
  return CallAndPrint(
      context, &v1::FeedbackService::Stub::CreateBackup, request, [](const v1::Backup& backup) {
        return absl::StrCat(ForTerminalLine(FormatBackupLine(backup)), "\n", "  in ",
                            ForTerminalLine(backup.dir()), "\n",
                            "  check it: feedbackctl admin "
                            "backup verify --to ",
                            ForTerminalLine(backup.dir()), " --id ", backup.backup_id(), "\n");
      });
}

int RunListBackups(const CliContext& context, const BackupFlags& flags) {
  v1::ListBackupsRequest request;
  request.set_dir(BackupDirForServer(context, flags.dir));
  return CallAndPrint(context, &v1::FeedbackService::Stub::ListBackups, request,
                      [](const v1::ListBackupsResponse& response) {
                        std::string out;
                        for (const v1::Backup& backup : response.backups()) {
                          absl::StrAppend(&out, ForTerminalLine(FormatBackupLine(backup)), "\n");
                        }
                        return out;
                      });
}

int RunVerifyBackup(CliContext context, const BackupFlags& flags) {
  context.timeout_seconds = std::max(context.timeout_seconds, kBackupTimeoutSeconds);
  v1::VerifyBackupRequest request;
  request.set_dir(BackupDirForServer(context, flags.dir));
  request.set_backup_id(flags.backup_id);
  return CallAndPrint(context, &v1::FeedbackService::Stub::VerifyBackup, request,
                      [](const v1::Backup& backup) {
                        return absl::StrCat(ForTerminalLine(FormatBackupLine(backup)),
                                            ": every file matches its checksum\n");
                      });
}

void AddBackupDirFlag(CLI::App& command, BackupFlags& flags) {
  command
      .add_option("--to,--dir", flags.dir,
                  "backup folder on the server's machine, outside the store, e.g. "
                  "/var/backups/feedbackd (a relative path is taken from this folder when the "
                  "server runs on this machine)")
      ->required();
}

}  // namespace

void AddBackupCommands(CLI::App& app, CliContext& context) {
  CLI::App* admin = AdminCommand(app);
  auto flags = std::make_shared<BackupFlags>();
  CLI::App* backup = admin->add_subcommand(
      "backup",
      "back up the whole store while the server runs (incremental, checksummed) into a folder "
      "on the server's machine; `list` and `verify` read that folder. Restore with "
      "`feedbackd --restore-from DIR --data-dir NEW` (docs/operations.md)");
  backup->require_subcommand(0, 1);
  backup->add_option("--to", flags->dir,
                     "backup folder on the server's machine, outside the store, e.g. "
                     "/var/backups/feedbackd (created, mode 700; a relative path is taken from "
                     "this folder when the server runs on this machine)");

  backup->add_option("--keep", flags->keep,
                     "once the backup is taken, delete older ones beyond the newest N (default: "
                     "keep every backup)");

  auto list_flags = std::make_shared<BackupFlags>();
  CLI::App* list = backup->add_subcommand("list", "the backups in a backup folder, oldest first");
  AddBackupDirFlag(*list, *list_flags);
  list->callback(
      [&context, list_flags] { context.exit_code = RunListBackups(context, *list_flags); });

  auto verify_flags = std::make_shared<BackupFlags>();
  CLI::App* verify = backup->add_subcommand(
      "verify", "read every file of a backup and check it against its checksum");
  AddBackupDirFlag(*verify, *verify_flags);
  verify->add_option("--id", verify_flags->backup_id, "which backup (default: the latest)");
  verify->callback(
      [&context, verify_flags] { context.exit_code = RunVerifyBackup(context, *verify_flags); });

  backup->callback([&context, backup, flags] {
    if (!backup->get_subcommands().empty()) return;  // list or verify ran
    if (flags->dir.empty()) {
      context.exit_code =
          Report(UsageError("--to: required: the backup folder on the server's machine, e.g. "
                            "`admin backup --to /var/backups/feedbackd`"));
      return;
    }
    context.exit_code = RunCreateBackup(context, *flags);
  });
}

}  // namespace feedback::client
