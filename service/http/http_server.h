// The HTTP door of feedbackd: Connect unary calls of FeedbackService as JSON, and the kiosk page,
// over HTTP/1.1 (keep-alive) with or without TLS, on Boost.Beast/Asio. Requests are answered by
// the Router (router.h) over the same FeedbackCore as the gRPC door.
//
// Example:
//   ASSIGN_OR_RETURN(auto door, HttpServer::Start({.listen = "127.0.0.1:8080"}, core));
//   ... // serve until SIGTERM
//   door->Shutdown(absl::Seconds(10));  // then stop the writer (FeedbackServer::Shutdown)
//   door.reset();                       // waits for the core's last replies
#ifndef FEEDBACK_SERVICE_HTTP_HTTP_SERVER_H_
#define FEEDBACK_SERVICE_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/core/feedback_core.h"
#include "service/core/metrics.h"

namespace feedback::http {

struct HttpOptions {
  // host:port to serve HTTP on; port 0 picks a free port. Required.
  std::string listen;
  // TLS, with the gRPC door's certificate flags: PEM certificate chain and private key, both or
  // neither. Default: none (plaintext, refused off loopback unless allow_insecure).
  std::string tls_cert_file;
  std::string tls_key_file;
  // PEM CA bundle: when set, clients must present a certificate it signed (as on gRPC).
  std::string tls_client_ca_file;
  // Plaintext on an address that is not loopback. Default: refused.
  bool allow_insecure = false;
  // Largest request body accepted, in bytes; a larger one is answered 413. Default: 64 KiB.
  size_t max_body_bytes = 64 * 1024;
  // Threads running every connection's I/O (and JSON encoding). Default: 2.
  int io_threads = 2;
  // Connections open at once; one more is closed as soon as it is accepted. Default: 1024.
  int max_connections = 1024;
  // A connection with no request for this long is closed; so is one whose request or TLS
  // handshake takes longer. Default: 60 s.
  absl::Duration idle_timeout = absl::Seconds(60);
  // Where the door counts its calls (borrowed; must outlive the server). Default: none.
  Metrics* metrics = nullptr;
};

// A running HTTP door. Thread-safe. Not copyable.
class HttpServer {
 public:
  // Binds `options.listen` and starts serving with `core` (borrowed: it must outlive the server,
  // and its writer must keep running until the server is destroyed or Shutdown has returned and
  // the writer stopped, so that every call the door started is answered).
  // FAILED_PRECONDITION naming the flag for plaintext off loopback, unreadable certificates, or
  // an address that cannot be bound.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpOptions& options,
                                                                         FeedbackCore* core);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Shutdown(5 s), then waits until every core call the door started has replied.
  ~HttpServer();

  // The bound port (useful with port 0).
  int port() const;
  // "http" or "https".
  const char* scheme() const;

  // Stops accepting connections, answers the requests in flight (for up to `grace`; each with
  // Connection: close), then closes every connection and stops the I/O threads. Idempotent.
  void Shutdown(absl::Duration grace);

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace feedback::http

#endif  // FEEDBACK_SERVICE_HTTP_HTTP_SERVER_H_
