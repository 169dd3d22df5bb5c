#include "storage/rocks_support.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/file_system.h"

namespace feedback::storage {
namespace {

namespace fs = std::filesystem;

// A write-ahead log whose size changes only once every kWriteAheadLogStep bytes.
//
// A submission is acknowledged once its group is in the log and the log is synced. RocksDB
// reserves the log's room ahead (64 MiB here) without changing its size, so each write makes
// the log longer, and each sync must write that new length to ext4's journal as well as the
// data: on this project's machine some 35 µs more a sync, on average, than into a file already
// that long (docs/performance.md, twenty-seventh pass; tests/bench/sync_bench.cc). So the log's
// room is reserved with its size, a few MiB at a time. A crash may leave up to that much of
// zeros after the last record: RocksDB's log reader skips zeros, which it takes for preallocated
// space, and RocksDB trims a log to what it holds when it closes it.
constexpr size_t kWriteAheadLogStep = 4 << 20;

class WriteAheadLogFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  explicit WriteAheadLogFile(std::unique_ptr<rocksdb::FSWritableFile> file)
      : FSWritableFileOwnerWrapper(std::move(file)) {}
  void SetPreallocationBlockSize(size_t size) override {
    FSWritableFileOwnerWrapper::SetPreallocationBlockSize(std::min(size, kWriteAheadLogStep));
  }
};

// RocksDB names its write-ahead logs NNNNNN.log (its info log is LOG, made by NewLogger).
bool IsWriteAheadLog(const std::string& name) {
  const std::string file = fs::path(name).filename().string();
  constexpr std::string_view kSuffix = ".log";
  if (file.size() <= kSuffix.size() || !file.ends_with(kSuffix)) return false;
  return std::all_of(file.begin(), file.end() - kSuffix.size(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// RocksDB creates its files with mode 0644 less the process's umask: private under feedbackd
// (umask 077), but readable by everyone when another process made the store (the first
// `admin token issue --data-dir` runs under the user's umask, usually 022). This file system
// makes every file RocksDB creates 0600 before anything is written to it, whatever the umask,
// and makes each write-ahead log a WriteAheadLogFile.
class PrivateFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  PrivateFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FeedbackPrivateFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    if (!IsWriteAheadLog(name)) {
      return Private(name, target()->NewWritableFile(name, options, file, debug));
    }
    rocksdb::FileOptions log_options = options;
    log_options.fallocate_with_keep_size = false;
    rocksdb::IOStatus created = target()->NewWritableFile(name, log_options, file, debug);
    if (created.ok()) *file = std::make_unique<WriteAheadLogFile>(std::move(*file));
    return Private(name, std::move(created));
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* debug) override {
    return Private(name, target()->ReopenWritableFile(name, options, file, debug));
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* file,
                                      rocksdb::IODebugContext* debug) override {
    return Private(name, target()->ReuseWritableFile(name, old_name, options, file, debug));
  }
  rocksdb::IOStatus NewRandomRWFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    return Private(name, target()->NewRandomRWFile(name, options, file, debug));
  }
  rocksdb::IOStatus NewLogger(const std::string& name, const rocksdb::IOOptions& options,
                              std::shared_ptr<rocksdb::Logger>* logger,
                              rocksdb::IODebugContext* debug) override {
    return Private(name, target()->NewLogger(name, options, logger, debug));
  }
  rocksdb::IOStatus LockFile(const std::string& name, const rocksdb::IOOptions& options,
                             rocksdb::FileLock** lock, rocksdb::IODebugContext* debug) override {
    return Private(name, target()->LockFile(name, options, lock, debug));
  }
  // Folders (a backup's meta/, private/, shared_checksum/) are their owner's alone.
  rocksdb::IOStatus CreateDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* debug) override {
    return PrivateDir(name, target()->CreateDir(name, options, debug));
  }
  rocksdb::IOStatus CreateDirIfMissing(const std::string& name, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* debug) override {
    return PrivateDir(name, target()->CreateDirIfMissing(name, options, debug));
  }

 private:
  static rocksdb::IOStatus Private(const std::string& name, rocksdb::IOStatus created) {
    if (created.ok() && chmod(name.c_str(), S_IRUSR | S_IWUSR) != 0) {
      return rocksdb::IOStatus::IOError("cannot make " + name + " private (mode 600)");
    }
    return created;
  }
  static rocksdb::IOStatus PrivateDir(const std::string& name, rocksdb::IOStatus created) {
    if (created.ok() && chmod(name.c_str(), S_IRWXU) != 0) {
      return rocksdb::IOStatus::IOError("cannot make " + name + " private (mode 700)");
    }
    return created;
  }
};

absl::Status CannotMakePrivate(const fs::path& path, const char* mode, const std::error_code& e) {
  return absl::FailedPreconditionError(absl::StrCat("folder ", path.parent_path().string(),
                                                    ": cannot make ", path.string(),
                                                    " private (mode ", mode, "): ", e.message()));
}

}  // namespace

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(std::string(what), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return absl::UnavailableError(message);
  if (s.IsIOError()) {  // includes a full disk (IOError: No space left on device)
    return absl::UnavailableError(absl::StrCat(
        std::string(what), ": the store's disk is full or failing, nothing was written (",
        s.ToString(), ")"));
  }
  if (s.IsInvalidArgument()) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

rocksdb::Env* PrivateEnv() {
  static rocksdb::Env* const env =
      rocksdb::NewCompositeEnv(std::make_shared<PrivateFileSystem>()).release();
  return env;
}

absl::Status MakeFolderPrivate(const std::string& dir, bool recursive) {
  std::error_code error;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("folder ", dir, ": cannot make it private (mode 700): ", error.message()));
  }
  const fs::perms loose = fs::perms::group_all | fs::perms::others_all | fs::perms::owner_exec;
  for (fs::directory_iterator it(dir, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    std::error_code ignored;  // a file RocksDB removed meanwhile needs no change
    const fs::file_status status = it->symlink_status(ignored);
    if (recursive && fs::is_directory(status)) {
      if (absl::Status inner = MakeFolderPrivate(it->path().string(), true); !inner.ok()) {
        return inner;
      }
      continue;
    }
    if (!fs::is_regular_file(status) || (status.permissions() & loose) == fs::perms::none) continue;
    std::error_code changed;
    fs::permissions(it->path(), fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, changed);
    if (changed && changed != std::errc::no_such_file_or_directory) {
      return CannotMakePrivate(it->path(), "600", changed);
    }
  }
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("folder ", dir, ": cannot list: ", error.message()));
  }
  return absl::OkStatus();
}

}  // namespace feedback::storage
