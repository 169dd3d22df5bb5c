// The two classes of RocksDB's source that a memtable of our own needs and Debian's package does
// not install. Its plug-in interface (rocksdb/memtablerep.h) hands a memtable an Allocator, each
// iterator it asks for an Arena to be built in, and each point look-up a LookupKey, but only
// declares them: their headers (memory/allocator.h, db/dbformat.h) are in RocksDB's source. These
// are their declarations as RocksDB 7.8 has them. The library calls the Allocator through its own
// vtable and lays out the LookupKey it passes, so both must match it exactly: the build stops on
// any other RocksDB. Internal to storage/.
#ifndef FEEDBACK_STORAGE_ROCKSDB_INTERNALS_H_
#define FEEDBACK_STORAGE_ROCKSDB_INTERNALS_H_

#include <cstddef>
#include <cstdint>

#include "rocksdb/memtablerep.h"
#include "rocksdb/slice.h"
#include "rocksdb/version.h"

static_assert(ROCKSDB_MAJOR == 7 && ROCKSDB_MINOR == 8,
              "storage/rocksdb_internals.h declares RocksDB 7.8's Allocator and LookupKey: check "
              "them against memory/allocator.h and db/dbformat.h of this RocksDB");

namespace ROCKSDB_NAMESPACE {

class Allocator {
 public:
  virtual ~Allocator() {}
  virtual char* Allocate(size_t bytes) = 0;
  virtual char* AllocateAligned(size_t bytes, size_t huge_page_size = 0,
                                Logger* logger = nullptr) = 0;
  virtual size_t BlockSize() const = 0;
};

// A key to look up: its entry as a memtable holds one (a varint32 length, the user key, 8 bytes
// of sequence and type), made by RocksDB (its constructor is the library's).
class LookupKey {
 public:
  LookupKey(const Slice& user_key, uint64_t sequence, const Slice* timestamp = nullptr);
  ~LookupKey() {
    if (start_ != space_) delete[] start_;
  }
  LookupKey(const LookupKey&) = delete;
  LookupKey& operator=(const LookupKey&) = delete;

  Slice memtable_key() const { return Slice(start_, static_cast<size_t>(end_ - start_)); }
  Slice internal_key() const { return Slice(kstart_, static_cast<size_t>(end_ - kstart_)); }
  Slice user_key() const { return Slice(kstart_, static_cast<size_t>(end_ - kstart_ - 8)); }

 private:
  const char* start_;
  const char* kstart_;
  const char* end_;
  char space_[200];
};

}  // namespace ROCKSDB_NAMESPACE

namespace feedback::storage {

// An iterator's Arena as the Allocator it is (in RocksDB 7.8, `class Arena : public Allocator`,
// its only base, so the two share an address).
inline rocksdb::Allocator* AsAllocator(rocksdb::Arena* arena) {
  return reinterpret_cast<rocksdb::Allocator*>(arena);
}

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_ROCKSDB_INTERNALS_H_
