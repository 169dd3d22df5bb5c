// `feedbackd admin ...`: offline tooling that works on a stopped server's store, in the server
// binary (feedbackctl holds no store code). Today: `feedbackd admin token issue`, which issues
// the first admin token of an install.
#ifndef FEEDBACK_SERVICE_ADMIN_COMMAND_H_
#define FEEDBACK_SERVICE_ADMIN_COMMAND_H_

#include "CLI/CLI.hpp"

namespace feedback {

// Adds the `admin` subcommand group to feedbackd's `app`. The command that runs sets
// `*exit_code`: 0 on success, 1 on failure (the message on stderr, "feedbackd: CODE: message").
// `exit_code` must outlive the parse of `app`.
void AddAdminCommands(CLI::App& app, int* exit_code);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_ADMIN_COMMAND_H_
