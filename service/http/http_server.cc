// The connections of the HTTP door: Boost.Beast over Boost.Asio, a few I/O threads, each
// connection on its own strand. A connection reads one request, hands it to the Router, and
// reads the next only once the answer is written (keep-alive, no pipelining). While the core
// works on a call, no thread waits: the answer is posted back to the connection's strand.
#include "service/http/http_server.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "proto/vocabulary/listen_address.h"
#include "service/http/connect_status.h"
#include "service/http/router.h"
#include "service/http/static_files.h"

namespace feedback::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// Largest request head (request line and headers) read.
constexpr size_t kMaxHeaderBytes = 16 * 1024;

std::chrono::steady_clock::duration ToChrono(absl::Duration duration) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      absl::ToChronoNanoseconds(duration));
}

template <typename Field>
std::string Header(const bhttp::request<bhttp::string_body>& request, Field field) {
  auto it = request.find(field);
  return it == request.end() ? std::string() : std::string(it->value());
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpOptions options, FeedbackCore* core)
      : options_(std::move(options)),
        router_(core, &StaticFiles::Embedded(), options_.metrics),
        io_(std::max(1, options_.io_threads)),
        acceptor_(net::make_strand(io_)),
        accept_retry_(acceptor_.get_executor()) {}

  // Waits for every core call's reply (each posts to io_), then closes what is left.
  ~Impl() {
    Shutdown(absl::Seconds(5));
    router_.WaitForCoreReplies();
  }

  absl::Status Listen();
  void Run();
  void Shutdown(absl::Duration grace);

  int port() const { return port_; }
  bool tls() const { return tls_.has_value(); }
  bool stopping() const { return stopping_.load(); }
  const HttpOptions& options() const { return options_; }
  Router& router() { return router_; }

  void RequestStarted() {
    absl::MutexLock lock(&mutex_);
    ++in_flight_;
  }
  void RequestFinished() {
    absl::MutexLock lock(&mutex_);
    --in_flight_;
  }
  void ConnectionOpened() { ++connections_; }
  void ConnectionClosed() { --connections_; }

 private:
  absl::Status MakeTlsContext();
  void Accept();

  const HttpOptions options_;
  Router router_;
  absl::Mutex mutex_;
  int in_flight_ ABSL_GUARDED_BY(mutex_) = 0;  // requests read and not yet answered
  bool shut_down_ ABSL_GUARDED_BY(mutex_) = false;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};  // counted down by connections destroyed with io_
  std::optional<ssl::context> tls_;  // outlives io_ and every stream made with it
  net::io_context io_;
  tcp::acceptor acceptor_;  // on its own strand
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  net::steady_timer accept_retry_;  // on the acceptor's strand
  int port_ = 0;
};

namespace {

// One connection: plaintext (beast::tcp_stream) or TLS (beast::ssl_stream<beast::tcp_stream>).
// Lives as long as a handler of its own holds it; every handler runs on its strand.
template <typename Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Connection(HttpServer::Impl* server, tcp::socket&& socket, ssl::context* tls)
      : server_(server), stream_(MakeStream(std::move(socket), tls)) {
    server_->ConnectionOpened();
  }
  ~Connection() { server_->ConnectionClosed(); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(ToChrono(self->server_->options().idle_timeout));
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code error) {
          if (!error) self->ReadHead();
        });
      } else {
        self->ReadHead();
      }
    });
  }

 private:
  static Stream MakeStream(tcp::socket&& socket, ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void ReadHead() {
    if (server_->stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(server_->options().max_body_bytes);
    Lowest().expires_after(ToChrono(server_->options().idle_timeout));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](beast::error_code error, size_t) {
                               self->OnHead(error);
                             });
  }

  void OnHead(beast::error_code error) {
    if (error) return OnReadError(error);
    // curl and some clients ask before they send a body; answer at once rather than let them
    // wait a second for nothing.
    if (absl::EqualsIgnoreCase(Header(parser_->get(), bhttp::field::expect), "100-continue")) {
      continue_.emplace(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *continue_,
                         [self = this->shared_from_this()](beast::error_code error, size_t) {
                           if (error) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](beast::error_code error, size_t) {
                        self->OnRequest(error);
                      });
  }

  // A request that could not be read: answered if it can be (then the connection closes),
  // else the connection just closes.
  void OnReadError(beast::error_code error) {
    if (error == bhttp::error::body_limit) {
      const std::string target(parser_->get().target());
      const std::string what = absl::StrCat("request: larger than the ",
                                            server_->options().max_body_bytes, " bytes accepted");
      HttpResponse refused;
      refused.status = 413;
      if (target.starts_with(kRpcPrefix)) {
        refused.headers = {{"Content-Type", "application/json"}};
        refused.body = ConnectErrorJson(absl::ResourceExhaustedError(what));
      } else {
        refused.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
        refused.body = "Request too large\n";
      }
      return Refuse(std::move(refused));
    }
    if (error.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category() &&
        error != bhttp::error::end_of_stream && error != bhttp::error::partial_message) {
      HttpResponse refused;
      refused.status = error == bhttp::error::header_limit ? 431 : 400;
      refused.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
      refused.body = "Bad request\n";
      return Refuse(std::move(refused));
    }
    Close();  // the client went away, the connection timed out, or the server is stopping
  }

  void Refuse(HttpResponse response) {
    keep_alive_ = false;
    server_->RequestStarted();
    Write(std::move(response));
  }

  void OnRequest(beast::error_code error) {
    if (error) return OnReadError(error);
    bhttp::request<bhttp::string_body> message = parser_->release();
    keep_alive_ = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.content_type = Header(message, bhttp::field::content_type);
    for (auto [it, end] = message.equal_range(bhttp::field::authorization); it != end; ++it) {
      request.authorization.emplace_back(it->value());
    }
    request.connect_protocol_version =
        Header(message, beast::string_view("Connect-Protocol-Version"));
    request.if_none_match = Header(message, bhttp::field::if_none_match);
    request.body = std::move(message.body());
    server_->RequestStarted();
    server_->router().Handle(
        std::move(request), [self = this->shared_from_this()](MakeResponse make) {
          net::post(self->stream_.get_executor(),
                    [self, make = std::move(make)]() mutable { self->Write(std::move(make)()); });
        });
  }

  void Write(HttpResponse answer) {
    response_.emplace();
    response_->version(11);
    response_->result(static_cast<unsigned>(answer.status));
    for (auto& [name, value] : answer.headers) response_->insert(name, value);
    response_->body() = std::move(answer.body);
    const bool keep_alive = keep_alive_ && !server_->stopping();
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    if (answer.omit_body) response_->body().clear();  // HEAD: the length of what GET would send
    Lowest().expires_after(ToChrono(server_->options().idle_timeout));
    bhttp::async_write(
        stream_, *response_,
        [self = this->shared_from_this(), keep_alive](beast::error_code error, size_t) {
          self->server_->RequestFinished();
          if (error || !keep_alive) return self->Close();
          self->ReadHead();
        });
  }

  void Close() {
    if constexpr (kTls) {
      Lowest().expires_after(std::chrono::seconds(5));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->Lowest().close(); });
    } else {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Lowest().expires_after(std::chrono::seconds(5));
      Drain();
    }
  }

  // A lingering close: what the client still sends (the rest of a refused body) is read and
  // dropped until it closes its side, so that closing ours does not reset the connection and
  // destroy the answer before the client has read it.
  void Drain() {
    if (drained_ > kMaxDrainBytes) return;
    Lowest().async_read_some(net::buffer(discard_),
                             [self = this->shared_from_this()](beast::error_code error, size_t n) {
                               self->drained_ += n;
                               if (!error) self->Drain();
                             });
  }

  HttpServer::Impl* const server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  bool keep_alive_ = false;
  static constexpr size_t kMaxDrainBytes = 1024 * 1024;
  size_t drained_ = 0;
  char discard_[4096];
};

}  // namespace

absl::Status HttpServer::Impl::MakeTlsContext() {
  const bool tls = !options_.tls_cert_file.empty() || !options_.tls_key_file.empty();
  if (!tls) {
    if (!options_.tls_client_ca_file.empty()) {
      return absl::FailedPreconditionError("--tls-client-ca needs --tls-cert and --tls-key");
    }
    return CheckPlaintextListen("--http-listen", options_.listen, options_.allow_insecure);
  }
  if (options_.tls_cert_file.empty() || options_.tls_key_file.empty()) {
    return absl::FailedPreconditionError("--tls-cert and --tls-key must be given together");
  }
  tls_.emplace(ssl::context::tls_server);
  std::string_view flag = "--tls-cert";
  std::string file = options_.tls_cert_file;
  try {
    tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use);
    tls_->use_certificate_chain_file(file);
    flag = "--tls-key";
    file = options_.tls_key_file;
    tls_->use_private_key_file(file, ssl::context::pem);
    if (!options_.tls_client_ca_file.empty()) {
      flag = "--tls-client-ca";
      file = options_.tls_client_ca_file;
      tls_->load_verify_file(file);
      tls_->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  } catch (const boost::system::system_error& error) {
    tls_.reset();
    return absl::FailedPreconditionError(absl::StrCat(
        std::string(flag), ": cannot use ", file, " for the HTTP door: ", error.code().message()));
  }
  return absl::OkStatus();
}

absl::Status HttpServer::Impl::Listen() {
  if (options_.listen.empty()) return absl::FailedPreconditionError("--http-listen: no address");
  if (absl::Status tls = MakeTlsContext(); !tls.ok()) return tls;
  const size_t colon = options_.listen.rfind(':');
  std::string host = options_.listen.substr(0, colon == std::string::npos ? 0 : colon);
  const std::string port = colon == std::string::npos ? "" : options_.listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto cannot = [this](std::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot listen on ", options_.listen, " (--http-listen): ", std::string(why)));
  };
  if (host.empty() || port.empty()) return cannot("expected host:port, e.g. 127.0.0.1:8080");
  beast::error_code error;
  tcp::resolver resolver(io_);
  const auto endpoints =
      resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service, error);
  if (error || endpoints.empty()) return cannot(error ? error.message() : "no such address");
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    return cannot(absl::StrCat(error.message(),
                               "; the port is in use or the address is not one of this machine's"));
  }
  port_ = acceptor_.local_endpoint(error).port();
  return absl::OkStatus();
}

void HttpServer::Impl::Run() {
  work_.emplace(io_.get_executor());
  net::dispatch(acceptor_.get_executor(), [this] { Accept(); });
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    threads_.emplace_back([this] {
      while (true) {
        try {
          io_.run();
          return;
        } catch (const std::exception& error) {
          // A handler threw (out of memory, a library's exception): the connection it served is
          // lost, the door keeps serving. No client text is in a library's what().
          std::fprintf(stderr, "feedbackd: http: %s\n", error.what());
        }
      }
    });
  }
}

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code error,
                                                       tcp::socket socket) {
    if (error == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (error) {
      // E.g. out of file descriptors: try again shortly rather than spin on the error.
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](beast::error_code waited) {
        if (!waited) Accept();
      });
      return;
    }
    if (connections_.load() >= options_.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // full: the client may try again; the open ones keep their place
    } else {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (tls_.has_value()) {
        std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(this, std::move(socket),
                                                                           &*tls_)
            ->Start();
      } else {
        std::make_shared<Connection<beast::tcp_stream>>(this, std::move(socket), nullptr)->Start();
      }
    }
    Accept();
  });
}

void HttpServer::Impl::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&mutex_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  stopping_ = true;
  if (!threads_.empty()) {
    std::promise<void> closed;
    net::dispatch(acceptor_.get_executor(), [this, &closed] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
      closed.set_value();
    });
    closed.get_future().wait();
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(absl::Condition(
                                +[](int* in_flight) { return *in_flight == 0; }, &in_flight_),
                            grace);
  }
  work_.reset();
  io_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                              FeedbackCore* core) {
  auto impl = std::make_unique<Impl>(options, core);
  if (absl::Status listening = impl->Listen(); !listening.ok()) return listening;
  impl->Run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;
int HttpServer::port() const { return impl_->port(); }
const char* HttpServer::scheme() const { return impl_->tls() ? "https" : "http"; }
void HttpServer::Shutdown(absl::Duration grace) { impl_->Shutdown(grace); }

}  // namespace feedback::http
