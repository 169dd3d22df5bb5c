// The memory RocksDB hands a memtable of our own. Its plug-in interface (rocksdb/memtablerep.h)
// passes a memtable an Allocator, and each iterator it asks for an Arena to be built in, but only
// declares the two classes: their header (memory/allocator.h) is in RocksDB's source, not in
// Debian's package. This is that header's Allocator as RocksDB 7.8 has it. A memtable calls it
// through the library's own vtable, so it must match the library exactly: the build stops on any
// other RocksDB. Internal to storage/.
#ifndef FEEDBACK_STORAGE_MEMTABLE_ALLOCATOR_H_
#define FEEDBACK_STORAGE_MEMTABLE_ALLOCATOR_H_

#include <cstddef>

#include "rocksdb/memtablerep.h"
#include "rocksdb/version.h"

static_assert(ROCKSDB_MAJOR == 7 && ROCKSDB_MINOR == 8,
              "storage/memtable_allocator.h declares RocksDB 7.8's Allocator: check it against "
              "memory/allocator.h of this RocksDB");

namespace ROCKSDB_NAMESPACE {

class Allocator {
 public:
  virtual ~Allocator() {}
  virtual char* Allocate(size_t bytes) = 0;
  virtual char* AllocateAligned(size_t bytes, size_t huge_page_size = 0,
                                Logger* logger = nullptr) = 0;
  virtual size_t BlockSize() const = 0;
};

}  // namespace ROCKSDB_NAMESPACE

namespace feedback::storage {

// An iterator's Arena as the Allocator it is (in RocksDB 7.8, `class Arena : public Allocator`,
// its only base, so the two share an address).
inline rocksdb::Allocator* AsAllocator(rocksdb::Arena* arena) {
  return reinterpret_cast<rocksdb::Allocator*>(arena);
}

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_MEMTABLE_ALLOCATOR_H_
