// feedbackctl admin token issue|list|revoke | admin audit
#include "client/cli_common.h"

namespace feedback::client {

void AddAdminCommands(CLI::App&, CliContext&) {}

}  // namespace feedback::client
