#include "service/config_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

// Parse errors come back as values: no exception leaves this file.
#define TOML_EXCEPTIONS 0
#include "toml++/toml.h"

namespace feedback {
namespace {

// Settings that must be given where they are meant: a file names none of them.
bool OnlyOnTheCommandLine(const std::string& flag) {
  return flag == "--config" || flag == "--check-config" || flag == "--help" ||
         flag == "--restore-from" || flag == "--restore-backup-id";
}

absl::Status AtLine(const std::string& path, int line, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", message));
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// The text of a scalar value as a flag takes it; nullopt for a table, array or date.
std::optional<std::string> ScalarText(const toml::node& value) {
  if (const auto* text = value.as_string()) return text->get();
  if (const auto* number = value.as_integer()) return absl::StrCat(number->get());
  if (const auto* real = value.as_floating_point()) return absl::StrCat(real->get());
  return std::nullopt;
}

absl::Status AddRateLimits(const std::string& path, const toml::table& table,
                           std::vector<ConfigSetting>& settings) {
  for (const auto& [role, value] : table) {
    const auto* calls = value.as_integer();
    if (calls == nullptr) {
      return AtLine(path, LineOf(value),
                    absl::StrCat("rate_limit.", std::string(role.str()),
                                 ": expected a whole number of calls a minute, e.g. kiosk = 30"));
    }
    settings.push_back(
        {LineOf(value),
         "--rate-limit",
         {"--rate-limit", absl::StrCat(std::string(role.str()), "=", calls->get())}});
  }
  return absl::OkStatus();
}

absl::Status AddSetting(const std::string& path, const std::string& key, const toml::node& value,
                        const CLI::App& app, std::vector<ConfigSetting>& settings) {
  const int line = LineOf(value);
  const std::string flag = "--" + absl::StrReplaceAll(key, {{"_", "-"}});
  if (flag == "--rate-limit" && value.is_table()) {
    return AddRateLimits(path, *value.as_table(), settings);
  }
  const CLI::Option* option = app.get_option_no_throw(flag);
  if (option == nullptr || OnlyOnTheCommandLine(flag)) {
    return AtLine(
        path, line,
        absl::StrCat("\"", key, "\" is not a setting",
                     OnlyOnTheCommandLine(flag) ? " a file may hold (give it as a flag)"
                                                : " of feedbackd (settings are its flags "
                                                  "without the dashes: feedbackd --help)"));
  }
  ConfigSetting setting{line, flag, {}};
  if (const auto* on = value.as_boolean()) {
    if (option->get_expected_min() != 0) {
      return AtLine(path, line, absl::StrCat(key, ": expected a value, not true or false"));
    }
    if (on->get()) setting.args.push_back(flag);
  } else if (const auto* list = value.as_array()) {
    for (const toml::node& element : *list) {
      std::optional<std::string> text = ScalarText(element);
      if (!text.has_value()) {
        return AtLine(path, LineOf(element), absl::StrCat(key, ": expected text or a number"));
      }
      setting.args.insert(setting.args.end(), {flag, *text});
    }
  } else if (std::optional<std::string> text = ScalarText(value); text.has_value()) {
    if (option->get_expected_min() == 0) {
      return AtLine(path, line, absl::StrCat(key, ": expected true or false"));
    }
    setting.args = {flag, *text};
  } else {
    return AtLine(path, line, absl::StrCat(key, ": expected text, a number, true or false"));
  }
  settings.push_back(std::move(setting));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ConfigSetting>> ReadConfigFile(const std::string& path,
                                                          const CLI::App& app) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::FailedPreconditionError(absl::StrCat(path, ": cannot read"));
  std::stringstream text;
  text << file.rdbuf();
  toml::parse_result parsed = toml::parse(text.str(), path);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return AtLine(path, static_cast<int>(error.source().begin.line),
                  absl::StrCat("not TOML: ", std::string(error.description())));
  }
  std::vector<ConfigSetting> settings;
  for (const auto& [key, value] : parsed.table()) {
    if (absl::Status added = AddSetting(path, std::string(key.str()), value, app, settings);
        !added.ok()) {
      return added;
    }
  }
  return settings;
}

int LineOfMessage(const std::vector<ConfigSetting>& settings, const std::string& message) {
  size_t first = std::string::npos;
  int line = 0;
  for (const ConfigSetting& setting : settings) {
    const size_t at = message.find(setting.flag);
    if (at != std::string::npos && at < first) {
      first = at;
      line = setting.line;
    }
  }
  return line;
}

}  // namespace feedback
