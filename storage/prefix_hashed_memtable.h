// A memtable for a family that is read one prefix at a time (its prefix extractor's): a hash of
// skip lists, one per prefix, as RocksDB's own HashSkipListRep, which it replaces for the time
// index and the idempotency family; for the records, which have no prefix extractor, one skip
// list. It differs in what it does not do. Debian builds RocksDB without NDEBUG, so
// HashSkipListRep searches its list a second time on every insert, in an `assert` that the key
// is new, and RocksDB's skip lists check each step of an insert with more comparisons; this
// memtable searches once. It also keeps each key in the same allocation as its node's links, and
// an insert just after the one before it (a group's entries, in key order; records in the order
// they were made) needs no search at all. docs/performance.md (thirty-third pass) has what that
// saves.
//
// Internal to storage/. One writer at a time (allow_concurrent_memtable_write off); readers at
// any time, beside it.
#ifndef FEEDBACK_STORAGE_PREFIX_HASHED_MEMTABLE_H_
#define FEEDBACK_STORAGE_PREFIX_HASHED_MEMTABLE_H_

#include <cstddef>
#include <memory>

#include "rocksdb/memtablerep.h"

namespace feedback::storage {

struct PrefixHashedMemTableShape {
  size_t bucket_count = 1 << 12;  // prefixes hash into this many skip lists
  int max_height = 4;             // of each skip list's nodes
  int branching = 4;              // one node in this many rises a level
};

// For a family with a prefix extractor; without one, every key goes in one skip list, and the
// memtable is an ordinary one.
std::shared_ptr<rocksdb::MemTableRepFactory> NewPrefixHashedMemTableFactory(
    const PrefixHashedMemTableShape& shape);

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_PREFIX_HASHED_MEMTABLE_H_
