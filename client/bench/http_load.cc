#include "client/bench/http_load.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "proto/vocabulary/json_mapping.h"

namespace feedback::client::bench {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr char kSubmitPath[] = "/feedback.v1.FeedbackService/SubmitFeedback";

struct HostPort {
  std::string host;
  std::string port;
};

// "127.0.0.1:8080" and "[::1]:8080" (brackets dropped from the host).
absl::StatusOr<HostPort> SplitAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http: \"", address, "\" is not host:port (127.0.0.1:8080)"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return HostPort{std::move(host), address.substr(colon + 1)};
}

// The door's addresses, once each is known to be on this machine: the bench speaks plain HTTP,
// and a token sent to another machine that way could be read on the network.
absl::StatusOr<tcp::resolver::results_type> ResolveLoopback(net::io_context& io,
                                                            const std::string& address) {
  absl::StatusOr<HostPort> split = SplitAddress(address);
  if (!split.ok()) return split.status();
  beast::error_code error;
  tcp::resolver::results_type endpoints =
      tcp::resolver(io).resolve(split->host, split->port, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("--http: cannot resolve ", address, ": ", error.message()));
  }
  for (const auto& entry : endpoints) {
    if (!entry.endpoint().address().is_loopback()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--http: ", address,
          " is not on this machine; the bench sends your token over plain HTTP, so it measures "
          "only an HTTP door on a loopback address (127.0.0.1:PORT)"));
    }
  }
  return endpoints;
}

// One keep-alive connection, one call at a time, and what its calls measured. Only the one
// client thread touches it.
struct Connection {
  explicit Connection(net::io_context& io) : stream(io) {}

  beast::tcp_stream stream;
  bool open = false;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response<http::string_body> response;
  Clock::time_point sent;
  std::vector<double> latencies_ms;
  std::map<std::string, int64_t> errors;
  std::map<std::string, std::string> first_messages;
};

class HttpRun {
 public:
  HttpRun(net::io_context& io, const HttpLoadTarget& target, const LoadOptions& options,
          tcp::resolver::results_type endpoints)
      : io_(io),
        options_(options),
        timeout_(absl::ToChronoMilliseconds(target.timeout)),
        host_(target.address),
        authorization_(target.token.empty() ? "" : absl::StrCat("Bearer ", target.token)),
        endpoints_(std::move(endpoints)) {
    for (int i = 0; i < options.concurrency; ++i) {
      connections_.push_back(std::make_unique<Connection>(io));
    }
  }

  LoadResult Run() {
    const Clock::time_point start = Clock::now();
    for (const std::unique_ptr<Connection>& connection : connections_) StartNextCall(*connection);
    io_.run();  // until every connection has made its last call and closed
    const std::chrono::duration<double> took = Clock::now() - start;
    return Gather(took.count());
  }

 private:
  // Sends the connection's next call, connecting first if it is not open, or closes it once
  // every call has been claimed.
  void StartNextCall(Connection& connection) {
    int64_t call_number = next_call_++;
    // The request is made before the clock starts, as the gRPC load's is.
    while (call_number < options_.count && !PrepareRequest(connection, call_number)) {
      CountFailure("INTERNAL", "the bench could not write its submission as JSON",
                   connection.errors, connection.first_messages);
      call_number = next_call_++;
    }
    if (call_number >= options_.count) {
      Close(connection);
      return;
    }
    connection.sent = Clock::now();
    connection.stream.expires_after(timeout_);  // one deadline for the whole call
    if (connection.open) {
      Write(connection);
      return;
    }
    connection.stream.async_connect(
        endpoints_, [this, &connection](beast::error_code error, const tcp::endpoint&) {
          if (error) return Failed(connection, error);
          connection.open = true;
          Write(connection);
        });
  }

  bool PrepareRequest(Connection& connection, int64_t call_number) {
    http::request<http::string_body>& request = connection.request;
    request = {http::verb::post, kSubmitPath, 11};
    request.set(http::field::host, host_);
    request.set(http::field::content_type, "application/json");
    if (!authorization_.empty()) request.set(http::field::authorization, authorization_);
    // protobuf's JSON mapping with its type descriptions kept, as the door reads it: the
    // library's own MessageToJsonString makes them anew on every call, about 20 µs of client CPU
    // taken from the two cores the server shares (docs/performance.md, eleventh pass).
    if (!feedback::MessageToJson(BenchSubmission(call_number), request.body(),
                                 google::protobuf::util::JsonPrintOptions())
             .ok()) {
      return false;
    }
    request.prepare_payload();
    return true;
  }

  void Write(Connection& connection) {
    http::async_write(connection.stream, connection.request,
                      [this, &connection](beast::error_code error, size_t) {
                        if (error) return Failed(connection, error);
                        connection.response = {};
                        http::async_read(connection.stream, connection.buffer, connection.response,
                                         [this, &connection](beast::error_code error, size_t) {
                                           if (error) return Failed(connection, error);
                                           Answered(connection);
                                         });
                      });
  }

  void Answered(Connection& connection) {
    const std::chrono::duration<double, std::milli> took = Clock::now() - connection.sent;
    const http::response<http::string_body>& response = connection.response;
    if (response.result() == http::status::ok) {
      connection.latencies_ms.push_back(took.count());
    } else {
      const HttpError error = HttpErrorOf(response.result_int(), response.body());
      CountFailure(error.code, error.message, connection.errors, connection.first_messages);
    }
    if (!response.keep_alive()) Close(connection);
    StartNextCall(connection);
  }

  // A call that got no answer: the connection is closed, and the next call opens a new one.
  void Failed(Connection& connection, beast::error_code error) {
    CountFailure(error == beast::error::timeout ? "DEADLINE_EXCEEDED" : "UNAVAILABLE",
                 error.message(), connection.errors, connection.first_messages);
    Close(connection);
    StartNextCall(connection);
  }

  static void Close(Connection& connection) {
    beast::error_code ignored;
    connection.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    connection.stream.close();
    connection.buffer.clear();
    connection.open = false;
  }

  LoadResult Gather(double seconds) const {
    LoadResult result;
    result.calls = options_.count;
    result.seconds = seconds;
    for (const std::unique_ptr<Connection>& connection : connections_) {
      result.latencies_ms.insert(result.latencies_ms.end(), connection->latencies_ms.begin(),
                                 connection->latencies_ms.end());
      for (const auto& [code, count] : connection->errors) result.errors[code] += count;
      result.first_messages.insert(connection->first_messages.begin(),
                                   connection->first_messages.end());
    }
    std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
    return result;
  }

  net::io_context& io_;
  const LoadOptions options_;
  const std::chrono::milliseconds timeout_;
  const std::string host_;
  const std::string authorization_;
  const tcp::resolver::results_type endpoints_;
  std::vector<std::unique_ptr<Connection>> connections_;
  int64_t next_call_ = 0;  // one thread claims calls, so no atomic
};

}  // namespace

HttpError HttpErrorOf(unsigned status, std::string_view body) {
  HttpError error{.code = absl::StrCat("HTTP ", status), .message = ""};
  google::protobuf::Struct parsed;
  const bool is_json = google::protobuf::util::JsonStringToMessage(
                           google::protobuf::StringPiece(body.data(), body.size()), &parsed)
                           .ok();
  if (!is_json) return error;
  const auto code = parsed.fields().find("code");
  if (code != parsed.fields().end() && code->second.has_string_value()) {
    const std::string& name = code->second.string_value();
    const bool plain = !name.empty() && name.size() <= 40 &&
                       std::all_of(name.begin(), name.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    if (plain) error.code = absl::AsciiStrToUpper(name);
  }
  const auto message = parsed.fields().find("message");
  if (message != parsed.fields().end() && message->second.has_string_value()) {
    error.message = message->second.string_value();
  }
  return error;
}

absl::Status CheckHttpAddress(const std::string& address) {
  net::io_context io(1);
  return ResolveLoopback(io, address).status();
}

absl::StatusOr<LoadResult> RunHttpLoad(const HttpLoadTarget& target, const LoadOptions& options) {
  if (options.mode != LoadMode::kSubmit) {
    return absl::InvalidArgumentError("--http: the HTTP door is measured with submissions only");
  }
  net::io_context io(1);
  absl::StatusOr<tcp::resolver::results_type> endpoints = ResolveLoopback(io, target.address);
  if (!endpoints.ok()) return endpoints.status();
  HttpRun run(io, target, options, *std::move(endpoints));
  return run.Run();
}

}  // namespace feedback::client::bench
