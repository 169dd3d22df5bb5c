// A load generator for a running feedbackd (or a ceiling server that answers the same calls):
// `concurrency` calls in flight at once on gRPC's callback API, so no thread waits per call,
// until `count` calls have finished. Used by `feedbackctl bench`.
#ifndef FEEDBACK_CLIENT_BENCH_LOAD_H_
#define FEEDBACK_CLIENT_BENCH_LOAD_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "client/lib/feedback_client.h"

namespace feedback::client::bench {

// What each call does:
//   submit   SubmitFeedback of a new ~600-byte item (a fresh submission id every call)
//   get      GetFeedback of an item the server already holds (each read is audited)
//   list     the first page of ListFeedback for the current quarter
//   summary  GetQuarterSummary of the current quarter
//   mix      7 submits, 1 get, 1 list and 1 summary in every 10 calls
enum class LoadMode { kSubmit, kGet, kList, kSummary, kMix };

// "submit" -> kSubmit; INVALID_ARGUMENT naming --mode and the choices otherwise.
absl::StatusOr<LoadMode> ParseLoadMode(std::string_view text);
std::string_view LoadModeName(LoadMode mode);

struct LoadOptions {
  LoadMode mode = LoadMode::kSubmit;
  int concurrency = 1;   // calls in flight at once, 1..10000
  int64_t count = 1000;  // calls in all, at least 1
  std::string tag;       // list calls (list, mix): only items with this tag; empty: any
};

struct LoadResult {
  int64_t calls = 0;
  double seconds = 0;                     // from the first call sent to the last answer
  std::vector<double> latencies_ms;       // of the calls that succeeded, ascending
  std::map<std::string, int64_t> errors;  // by status code name ("UNAVAILABLE"), failed calls
  // By the same code, what was said of one of the calls that failed with it: the server's status
  // message ("rate limit: a kiosk token may make 30 calls a minute; try again shortly"), or the
  // client's own when no answer came. As it arrived: show it only through ForTerminalLine.
  std::map<std::string, std::string> first_messages;

  // Calls that succeeded, per second of the run.
  double ThroughputPerSecond() const;
  // The latency below which `fraction` (0.5, 0.999) of the successful calls fell, by nearest
  // rank; 0 when none succeeded.
  double PercentileMs(double fraction) const;
  int64_t ErrorCount() const;
};

// Counts one failed call under `code` in `errors`, and keeps `message` in `first_messages` if
// it is the first call to fail with that code.
void CountFailure(const std::string& code, std::string_view message,
                  std::map<std::string, int64_t>& errors,
                  std::map<std::string, std::string>& first_messages);

// The service against its ceilings (`bench --ceilings`), as issue 15's targets put them. Each
// is 0 when its denominator is.
struct CeilingRatios {
  double throughput_to_echo = 0;
  double throughput_to_commit = 0;
  // The throughput target's own measure: against the lower of the two ceilings. That is the
  // commit ceiling nearly always, but an echo run in a slow moment of the machine can answer
  // fewer calls a second than the commit ceiling run just after it.
  double throughput_to_min_ceiling = 0;
  double p99_to_commit = 0;
  double p50_to_echo_plus_commit = 0;  // the single-client target: at most 1
};
CeilingRatios CeilingRatiosOf(const LoadResult& service, const LoadResult& echo,
                              const LoadResult& commit);

// The HTTP door against the gRPC door (the target: throughput at least 0.7).
struct DoorRatios {
  double http_to_grpc = 0;
  double http_p99_to_grpc = 0;
};
DoorRatios DoorRatiosOf(const LoadResult& grpc, const LoadResult& http);

// Several runs of the same load taken as one (`bench --rounds`): their calls, seconds and errors
// added (each code's first message the earliest run's), their latencies pooled (ascending), so
// its throughput is all the calls that succeeded over all the runs' time and its percentiles are
// of every call.
LoadResult Pooled(const std::vector<LoadResult>& runs);

// The median of `values`: the middle one, or the mean of the middle two; 0 when there are none.
double Median(std::vector<double> values);

// The servers one `bench` run measures, and the order of each of its rounds (0-based `round`):
// feedbackd, its HTTP door (`http`), the echo and the commit ceiling (`ceilings`) in the first
// round and every other one after it, and in the reverse order in the rounds between, so that
// no server is always measured before or after another.
enum class BenchServer { kService, kHttp, kEcho, kCommit };
std::vector<BenchServer> RoundOrder(int round, bool http, bool ceilings);

// Runs the load with `client`'s server, deadline and token, on its connection while one
// connection carries the calls in flight without reaching feedbackd's limit of streams on it
// (up to 75 calls); beyond that on several connections of the same settings, opened before the
// run and sharing the calls evenly, so that the server has every call in flight at once. A get
// or mix load first lists up to 500 stored items to read; FAILED_PRECONDITION if the server
// holds none, and that list's own error if it fails. Anything else, an unreachable server too,
// is counted in the result, not returned.
absl::StatusOr<LoadResult> RunLoad(const FeedbackClient& client, const LoadOptions& options);

// What a client of a ceiling server (`feedbackd ceilings`, on loopback, without TLS) is given,
// from the service's client settings `service`: the same settings, `address`, and in place of
// the token a stand-in of the same length. The ceilings read no token, but gRPC's carrying it
// is part of what a call costs (an echo answered about 9% fewer calls a second with one:
// docs/performance.md), so a ceiling's calls carry metadata of the same size as the service's;
// the secret itself never goes to a server that does not need it.
ClientOptions CeilingClientOptions(const ClientOptions& service, const std::string& address);

// The bench's submission: realistic, about 600 bytes on the wire, with a fresh submission id.
v1::SubmitFeedbackRequest BenchSubmission(int64_t call_number);

}  // namespace feedback::client::bench

#endif  // FEEDBACK_CLIENT_BENCH_LOAD_H_
