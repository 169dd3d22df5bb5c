// RocksDB's own diagnostic log, the LOG file in the store's folder, written so that a full disk
// costs log lines and never the process. Internal to storage/.
//
// Why not RocksDB's logger: Debian builds RocksDB 7.8 with its assertions on, and its logger
// asserts when it writes again after one failed write. On a full disk the first line fails
// (ENOSPC) and the next one (RocksDB logs the error it is handling) aborts feedbackd.
#ifndef FEEDBACK_STORAGE_INFO_LOG_H_
#define FEEDBACK_STORAGE_INFO_LOG_H_

#include <memory>
#include <string>

#include "rocksdb/env.h"

namespace feedback::storage {

// Starts a new `LOG` in `data_dir` (mode 0600), keeping the previous one as `LOG.old.<micros>`
// as RocksDB does; RocksDB deletes old ones past DBOptions::keep_log_file_num. A line that
// cannot be written is dropped. Never fails: where no LOG can be created (a full disk), every
// line is dropped, as RocksDB does when it cannot create its own.
std::shared_ptr<rocksdb::Logger> OpenInfoLog(const std::string& data_dir);

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_INFO_LOG_H_
