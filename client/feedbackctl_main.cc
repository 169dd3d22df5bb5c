// feedbackctl: the command-line client of feedbackd. `feedbackctl --help` lists the commands.
#include "client/cli/cli_app.h"
#include "client/cli/cli_suggest.h"

int main(int argc, char** argv) {
  using namespace feedback::client;
  // What the server sends (children's words, notes, error messages) never acts on the terminal
  // it is shown on: control characters are shown as escapes (docs/security.md).
  TerminalOutput terminal;
  CLI::App app{"feedbackctl: submit and read feedback held by feedbackd"};
  CliContext context;
  // Runs after the flags are parsed, before any command: --json output is exact JSON.
  app.parse_complete_callback([&context, &terminal] {
    if (context.json) terminal.KeepStdoutExact();
  });
  AddFeedbackctl(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    // The word not understood, and the closest that would have been ("did you mean --quarter?").
    std::cerr << "feedbackctl: " << ExplainParseError(app, error) << std::endl;
    return kExitUsage;
  }
  return context.exit_code;
}
