// The submit load of RunLoad (load.h), through feedbackd's HTTP door (--http-listen) instead of
// gRPC: Connect's unary JSON form, `concurrency` keep-alive connections driven by one thread
// with Boost.Asio, so no thread waits per call, until `count` calls have finished. What
// `feedbackctl bench --http` measures beside the gRPC door, with the same submissions.
#ifndef FEEDBACK_CLIENT_BENCH_HTTP_LOAD_H_
#define FEEDBACK_CLIENT_BENCH_HTTP_LOAD_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/bench/load.h"

namespace feedback::client::bench {

struct HttpLoadTarget {
  // host:port of the HTTP door ("127.0.0.1:8080", "[::1]:8080", "localhost:8080"). Plain HTTP,
  // so the token would cross the network in the clear: only an address on this machine is
  // measured (RunHttpLoad).
  std::string address;
  std::string token;  // sent as `Authorization: Bearer <token>`; empty: none
  absl::Duration timeout = absl::Seconds(10);  // of each call, from connecting to the answer
};

// OK if `address` is host:port and every address it resolves to is on this machine;
// INVALID_ARGUMENT naming --http if not, UNAVAILABLE if it cannot be resolved.
absl::Status CheckHttpAddress(const std::string& address);

// Runs `options.count` submissions through the HTTP door at `target`, with the bench's
// submissions (BenchSubmission). INVALID_ARGUMENT naming --http if the mode is not submit, and
// CheckHttpAddress's error if the address fails it. Anything that goes wrong with a call (a refused
// connection, a timeout, an error answer) is counted in the result by its code, not returned.
absl::StatusOr<LoadResult> RunHttpLoad(const HttpLoadTarget& target, const LoadOptions& options);

// An HTTP door's error answer: its code as gRPC names it, the Connect body's "code"
// ("invalid_argument" gives "INVALID_ARGUMENT"), or "HTTP <status>" if the body has no code of
// lower-case letters and underscores (the code is shown in a terminal as it is); and the body's
// "message", empty if it has none (shown only through ForTerminalLine).
struct HttpError {
  std::string code;
  std::string message;
};
HttpError HttpErrorOf(unsigned status, std::string_view body);

}  // namespace feedback::client::bench

#endif  // FEEDBACK_CLIENT_BENCH_HTTP_LOAD_H_
