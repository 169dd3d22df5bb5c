// Handlers for erasure, retention and legal holds.
#include "service/feedback_service.h"
#include "service/rpc_support.h"

namespace feedback {

grpc::ServerUnaryReactor* FeedbackServiceImpl::EraseFeedback(grpc::CallbackServerContext* context,
                                                             const v1::EraseFeedbackRequest*,
                                                             v1::EraseFeedbackResponse*) {
  absl::StatusOr<Principal> caller = Admit(context, "EraseFeedback");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("EraseFeedback: not built yet"));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::PurgeFeedback(grpc::CallbackServerContext* context,
                                                             const v1::PurgeFeedbackRequest*,
                                                             v1::PurgeFeedbackResponse*) {
  absl::StatusOr<Principal> caller = Admit(context, "PurgeFeedback");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("PurgeFeedback: not built yet"));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::SetLegalHold(grpc::CallbackServerContext* context,
                                                            const v1::SetLegalHoldRequest*,
                                                            v1::LegalHold*) {
  absl::StatusOr<Principal> caller = Admit(context, "SetLegalHold");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("SetLegalHold: not built yet"));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListLegalHolds(grpc::CallbackServerContext* context,
                                                              const v1::ListLegalHoldsRequest*,
                                                              v1::ListLegalHoldsResponse*) {
  absl::StatusOr<Principal> caller = Admit(context, "ListLegalHolds");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("ListLegalHolds: not built yet"));
}

}  // namespace feedback
