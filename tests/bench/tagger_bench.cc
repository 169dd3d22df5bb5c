// What tagging one submission costs the server: Tagger::Tag (the default lexicon) on the texts
// `feedbackctl bench --mode submit` sends, and WordList, the part of it that reads the text.
//
//   build/tests/bench/feedback_tagger_bench [--calls 200000] [--rounds 9]
//
// Each round times --calls calls of each, cycling through the bench's eight texts; prints the
// median, fastest and slowest round in µs per call. "Tag, varied" cycles through 4,096 texts of
// the same words in a seeded random order: eight texts repeated let the CPU learn where their
// words end, which a server's texts never do. One thread, nothing else measured: run it on
// a quiet machine and compare builds by their medians.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "client/bench/load.h"
#include "service/domain/tagger.h"
#include "tests/bench/per_call_timing.h"

namespace feedback::bench {
namespace {

// `count` texts as long as the bench's, each its words shuffled (a fixed seed: the same texts
// every run).
std::vector<std::string> VariedTexts(const std::vector<std::string>& texts, size_t count) {
  std::vector<std::string> words;
  for (const std::string& text : texts) {
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) words.push_back(text.substr(start, end - start));
      start = end + 1;
    }
  }
  std::mt19937 random(15);
  std::vector<std::string> varied;
  for (size_t i = 0; i < count; ++i) {
    std::shuffle(words.begin(), words.end(), random);
    std::string text;
    for (const std::string& word : words) {
      if (text.size() + word.size() + 1 > texts.front().size()) break;
      text.append(word).append(" ");
    }
    varied.push_back(std::move(text));
  }
  return varied;
}

int Run(int calls, int rounds) {
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  if (!tagger.ok()) {
    std::fprintf(stderr, "tagger_bench: %s\n", std::string(tagger.status().message()).c_str());
    return 1;
  }
  std::vector<std::string> texts;
  for (int64_t n = 0; n < 8; ++n)
    texts.push_back(client::bench::BenchSubmission(n).feedback().text());
  const std::vector<std::string> varied = VariedTexts(texts, 4096);
  size_t found = 0;  // used, so that the calls are not optimised away
  std::vector<double> tag_rounds;
  std::vector<double> varied_rounds;
  std::vector<double> word_rounds;
  std::vector<double> varied_word_rounds;
  for (int round = 0; round < rounds; ++round) {
    tag_rounds.push_back(MicrosPerCall(
        texts, calls, [&](const std::string& text) { found += tagger->Tag(text).themes.size(); }));
    varied_rounds.push_back(MicrosPerCall(
        varied, calls, [&](const std::string& text) { found += tagger->Tag(text).themes.size(); }));
    word_rounds.push_back(MicrosPerCall(
        texts, calls, [&](const std::string& text) { found += WordList(text).words().size(); }));
    varied_word_rounds.push_back(MicrosPerCall(
        varied, calls, [&](const std::string& text) { found += WordList(text).words().size(); }));
  }
  std::printf("%zu texts of %zu to %zu bytes, %d calls a round\n", texts.size(),
              std::min_element(texts.begin(), texts.end(),
                               [](auto& a, auto& b) { return a.size() < b.size(); })
                  ->size(),
              std::max_element(texts.begin(), texts.end(),
                               [](auto& a, auto& b) { return a.size() < b.size(); })
                  ->size(),
              calls);
  PrintRounds("Tag", tag_rounds);
  PrintRounds("Tag, varied", varied_rounds);
  PrintRounds("WordList", word_rounds);
  PrintRounds("WordList, varied", varied_word_rounds);
  return found == 0 ? 1 : 0;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  return feedback::bench::MicroBenchMain(
      argc, argv, "Tagger::Tag and WordList, µs per call on the submit bench's texts",
      feedback::bench::Run);
}
