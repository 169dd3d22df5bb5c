// Backups while the server serves: the checks on a backup folder named over the network, and
// the one background thread that takes, lists and verifies backups (copying a store takes
// seconds to minutes: never on a transport or writer thread).
#ifndef FEEDBACK_SERVICE_OPS_BACKUPS_H_
#define FEEDBACK_SERVICE_OPS_BACKUPS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"
#include "storage/feedback_store.h"
#include "storage/work_queue.h"

namespace feedback {

// The backup folder `dir` of a request (field `dir`), in canonical form, if it is an absolute
// path outside the store in `data_dir` (and the store is not inside it); else INVALID_ARGUMENT
// naming the field. Follows symbolic links that exist, so a link cannot lead into the store.
[[nodiscard]] absl::StatusOr<std::string> CheckBackupDir(std::string_view dir,
                                                         const std::string& data_dir);

// The message of `backup`, taken into folder `dir`.
v1::Backup BackupMessage(const storage::BackupInfo& backup, const std::string& dir);

// Runs backup work on its own thread, one job at a time, in the order asked. Thread-safe.
// Each `done` runs on that thread (or, once the runner is stopping, at once with UNAVAILABLE).
class BackupRunner {
 public:
  template <typename T>
  using Done = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

  explicit BackupRunner(storage::FeedbackStore* store);
  // Finishes every job already asked for.
  ~BackupRunner();
  BackupRunner(const BackupRunner&) = delete;
  BackupRunner& operator=(const BackupRunner&) = delete;

  // FeedbackStore::CreateBackup into `dir` (checked by CheckBackupDir), keeping `keep`.
  void Create(std::string dir, uint32_t keep, Done<storage::BackupInfo> done);
  // storage::ListBackups.
  void List(std::string dir, Done<std::vector<storage::BackupInfo>> done);
  // storage::VerifyBackup of backup `id` (0: the latest).
  void Verify(std::string dir, uint32_t id, Done<storage::BackupInfo> done);

 private:
  // Runs the work, or (refused: the runner is stopping) answers UNAVAILABLE without it.
  using Job = absl::AnyInvocable<void(bool refused) &&>;

  template <typename T>
  void Queue(absl::AnyInvocable<absl::StatusOr<T>() &&> work, Done<T> done);

  storage::FeedbackStore* const store_;
  storage::WorkQueue<Job> queue_;  // last: its thread uses store_
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_BACKUPS_H_
