// `feedbackd admin ...`: offline tooling that works on a stopped server's store, in the server
// binary (feedbackctl holds no store code): `feedbackd admin token issue`, which issues the first
// admin token of an install, and `feedbackd admin restore`, which restores a backup.
#ifndef FEEDBACK_SERVICE_ADMIN_COMMAND_H_
#define FEEDBACK_SERVICE_ADMIN_COMMAND_H_

#include <cstdint>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace feedback {

// Restores backup `backup_id` (0: the latest) of `backup_dir` into the new or empty `data_dir`
// (storage::RestoreBackup) and says on stdout which backup it restored.
[[nodiscard]] absl::Status RestoreAndSay(const std::string& backup_dir, uint32_t backup_id,
                                         const std::string& data_dir);

// Adds the `admin` subcommand group to feedbackd's `app`. The command that runs sets
// `*exit_code`: 0 on success, 1 on failure (the message on stderr, "feedbackd: CODE: message").
// `exit_code` must outlive the parse of `app`.
void AddAdminCommands(CLI::App& app, int* exit_code);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_ADMIN_COMMAND_H_
