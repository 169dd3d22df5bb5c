// ThreadSanitizer builds only: force-included (-include) into every translation unit by the root
// CMakeLists.txt. Protobuf 3.21's map_field.h gives MapFieldBase two extra members when it is
// compiled with __SANITIZE_THREAD__ defined; Debian's libprotobuf is built without TSan, so our
// objects and the library would disagree on the layout of every map field, and code inlined
// from the headers crashes on maps the library built (google.protobuf.Struct in feedbackctl's
// JSON output). map_field.h is therefore included once here with the macro hidden. The headers
// that must still see TSan (libstdc++'s configuration, abseil's, gRPC's) are included first.
#ifndef FEEDBACK_TESTS_TSAN_PROTOBUF_ABI_H_
#define FEEDBACK_TESTS_TSAN_PROTOBUF_ABI_H_

#ifdef __cplusplus
#include <cstddef>

#include "absl/base/config.h"
#include "grpc/support/port_platform.h"

#pragma push_macro("__SANITIZE_THREAD__")
#undef __SANITIZE_THREAD__
#include "google/protobuf/map_field.h"
#pragma pop_macro("__SANITIZE_THREAD__")
#endif  // __cplusplus

#endif  // FEEDBACK_TESTS_TSAN_PROTOBUF_ABI_H_
