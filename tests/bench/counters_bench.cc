// What working out a submission's counters costs the server: CounterBook::KeysOfFeedback (what
// Ledger::Submit runs; OfFeedback until the twentieth pass of docs/performance.md) on the
// records `feedbackctl bench --mode submit` makes (its texts tagged by the default lexicon, as
// Ledger::TagsOf does), as a QA manager's submission and as a kiosk's, which counts for its
// meeting's kiosk figures too.
//
//   build/tests/bench/feedback_counters_bench [--calls 200000] [--rounds 9]
//
// Each round times --calls calls of each, cycling through 30 of the bench's submissions; prints
// the median, fastest and slowest round in µs per call. One thread, nothing else measured: run
// it on a quiet machine and compare builds by their medians.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "client/bench/load.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/kind_tag.h"
#include "service/domain/tagger.h"
#include "service/ops/counters.h"
#include "tests/bench/per_call_timing.h"

namespace feedback::bench {
namespace {

using google::protobuf::util::TimeUtil;

// The bench's submission `n` as stored from a token of `role`: dated now, tagged.
v1::Feedback StoredSubmission(int64_t n, const Tagger& tagger, v1::Role role) {
  v1::Feedback record = client::bench::BenchSubmission(n).feedback();
  *record.mutable_occurred_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  record.set_submitter_role(role);
  std::vector<std::string> tags = tagger.Tag(record.text()).themes;
  tags.emplace_back(KindTag(record.kind()));
  std::sort(tags.begin(), tags.end());
  for (const std::string& tag : tags) record.add_tags(tag);
  return record;
}

int Run(int calls, int rounds) {
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  if (!tagger.ok() || !calendar.ok()) {
    std::fprintf(stderr, "counters_bench: cannot load the lexicon or the calendar\n");
    return 1;
  }
  const CounterBook book(*calendar);
  std::vector<v1::Feedback> qa_records;
  std::vector<v1::Feedback> kiosk_records;
  for (int64_t n = 0; n < 30; ++n) {
    qa_records.push_back(StoredSubmission(n, *tagger, v1::ROLE_QA_MANAGER));
    kiosk_records.push_back(StoredSubmission(n, *tagger, v1::ROLE_KIOSK));
  }
  size_t counted = 0;  // used, so that the calls are not optimised away
  auto count = [&](const v1::Feedback& record) {
    counted += book.KeysOfFeedback(record, nullptr).size();
  };
  std::vector<double> qa_rounds;
  std::vector<double> kiosk_rounds;
  for (int round = 0; round < rounds; ++round) {
    qa_rounds.push_back(MicrosPerCall(qa_records, calls, count));
    kiosk_rounds.push_back(MicrosPerCall(kiosk_records, calls, count));
  }
  std::printf("counters a submission: %zu (QA manager), %zu (kiosk); %d calls a round\n",
              book.KeysOfFeedback(qa_records[0], nullptr).size(),
              book.KeysOfFeedback(kiosk_records[0], nullptr).size(), calls);
  PrintRounds("QA", qa_rounds);
  PrintRounds("kiosk", kiosk_rounds);
  return counted == 0 ? 1 : 0;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  return feedback::bench::MicroBenchMain(
      argc, argv, "CounterBook::KeysOfFeedback, µs per call on the submit bench's submissions",
      feedback::bench::Run);
}
