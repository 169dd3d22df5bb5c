// The durable store of feedback: the only code in the project that knows RocksDB.
#ifndef FEEDBACK_STORAGE_FEEDBACK_STORE_H_
#define FEEDBACK_STORAGE_FEEDBACK_STORE_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"
#include "storage/transaction.h"

namespace feedback::storage {

struct StoreOptions {
  // Folder of the RocksDB database; created (with parents) if missing. Default: none (required).
  std::string data_dir;
  // Free space the store's file system keeps: a write that finds less refuses itself
  // (UNAVAILABLE, nothing written) before the disk can fill under RocksDB, whose log and tables
  // need room to flush and compact. Writes go on once there is room again. Default: 64 MiB.
  uint64_t min_free_disk_bytes = 64ull << 20;
  // Told, once per change, when writes start being refused (the disk is full or failing) and
  // when they succeed again, with a sentence for the operator (no personal data). Called on
  // the committing thread. Default: nobody is told.
  std::function<void(std::string_view message)> on_write_health_change = {};
  // Called once, on the committing thread, when the store can take writes again only after a
  // restart: its write-ahead log failed an append (the disk filled between the reserve's check
  // and the write) and the disk has room again. Reopening the store replays the log up to its
  // last whole record; the process is expected to exit and be started again by its service
  // manager. Until then every write is refused. Default: nobody is told.
  std::function<void()> on_restart_needed = {};
};

// A page of ListFeedback. Times are occurred_at in Unix microseconds, [from, to).
struct ListQuery {
  int64_t from_micros = std::numeric_limits<int64_t>::min();
  int64_t to_micros = std::numeric_limits<int64_t>::max();
  v1::Source source = v1::SOURCE_UNSPECIFIED;  // unspecified: any
  v1::Kind kind = v1::KIND_UNSPECIFIED;        // unspecified: any
  std::string tag;                             // empty: any
  int limit = 50;                              // REQUIRES: > 0
  std::string cursor;  // from a previous ListPage; empty: start at the newest
};

struct ListPage {
  std::vector<v1::Feedback> items;  // newest occurred_at first
  std::string next_cursor;          // empty when there is nothing more
};

// Keys whose earlier values must leave the files on disk (FeedbackStore::Scrub), by family.
struct ScrubKeys {
  std::vector<std::string> records;      // record ids
  std::vector<std::string> idempotency;  // submission ids
  std::vector<std::string> entities;     // entity keys

  bool empty() const { return records.empty() && idempotency.empty() && entities.empty(); }
  void Add(const ScrubKeys& other) {
    records.insert(records.end(), other.records.begin(), other.records.end());
    idempotency.insert(idempotency.end(), other.idempotency.begin(), other.idempotency.end());
    entities.insert(entities.end(), other.entities.begin(), other.entities.end());
  }
};

// What a scan visitor answers for each entry: OK to go on to the next one, Stop() to end the
// scan there (the scan then returns OK), or an error, which ends the scan and is what the scan
// returns. It converts from absl::Status, so a visitor returns absl::OkStatus() or an error, and
// may use RETURN_IF_ERROR / ASSIGN_OR_RETURN.
class ScanStep {
 public:
  ScanStep(absl::Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design
  static ScanStep Stop() {
    ScanStep step{absl::OkStatus()};
    step.stop_ = true;
    return step;
  }

  // True if the scan ends at this entry (stopped, or failed).
  bool ends() const { return stop_ || !status_.ok(); }
  const absl::Status& status() const { return status_; }

 private:
  absl::Status status_;
  bool stop_ = false;
};

// How the store is doing, for the operators' metrics: no personal data. Plain value.
struct StoreHealth {
  bool disk_full = false;      // writes refused: less free space than the reserve
  bool write_failing = false;  // the last write failed on the disk (I/O error)
  uint64_t free_disk_bytes = 0;
  uint64_t live_table_bytes = 0;          // RocksDB: live SST files, every family
  uint64_t pending_compaction_bytes = 0;  // RocksDB: estimated bytes compaction must rewrite
  bool writes_stopped = false;            // RocksDB: a write stall is stopping writes
  uint64_t delayed_write_rate = 0;        // RocksDB: bytes/s while it slows writes, else 0
  uint64_t background_errors = 0;         // RocksDB: background errors since the store opened
};

// One backup of a store (storage/backups.h).
struct BackupInfo {
  uint32_t id = 0;              // 1, 2, ... in the order they were taken
  int64_t created_at_unix = 0;  // seconds
  uint64_t size_bytes = 0;      // of its files, some shared with earlier backups
  uint32_t file_count = 0;
};

// Thread-safe. Closes the database on destruction.
class FeedbackStore {
 public:
  // Opens the store in options.data_dir, creating it if needed. Fails (never crashes) on an
  // unusable folder or a database another process holds. Whatever the process's umask, the
  // folder is made 0700, files already in it 0600, and every file the store creates is 0600.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FeedbackStore>> Open(
      const StoreOptions& options);

  virtual ~FeedbackStore() = default;

  // Runs `ops` in order against one transaction and writes everything they staged as ONE
  // atomic WriteBatch, returning only after the WAL is synced to disk. Result i is op i's own
  // error (its writes rolled back), or the write's error, or OK once durable. Calls are
  // serialized internally, so concurrent callers cannot race a check and a write.
  [[nodiscard]] virtual std::vector<absl::Status> Commit(std::vector<WriteOp> ops) = 0;

  // NOT_FOUND if no record has this id.
  [[nodiscard]] virtual absl::StatusOr<v1::Feedback> Get(std::string_view id) const = 0;

  // NOT_FOUND if absent.
  [[nodiscard]] virtual absl::StatusOr<std::string> GetEntity(std::string_view key) const = 0;
  // Calls `visit(key, value)` for every entity whose key starts with `prefix`, in key order,
  // from one consistent snapshot, until it answers Stop() or an error (ScanStep). Returns the
  // visitor's error, or the store's, or OK.
  [[nodiscard]] virtual absl::Status ScanEntities(
      std::string_view prefix,
      absl::FunctionRef<ScanStep(std::string_view key, std::string_view value)> visit) const = 0;
  // ScanEntities, starting after the key `after` (empty: from the first key under `prefix`).
  [[nodiscard]] virtual absl::Status ScanEntitiesAfter(
      std::string_view prefix, std::string_view after,
      absl::FunctionRef<ScanStep(std::string_view key, std::string_view value)> visit) const = 0;
  // Calls `visit` for every feedback record, in id order, from one consistent snapshot, as
  // ScanEntities does. DATA_LOSS (and no further visit) at a record that does not parse.
  [[nodiscard]] virtual absl::Status ScanFeedback(
      absl::FunctionRef<ScanStep(const v1::Feedback&)> visit) const = 0;
  // Every counter whose key starts with `prefix`, with its value. DATA_LOSS if a value is not
  // a counter.
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> ReadCounters(
      std::string_view prefix) const = 0;

  // One page of records matching `query`, from the time index (never a full scan of records).
  // INVALID_ARGUMENT for a cursor that this store did not produce.
  [[nodiscard]] virtual absl::StatusOr<ListPage> List(const ListQuery& query) const = 0;

  // Makes the values that `keys` had before their latest committed write leave the files on
  // disk: flushes every memtable (so the write-ahead logs that held them become obsolete),
  // compacts the key range of each family that `keys` span down to the bottommost level
  // (rewriting every file that overlaps it, without the overwritten or deleted versions), and
  // deletes the obsolete files before returning. Slow (seconds on a large store): never call
  // it on a gRPC thread. An old version still visible to an open snapshot survives until the
  // snapshot is released and a later compaction runs. Default: UNIMPLEMENTED.
  [[nodiscard]] virtual absl::Status Scrub(const ScrubKeys& keys);

  // How it is doing, now. Cheap (reads counters, one statvfs). Default: all zero.
  [[nodiscard]] virtual StoreHealth Health() const;

  // Adds a backup of the whole store, as it is when the call begins (every write committed
  // before it is in it), to the backup folder `backup_dir` (created, mode 0700, if missing),
  // while the store goes on serving: incremental (a file already in an earlier backup there is
  // not copied again) and checksummed. Then, if `keep` > 0, deletes the older backups there
  // beyond the newest `keep`. Slow (copies files): never call it on a gRPC thread.
  // Default: UNIMPLEMENTED.
  [[nodiscard]] virtual absl::StatusOr<BackupInfo> CreateBackup(const std::string& backup_dir,
                                                                uint32_t keep);

 protected:
  FeedbackStore() = default;
  FeedbackStore(const FeedbackStore&) = delete;
  FeedbackStore& operator=(const FeedbackStore&) = delete;
};

// Commits `ops` as one group (FeedbackStore::Commit, which returns once the group is durable)
// and returns each op's result in input order: its value, its own error, or the write's error.
// For callers that may wait on the disk (tools, tests); the server goes through the
// GroupCommitWriter.
template <typename T>
[[nodiscard]] std::vector<absl::StatusOr<T>> CommitAll(FeedbackStore& store,
                                                       std::vector<TypedWriteOp<T>> ops) {
  std::vector<std::optional<absl::StatusOr<T>>> staged(ops.size());
  std::vector<WriteOp> untyped;
  untyped.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    untyped.push_back([op = std::move(ops[i]), &slot = staged[i]](Transaction& txn) mutable {
      slot = std::move(op)(txn);
      return slot->status();
    });
  }
  std::vector<absl::Status> committed = store.Commit(std::move(untyped));
  std::vector<absl::StatusOr<T>> results;
  results.reserve(committed.size());
  for (size_t i = 0; i < committed.size(); ++i) {
    if (committed[i].ok()) {
      results.push_back(*std::move(staged[i]));
    } else {
      results.push_back(std::move(committed[i]));
    }
  }
  return results;
}

// CommitAll of one op.
template <typename T>
[[nodiscard]] absl::StatusOr<T> CommitOne(FeedbackStore& store, TypedWriteOp<T> op) {
  std::vector<TypedWriteOp<T>> ops;
  ops.push_back(std::move(op));
  return std::move(CommitAll(store, std::move(ops)).front());
}

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_FEEDBACK_STORE_H_
