// What feedbackd tells its operators, as Prometheus text (the exposition format, version 0.0.4,
// written here: prometheus-cpp is not packaged by Debian). Calls per door, method and status,
// with their latency; the group-commit writer's batches and the time each took to reach the
// disk; and gauges read when scraped (the store's health, RocksDB's figures, the writer's queue).
// Labels are method names, door names and status codes only: never an id, a token or anything
// a person wrote.
#ifndef FEEDBACK_SERVICE_CORE_METRICS_H_
#define FEEDBACK_SERVICE_CORE_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace feedback {

// A gauge read at scrape time: its name (with the feedbackd_ prefix), help, and value.
struct GaugeValue {
  std::string name;
  std::string help;
  double value = 0;
};

// Thread-safe.
class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  // Upper bounds of the batch-size buckets, in operations.
  static constexpr std::array<double, 10> kBatchBuckets = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

  // One answered call. `door` is "grpc" or "http"; `method` an RPC name of FeedbackService
  // (callers pass only names they have matched against the service); `code` its status: a gRPC
  // code name ("OK", "UNAVAILABLE") or an HTTP status ("200", "503").
  void RecordCall(std::string_view door, std::string_view method, std::string_view code,
                  absl::Duration latency);
  // One group the writer committed: its operations, and the time until it was on disk.
  void RecordCommit(size_t operations, absl::Duration commit);
  // Adds a source of gauges, read at every Render (on the scraping thread). It must be
  // thread-safe and outlive this object.
  void AddGauges(std::function<std::vector<GaugeValue>()> source);

  // Everything, as Prometheus text.
  std::string Render() const;

 private:
  template <size_t N>
  struct Histogram {
    std::array<uint64_t, N + 1> counts{};  // the last is +Inf
    uint64_t count = 0;
    double sum = 0;
    void Observe(const std::array<double, N>& bounds, double value);
  };

  mutable absl::Mutex mutex_;
  // (door, method, code) -> calls
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> calls_
      ABSL_GUARDED_BY(mutex_);
  // (door, method) -> latency
  std::map<std::pair<std::string, std::string>, Histogram<kLatencyBuckets.size()>> latency_
      ABSL_GUARDED_BY(mutex_);
  Histogram<kBatchBuckets.size()> batch_sizes_ ABSL_GUARDED_BY(mutex_);
  Histogram<kLatencyBuckets.size()> commit_seconds_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::function<std::vector<GaugeValue>()>> gauges_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_METRICS_H_
