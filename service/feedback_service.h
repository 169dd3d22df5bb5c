// The gRPC handlers of feedback.v1.FeedbackService.
#ifndef FEEDBACK_SERVICE_FEEDBACK_SERVICE_H_
#define FEEDBACK_SERVICE_FEEDBACK_SERVICE_H_

#include "feedback/v1/feedback.grpc.pb.h"
#include "service/quarter.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"

namespace feedback {

// Callback-API service. Handlers validate on the gRPC thread and never wait on disk writes:
// submissions go to the GroupCommitWriter, which finishes the call once it is durable.
// Thread-safe. `store` and `writer` are borrowed and must outlive the service.
class FeedbackServiceImpl final : public v1::FeedbackService::CallbackService {
 public:
  FeedbackServiceImpl(storage::FeedbackStore* store, storage::GroupCommitWriter* writer,
                      QuarterCalendar calendar);

  grpc::ServerUnaryReactor* SubmitFeedback(grpc::CallbackServerContext* context,
                                           const v1::SubmitFeedbackRequest* request,
                                           v1::SubmitFeedbackResponse* response) override;
  grpc::ServerUnaryReactor* GetFeedback(grpc::CallbackServerContext* context,
                                        const v1::GetFeedbackRequest* request,
                                        v1::Feedback* response) override;
  grpc::ServerUnaryReactor* ListFeedback(grpc::CallbackServerContext* context,
                                         const v1::ListFeedbackRequest* request,
                                         v1::ListFeedbackResponse* response) override;

 private:
  absl::StatusOr<storage::ListQuery> ToListQuery(const v1::ListFeedbackRequest& request) const;

  storage::FeedbackStore* const store_;
  storage::GroupCommitWriter* const writer_;
  const QuarterCalendar calendar_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_FEEDBACK_SERVICE_H_
