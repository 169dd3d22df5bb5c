#include "storage/prefix_hashed_memtable.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rocksdb/slice.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/utilities/options_type.h"
#include "storage/rocksdb_internals.h"

namespace feedback::storage {
namespace {

using rocksdb::MemTableRep;
using rocksdb::Slice;
using KeyComparator = MemTableRep::KeyComparator;

// A node of a skip list is an array of links, one per level it is on, with its key, the
// length-prefixed entry RocksDB encodes, just after it in the same allocation (RocksDB's
// InlineSkipList lays its nodes out the same way). A `Node*` names its link 0, the array's last;
// link `level` is `level` places before it. A list's head is links alone.
struct Node {
  std::atomic<Node*> link{nullptr};
};
Node* NextOf(const Node* node, int level) {
  return (node - level)->link.load(std::memory_order_acquire);
}
void Link(Node* node, int level, Node* next) {
  (node - level)->link.store(next, std::memory_order_release);
}
// `height` links and `key_bytes` after them, from `allocator`: the node, and where its key goes.
Node* NewNode(rocksdb::Allocator& allocator, int height, size_t key_bytes) {
  Node* links = new (allocator.AllocateAligned(sizeof(Node) * height + key_bytes)) Node[height];
  return links + (height - 1);
}
const char* KeyOf(const Node* node) { return reinterpret_cast<const char*>(node + 1); }

// The user key of an entry (its internal key without the 8 bytes of sequence and type).
Slice UserKeyOfEntry(const char* entry) {
  const Slice internal_key = rocksdb::GetLengthPrefixedSlice(entry);
  return Slice(internal_key.data(), internal_key.size() - 8);
}
Slice UserKeyOfInternal(const Slice& internal_key) {
  return Slice(internal_key.data(), internal_key.size() - 8);
}

struct SkipList {
  Node* head = nullptr;
  std::atomic<int> height{1};  // of its tallest node; readers start their searches there
  // The writer's alone: the node it inserted last, and each level's node before the place just
  // after it, so that the next key, if it lands there, is linked in without a search.
  Node* last = nullptr;
  Node** before = nullptr;  // max_height of them; the head above `height`
};

class PrefixHashedMemTable final : public MemTableRep {
 public:
  PrefixHashedMemTable(const KeyComparator& compare, rocksdb::Allocator* allocator,
                       const rocksdb::SliceTransform* prefix,
                       const PrefixHashedMemTableShape& shape)
      : MemTableRep(allocator),
        compare_(compare),
        prefix_(prefix),
        bucket_count_(prefix == nullptr ? 1 : std::max<size_t>(shape.bucket_count, 1)),
        max_height_(std::clamp(shape.max_height, 1, 32)),
        branching_(std::max(shape.branching, 2)),
        buckets_(new (allocator->AllocateAligned(sizeof(std::atomic<SkipList*>) * bucket_count_))
                     std::atomic<SkipList*>[bucket_count_]) {
    for (size_t i = 0; i < bucket_count_; ++i)
      buckets_[i].store(nullptr, std::memory_order_relaxed);
  }

  // A node with its links and room for its key. RocksDB writes the key, then inserts the handle
  // this returns; with one writer at a time, the two calls come in pairs.
  rocksdb::KeyHandle Allocate(const size_t len, char** buf) override {
    const int height = RandomHeight();
    Node* node = NewNode(*allocator_, height, len);
    allocated_ = {.node = node, .height = height};
    *buf = const_cast<char*>(KeyOf(node));
    return node;
  }

  void Insert(rocksdb::KeyHandle handle) override { InsertKey(handle); }

  // False, and nothing inserted, for a key already there (RocksDB then fails the write rather
  // than keep two entries alike), or for a handle that is not the one Allocate made last.
  bool InsertKey(rocksdb::KeyHandle handle) override {
    if (handle != allocated_.node) return false;
    Node* node = allocated_.node;
    const char* key = KeyOf(node);
    SkipList& list = ListFor(UserKeyOfEntry(key));
    if (!LandsJustAfterLast(list, key)) {
      const Node* at_or_after = Search(list, key, list.before);
      if (at_or_after != nullptr && compare_(KeyOf(at_or_after), key) == 0) {
        list.last = nullptr;  // `before` is now this key's place, no longer the one after `last`
        return false;
      }
    }
    if (allocated_.height > list.height.load(std::memory_order_relaxed)) {
      list.height.store(allocated_.height, std::memory_order_relaxed);
    }
    for (int level = 0; level < allocated_.height; ++level) {
      (node - level)->link.store(NextOf(list.before[level], level), std::memory_order_relaxed);
      Link(list.before[level], level, node);
      list.before[level] = node;
    }
    list.last = node;
    allocated_ = {};
    return true;
  }

  bool Contains(const char* key) const override {
    const SkipList* list = ExistingListFor(UserKeyOfEntry(key));
    if (list == nullptr) return false;
    const Node* at_or_after = Search(*list, key, nullptr);
    return at_or_after != nullptr && compare_(KeyOf(at_or_after), key) == 0;
  }

  // Each entry at or after `key` in its prefix's list, to `callback` until it returns false.
  // (RocksDB's default makes an iterator on the heap for this and never frees it.)
  void Get(const rocksdb::LookupKey& key, void* callback_args,
           bool (*callback)(void* arg, const char* entry)) override {
    const SkipList* list = ExistingListFor(key.user_key());
    if (list == nullptr) return;
    for (const Node* node = Search(*list, key.memtable_key().data(), nullptr);
         node != nullptr && callback(callback_args, KeyOf(node)); node = NextOf(node, 0)) {
    }
  }

  // All of it is the allocator's, which RocksDB counts itself.
  size_t ApproximateMemoryUsage() override { return 0; }

  Iterator* GetIterator(rocksdb::Arena* arena) override;
  Iterator* GetDynamicPrefixIterator(rocksdb::Arena* arena) override;

  // The first node at or after `target` in `list` (nullptr past its end). With `before`, also
  // each level's last node before `target`. `Target` is an entry (const char*) or an internal key
  // (Slice): the comparator takes both.
  template <typename Target>
  Node* Search(const SkipList& list, const Target& target, Node** before) const {
    Node* node = list.head;
    Node* not_before = nullptr;  // compared already, and found at or after `target`
    for (int level = list.height.load(std::memory_order_relaxed) - 1; level >= 0; --level) {
      Node* next = NextOf(node, level);
      while (next != nullptr && next != not_before && compare_(KeyOf(next), target) < 0) {
        node = next;
        next = NextOf(node, level);
      }
      not_before = next;
      if (before != nullptr) before[level] = node;
    }
    return not_before;
  }

  // The last node before `target` in `list`; its head if there is none.
  template <typename Target>
  Node* LastBefore(const SkipList& list, const Target& target) const {
    Node* node = list.head;
    for (int level = list.height.load(std::memory_order_relaxed) - 1; level >= 0; --level) {
      for (Node* next = NextOf(node, level); next != nullptr && compare_(KeyOf(next), target) < 0;
           next = NextOf(node, level)) {
        node = next;
      }
    }
    return node;
  }

  Node* LastOf(const SkipList& list) const {
    Node* node = list.head;
    for (int level = list.height.load(std::memory_order_relaxed) - 1; level >= 0; --level) {
      for (Node* next = NextOf(node, level); next != nullptr; next = NextOf(node, level)) {
        node = next;
      }
    }
    return node;
  }

  const SkipList* ExistingListFor(const Slice& user_key) const {
    return buckets_[BucketOf(user_key)].load(std::memory_order_acquire);
  }

  const KeyComparator& compare() const { return compare_; }
  size_t bucket_count() const { return bucket_count_; }
  // The prefix an entry is hashed by (empty without a prefix extractor).
  Slice PrefixOf(const char* entry) const {
    return prefix_ == nullptr ? Slice() : prefix_->Transform(UserKeyOfEntry(entry));
  }
  const SkipList* Bucket(size_t i) const { return buckets_[i].load(std::memory_order_acquire); }

 private:
  size_t BucketOf(const Slice& user_key) const {
    if (bucket_count_ == 1) return 0;
    const Slice prefix = prefix_->Transform(user_key);
    return std::hash<std::string_view>{}(std::string_view(prefix.data(), prefix.size())) %
           bucket_count_;
  }

  SkipList& ListFor(const Slice& user_key) {
    std::atomic<SkipList*>& bucket = buckets_[BucketOf(user_key)];
    SkipList* list = bucket.load(std::memory_order_relaxed);  // only the writer stores
    if (list != nullptr) return *list;
    list = new (allocator_->AllocateAligned(sizeof(SkipList))) SkipList;
    list->head = NewNode(*allocator_, max_height_, 0);
    list->before =
        new (allocator_->AllocateAligned(sizeof(Node*) * max_height_)) Node*[max_height_];
    std::fill_n(list->before, max_height_, list->head);
    bucket.store(list, std::memory_order_release);
    return *list;
  }

  // Whether `key` goes just after the last key inserted, where `list.before` already points.
  bool LandsJustAfterLast(const SkipList& list, const char* key) const {
    if (list.last == nullptr || compare_(KeyOf(list.last), key) >= 0) return false;
    const Node* next = NextOf(list.last, 0);
    return next == nullptr || compare_(KeyOf(next), key) > 0;
  }

  int RandomHeight() {
    int height = 1;
    while (height < max_height_ && NextRandom() % branching_ == 0) ++height;
    return height;
  }
  uint64_t NextRandom() {  // xorshift64: the writer's alone
    random_ ^= random_ << 13;
    random_ ^= random_ >> 7;
    random_ ^= random_ << 17;
    return random_;
  }

  const KeyComparator& compare_;
  const rocksdb::SliceTransform* const prefix_;
  const size_t bucket_count_;
  const int max_height_;
  const int branching_;
  std::atomic<SkipList*>* const buckets_;
  struct Allocated {
    Node* node = nullptr;
    int height = 0;
  } allocated_;  // the writer's alone: Allocate's node, until it is inserted
  uint64_t random_ = 0x9e3779b97f4a7c15;
};

// Walks one skip list. As a prefix iterator, each Seek moves it to the list of the target's
// prefix; a full one keeps to the one list there is.
class ListIterator final : public MemTableRep::Iterator {
 public:
  ListIterator(const PrefixHashedMemTable& table, bool follows_prefix)
      : table_(table), follows_prefix_(follows_prefix) {
    if (!follows_prefix_) list_ = table_.Bucket(0);
  }

  bool Valid() const override { return node_ != nullptr; }
  const char* key() const override { return KeyOf(node_); }
  void Next() override { node_ = NextOf(node_, 0); }
  void Prev() override { node_ = NodeOrNothing(table_.LastBefore(*list_, KeyOf(node_))); }

  void Seek(const Slice& internal_key, const char* entry) override {
    if (follows_prefix_) list_ = table_.ExistingListFor(UserKeyOfInternal(internal_key));
    if (list_ == nullptr) {
      node_ = nullptr;
    } else if (entry != nullptr) {
      node_ = table_.Search(*list_, entry, nullptr);
    } else {
      node_ = table_.Search(*list_, internal_key, nullptr);
    }
  }

  void SeekForPrev(const Slice& internal_key, const char* entry) override {
    Seek(internal_key, entry);
    if (list_ == nullptr) return;
    if (node_ == nullptr) {
      node_ = NodeOrNothing(table_.LastOf(*list_));
    } else if (table_.compare()(KeyOf(node_), internal_key) > 0) {
      Prev();
    }
  }

  // A prefix iterator has no order across prefixes: like RocksDB's, it is then not Valid().
  void SeekToFirst() override {
    node_ = (follows_prefix_ || list_ == nullptr) ? nullptr : NextOf(list_->head, 0);
  }
  void SeekToLast() override {
    node_ = (follows_prefix_ || list_ == nullptr) ? nullptr : NodeOrNothing(table_.LastOf(*list_));
  }

 private:
  Node* NodeOrNothing(Node* node) const { return node == list_->head ? nullptr : node; }

  const PrefixHashedMemTable& table_;
  const bool follows_prefix_;
  const SkipList* list_ = nullptr;
  const Node* node_ = nullptr;
};

// Every entry, in order, as they were when it was made: what a flush reads. Each list is in
// order, and holds one prefix or a few that hash alike, each prefix's entries together. Cut at
// each change of prefix, its runs are sorted by their first entries and put end to end, which is
// the whole in order whenever the prefix is the key's leading bytes, as it is for every family
// here: one pass checks it. Only if it is not is the whole sorted.
class SnapshotIterator final : public MemTableRep::Iterator {
  struct Less {
    const KeyComparator& compare;
    bool operator()(const char* a, const char* b) const { return compare(a, b) < 0; }
  };
  struct Run {
    size_t begin, end;  // of entries_
  };

 public:
  explicit SnapshotIterator(const PrefixHashedMemTable& table) : compare_(table.compare()) {
    std::vector<Run> runs = CollectRuns(table);
    std::sort(runs.begin(), runs.end(), [&](const Run& a, const Run& b) {
      return compare_(entries_[a.begin], entries_[b.begin]) < 0;
    });
    std::vector<const char*> ordered;
    ordered.reserve(entries_.size());
    for (const Run& run : runs) {
      ordered.insert(ordered.end(), entries_.begin() + run.begin, entries_.begin() + run.end);
    }
    entries_ = std::move(ordered);
    if (!std::is_sorted(entries_.begin(), entries_.end(), Less{compare_})) {
      std::sort(entries_.begin(), entries_.end(), Less{compare_});
    }
    position_ = entries_.size();
  }

  bool Valid() const override { return position_ < entries_.size(); }
  const char* key() const override { return entries_[position_]; }
  void Next() override { ++position_; }
  void Prev() override { position_ = position_ == 0 ? entries_.size() : position_ - 1; }

  void Seek(const Slice& internal_key, const char*) override {
    position_ = FirstNotBefore(internal_key);
  }
  void SeekForPrev(const Slice& internal_key, const char*) override {
    const size_t first_after =
        static_cast<size_t>(std::partition_point(entries_.begin(), entries_.end(),
                                                 [&](const char* entry) {
                                                   return compare_(entry, internal_key) <= 0;
                                                 }) -
                            entries_.begin());
    position_ = first_after == 0 ? entries_.size() : first_after - 1;
  }
  void SeekToFirst() override { position_ = 0; }
  void SeekToLast() override { position_ = entries_.empty() ? 0 : entries_.size() - 1; }

 private:
  // Every list's entries into entries_, one run for each prefix's in each list.
  std::vector<Run> CollectRuns(const PrefixHashedMemTable& table) {
    std::vector<Run> runs;
    for (size_t i = 0; i < table.bucket_count(); ++i) {
      const SkipList* list = table.Bucket(i);
      if (list == nullptr) continue;
      bool first_in_list = true;
      Slice run_prefix;
      for (const Node* node = NextOf(list->head, 0); node != nullptr; node = NextOf(node, 0)) {
        const char* entry = KeyOf(node);
        const Slice prefix = table.PrefixOf(entry);
        if (first_in_list || prefix != run_prefix) {
          runs.push_back({.begin = entries_.size(), .end = entries_.size()});
          run_prefix = prefix;
          first_in_list = false;
        }
        entries_.push_back(entry);
        runs.back().end = entries_.size();
      }
    }
    return runs;
  }
  size_t FirstNotBefore(const Slice& internal_key) const {
    return static_cast<size_t>(
        std::partition_point(entries_.begin(), entries_.end(),
                             [&](const char* entry) { return compare_(entry, internal_key) < 0; }) -
        entries_.begin());
  }

  const KeyComparator& compare_;
  std::vector<const char*> entries_;
  size_t position_;
};

// An iterator in `arena` if RocksDB gives one (it then destroys it without freeing it), else on
// the heap (it deletes it).
template <typename T, typename... Args>
MemTableRep::Iterator* MakeIterator(rocksdb::Arena* arena, Args&&... args) {
  if (arena == nullptr) return new T(std::forward<Args>(args)...);
  return new (AsAllocator(arena)->AllocateAligned(sizeof(T))) T(std::forward<Args>(args)...);
}

MemTableRep::Iterator* PrefixHashedMemTable::GetIterator(rocksdb::Arena* arena) {
  if (bucket_count_ == 1) return MakeIterator<ListIterator>(arena, *this, false);
  return MakeIterator<SnapshotIterator>(arena, *this);
}

MemTableRep::Iterator* PrefixHashedMemTable::GetDynamicPrefixIterator(rocksdb::Arena* arena) {
  return MakeIterator<ListIterator>(arena, *this, bucket_count_ > 1);
}

// The shape's fields by name, so that the store's OPTIONS file says how its memtables are built.
const std::unordered_map<std::string, rocksdb::OptionTypeInfo>& ShapeOptions() {
  static const auto* const options = new std::unordered_map<std::string, rocksdb::OptionTypeInfo>{
      {"bucket_count",
       {offsetof(PrefixHashedMemTableShape, bucket_count), rocksdb::OptionType::kSizeT}},
      {"max_height", {offsetof(PrefixHashedMemTableShape, max_height), rocksdb::OptionType::kInt}},
      {"branching", {offsetof(PrefixHashedMemTableShape, branching), rocksdb::OptionType::kInt}},
  };
  return *options;
}

class PrefixHashedMemTableFactory final : public rocksdb::MemTableRepFactory {
 public:
  explicit PrefixHashedMemTableFactory(const PrefixHashedMemTableShape& shape) : shape_(shape) {
    RegisterOptions("PrefixHashedMemTableShape", &shape_, &ShapeOptions());
  }

  using MemTableRepFactory::CreateMemTableRep;
  MemTableRep* CreateMemTableRep(const KeyComparator& compare, rocksdb::Allocator* allocator,
                                 const rocksdb::SliceTransform* prefix, rocksdb::Logger*) override {
    return new PrefixHashedMemTable(compare, allocator, prefix, shape_);
  }
  const char* Name() const override { return "feedback.PrefixHashedMemTable"; }

 private:
  PrefixHashedMemTableShape shape_;
};

}  // namespace

std::shared_ptr<rocksdb::MemTableRepFactory> NewPrefixHashedMemTableFactory(
    const PrefixHashedMemTableShape& shape) {
  return std::make_shared<PrefixHashedMemTableFactory>(shape);
}

}  // namespace feedback::storage
