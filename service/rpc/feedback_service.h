// The gRPC door of feedback.v1.FeedbackService: adapters over FeedbackCore.
#ifndef FEEDBACK_SERVICE_RPC_FEEDBACK_SERVICE_H_
#define FEEDBACK_SERVICE_RPC_FEEDBACK_SERVICE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "service/core/feedback_core.h"
#include "service/core/metrics.h"
#include "service/core/stream_sink.h"

namespace feedback {

// Callback-API service. Every method is served admit first (admit_first.h): the caller's
// metadata is read into Credentials (credentials.h) and admitted by the core (token, role,
// rate) before its request is parsed (wire.h); then the FeedbackCore operation of the same
// name runs, and its reply finishes the call (a stream's messages go through a StreamReactor).
// No rule of the service is here: a method is one line of feedback_service.cc. Thread-safe.
class FeedbackServiceImpl final : public v1::FeedbackService::CallbackService {
 public:
  // `core` and `metrics` (null: none kept) are borrowed and must outlive the service.
  explicit FeedbackServiceImpl(FeedbackCore* core, Metrics* metrics = nullptr);

 private:
  // RequestParam is `const Request&`, or `Request` for an operation that takes its request over
  // (SubmitFeedback): the call's request is moved in.
  template <typename RequestParam, typename Response>
  using UnaryOp = void (FeedbackCore::*)(const Principal&, RequestParam, Reply<Response>);
  template <typename Request, typename Message>
  using StreamOp = void (FeedbackCore::*)(const Principal&, const Request&, StreamSink<Message>&);

  // Serves `method` admit first with the core operation `op`.
  template <typename RequestParam, typename Response>
  void Serve(std::string_view method, UnaryOp<RequestParam, Response> op);
  template <typename Request, typename Message>
  void Serve(std::string_view method, StreamOp<Request, Message> op);

  FeedbackCore* const core_;
  Metrics* const metrics_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_FEEDBACK_SERVICE_H_
