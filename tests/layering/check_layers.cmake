# The layering check: every C++ source under a layer folder may include only what the
# "# may include:" line of that folder's CMakeLists.txt names. Run by ctest (Layering.Includes):
#   cmake -DSOURCE_DIR=<repo> -P tests/layering/check_layers.cmake
# Names on the line: folders of this repository (proto = generated feedback/v1 messages,
# vocabulary, storage, domain, ops, core, rpc, http, ceilings, client/lib, client/report,
# client/demo, client/bench, client/cli) and
# libraries (absl protobuf grpc rocksdb re2 openssl cli11 toml++ boost). A file may always include its
# own folder and the C and C++ standard and POSIX headers.
cmake_minimum_required(VERSION 3.25)

# -DLAYERS=a;b checks only those folders (the test of this check uses it on a bad tree).
if(NOT LAYERS)
  set(LAYERS proto/vocabulary storage service service/domain service/ops service/rpc client
    client/lib client/report client/demo client/bench client/cli service/core service/http
    service/ceilings)
endif()

# The name of what `header` belongs to, or "" for a standard or system header.
function(classify header quoted out)
  set(prefixes
    "feedback/v1/=proto" "proto/vocabulary/=vocabulary" "storage/=storage"
    "service/domain/=domain" "service/ceilings/=ceilings" "service/ops/=ops" "service/rpc/=rpc" "service/core/=core" "service/http/=http"
    "service/=service"
    "client/lib/=client/lib" "client/report/=client/report" "client/demo/=client/demo" "client/bench/=client/bench" "client/cli/=client/cli"
    "client/=client" "absl/=absl" "google/protobuf/=protobuf" "grpcpp/=grpc" "grpc/=grpc"
    "rocksdb/=rocksdb" "re2/=re2" "openssl/=openssl" "CLI/=cli11" "toml++/=toml++" "boost/=boost" "gtest/=gtest" "gmock/=gtest"
    "tests/=tests")
  foreach(entry IN LISTS prefixes)
    string(REPLACE "=" ";" pair "${entry}")
    list(GET pair 0 prefix)
    list(GET pair 1 name)
    string(FIND "${header}" "${prefix}" at)
    if(at EQUAL 0)
      set(${out} "${name}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  if(quoted)
    set(${out} "unknown" PARENT_SCOPE)  # a quoted include must be one of ours or a library's
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# The folder's own name, as other folders' rules spell it.
function(own_name folder out)
  if(folder STREQUAL "proto/vocabulary")
    set(${out} vocabulary PARENT_SCOPE)
  elseif(folder MATCHES "^service/(.+)$")
    set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  else()
    set(${out} "${folder}" PARENT_SCOPE)
  endif()
endfunction()

set(violations 0)
foreach(folder IN LISTS LAYERS)
  set(lists_file "${SOURCE_DIR}/${folder}/CMakeLists.txt")
  if(NOT EXISTS "${lists_file}")
    message(SEND_ERROR "${folder}/CMakeLists.txt is missing")
    math(EXPR violations "${violations} + 1")
    continue()
  endif()
  file(STRINGS "${lists_file}" rule REGEX "^# may include:")
  if(NOT rule)
    message(SEND_ERROR "${folder}/CMakeLists.txt has no '# may include:' line")
    math(EXPR violations "${violations} + 1")
    continue()
  endif()
  string(REGEX REPLACE "^# may include:[ ]*" "" allowed "${rule}")
  string(REGEX REPLACE "[ ]+" ";" allowed "${allowed}")
  own_name("${folder}" self)
  list(APPEND allowed "${self}")
  file(GLOB sources "${SOURCE_DIR}/${folder}/*.cc" "${SOURCE_DIR}/${folder}/*.h"
    "${SOURCE_DIR}/${folder}/*.cc.in")
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" includes REGEX "^#include [\"<]")
    foreach(line IN LISTS includes)
      string(REGEX MATCH "^#include ([\"<])([^\">]+)" _ "${line}")
      set(quoted OFF)
      if(CMAKE_MATCH_1 STREQUAL "\"")
        set(quoted ON)
      endif()
      classify("${CMAKE_MATCH_2}" ${quoted} name)
      if(name STREQUAL "" OR name IN_LIST allowed)
        continue()
      endif()
      file(RELATIVE_PATH shown "${SOURCE_DIR}" "${source}")
      message(SEND_ERROR "${shown}: includes ${CMAKE_MATCH_2} (${name}); "
        "${folder} may include only: ${allowed}")
      math(EXPR violations "${violations} + 1")
    endforeach()
  endforeach()
endforeach()
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} include(s) break the layering")
endif()
message(STATUS "layering: every include follows its folder's rule")
