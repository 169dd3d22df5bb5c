// RocksDB implementation of FeedbackStore. See layout.h for the keys.
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "storage/feedback_store.h"
#include "storage/layout.h"
#include "storage/status_macros.h"

namespace feedback::storage {
namespace {

using google::protobuf::util::TimeUtil;

// The one place a RocksDB status becomes an absl::Status.
absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(std::string(what), ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return absl::UnavailableError(message);
  if (s.IsIOError() || s.IsCorruption()) return absl::InternalError(message);
  if (s.IsInvalidArgument()) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

std::string NewRecordId(absl::BitGen& gen) {
  std::string bytes(16, '\0');
  for (char& c : bytes) c = static_cast<char>(absl::Uniform<uint8_t>(gen));
  return absl::StrCat("fb_", absl::BytesToHexString(bytes));
}

// Every time_index key of a record (one per dimension it can be listed by).
std::vector<std::string> TimeIndexKeys(const v1::Feedback& record) {
  const std::string suffix = absl::StrCat(
      layout::InvertedTime(TimeUtil::TimestampToMicroseconds(record.occurred_at())), record.id());
  std::vector<std::string> keys = {
      layout::DimensionAll() + suffix,
      layout::DimensionSource(record.source()) + suffix,
      layout::DimensionKind(record.kind()) + suffix,
  };
  for (const std::string& tag : record.tags()) keys.push_back(layout::DimensionTag(tag) + suffix);
  return keys;
}

// The smallest key greater than every key that starts with `prefix`.
std::string PrefixSuccessor(std::string prefix) {
  while (!prefix.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(prefix.back());
    if (last != 0xff) {
      ++last;
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;  // empty: no upper bound
}

bool Matches(const ListQuery& query, const v1::Feedback& record) {
  if (query.source != v1::SOURCE_UNSPECIFIED && record.source() != query.source) return false;
  if (query.kind != v1::KIND_UNSPECIFIED && record.kind() != query.kind) return false;
  if (!query.tag.empty() &&
      std::find(record.tags().begin(), record.tags().end(), query.tag) == record.tags().end()) {
    return false;
  }
  return true;
}

// The most selective index for a query: tag, then kind, then source, then everything.
std::string DimensionFor(const ListQuery& query) {
  if (!query.tag.empty()) return layout::DimensionTag(query.tag);
  if (query.kind != v1::KIND_UNSPECIFIED) return layout::DimensionKind(query.kind);
  if (query.source != v1::SOURCE_UNSPECIFIED) return layout::DimensionSource(query.source);
  return layout::DimensionAll();
}

class RocksDbStore final : public FeedbackStore {
 public:
  RocksDbStore(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles)
      : handles_(std::move(handles)), db_(std::move(db)) {}

  ~RocksDbStore() override {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    // A clean close flushes nothing we rely on (the WAL is synced on every write) but lets
    // RocksDB finish background work instead of abandoning it.
    db_->Close().PermitUncheckedError();
  }

  std::vector<absl::StatusOr<SubmitOutcome>> CommitGroup(
      std::vector<NewSubmission> group) override {
    absl::MutexLock lock(&commit_mutex_);
    std::vector<absl::StatusOr<SubmitOutcome>> results;
    results.reserve(group.size());
    // True for results that are only true once the batch is on disk.
    std::vector<bool> needs_batch;
    // submission_id -> index of the item of this group that stores it.
    std::map<std::string, size_t, std::less<>> staged;
    rocksdb::WriteBatch batch;
    for (NewSubmission& submission : group) {
      const std::string submission_id = submission.record.submission_id();
      if (auto first = staged.find(submission_id); first != staged.end()) {
        results.push_back(DecideRepeat(submission.fingerprint, group[first->second].fingerprint,
                                       results[first->second]->record));
        needs_batch.push_back(true);
        continue;
      }
      results.push_back(Stage(submission, batch));
      const bool is_new = results.back().ok() && !results.back()->duplicate;
      if (is_new) staged.emplace(submission_id, results.size() - 1);
      needs_batch.push_back(is_new);
    }
    if (batch.Count() == 0) return results;
    rocksdb::WriteOptions write_options;
    write_options.sync = true;  // acknowledged only once the WAL is on disk
    const absl::Status written =
        FromRocks(db_->Write(write_options, &batch), "writing submissions");
    if (!written.ok()) {
      for (size_t i = 0; i < results.size(); ++i) {
        if (needs_batch[i] && results[i].ok()) results[i] = written;
      }
    }
    return results;
  }

  absl::StatusOr<v1::Feedback> Get(std::string_view id) const override {
    return GetRecord(rocksdb::ReadOptions(), id);
  }

  absl::StatusOr<ListPage> List(const ListQuery& query) const override {
    const std::string dimension = DimensionFor(query);
    // Inverted times: [from, to) becomes (~to, ~from], i.e. keys in [~(to-1), ~from].
    const std::string lower = dimension + (query.to_micros == std::numeric_limits<int64_t>::max()
                                               ? std::string()
                                               : layout::InvertedTime(query.to_micros - 1));
    const std::string upper =
        query.from_micros == std::numeric_limits<int64_t>::min()
            ? PrefixSuccessor(dimension)
            : PrefixSuccessor(dimension + layout::InvertedTime(query.from_micros));
    if (!query.cursor.empty() && query.cursor.size() <= layout::kInvertedTimeSize) {
      return absl::InvalidArgumentError("page_token: not a token this server issued");
    }

    rocksdb::ManagedSnapshot snapshot(db_.get());
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot.snapshot();
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) read_options.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, handle(kTimeIndex)));

    const std::string start =
        query.cursor.empty() ? lower : std::max(lower, dimension + query.cursor);
    ListPage page;
    std::string last_suffix;
    for (it->Seek(start); it->Valid(); it->Next()) {
      const std::string_view key = it->key().ToStringView();
      const std::string_view suffix = key.substr(dimension.size());
      if (!query.cursor.empty() && suffix == query.cursor) continue;  // already returned
      const std::string_view id = suffix.substr(layout::kInvertedTimeSize);
      ASSIGN_OR_RETURN(v1::Feedback record, GetRecord(read_options, id));
      if (!Matches(query, record)) continue;
      if (static_cast<int>(page.items.size()) == query.limit) {
        page.next_cursor = last_suffix;  // a further match exists
        break;
      }
      last_suffix = std::string(suffix);
      page.items.push_back(std::move(record));
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "reading the time index"));
    return page;
  }

 private:
  enum Family { kDefault = 0, kRecords, kTimeIndex, kIdempotency, kCounters };

  rocksdb::ColumnFamilyHandle* handle(Family family) const { return handles_[family]; }

  absl::StatusOr<v1::Feedback> GetRecord(const rocksdb::ReadOptions& options,
                                         std::string_view id) const {
    std::string value;
    const rocksdb::Status s = db_->Get(options, handle(kRecords), id, &value);
    if (s.IsNotFound())
      return absl::NotFoundError(absl::StrCat("no feedback with id ", std::string(id)));
    RETURN_IF_ERROR(FromRocks(s, "reading a record"));
    v1::Feedback record;
    if (!record.ParseFromString(value)) {
      return absl::DataLossError(absl::StrCat("record ", std::string(id), " does not parse"));
    }
    return record;
  }

  // Decides one submission against the store; adds the writes of a new one to `batch`.
  absl::StatusOr<SubmitOutcome> Stage(NewSubmission& submission, rocksdb::WriteBatch& batch) {
    const std::string& submission_id = submission.record.submission_id();
    std::string seen;
    const rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), handle(kIdempotency), submission_id, &seen);
    if (s.ok()) {
      if (seen.size() <= layout::kFingerprintSize) {
        return absl::DataLossError(absl::StrCat("idempotency entry of ", submission_id));
      }
      ASSIGN_OR_RETURN(v1::Feedback stored,
                       GetRecord(rocksdb::ReadOptions(), seen.substr(layout::kFingerprintSize)));
      return DecideRepeat(submission.fingerprint, seen.substr(0, layout::kFingerprintSize),
                          std::move(stored));
    }
    if (!s.IsNotFound()) return FromRocks(s, "reading the idempotency index");

    v1::Feedback& record = submission.record;
    record.set_id(NewRecordId(id_gen_));
    std::string serialized;
    record.SerializeToString(&serialized);
    RETURN_IF_ERROR(FromRocks(batch.Put(handle(kRecords), record.id(), serialized), "batch"));
    for (const std::string& key : TimeIndexKeys(record)) {
      RETURN_IF_ERROR(FromRocks(batch.Put(handle(kTimeIndex), key, ""), "batch"));
    }
    RETURN_IF_ERROR(FromRocks(
        batch.Put(handle(kIdempotency), submission_id, submission.fingerprint + record.id()),
        "batch"));
    return SubmitOutcome{std::move(record), false};
  }

  // A submission_id seen before: the stored record if the content is the same.
  static absl::StatusOr<SubmitOutcome> DecideRepeat(std::string_view fingerprint,
                                                    std::string_view stored_fingerprint,
                                                    v1::Feedback stored) {
    if (fingerprint != stored_fingerprint) {
      return absl::AlreadyExistsError(
          "submission_id: already used for a submission with different content");
    }
    return SubmitOutcome{std::move(stored), true};
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
  absl::Mutex commit_mutex_;
  absl::BitGen id_gen_ ABSL_GUARDED_BY(commit_mutex_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("data dir: must not be empty");
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir ", options.data_dir, ": cannot create: ", error.message()));
  }
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.paranoid_checks = true;
  // The server's log goes to its own stderr; RocksDB's goes to LOG files in the data dir.
  db_options.keep_log_file_num = 5;

  rocksdb::ColumnFamilyOptions family_options;
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, family_options},
      {std::string(layout::kRecordsFamily), family_options},
      {std::string(layout::kTimeIndexFamily), family_options},
      {std::string(layout::kIdempotencyFamily), family_options},
      {std::string(layout::kCountersFamily), family_options},
  };
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status s =
      rocksdb::DB::Open(db_options, options.data_dir, families, &handles, &raw_db);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  if (!s.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir ", options.data_dir, ": cannot open the store: ", s.ToString()));
  }
  return std::make_unique<RocksDbStore>(std::move(db), std::move(handles));
}

}  // namespace feedback::storage
