#include "service/core/metrics.h"

#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace feedback {
namespace {

std::string Number(double value) { return absl::StrFormat("%.17g", value); }

void Header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  absl::StrAppend(&out, "# HELP ", std::string(name), " ", std::string(help), "\n", "# TYPE ",
                  std::string(name), " ", std::string(type), "\n");
}

// `labels` without braces, e.g. door="grpc",method="SubmitFeedback"; may be empty.
template <typename Histogram, size_t N>
void AppendHistogram(std::string& out, const std::string& name, const std::string& labels,
                     const std::array<double, N>& bounds, const Histogram& histogram) {
  const std::string sep = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < N; ++i) {
    cumulative += histogram.counts[i];
    absl::StrAppend(&out, name, "_bucket{", labels, sep, "le=\"", Number(bounds[i]), "\"} ",
                    cumulative, "\n");
  }
  absl::StrAppend(&out, name, "_bucket{", labels, sep, "le=\"+Inf\"} ", histogram.count, "\n");
  const std::string braces = labels.empty() ? "" : absl::StrCat("{", labels, "}");
  absl::StrAppend(&out, name, "_sum", braces, " ", Number(histogram.sum), "\n");
  absl::StrAppend(&out, name, "_count", braces, " ", histogram.count, "\n");
}

}  // namespace

template <size_t N>
void Metrics::Histogram<N>::Observe(const std::array<double, N>& bounds, double value) {
  size_t bucket = 0;
  while (bucket < N && value > bounds[bucket]) ++bucket;
  ++counts[bucket];
  ++count;
  sum += value;
}

void Metrics::RecordCall(std::string_view door, std::string_view method, std::string_view code,
                         absl::Duration latency) {
  absl::MutexLock lock(&mutex_);
  ++calls_[std::make_tuple(std::string(door), std::string(method), std::string(code))];
  latency_[{std::string(door), std::string(method)}].Observe(kLatencyBuckets,
                                                             absl::ToDoubleSeconds(latency));
}

void Metrics::RecordCommit(size_t operations, absl::Duration commit) {
  absl::MutexLock lock(&mutex_);
  batch_sizes_.Observe(kBatchBuckets, static_cast<double>(operations));
  commit_seconds_.Observe(kLatencyBuckets, absl::ToDoubleSeconds(commit));
}

void Metrics::AddGauges(std::function<std::vector<GaugeValue>()> source) {
  absl::MutexLock lock(&mutex_);
  gauges_.push_back(std::move(source));
}

std::string Metrics::Render() const {
  std::vector<std::function<std::vector<GaugeValue>()>> sources;
  std::string out;
  {
    absl::MutexLock lock(&mutex_);
    sources = gauges_;
    Header(out, "feedbackd_requests_total", "Calls answered, by door, method and status code.",
           "counter");
    for (const auto& [key, count] : calls_) {
      const auto& [door, method, code] = key;
      absl::StrAppend(&out, "feedbackd_requests_total{door=\"", door, "\",method=\"", method,
                      "\",code=\"", code, "\"} ", count, "\n");
    }
    Header(out, "feedbackd_request_duration_seconds",
           "Time from a call's arrival to its answer (a write's answer comes once it is on disk).",
           "histogram");
    for (const auto& [key, histogram] : latency_) {
      AppendHistogram(out, "feedbackd_request_duration_seconds",
                      absl::StrCat("door=\"", key.first, "\",method=\"", key.second, "\""),
                      kLatencyBuckets, histogram);
    }
    Header(out, "feedbackd_commit_batch_operations",
           "Operations in each group the writer committed as one synced write.", "histogram");
    AppendHistogram(out, "feedbackd_commit_batch_operations", "", kBatchBuckets, batch_sizes_);
    Header(out, "feedbackd_commit_seconds",
           "Time each group took to be written and synced to disk.", "histogram");
    AppendHistogram(out, "feedbackd_commit_seconds", "", kLatencyBuckets, commit_seconds_);
  }
  for (const auto& source : sources) {  // outside the lock: a source may take its own
    for (const GaugeValue& gauge : source()) {
      Header(out, gauge.name, gauge.help, "gauge");
      absl::StrAppend(&out, gauge.name, " ", Number(gauge.value), "\n");
    }
  }
  return out;
}

}  // namespace feedback
