#include "service/admin_command.h"

#include <iostream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "proto/vocabulary/token_issue.h"
#include "service/ops/tokens.h"
#include "storage/backups.h"

namespace feedback {
namespace {

struct OfflineIssueFlags {
  TokenIssueFlags request;
  std::string data_dir;
  std::string out;  // set: write the secret to this new file (mode 0600), not to stdout
};

int Fail(const absl::Status& status) {
  std::cerr << "feedbackd: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
            << std::endl;
  return 1;
}

// Issues the token on the store in flags.data_dir (refused while a server holds it) and prints
// it as `feedbackctl admin token issue` does: the secret alone on the last line of stdout, or
// into the new private file of --out.
int RunOfflineIssue(const OfflineIssueFlags& flags) {
  absl::StatusOr<v1::IssueTokenRequest> request = TokenIssueRequest(flags.request, absl::Now());
  if (!request.ok()) return Fail(request.status());
  absl::StatusOr<IssuedToken> issued =
      IssueWithOut(flags.out, [&] { return IssueTokenOffline(flags.data_dir, *request); });
  if (!issued.ok()) return Fail(issued.status());
  std::cout << FormatIssued(*issued, flags.out, DisplayZone()) << std::flush;
  return 0;
}

struct RestoreFlags {
  std::string from;
  std::string data_dir;
  uint32_t backup_id = 0;
};

}  // namespace

absl::Status RestoreAndSay(const std::string& backup_dir, uint32_t backup_id,
                           const std::string& data_dir) {
  absl::StatusOr<storage::BackupInfo> restored =
      storage::RestoreBackup(backup_dir, backup_id, data_dir);
  if (!restored.ok()) return restored.status();
  std::cout << "feedbackd: restored backup " << restored->id << " (taken "
            << absl::FormatTime("%Y-%m-%d %H:%M:%S %Z",
                                absl::FromUnixSeconds(restored->created_at_unix), DisplayZone())
            << ", " << restored->file_count << " files, every checksum matched) from " << backup_dir
            << " into " << data_dir << std::endl;
  return absl::OkStatus();
}

void AddAdminCommands(CLI::App& app, int* exit_code) {
  CLI::App* admin =
      app.add_subcommand("admin", "offline tooling on a stopped server's store (no server runs)");
  admin->require_subcommand(1);
  CLI::App* token = admin->add_subcommand("token", "access tokens");
  token->require_subcommand(1);

  auto flags = std::make_shared<OfflineIssueFlags>();
  CLI::App* issue = token->add_subcommand(
      "issue",
      "issue a token directly on the store of a stopped server (the first admin token of an "
      "install); its secret is printed once, alone on the last line of stdout. While the server "
      "runs, use `feedbackctl --server ... admin token issue` with an admin token instead");
  issue->add_option("--role", flags->request.role, "kiosk, advocate, qa_manager, reporter or admin")
      ->required();
  issue->add_option("--device", flags->request.device, "device name, e.g. the kiosk's tablet");
  issue->add_option("--expires-in-days", flags->request.expires_in_days, "lifetime in days")
      ->capture_default_str();
  issue
      ->add_option("--data-dir", flags->data_dir,
                   "folder of the store (created if missing); no server may be running on it")
      ->required();
  issue->add_option("--out", flags->out,
                    "write the token to this new file, readable only by you (mode 600), "
                    "instead of printing it; an existing file is never overwritten");
  issue->callback([exit_code, flags] { *exit_code = RunOfflineIssue(*flags); });

  auto restore_flags = std::make_shared<RestoreFlags>();
  CLI::App* restore = admin->add_subcommand(
      "restore",
      "restore a backup (made by `feedbackctl admin backup --to DIR`) into a new store and stop; "
      "`feedbackd --restore-from DIR --data-dir NEW` does the same and then serves");
  restore->add_option("--from", restore_flags->from, "the backup folder")->required();
  restore
      ->add_option("--data-dir", restore_flags->data_dir,
                   "the new store's folder: missing or empty (a store is never overwritten)")
      ->required();
  restore->add_option("--id", restore_flags->backup_id, "which backup (default: the latest)");
  restore->callback([exit_code, restore_flags] {
    const absl::Status restored =
        RestoreAndSay(restore_flags->from, restore_flags->backup_id, restore_flags->data_dir);
    *exit_code = restored.ok() ? 0 : Fail(restored);
  });
}

}  // namespace feedback
