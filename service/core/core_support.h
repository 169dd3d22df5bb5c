// Small pieces the handler files of FeedbackCore share: refusing a role, answering after a
// durable write or after a durable audit entry. Internal to service/core.
#ifndef FEEDBACK_SERVICE_CORE_CORE_SUPPORT_H_
#define FEEDBACK_SERVICE_CORE_CORE_SUPPORT_H_

#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/core/feedback_core.h"
#include "service/core/gatekeeper.h"
#include "service/ops/audit.h"
#include "storage/group_commit_writer.h"
#include "storage/transaction.h"

namespace feedback {

// True if `caller`'s role may call `method`; otherwise `reply` gets PERMISSION_DENIED (as
// Admit would have said) and false is returned: the operation must return at once.
template <typename T>
bool Permits(const Principal& caller, std::string_view method, Reply<T>& reply) {
  absl::Status allowed = CheckAllowed(method, caller.role);
  if (allowed.ok()) return true;
  std::move(reply)(std::move(allowed));
  return false;
}
// The same for a stream: `sink` is finished with PERMISSION_DENIED.
template <typename Message>
bool Permits(const Principal& caller, std::string_view method, StreamSink<Message>& sink) {
  absl::Status allowed = CheckAllowed(method, caller.role);
  if (allowed.ok()) return true;
  sink.Finish(allowed);
  return false;
}

// Sends `op` to the writer; once it is durable, `reply` gets `respond(result)` (a Response made
// from the op's own result, on the writer thread), or the op's error.
template <typename Response, typename Result, typename Respond>
void WriteThenReply(storage::GroupCommitWriter& writer, storage::TypedWriteOp<Result> op,
                    Reply<Response> reply, Respond respond) {
  writer.Submit(std::move(op), [reply = std::move(reply), respond = std::move(respond)](
                                   absl::StatusOr<Result> result) mutable {
    if (!result.ok()) {
      std::move(reply)(result.status());
      return;
    }
    std::move(reply)(respond(*result));
  });
}

// Answers `response` (raw feedback, or a referral's reason) only once the audit entry of the
// read is durable; if the entry cannot be written, `reply` gets the error instead of the data.
template <typename Response>
void AuditThenReply(storage::GroupCommitWriter& writer, Principal caller, AuditEvent event,
                    Response response, Reply<Response> reply) {
  writer.Submit(
      AuditOp(std::move(caller), absl::Now(), std::move(event)),
      [response = std::move(response), reply = std::move(reply)](absl::Status status) mutable {
        if (!status.ok()) {
          std::move(reply)(std::move(status));
          return;
        }
        std::move(reply)(std::move(response));
      });
}

// `op`, then its audit entry, in the same atomic batch (nothing is audited if `op` fails).
template <typename Result>
storage::TypedWriteOp<Result> WithAudit(storage::TypedWriteOp<Result> op, Principal caller,
                                        absl::Time now, AuditEvent event) {
  return storage::AndThen(std::move(op),
                          [caller = std::move(caller), now, event = std::move(event)](
                              storage::Transaction& txn, const Result&) mutable {
                            return AppendAudit(txn, caller, now, std::move(event));
                          });
}

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_CORE_SUPPORT_H_
