// RocksDB implementation of FeedbackStore. See layout.h for the keys.
#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <iterator>
#include <optional>
#include <system_error>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "feedback/v1/wire_check.pb.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/kind_tag.h"
#include "proto/vocabulary/status_macros.h"
#include "proto/vocabulary/utf8.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "storage/backups.h"
#include "storage/feedback_store.h"
#include "storage/info_log.h"
#include "storage/layout.h"
#include "storage/prefix_hashed_memtable.h"
#include "storage/rocks_support.h"

namespace feedback::storage {
namespace {

using google::protobuf::util::TimeUtil;

std::string EncodeInt64(int64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((static_cast<uint64_t>(value) >> (8 * i)) & 0xff);
  return out;
}

int64_t DecodeInt64(std::string_view bytes) {
  if (bytes.size() != 8) return 0;
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return static_cast<int64_t>(value);
}

// Stores written before 2026-12-04 hold merges of deltas in the counters family, which RocksDB
// sums with this operator when MoveCountersIntoPages reads them.
class Int64AddOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    const int64_t base = existing == nullptr ? 0 : DecodeInt64(existing->ToStringView());
    *new_value = EncodeInt64(base + DecodeInt64(value.ToStringView()));
    return true;
  }
  const char* Name() const override { return layout::kCounterMergeOperator.data(); }
};

// The counter page stored as `value` under `page_key`; DATA_LOSS, naming the key, if it is none.
absl::StatusOr<v1::internal::CounterPage> ParseCounterPage(std::string_view page_key,
                                                           std::string_view value) {
  v1::internal::CounterPage page;
  if (!page.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(
        absl::StrCat("counter page ", std::string(page_key), " is not a counter page"));
  }
  return page;
}

// The counter page `page_key` of `family` as stored: empty if there is none.
absl::StatusOr<v1::internal::CounterPage> ReadCounterPage(rocksdb::DB& db,
                                                          rocksdb::ColumnFamilyHandle* family,
                                                          std::string_view page_key) {
  std::string value;
  const rocksdb::Status s = db.Get(rocksdb::ReadOptions(), family, page_key, &value);
  if (s.IsNotFound()) return v1::internal::CounterPage();
  RETURN_IF_ERROR(FromRocks(s, "reading a counter page"));
  return ParseCounterPage(page_key, value);
}

// Appends the counters of the page stored as `value` under `page_key` whose keys start with
// `prefix`, with their totals. DATA_LOSS if `value` is not a counter page.
absl::Status AppendCounters(std::string_view page_key, std::string_view value,
                            std::string_view prefix,
                            std::vector<std::pair<std::string, int64_t>>& counters) {
  ASSIGN_OR_RETURN(const v1::internal::CounterPage page, ParseCounterPage(page_key, value));
  for (const auto& [figure, total] : page.totals()) {
    std::string key = absl::StrCat(std::string(page_key), figure);
    if (key.starts_with(prefix)) counters.emplace_back(std::move(key), total);
  }
  return absl::OkStatus();
}

// The dimension of a time_index key: the family's prefix, so that its memtable keeps one skip
// list per dimension (FeedbackStore::Open) and a list's iterator reads only its dimension's.
class TimeIndexDimension final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "feedback.TimeIndexDimension"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), layout::DimensionLength(key.ToStringView()));
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return layout::DimensionLength(key.ToStringView()) > 0;
  }
};

// The suffix of each of a record's time_index keys: its inverted occurred_at, then its id.
std::string TimeIndexSuffix(const v1::Feedback& record) {
  return absl::StrCat(layout::InvertedTime(TimeUtil::TimestampToMicroseconds(record.occurred_at())),
                      record.id());
}

// A record's time_index entry: under its kind, holding its facets (layout.h).
struct TimeIndexEntry {
  std::string key;
  std::string facets;
};
TimeIndexEntry TimeIndexEntryOf(const v1::Feedback& record) {
  const std::vector<std::string_view> tags(record.tags().begin(), record.tags().end());
  // TimeIndexSuffix's parts after the dimension, in one string: made for every submission.
  return {.key = absl::StrCat(
              layout::DimensionKind(record.kind()),
              layout::InvertedTime(TimeUtil::TimestampToMicroseconds(record.occurred_at())),
              record.id()),
          .facets = layout::EncodeFacets(record.source(), tags)};
}

// The keys a record may still have from stores of earlier layouts (to 2026-12-05), which
// TimeIndexEntryOf no longer writes: deleted with its entry when the record changes.
std::vector<std::string> LegacyTimeIndexKeys(const v1::Feedback& record) {
  const std::string suffix = TimeIndexSuffix(record);
  std::vector<std::string> keys = {layout::DimensionAll() + suffix,
                                   layout::DimensionSource(record.source()) + suffix,
                                   layout::DimensionTag(KindTag(record.kind())) + suffix};
  for (const std::string& tag : record.tags()) {
    if (tag != KindTag(record.kind())) keys.push_back(layout::DimensionTag(tag) + suffix);
  }
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

// False if an entry's facets show that its item does not match `query`; true if it may (the
// record decides: Matches), as for an entry of an earlier layout, which holds none.
bool FacetsMayMatch(const ListQuery& query, std::string_view value) {
  const std::optional<layout::Facets> facets = layout::DecodeFacets(value);
  if (!facets.has_value()) return true;
  if (query.source != v1::SOURCE_UNSPECIFIED && facets->source != query.source) return false;
  return query.tag.empty() || facets->HasTag(query.tag);
}

// The dimensions a query's list reads, merged (TimeIndexMerge): its kind's, or every kind's.
// Its source and tag are read from the entries' facets (FacetsMayMatch).
std::vector<std::string> DimensionsFor(const ListQuery& query) {
  if (query.kind != v1::KIND_UNSPECIFIED) return {layout::DimensionKind(query.kind)};
  std::vector<std::string> every_kind;
  const google::protobuf::EnumDescriptor* kinds = v1::Kind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    every_kind.push_back(layout::DimensionKind(kinds->value(i)->number()));
  }
  return every_kind;
}

// The time_index entries of several dimensions as one sequence of suffixes (inverted time, then
// id) in key order, newest first; a suffix under more than one dimension comes once. Each
// dimension has its own iterator, all at one snapshot, ending after the suffixes that start
// with `upper` (empty: at the dimension's end); Seek starts each at a suffix.
class TimeIndexMerge {
 public:
  TimeIndexMerge(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* time_index,
                 const rocksdb::ReadOptions& read_options,
                 const std::vector<std::string>& dimensions, std::string_view upper) {
    for (const std::string& dimension : dimensions) {
      auto source = std::make_unique<Source>();
      source->dimension = dimension;
      source->upper = PrefixSuccessor(dimension + std::string(upper));
      source->upper_slice = rocksdb::Slice(source->upper);
      rocksdb::ReadOptions bounded = read_options;
      if (!source->upper.empty()) bounded.iterate_upper_bound = &source->upper_slice;
      source->it.reset(db->NewIterator(bounded, time_index));
      sources_.push_back(std::move(source));
    }
  }

  void Seek(std::string_view suffix) {
    for (auto& source : sources_) source->it->Seek(source->dimension + std::string(suffix));
    PickNewest();
  }
  bool Valid() const { return newest_ != nullptr; }
  // REQUIRES: Valid().
  std::string_view suffix() const { return SuffixOf(*newest_); }
  // REQUIRES: Valid().
  std::string_view value() const { return newest_->it->value().ToStringView(); }
  void Next() {
    // `current` is in the newest iterator's key, so that one moves last.
    const std::string_view current = suffix();
    for (auto& source : sources_) {
      if (source.get() != newest_ && source->it->Valid() && SuffixOf(*source) == current) {
        source->it->Next();
      }
    }
    newest_->it->Next();
    PickNewest();
  }
  rocksdb::Status status() const {
    for (const auto& source : sources_) {
      if (!source->it->status().ok()) return source->it->status();
    }
    return rocksdb::Status::OK();
  }

 private:
  struct Source {
    std::string dimension;
    std::string upper;
    rocksdb::Slice upper_slice;  // into `upper`: a Source does not move (unique_ptr)
    std::unique_ptr<rocksdb::Iterator> it;
  };
  static std::string_view SuffixOf(const Source& source) {
    return source.it->key().ToStringView().substr(source.dimension.size());
  }
  void PickNewest() {
    newest_ = nullptr;
    for (const auto& source : sources_) {
      if (source->it->Valid() && (newest_ == nullptr || SuffixOf(*source) < SuffixOf(*newest_))) {
        newest_ = source.get();
      }
    }
  }

  std::vector<std::unique_ptr<Source>> sources_;
  Source* newest_ = nullptr;
};

// kCounters is read only when a store of an earlier layout opens (MoveCountersIntoPages).
enum Family {
  kDefault = 0,
  kRecords,
  kTimeIndex,
  kIdempotency,
  kEntities,
  kCounters,
  kCounterPages
};

absl::StatusOr<v1::Feedback> ParseFeedback(std::string_view id, const std::string& value) {
  v1::Feedback record;
  if (!record.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("record ", std::string(id), " does not parse"));
  }
  return record;
}

// RocksDB's background errors: a write-ahead log append, flush or compaction that failed (a
// full or failing disk). RocksDB then refuses every write until it is told to Resume().
class BackgroundErrors final : public rocksdb::EventListener {
 public:
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status*) override {
    // An append to the write-ahead log that failed may have left part of a record in it, and
    // RocksDB 7.8 would append the next write to the same file (through a writer that asserts
    // after an error). Only reopening the store recovers from that.
    if (reason == rocksdb::BackgroundErrorReason::kWriteCallback ||
        reason == rocksdb::BackgroundErrorReason::kMemTable) {
      log_failed_ = true;
    }
    raised_ = true;
  }
  // RocksDB's own recovery from a full disk polls for space every few seconds and refuses our
  // Resume() while it waits; the store resumes on the first write that finds room instead.
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }
  bool TakeRaised() { return raised_.exchange(false); }
  void Raise() { raised_ = true; }
  bool log_failed() const { return log_failed_.load(); }

 private:
  std::atomic<bool> raised_ = false;
  std::atomic<bool> log_failed_ = false;
};

// Where a store's new ids come from (BatchTransaction::NewId).
struct IdSource {
  absl::BitGen random;
  int64_t last_micros = 0;  // the time in the last id made
};

// Each counter page as last written or read, by its key (layout.h). Counters are written only
// by a group's commit, one at a time, so a group puts each page it changes whole, with the new
// totals, rather than merges of deltas, and a page is read from the store only the first time a
// group changes it. A page rather than a key a counter: a submission counts for 7 to 13 figures
// of its quarter and area, and each key put is one more memtable insert on the writer thread
// (docs/performance.md, twenty-fifth pass). Node-based: a group holds pointers to its pages.
using CounterPages = absl::node_hash_map<std::string, v1::internal::CounterPage>;

// Keeps a key whole, as the counter pages' memtable insert hint: each write of a page is a new
// version of it, which sorts just before the last one, where the previous insert ended.
class WholeKey final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "feedback.WholeKey"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override { return key; }
  bool InDomain(const rocksdb::Slice&) const override { return true; }
};

// A Transaction over a plain WriteBatch and a map of what the group has staged, so reads see
// the group's earlier writes. (RocksDB's WriteBatchWithIndex does the same with a skip list over
// the batch: two searches of it per put and one per read, on the writer thread; 1.1 µs a
// submission at C = 64, docs/performance.md, eighth pass.)
class BatchTransaction final : public Transaction {
 public:
  BatchTransaction(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                   IdSource& ids, CounterPages& counter_pages)
      : db_(db), handles_(handles), ids_(ids), counter_pages_(counter_pages) {}

  // Every write of one op goes between BeginOp and EndOp; EndOp(false) rolls the op's writes
  // back, so a failed op leaves nothing in the group.
  void BeginOp() { batch_.SetSavePoint(); }
  void EndOp(bool succeeded) {
    if (succeeded) {
      batch_.PopSavePoint().PermitUncheckedError();
      std::move(op_index_writes_.begin(), op_index_writes_.end(),
                std::back_inserter(group_index_writes_));
    } else {
      batch_.RollbackToSavePoint().PermitUncheckedError();
      // A counter the op added to first stays, at 0, and FinishGroup skips it.
      for (const auto& [total, delta] : op_counters_) *total -= delta;
      // Latest first, so a key the op wrote twice gets back what it held before the op.
      for (auto undo = op_undo_.rbegin(); undo != op_undo_.rend(); ++undo) {
        if (undo->before.has_value()) {
          staged_[undo->key] = *std::move(undo->before);
        } else {
          staged_.erase(undo->key);
        }
      }
    }
    op_undo_.clear();
    op_counters_.clear();
    op_index_writes_.clear();
  }

  // The group's writes, its counters folded in: one new page per counter page for the whole
  // group rather than one per op, since a group's submissions mostly count towards the same
  // figures (the same quarter, area and kind). Call once, after the last EndOp. The new totals
  // are in the store's kept pages from here on: if the batch is not written, the pages named by
  // ChangedCounterPages() must be dropped from them.
  absl::StatusOr<rocksdb::WriteBatch*> FinishGroup() {
    // Past this point nothing reads the batch, so the counters and the time-index writes go
    // into it after the ops' writes, the latter in the order the ops made them (a retag deletes
    // then re-puts).
    rocksdb::WriteBatch* batch = &batch_;
    RETURN_IF_ERROR(AddCountersToPages());
    for (const auto& [page_key, page] : changed_counter_pages_) {
      RETURN_IF_ERROR(
          FromRocks(page->totals().empty()
                        ? batch->Delete(handles_[kCounterPages], page_key)
                        : batch->Put(handles_[kCounterPages], page_key, page->SerializeAsString()),
                    "batch"));
    }
    // In key order (stable: a retag's delete and put of one key keep theirs). A dimension's new
    // keys all sort before its older ones, so taken in order each lands just after the one
    // before, where its skip list's last insert ended; in the ops' order each went before the
    // last and the list was searched again (docs/performance.md).
    std::stable_sort(group_index_writes_.begin(), group_index_writes_.end(),
                     [](const IndexWrite& a, const IndexWrite& b) { return a.key < b.key; });
    for (const IndexWrite& write : group_index_writes_) {
      RETURN_IF_ERROR(FromRocks(write.put
                                    ? batch->Put(handles_[kTimeIndex], write.key, write.facets)
                                    : batch->Delete(handles_[kTimeIndex], write.key),
                                "batch"));
    }
    group_index_writes_.clear();
    return batch;
  }

  // The keys of the counter pages FinishGroup changed (those it began to change included).
  std::vector<std::string> ChangedCounterPages() const {
    std::vector<std::string> keys;
    for (const auto& [page_key, page] : changed_counter_pages_) keys.emplace_back(page_key);
    return keys;
  }

  absl::StatusOr<std::optional<v1::Feedback>> FindFeedback(std::string_view id) override {
    ASSIGN_OR_RETURN(std::optional<std::string> value, Find(kRecords, id));
    if (!value.has_value()) return std::nullopt;
    ASSIGN_OR_RETURN(v1::Feedback record, ParseFeedback(id, *value));
    return record;
  }

  absl::Status PutFeedback(const v1::Feedback& record, const v1::Feedback* previous) override {
    if (previous != nullptr) {
      op_index_writes_.push_back(
          {.key = TimeIndexEntryOf(*previous).key, .facets = {}, .put = false});
      for (std::string& key : LegacyTimeIndexKeys(*previous)) {
        op_index_writes_.push_back({.key = std::move(key), .facets = {}, .put = false});
      }
    }
    RETURN_IF_ERROR(Stage(kRecords, record.id(), record.SerializeAsString()));
    TimeIndexEntry entry = TimeIndexEntryOf(record);
    op_index_writes_.push_back(
        {.key = std::move(entry.key), .facets = std::move(entry.facets), .put = true});
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(std::string_view key) override {
    return Find(kIdempotency, key);
  }
  absl::Status PutIdempotencyKey(std::string_view key, std::string value) override {
    return Stage(kIdempotency, key, std::move(value));
  }

  absl::StatusOr<std::optional<std::string>> FindEntity(std::string_view key) override {
    return Find(kEntities, key);
  }
  absl::Status PutEntity(std::string_view key, std::string_view value) override {
    return Stage(kEntities, key, std::string(value));
  }
  absl::Status DeleteEntity(std::string_view key) override {
    return Stage(kEntities, key, std::nullopt);
  }

  // Counters are never read inside a transaction, so a delta can wait for FinishGroup.
  absl::Status AddToCounter(std::string_view key, int64_t delta) override {
    if (delta == 0) return absl::OkStatus();
    // Every key is made of protobuf strings, which are UTF-8; a page that held one that was not
    // would not parse again, and its quarter could not be summarised.
    if (!IsValidUtf8(key)) return absl::InvalidArgumentError("counter key: not UTF-8");
    // absl::string_view: Debian's Abseil makes none from a std one. The key is copied only the
    // first time the group counts it.
    int64_t& total = group_counters_[absl::string_view(key.data(), key.size())];
    total += delta;
    op_counters_.emplace_back(&total, delta);
    return absl::OkStatus();
  }

  // `prefix` and 32 hex digits: 14 of when it was made (Unix µs, each id later than the one
  // before), then 18 random. New records' keys are then the records family's newest, next to
  // the previous insert (docs/performance.md), and ids still differ by 72 random bits.
  std::string NewId(std::string_view prefix) override {
    ids_.last_micros = std::max(absl::ToUnixMicros(absl::Now()), ids_.last_micros + 1);
    std::array<uint8_t, 16> bytes;
    auto micros = static_cast<uint64_t>(ids_.last_micros);
    for (int i = 6; i >= 0; --i, micros >>= 8) bytes[i] = static_cast<uint8_t>(micros & 0xff);
    for (size_t i = 7; i < bytes.size(); ++i) bytes[i] = absl::Uniform<uint8_t>(ids_.random);
    // Written in place: one string made for the id, not three (bytes, hex, id).
    std::string id(prefix.size() + 2 * bytes.size(), '\0');
    std::copy(prefix.begin(), prefix.end(), id.begin());
    constexpr std::string_view kHexDigits = "0123456789abcdef";
    for (size_t i = 0; i < bytes.size(); ++i) {
      id[prefix.size() + 2 * i] = kHexDigits[bytes[i] >> 4];
      id[prefix.size() + 2 * i + 1] = kHexDigits[bytes[i] & 0xf];
    }
    return id;
  }

 private:
  // Adds the group's counters to the kept pages they belong to, noting each page changed.
  absl::Status AddCountersToPages() {
    for (const auto& [key, delta] : group_counters_) {
      if (delta == 0) continue;
      const layout::CounterKeyParts parts = layout::SplitCounterKey(key);
      ASSIGN_OR_RETURN(v1::internal::CounterPage * page, PageOf(parts.page));
      auto& totals = *page->mutable_totals();
      const std::string figure(parts.figure);
      if (const int64_t total = (totals[figure] += delta); total == 0) totals.erase(figure);
    }
    group_counters_.clear();
    return absl::OkStatus();
  }

  // The kept page of `page_key`, read from the store the first time (empty if it holds none),
  // and noted as changed by this group.
  absl::StatusOr<v1::internal::CounterPage*> PageOf(std::string_view page_key) {
    if (!changed_counter_pages_.empty() && changed_counter_pages_.back().first == page_key) {
      return changed_counter_pages_.back().second;  // most keys of a group share a page
    }
    for (const auto& [key, page] : changed_counter_pages_) {
      if (key == page_key) return page;
    }
    auto [kept, inserted] = counter_pages_.try_emplace(std::string(page_key));
    if (inserted) {
      absl::StatusOr<v1::internal::CounterPage> stored =
          ReadCounterPage(*db_, handles_[kCounterPages], page_key);
      if (!stored.ok()) {
        counter_pages_.erase(kept);
        return stored.status();
      }
      kept->second = *std::move(stored);
    }
    changed_counter_pages_.emplace_back(kept->first, &kept->second);
    return &kept->second;
  }

  // What `key` of `family` holds once the group's staged writes are applied.
  absl::StatusOr<std::optional<std::string>> Find(Family family, std::string_view key) {
    // Nothing staged yet (a group's first op; every op when calls come one at a time): no key
    // to build.
    if (!staged_.empty()) {
      if (const auto staged = staged_.find(StagedKey(family, key)); staged != staged_.end()) {
        return staged->second;
      }
    }
    std::string value;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[family], key, &value);
    if (s.IsNotFound()) return std::nullopt;
    RETURN_IF_ERROR(FromRocks(s, "reading"));
    return value;
  }

  // Puts `value` under `key` in the batch, or deletes `key` if it is nullopt, and records it
  // for the group's later reads and for the op's rollback.
  absl::Status Stage(Family family, std::string_view key, std::optional<std::string> value) {
    RETURN_IF_ERROR(FromRocks(value.has_value() ? batch_.Put(handles_[family], key, *value)
                                                : batch_.Delete(handles_[family], key),
                              "batch"));
    std::string staged_key = StagedKey(family, key);
    auto [at, inserted] = staged_.try_emplace(staged_key, std::nullopt);
    op_undo_.push_back(
        {.key = std::move(staged_key),
         .before = inserted ? std::nullopt
                            : std::optional<std::optional<std::string>>(std::move(at->second))});
    at->second = std::move(value);
    return absl::OkStatus();
  }

  static std::string StagedKey(Family family, std::string_view key) {
    std::string staged_key(1, static_cast<char>(family));
    staged_key.append(key);
    return staged_key;
  }

  rocksdb::DB* const db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
  IdSource& ids_;
  CounterPages& counter_pages_;
  rocksdb::WriteBatch batch_;
  // Every key the group's ops that have not failed wrote (family byte, then key): its value, or
  // nullopt once deleted.
  absl::flat_hash_map<std::string, std::optional<std::string>> staged_;
  // What the current op's writes replaced in staged_, in order: a key's value before (nullopt:
  // the group had not written the key).
  struct Undo {
    std::string key;
    std::optional<std::optional<std::string>> before;
  };
  std::vector<Undo> op_undo_;
  // The group's counters (a submission adds to 7 to 13), the current op's deltas included, and
  // those deltas as added, to take back if the op fails. Node-based, so that op_counters_ can
  // point at a total while the map grows.
  absl::node_hash_map<std::string, int64_t> group_counters_;
  std::vector<std::pair<int64_t*, int64_t>> op_counters_;
  // The kept pages the group changed, by key, in the order it first changed them: a group
  // changes one or a few.
  std::vector<std::pair<std::string_view, v1::internal::CounterPage*>> changed_counter_pages_;
  // Time-index entries are never read inside a group, so, like counters, they wait outside the
  // batch and staged_ until FinishGroup, which writes them in key order: the current op's, then
  // the group's from ops that succeeded.
  struct IndexWrite {
    std::string key;
    std::string facets;  // a put's value
    bool put;            // else a delete
  };
  std::vector<IndexWrite> op_index_writes_;
  std::vector<IndexWrite> group_index_writes_;
};

// Free space that reopening a store needs at least (a new log, manifest and info log), whatever
// the reserve is set to.
constexpr uint64_t kRoomToReopen = 8ull << 20;

class RocksDbStore final : public FeedbackStore {
 public:
  RocksDbStore(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
               std::shared_ptr<BackgroundErrors> background_errors, StoreOptions options)
      : handles_(std::move(handles)),
        db_(std::move(db)),
        background_errors_(std::move(background_errors)),
        options_(std::move(options)) {}

  ~RocksDbStore() override {
    // Nothing acknowledged depends on this flush (the WAL is synced on every write), but without
    // it the next start replays the whole write-ahead log: 5 to 8 s before listening after
    // 200,000 submissions, 0.2 to 0.3 s with it (docs/performance.md). A flush that fails (a
    // full disk) leaves the log to be replayed, as after a crash.
    // After a failed append to the write-ahead log, nothing more is written: the next start
    // replays the log.
    if (!background_errors_->log_failed()) {
      rocksdb::FlushOptions flush_options;
      flush_options.allow_write_stall = true;
      db_->Flush(flush_options, handles_).PermitUncheckedError();
    }
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    // A clean close lets RocksDB finish background work instead of abandoning it.
    db_->Close().PermitUncheckedError();
  }

  std::vector<absl::Status> Commit(std::vector<WriteOp> ops) override {
    absl::MutexLock lock(&commit_mutex_);
    BatchTransaction txn(db_.get(), handles_, ids_, counter_pages_);
    std::vector<absl::Status> results;
    results.reserve(ops.size());
    for (WriteOp& op : ops) {
      txn.BeginOp();
      results.push_back(std::move(op)(txn));
      txn.EndOp(results.back().ok());
    }
    absl::StatusOr<rocksdb::WriteBatch*> batch = txn.FinishGroup();
    absl::Status written = batch.status();
    if (written.ok() && (*batch)->Count() == 0) return results;
    if (written.ok()) written = CheckWriteAheadLog();
    if (written.ok()) written = CheckDiskRoom();
    if (written.ok()) {
      written = ResumeAfterBackgroundError();
      rocksdb::WriteOptions write_options;
      write_options.sync = true;  // acknowledged only once the WAL is on disk
      if (written.ok()) {
        written = FromRocks(db_->Write(write_options, *batch), "writing to the store");
      }
      NoteWriteHealth(written);
    }
    if (!written.ok()) {
      // Its totals must not count: those pages are read from the store again when next changed.
      for (const std::string& page_key : txn.ChangedCounterPages()) {
        counter_pages_.erase(page_key);
      }
      for (absl::Status& result : results) {
        if (result.ok()) result = written;
      }
      return results;
    }
    return results;
  }

  absl::StatusOr<v1::Feedback> Get(std::string_view id) const override {
    return GetRecord(rocksdb::ReadOptions(), id);
  }

  absl::StatusOr<std::string> GetEntity(std::string_view key) const override {
    std::string value;
    const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handles_[kEntities], key, &value);
    if (s.IsNotFound()) return absl::NotFoundError(absl::StrCat("no entity ", std::string(key)));
    RETURN_IF_ERROR(FromRocks(s, "reading an entity"));
    return value;
  }

  absl::Status ScanEntities(
      std::string_view prefix,
      absl::FunctionRef<ScanStep(std::string_view, std::string_view)> visit) const override {
    return Scan(kEntities, prefix, visit);
  }

  absl::Status ScanEntitiesAfter(
      std::string_view prefix, std::string_view after,
      absl::FunctionRef<ScanStep(std::string_view, std::string_view)> visit) const override {
    return Scan(kEntities, prefix, visit, after);
  }

  absl::Status ScanFeedback(absl::FunctionRef<ScanStep(const v1::Feedback&)> visit) const override {
    return Scan(kRecords, "", [&](std::string_view key, std::string_view value) -> ScanStep {
      ASSIGN_OR_RETURN(const v1::Feedback record, ParseFeedback(key, std::string(value)));
      return visit(record);
    });
  }

  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> ReadCounters(
      std::string_view prefix) const override {
    std::vector<std::pair<std::string, int64_t>> counters;
    // Every counter under `prefix` is on a page whose key starts with the prefix's page part.
    RETURN_IF_ERROR(Scan(kCounterPages, layout::SplitCounterKey(prefix).page,
                         [&](std::string_view page_key, std::string_view value) -> ScanStep {
                           return AppendCounters(page_key, value, prefix, counters);
                         }));
    std::sort(counters.begin(), counters.end());  // in key order, as one key a counter was
    return counters;
  }

  absl::Status Scrub(const ScrubKeys& keys) override {
    RETURN_IF_ERROR(RefuseAfterLogFailure());
    rocksdb::FlushOptions flush_options;
    flush_options.wait = true;
    flush_options.allow_write_stall = true;
    RETURN_IF_ERROR(FromRocks(db_->Flush(flush_options, handles_), "flushing the store"));
    rocksdb::CompactRangeOptions compact_options;
    compact_options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    compact_options.exclusive_manual_compaction = false;
    const std::pair<Family, const std::vector<std::string>*> ranges[] = {
        {kRecords, &keys.records}, {kIdempotency, &keys.idempotency}, {kEntities, &keys.entities}};
    for (const auto& [family, family_keys] : ranges) {
      if (family_keys->empty()) continue;
      const auto [first, last] = std::minmax_element(family_keys->begin(), family_keys->end());
      const rocksdb::Slice begin(*first);
      const rocksdb::Slice end(*last);  // inclusive
      RETURN_IF_ERROR(FromRocks(db_->CompactRange(compact_options, handles_[family], &begin, &end),
                                "compacting the store"));
    }
    // Deletes the obsolete files (the old write-ahead logs, the compacted tables) now, on this
    // thread, rather than whenever a background job next gets to it.
    RETURN_IF_ERROR(FromRocks(db_->DisableFileDeletions(), "pausing file deletions"));
    return FromRocks(db_->EnableFileDeletions(/*force=*/false), "deleting obsolete files");
  }

  StoreHealth Health() const override {
    StoreHealth health;
    health.disk_full = disk_full_.load();
    health.write_failing = write_failing_.load();
    health.free_disk_bytes = FreeDiskBytes().value_or(0);
    uint64_t value = 0;
    if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize, &value)) {
      health.live_table_bytes = value;
    }
    if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                                      &value)) {
      health.pending_compaction_bytes = value;
    }
    if (db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &value)) {
      health.writes_stopped = value != 0;
    }
    if (db_->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate, &value)) {
      health.delayed_write_rate = value;
    }
    if (db_->GetIntProperty(rocksdb::DB::Properties::kBackgroundErrors, &value)) {
      health.background_errors = value;
    }
    return health;
  }

  absl::StatusOr<BackupInfo> CreateBackup(const std::string& backup_dir, uint32_t keep) override {
    RETURN_IF_ERROR(RefuseAfterLogFailure());  // a backup flushes the memtables first
    return BackupDatabase(*db_, backup_dir, keep);
  }

  absl::StatusOr<ListPage> List(const ListQuery& query) const override {
    if (!query.cursor.empty() && !layout::IsCursor(query.cursor)) {
      return absl::InvalidArgumentError("page_token: not a token this server issued");
    }
    if (query.to_micros <= query.from_micros) return ListPage{};
    // Inverted times: [from, to) becomes (~to, ~from], i.e. suffixes in [~(to-1), ~from].
    const std::string lower = query.to_micros == std::numeric_limits<int64_t>::max()
                                  ? std::string()
                                  : layout::InvertedTime(query.to_micros - 1);
    const std::string upper = query.from_micros == std::numeric_limits<int64_t>::min()
                                  ? std::string()
                                  : layout::InvertedTime(query.from_micros);

    rocksdb::ManagedSnapshot snapshot(db_.get());
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot.snapshot();
    TimeIndexMerge it(db_.get(), handles_[kTimeIndex], read_options, DimensionsFor(query), upper);

    ListPage page;
    std::string last_suffix;
    for (it.Seek(std::max(lower, query.cursor)); it.Valid(); it.Next()) {
      const std::string_view suffix = it.suffix();
      if (!query.cursor.empty() && suffix == query.cursor) continue;  // already returned
      if (!FacetsMayMatch(query, it.value())) continue;
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
    RETURN_IF_ERROR(FromRocks(it.status(), "reading the time index"));
    return page;
  }

 private:
  // UNAVAILABLE when the disk has less free space than the store keeps in reserve.
  absl::Status CheckDiskRoom() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mutex_) {
    const std::optional<uint64_t> free = FreeDiskBytes();
    if (!free.has_value()) return absl::OkStatus();  // RocksDB will say what is wrong
    const uint64_t free_bytes = *free;
    const bool full = free_bytes < options_.min_free_disk_bytes;
    if (full != disk_full_.load()) {
      disk_full_ = full;
      Tell(full ? absl::StrCat("the store's disk is full (", free_bytes >> 20,
                               " MiB free, below the reserve of ",
                               options_.min_free_disk_bytes >> 20,
                               " MiB): refusing writes, serving reads, until space returns")
                : absl::StrCat("the store's disk has room again (", free_bytes >> 20,
                               " MiB free): accepting writes"));
    }
    if (!full) return absl::OkStatus();
    return absl::UnavailableError(
        "the store's disk is full: nothing was written; try again once space is freed");
  }

  // UNAVAILABLE once an append to the write-ahead log has failed: RocksDB must not write again
  // (see BackgroundErrors) until the store is reopened.
  absl::Status RefuseAfterLogFailure() const {
    if (!background_errors_->log_failed()) return absl::OkStatus();
    return absl::UnavailableError(
        "the store's write-ahead log could not be written (the disk filled or failed): nothing "
        "was written; feedbackd restarts to recover it once the disk has room");
  }

  // After a failed append to the write-ahead log, refuses every write; the first one that finds
  // room on the disk asks for the restart that recovers the log.
  absl::Status CheckWriteAheadLog() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mutex_) {
    const absl::Status refused = RefuseAfterLogFailure();
    if (refused.ok() || restart_requested_) return refused;
    if (!log_failure_told_) {
      log_failure_told_ = true;
      Tell(
          "the store's write-ahead log could not be written: refusing writes, serving reads, "
          "until feedbackd restarts, which it does once the disk has room");
    }
    const std::optional<uint64_t> free = FreeDiskBytes();
    if (free.has_value() && *free >= std::max(options_.min_free_disk_bytes, kRoomToReopen)) {
      restart_requested_ = true;
      Tell(absl::StrCat("the store's disk has room again (", *free >> 20,
                        " MiB free): restarting, to recover the write-ahead log that failed"));
      if (options_.on_restart_needed) options_.on_restart_needed();
    }
    return refused;
  }

  // After a background error of a flush or compaction (a full disk), RocksDB may take no write
  // until Resume(). The first write that finds room again asks for it, and RocksDB flushes its
  // memtables again. (A failed append to the write-ahead log never gets here: see above.)
  absl::Status ResumeAfterBackgroundError() ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mutex_) {
    if (!background_errors_->TakeRaised()) return absl::OkStatus();
    const rocksdb::Status resumed = db_->Resume();
    if (!resumed.ok()) background_errors_->Raise();
    return FromRocks(resumed, "resuming writes after a failed one");
  }

  // Tells the operator when writes start failing on the disk, and when they succeed again.
  void NoteWriteHealth(const absl::Status& written) ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mutex_) {
    const bool failing = absl::IsUnavailable(written);
    if (failing == write_failing_.load()) return;
    write_failing_ = failing;
    Tell(failing ? absl::StrCat("writes to the store are failing, refused until they succeed: ",
                                written.message())
                 : std::string("writes to the store succeed again"));
  }

  std::optional<uint64_t> FreeDiskBytes() const {
    struct statvfs disk {};
    if (statvfs(options_.data_dir.c_str(), &disk) != 0) return std::nullopt;
    return static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
  }

  void Tell(const std::string& message) const {
    if (options_.on_write_health_change) options_.on_write_health_change(message);
  }

  absl::StatusOr<v1::Feedback> GetRecord(const rocksdb::ReadOptions& options,
                                         std::string_view id) const {
    std::string value;
    const rocksdb::Status s = db_->Get(options, handles_[kRecords], id, &value);
    if (s.IsNotFound()) {
      return absl::NotFoundError(absl::StrCat("no feedback with id ", QuoteClientValue(id)));
    }
    RETURN_IF_ERROR(FromRocks(s, "reading a record"));
    return ParseFeedback(id, value);
  }

  // Visits the keys under `prefix` in order, from the first one after `after` (if not empty).
  absl::Status Scan(Family family, std::string_view prefix,
                    absl::FunctionRef<ScanStep(std::string_view, std::string_view)> visit,
                    std::string_view after = {}) const {
    rocksdb::ManagedSnapshot snapshot(db_.get());
    rocksdb::ReadOptions read_options;
    read_options.snapshot = snapshot.snapshot();
    const std::string upper = PrefixSuccessor(std::string(prefix));
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) read_options.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, handles_[family]));
    it->Seek(std::max(prefix, after));
    if (!after.empty() && it->Valid() && it->key() == rocksdb::Slice(after)) it->Next();
    for (; it->Valid(); it->Next()) {
      const ScanStep step = visit(it->key().ToStringView(), it->value().ToStringView());
      if (!step.status().ok()) return step.status();
      if (step.ends()) break;
    }
    return FromRocks(it->status(), "scanning the store");
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
  std::shared_ptr<BackgroundErrors> background_errors_;
  const StoreOptions options_;
  absl::Mutex commit_mutex_;
  IdSource ids_ ABSL_GUARDED_BY(commit_mutex_);
  CounterPages counter_pages_ ABSL_GUARDED_BY(commit_mutex_);
  // Written under commit_mutex_, read by Health() from any thread.
  std::atomic<bool> disk_full_ = false;
  std::atomic<bool> write_failing_ = false;
  bool log_failure_told_ ABSL_GUARDED_BY(commit_mutex_) = false;
  bool restart_requested_ ABSL_GUARDED_BY(commit_mutex_) = false;
};

// What every flush and compaction compresses with: LZ4, which RocksDB's own guide ("Compression"
// in its wiki) advises over Snappy, its default, and which Debian's RocksDB is built with. Each
// table file names its own compression, so a store written with Snappy reads as before
// (docs/performance.md, twenty-first pass).
rocksdb::CompressionType TableCompression() {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  const bool has_lz4 =
      std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end();
  return has_lz4 ? rocksdb::kLZ4Compression : rocksdb::kSnappyCompression;
}

// Moves the counters of a store of an earlier layout, one key a counter in the counters family,
// into the counter_pages family (layout.h), in one synced write that also deletes them: a crash
// leaves them either all moved or all where they were. Nothing to do for any other store.
absl::Status MoveCountersIntoPages(rocksdb::DB& db,
                                   const std::vector<rocksdb::ColumnFamilyHandle*>& handles) {
  absl::btree_map<std::string, v1::internal::CounterPage> pages;
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), handles[kCounters]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key = it->key().ToStringView();
    const std::string_view value = it->value().ToStringView();
    if (value.size() != 8) {
      return absl::DataLossError(absl::StrCat("counter ", std::string(key), " is not a count"));
    }
    RETURN_IF_ERROR(FromRocks(batch.Delete(handles[kCounters], key), "batch"));
    const layout::CounterKeyParts parts = layout::SplitCounterKey(key);
    if (const int64_t total = DecodeInt64(value); total != 0) {
      (*pages[std::string(parts.page)].mutable_totals())[std::string(parts.figure)] += total;
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the counters"));
  if (batch.Count() == 0) return absl::OkStatus();
  for (auto& [page_key, page] : pages) {
    // Such a store has no pages; were there one, its totals would be added to, not lost.
    ASSIGN_OR_RETURN(const v1::internal::CounterPage stored,
                     ReadCounterPage(db, handles[kCounterPages], page_key));
    for (const auto& [figure, total] : stored.totals()) (*page.mutable_totals())[figure] += total;
    RETURN_IF_ERROR(
        FromRocks(batch.Put(handles[kCounterPages], page_key, page.SerializeAsString()), "batch"));
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(db.Write(write_options, &batch), "writing the counter pages");
}

}  // namespace

absl::Status FeedbackStore::Scrub(const ScrubKeys&) {
  return absl::UnimplementedError("this store cannot scrub its files");
}

StoreHealth FeedbackStore::Health() const { return {}; }

absl::StatusOr<BackupInfo> FeedbackStore::CreateBackup(const std::string&, uint32_t) {
  return absl::UnimplementedError("this store cannot be backed up");
}

absl::StatusOr<std::unique_ptr<FeedbackStore>> FeedbackStore::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("data dir: must not be empty");
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("data dir ", options.data_dir, ": cannot create: ", error.message()));
  }
  // The store holds children's words: its folder is its owner's alone, whatever the umask.
  RETURN_IF_ERROR(MakeFolderPrivate(options.data_dir));
  rocksdb::DBOptions db_options;
  db_options.env = PrivateEnv();
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.paranoid_checks = true;
  db_options.keep_log_file_num = 5;
  db_options.info_log = OpenInfoLog(options.data_dir);  // survives a full disk; see info_log.h
  auto background_errors = std::make_shared<BackgroundErrors>();
  db_options.listeners.push_back(background_errors);
  // One memory budget for the memtables of all six families: without it each family may hold
  // 2 × 64 MiB, and a server that had taken 10^6 submissions peaked at 283 MB of RSS
  // (docs/performance.md). Past it, the largest memtable is flushed.
  db_options.db_write_buffer_size = 64 << 20;
  // The idempotency family's hashed memtable takes one writer at a time, and every write is
  // already one group's commit at a time (commit_mutex_).
  db_options.allow_concurrent_memtable_write = false;
  // A flush or compaction hands its table to the disk 1 MiB at a time as it writes it. Without
  // this the table's whole 19 MB waited for the sync at its end, and the write-ahead log's sync
  // beside it waited behind it: a group of submissions held 13 to 19 ms, where a sync takes 0.4
  // on average (docs/performance.md, twenty-ninth pass). The log's own syncs are unchanged.
  db_options.bytes_per_sync = 1 << 20;

  rocksdb::ColumnFamilyOptions family_options;
  family_options.compression = TableCompression();
  // Each family's options start from these.
  rocksdb::ColumnFamilyOptions counter_options = family_options;
  counter_options.merge_operator = std::make_shared<Int64AddOperator>();
  rocksdb::ColumnFamilyOptions counter_page_options = family_options;
  counter_page_options.memtable_insert_with_hint_prefix_extractor = std::make_shared<WholeKey>();
  // Every submission looks up its submission id, nearly always new: a bloom filter answers
  // "not here" for a table without reading its blocks.
  rocksdb::ColumnFamilyOptions idempotency_options = family_options;
  rocksdb::BlockBasedTableOptions filtered_tables;
  filtered_tables.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  idempotency_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(filtered_tables));
  // The family is only ever read by key, so its memtable is a hash of short skip lists, one per
  // first three characters of the key (4,096 buckets for the hex digits a submission id starts
  // with): a new key's look-up and insert search one short list instead of one of every key.
  // And each bucket holds whole runs of adjacent keys, so a flush, which first merges the
  // buckets into one sorted list, appends each run where the one before it left off, rather
  // than searching that list for every key of a family of random keys, as it did with 65,536
  // buckets of 16-character prefixes: the flushes' CPU fell by half (docs/performance.md,
  // twenty-second pass).
  // The hash of lists is this project's own (prefix_hashed_memtable.h): RocksDB's, as Debian
  // builds it, searched each list twice per insert.
  idempotency_options.prefix_extractor.reset(rocksdb::NewCappedPrefixTransform(3));
  idempotency_options.memtable_factory =
      NewPrefixHashedMemTableFactory({.bucket_count = 1 << 12, .max_height = 4, .branching = 4});
  // A new id's look-up would still search its bucket's list, a few cache misses deep: a bloom
  // filter of whole keys answers "not here" first, in one cache line. 1% of the family's 64 MiB
  // write buffer is 640 KiB: 15 bits a key even if the memtable took the whole 64 MiB (about
  // 350,000 keys of some 190 bytes); a flush comes sooner.
  idempotency_options.memtable_prefix_bloom_size_ratio = 0.01;
  idempotency_options.memtable_whole_key_filtering = true;
  // The time index is read one dimension at a time (ListFeedback seeks inside a dimension with
  // an upper bound inside it), so its memtable is a hash of one skip list per dimension. An
  // insert then searches only its dimension's list, and a group's entries, in key order
  // (FinishGroup), each land just after the one before. In one skip list of every entry, as
  // before, each insert also ran the comparator four times per level of the whole list: the
  // assertions Debian's RocksDB keeps (docs/performance.md).
  rocksdb::ColumnFamilyOptions time_index_options = family_options;
  time_index_options.prefix_extractor = std::make_shared<TimeIndexDimension>();
  time_index_options.memtable_factory =
      NewPrefixHashedMemTableFactory({.bucket_count = 1024, .max_height = 12, .branching = 4});
  // Record ids sort in the order they were made (NewId), so each insert lands just after the
  // one before, where this project's memtable (one skip list, with no prefix extractor) links
  // it in without a search. RocksDB's, given the same place as a hint, still checked it with
  // key comparisons at every level: the assertions Debian's RocksDB keeps (docs/performance.md,
  // thirty-third pass).
  rocksdb::ColumnFamilyOptions record_options = family_options;
  record_options.memtable_factory =
      NewPrefixHashedMemTableFactory({.bucket_count = 1, .max_height = 12, .branching = 4});
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, family_options},
      {std::string(layout::kRecordsFamily), record_options},
      {std::string(layout::kTimeIndexFamily), time_index_options},
      {std::string(layout::kIdempotencyFamily), idempotency_options},
      {std::string(layout::kEntitiesFamily), family_options},
      {std::string(layout::kCountersFamily), counter_options},
      {std::string(layout::kCounterPagesFamily), counter_page_options},
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
  if (absl::Status moved = MoveCountersIntoPages(*db, handles); !moved.ok()) {
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "data dir ", options.data_dir, ": cannot move the counters into pages: ", moved.message()));
  }
  return std::make_unique<RocksDbStore>(std::move(db), std::move(handles),
                                        std::move(background_errors), options);
}

}  // namespace feedback::storage
