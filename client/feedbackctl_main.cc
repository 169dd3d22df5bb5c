// feedbackctl: the command-line client of feedbackd. `feedbackctl --help` lists the commands.
#include "client/cli/cli_common.h"

int main(int argc, char** argv) {
  using namespace feedback::client;
  // What the server sends (children's words, notes, error messages) never acts on the terminal
  // it is shown on: control characters are shown as escapes (docs/security.md).
  TerminalOutput terminal;
  CLI::App app{"feedbackctl: submit and read feedback held by feedbackd"};
  app.require_subcommand(1);
  CliContext context;
  // Runs after the flags are parsed, before any command: --json output is exact JSON.
  app.parse_complete_callback([&context, &terminal] {
    if (context.json) terminal.KeepStdoutExact();
  });
  // A global flag given twice takes its last value, so a wrapper script's defaults can be
  // overridden by adding the flag again.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--server", context.server, "feedbackd address host:port")->capture_default_str();
  app.add_option("--token-file", context.token_file,
                 "file holding the bearer token (default: $FEEDBACK_TOKEN)");
  app.add_option("--tls-ca", context.tls_ca,
                 "PEM CA file that signed the server's certificate: connect with TLS");
  app.add_option("--tls-cert", context.tls_cert, "client certificate (PEM) for mutual TLS");
  app.add_option("--tls-key", context.tls_key, "private key (PEM) of --tls-cert");
  app.add_flag("--insecure", context.insecure,
               "allow plaintext to a --server that is not on loopback (tokens would be exposed)");
  app.add_flag("--json", context.json, "machine-readable output (protobuf JSON mapping)");
  app.add_option("--timeout", context.timeout_seconds, "deadline of each call, in seconds")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--outbox", context.outbox,
                 "offline outbox folder, one subfolder per --server (default: $FEEDBACK_OUTBOX, "
                 "else $HOME/.local/state/feedbackctl/outbox)");
  AddFeedbackCommands(app, context);
  AddComplaintCommands(app, context);
  AddAdvocacyCommands(app, context);
  AddReportingCommands(app, context);
  AddOutboxCommands(app, context);
  AddReportCommands(app, context);
  AddKioskCommands(app, context);
  AddAdminCommands(app, context);
  AddQuoteCommands(app, context);
  AddErasureCommands(app, context);
  AddPublishCommands(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return kExitUsage;
  }
  return context.exit_code;
}
