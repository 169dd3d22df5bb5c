// Durable submissions per second through the HTTP door (Connect unary JSON) beside the gRPC
// door, at the same concurrency, on the same feedbackd and store.
//
//   build/tests/bench/feedback_http_submit_bench --clients 64 --seconds 10
//
// Starts its own feedbackd with --http-listen on a temporary store, then runs, --rounds times:
// --clients gRPC clients (each a thread making blocking calls, as feedback_submit_bench does),
// then --clients HTTP clients (each a keep-alive connection, all driven asynchronously by one
// client thread), each client submitting as fast as acknowledgements return. Every
// acknowledgement means the submission's batch was fsynced. Prints throughput, latency
// percentiles and the HTTP/gRPC throughput ratio.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "client/lib/feedback_client.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::bench {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct RunResult {
  std::string door;
  int clients = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;  // of acknowledged submissions
  int64_t failures = 0;

  double PerSecond() const { return latencies_ms.size() / seconds; }
  double Percentile(double p) const {
    if (latencies_ms.empty()) return 0;
    const size_t index =
        std::min(latencies_ms.size() - 1, static_cast<size_t>(p / 100.0 * latencies_ms.size()));
    return latencies_ms[index];
  }
};

v1::SubmitFeedbackRequest NewRequest(int client, int64_t n) {
  v1::SubmitFeedbackRequest request;
  v1::Feedback* feedback = request.mutable_feedback();
  feedback->set_submission_id(client::NewSubmissionId());
  feedback->set_source(v1::SOURCE_FAMILY);
  feedback->set_kind(v1::KIND_COMPLIMENT);
  feedback->set_meeting(v1::MEETING_CLA_REVIEW);
  feedback->set_rating(static_cast<int>(n % 5) + 1);
  feedback->set_text(absl::StrCat("Benchmark compliment ", client, "/", n,
                                  ": the chair listened and the plan was clear."));
  return request;
}

Clock::time_point After(double seconds) {
  return Clock::now() +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

void Finish(RunResult& result, Clock::time_point start,
            const std::vector<std::vector<double>>& latencies) {
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const auto& per_client : latencies) {
    result.latencies_ms.insert(result.latencies_ms.end(), per_client.begin(), per_client.end());
  }
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
}

RunResult RunGrpc(const std::string& address, const std::string& token, int clients,
                  double seconds) {
  auto channel = testing::ChannelWithToken(address, token);
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<int64_t> failures{0};
  const Clock::time_point end = After(seconds);
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto stub = v1::FeedbackService::NewStub(channel);
      for (int64_t n = 0; Clock::now() < end; ++n) {
        const v1::SubmitFeedbackRequest request = NewRequest(c, n);
        v1::SubmitFeedbackResponse response;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
        const Clock::time_point sent = Clock::now();
        const grpc::Status status = stub->SubmitFeedback(&context, request, &response);
        const std::chrono::duration<double, std::milli> took = Clock::now() - sent;
        if (status.ok()) {
          latencies[c].push_back(took.count());
        } else {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  RunResult result;
  result.door = "grpc";
  result.clients = clients;
  Finish(result, start, latencies);
  result.failures = failures;
  return result;
}

// One keep-alive HTTP connection submitting in a loop, asynchronously.
class HttpClient : public std::enable_shared_from_this<HttpClient> {
 public:
  HttpClient(net::io_context& io, int id, std::string authorization, Clock::time_point end,
             std::vector<double>& latencies, int64_t& failures)
      : stream_(io),
        id_(id),
        authorization_(std::move(authorization)),
        end_(end),
        latencies_(latencies),
        failures_(failures) {}

  void Start(const tcp::resolver::results_type& endpoints) {
    stream_.async_connect(
        endpoints, [self = shared_from_this()](beast::error_code error, const tcp::endpoint&) {
          if (error) {
            ++self->failures_;
            return;
          }
          self->Send();
        });
  }

 private:
  void Send() {
    if (Clock::now() >= end_) return;
    request_ = {bhttp::verb::post, "/feedback.v1.FeedbackService/SubmitFeedback", 11};
    request_.set(bhttp::field::host, "127.0.0.1");
    request_.set(bhttp::field::content_type, "application/json");
    request_.set(bhttp::field::authorization, authorization_);
    if (!google::protobuf::util::MessageToJsonString(NewRequest(id_, n_++), &request_.body())
             .ok()) {
      ++failures_;
      return;
    }
    request_.prepare_payload();
    response_ = {};
    sent_ = Clock::now();
    bhttp::async_write(
        stream_, request_, [self = shared_from_this()](beast::error_code error, size_t) {
          if (error) {
            ++self->failures_;
            return;
          }
          bhttp::async_read(self->stream_, self->buffer_, self->response_,
                            [self](beast::error_code error, size_t) { self->OnResponse(error); });
        });
  }

  void OnResponse(beast::error_code error) {
    const std::chrono::duration<double, std::milli> took = Clock::now() - sent_;
    if (error) {
      ++failures_;
      return;
    }
    if (response_.result() == bhttp::status::ok) {
      latencies_.push_back(took.count());
    } else {
      ++failures_;
    }
    Send();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  bhttp::response<bhttp::string_body> response_;
  const int id_;
  const std::string authorization_;
  const Clock::time_point end_;
  std::vector<double>& latencies_;
  int64_t& failures_;
  int64_t n_ = 0;
  Clock::time_point sent_;
};

RunResult RunHttp(const std::string& address, const std::string& token, int clients,
                  double seconds) {
  net::io_context io(1);
  const size_t colon = address.rfind(':');
  const auto endpoints =
      tcp::resolver(io).resolve(address.substr(0, colon), address.substr(colon + 1));
  std::vector<std::vector<double>> latencies(clients);
  std::vector<int64_t> failures(clients, 0);
  const Clock::time_point end = After(seconds);
  const Clock::time_point start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    std::make_shared<HttpClient>(io, c, "Bearer " + token, end, latencies[c], failures[c])
        ->Start(endpoints);
  }
  io.run();  // one client thread drives every connection; returns when all have stopped
  RunResult result;
  result.door = "http";
  result.clients = clients;
  Finish(result, start, latencies);
  for (int64_t f : failures) result.failures += f;
  return result;
}

void Print(const RunResult& r) {
  std::printf(
      "%-4s clients=%-3d acknowledged=%-7zu failed=%-3lld  %8.0f submissions/s  latency ms: "
      "p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
      r.door.c_str(), r.clients, r.latencies_ms.size(), static_cast<long long>(r.failures),
      r.PerSecond(), r.Percentile(50), r.Percentile(95), r.Percentile(99),
      r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back());
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  int clients = 64;
  double seconds = 10;
  int rounds = 2;
  CLI::App app{"feedback_http_submit_bench: durable submissions per second, HTTP beside gRPC"};
  app.add_option("--clients", clients, "concurrent clients of each door")->capture_default_str();
  app.add_option("--seconds", seconds, "length of each run")->capture_default_str();
  app.add_option("--rounds", rounds, "gRPC-then-HTTP rounds")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  feedback::testing::TempDir dir;
  auto server =
      feedback::testing::ServerProcess::Start(dir.Sub("data"), {"--http-listen", "127.0.0.1:0"});
  if (!server.ok()) {
    std::fprintf(stderr, "cannot start feedbackd: %s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string token = (*server)->token(feedback::v1::ROLE_KIOSK);
  std::printf("feedbackd: gRPC on %s, HTTP on %s, store in %s (every acknowledgement is fsynced)\n",
              (*server)->address().c_str(), (*server)->http_address().c_str(),
              dir.Sub("data").c_str());
  bool failed = false;
  for (int round = 1; round <= rounds; ++round) {
    const auto grpc = feedback::bench::RunGrpc((*server)->address(), token, clients, seconds);
    feedback::bench::Print(grpc);
    const auto http = feedback::bench::RunHttp((*server)->http_address(), token, clients, seconds);
    feedback::bench::Print(http);
    std::printf("round %d: HTTP/gRPC throughput %.2f, p50 %.2f, p99 %.2f\n", round,
                http.PerSecond() / std::max(grpc.PerSecond(), 1e-9),
                http.Percentile(50) / std::max(grpc.Percentile(50), 1e-9),
                http.Percentile(99) / std::max(grpc.Percentile(99), 1e-9));
    failed = failed || grpc.failures != 0 || http.failures != 0;
  }
  return failed ? 1 : 0;
}
