// The operators' door: `GET /metrics` as Prometheus text (service/core/metrics.h), plain HTTP on
// its own address (feedbackd --metrics-listen, loopback unless --allow-insecure), nothing else.
// One thread answers one scrape at a time: a scrape touches no disk and is rare.
#ifndef FEEDBACK_SERVICE_HTTP_METRICS_SERVER_H_
#define FEEDBACK_SERVICE_HTTP_METRICS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "service/core/metrics.h"

namespace feedback::http {

class MetricsServer {
 public:
  // Binds `listen` (host:port; port 0 picks one) and serves `metrics` (borrowed: it must outlive
  // the server). FAILED_PRECONDITION naming --metrics-listen for an address that is not loopback
  // (unless `allow_insecure`) or cannot be bound.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& listen, bool allow_insecure, const Metrics* metrics);
  // Stops: the scrape under way, if any, is finished first.
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  int port() const;

  class Impl;

 private:
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace feedback::http

#endif  // FEEDBACK_SERVICE_HTTP_METRICS_SERVER_H_
