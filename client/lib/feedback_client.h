// The client library every feedbackd client uses (CLI, kiosk, report tools).
#ifndef FEEDBACK_CLIENT_LIB_FEEDBACK_CLIENT_H_
#define FEEDBACK_CLIENT_LIB_FEEDBACK_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/lib/safe_to_repeat.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "grpcpp/channel.h"

namespace feedback::client {

// A random (version 4) UUID in lower case, from libuuid.
std::string NewSubmissionId();

// The one place a gRPC status becomes an absl::Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

// True for the codes that mean "the server could not be reached, or did not answer in time":
// UNAVAILABLE and DEADLINE_EXCEEDED. These, and only these, are retried (calls safe to repeat
// only), and they are what sends a submission to the offline outbox.
bool IsUnreachable(const absl::Status& status);

// How a call that failed with UNAVAILABLE or DEADLINE_EXCEEDED is retried, if it is safe to
// repeat (client/lib/safe_to_repeat.h). Every other code is returned at once. A retried
// submission is sent again byte for byte, with the same submission_id, so the server stores it
// once (and answers duplicate = true if the first attempt had in fact been stored).
//
// Backoff is "full jitter": before retry n (n = 1, 2, ...) the client waits a uniformly random
// time in [0, min(max_backoff, initial_backoff * backoff_multiplier^(n-1))]. With the defaults the
// waits add up to at most 1.5 s over the 4 retries (plus each attempt's own deadline).
struct RetryPolicy {
  // Attempts in all, the first included; 1 turns retries off. Default: 5.
  int max_attempts = 5;
  // Ceiling of the wait before the first retry. Default: 100 ms.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  // Each retry's ceiling is the previous one's times this. Default: 2.
  double backoff_multiplier = 2;
  // No wait is longer than this. Default: 2 s.
  absl::Duration max_backoff = absl::Seconds(2);
};

// The ceiling of the (jittered) wait before retry `retry` (1 for the first retry):
// min(max_backoff, initial_backoff * backoff_multiplier^(retry-1)).
absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry);

struct ClientOptions {
  // host:port of feedbackd. Default: 127.0.0.1:50051.
  std::string server = "127.0.0.1:50051";
  // Deadline of every attempt of every call (a retried call may take up to
  // max_attempts * timeout plus the backoff). Default: 10 s.
  absl::Duration timeout = absl::Seconds(10);
  // Bearer token sent as `authorization` metadata; empty: none. Default: empty.
  std::string token;
  // Retries on UNAVAILABLE / DEADLINE_EXCEEDED. Default: see RetryPolicy.
  RetryPolicy retry{};
  // TLS: PEM CA bundle that signed the server's certificate; empty: plaintext. Default: empty.
  std::string tls_root_certs;
  // Mutual TLS: this client's PEM certificate chain and private key. Default: empty (none).
  std::string tls_client_cert;
  std::string tls_client_key;
  // A connection of this client's own. By default gRPC gives every client of this process with
  // the same server and settings one shared connection, which carries at most
  // kMaxStreamsPerConnection calls at once (proto/vocabulary/transport.h). Default: shared.
  bool own_connection = false;
};

// Thread-safe; one channel shared by all calls.
class FeedbackClient {
 public:
  explicit FeedbackClient(const ClientOptions& options);

  // Stores `feedback`; a missing submission_id is generated (a random UUID) first, and every
  // retry sends the same one. Returns the stored item (duplicate = true if the server already
  // held this submission); INVALID_ARGUMENT without sending anything if the text is not UTF-8;
  // otherwise the server's error after the retry policy is spent.
  [[nodiscard]] absl::StatusOr<v1::SubmitFeedbackResponse> Submit(v1::Feedback feedback) const;
  [[nodiscard]] absl::StatusOr<v1::Feedback> Get(const std::string& id) const;
  [[nodiscard]] absl::StatusOr<v1::ListFeedbackResponse> List(
      const v1::ListFeedbackRequest& request) const;

  // Any unary RPC, with this client's deadline and credentials, retried by the retry policy if
  // it is safe to repeat (client/lib/safe_to_repeat.h: reads, and writes the server dedupes);
  // every other call (IssueToken, UpdateComplaint, ...) is tried once: a retry after a lost
  // answer could apply it twice.
  // Example: client.Call(&v1::FeedbackService::Stub::GetComplaint, request)
  template <typename Request, typename Response>
  [[nodiscard]] absl::StatusOr<Response> Call(grpc::Status (v1::FeedbackService::Stub::*method)(
                                                  grpc::ClientContext*, const Request&, Response*),
                                              const Request& request) const {
    const int attempts = SafeToRepeat(request) ? options_.retry.max_attempts : 1;
    for (int attempt = 1;; ++attempt) {
      Response response;
      const auto context = NewContext();
      const absl::Status status =
          FromGrpcStatus((stub_.get()->*method)(context.get(), request, &response));
      if (status.ok()) return response;
      if (!IsUnreachable(status) || attempt >= attempts) return status;
      absl::SleepFor(Backoff(attempt));
    }
  }

  // A context with this client's deadline and credentials (for streaming calls: no deadline).
  std::unique_ptr<grpc::ClientContext> NewContext(bool with_deadline = true) const;
  // Connects now rather than on the first call; false at once if the server cannot be reached
  // (refused, no such host), and false if not connected within `timeout`.
  [[nodiscard]] bool Connect(absl::Duration timeout) const;
  v1::FeedbackService::Stub& stub() const { return *stub_; }
  const ClientOptions& options() const { return options_; }

 private:
  // The jittered wait before retry `retry`.
  absl::Duration Backoff(int retry) const;

  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::FeedbackService::Stub> stub_;
};

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_FEEDBACK_CLIENT_H_
