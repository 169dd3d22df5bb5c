// The client library every feedbackd client uses (CLI, kiosk, report tools).
#ifndef FEEDBACK_CLIENT_FEEDBACK_CLIENT_H_
#define FEEDBACK_CLIENT_FEEDBACK_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.grpc.pb.h"

namespace feedback::client {

struct ClientOptions {
  // host:port of feedbackd. Default: 127.0.0.1:50051.
  std::string server = "127.0.0.1:50051";
  // Deadline of every call. Default: 10 s.
  absl::Duration timeout = absl::Seconds(10);
  // Bearer token sent as `authorization` metadata; empty: none. Default: empty.
  std::string token;
};

// Thread-safe; one channel shared by all calls.
class FeedbackClient {
 public:
  explicit FeedbackClient(const ClientOptions& options);

  // Stores `feedback`; a missing submission_id is generated (a random UUID) first.
  [[nodiscard]] absl::StatusOr<v1::SubmitFeedbackResponse> Submit(v1::Feedback feedback) const;
  [[nodiscard]] absl::StatusOr<v1::Feedback> Get(const std::string& id) const;
  [[nodiscard]] absl::StatusOr<v1::ListFeedbackResponse> List(
      const v1::ListFeedbackRequest& request) const;

 private:
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  ClientOptions options_;
  std::unique_ptr<v1::FeedbackService::Stub> stub_;
};

// A random (version 4) UUID in lower case, from libuuid.
std::string NewSubmissionId();

// The one place a gRPC status becomes an absl::Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_FEEDBACK_CLIENT_H_
