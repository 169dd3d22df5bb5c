// GetQuarterSummary latency against stores of different sizes.
//
//   build/tests/bench/feedback_summary_bench --items 1000 --items 1000000
//
// For each size, fills a fresh store in-process through the same Ledger operations the server
// uses (records, indexes and counters in one batch each group), then starts the real feedbackd
// on it and times GetQuarterSummary over gRPC: percentiles of --calls calls, and the ratio of
// the largest store's median to the smallest's.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "service/ops/ingest.h"
#include "service/ops/ledger.h"
#include "storage/feedback_store.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::bench {
namespace {

using Clock = std::chrono::steady_clock;
using google::protobuf::util::TimeUtil;

absl::StatusOr<std::unique_ptr<Ledger>> MakeLedger() {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  if (!calendar.ok() || !days.ok() || !tagger.ok()) return absl::InternalError("configuration");
  return std::make_unique<Ledger>(*calendar, ComplaintProcedure(*days, calendar->zone()), *tagger,
                                  Eligibility());
}

v1::Feedback Item(int64_t n, absl::Time start, absl::Duration span) {
  static const char* kTexts[] = {"Chairperson was fair and inclusive", "Clear plan drawn up",
                                 "The meeting was too long and nobody explained the plan",
                                 "People listen when the advocate is here"};
  static const v1::Kind kKinds[] = {v1::KIND_COMPLIMENT, v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT,
                                    v1::KIND_COMMENT};
  v1::Feedback f;
  f.set_submission_id(client::NewSubmissionId());
  f.set_source(n % 3 == 0 ? v1::SOURCE_PARTNER_AGENCY : v1::SOURCE_FAMILY);
  f.set_kind(kKinds[n % 4]);
  f.set_service_area(static_cast<v1::ServiceArea>(1 + n % 3));
  f.set_meeting(static_cast<v1::Meeting>(1 + n % 7));
  f.set_rating(static_cast<int>(n % 6));
  f.set_text(kTexts[n % 4]);
  // Spread evenly over the span, so every quarter holds a share.
  const absl::Time at = start + span * (static_cast<double>(n % 9973) / 9973.0);
  *f.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
  return f;
}

absl::Status Fill(const std::string& data_dir, int64_t items) {
  absl::StatusOr<std::unique_ptr<Ledger>> ledger = MakeLedger();
  if (!ledger.ok()) return ledger.status();
  absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
      storage::FeedbackStore::Open({.data_dir = data_dir});
  if (!store.ok()) return store.status();
  const absl::Time start = absl::FromCivil(absl::CivilDay(2015, 4, 1), absl::UTCTimeZone());
  const absl::Duration span = absl::Hours(24 * 365 * 10);
  const absl::Time now = absl::Now();
  constexpr int64_t kGroup = 2000;
  for (int64_t done = 0; done < items; done += kGroup) {
    std::vector<storage::TypedWriteOp<SubmitOutcome>> ops;
    for (int64_t n = done; n < std::min(items, done + kGroup); ++n) {
      ops.push_back((*ledger)->Submit(PrepareSubmission(Item(n, start, span), now), now));
    }
    for (const absl::StatusOr<SubmitOutcome>& outcome :
         storage::CommitAll(**store, std::move(ops))) {
      if (!outcome.ok()) return outcome.status();
    }
  }
  return absl::OkStatus();
}

struct Timing {
  int64_t items;
  std::vector<double> ms;
  double Percentile(double p) const {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(p / 100 * ms.size()))];
  }
};

absl::StatusOr<Timing> Measure(int64_t items, int calls) {
  testing::TempDir dir;
  const auto fill_start = Clock::now();
  if (absl::Status filled = Fill(dir.Sub("data"), items); !filled.ok()) return filled;
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();
  auto server = testing::ServerProcess::Start(dir.Sub("data"));
  if (!server.ok()) return server.status();
  auto stub = (*server)->NewStub();
  Timing timing{items, {}};
  for (int i = 0; i < calls; ++i) {
    v1::GetQuarterSummaryRequest request;
    request.set_financial_year(2015 + i % 9);
    request.set_quarter(1 + i % 4);
    v1::QuarterSummary summary;
    grpc::ClientContext context;
    const auto sent = Clock::now();
    const grpc::Status status = stub->GetQuarterSummary(&context, request, &summary);
    timing.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    if (!status.ok()) return absl::InternalError(status.error_message());
  }
  std::sort(timing.ms.begin(), timing.ms.end());
  std::printf(
      "items=%-9lld filled in %6.1f s   GetQuarterSummary ms: p50 %.3f  p95 %.3f  p99 %.3f  max "
      "%.3f\n",
      static_cast<long long>(items), fill_s, timing.Percentile(50), timing.Percentile(95),
      timing.Percentile(99), timing.ms.back());
  return timing;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  std::vector<int64_t> sizes;
  int calls = 500;
  CLI::App app{"feedback_summary_bench: summary latency is independent of store size"};
  app.add_option("--items", sizes, "store sizes to measure (repeatable)")->required();
  app.add_option("--calls", calls, "GetQuarterSummary calls per size")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  std::vector<feedback::bench::Timing> timings;
  for (int64_t items : sizes) {
    auto timing = feedback::bench::Measure(items, calls);
    if (!timing.ok()) {
      std::fprintf(stderr, "failed: %s\n", timing.status().ToString().c_str());
      return 1;
    }
    timings.push_back(*std::move(timing));
  }
  if (timings.size() > 1) {
    std::printf("median ratio, %lld items / %lld items: %.2fx\n",
                static_cast<long long>(timings.back().items),
                static_cast<long long>(timings.front().items),
                timings.back().Percentile(50) / timings.front().Percentile(50));
  }
  return 0;
}
