// feedbackctl's whole command line: global flags, every command, and the help that teaches.
#ifndef FEEDBACK_CLIENT_CLI_CLI_APP_H_
#define FEEDBACK_CLIENT_CLI_CLI_APP_H_

#include "CLI/CLI.hpp"
#include "client/cli/cli_common.h"

namespace feedback::client {

// Adds to `app` (the root, "feedbackctl") the global flags, bound to `context`, and every
// command, each with its example in its --help (client/cli/cli_examples.h). The commands write
// their exit code to context.exit_code. `app` and `context` must outlive the parse.
// Example:
//   CLI::App app{"feedbackctl"};
//   CliContext context;
//   AddFeedbackctl(app, context);
//   app.parse(argc, argv);  // runs the command given; CLI11 throws on a usage error
void AddFeedbackctl(CLI::App& app, CliContext& context);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_APP_H_
