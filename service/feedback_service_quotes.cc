// Handlers for quotes: consented items, redacted, approved by a qa_manager.
#include "service/feedback_service.h"
#include "service/rpc_support.h"

namespace feedback {

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListQuotes(grpc::CallbackServerContext* context,
                                                          const v1::ListQuotesRequest*,
                                                          v1::ListQuotesResponse*) {
  absl::StatusOr<Principal> caller = Admit(context, "ListQuotes");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("ListQuotes: not built yet"));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ApproveQuote(grpc::CallbackServerContext* context,
                                                            const v1::ApproveQuoteRequest*,
                                                            v1::Quote*) {
  absl::StatusOr<Principal> caller = Admit(context, "ApproveQuote");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("ApproveQuote: not built yet"));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::WithdrawQuote(grpc::CallbackServerContext* context,
                                                             const v1::WithdrawQuoteRequest*,
                                                             v1::Quote*) {
  absl::StatusOr<Principal> caller = Admit(context, "WithdrawQuote");
  if (!caller.ok()) return FinishNow(context, caller.status());
  return FinishNow(context, absl::UnimplementedError("WithdrawQuote: not built yet"));
}

}  // namespace feedback
