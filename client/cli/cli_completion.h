// feedbackctl completion bash: a bash completion script made from feedbackctl's own command and
// flag definitions, so that it never lists a command or flag the program does not have.
#ifndef FEEDBACK_CLIENT_CLI_CLI_COMPLETION_H_
#define FEEDBACK_CLIENT_CLI_CLI_COMPLETION_H_

#include <string>

#include "CLI/CLI.hpp"
#include "client/cli/cli_common.h"

namespace feedback::client {

// The bash completion script for `app` (the root): it completes command names, the flags each
// command accepts (its own and, since they may come anywhere, the global ones), and leaves a
// flag's value to bash's default (file names).
std::string BashCompletionScript(const CLI::App& app);

// Adds `completion bash`, which prints BashCompletionScript(app). Add it after every other
// command, so that the script knows them all.
void AddCompletionCommand(CLI::App& app, CliContext& context);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_COMPLETION_H_
