// Small pieces every handler file of FeedbackServiceImpl shares: finishing a unary call now,
// after a durable write, or after a durable audit entry.
#ifndef FEEDBACK_SERVICE_RPC_RPC_SUPPORT_H_
#define FEEDBACK_SERVICE_RPC_RPC_SUPPORT_H_

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "proto/vocabulary/grpc_status.h"
#include "service/ops/audit.h"
#include "storage/group_commit_writer.h"

namespace feedback {

inline grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                           const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// Sends `op` to the writer and finishes the call when it is durable: `on_success` fills the
// response from the op's result first (on the writer thread).
template <typename Result, typename OnSuccess>
grpc::ServerUnaryReactor* WriteThenFinish(grpc::CallbackServerContext* context,
                                          storage::GroupCommitWriter& writer,
                                          storage::TypedWriteOp<Result> op, OnSuccess on_success) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  writer.Submit(std::move(op), [reactor, on_success = std::move(on_success)](
                                   absl::StatusOr<Result> result) mutable {
    if (result.ok()) on_success(*result);
    reactor->Finish(ToGrpcStatus(result.status()));
  });
  return reactor;
}

// Finishes a call that returns raw feedback (already in its response) only once the audit
// entry of the read is durable; if the entry cannot be written, the caller gets the error
// instead of the data.
inline grpc::ServerUnaryReactor* AuditThenFinish(grpc::CallbackServerContext* context,
                                                 storage::GroupCommitWriter& writer,
                                                 Principal caller, AuditEvent event) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  writer.Submit(AuditOp(std::move(caller), absl::Now(), std::move(event)),
                [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
  return reactor;
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

// A stream reactor that only reports an error.
template <typename Message>
grpc::ServerWriteReactor<Message>* RefuseStream(const absl::Status& status) {
  class Refusal final : public grpc::ServerWriteReactor<Message> {
   public:
    explicit Refusal(const absl::Status& status) { this->Finish(ToGrpcStatus(status)); }
    void OnDone() override { delete this; }
  };
  return new Refusal(status);
}

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_RPC_SUPPORT_H_
