#include "service/core/log_limit.h"

#include <cstdio>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"

namespace feedback {
namespace {

struct ProtobufLog {
  std::function<void(std::string_view)> sink;
  LogRateLimit limit{kProtobufLogLines, kProtobufLogInterval};
};

// Set before any thread logs through protobuf (LimitProtobufLog's contract); read-only after.
ProtobufLog* protobuf_log = nullptr;

void WriteToStderr(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

const char* LevelName(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return "INFO";
    case google::protobuf::LOGLEVEL_WARNING:
      return "WARNING";
    case google::protobuf::LOGLEVEL_ERROR:
      return "ERROR";
    case google::protobuf::LOGLEVEL_FATAL:
      return "FATAL";
  }
  return "?";
}

void HandleProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  std::string text = absl::StrCat("feedbackd: protobuf ", LevelName(level), " ", filename, ":",
                                  line, ": ", message, "\n");
  if (level != google::protobuf::LOGLEVEL_FATAL) {
    const std::optional<int64_t> dropped = protobuf_log->limit.Admit(absl::Now());
    if (!dropped.has_value()) return;
    if (*dropped > 0) {
      text = absl::StrCat("feedbackd: ", *dropped, " protobuf log lines not written (at most ",
                          kProtobufLogLines, " every ", absl::FormatDuration(kProtobufLogInterval),
                          ")\n", text);
    }
  }
  protobuf_log->sink(text);
}

}  // namespace

std::optional<int64_t> LogRateLimit::Admit(absl::Time now) {
  absl::MutexLock lock(&mutex_);
  if (now - window_start_ >= interval_) {
    window_start_ = now;
    written_ = 0;
  }
  if (written_ >= lines_) {
    ++dropped_;
    return std::nullopt;
  }
  ++written_;
  return std::exchange(dropped_, 0);
}

void LogServerError(std::string_view line) {
  static auto* const limit = new LogRateLimit(kServerLogLines, kServerLogInterval);
  const std::optional<int64_t> dropped = limit->Admit(absl::Now());
  if (!dropped.has_value()) return;
  std::string text;
  if (*dropped > 0) {
    text =
        absl::StrCat("feedbackd: ", *dropped, " server log lines not written (at most ",
                     kServerLogLines, " every ", absl::FormatDuration(kServerLogInterval), ")\n");
  }
  absl::StrAppend(&text, "feedbackd: ", std::string(line), "\n");
  WriteToStderr(text);
}

void LimitProtobufLog(std::function<void(std::string_view)> sink) {
  // Never freed: a thread might still be inside the handler when it is replaced. Replaced ones
  // stay reachable (not a leak to LeakSanitizer).
  static auto* const replaced = new std::vector<ProtobufLog*>();
  if (protobuf_log != nullptr) replaced->push_back(protobuf_log);
  protobuf_log = new ProtobufLog{.sink = sink != nullptr ? std::move(sink) : WriteToStderr};
  google::protobuf::SetLogHandler(HandleProtobufLog);
}

}  // namespace feedback
