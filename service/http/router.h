// What the HTTP door answers, whatever carries the bytes: Connect unary calls of FeedbackService
// at POST /feedback.v1.FeedbackService/<Method>, the kiosk's files under /kiosk/, and short
// errors for everything else. The connection code (http_server.cc) reads a request into an
// HttpRequest and writes the HttpResponse back; nothing here knows sockets or Beast.
#ifndef FEEDBACK_SERVICE_HTTP_ROUTER_H_
#define FEEDBACK_SERVICE_HTTP_ROUTER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "service/core/feedback_core.h"
#include "service/core/metrics.h"
#include "service/http/static_files.h"

namespace feedback::http {

// One request, as the connection read it. Plain value.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query, e.g. "/kiosk/app.js?v=2"
  std::string content_type;
  std::vector<std::string> authorization;  // every Authorization header, in order
  std::string connect_protocol_version;    // the Connect-Protocol-Version header, or empty
  std::string if_none_match;
  std::string body;
};

// One response. Plain value.
struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // HEAD: send the headers (with the body's Content-Length) but not the body.
  bool omit_body = false;
};

// Makes the response; run where the connection lives (its I/O thread), not where the answer
// came from, so that no serialisation runs on the writer thread.
using MakeResponse = absl::AnyInvocable<HttpResponse() &&>;
// Takes the response exactly once, from any thread: the connection hands it to its own thread.
using Respond = absl::AnyInvocable<void(MakeResponse) &&>;

// Thread-safe. `core` and `files` are borrowed and must outlive it.
class Router {
 public:
  // `metrics` (null: none kept) counts every RPC the door answers, by HTTP status.
  Router(FeedbackCore* core, const StaticFiles* files, Metrics* metrics = nullptr);
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Answers `request` through `respond`, exactly once. An RPC is answered as the gRPC door
  // answers it: the caller is admitted (FeedbackCore::Admit) before a byte of the body is
  // parsed (ParseJsonRequest, or ParseRequest for application/proto), then the core operation
  // runs and `respond` is called when it replies (on the writer thread, once a change is
  // durable). Never blocks on the disk.
  void Handle(HttpRequest request, Respond respond);

  // Blocks until every core operation Handle started has replied. The connections' executors
  // must still exist while it waits (each reply hands its response to one).
  void WaitForCoreReplies();

  // Headers every response carries: nosniff, no referrer, and a Content-Security-Policy that
  // allows only this origin's own scripts, styles, images and connections (no inline script or
  // style, no framing).
  static const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

 private:
  void HandleRpc(std::string_view method_name, HttpRequest request, Respond respond);
  void HandleKiosk(std::string_view path, const HttpRequest& request, Respond respond);

  FeedbackCore* const core_;
  const StaticFiles* const files_;
  Metrics* const metrics_;
  absl::Mutex mutex_;
  int core_calls_ ABSL_GUARDED_BY(mutex_) = 0;
};

// The Connect path prefix of FeedbackService's methods.
inline constexpr std::string_view kRpcPrefix = "/feedback.v1.FeedbackService/";

}  // namespace feedback::http

#endif  // FEEDBACK_SERVICE_HTTP_ROUTER_H_
