// The gRPC handlers of feedback.v1.FeedbackService.
#ifndef FEEDBACK_SERVICE_FEEDBACK_SERVICE_H_
#define FEEDBACK_SERVICE_FEEDBACK_SERVICE_H_

#include "feedback/v1/feedback.grpc.pb.h"
#include "service/alert_hub.h"
#include "service/ledger.h"
#include "service/quarter.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"

namespace feedback {

// Callback-API service. Handlers validate on the gRPC thread and never wait on disk writes:
// every change goes to the GroupCommitWriter as one operation, and the call is finished from
// the writer thread once it is durable. Reads are served from the store directly.
// Thread-safe. `store`, `writer`, `ledger` and `alerts` are borrowed and must outlive it.
// SubmitFeedback is served raw so that text that is not UTF-8 gets an error naming the field.
class FeedbackServiceImpl final : public v1::FeedbackService::WithRawCallbackMethod_SubmitFeedback<
                                      v1::FeedbackService::CallbackService> {
 public:
  FeedbackServiceImpl(storage::FeedbackStore* store, storage::GroupCommitWriter* writer,
                      const Ledger* ledger, AlertHub* alerts, QuarterCalendar calendar);

  grpc::ServerUnaryReactor* SubmitFeedback(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetFeedback(grpc::CallbackServerContext* context,
                                        const v1::GetFeedbackRequest* request,
                                        v1::Feedback* response) override;
  grpc::ServerUnaryReactor* ListFeedback(grpc::CallbackServerContext* context,
                                         const v1::ListFeedbackRequest* request,
                                         v1::ListFeedbackResponse* response) override;
  grpc::ServerUnaryReactor* UpdateComplaint(grpc::CallbackServerContext* context,
                                            const v1::UpdateComplaintRequest* request,
                                            v1::Feedback* response) override;
  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* context,
                                         const v1::GetComplaintRequest* request,
                                         v1::Complaint* response) override;
  grpc::ServerUnaryReactor* ListComplaints(grpc::CallbackServerContext* context,
                                           const v1::ListComplaintsRequest* request,
                                           v1::ListComplaintsResponse* response) override;
  grpc::ServerUnaryReactor* CreateAdvocacyReferral(grpc::CallbackServerContext* context,
                                                   const v1::CreateAdvocacyReferralRequest* request,
                                                   v1::AdvocacyReferral* response) override;
  grpc::ServerUnaryReactor* UpdateAdvocacyReferral(grpc::CallbackServerContext* context,
                                                   const v1::UpdateAdvocacyReferralRequest* request,
                                                   v1::AdvocacyReferral* response) override;
  grpc::ServerUnaryReactor* GetAdvocacyReferral(grpc::CallbackServerContext* context,
                                                const v1::GetAdvocacyReferralRequest* request,
                                                v1::AdvocacyReferral* response) override;
  grpc::ServerUnaryReactor* GetQuarterSummary(grpc::CallbackServerContext* context,
                                              const v1::GetQuarterSummaryRequest* request,
                                              v1::QuarterSummary* response) override;
  grpc::ServerWriteReactor<v1::Feedback>* ExportFeedback(
      grpc::CallbackServerContext* context, const v1::ExportFeedbackRequest* request) override;
  grpc::ServerWriteReactor<v1::Alert>* WatchAlerts(grpc::CallbackServerContext* context,
                                                   const v1::WatchAlertsRequest* request) override;
  grpc::ServerUnaryReactor* AcknowledgeAlert(grpc::CallbackServerContext* context,
                                             const v1::AcknowledgeAlertRequest* request,
                                             v1::Alert* response) override;
  grpc::ServerUnaryReactor* RetagFeedback(grpc::CallbackServerContext* context,
                                          const v1::RetagFeedbackRequest* request,
                                          v1::RetagFeedbackResponse* response) override;
  grpc::ServerUnaryReactor* VerifyCounters(grpc::CallbackServerContext* context,
                                           const v1::VerifyCountersRequest* request,
                                           v1::VerifyCountersResponse* response) override;

 private:
  absl::StatusOr<storage::ListQuery> ToListQuery(const v1::ListFeedbackRequest& request) const;
  absl::StatusOr<v1::Complaint> LoadComplaint(const v1::Feedback& record) const;
  absl::StatusOr<v1::QuarterSummary> Summary(Quarter quarter, v1::ServiceArea area) const;
  absl::Status Verify(v1::VerifyCountersResponse& response) const;

  storage::FeedbackStore* const store_;
  storage::GroupCommitWriter* const writer_;
  const Ledger* const ledger_;
  AlertHub* const alerts_;
  const QuarterCalendar calendar_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_FEEDBACK_SERVICE_H_
