#include "tests/support/http_client.h"

#include <chrono>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"

namespace feedback::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

class HttpClient::Impl {
 public:
  net::io_context io;
  std::optional<ssl::context> tls;
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::string host;

  template <typename Function>
  auto WithStream(Function function) {
    return secure.has_value() ? function(*secure) : function(*plain);
  }
  tcp::socket& Socket() {
    return secure.has_value() ? beast::get_lowest_layer(*secure).socket() : plain->socket();
  }
};

absl::StatusOr<std::unique_ptr<HttpClient>> HttpClient::Connect(const std::string& address,
                                                                const std::string& ca_file,
                                                                const std::string& tls_host) {
  auto impl = std::make_unique<Impl>();
  const size_t colon = address.rfind(':');
  impl->host = address.substr(0, colon);
  beast::error_code error;
  tcp::resolver resolver(impl->io);
  const auto endpoints = resolver.resolve(impl->host, address.substr(colon + 1), error);
  if (error)
    return absl::UnavailableError(absl::StrCat("resolve ", address, ": ", error.message()));
  if (ca_file.empty()) {
    impl->plain.emplace(impl->io);
    impl->plain->connect(endpoints, error);
  } else {
    impl->tls.emplace(ssl::context::tls_client);
    impl->tls->load_verify_file(ca_file, error);
    if (error) return absl::InternalError(absl::StrCat("CA ", ca_file, ": ", error.message()));
    impl->tls->set_verify_mode(ssl::verify_peer);
    impl->secure.emplace(impl->io, *impl->tls);
    const std::string name = tls_host.empty() ? impl->host : tls_host;
    impl->secure->set_verify_callback(ssl::host_name_verification(name));
    beast::get_lowest_layer(*impl->secure).connect(endpoints, error);
    if (!error) impl->secure->handshake(ssl::stream_base::client, error);
  }
  if (error)
    return absl::UnavailableError(absl::StrCat("connect ", address, ": ", error.message()));
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

absl::StatusOr<HttpReply> HttpClient::Send(
    const std::string& method, const std::string& target, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  bhttp::request<bhttp::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(bhttp::field::host, impl_->host);
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST") request.prepare_payload();
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  beast::error_code error;
  impl_->WithStream([&](auto& stream) {
    bhttp::write(stream, request, error);
    if (!error) bhttp::read(stream, impl_->buffer, parser, error);
    return 0;
  });
  if (error)
    return absl::UnavailableError(absl::StrCat(method, " ", target, ": ", error.message()));
  HttpReply reply;
  const auto& response = parser.get();
  reply.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    reply.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  reply.body = response.body();
  return reply;
}

absl::StatusOr<HttpReply> HttpClient::Call(const std::string& method, const std::string& json,
                                           const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return Send("POST", "/feedback.v1.FeedbackService/" + method, json, headers);
}

absl::StatusOr<std::string> HttpClient::SendRaw(const std::string& bytes) {
  beast::error_code error;
  net::write(impl_->Socket(), net::buffer(bytes), error);
  if (error) return absl::UnavailableError(error.message());
  struct timeval ten_seconds = {10, 0};
  setsockopt(impl_->Socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &ten_seconds,
             sizeof ten_seconds);
  std::string received;
  char chunk[4096];
  while (true) {
    const size_t n = impl_->Socket().read_some(net::buffer(chunk), error);
    received.append(chunk, n);
    if (error) break;
  }
  return received;
}

}  // namespace feedback::testing
