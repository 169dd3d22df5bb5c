// feedbackctl's command line: global flags, every command, their examples.
#include "client/cli/cli_app.h"

#include "client/cli/cli_completion.h"
#include "client/cli/cli_examples.h"
#include "client/cli/exit_codes.h"

namespace feedback::client {

void AddFeedbackctl(CLI::App& app, CliContext& context) {
  app.require_subcommand(1);
  // A global flag given twice takes its last value, so a wrapper script's defaults can be
  // overridden by adding the flag again.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // Global flags go before or after the command (`summary --quarter 2018-19Q3 --json`): a flag
  // a command does not know falls through to here. Set before the commands are added, which
  // inherit it.
  app.fallthrough();
  app.add_option("--server", context.server, "feedbackd address host:port")
      ->capture_default_str()
      ->envname("FEEDBACK_SERVER");
  app.add_option("--token-file", context.token_file,
                 "file holding the bearer token (default: $FEEDBACK_TOKEN_FILE, else the token "
                 "itself in $FEEDBACK_TOKEN)");
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
  app.footer(
      "Global flags may come before or after the command. A flag beats its environment "
      "variable:\n"
      "  --server      else $FEEDBACK_SERVER, else 127.0.0.1:50051\n"
      "  --token-file  else $FEEDBACK_TOKEN_FILE, else the token itself in $FEEDBACK_TOKEN\n"
      "  --outbox      else $FEEDBACK_OUTBOX, else $HOME/.local/state/feedbackctl/outbox\n\n" +
      ExitCodesHelp());
  AddFeedbackCommands(app, context);
  AddComplaintCommands(app, context);
  AddAdvocacyCommands(app, context);
  AddQualityCheckCommands(app, context);
  AddOversightCommands(app, context);
  AddNarrativeCommands(app, context);
  AddReportingCommands(app, context);
  AddOutboxCommands(app, context);
  AddReportCommands(app, context);
  AddImportCommands(app, context);
  AddKioskCommands(app, context);
  AddAdminCommands(app, context);
  AddBackupCommands(app, context);
  AddQuoteCommands(app, context);
  AddDemoCommands(app, context);
  AddErasureCommands(app, context);
  AddPublishCommands(app, context);
  AddEnrolCommands(app, context);
  AddBenchCommand(app, context);
  AddCompletionCommand(app, context);  // last but one: its script lists every command above
  AddExamplesToHelp(app);
}

}  // namespace feedback::client
