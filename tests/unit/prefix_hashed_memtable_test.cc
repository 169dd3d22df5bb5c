// The time index's and the idempotency family's memtable (storage/prefix_hashed_memtable.h):
// first on its own, as RocksDB calls it, then under a real RocksDB, through writes, reads, a
// flush and a reopen.
#include "storage/prefix_hashed_memtable.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/write_batch.h"
#include "storage/rocksdb_internals.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace prefix_hashed_memtable_test {

using ::rocksdb::MemTableRep;
using ::rocksdb::Slice;
using ::testing::ElementsAreArray;

// The heap, freed all at once, as RocksDB's arena is.
class HeapAllocator final : public rocksdb::Allocator {
 public:
  char* Allocate(size_t bytes) override { return AllocateAligned(bytes, 0, nullptr); }
  char* AllocateAligned(size_t bytes, size_t, rocksdb::Logger*) override {
    blocks_.push_back(std::make_unique<uint64_t[]>((bytes + 7) / 8));
    return reinterpret_cast<char*>(blocks_.back().get());
  }
  size_t BlockSize() const override { return 4096; }

 private:
  std::vector<std::unique_ptr<uint64_t[]>> blocks_;
};

// RocksDB's entries: a varint32 length, then the internal key (user key, 8 bytes of sequence and
// type). Ordered by user key, then by the sequence, newest first, as RocksDB orders them.
Slice InternalKeyOf(const char* entry) { return rocksdb::GetLengthPrefixedSlice(entry); }
int CompareInternal(const Slice& a, const Slice& b) {
  const Slice user_a(a.data(), a.size() - 8), user_b(b.data(), b.size() - 8);
  if (const int by_user = user_a.compare(user_b); by_user != 0) return by_user;
  uint64_t sequence_a = 0, sequence_b = 0;
  std::memcpy(&sequence_a, a.data() + a.size() - 8, 8);
  std::memcpy(&sequence_b, b.data() + b.size() - 8, 8);
  return sequence_a > sequence_b ? -1 : (sequence_a < sequence_b ? 1 : 0);
}
class EntryComparator final : public MemTableRep::KeyComparator {
 public:
  int operator()(const char* a, const char* b) const override {
    comparisons.fetch_add(1, std::memory_order_relaxed);
    return CompareInternal(InternalKeyOf(a), InternalKeyOf(b));
  }
  int operator()(const char* a, const Slice& b) const override {
    comparisons.fetch_add(1, std::memory_order_relaxed);
    return CompareInternal(InternalKeyOf(a), b);
  }
  mutable std::atomic<int64_t> comparisons{0};
};

std::string InternalKey(std::string_view user_key, uint64_t sequence = 1) {
  std::string key(user_key);
  key.append(reinterpret_cast<const char*>(&sequence), 8);
  return key;
}

// A memtable as RocksDB makes one, with its allocator and comparator, and entries put in as
// RocksDB puts them (Allocate, then Insert).
class Table {
 public:
  explicit Table(const rocksdb::SliceTransform* prefix, PrefixHashedMemTableShape shape = {}) {
    rep_.reset(NewPrefixHashedMemTableFactory(shape)->CreateMemTableRep(compare_, &allocator_,
                                                                        prefix, nullptr));
  }
  bool Insert(std::string_view user_key, uint64_t sequence = 1) {
    const std::string internal_key = InternalKey(user_key, sequence);
    char* buf = nullptr;
    rocksdb::KeyHandle handle = rep_->Allocate(1 + internal_key.size(), &buf);
    buf[0] = static_cast<char>(internal_key.size());  // a varint32 under 128
    std::memcpy(buf + 1, internal_key.data(), internal_key.size());
    return rep_->InsertKey(handle);
  }
  bool Contains(std::string_view user_key, uint64_t sequence = 1) const {
    const std::string internal_key = InternalKey(user_key, sequence);
    const std::string entry = std::string(1, static_cast<char>(internal_key.size())) + internal_key;
    return rep_->Contains(entry.data());
  }
  MemTableRep& rep() { return *rep_; }
  std::atomic<int64_t>& comparisons() { return compare_.comparisons; }

 private:
  HeapAllocator allocator_;
  EntryComparator compare_;
  std::unique_ptr<MemTableRep> rep_;
};

std::string UserKeyAt(const MemTableRep::Iterator& it) {
  const Slice internal_key = InternalKeyOf(it.key());
  return std::string(internal_key.data(), internal_key.size() - 8);
}

// Every user key, first to last.
std::vector<std::string> EveryUserKey(MemTableRep::Iterator& it) {
  std::vector<std::string> keys;
  for (it.SeekToFirst(); it.Valid(); it.Next()) keys.push_back(UserKeyAt(it));
  return keys;
}

// Every user key from `from` on, while it starts with `prefix`.
std::vector<std::string> Walk(MemTableRep::Iterator& it, std::string_view from,
                              std::string_view prefix) {
  std::vector<std::string> keys;
  const std::string target = InternalKey(from, UINT64_MAX >> 8);
  for (it.Seek(target, nullptr); it.Valid() && UserKeyAt(it).starts_with(prefix); it.Next()) {
    keys.push_back(UserKeyAt(it));
  }
  return keys;
}

std::vector<std::string> ShuffledKeys(int prefixes, int per_prefix, uint32_t seed) {
  std::vector<std::string> keys;
  for (int p = 0; p < prefixes; ++p) {
    for (int i = 0; i < per_prefix; ++i) keys.push_back(absl::StrFormat("%03d/%06d", p, i * 7));
  }
  std::shuffle(keys.begin(), keys.end(), std::mt19937(seed));
  return keys;
}

TEST(PrefixHashedMemTable, FindsWhatWasInsertedAndRefusesTheSameKeyTwice) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(3));
  Table table(prefix.get());
  const std::vector<std::string> keys = ShuffledKeys(5, 200, 1);
  for (const std::string& key : keys) ASSERT_TRUE(table.Insert(key)) << key;

  for (const std::string& key : keys) EXPECT_TRUE(table.Contains(key)) << key;
  EXPECT_FALSE(table.Contains("002/000001"));
  EXPECT_FALSE(table.Contains("009/000000"));  // a prefix never seen
  EXPECT_FALSE(table.Insert(keys[17]));
  EXPECT_TRUE(table.Insert(keys[17], /*sequence=*/2));  // a newer version of the same user key
}

// A point look-up, as RocksDB makes one for Get: each entry from the newest version at or below
// the look-up's sequence number on, until the callback has seen enough.
TEST(PrefixHashedMemTable, APointLookUpStartsAtTheNewestVersionItMaySee) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(1));
  Table table(prefix.get());
  auto tag = [](uint64_t sequence) { return (sequence << 8) | 1; };  // a value's
  ASSERT_TRUE(table.Insert("a1", tag(1)));
  ASSERT_TRUE(table.Insert("k2", tag(3)));
  ASSERT_TRUE(table.Insert("k2", tag(7)));
  ASSERT_TRUE(table.Insert("z9", tag(2)));

  auto first_seen = [&](std::string_view user_key, uint64_t sequence) {
    const rocksdb::LookupKey lookup(Slice(user_key.data(), user_key.size()), sequence);
    std::vector<std::string> seen;
    table.rep().Get(lookup, &seen, [](void* arg, const char* entry) {
      const Slice internal_key = InternalKeyOf(entry);
      uint64_t tag = 0;
      std::memcpy(&tag, internal_key.data() + internal_key.size() - 8, 8);
      static_cast<std::vector<std::string>*>(arg)->push_back(absl::StrFormat(
          "%s@%d", std::string_view(internal_key.data(), internal_key.size() - 8), tag >> 8));
      return false;  // one is enough
    });
    return seen;
  };
  EXPECT_THAT(first_seen("k2", 5), ::testing::ElementsAre("k2@3"));
  EXPECT_THAT(first_seen("k2", 9), ::testing::ElementsAre("k2@7"));
  EXPECT_THAT(first_seen("b0", 9), ::testing::IsEmpty()) << "no list for the prefix b";
}

// A refused key leaves the list as it was: the next key after the last one inserted still goes
// where it belongs.
TEST(PrefixHashedMemTable, AKeyRefusedAsAlreadyThereDoesNotMisplaceTheNext) {
  Table table(nullptr);
  ASSERT_TRUE(table.Insert("k1"));
  ASSERT_TRUE(table.Insert("k2"));
  ASSERT_FALSE(table.Insert("k1"));
  ASSERT_TRUE(table.Insert("k3"));

  std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetIterator());
  const std::vector<std::string> seen = EveryUserKey(*it);
  EXPECT_THAT(seen, ::testing::ElementsAre("k1", "k2", "k3"));
}

TEST(PrefixHashedMemTable, APrefixIteratorWalksItsPrefixInOrderWhateverOrderKeysCameIn) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(3));
  Table table(prefix.get());
  const std::vector<std::string> keys = ShuffledKeys(8, 300, 2);
  for (const std::string& key : keys) ASSERT_TRUE(table.Insert(key));

  std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetDynamicPrefixIterator());
  std::vector<std::string> expected;
  for (const std::string& key : keys) {
    if (key.starts_with("005/") && key >= "005/000700") expected.push_back(key);
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_THAT(Walk(*it, "005/000700", "005/"), ElementsAreArray(expected));
  EXPECT_THAT(Walk(*it, "011/", "011/"), ::testing::IsEmpty());
}

TEST(PrefixHashedMemTable, SteppingBackFindsTheKeyBefore) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(3));
  Table table(prefix.get());
  for (const std::string& key : ShuffledKeys(3, 100, 3)) ASSERT_TRUE(table.Insert(key));
  std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetDynamicPrefixIterator());

  // Keys are multiples of 7: the last at or before 001/000346 is 001/000343.
  it->SeekForPrev(InternalKey("001/000346", 0), nullptr);
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(UserKeyAt(*it), "001/000343");
  it->Prev();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(UserKeyAt(*it), "001/000336");
  it->Seek(InternalKey("001/000000", UINT64_MAX >> 8), nullptr);
  ASSERT_TRUE(it->Valid());
  it->Prev();
  EXPECT_FALSE(it->Valid()) << "nothing in its list comes before the first";
}

// A flush reads the whole memtable in order, across every list, even when prefixes share one.
TEST(PrefixHashedMemTable, AFullIteratorHasEveryEntryInOrder) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(3));
  for (const size_t buckets : {size_t{1024}, size_t{3}}) {
    Table table(prefix.get(), {.bucket_count = buckets, .max_height = 12, .branching = 4});
    std::vector<std::string> keys = ShuffledKeys(40, 50, 4);
    for (const std::string& key : keys) ASSERT_TRUE(table.Insert(key));
    std::sort(keys.begin(), keys.end());

    std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetIterator());
    const std::vector<std::string> seen = EveryUserKey(*it);
    EXPECT_THAT(seen, ElementsAreArray(keys)) << buckets << " buckets";
    it->SeekToLast();
    ASSERT_TRUE(it->Valid());
    EXPECT_EQ(UserKeyAt(*it), keys.back());
    it->Seek(InternalKey("017/", UINT64_MAX >> 8), nullptr);
    ASSERT_TRUE(it->Valid());
    EXPECT_EQ(UserKeyAt(*it), "017/000000");
  }
}

// What a flush reads is made without sorting every entry: each list's run of one prefix is put
// in place whole, even when most lists hold several prefixes.
TEST(PrefixHashedMemTable, AFullIteratorComparesEachEntryAboutOnceNotAsASortWould) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(3));
  Table table(prefix.get(), {.bucket_count = 7, .max_height = 12, .branching = 4});
  std::vector<std::string> keys = ShuffledKeys(40, 100, 8);
  for (const std::string& key : keys) ASSERT_TRUE(table.Insert(key));
  std::sort(keys.begin(), keys.end());

  table.comparisons() = 0;
  std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetIterator());
  // Sorting the 4,000 entries would take some 45,000 comparisons.
  EXPECT_LT(table.comparisons(), static_cast<int64_t>(2 * keys.size()));
  const std::vector<std::string> seen = EveryUserKey(*it);
  EXPECT_THAT(seen, ElementsAreArray(keys));
}

TEST(PrefixHashedMemTable, WithoutAPrefixExtractorItIsOneOrderedList) {
  Table table(nullptr);
  std::vector<std::string> keys = ShuffledKeys(4, 100, 5);
  for (const std::string& key : keys) ASSERT_TRUE(table.Insert(key));
  std::sort(keys.begin(), keys.end());

  std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetDynamicPrefixIterator());
  const std::vector<std::string> seen = EveryUserKey(*it);
  EXPECT_THAT(seen, ElementsAreArray(keys));
}

// Readers run beside the one writer, as RocksDB's readers do: each key a reader knows was
// inserted is found, and a prefix is always in order. (Under ThreadSanitizer too.)
TEST(PrefixHashedMemTable, ReadersBesideTheWriterSeeEveryInsertedKeyInOrder) {
  std::unique_ptr<const rocksdb::SliceTransform> prefix(rocksdb::NewFixedPrefixTransform(3));
  Table table(prefix.get(), {.bucket_count = 16, .max_height = 12, .branching = 4});
  const std::vector<std::string> keys = ShuffledKeys(4, 2000, 6);
  std::atomic<size_t> inserted{0};
  std::atomic<bool> readers_failed{false};

  auto read = [&](uint32_t seed) {
    std::mt19937 random(seed);
    std::unique_ptr<MemTableRep::Iterator> it(table.rep().GetDynamicPrefixIterator());
    while (inserted.load(std::memory_order_acquire) < keys.size()) {
      const size_t known = inserted.load(std::memory_order_acquire);
      if (known == 0) continue;
      const std::string& key = keys[random() % known];
      it->Seek(InternalKey(key, UINT64_MAX >> 8), nullptr);
      if (!it->Valid() || UserKeyAt(*it) != key) readers_failed = true;
      const std::vector<std::string> walked = Walk(*it, key.substr(0, 4), key.substr(0, 4));
      if (!std::is_sorted(walked.begin(), walked.end())) readers_failed = true;
    }
  };
  std::thread reader_a(read, 1), reader_b(read, 2);
  bool every_insert_taken = true;
  for (const std::string& key : keys) {
    every_insert_taken = table.Insert(key) && every_insert_taken;
    inserted.fetch_add(1, std::memory_order_release);
  }
  reader_a.join();
  reader_b.join();
  EXPECT_TRUE(every_insert_taken);
  EXPECT_FALSE(readers_failed);
}

// Under RocksDB: a family of random keys and one of per-dimension runs, written in groups, read
// by key and by prefix, then flushed (the flush checks its keys come in order) and reopened.
TEST(PrefixHashedMemTable, RocksDbReadsAndFlushesWhatItHolds) {
  testing::TempDir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.allow_concurrent_memtable_write = false;
  options.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(3));
  options.memtable_factory = NewPrefixHashedMemTableFactory({.bucket_count = 64});
  options.memtable_prefix_bloom_size_ratio = 0.01;
  options.memtable_whole_key_filtering = true;
  auto open = [&] {
    rocksdb::DB* raw = nullptr;
    const rocksdb::Status opened = rocksdb::DB::Open(options, dir.Sub("db"), &raw);
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    return std::unique_ptr<rocksdb::DB>(raw);
  };
  std::unique_ptr<rocksdb::DB> db = open();
  ASSERT_NE(db, nullptr);
  std::vector<std::string> keys = ShuffledKeys(20, 150, 7);
  for (size_t group = 0; group < keys.size(); group += 64) {
    rocksdb::WriteBatch batch;
    for (size_t i = group; i < std::min(keys.size(), group + 64); ++i) {
      ASSERT_TRUE(batch.Put(keys[i], "value of " + keys[i]).ok());
    }
    ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &batch).ok());
  }
  const std::string rewritten = keys[3];
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), rewritten, "rewritten").ok());
  std::sort(keys.begin(), keys.end());

  auto expect_everything_readable = [&](std::string_view when) {
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), keys[1], &value).ok()) << when;
    EXPECT_EQ(value, keys[1] == rewritten ? "rewritten" : "value of " + keys[1]) << when;
    EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), "004/999999", &value).IsNotFound()) << when;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), rewritten, &value).ok()) << when;
    EXPECT_EQ(value, "rewritten") << when << ": the newer of a key's two versions";
    rocksdb::ReadOptions in_prefix;
    in_prefix.prefix_same_as_start = true;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(in_prefix));
    std::vector<std::string> seen;
    for (it->Seek("012/"); it->Valid(); it->Next()) seen.push_back(it->key().ToString());
    std::vector<std::string> expected;
    std::copy_if(keys.begin(), keys.end(), std::back_inserter(expected),
                 [](const std::string& key) { return key.starts_with("012/"); });
    EXPECT_THAT(seen, ElementsAreArray(expected)) << when;
    rocksdb::ReadOptions every_key;
    every_key.total_order_seek = true;
    it.reset(db->NewIterator(every_key));
    seen.clear();
    for (it->SeekToFirst(); it->Valid(); it->Next()) seen.push_back(it->key().ToString());
    EXPECT_THAT(seen, ElementsAreArray(keys)) << when;
  };
  expect_everything_readable("in the memtable");
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  expect_everything_readable("flushed");
  db.reset();
  db = open();
  ASSERT_NE(db, nullptr);
  expect_everything_readable("reopened");
}

}  // namespace prefix_hashed_memtable_test
}  // namespace
}  // namespace feedback::storage
