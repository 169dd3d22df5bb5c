#include "client/lib/outbox.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"

namespace feedback::client {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::TimeUtil;

constexpr absl::string_view kItemSuffix = ".pb";
constexpr absl::string_view kErrorSuffix = ".error";
constexpr absl::string_view kTempSuffix = ".tmp";
constexpr absl::string_view kRejectedDir = "rejected";
constexpr absl::string_view kServerFile = "server";
constexpr absl::string_view kLockFile = ".lock";
constexpr int kQueuedDigits = 17;

absl::Status ErrnoError(int error, absl::string_view what, const std::string& path) {
  const std::string message = absl::StrCat("outbox: ", what, " ", path, ": ", std::strerror(error));
  if (error == ENOSPC || error == EDQUOT) return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int Get() const { return fd_; }

 private:
  int fd_;
};

absl::Status FsyncDir(const std::string& dir) {
  Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.Get() < 0) return ErrnoError(errno, "cannot open folder", dir);
  if (fsync(fd.Get()) != 0) return ErrnoError(errno, "cannot fsync folder", dir);
  return absl::OkStatus();
}

// mkdir -p with mode 0700, fsyncing the parent of every folder it creates so the new folder
// itself survives a power cut.
absl::Status EnsureDir(const fs::path& dir) {
  struct stat info;
  if (stat(dir.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("outbox: ", dir.string(), " exists and is not a folder"));
  }
  const fs::path parent = dir.parent_path();
  if (!parent.empty() && parent != dir) {
    if (absl::Status s = EnsureDir(parent); !s.ok()) return s;
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoError(errno, "cannot create folder", dir.string());
  }
  return FsyncDir(parent.empty() ? "." : parent.string());
}

// Makes the folder `dir` 0700 if it is more open: an outbox folder made by hand, by an older
// version or restored from a copy may let others read what children and families said.
// OK if `dir` does not exist.
absl::Status MakePrivate(const std::string& dir) {
  struct stat info;
  if (lstat(dir.c_str(), &info) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoError(errno, "cannot inspect", dir);
  }
  if (!S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat("outbox: ", dir, " is not a folder"));
  }
  if ((info.st_mode & 07777) == 0700) return absl::OkStatus();
  if (chmod(dir.c_str(), 0700) != 0) {
    return ErrnoError(errno, "cannot make private (mode 700) the folder", dir);
  }
  return absl::OkStatus();
}

// A name no other writer (thread or process) uses at the same time.
std::string TempName(absl::string_view final_name) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(final_name, ".", getpid(), ".", counter.fetch_add(1), kTempSuffix);
}

absl::Status WriteAll(int fd, absl::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "cannot write", path);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// Writes `bytes` to dir/name so that a crash leaves either the old state or the whole file:
// a temporary file, fsynced, renamed into place, the folder fsynced.
absl::Status WriteFileAtomically(const std::string& dir, absl::string_view name,
                                 absl::string_view bytes) {
  const std::string temp = absl::StrCat(dir, "/", TempName(name));
  const std::string final_path = absl::StrCat(dir, "/", name);
  {
    Fd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.Get() < 0) return ErrnoError(errno, "cannot create", temp);
    absl::Status written = WriteAll(fd.Get(), bytes, temp);
    if (written.ok() && fsync(fd.Get()) != 0) written = ErrnoError(errno, "cannot fsync", temp);
    if (!written.ok()) {
      unlink(temp.c_str());
      return written;
    }
  }
  if (rename(temp.c_str(), final_path.c_str()) != 0) {
    const int error = errno;
    unlink(temp.c_str());
    return ErrnoError(error, "cannot rename into place", final_path);
  }
  return FsyncDir(dir);
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.Get() < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("outbox: no file ", path));
    return ErrnoError(errno, "cannot open", path);
  }
  std::string bytes;
  char buffer[16384];
  for (;;) {
    const ssize_t n = read(fd.Get(), buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "cannot read", path);
    }
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return bytes;
}

// File names in `dir` ending in `suffix`, sorted; an empty list if `dir` does not exist.
absl::StatusOr<std::vector<std::string>> ListNames(const std::string& dir,
                                                   absl::string_view suffix) {
  std::vector<std::string> names;
  std::error_code error;
  fs::directory_iterator it(dir, error);
  if (error == std::errc::no_such_file_or_directory) return names;
  if (error) {
    return absl::InternalError(absl::StrCat("outbox: cannot list ", dir, ": ", error.message()));
  }
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) break;
    std::string name = it->path().filename().string();
    if (absl::EndsWith(name, suffix) && !absl::StartsWith(name, ".")) {
      names.push_back(std::move(name));
    }
  }
  if (error) {
    return absl::InternalError(absl::StrCat("outbox: cannot list ", dir, ": ", error.message()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct ItemName {
  absl::Time queued_at;
  std::string submission_id;
};

// "<queued micros>-<submission_id>.pb"; nullopt for any other name.
std::optional<ItemName> ParseItemName(absl::string_view name) {
  if (!absl::ConsumeSuffix(&name, kItemSuffix)) return std::nullopt;
  const size_t dash = name.find('-');
  if (dash == absl::string_view::npos) return std::nullopt;
  int64_t micros = 0;
  if (!absl::SimpleAtoi(name.substr(0, dash), &micros)) return std::nullopt;
  return ItemName{absl::FromUnixMicros(micros), std::string(name.substr(dash + 1))};
}

std::string ItemFileName(absl::Time queued_at, absl::string_view submission_id) {
  return absl::StrFormat("%0*d-%s%s", kQueuedDigits, absl::ToUnixMicros(queued_at), submission_id,
                         kItemSuffix);
}

std::string Stem(absl::string_view name) {
  absl::ConsumeSuffix(&name, kItemSuffix);
  return std::string(name);
}

bool IsRejection(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
      return true;
    default:
      return false;
  }
}

std::string ErrorText(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
}

// Moves dir/name to dir/rejected/name with the reason beside it. The reason is written first:
// a crash in between leaves the item pending (to be tried again), never a reasonless rejection.
absl::Status Reject(const std::string& dir, const std::string& name, const absl::Status& why) {
  const std::string rejected = absl::StrCat(dir, "/", kRejectedDir);
  if (absl::Status s = EnsureDir(rejected); !s.ok()) return s;
  if (absl::Status s = MakePrivate(rejected); !s.ok()) return s;
  if (absl::Status s =
          WriteFileAtomically(rejected, Stem(name) + std::string(kErrorSuffix), ErrorText(why));
      !s.ok()) {
    return s;
  }
  const std::string from = absl::StrCat(dir, "/", name);
  const std::string to = absl::StrCat(rejected, "/", name);
  if (rename(from.c_str(), to.c_str()) != 0) return ErrnoError(errno, "cannot move", from);
  if (absl::Status s = FsyncDir(rejected); !s.ok()) return s;
  return FsyncDir(dir);
}

std::string ServerOf(const std::string& dir) {
  absl::StatusOr<std::string> server = ReadFile(absl::StrCat(dir, "/", kServerFile));
  return server.ok() ? std::string(absl::StripAsciiWhitespace(*server)) : "";
}

}  // namespace

absl::StatusOr<std::string> DefaultOutboxRoot() {
  const char* outbox = std::getenv("FEEDBACK_OUTBOX");
  if (outbox != nullptr && *outbox != '\0') return std::string(outbox);
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') {
    return absl::StrCat(home, "/.local/state/feedbackctl/outbox");
  }
  return absl::FailedPreconditionError(
      "outbox: neither --outbox, $FEEDBACK_OUTBOX nor $HOME is set");
}

std::string OutboxDirFor(const std::string& root, const std::string& server) {
  std::string folder = server.empty() ? "_" : server;
  for (char& c : folder) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
  }
  if (folder == "." || folder == "..") folder = "_";
  return (fs::path(root) / folder).string();
}

absl::StatusOr<Outbox> OutboxForServer(const std::string& root, const std::string& server) {
  if (!root.empty()) return Outbox(OutboxDirFor(root, server), server);
  absl::StatusOr<std::string> default_root = DefaultOutboxRoot();
  if (!default_root.ok()) return default_root.status();
  return Outbox(OutboxDirFor(*default_root, server), server);
}

Outbox::Outbox(std::string dir, std::string server)
    : dir_(std::move(dir)), server_(std::move(server)) {}

absl::StatusOr<std::string> Outbox::Add(const v1::Feedback& feedback, absl::Time queued_at) const {
  if (feedback.submission_id().empty()) {
    return absl::InvalidArgumentError("outbox: an item needs a submission_id");
  }
  if (absl::Status s = EnsureDir(dir_); !s.ok()) return s;
  if (absl::Status s = MakePrivate(dir_); !s.ok()) return s;
  const std::string server_file = absl::StrCat(dir_, "/", kServerFile);
  if (!server_.empty() && access(server_file.c_str(), F_OK) != 0) {
    if (absl::Status s = WriteFileAtomically(dir_, kServerFile, server_ + "\n"); !s.ok()) return s;
  }
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  std::string bytes;
  if (!request.SerializeToString(&bytes)) {
    return absl::InternalError("outbox: cannot serialize the item");
  }
  // The submission_id becomes part of a file name: keep it to safe characters.
  std::string id_for_name = feedback.submission_id();
  for (char& c : id_for_name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') c = '_';
  }
  const std::string name = ItemFileName(queued_at, id_for_name);
  if (absl::Status s = WriteFileAtomically(dir_, name, bytes); !s.ok()) return s;
  return absl::StrCat(dir_, "/", name);
}

absl::StatusOr<std::vector<PendingItem>> Outbox::Pending() const {
  absl::StatusOr<std::vector<std::string>> names = ListNames(dir_, kItemSuffix);
  if (!names.ok()) return names.status();
  std::vector<PendingItem> items;
  for (const std::string& name : *names) {
    const std::optional<ItemName> parsed = ParseItemName(name);
    if (!parsed.has_value()) continue;
    PendingItem item;
    item.path = absl::StrCat(dir_, "/", name);
    item.queued_at = parsed->queued_at;
    absl::StatusOr<std::string> bytes = ReadFile(item.path);
    if (absl::IsNotFound(bytes.status())) continue;  // sent by a concurrent flush
    if (!bytes.ok()) return bytes.status();
    if (!item.request.ParseFromString(*bytes)) continue;
    items.push_back(std::move(item));
  }
  return items;
}

absl::StatusOr<OutboxStatus> Outbox::Status() const {
  OutboxStatus status;
  status.dir = dir_;
  status.server = ServerOf(dir_);
  absl::StatusOr<std::vector<std::string>> names = ListNames(dir_, kItemSuffix);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    const std::optional<ItemName> parsed = ParseItemName(name);
    if (!parsed.has_value()) continue;
    if (status.pending++ == 0) {
      status.oldest_queued_at = parsed->queued_at;
      status.oldest_submission_id = parsed->submission_id;
    }
  }
  const std::string rejected_dir = absl::StrCat(dir_, "/", kRejectedDir);
  absl::StatusOr<std::vector<std::string>> rejected = ListNames(rejected_dir, kItemSuffix);
  if (!rejected.ok()) return rejected.status();
  for (const std::string& name : *rejected) {
    RejectedItem item;
    item.path = absl::StrCat(rejected_dir, "/", name);
    const std::optional<ItemName> parsed = ParseItemName(name);
    item.submission_id = parsed.has_value() ? parsed->submission_id : Stem(name);
    absl::StatusOr<std::string> error =
        ReadFile(absl::StrCat(rejected_dir, "/", Stem(name), kErrorSuffix));
    item.error = error.ok() ? std::string(absl::StripAsciiWhitespace(*error)) : "(no reason kept)";
    status.rejected.push_back(std::move(item));
  }
  return status;
}

absl::StatusOr<int> Outbox::RemoveStaleTemporaries(absl::Duration min_age) const {
  int removed = 0;
  for (const std::string& dir : {dir_, absl::StrCat(dir_, "/", kRejectedDir)}) {
    absl::StatusOr<std::vector<std::string>> names = ListNames(dir, kTempSuffix);
    if (!names.ok()) return names.status();
    for (const std::string& name : *names) {
      const std::string path = absl::StrCat(dir, "/", name);
      struct stat info;
      if (stat(path.c_str(), &info) != 0) continue;
      const absl::Time modified = absl::TimeFromTimespec(info.st_mtim);
      if (absl::Now() - modified < min_age) continue;
      if (unlink(path.c_str()) == 0) ++removed;
    }
  }
  return removed;
}

absl::StatusOr<FlushResult> Outbox::Flush(const SendFunction& send, bool wait_for_lock) const {
  FlushResult result;
  struct stat info;
  if (stat(dir_.c_str(), &info) != 0) return result;  // nothing was ever queued here
  if (absl::Status s = MakePrivate(dir_); !s.ok()) return s;
  if (absl::Status s = MakePrivate(absl::StrCat(dir_, "/", kRejectedDir)); !s.ok()) return s;

  const std::string lock_path = absl::StrCat(dir_, "/", kLockFile);
  Fd lock(open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (lock.Get() < 0) return ErrnoError(errno, "cannot open", lock_path);
  while (flock(lock.Get(), LOCK_EX | (wait_for_lock ? 0 : LOCK_NB)) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      result.skipped_locked = true;
      return result;
    }
    return ErrnoError(errno, "cannot lock", lock_path);
  }
  // The lock is released when `lock` is closed, also by a crash.

  if (absl::StatusOr<int> removed = RemoveStaleTemporaries(); !removed.ok()) {
    return removed.status();
  }
  absl::StatusOr<std::vector<std::string>> names = ListNames(dir_, kItemSuffix);
  if (!names.ok()) return names.status();
  bool removed_any = false;
  for (const std::string& name : *names) {
    const std::string path = absl::StrCat(dir_, "/", name);
    absl::StatusOr<std::string> bytes = ReadFile(path);
    if (absl::IsNotFound(bytes.status())) continue;
    if (!bytes.ok()) return bytes.status();
    v1::SubmitFeedbackRequest request;
    if (!ParseItemName(name).has_value() || !request.ParseFromString(*bytes) ||
        request.feedback().submission_id().empty()) {
      if (absl::Status s = Reject(dir_, name, absl::DataLossError("not a readable outbox item"));
          !s.ok()) {
        return s;
      }
      ++result.rejected;
      continue;
    }
    const absl::StatusOr<v1::SubmitFeedbackResponse> response = send(request);
    if (response.ok()) {
      // Acknowledged: only now is the file removed. A crash before the unlink sends it again
      // next time, and the server answers duplicate = true.
      if (unlink(path.c_str()) != 0) return ErrnoError(errno, "cannot remove", path);
      removed_any = true;
      ++result.sent;
      if (response->duplicate()) ++result.duplicates;
    } else if (IsRejection(response.status())) {
      if (absl::Status s = Reject(dir_, name, response.status()); !s.ok()) return s;
      ++result.rejected;
    } else {
      result.stopped = response.status();
      break;
    }
  }
  if (removed_any) {
    if (absl::Status s = FsyncDir(dir_); !s.ok()) return s;
  }
  absl::StatusOr<std::vector<std::string>> left = ListNames(dir_, kItemSuffix);
  if (!left.ok()) return left.status();
  result.pending = static_cast<int>(left->size());
  return result;
}

absl::StatusOr<FlushResult> Outbox::Flush(const FeedbackClient& client, bool wait_for_lock) const {
  return Flush(
      [&client](const v1::SubmitFeedbackRequest& request) {
        return client.Submit(request.feedback());
      },
      wait_for_lock);
}

absl::StatusOr<std::vector<OutboxStatus>> ListOutboxes(const std::string& root) {
  std::vector<OutboxStatus> outboxes;
  std::error_code error;
  fs::directory_iterator it(root, error);
  if (error == std::errc::no_such_file_or_directory) return outboxes;
  if (error) {
    return absl::InternalError(absl::StrCat("outbox: cannot list ", root, ": ", error.message()));
  }
  std::vector<std::string> dirs;
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) break;
    if (it->is_directory(error) && fs::exists(it->path() / std::string(kServerFile), error)) {
      dirs.push_back(it->path().string());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  for (const std::string& dir : dirs) {
    absl::StatusOr<OutboxStatus> status = Outbox(dir).Status();
    if (!status.ok()) return status.status();
    outboxes.push_back(std::move(*status));
  }
  return outboxes;
}

std::string DescribeFlush(const FlushResult& result) {
  std::vector<std::string> parts;
  if (result.sent > 0) {
    parts.push_back(absl::StrCat(
        "sent ", result.sent, " queued item(s)",
        result.duplicates > 0 ? absl::StrCat(" (", result.duplicates, " already stored)") : ""));
  }
  if (result.rejected > 0) {
    parts.push_back(absl::StrCat(result.rejected, " rejected (see `feedbackctl outbox status`)"));
  }
  if (!parts.empty() || !result.stopped.ok()) {
    if (result.pending > 0) parts.push_back(absl::StrCat(result.pending, " still queued"));
  }
  return absl::StrJoin(parts, "; ");
}

void PrepareForDelivery(v1::Feedback& feedback, absl::Time now) {
  if (feedback.submission_id().empty()) feedback.set_submission_id(NewSubmissionId());
  if (!feedback.has_occurred_at()) {
    *feedback.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  }
}

absl::StatusOr<Delivery> SubmitOrQueue(const FeedbackClient& client, const Outbox* outbox,
                                       v1::Feedback feedback) {
  if (feedback.submission_id().empty()) feedback.set_submission_id(NewSubmissionId());
  Delivery delivery;
  if (outbox == nullptr) {
    absl::StatusOr<v1::SubmitFeedbackResponse> response = client.Submit(std::move(feedback));
    if (!response.ok()) return response.status();
    delivery.stored = std::move(*response);
    return delivery;
  }
  absl::StatusOr<FlushResult> flushed = outbox->Flush(client, /*wait_for_lock=*/false);
  if (flushed.ok()) {
    delivery.flushed = *flushed;
  } else {
    delivery.flush_error = flushed.status();
  }
  if (flushed.ok() && IsUnreachable(flushed->stopped)) {
    // The flush just spent the retry budget on an earlier item: do not wait for it again.
    delivery.unreachable = flushed->stopped;
  } else {
    absl::StatusOr<v1::SubmitFeedbackResponse> response = client.Submit(feedback);
    if (response.ok()) {
      delivery.stored = std::move(*response);
      return delivery;
    }
    if (!IsUnreachable(response.status())) return response.status();
    delivery.unreachable = response.status();
  }
  absl::StatusOr<std::string> path = outbox->Add(feedback);
  if (!path.ok()) {
    return absl::Status(
        delivery.unreachable.code(),
        absl::StrCat(delivery.unreachable.message(),
                     "; and the item could not be kept in the outbox: ", path.status().message()));
  }
  delivery.queued_path = std::move(*path);
  return delivery;
}

}  // namespace feedback::client
