// Where each RPC of FeedbackServiceImpl comes in: its caller is admitted, then its request is
// parsed, then its handler body runs (service/admit_first.h).
#include <cstdio>
#include <cstdlib>

#include "google/protobuf/descriptor.h"
#include "service/rpc/admit_first.h"
#include "service/rpc/feedback_service.h"

namespace feedback {
namespace {

// The index of `method` in the service, which is the index gRPC's generated code gives it.
// Its request and response must be `request` and `response`, and its streaming `streaming`:
// anything else is a mistake in the list below, and feedbackd stops at once.
int MethodIndex(std::string_view method, const google::protobuf::Descriptor* request,
                const google::protobuf::Descriptor* response, bool server_streaming) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::FeedbackService::service_full_name());
  const google::protobuf::MethodDescriptor* found =
      service == nullptr ? nullptr : service->FindMethodByName(std::string(method));
  if (found == nullptr || found->input_type() != request || found->output_type() != response ||
      found->client_streaming() || found->server_streaming() != server_streaming) {
    std::fprintf(stderr, "feedbackd: internal error: %.*s is not served as the proto declares it\n",
                 static_cast<int>(method.size()), method.data());
    std::abort();
  }
  return found->index();
}

}  // namespace

template <typename Request, typename Response>
void FeedbackServiceImpl::ServeAdmitFirst(std::string_view method,
                                          UnaryBody<Request, Response> body) {
  MarkMethodRawCallback(
      MethodIndex(method, Request::descriptor(), Response::descriptor(), false),
      AdmitFirstUnary<Request, Response>(
          [this, method](grpc::CallbackServerContext* context) { return Admit(context, method); },
          [this, body](grpc::CallbackServerContext* context, Principal caller,
                       const Request* request, Response* response) {
            return (this->*body)(context, std::move(caller), request, response);
          }));
}

template <typename Request, typename Message>
void FeedbackServiceImpl::ServeAdmitFirst(std::string_view method,
                                          StreamBody<Request, Message> body) {
  MarkMethodRawCallback(
      MethodIndex(method, Request::descriptor(), Message::descriptor(), true),
      AdmitFirstServerStream<Request, Message>(
          [this, method](grpc::CallbackServerContext* context) { return Admit(context, method); },
          [this, body](grpc::CallbackServerContext* context, Principal caller,
                       const Request* request) {
            return (this->*body)(context, std::move(caller), request);
          }));
}

void FeedbackServiceImpl::ServeEveryMethodAdmitFirst() {
#define FEEDBACK_SERVE(Method) ServeAdmitFirst(#Method, &FeedbackServiceImpl::Method)
  // SubmitFeedback is served raw by its own handler, which admits before it parses.
  FEEDBACK_SERVE(GetFeedback);
  FEEDBACK_SERVE(ListFeedback);
  FEEDBACK_SERVE(UpdateComplaint);
  FEEDBACK_SERVE(GetComplaint);
  FEEDBACK_SERVE(ListComplaints);
  FEEDBACK_SERVE(CreateAdvocacyReferral);
  FEEDBACK_SERVE(UpdateAdvocacyReferral);
  FEEDBACK_SERVE(GetAdvocacyReferral);
  FEEDBACK_SERVE(GetQuarterSummary);
  FEEDBACK_SERVE(ExportFeedback);
  FEEDBACK_SERVE(WatchAlerts);
  FEEDBACK_SERVE(AcknowledgeAlert);
  FEEDBACK_SERVE(RetagFeedback);
  FEEDBACK_SERVE(VerifyCounters);
  FEEDBACK_SERVE(IssueToken);
  FEEDBACK_SERVE(ListTokens);
  FEEDBACK_SERVE(RevokeToken);
  FEEDBACK_SERVE(ListAudit);
  FEEDBACK_SERVE(ListQuotes);
  FEEDBACK_SERVE(ApproveQuote);
  FEEDBACK_SERVE(WithdrawQuote);
  FEEDBACK_SERVE(EraseFeedback);
  FEEDBACK_SERVE(PurgeFeedback);
  FEEDBACK_SERVE(SetLegalHold);
  FEEDBACK_SERVE(ListLegalHolds);
  FEEDBACK_SERVE(PublishQuarter);
#undef FEEDBACK_SERVE
}

}  // namespace feedback
