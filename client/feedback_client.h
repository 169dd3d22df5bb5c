// The client library every feedbackd client uses (CLI, kiosk, report tools).
#ifndef FEEDBACK_CLIENT_FEEDBACK_CLIENT_H_
#define FEEDBACK_CLIENT_FEEDBACK_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.grpc.pb.h"

namespace feedback::client {

// A random (version 4) UUID in lower case, from libuuid.
std::string NewSubmissionId();

// The one place a gRPC status becomes an absl::Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

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

  // Any unary RPC, with this client's deadline and credentials.
  // Example: client.Call(&v1::FeedbackService::Stub::GetComplaint, request)
  template <typename Request, typename Response>
  [[nodiscard]] absl::StatusOr<Response> Call(grpc::Status (v1::FeedbackService::Stub::*method)(
                                                  grpc::ClientContext*, const Request&, Response*),
                                              const Request& request) const {
    Response response;
    const auto context = NewContext();
    const grpc::Status status = (stub_.get()->*method)(context.get(), request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  // A context with this client's deadline and credentials (for streaming calls: no deadline).
  std::unique_ptr<grpc::ClientContext> NewContext(bool with_deadline = true) const;
  v1::FeedbackService::Stub& stub() const { return *stub_; }

 private:
  ClientOptions options_;
  std::unique_ptr<v1::FeedbackService::Stub> stub_;
};

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_FEEDBACK_CLIENT_H_
