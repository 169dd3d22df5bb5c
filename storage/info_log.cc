#include "storage/info_log.h"

#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace feedback::storage {
namespace {

// One line per call, each written with a single write() to an O_APPEND file, so lines from
// RocksDB's threads never interleave. A failed write (ENOSPC, EIO) drops the line: this log is
// for diagnosis, and nothing acknowledged depends on it.
class InfoLogFile final : public rocksdb::Logger {
 public:
  explicit InfoLogFile(int fd) : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), fd_(fd) {}
  ~InfoLogFile() override { CloseFile(); }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (fd_ < 0) return;
    std::string line = LinePrefix();
    AppendFormatted(line, format, ap);
    if (line.back() != '\n') line.push_back('\n');
    [[maybe_unused]] const ssize_t written = write(fd_, line.data(), line.size());
  }

 protected:
  rocksdb::Status CloseImpl() override {
    CloseFile();
    return rocksdb::Status::OK();
  }

 private:
  void CloseFile() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  // "2026/12/03-15:27:01.123456 4711 ", as RocksDB's own lines start: local time, thread id.
  static std::string LinePrefix() {
    timeval now{};
    gettimeofday(&now, nullptr);
    tm local{};
    localtime_r(&now.tv_sec, &local);
    char prefix[64];
    const int length = std::snprintf(
        prefix, sizeof prefix, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld %d ", local.tm_year + 1900,
        local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec,
        static_cast<long>(now.tv_usec), static_cast<int>(gettid()));
    return std::string(prefix, length > 0 ? static_cast<size_t>(length) : 0);
  }

  static void AppendFormatted(std::string& line, const char* format, va_list ap) {
    va_list measure;
    va_copy(measure, ap);
    const int length = std::vsnprintf(nullptr, 0, format, measure);
    va_end(measure);
    if (length <= 0) return;
    const size_t start = line.size();
    line.resize(start + static_cast<size_t>(length) + 1);
    std::vsnprintf(line.data() + start, static_cast<size_t>(length) + 1, format, ap);
    line.resize(start + static_cast<size_t>(length));
  }

  int fd_;
};

// The previous LOG becomes LOG.old.<microseconds since the epoch>: RocksDB's own name for it,
// which its clean-up of old info logs recognises. False if it is still there.
bool KeepPreviousLog(const std::filesystem::path& log) {
  timeval now{};
  gettimeofday(&now, nullptr);
  const int64_t micros = static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_usec;
  std::error_code error;
  std::filesystem::rename(log, absl::StrCat(log.string(), ".old.", micros), error);
  return !error || !std::filesystem::exists(log, error);
}

}  // namespace

std::shared_ptr<rocksdb::Logger> OpenInfoLog(const std::string& data_dir) {
  const std::filesystem::path log = std::filesystem::path(data_dir) / "LOG";
  // If the previous LOG cannot be renamed, it is continued rather than lost.
  const int truncate = KeepPreviousLog(log) ? O_TRUNC : 0;
  return std::make_shared<InfoLogFile>(
      open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | truncate, 0600));
}

}  // namespace feedback::storage
