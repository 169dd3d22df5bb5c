// The methods the HTTP door serves: every unary RPC of feedback.v1.FeedbackService, by name, with
// its request type and the FeedbackCore operation that answers it. One table, one generic
// adapter: no method has code of its own here.
#ifndef FEEDBACK_SERVICE_HTTP_CONNECT_METHODS_H_
#define FEEDBACK_SERVICE_HTTP_CONNECT_METHODS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "service/core/feedback_core.h"

namespace feedback::http {

// How the door calls one unary method. Plain value; thread-safe to call.
struct ConnectMethod {
  // The answer of the operation, moved out of the core's typed reply.
  using Done =
      absl::AnyInvocable<void(absl::StatusOr<std::unique_ptr<google::protobuf::Message>>) &&>;

  const google::protobuf::Descriptor* request_type = nullptr;
  const google::protobuf::Descriptor* response_type = nullptr;
  // A new, empty request of request_type.
  std::function<std::unique_ptr<google::protobuf::Message>()> new_request;
  // Runs the FeedbackCore operation for an admitted caller and a parsed request (of
  // request_type; lent for the call only, and the operation may take it apart); `done` runs
  // exactly once, maybe on the writer thread, with the response (of response_type) or the error.
  std::function<void(FeedbackCore&, const Principal&, google::protobuf::Message&, Done)> call;
};

// Every unary method of FeedbackService the door serves, by its name ("SubmitFeedback"). A
// method of the service missing here is answered `unimplemented` (the unit test
// ConnectMethods.ServeEveryUnaryRpcOfTheService fails until it is added: one line in
// connect_methods.cc). Built once; thread-safe.
const absl::flat_hash_map<std::string, ConnectMethod>& ConnectMethods();

}  // namespace feedback::http

#endif  // FEEDBACK_SERVICE_HTTP_CONNECT_METHODS_H_
