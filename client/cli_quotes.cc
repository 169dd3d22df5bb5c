// feedbackctl quotes list | approve | withdraw
#include "client/cli_common.h"

namespace feedback::client {

void AddQuoteCommands(CLI::App&, CliContext&) {}

}  // namespace feedback::client
