// feedbackctl outbox status | flush  (being written)
#include "client/cli_common.h"

namespace feedback::client {
void AddOutboxCommands(CLI::App&, CliContext&) {}
}  // namespace feedback::client
