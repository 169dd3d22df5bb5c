// Small helpers for absl::Status plumbing, used by every folder (storage is the lowest library,
// so the project's shared vocabulary lives here). Debian's Abseil has no status_macros.h.
#ifndef FEEDBACK_PROTO_VOCABULARY_STATUS_MACROS_H_
#define FEEDBACK_PROTO_VOCABULARY_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define FEEDBACK_CONCAT_INNER_(a, b) a##b
#define FEEDBACK_CONCAT_(a, b) FEEDBACK_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                           \
  do {                                                  \
    if (absl::Status status_ = (expr); !status_.ok()) { \
      return status_;                                   \
    }                                                   \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, StatusOrExpr())`: binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(FEEDBACK_CONCAT_(statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)   \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()

#endif  // FEEDBACK_PROTO_VOCABULARY_STATUS_MACROS_H_
