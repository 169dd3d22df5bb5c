// feedbackctl kiosk  (being written)
#include "client/cli_common.h"

namespace feedback::client {
void AddKioskCommands(CLI::App&, CliContext&) {}
}  // namespace feedback::client
