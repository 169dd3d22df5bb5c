// The figures `feedbackctl bench` reports: nearest-rank percentiles, throughput over the run,
// errors summed across codes; its modes by name; the submission it sends; how it names the
// HTTP door's refusals and which doors it will measure; and that every call it says is in flight
// is in flight at the server.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/bench/http_load.h"
#include "client/bench/load.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/transport.h"
#include "service/domain/tagger.h"
#include "tests/support/server_process.h"

namespace feedback::client::bench {
namespace {
namespace bench_load_test {

using ::testing::HasSubstr;
using ::testing::Not;

LoadResult WithLatencies(std::vector<double> ascending) {
  LoadResult result;
  result.latencies_ms = std::move(ascending);
  result.calls = static_cast<int64_t>(result.latencies_ms.size());
  return result;
}

TEST(BenchLoadResult, PercentilesAreByNearestRank) {
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  const LoadResult result = WithLatencies(hundred);
  EXPECT_EQ(result.PercentileMs(0.5), 50);
  EXPECT_EQ(result.PercentileMs(0.9), 90);
  EXPECT_EQ(result.PercentileMs(0.99), 99);
  EXPECT_EQ(result.PercentileMs(0.999), 100);  // rank 99.9 rounds up to the last
}

TEST(BenchLoadResult, OneCallIsEveryPercentileAndNoneIsZero) {
  EXPECT_EQ(WithLatencies({7.5}).PercentileMs(0.5), 7.5);
  EXPECT_EQ(WithLatencies({7.5}).PercentileMs(0.999), 7.5);
  EXPECT_EQ(WithLatencies({}).PercentileMs(0.5), 0);
}

TEST(BenchLoadResult, ThroughputCountsOnlyCallsThatSucceeded) {
  LoadResult result = WithLatencies({1, 2, 3, 4});
  result.calls = 10;
  result.seconds = 2;
  result.errors = {{"UNAVAILABLE", 4}, {"RESOURCE_EXHAUSTED", 2}};
  EXPECT_EQ(result.ThroughputPerSecond(), 2);
  EXPECT_EQ(result.ErrorCount(), 6);
}

// `calls` calls that each took `ms`, over `seconds`.
LoadResult Measured(int calls, double seconds, double ms) {
  LoadResult result = WithLatencies(std::vector<double>(calls, ms));
  result.seconds = seconds;
  return result;
}

TEST(CeilingRatios, TheThroughputTargetIsMeasuredAgainstTheLowerCeiling) {
  const LoadResult service = Measured(800, 1, 4);
  // As nearly always: the commit ceiling answers fewer calls a second than the echo.
  const CeilingRatios usual = CeilingRatiosOf(service, Measured(2000, 1, 2), Measured(1000, 1, 3));
  EXPECT_DOUBLE_EQ(usual.throughput_to_echo, 0.4);
  EXPECT_DOUBLE_EQ(usual.throughput_to_commit, 0.8);
  EXPECT_DOUBLE_EQ(usual.throughput_to_min_ceiling, 0.8);
  // An echo run in a slow moment of the machine, under the commit ceiling run after it.
  const CeilingRatios slow_echo =
      CeilingRatiosOf(service, Measured(900, 1, 2), Measured(1000, 1, 3));
  EXPECT_DOUBLE_EQ(slow_echo.throughput_to_commit, 0.8);
  EXPECT_NEAR(slow_echo.throughput_to_min_ceiling, 800.0 / 900, 1e-12);
}

TEST(CeilingRatios, LatencyRatiosAreTheTargetsOwn) {
  const CeilingRatios ratios =
      CeilingRatiosOf(Measured(10, 1, 6), Measured(10, 1, 1), Measured(10, 1, 4));
  EXPECT_DOUBLE_EQ(ratios.p99_to_commit, 1.5);            // 6 ÷ 4
  EXPECT_DOUBLE_EQ(ratios.p50_to_echo_plus_commit, 1.2);  // 6 ÷ (1 + 4)
}

TEST(CeilingRatios, ACeilingThatAnsweredNothingGivesZeroNotInfinity) {
  const CeilingRatios ratios =
      CeilingRatiosOf(Measured(10, 1, 6), Measured(0, 1, 1), Measured(10, 1, 4));
  EXPECT_EQ(ratios.throughput_to_echo, 0);
  EXPECT_EQ(ratios.throughput_to_min_ceiling, 0);
  EXPECT_DOUBLE_EQ(ratios.throughput_to_commit, 1);
}

TEST(DoorRatios, TheHttpDoorIsMeasuredAgainstGrpc) {
  const DoorRatios doors = DoorRatiosOf(Measured(1000, 1, 2), Measured(750, 1, 3));
  EXPECT_DOUBLE_EQ(doors.http_to_grpc, 0.75);
  EXPECT_DOUBLE_EQ(doors.http_p99_to_grpc, 1.5);
}

// `bench --rounds`: each server's rounds taken as one run.
TEST(BenchPooled, AddsCallsTimeAndErrorsAndPoolsEveryLatency) {
  LoadResult fast = Measured(300, 1, 2);
  LoadResult slow = Measured(100, 2, 10);
  slow.calls = 110;
  slow.errors = {{"UNAVAILABLE", 10}};
  slow.first_messages = {{"UNAVAILABLE", "later"}};
  fast.errors = {{"UNAVAILABLE", 1}, {"DEADLINE_EXCEEDED", 2}};
  fast.first_messages = {{"UNAVAILABLE", "earlier"}, {"DEADLINE_EXCEEDED", "slow"}};
  fast.calls = 303;
  const LoadResult pooled = Pooled({fast, slow});
  EXPECT_EQ(pooled.calls, 413);
  EXPECT_EQ(pooled.seconds, 3);
  EXPECT_EQ(pooled.ThroughputPerSecond(), 400.0 / 3);  // every success over all the time
  EXPECT_EQ(pooled.errors.at("UNAVAILABLE"), 11);
  EXPECT_EQ(pooled.errors.at("DEADLINE_EXCEEDED"), 2);
  EXPECT_EQ(pooled.first_messages.at("UNAVAILABLE"), "earlier");  // the earliest run's
  EXPECT_EQ(pooled.first_messages.at("DEADLINE_EXCEEDED"), "slow");
  // Three in four calls took 2 ms, the rest 10: the percentiles are of all 400.
  EXPECT_EQ(pooled.PercentileMs(0.75), 2);
  EXPECT_EQ(pooled.PercentileMs(0.76), 10);
  EXPECT_TRUE(std::is_sorted(pooled.latencies_ms.begin(), pooled.latencies_ms.end()));
}

TEST(BenchPooled, OfOneRunIsThatRun) {
  const LoadResult one = Measured(50, 0.5, 3);
  const LoadResult pooled = Pooled({one});
  EXPECT_EQ(pooled.calls, 50);
  EXPECT_EQ(pooled.ThroughputPerSecond(), one.ThroughputPerSecond());
  EXPECT_EQ(pooled.PercentileMs(0.99), 3);
}

// Rounds alternate: no server is always measured before or after another.
TEST(BenchRoundOrder, OddRoundsInTheUsualOrderEvenRoundsReversed) {
  using enum BenchServer;
  EXPECT_EQ(RoundOrder(0, true, true), (std::vector{kService, kHttp, kEcho, kCommit}));
  EXPECT_EQ(RoundOrder(1, true, true), (std::vector{kCommit, kEcho, kHttp, kService}));
  EXPECT_EQ(RoundOrder(2, true, true), RoundOrder(0, true, true));
  EXPECT_EQ(RoundOrder(1, false, true), (std::vector{kCommit, kEcho, kService}));
  EXPECT_EQ(RoundOrder(1, true, false), (std::vector{kHttp, kService}));
  EXPECT_EQ(RoundOrder(3, false, false), (std::vector{kService}));
}

TEST(BenchMedian, IsTheMiddleOrTheMeanOfTheMiddleTwo) {
  EXPECT_EQ(Median({0.9, 0.6, 0.8}), 0.8);
  EXPECT_EQ(Median({0.9, 0.6, 0.8, 0.7}), 0.75);
  EXPECT_EQ(Median({1.5}), 1.5);
  EXPECT_EQ(Median({}), 0);
}

TEST(BenchLoadMode, ParsesEachModeAndNamesTheFlagOtherwise) {
  for (const std::string name : {"submit", "get", "list", "summary", "mix"}) {
    absl::StatusOr<LoadMode> mode = ParseLoadMode(name);
    ASSERT_TRUE(mode.ok()) << name;
    EXPECT_EQ(LoadModeName(*mode), name);
  }
  const absl::StatusOr<LoadMode> bad = ParseLoadMode("write");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("--mode"));
}

TEST(BenchSubmission, IsRealisticAndNewEachTime) {
  std::set<std::string> ids;
  for (int n = 0; n < 50; ++n) {
    const v1::SubmitFeedbackRequest request = BenchSubmission(n);
    ids.insert(request.feedback().submission_id());
    // About 600 bytes on the wire, like a family's few sentences after a meeting.
    EXPECT_GE(request.ByteSizeLong(), 550u);
    EXPECT_LE(request.ByteSizeLong(), 700u);
    EXPECT_GE(request.feedback().rating(), 1);
    EXPECT_LE(request.feedback().rating(), 5);
  }
  EXPECT_EQ(ids.size(), 50u);
}

// A server never sees the same text twice in a row, so the bench must not send a few texts in
// turn: the CPU would learn them and the lexicon would look cheaper than it is.
TEST(BenchSubmission, TextsDifferFromCallToCallButAreTheSameEachRun) {
  std::set<std::string> texts;
  std::set<std::string> openings;
  for (int n = 0; n < 1000; ++n) {
    const std::string text = BenchSubmission(n).feedback().text();
    texts.insert(text);
    openings.insert(text.substr(0, text.find(". ")));
    EXPECT_EQ(BenchSubmission(n).feedback().text(), text) << "call " << n;
  }
  EXPECT_GE(texts.size(), 990u);
  EXPECT_GE(openings.size(), 20u);  // every sentence can come first, not one in turn
}

TEST(BenchSubmission, TextIsEightWholeSentences) {
  for (int n = 0; n < 200; ++n) {
    const std::string text = BenchSubmission(n).feedback().text();
    int sentences = 0;
    for (size_t end = text.find(". "); end != std::string::npos; end = text.find(". ", end + 2)) {
      ++sentences;
    }
    EXPECT_EQ(sentences, 8) << text;
    EXPECT_TRUE(text.ends_with(". ")) << text;
  }
}

// The bench measures what a submission costs, and a submission's themes are much of that (its
// counters, its time-index facets, its reply): a bench whose texts had fewer themes than real
// ones would flatter the service. Families' words after a meeting name about four (the seed
// report's quotes; the eight sentences the bench sent before it varied them had four).
TEST(BenchSubmission, IsTaggedAsARealSubmissionIs) {
  const absl::StatusOr<Tagger> tagger = Tagger::Load("");
  ASSERT_TRUE(tagger.ok()) << tagger.status();
  int themes = 0;
  constexpr int kCalls = 1000;
  for (int n = 0; n < kCalls; ++n) {
    const Tagger::TextTags tags = tagger->Tag(BenchSubmission(n).feedback().text());
    themes += static_cast<int>(tags.themes.size());
    EXPECT_FALSE(tags.safeguarding) << "call " << n;  // an alert is a write of its own
  }
  EXPECT_GE(themes, 3.5 * kCalls);
  EXPECT_LE(themes, 5 * kCalls);
}

// A ceiling's calls carry metadata of the same size as the service's, but never its secret, and
// go to the ceiling on loopback without TLS.
TEST(CeilingClientOptions, CarryAStandInOfTheTokensLengthAndNoSecret) {
  ClientOptions service;
  service.server = "feedback.example.org:443";
  service.timeout = absl::Seconds(60);
  service.token = "fbt_s3cr3t-0f-the-qa-manager";
  service.tls_root_certs = "-----BEGIN CERTIFICATE-----";
  service.tls_client_cert = "-----BEGIN CERTIFICATE-----";
  service.tls_client_key = "-----BEGIN PRIVATE KEY-----";
  const ClientOptions ceiling = CeilingClientOptions(service, "127.0.0.1:40123");
  EXPECT_EQ(ceiling.server, "127.0.0.1:40123");
  EXPECT_EQ(ceiling.timeout, absl::Seconds(60));
  EXPECT_EQ(ceiling.token.size(), service.token.size());
  EXPECT_THAT(ceiling.token, Not(HasSubstr("s3cr3t")));
  EXPECT_TRUE(ceiling.tls_root_certs.empty());
  EXPECT_TRUE(ceiling.tls_client_cert.empty());
  EXPECT_TRUE(ceiling.tls_client_key.empty());
}

TEST(CeilingClientOptions, NoTokenForTheServiceIsNoneForTheCeiling) {
  EXPECT_TRUE(CeilingClientOptions(ClientOptions{}, "127.0.0.1:40123").token.empty());
}

// An HTTP door's refusal is counted under the gRPC code its Connect body names; a body that
// names none, or one that is not a plain code, under its HTTP status, so nothing the server
// sent reaches the terminal as it was.
TEST(HttpErrorOf, IsTheConnectCodeInGrpcsSpelling) {
  EXPECT_EQ(HttpErrorOf(403, R"({"code": "permission_denied", "message": "no"})").code,
            "PERMISSION_DENIED");
  EXPECT_EQ(HttpErrorOf(429, R"({"code":"resource_exhausted"})").code, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(HttpErrorOf(502, "<html>Bad Gateway</html>").code, "HTTP 502");
  EXPECT_EQ(HttpErrorOf(400, R"({"code": "\u001b[2J"})").code, "HTTP 400");
  EXPECT_EQ(HttpErrorOf(400, R"({"code": 3})").code, "HTTP 400");
  EXPECT_EQ(HttpErrorOf(503, "").code, "HTTP 503");
}

// The body's message is kept as it was sent (the terminal escapes it when it shows it).
TEST(HttpErrorOf, KeepsTheConnectMessage) {
  EXPECT_EQ(
      HttpErrorOf(429, R"({"code": "resource_exhausted", "message": "rate limit: kiosk"})").message,
      "rate limit: kiosk");
  EXPECT_EQ(HttpErrorOf(400, R"({"code": "x", "message": "a\u001bb"})").message,
            "a\x1b"
            "b");
  EXPECT_EQ(HttpErrorOf(400, R"({"code": "invalid_argument"})").message, "");
  EXPECT_EQ(HttpErrorOf(400, R"({"message": 3})").message, "");
  EXPECT_EQ(HttpErrorOf(502, "<html>Bad Gateway</html>").message, "");
}

// A failed call is counted under its code, and the first message of each code is kept: the
// cause of a refusal is named without one line per call.
TEST(CountFailure, CountsEveryCallAndKeepsEachCodesFirstMessage) {
  std::map<std::string, int64_t> errors;
  std::map<std::string, std::string> first_messages;
  CountFailure("RESOURCE_EXHAUSTED", "rate limit: one", errors, first_messages);
  CountFailure("RESOURCE_EXHAUSTED", "rate limit: two", errors, first_messages);
  CountFailure("UNAVAILABLE", "connection refused", errors, first_messages);
  EXPECT_EQ(errors,
            (std::map<std::string, int64_t>{{"RESOURCE_EXHAUSTED", 2}, {"UNAVAILABLE", 1}}));
  EXPECT_EQ(first_messages,
            (std::map<std::string, std::string>{{"RESOURCE_EXHAUSTED", "rate limit: one"},
                                                {"UNAVAILABLE", "connection refused"}}));
}

TEST(CheckHttpAddress, TakesOnlyADoorOnThisMachine) {
  EXPECT_TRUE(CheckHttpAddress("127.0.0.1:8080").ok());
  EXPECT_TRUE(CheckHttpAddress("[::1]:8080").ok());
  const absl::Status elsewhere = CheckHttpAddress("203.0.113.7:8080");
  EXPECT_EQ(elsewhere.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(elsewhere.message(), HasSubstr("not on this machine"));
  for (const std::string malformed : {"8080", ":8080", "127.0.0.1:"}) {
    const absl::Status status = CheckHttpAddress(malformed);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << malformed;
    EXPECT_THAT(status.message(), HasSubstr("--http")) << malformed;
  }
}

// A server with feedbackd's limit of streams per connection whose SubmitFeedback answers nothing
// until `release_at` calls are open at once, then answers them all: it sees how many calls a load
// has in flight together, and on how many connections.
class HoldingServer final : public v1::FeedbackService::CallbackService {
 public:
  explicit HoldingServer(size_t release_at) : release_at_(release_at) {
    grpc::ServerBuilder builder;
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }

  ~HoldingServer() override {
    AnswerHeld();  // a load that never had enough in flight: its calls have timed out
    server_->Shutdown();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

  size_t most_held() const {
    absl::MutexLock lock(&mutex_);
    return most_held_;
  }

  // Calls by the connection (the client's address and port) they came on.
  std::map<std::string, int> calls_by_connection() const {
    absl::MutexLock lock(&mutex_);
    return calls_by_connection_;
  }

 private:
  grpc::ServerUnaryReactor* SubmitFeedback(grpc::CallbackServerContext* context,
                                           const v1::SubmitFeedbackRequest*,
                                           v1::SubmitFeedbackResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    bool release = false;
    {
      absl::MutexLock lock(&mutex_);
      held_.push_back(reactor);
      ++calls_by_connection_[context->peer()];
      most_held_ = std::max(most_held_, held_.size());
      release = held_.size() >= release_at_;
    }
    if (release) AnswerHeld();
    return reactor;
  }

  void AnswerHeld() {
    std::vector<grpc::ServerUnaryReactor*> held;
    {
      absl::MutexLock lock(&mutex_);
      held.swap(held_);
    }
    for (grpc::ServerUnaryReactor* reactor : held) reactor->Finish(grpc::Status::OK);
  }

  const size_t release_at_;
  int port_ = 0;
  mutable absl::Mutex mutex_;
  std::vector<grpc::ServerUnaryReactor*> held_ ABSL_GUARDED_BY(mutex_);
  size_t most_held_ ABSL_GUARDED_BY(mutex_) = 0;
  std::map<std::string, int> calls_by_connection_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<grpc::Server> server_;  // last: serves only once the rest is made
};

// One wave of `concurrency` submissions against a HoldingServer that answers once all are open.
struct Wave {
  LoadResult result;
  size_t most_in_flight = 0;
  std::map<std::string, int> calls_by_connection;
};

Wave SubmitOneWave(int concurrency) {
  HoldingServer server(static_cast<size_t>(concurrency));
  ClientOptions options;
  options.server = server.address();
  options.timeout = absl::Seconds(10);  // how long a load that cannot fill the wave waits
  const FeedbackClient client(options);
  absl::StatusOr<LoadResult> result = RunLoad(
      client,
      {.mode = LoadMode::kSubmit, .concurrency = concurrency, .count = concurrency, .tag = {}});
  EXPECT_TRUE(result.ok()) << result.status();
  return {.result = result.ok() ? *std::move(result) : LoadResult{},
          .most_in_flight = server.most_held(),
          .calls_by_connection = server.calls_by_connection()};
}

// feedbackd lets a connection have 100 calls open; at C = 250 on one connection it would have
// seen 100 in flight and the rest waiting in the client.
TEST(BenchConnections, AboveOneConnectionsWorthEveryCallIsInFlightAtOnce) {
  const Wave wave = SubmitOneWave(250);
  EXPECT_EQ(wave.result.ErrorCount(), 0);
  EXPECT_EQ(wave.result.latencies_ms.size(), 250u);
  EXPECT_EQ(wave.most_in_flight, 250u);
  ASSERT_EQ(wave.calls_by_connection.size(), 4u);  // 75 calls a connection at most
  for (const auto& [connection, calls] : wave.calls_by_connection) {
    EXPECT_GE(calls, 62) << connection;  // shared evenly: 62 or 63 each
    EXPECT_LE(calls, 63) << connection;
  }
}

// At the C = 64 of issue 15's target, every call goes on the client's one connection, as it did
// before the bench spread its calls.
TEST(BenchConnections, SixtyFourCallsShareOneConnection) {
  const Wave wave = SubmitOneWave(64);
  EXPECT_EQ(wave.result.ErrorCount(), 0);
  EXPECT_EQ(wave.most_in_flight, 64u);
  EXPECT_EQ(wave.calls_by_connection.size(), 1u);
}

// A server that cannot be reached fails every call at once, as it does when one connection
// carries them all, rather than holding the run while the connections are tried again.
TEST(BenchConnections, AnUnreachableServerFailsEveryCallWithoutWaitingForTheDeadline) {
  ClientOptions options;
  options.server = feedback::testing::ClosedPortAddress();
  options.timeout = absl::Seconds(60);
  const FeedbackClient client(options);
  for (const int concurrency : {64, 250}) {
    const absl::Time began = absl::Now();
    absl::StatusOr<LoadResult> result = RunLoad(
        client, {.mode = LoadMode::kSubmit, .concurrency = concurrency, .count = 500, .tag = {}});
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->errors, (std::map<std::string, int64_t>{{"UNAVAILABLE", 500}}))
        << concurrency;
    EXPECT_LT(absl::Now() - began, options.timeout / 2) << concurrency;
  }
}

}  // namespace bench_load_test
}  // namespace
}  // namespace feedback::client::bench
