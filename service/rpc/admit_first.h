// Serving an RPC "admit first": the caller is admitted (token, role, rate) before a byte of its
// request is decoded, and a request that does not decode is INVALID_ARGUMENT naming the field.
//
// gRPC's generated handlers decode the request before any code of ours runs: a request that
// does not decode is answered UNIMPLEMENTED, after protobuf has written a line to stderr, for
// anyone, token or not. The handlers made here take the bytes instead and parse them only once
// `admit` has accepted the caller; the body (a FeedbackCore operation) then gets the caller and
// the typed request, and its reply fills a typed response that gRPC serialises. gRPC's
// AuthMetadataProcessor cannot do the first half on a plaintext port (docs/security.md,
// "Authentication").
//
// Example (inside a grpc::Service subclass):
//   MarkMethodRawCallback(index, AdmitFirstUnary<v1::GetFeedbackRequest, v1::Feedback>(
//       [this](grpc::CallbackServerContext* c) { return Admit(c, "GetFeedback"); },
//       [this](const Principal& caller, const v1::GetFeedbackRequest& request,
//              Reply<v1::Feedback> reply) {
//         core_->GetFeedback(caller, request, std::move(reply));
//       }));
#ifndef FEEDBACK_SERVICE_RPC_ADMIT_FIRST_H_
#define FEEDBACK_SERVICE_RPC_ADMIT_FIRST_H_

#include <functional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/serialization_traits.h"
#include "grpcpp/support/byte_buffer.h"
#include "proto/vocabulary/grpc_status.h"
#include "service/core/feedback_core.h"
#include "service/core/log.h"
#include "service/core/stream_sink.h"
#include "service/domain/access.h"
#include "service/rpc/stream_reactor.h"
#include "service/rpc/wire.h"

namespace feedback {

// The request of an admit-first method as gRPC hands it to the handler: the bytes as they
// arrived and, once the caller is admitted, the message parsed from them. gRPC owns it for the
// whole call, so the request the body gets stays valid until the call is done.
template <typename Request>
struct DeferredRequest {
  grpc::ByteBuffer bytes;
  // Filled by the handler after admission (gRPC hands the handler a const pointer).
  mutable Request parsed;
};

// Who the caller of the method is: else UNAUTHENTICATED, PERMISSION_DENIED or
// RESOURCE_EXHAUSTED (FeedbackCore::Admit).
using AdmitFunction = std::function<absl::StatusOr<Principal>(grpc::CallbackServerContext*)>;

// Told how each unary call ended, when it began and its request id (for the metrics and the
// log). May be empty.
using CallFinished = std::function<void(const absl::Status& status, absl::Time began,
                                        const std::string& request_id)>;

// The handler of a unary method (for grpc::Service::MarkMethodRawCallback, which takes
// ownership): `admit`, then ParseRequest, then `body(caller, request, reply)`, whose reply
// finishes the call. The request is the call's own, so `body` may take it apart (move from it). A
// refusal finishes the call with its status and `body` is not called. `finished` hears every call's
// status as it finishes.
template <typename Request, typename Response>
grpc::internal::MethodHandler* AdmitFirstUnary(
    AdmitFunction admit, std::function<void(const Principal&, Request&, Reply<Response>)> body,
    CallFinished finished = {}) {
  return new grpc::internal::CallbackUnaryHandler<DeferredRequest<Request>, Response>(
      [admit = std::move(admit), body = std::move(body), finished = std::move(finished)](
          grpc::CallbackServerContext* context, const DeferredRequest<Request>* request,
          Response* response) -> grpc::ServerUnaryReactor* {
        grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
        const absl::Time began = absl::Now();
        // Sent back (trailing metadata x-request-id) and logged: a reported call can be found.
        std::string request_id = NewRequestId();
        context->AddTrailingMetadata("x-request-id", request_id);
        // The id is moved, not copied, into `finish` and from there into the reply.
        auto finish = [reactor, began, request_id = std::move(request_id),
                       &finished](const absl::Status& status) {
          if (finished) finished(status, began, request_id);
          reactor->Finish(ToGrpcStatus(status));
        };
        absl::StatusOr<Principal> caller = admit(context);
        absl::Status parsed =
            caller.ok() ? ParseRequest(request->bytes, request->parsed) : caller.status();
        if (!parsed.ok()) {
          finish(parsed);
          return reactor;
        }
        body(*caller, request->parsed,
             [finish = std::move(finish), response](absl::StatusOr<Response> result) {
               if (result.ok()) *response = *std::move(result);
               finish(result.status());
             });
        return reactor;
      });
}

// The same for a server-streaming method: `body(caller, request, sink)` writes the stream to a
// StreamReactor. `finished` hears the stream's status when it ends; its time is the stream's
// whole life (a WatchAlerts stream may last hours).
template <typename Request, typename Message>
grpc::internal::MethodHandler* AdmitFirstServerStream(
    AdmitFunction admit,
    std::function<void(const Principal&, const Request&, StreamSink<Message>&)> body,
    CallFinished finished = {}) {
  return new grpc::internal::CallbackServerStreamingHandler<DeferredRequest<Request>, Message>(
      [admit = std::move(admit), body = std::move(body), finished = std::move(finished)](
          grpc::CallbackServerContext* context,
          const DeferredRequest<Request>* request) -> grpc::ServerWriteReactor<Message>* {
        const absl::Time began = absl::Now();
        std::string request_id = NewRequestId();
        context->AddTrailingMetadata("x-request-id", request_id);
        auto* reactor = new StreamReactor<Message>(
            [began, request_id = std::move(request_id), &finished](const absl::Status& status) {
              if (finished) finished(status, began, request_id);
            });
        absl::StatusOr<Principal> caller = admit(context);
        absl::Status parsed =
            caller.ok() ? ParseRequest(request->bytes, request->parsed) : caller.status();
        if (!parsed.ok()) {
          reactor->Finish(parsed);
          return reactor;
        }
        body(*caller, request->parsed, *reactor);
        return reactor;
      });
}

}  // namespace feedback

namespace grpc {

// gRPC's "decoding" of a DeferredRequest only keeps the bytes: it cannot fail and logs nothing.
template <typename Request>
class SerializationTraits<feedback::DeferredRequest<Request>, void> {
 public:
  static Status Serialize(const feedback::DeferredRequest<Request>& request, ByteBuffer* buffer,
                          bool* own_buffer) {
    *buffer = request.bytes;
    *own_buffer = true;
    return Status::OK;
  }
  static Status Deserialize(ByteBuffer* buffer, feedback::DeferredRequest<Request>* request) {
    request->bytes.Swap(buffer);
    return Status::OK;
  }
};

}  // namespace grpc

#endif  // FEEDBACK_SERVICE_RPC_ADMIT_FIRST_H_
