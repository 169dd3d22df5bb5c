#include "service/http/metrics_server.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "proto/vocabulary/listen_address.h"

namespace feedback::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// A scraper that sends nothing for this long is dropped.
constexpr int kReadTimeoutSeconds = 5;

bhttp::response<bhttp::string_body> Answer(const bhttp::request<bhttp::string_body>& request,
                                           const Metrics& metrics) {
  bhttp::response<bhttp::string_body> response;
  response.version(request.version());
  response.keep_alive(false);
  const bool get = request.method() == bhttp::verb::get || request.method() == bhttp::verb::head;
  if (get && request.target() == "/metrics") {
    response.result(bhttp::status::ok);
    response.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.body() = metrics.Render();
  } else {
    response.result(bhttp::status::not_found);
    response.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    response.body() = "feedbackd serves GET /metrics here, nothing else\n";
  }
  response.set(bhttp::field::cache_control, "no-store");
  response.prepare_payload();
  if (request.method() == bhttp::verb::head) response.body().clear();
  return response;
}

}  // namespace

class MetricsServer::Impl {
 public:
  explicit Impl(const Metrics* metrics) : metrics_(metrics), acceptor_(io_) {}
  ~Impl() {
    stopping_ = true;
    // Wakes the blocking accept (it fails with EINVAL) so that the thread can end.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
  }

  absl::Status Listen(const std::string& listen, bool allow_insecure) {
    auto cannot = [&listen](std::string_view why) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot listen on ", listen, " (--metrics-listen): ", std::string(why)));
    };
    if (!allow_insecure && !IsLoopbackListen(listen)) {
      return cannot(
          "metrics are served in plaintext, on loopback only (e.g. 127.0.0.1:9464); "
          "--allow-insecure serves them off loopback");
    }
    const size_t colon = listen.rfind(':');
    std::string host = listen.substr(0, colon == std::string::npos ? 0 : colon);
    const std::string port = colon == std::string::npos ? "" : listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    if (host.empty() || port.empty()) return cannot("expected host:port, e.g. 127.0.0.1:9464");
    beast::error_code error;
    tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(
        host, port, tcp::resolver::passive | tcp::resolver::numeric_service, error);
    if (error || endpoints.empty()) return cannot(error ? error.message() : "no such address");
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(net::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(16, error);
    if (error) return cannot(absl::StrCat(error.message(), "; the port is in use?"));
    port_ = acceptor_.local_endpoint(error).port();
    thread_ = std::thread([this] { Serve(); });
    return absl::OkStatus();
  }

  int port() const { return port_; }

 private:
  void Serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      beast::error_code error;
      acceptor_.accept(socket, error);
      if (error) {
        if (stopping_) return;
        continue;
      }
      AnswerOne(socket);
    }
  }

  void AnswerOne(tcp::socket& socket) {
    timeval timeout{kReadTimeoutSeconds, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    beast::flat_buffer buffer;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(4096);
    beast::error_code error;
    bhttp::read(socket, buffer, parser, error);
    if (error) return;
    bhttp::write(socket, Answer(parser.get(), *metrics_), error);
    socket.shutdown(tcp::socket::shutdown_both, error);
  }

  const Metrics* const metrics_;
  net::io_context io_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stopping_ = false;
  int port_ = 0;
  std::thread thread_;  // last: started once the rest is ready
};

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& listen,
                                                                    bool allow_insecure,
                                                                    const Metrics* metrics) {
  auto impl = std::make_unique<Impl>(metrics);
  if (absl::Status listening = impl->Listen(listen, allow_insecure); !listening.ok()) {
    return listening;
  }
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MetricsServer::~MetricsServer() = default;
int MetricsServer::port() const { return impl_->port(); }

}  // namespace feedback::http
