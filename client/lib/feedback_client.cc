#include "client/lib/feedback_client.h"

#include <uuid/uuid.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "proto/vocabulary/utf8.h"

namespace feedback::client {
namespace {

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(const ClientOptions& options) {
  if (options.tls_root_certs.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.tls_root_certs;
  ssl.pem_cert_chain = options.tls_client_cert;
  ssl.pem_private_key = options.tls_client_key;
  return grpc::SslCredentials(ssl);
}

// gRPC's own reconnect backoff (1 s at first by default) would make early retries fail at once
// without trying the server again; align it with the retry policy.
std::shared_ptr<grpc::Channel> NewChannel(const ClientOptions& options) {
  const auto milliseconds = [](absl::Duration d) {
    return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 1, 60'000));
  };
  const int initial = milliseconds(options.retry.initial_backoff);
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, initial);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                   std::max(initial, milliseconds(options.retry.max_backoff)));
  if (options.own_connection) arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(options.server, CredentialsFor(options), arguments);
}

}  // namespace

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

bool IsUnreachable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable ||
         status.code() == absl::StatusCode::kDeadlineExceeded;
}

absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry) {
  const double scale = std::pow(std::max(policy.backoff_multiplier, 1.0), std::max(retry - 1, 0));
  // Compare as doubles first: initial_backoff * scale can overflow a Duration.
  if (absl::ToDoubleSeconds(policy.initial_backoff) * scale >=
      absl::ToDoubleSeconds(policy.max_backoff)) {
    return policy.max_backoff;
  }
  return policy.initial_backoff * scale;
}

FeedbackClient::FeedbackClient(const ClientOptions& options)
    : options_(options),
      channel_(NewChannel(options)),
      stub_(v1::FeedbackService::NewStub(channel_)) {}

bool FeedbackClient::Connect(absl::Duration timeout) const {
  const auto deadline = absl::ToChronoTime(absl::Now() + timeout);
  // Not WaitForConnected: it would try again until the deadline after a refusal.
  for (grpc_connectivity_state state = channel_->GetState(/*try_to_connect=*/true);
       state != GRPC_CHANNEL_READY; state = channel_->GetState(/*try_to_connect=*/true)) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE || state == GRPC_CHANNEL_SHUTDOWN) return false;
    if (!channel_->WaitForStateChange(state, deadline)) return false;
  }
  return true;
}

absl::Duration FeedbackClient::Backoff(int retry) const {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const double ceiling = absl::ToDoubleSeconds(BackoffCeiling(options_.retry, retry));
  if (ceiling <= 0) return absl::ZeroDuration();
  return absl::Seconds(std::uniform_real_distribution<double>(0, ceiling)(random));
}

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
  // The same request, so the same submission_id, on every attempt.
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
