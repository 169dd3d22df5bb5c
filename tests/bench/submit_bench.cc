// Submission throughput and latency of a real feedbackd under concurrent clients.
//
//   build/tests/bench/feedback_submit_bench --clients 64 --seconds 10
//
// Starts its own feedbackd on a temporary store (or uses --server), runs one client alone,
// then --clients clients at once, each submitting sequentially as fast as acknowledgements
// come back, and prints throughput, latency percentiles and the concurrency speed-up ratio.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct RunResult {
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

RunResult Run(const std::string& address, const std::string& token, int clients, double seconds) {
  auto channel = testing::ChannelWithToken(address, token);
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<int64_t> failures{0};
  const Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                   std::chrono::duration<double>(seconds));
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
  result.clients = clients;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const auto& per_client : latencies) {
    result.latencies_ms.insert(result.latencies_ms.end(), per_client.begin(), per_client.end());
  }
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  result.failures = failures;
  return result;
}

void Print(const RunResult& r) {
  std::printf(
      "clients=%-3d acknowledged=%-7zu failed=%-3lld  %8.0f submissions/s  latency ms: p50 %.2f  "
      "p95 %.2f  p99 %.2f  max %.2f\n",
      r.clients, r.latencies_ms.size(), static_cast<long long>(r.failures), r.PerSecond(),
      r.Percentile(50), r.Percentile(95), r.Percentile(99),
      r.latencies_ms.empty() ? 0.0 : r.latencies_ms.back());
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  int clients = 64;
  double seconds = 10;
  std::string server_address;
  CLI::App app{"feedback_submit_bench: durable submissions per second against feedbackd"};
  app.add_option("--clients", clients, "concurrent clients")->capture_default_str();
  app.add_option("--seconds", seconds, "length of each run")->capture_default_str();
  app.add_option("--server", server_address, "use this running server (default: start one)");
  std::string token;
  app.add_option("--token", token, "a kiosk, advocate or qa_manager token for --server");
  CLI11_PARSE(app, argc, argv);

  feedback::testing::TempDir dir;
  std::unique_ptr<feedback::testing::ServerProcess> server;
  if (server_address.empty()) {
    auto started = feedback::testing::ServerProcess::Start(dir.Sub("data"));
    if (!started.ok()) {
      std::fprintf(stderr, "cannot start feedbackd: %s\n", started.status().ToString().c_str());
      return 1;
    }
    server = std::move(*started);
    server_address = server->address();
    token = server->token(feedback::v1::ROLE_KIOSK);
    std::printf("feedbackd on %s, store in %s (every acknowledgement is fsynced)\n",
                server_address.c_str(), dir.Sub("data").c_str());
  }
  const auto alone = feedback::bench::Run(server_address, token, 1, seconds);
  feedback::bench::Print(alone);
  const auto together = feedback::bench::Run(server_address, token, clients, seconds);
  feedback::bench::Print(together);
  std::printf("throughput ratio %d clients / 1 client: %.1fx\n", clients,
              together.PerSecond() / std::max(alone.PerSecond(), 1e-9));
  return together.failures == 0 && alone.failures == 0 ? 0 : 1;
}
