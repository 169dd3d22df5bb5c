// The gRPC handlers of feedback.v1.FeedbackService.
#ifndef FEEDBACK_SERVICE_RPC_FEEDBACK_SERVICE_H_
#define FEEDBACK_SERVICE_RPC_FEEDBACK_SERVICE_H_

#include <memory>

#include "feedback/v1/feedback.grpc.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/core/gatekeeper.h"
#include "service/domain/disclosure.h"
#include "service/domain/redaction.h"
#include "service/domain/retention.h"
#include "service/ops/alert_hub.h"
#include "service/ops/erasure.h"
#include "service/ops/ledger.h"
#include "service/ops/publication.h"
#include "service/ops/tokens.h"
#include "service/rpc/credentials.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"

namespace feedback {

// The borrowed parts a FeedbackServiceImpl works with; each must outlive it.
struct ServiceParts {
  storage::FeedbackStore* store;
  storage::GroupCommitWriter* writer;
  const Ledger* ledger;
  AlertHub* alerts;
  Gatekeeper* gate;
  TokenRegistry* tokens;
  const RetentionPolicy* retention = nullptr;    // nullptr: keep everything forever
  const DisclosurePolicy* disclosure = nullptr;  // published summaries; null: the default policy
  const Redactor* redactor = nullptr;            // quote candidates
};

// Callback-API service. Every method is served admit first (service/admit_first.h,
// feedback_service_door.cc): the Gatekeeper admits the caller (token, role, rate) before its
// request is parsed, and the handler body below gets the admitted caller and the parsed
// request. Handlers validate on the gRPC thread and never wait on disk writes: every change
// goes to the GroupCommitWriter as one operation, and the call is finished from the writer
// thread once it is durable. Reads are served from the store directly; a read of raw feedback
// is finished only once its audit entry is durable. Thread-safe.
// SubmitFeedback is served raw by its own handler, which admits, then parses (ParseRequest).
// Handlers live in feedback_service.cc (feedback, complaints, advocacy, alerts, summaries),
// feedback_service_admin.cc (tokens, audit), feedback_service_quotes.cc and
// feedback_service_erasure.cc (erasure, retention, legal holds) and feedback_service_publish.cc
// (published quarters).
class FeedbackServiceImpl final : public v1::FeedbackService::WithRawCallbackMethod_SubmitFeedback<
                                      v1::FeedbackService::CallbackService> {
 public:
  FeedbackServiceImpl(ServiceParts parts, QuarterCalendar calendar);

  grpc::ServerUnaryReactor* SubmitFeedback(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  // The other handler bodies: each runs once `caller` is admitted to the method and `request`
  // parsed (ServeEveryMethodAdmitFirst); `request` lives until the call is done.
  grpc::ServerUnaryReactor* GetFeedback(grpc::CallbackServerContext* context, Principal caller,
                                        const v1::GetFeedbackRequest* request,
                                        v1::Feedback* response);
  grpc::ServerUnaryReactor* ListFeedback(grpc::CallbackServerContext* context, Principal caller,
                                         const v1::ListFeedbackRequest* request,
                                         v1::ListFeedbackResponse* response);
  grpc::ServerUnaryReactor* UpdateComplaint(grpc::CallbackServerContext* context, Principal caller,
                                            const v1::UpdateComplaintRequest* request,
                                            v1::Feedback* response);
  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* context, Principal caller,
                                         const v1::GetComplaintRequest* request,
                                         v1::Complaint* response);
  grpc::ServerUnaryReactor* ListComplaints(grpc::CallbackServerContext* context, Principal caller,
                                           const v1::ListComplaintsRequest* request,
                                           v1::ListComplaintsResponse* response);
  grpc::ServerUnaryReactor* CreateAdvocacyReferral(grpc::CallbackServerContext* context,
                                                   Principal caller,
                                                   const v1::CreateAdvocacyReferralRequest* request,
                                                   v1::AdvocacyReferral* response);
  grpc::ServerUnaryReactor* UpdateAdvocacyReferral(grpc::CallbackServerContext* context,
                                                   Principal caller,
                                                   const v1::UpdateAdvocacyReferralRequest* request,
                                                   v1::AdvocacyReferral* response);
  grpc::ServerUnaryReactor* GetAdvocacyReferral(grpc::CallbackServerContext* context,
                                                Principal caller,
                                                const v1::GetAdvocacyReferralRequest* request,
                                                v1::AdvocacyReferral* response);
  grpc::ServerUnaryReactor* GetQuarterSummary(grpc::CallbackServerContext* context,
                                              Principal caller,
                                              const v1::GetQuarterSummaryRequest* request,
                                              v1::QuarterSummary* response);
  grpc::ServerWriteReactor<v1::Feedback>* ExportFeedback(grpc::CallbackServerContext* context,
                                                         Principal caller,
                                                         const v1::ExportFeedbackRequest* request);
  grpc::ServerWriteReactor<v1::Alert>* WatchAlerts(grpc::CallbackServerContext* context,
                                                   Principal caller,
                                                   const v1::WatchAlertsRequest* request);
  grpc::ServerUnaryReactor* AcknowledgeAlert(grpc::CallbackServerContext* context, Principal caller,
                                             const v1::AcknowledgeAlertRequest* request,
                                             v1::Alert* response);
  grpc::ServerUnaryReactor* RetagFeedback(grpc::CallbackServerContext* context, Principal caller,
                                          const v1::RetagFeedbackRequest* request,
                                          v1::RetagFeedbackResponse* response);
  grpc::ServerUnaryReactor* VerifyCounters(grpc::CallbackServerContext* context, Principal caller,
                                           const v1::VerifyCountersRequest* request,
                                           v1::VerifyCountersResponse* response);

  // feedback_service_admin.cc
  grpc::ServerUnaryReactor* IssueToken(grpc::CallbackServerContext* context, Principal caller,
                                       const v1::IssueTokenRequest* request,
                                       v1::IssueTokenResponse* response);
  grpc::ServerUnaryReactor* ListTokens(grpc::CallbackServerContext* context, Principal caller,
                                       const v1::ListTokensRequest* request,
                                       v1::ListTokensResponse* response);
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* context, Principal caller,
                                        const v1::RevokeTokenRequest* request, v1::Token* response);
  grpc::ServerUnaryReactor* ListAudit(grpc::CallbackServerContext* context, Principal caller,
                                      const v1::ListAuditRequest* request,
                                      v1::ListAuditResponse* response);

  // feedback_service_quotes.cc
  grpc::ServerUnaryReactor* ListQuotes(grpc::CallbackServerContext* context, Principal caller,
                                       const v1::ListQuotesRequest* request,
                                       v1::ListQuotesResponse* response);
  grpc::ServerUnaryReactor* ApproveQuote(grpc::CallbackServerContext* context, Principal caller,
                                         const v1::ApproveQuoteRequest* request,
                                         v1::Quote* response);
  grpc::ServerUnaryReactor* WithdrawQuote(grpc::CallbackServerContext* context, Principal caller,
                                          const v1::WithdrawQuoteRequest* request,
                                          v1::Quote* response);

  // feedback_service_erasure.cc
  grpc::ServerUnaryReactor* EraseFeedback(grpc::CallbackServerContext* context, Principal caller,
                                          const v1::EraseFeedbackRequest* request,
                                          v1::EraseFeedbackResponse* response);
  grpc::ServerUnaryReactor* PurgeFeedback(grpc::CallbackServerContext* context, Principal caller,
                                          const v1::PurgeFeedbackRequest* request,
                                          v1::PurgeFeedbackResponse* response);
  grpc::ServerUnaryReactor* SetLegalHold(grpc::CallbackServerContext* context, Principal caller,
                                         const v1::SetLegalHoldRequest* request,
                                         v1::LegalHold* response);
  grpc::ServerUnaryReactor* ListLegalHolds(grpc::CallbackServerContext* context, Principal caller,
                                           const v1::ListLegalHoldsRequest* request,
                                           v1::ListLegalHoldsResponse* response);

  // feedback_service_publish.cc
  grpc::ServerUnaryReactor* PublishQuarter(grpc::CallbackServerContext* context, Principal caller,
                                           const v1::PublishQuarterRequest* request,
                                           v1::PublishedQuarter* response);

 private:
  // The Gatekeeper's verdict on the caller of `method`.
  absl::StatusOr<Principal> Admit(grpc::CallbackServerContext* context, std::string_view method) {
    absl::StatusOr<Credentials> credentials = CredentialsOf(*context);
    if (!credentials.ok()) return credentials.status();
    return gate_->Admit(*credentials, method, absl::Now());
  }
  // The handler bodies above, and how each method is served admit first with its body
  // (feedback_service_door.cc; the constructor calls ServeEveryMethodAdmitFirst).
  template <typename Request, typename Response>
  using UnaryBody = grpc::ServerUnaryReactor* (FeedbackServiceImpl::*)(grpc::CallbackServerContext*,
                                                                       Principal, const Request*,
                                                                       Response*);
  template <typename Request, typename Message>
  using StreamBody = grpc::ServerWriteReactor<Message>* (
      FeedbackServiceImpl::*)(grpc::CallbackServerContext*, Principal, const Request*);
  template <typename Request, typename Response>
  void ServeAdmitFirst(std::string_view method, UnaryBody<Request, Response> body);
  template <typename Request, typename Message>
  void ServeAdmitFirst(std::string_view method, StreamBody<Request, Message> body);
  void ServeEveryMethodAdmitFirst();
  absl::StatusOr<storage::ListQuery> ToListQuery(const v1::ListFeedbackRequest& request) const;
  absl::StatusOr<v1::Complaint> LoadComplaint(const v1::Feedback& record) const;
  absl::Status Verify(v1::VerifyCountersResponse& response) const;

  storage::FeedbackStore* const store_;
  storage::GroupCommitWriter* const writer_;
  const Ledger* const ledger_;
  AlertHub* const alerts_;
  Gatekeeper* const gate_;
  TokenRegistry* const tokens_;
  const DisclosurePolicy* const disclosure_;
  const Redactor* const redactor_;
  const QuarterCalendar calendar_;
  const RetentionPolicy* const retention_;         // may be null
  const std::unique_ptr<QuarterFigures> figures_;  // summaries and published quarters
  // Declared last: destroyed first, after finishing every queued scrub, while the store is open.
  const std::unique_ptr<Scrubber> scrubber_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_FEEDBACK_SERVICE_H_
