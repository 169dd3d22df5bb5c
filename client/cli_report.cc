// feedbackctl report | export  (being written)
#include "client/cli_common.h"

namespace feedback::client {
void AddReportCommands(CLI::App&, CliContext&) {}
}  // namespace feedback::client
