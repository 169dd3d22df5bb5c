// Serving an RPC "admit first": the caller is admitted (token, role, rate) before a byte of its
// request is decoded, and a request that does not decode is INVALID_ARGUMENT naming the field.
//
// gRPC's generated handlers decode the request before any code of ours runs: a request that
// does not decode is answered UNIMPLEMENTED, after protobuf has written a line to stderr, for
// anyone, token or not. The handlers made here take the bytes instead and parse them only once
// `admit` has accepted the caller; the handler body then gets the caller and the typed request,
// and fills a typed response that gRPC serialises. gRPC's AuthMetadataProcessor cannot do the
// first half on a plaintext port (docs/security.md, "Authentication").
//
// Example (inside a grpc::Service subclass):
//   MarkMethodRawCallback(index, AdmitFirstUnary<v1::GetFeedbackRequest, v1::Feedback>(
//       [this](grpc::CallbackServerContext* c) { return gate_->Admit(*c, "GetFeedback", Now()); },
//       [this](grpc::CallbackServerContext* c, Principal caller, const v1::GetFeedbackRequest* r,
//              v1::Feedback* response) { return GetFeedback(c, std::move(caller), r, response);
//              }));
#ifndef FEEDBACK_SERVICE_RPC_ADMIT_FIRST_H_
#define FEEDBACK_SERVICE_RPC_ADMIT_FIRST_H_

#include <functional>
#include <utility>

#include "absl/status/statusor.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/impl/serialization_traits.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/domain/access.h"
#include "service/rpc/rpc_support.h"
#include "service/rpc/wire.h"

namespace feedback {

// The request of an admit-first method as gRPC hands it to the handler: the bytes as they
// arrived and, once the caller is admitted, the message parsed from them. gRPC owns it for the
// whole call, so the body's `const Request*` stays valid until the call is done.
template <typename Request>
struct DeferredRequest {
  grpc::ByteBuffer bytes;
  // Filled by the handler after admission (gRPC hands the handler a const pointer).
  mutable Request parsed;
};

// Who the caller of the method is: else UNAUTHENTICATED, PERMISSION_DENIED or
// RESOURCE_EXHAUSTED (Gatekeeper::Admit).
using AdmitFunction = std::function<absl::StatusOr<Principal>(grpc::CallbackServerContext*)>;

// The handler of a unary method (for grpc::Service::MarkMethodRawCallback, which takes
// ownership): `admit`, then ParseRequest, then `body(context, caller, &request, response)`.
// A refusal finishes the call with its status and `body` is not called.
template <typename Request, typename Response>
grpc::internal::MethodHandler* AdmitFirstUnary(
    AdmitFunction admit,
    std::function<grpc::ServerUnaryReactor*(grpc::CallbackServerContext*, Principal, const Request*,
                                            Response*)>
        body) {
  return new grpc::internal::CallbackUnaryHandler<DeferredRequest<Request>, Response>(
      [admit = std::move(admit), body = std::move(body)](
          grpc::CallbackServerContext* context, const DeferredRequest<Request>* request,
          Response* response) -> grpc::ServerUnaryReactor* {
        absl::StatusOr<Principal> caller = admit(context);
        if (!caller.ok()) return FinishNow(context, caller.status());
        if (absl::Status parsed = ParseRequest(request->bytes, request->parsed); !parsed.ok()) {
          return FinishNow(context, parsed);
        }
        return body(context, *std::move(caller), &request->parsed, response);
      });
}

// The same for a server-streaming method: `body(context, caller, &request)` returns the
// stream's reactor.
template <typename Request, typename Message>
grpc::internal::MethodHandler* AdmitFirstServerStream(
    AdmitFunction admit,
    std::function<grpc::ServerWriteReactor<Message>*(grpc::CallbackServerContext*, Principal,
                                                     const Request*)>
        body) {
  return new grpc::internal::CallbackServerStreamingHandler<DeferredRequest<Request>, Message>(
      [admit = std::move(admit), body = std::move(body)](
          grpc::CallbackServerContext* context,
          const DeferredRequest<Request>* request) -> grpc::ServerWriteReactor<Message>* {
        absl::StatusOr<Principal> caller = admit(context);
        if (!caller.ok()) return RefuseStream<Message>(caller.status());
        if (absl::Status parsed = ParseRequest(request->bytes, request->parsed); !parsed.ok()) {
          return RefuseStream<Message>(parsed);
        }
        return body(context, *std::move(caller), &request->parsed);
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
