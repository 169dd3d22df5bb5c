// What tagging one submission costs the server: Tagger::Tag (the default lexicon) on the texts
// `feedbackctl bench --mode submit` sends, and WordList, the part of it that reads the text.
//
//   build/tests/bench/feedback_tagger_bench [--calls 200000] [--rounds 9]
//
// Each round times --calls calls of each, cycling through the bench's first 4,096 texts; prints
// the median, fastest and slowest round in µs per call. "Tag, eight" cycles through the first
// eight only: eight texts repeated let the CPU learn where their words end, which a server's
// texts never do, so it shows what a bench that repeats its texts would hide. One thread,
// nothing else measured: run it on a quiet machine and compare builds by their medians.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "client/bench/load.h"
#include "service/domain/tagger.h"
#include "tests/bench/per_call_timing.h"

namespace feedback::bench {
namespace {

int Run(int calls, int rounds) {
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  if (!tagger.ok()) {
    std::fprintf(stderr, "tagger_bench: %s\n", std::string(tagger.status().message()).c_str());
    return 1;
  }
  std::vector<std::string> texts;
  for (int64_t n = 0; n < 4096; ++n)
    texts.push_back(client::bench::BenchSubmission(n).feedback().text());
  const std::vector<std::string> eight(texts.begin(), texts.begin() + 8);
  size_t found = 0;  // used, so that the calls are not optimised away
  std::vector<double> tag_rounds;
  std::vector<double> eight_rounds;
  std::vector<double> word_rounds;
  std::vector<double> eight_word_rounds;
  for (int round = 0; round < rounds; ++round) {
    tag_rounds.push_back(MicrosPerCall(
        texts, calls, [&](const std::string& text) { found += tagger->Tag(text).themes.size(); }));
    eight_rounds.push_back(MicrosPerCall(
        eight, calls, [&](const std::string& text) { found += tagger->Tag(text).themes.size(); }));
    word_rounds.push_back(MicrosPerCall(
        texts, calls, [&](const std::string& text) { found += WordList(text).words().size(); }));
    eight_word_rounds.push_back(MicrosPerCall(
        eight, calls, [&](const std::string& text) { found += WordList(text).words().size(); }));
  }
  size_t themes = 0;
  for (const std::string& text : texts) themes += tagger->Tag(text).themes.size();
  std::printf("%zu texts of %zu to %zu bytes, %.2f themes a text, %d calls a round\n", texts.size(),
              std::min_element(texts.begin(), texts.end(),
                               [](auto& a, auto& b) { return a.size() < b.size(); })
                  ->size(),
              std::max_element(texts.begin(), texts.end(),
                               [](auto& a, auto& b) { return a.size() < b.size(); })
                  ->size(),
              static_cast<double>(themes) / static_cast<double>(texts.size()), calls);
  PrintRounds("Tag", tag_rounds);
  PrintRounds("Tag, eight", eight_rounds);
  PrintRounds("WordList", word_rounds);
  PrintRounds("WordList, eight", eight_word_rounds);
  return found == 0 ? 1 : 0;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  return feedback::bench::MicroBenchMain(
      argc, argv, "Tagger::Tag and WordList, µs per call on the submit bench's texts",
      feedback::bench::Run);
}
