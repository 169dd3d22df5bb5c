// A cap on what feedbackd writes to its log because of something a client sent, so that no
// client can fill the disk or drown real errors by sending many bad requests.
#ifndef FEEDBACK_SERVICE_CORE_LOG_LIMIT_H_
#define FEEDBACK_SERVICE_CORE_LOG_LIMIT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace feedback {

// At most `lines` lines per `interval` (fixed windows, the first starting at the first line).
// Lines past the limit are dropped and counted, so that the next line written can say how many
// were. Thread-safe.
class LogRateLimit {
 public:
  LogRateLimit(int lines, absl::Duration interval) : lines_(lines), interval_(interval) {}

  // For a line offered at `now`: nullopt if it must be dropped; else how many lines were
  // dropped since the last one admitted (0 usually).
  std::optional<int64_t> Admit(absl::Time now);

 private:
  const int lines_;
  const absl::Duration interval_;
  absl::Mutex mutex_;
  absl::Time window_start_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  int written_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t dropped_ ABSL_GUARDED_BY(mutex_) = 0;
};

// Protobuf's own log lines (e.g. "String field ... contains invalid UTF-8 data"): at most
// kProtobufLogLines per kProtobufLogInterval are written.
inline constexpr int kProtobufLogLines = 10;
inline constexpr absl::Duration kProtobufLogInterval = absl::Minutes(1);

// Routes protobuf's log lines through a LogRateLimit(kProtobufLogLines, kProtobufLogInterval)
// to `sink` (default: stderr), each as "feedbackd: protobuf LEVEL file:line: message\n"; the
// first line written after some were dropped is preceded by "feedbackd: N protobuf log lines
// not written (at most 10 every 1m)\n". A FATAL line is always written. Call once at start-up,
// before any thread uses protobuf (protobuf's SetLogHandler is not thread-safe); calling it again
// replaces sink and limit.
void LimitProtobufLog(std::function<void(std::string_view)> sink = nullptr);

// Lines about damage the server found (a stored record that does not parse), for the operator:
// at most kServerLogLines per kServerLogInterval are written, because a client can make the
// server meet the same damage again and again (every WatchAlerts call reads the backlog).
inline constexpr int kServerLogLines = 10;
inline constexpr absl::Duration kServerLogInterval = absl::Minutes(1);

// Writes "feedbackd: <line>\n" to stderr within that limit; the first line written after some
// were dropped is preceded by "feedbackd: N server log lines not written (at most 10 every
// 1m)\n". `line` must never hold people's words or a token: name keys and ids only.
// Thread-safe.
void LogServerError(std::string_view line);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_LOG_LIMIT_H_
