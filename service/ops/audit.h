// The audit log: who read or changed what, appended in the same atomic batch as the change (or
// durably before the data is returned). Entries hold ids, never personal text; no RPC edits them.
#ifndef FEEDBACK_SERVICE_OPS_AUDIT_H_
#define FEEDBACK_SERVICE_OPS_AUDIT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/access.h"
#include "storage/feedback_store.h"
#include "storage/layout.h"
#include "storage/transaction.h"

namespace feedback {

// "audit/<16 hex digits of Unix micros>/<random>": key order is time order (storage/layout.h).
using storage::layout::kAuditPrefix;

// What an entry says, apart from who and when.
struct AuditEvent {
  explicit AuditEvent(std::string action, std::vector<std::string> ids = {},
                      std::string detail = "")
      : action(std::move(action)), ids(std::move(ids)), detail(std::move(detail)) {}

  std::string action;  // e.g. "feedback.read"; docs/security.md lists every action
  std::vector<std::string> ids;
  std::string detail;  // non-personal: a role, a quarter, a count
};

// Stages one entry in `txn`, so it is durable exactly when the change it records is.
[[nodiscard]] absl::Status AppendAudit(storage::Transaction& txn, const Principal& actor,
                                       absl::Time now, AuditEvent event);

// An operation that only appends an entry: for reads, committed before the data is returned.
storage::WriteOp AuditOp(Principal actor, absl::Time now, AuditEvent event);

// One page of entries, oldest first, from `request.since` or after the page token.
struct AuditPage {
  std::vector<v1::AuditEntry> entries;
  std::string next_page_token;
};
[[nodiscard]] absl::StatusOr<AuditPage> ReadAudit(const storage::FeedbackStore& store,
                                                  const v1::ListAuditRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_AUDIT_H_
