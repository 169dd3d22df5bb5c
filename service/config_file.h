// feedbackd's configuration file: TOML whose keys are feedbackd's flags without their dashes
// (`data_dir = "/var/lib/feedbackd/store"`, `min_free_disk_mb = 128`, `allow_insecure = true`),
// and a `[rate_limit]` table of role = calls a minute. The file becomes flags placed before the
// command line's, so a flag given on the command line wins. deploy/config/feedbackd.toml is the
// documented example.
#ifndef FEEDBACK_SERVICE_CONFIG_FILE_H_
#define FEEDBACK_SERVICE_CONFIG_FILE_H_

#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"

namespace feedback {

// One setting of the file, as the flags it stands for.
struct ConfigSetting {
  int line = 0;                   // 1-based, in the file
  std::string flag;               // e.g. "--data-dir"
  std::vector<std::string> args;  // e.g. {"--data-dir", "/var/lib/feedbackd/store"}
};

// The settings of the TOML file `path`, checked against the options of `app`. INVALID_ARGUMENT
// naming the file and the line ("feedbackd.toml:7: ...") for a file that is not TOML, a key that
// is no flag of feedbackd (or one that must not be in a file: --config, --restore-from), or a
// value of a type the flag cannot take. FAILED_PRECONDITION if the file cannot be read.
[[nodiscard]] absl::StatusOr<std::vector<ConfigSetting>> ReadConfigFile(const std::string& path,
                                                                        const CLI::App& app);

// The line of the setting whose flag `message` names first (CLI11 and feedbackd's own messages
// start with the flag), or 0.
int LineOfMessage(const std::vector<ConfigSetting>& settings, const std::string& message);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CONFIG_FILE_H_
