// feedbackctl admin erase | admin purge | admin hold set|release|list
#include "client/cli_common.h"

namespace feedback::client {

void AddErasureCommands(CLI::App&, CliContext&) {}

}  // namespace feedback::client
