#include "service/core/log.h"

#include <unistd.h>

#include <atomic>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace feedback {
namespace {

std::atomic<LogFormat> log_format{LogFormat::kText};
std::atomic<LogLevel> log_minimum{LogLevel::kInfo};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// A JSON string literal of `text`, every control character escaped.
std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, c));
    } else if (byte < 0x20 || byte == 0x7f) {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", byte));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

// Text for a terminal or a journal: control characters shown as \xNN, so a value stays on its
// line and cannot move the cursor.
std::string TextValue(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", byte));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void WriteLine(const std::string& line) {
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n <= 0) return;
    written += static_cast<size_t>(n);
  }
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(std::string_view text, std::string_view flag) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(flag), ": \"", TextValue(text), "\" is not text or json"));
}

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view text, std::string_view flag) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (text == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(absl::StrCat(std::string(flag), ": \"", TextValue(text),
                                                 "\" is not debug, info, warning or error"));
}

void ConfigureLog(LogFormat format, LogLevel minimum) {
  log_format = format;
  log_minimum = minimum;
}

bool LogEnabled(LogLevel level) { return level >= log_minimum.load(); }

void Log(LogLevel level, std::string_view message,
         std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  if (!LogEnabled(level)) return;
  std::string line;
  if (log_format.load() == LogFormat::kJson) {
    line = absl::StrCat(
        "{\"time\":",
        JsonString(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())),
        ",\"level\":\"", LevelName(level), "\",\"message\":", JsonString(message));
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, ",", JsonString(key), ":", JsonString(value));
    }
    line += "}\n";
  } else {
    line = absl::StrCat("feedbackd: ", TextValue(message));
    const char* separator = " (";
    for (const auto& [key, value] : fields) {
      absl::StrAppend(&line, separator, std::string(key), "=", TextValue(value));
      separator = ", ";
    }
    if (fields.size() > 0) line += ")";
    line += "\n";
  }
  WriteLine(line);
}

std::string NewRequestId() {
  // One generator per thread: every call of every door takes an id, so no lock and no format
  // string on that path.
  thread_local absl::BitGen bits;
  return absl::StrCat("r-", absl::Hex(absl::Uniform<uint64_t>(bits), absl::kZeroPad16));
}

LogLevel CallLogLevel(std::string_view code) {
  if (code == "INTERNAL" || code == "UNAVAILABLE" || code == "DATA_LOSS" || code == "UNKNOWN" ||
      code == "DEADLINE_EXCEEDED" || (!code.empty() && code[0] == '5')) {
    return LogLevel::kWarning;
  }
  return LogLevel::kDebug;
}

void LogCall(std::string_view door, std::string_view method, std::string_view code,
             absl::Duration took, const std::string& request_id) {
  const LogLevel level = CallLogLevel(code);
  if (!LogEnabled(level)) return;
  Log(level, "call",
      {{"door", std::string(door)},
       {"method", std::string(method)},
       {"code", std::string(code)},
       {"ms", absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(took))},
       {"request_id", request_id}});
}

}  // namespace feedback
