# The cast check: our shipped code (service/, storage/, client/, proto/) never casts in a way that
# the UndefinedBehaviorSanitizer checks which the AddressSanitizer step leaves out would catch
# (deploy/test-sanitizers, docs/ci.md):
#   - alignment: reinterpret_cast only to character types (a wider type could be misaligned);
#   - vptr: no static_cast to a pointer or reference of a class (a downcast the compiler cannot
#     check); use dynamic_cast or protobuf's DynamicCastToGenerated, which are checked.
# Run by ctest (Casts.*):  cmake -DSOURCE_DIR=<repo> -P tests/casts/check_casts.cmake
cmake_minimum_required(VERSION 3.25)

# Casts reviewed and allowed, each as FILE|CAST, with why.
set(allowed_casts
  # RocksDB hands a memtable's iterators an Arena, an Allocator by its only base, and does not
  # ship either header; rocksdb_internals.h declares the Allocator and pins RocksDB's version.
  "storage/rocksdb_internals.h|reinterpret_cast<rocksdb::Allocator*>")

if(NOT FOLDERS)
  set(FOLDERS service storage client proto)
endif()
# Character and void types, optionally const, as a pointer or lvalue reference.
set(byte_type "^(const )?(char|unsigned char|signed char|uint8_t|std::uint8_t|std::byte|void)( const)? ?[*&]$")

set(violations 0)
foreach(folder IN LISTS FOLDERS)
  file(GLOB_RECURSE sources "${SOURCE_DIR}/${folder}/*.cc" "${SOURCE_DIR}/${folder}/*.h")
  foreach(source IN LISTS sources)
    file(READ "${source}" text)
    string(REGEX MATCHALL "(reinterpret|static)_cast<[^<>]*>" casts "${text}")
    foreach(cast IN LISTS casts)
      string(REGEX REPLACE "^(reinterpret|static)_cast<(.*)>$" "\\1;\\2" parts "${cast}")
      list(GET parts 0 kind)
      list(GET parts 1 type)
      string(REGEX REPLACE "[ \t\r\n]+" " " type "${type}")
      string(STRIP "${type}" type)
      if(kind STREQUAL "static" AND NOT type MATCHES "[*&]$")
        continue()  # a value conversion, not a pointer or reference
      endif()
      if(type MATCHES "&&$" OR type MATCHES "${byte_type}")
        continue()
      endif()
      file(RELATIVE_PATH where "${SOURCE_DIR}" "${source}")
      if("${where}|${cast}" IN_LIST allowed_casts)
        continue()
      endif()
      message(SEND_ERROR "${where}: ${cast} is a downcast or a cast to a wider type (see this script)")
      math(EXPR violations "${violations} + 1")
    endforeach()
  endforeach()
endforeach()
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} cast(s) that the skipped sanitizer checks would catch")
endif()
message(STATUS "no cast to a wider pointer or reference type")
