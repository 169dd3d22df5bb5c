// Where each RPC of FeedbackServiceImpl comes in: its caller is admitted, then its request is
// parsed, then the core operation runs (admit_first.h).
#include "service/rpc/feedback_service.h"

#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "google/protobuf/descriptor.h"
#include "service/core/log.h"
#include "service/rpc/admit_first.h"
#include "service/rpc/credentials.h"

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

// The caller of `method`, admitted by `core` from its metadata.
AdmitFunction AdmitTo(FeedbackCore* core, std::string_view method) {
  return [core, method](grpc::CallbackServerContext* context) -> absl::StatusOr<Principal> {
    absl::StatusOr<Credentials> credentials = CredentialsOf(*context);
    if (!credentials.ok()) return credentials.status();
    return core->Admit(*credentials, method, absl::Now());
  };
}

// Counts each call of `method` in `metrics` (none if null) and logs it (status code, time and
// request id; never the status message, which may quote what the client sent). `method` is one
// of the service's own names (a literal of this file), never something a client sent.
CallFinished RecordTo(Metrics* metrics, std::string_view method) {
  return [metrics, method](const absl::Status& status, absl::Time began,
                           const std::string& request_id) {
    const std::string code = absl::StatusCodeToString(status.code());
    const absl::Duration took = absl::Now() - began;
    if (metrics != nullptr) metrics->RecordCall("grpc", method, code, took);
    LogCall("grpc", method, code, took, request_id);
  };
}

}  // namespace

template <typename RequestParam, typename Response>
void FeedbackServiceImpl::Serve(std::string_view method, UnaryOp<RequestParam, Response> op) {
  using Request = std::remove_cvref_t<RequestParam>;
  MarkMethodRawCallback(
      MethodIndex(method, Request::descriptor(), Response::descriptor(), false),
      AdmitFirstUnary<Request, Response>(
          AdmitTo(core_, method),
          [core = core_, op](const Principal& caller, Request& request, Reply<Response> reply) {
            // Moved: an operation that takes a const Request& only reads it.
            (core->*op)(caller, std::move(request), std::move(reply));
          },
          RecordTo(metrics_, method)));
}

template <typename Request, typename Message>
void FeedbackServiceImpl::Serve(std::string_view method, StreamOp<Request, Message> op) {
  MarkMethodRawCallback(
      MethodIndex(method, Request::descriptor(), Message::descriptor(), true),
      AdmitFirstServerStream<Request, Message>(
          AdmitTo(core_, method),
          [core = core_, op](const Principal& caller, const Request& request,
                             StreamSink<Message>& sink) { (core->*op)(caller, request, sink); },
          RecordTo(metrics_, method)));
}

FeedbackServiceImpl::FeedbackServiceImpl(FeedbackCore* core, Metrics* metrics)
    : core_(core), metrics_(metrics) {
#define FEEDBACK_SERVE(Method) Serve(#Method, &FeedbackCore::Method)
  FEEDBACK_SERVE(SubmitFeedback);
  FEEDBACK_SERVE(GetFeedback);
  FEEDBACK_SERVE(ListFeedback);
  FEEDBACK_SERVE(UpdateComplaint);
  FEEDBACK_SERVE(GetComplaint);
  FEEDBACK_SERVE(ListComplaints);
  FEEDBACK_SERVE(CreateAdvocacyReferral);
  FEEDBACK_SERVE(UpdateAdvocacyReferral);
  FEEDBACK_SERVE(GetAdvocacyReferral);
  FEEDBACK_SERVE(ListAdvocacyReferrals);
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
  FEEDBACK_SERVE(IssueKioskEnrolment);
  FEEDBACK_SERVE(EnrolKiosk);
  FEEDBACK_SERVE(RequestTalkNow);
  FEEDBACK_SERVE(RecordQualityCheck);
  FEEDBACK_SERVE(ListQualityChecks);
  FEEDBACK_SERVE(RecordOversight);
  FEEDBACK_SERVE(ListOversights);
  FEEDBACK_SERVE(SetNarrative);
  FEEDBACK_SERVE(GetNarrative);
  FEEDBACK_SERVE(CreateBackup);
  FEEDBACK_SERVE(ListBackups);
  FEEDBACK_SERVE(VerifyBackup);
#undef FEEDBACK_SERVE
}

}  // namespace feedback
