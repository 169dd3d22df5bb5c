// What the RocksDB code of storage/ shares: the one translation of RocksDB's statuses, and the
// private file system every store and backup is written through. Internal to storage/.
#ifndef FEEDBACK_STORAGE_ROCKS_SUPPORT_H_
#define FEEDBACK_STORAGE_ROCKS_SUPPORT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/env.h"
#include "rocksdb/status.h"

namespace feedback::storage {

// The one place a RocksDB status becomes an absl::Status. A failing or full disk is
// UNAVAILABLE: nothing was written, and the same call may succeed once the disk recovers.
[[nodiscard]] absl::Status FromRocks(const rocksdb::Status& s, std::string_view what);

// The Env every store and backup uses: the default one, with a file system that makes every file
// RocksDB creates 0600 before anything is written to it, whatever the process's umask, and that
// reserves a write-ahead log's room with its size, so that a synced write does not also change
// the log's length (rocks_support.cc). Never destroyed (RocksDB's background threads may outlive
// any one store).
rocksdb::Env* PrivateEnv();

// Makes `dir` 0700 and every file already in it 0600 (a store made before files were created
// private, or copied in with looser modes); with `recursive`, every folder below too.
[[nodiscard]] absl::Status MakeFolderPrivate(const std::string& dir, bool recursive = false);

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_ROCKS_SUPPORT_H_
