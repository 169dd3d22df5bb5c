// One example per feedbackctl command, shown at the end of its --help ("Example:"), so that help
// teaches by showing a command line that works.
#ifndef FEEDBACK_CLIENT_CLI_CLI_EXAMPLES_H_
#define FEEDBACK_CLIENT_CLI_CLI_EXAMPLES_H_

#include <map>
#include <string>

#include "CLI/CLI.hpp"

namespace feedback::client {

// The command's path from the root, without the program: "admin token issue".
std::string CommandPath(const CLI::App& command);

// Every command's example, by CommandPath: the whole command line, "feedbackctl ..." (values
// look like real ones; an id such as fb_... stands for one the reader has). Checked by
// tests/unit/cli_examples_test.cc: every command has one, and each parses.
const std::map<std::string, std::string>& CommandExamples();

// Adds to every command under `root` (not `root` itself) a help footer with its example, or,
// for a command group, its commands' examples. Call it once every command is added.
void AddExamplesToHelp(CLI::App& root);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_EXAMPLES_H_
