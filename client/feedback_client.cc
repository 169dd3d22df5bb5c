#include "client/feedback_client.h"

#include <uuid/uuid.h>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "service/validation.h"

namespace feedback::client {

std::string NewSubmissionId() {
  uuid_t uuid;
  uuid_generate_random(uuid);
  char text[37];
  uuid_unparse_lower(uuid, text);
  return text;
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

FeedbackClient::FeedbackClient(const ClientOptions& options)
    : options_(options),
      stub_(v1::FeedbackService::NewStub(
          grpc::CreateChannel(options.server, grpc::InsecureChannelCredentials()))) {}

std::unique_ptr<grpc::ClientContext> FeedbackClient::NewContext(bool with_deadline) const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (with_deadline) context->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!options_.token.empty()) context->AddMetadata("authorization", "Bearer " + options_.token);
  return context;
}

absl::StatusOr<v1::SubmitFeedbackResponse> FeedbackClient::Submit(v1::Feedback feedback) const {
  if (feedback.submission_id().empty()) feedback.set_submission_id(NewSubmissionId());
  // Protobuf would send bytes that are not UTF-8 and leave the server unable to parse them.
  if (!IsValidUtf8(feedback.text())) {
    return absl::InvalidArgumentError(
        "feedback.text: is not valid UTF-8 (save the file as UTF-8 and try again)");
  }
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = std::move(feedback);
  return Call(&v1::FeedbackService::Stub::SubmitFeedback, request);
}

absl::StatusOr<v1::Feedback> FeedbackClient::Get(const std::string& id) const {
  v1::GetFeedbackRequest request;
  request.set_id(id);
  return Call(&v1::FeedbackService::Stub::GetFeedback, request);
}

absl::StatusOr<v1::ListFeedbackResponse> FeedbackClient::List(
    const v1::ListFeedbackRequest& request) const {
  return Call(&v1::FeedbackService::Stub::ListFeedback, request);
}

}  // namespace feedback::client
