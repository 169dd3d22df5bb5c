// feedbackd's log: one line per event on stderr, as text ("feedbackd: message (key=value, ...)")
// or JSON lines ({"time":"...","level":"info","message":"...","key":"value"}), chosen by
// --log-format, at or above --log-level. Callers pass operational facts only: never a word anyone
// wrote, a token, or a status message (which may quote what a client sent).
#ifndef FEEDBACK_SERVICE_CORE_LOG_H_
#define FEEDBACK_SERVICE_CORE_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace feedback {

enum class LogFormat { kText, kJson };
enum class LogLevel { kDebug, kInfo, kWarning, kError };

// "text" or "json"; "debug", "info", "warning" or "error". INVALID_ARGUMENT naming `flag`.
[[nodiscard]] absl::StatusOr<LogFormat> ParseLogFormat(std::string_view text,
                                                       std::string_view flag);
[[nodiscard]] absl::StatusOr<LogLevel> ParseLogLevel(std::string_view text, std::string_view flag);

// Sets the format and the lowest level written, for the whole process. Default: text, info.
// Call before serving.
void ConfigureLog(LogFormat format, LogLevel minimum);

// True if a line at `level` would be written.
bool LogEnabled(LogLevel level);

// Writes one line (one write(2), so lines of concurrent callers never interleave).
void Log(LogLevel level, std::string_view message,
         std::initializer_list<std::pair<std::string_view, std::string>> fields = {});

// A new id for one request, e.g. "r-3f9c0a1b22d47e65": in its log line and sent back to the
// caller (x-request-id), so that a call someone reports can be found in the log.
std::string NewRequestId();

// The log's level for a call that ended with `code` (a gRPC code name or an HTTP status):
// warning when the server failed it; debug otherwise, refusals included, so that no client can
// fill the log by sending calls the server refuses.
LogLevel CallLogLevel(std::string_view code);

// One answered call, at CallLogLevel(code): "call" with door, method, code, ms and request_id.
void LogCall(std::string_view door, std::string_view method, std::string_view code,
             absl::Duration took, const std::string& request_id);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_LOG_H_
