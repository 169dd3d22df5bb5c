// The HTTP door's method table: one line per unary RPC, each the same generic adapter over the
// FeedbackCore operation of the same name (as the gRPC door's FEEDBACK_SERVE lines are).
#include "service/http/connect_methods.h"

#include <type_traits>
#include <utility>

namespace feedback::http {
namespace {

// RequestParam is `const Request&`, or `Request` for an operation that takes its request over
// (SubmitFeedback): the door's parsed request is moved in.
template <typename RequestParam, typename Response>
using UnaryOp = void (FeedbackCore::*)(const Principal&, RequestParam, Reply<Response>);

template <typename RequestParam, typename Response>
ConnectMethod Unary(UnaryOp<RequestParam, Response> op) {
  using Request = std::remove_cvref_t<RequestParam>;
  ConnectMethod method;
  method.request_type = Request::descriptor();
  method.response_type = Response::descriptor();
  method.new_request = [] { return std::make_unique<Request>(); };
  method.call = [op](FeedbackCore& core, const Principal& caller,
                     google::protobuf::Message& request, ConnectMethod::Done done) {
    // A checked downcast: the door parsed `request` from new_request, so it is a Request; if a
    // table entry were ever wired wrongly, the call fails rather than reading the wrong type.
    auto* typed = google::protobuf::DynamicCastToGenerated<Request>(&request);
    if (typed == nullptr) {
      std::move(done)(absl::InternalError("the request is not of the method's type"));
      return;
    }
    (core.*op)(caller, std::move(*typed),
               [done = std::move(done)](absl::StatusOr<Response> response) mutable {
                 if (!response.ok()) {
                   std::move(done)(response.status());
                   return;
                 }
                 std::move(done)(std::make_unique<Response>(*std::move(response)));
               });
  };
  return method;
}

absl::flat_hash_map<std::string, ConnectMethod> MakeTable() {
  absl::flat_hash_map<std::string, ConnectMethod> table;
#define FEEDBACK_CONNECT(Method) table.emplace(#Method, Unary(&FeedbackCore::Method))
  FEEDBACK_CONNECT(SubmitFeedback);
  FEEDBACK_CONNECT(GetFeedback);
  FEEDBACK_CONNECT(ListFeedback);
  FEEDBACK_CONNECT(UpdateComplaint);
  FEEDBACK_CONNECT(GetComplaint);
  FEEDBACK_CONNECT(ListComplaints);
  FEEDBACK_CONNECT(CreateAdvocacyReferral);
  FEEDBACK_CONNECT(UpdateAdvocacyReferral);
  FEEDBACK_CONNECT(GetAdvocacyReferral);
  FEEDBACK_CONNECT(ListAdvocacyReferrals);
  FEEDBACK_CONNECT(GetQuarterSummary);
  FEEDBACK_CONNECT(AcknowledgeAlert);
  FEEDBACK_CONNECT(RetagFeedback);
  FEEDBACK_CONNECT(VerifyCounters);
  FEEDBACK_CONNECT(IssueToken);
  FEEDBACK_CONNECT(ListTokens);
  FEEDBACK_CONNECT(RevokeToken);
  FEEDBACK_CONNECT(ListAudit);
  FEEDBACK_CONNECT(ListQuotes);
  FEEDBACK_CONNECT(ApproveQuote);
  FEEDBACK_CONNECT(WithdrawQuote);
  FEEDBACK_CONNECT(EraseFeedback);
  FEEDBACK_CONNECT(PurgeFeedback);
  FEEDBACK_CONNECT(SetLegalHold);
  FEEDBACK_CONNECT(ListLegalHolds);
  FEEDBACK_CONNECT(PublishQuarter);
  FEEDBACK_CONNECT(IssueKioskEnrolment);
  FEEDBACK_CONNECT(EnrolKiosk);
  FEEDBACK_CONNECT(RequestTalkNow);
  FEEDBACK_CONNECT(RecordQualityCheck);
  FEEDBACK_CONNECT(ListQualityChecks);
  FEEDBACK_CONNECT(RecordOversight);
  FEEDBACK_CONNECT(ListOversights);
  FEEDBACK_CONNECT(SetNarrative);
  FEEDBACK_CONNECT(GetNarrative);
  FEEDBACK_CONNECT(CreateBackup);
  FEEDBACK_CONNECT(ListBackups);
  FEEDBACK_CONNECT(VerifyBackup);
#undef FEEDBACK_CONNECT
  return table;
}

}  // namespace

const absl::flat_hash_map<std::string, ConnectMethod>& ConnectMethods() {
  static const auto* const table = new absl::flat_hash_map<std::string, ConnectMethod>(MakeTable());
  return *table;
}

}  // namespace feedback::http
