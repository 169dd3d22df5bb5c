# The thin-client check: the client (the feedbackctl binary and the client libraries) holds no
# RocksDB and no server code. Run by ctest (Thin.*):
#   cmake -DNM=<nm> -DCLIENT="<files>" -DSERVER="<server static libraries>" -DWORK=<scratch dir> \
#     -P tests/thin/check_thin_client.cmake
# A client file fails the check when `nm` lists in it (defined, or referenced by a library):
#   - a symbol of RocksDB or of a named server class (FORBIDDEN below), or
#   - any symbol that a server library defines (its global T/D/B/R symbols): server code copied
#     or linked into the client, whatever its name.
# Uses nm and the POSIX tools grep, cut, awk, sort and comm.
cmake_minimum_required(VERSION 3.25)

string(JOIN "|" FORBIDDEN "rocksdb::" "feedback::storage::" "FeedbackServiceImpl" "feedback::Ledger"
  "TokenRegistry" "IssueTokenOffline" "feedback::FeedbackCore")

foreach(var NM CLIENT SERVER WORK)
  if(NOT ${var})
    message(FATAL_ERROR "check_thin_client: -D${var}=... is required")
  endif()
endforeach()

set(work "${WORK}")
file(MAKE_DIRECTORY "${work}")

# The server's own symbols: global symbols its libraries define (not weak ones, which inline
# functions and templates shared with every library leave behind), sorted.
execute_process(COMMAND ${NM} --format=posix --defined-only -g ${SERVER}
  COMMAND awk "$2 ~ /^[TDBR]$/ { print $1 }"
  COMMAND sort -u
  OUTPUT_FILE "${work}/server" RESULTS_VARIABLE results)
file(SIZE "${work}/server" size)
if(NOT results MATCHES "^0;0;0$" OR size EQUAL 0)
  message(FATAL_ERROR "nm failed on the server libraries (${results}): nothing to compare")
endif()

set(violations 0)
foreach(file IN LISTS CLIENT)
  get_filename_component(name "${file}" NAME)
  # Every symbol it defines or references, demangled, for the named ones.
  execute_process(COMMAND ${NM} -C --format=posix ${file}
    OUTPUT_FILE "${work}/${name}.demangled" RESULT_VARIABLE failed)
  file(SIZE "${work}/${name}.demangled" size)
  if(failed OR size EQUAL 0)
    message(SEND_ERROR "${name}: nm lists no symbols; the check needs them")
    math(EXPR violations "${violations} + 1")
    continue()
  endif()
  execute_process(COMMAND grep -c -E "${FORBIDDEN}" "${work}/${name}.demangled"
    OUTPUT_VARIABLE count OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(count GREATER 0)
    execute_process(COMMAND grep -m 1 -E "${FORBIDDEN}" "${work}/${name}.demangled"
      OUTPUT_VARIABLE example OUTPUT_STRIP_TRAILING_WHITESPACE)
    message(SEND_ERROR "${name}: ${count} symbol(s) of RocksDB or the server, e.g. ${example}")
    math(EXPR violations "${violations} + 1")
  endif()

  # Every symbol it defines or references, mangled, against the server's.
  execute_process(COMMAND ${NM} --format=posix ${file}
    COMMAND cut -d " " -f 1
    COMMAND sort -u
    OUTPUT_FILE "${work}/${name}.names")
  execute_process(COMMAND comm -12 "${work}/server" "${work}/${name}.names"
    OUTPUT_FILE "${work}/${name}.shared" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "comm failed on ${work}/${name}.names")
  endif()
  file(STRINGS "${work}/${name}.shared" shared)
  list(LENGTH shared count)
  if(count GREATER 0)
    list(GET shared 0 example)
    execute_process(COMMAND c++filt "${example}" OUTPUT_VARIABLE example
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    message(SEND_ERROR "${name}: ${count} symbol(s) that the server libraries define, "
      "e.g. ${example}")
    math(EXPR violations "${violations} + 1")
  endif()
endforeach()
if(violations GREATER 0)
  message(FATAL_ERROR "the client is not thin: ${violations} file(s) hold server code")
endif()
message(STATUS "thin client: no RocksDB and no server symbol in ${CLIENT}")
