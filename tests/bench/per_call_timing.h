// Timing helpers for the single-threaded micro-benchmarks in tests/bench (feedback_tagger_bench,
// feedback_counters_bench): µs per call over rounds, the rounds' median, and their main().
#ifndef FEEDBACK_TESTS_BENCH_PER_CALL_TIMING_H_
#define FEEDBACK_TESTS_BENCH_PER_CALL_TIMING_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace feedback::bench {

// The µs per call of `calls` calls of `each(input)` over `inputs`, in turn.
template <typename Input, typename Call>
double MicrosPerCall(const std::vector<Input>& inputs, int calls, Call each) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point began = Clock::now();
  for (int i = 0; i < calls; ++i) each(inputs[static_cast<size_t>(i) % inputs.size()]);
  const std::chrono::duration<double, std::micro> took = Clock::now() - began;
  return took.count() / calls;
}

inline void PrintRounds(const char* what, std::vector<double> rounds) {
  std::sort(rounds.begin(), rounds.end());
  std::printf("%-16s median %.3f µs per call (fastest %.3f, slowest %.3f, %zu rounds)\n", what,
              rounds[rounds.size() / 2], rounds.front(), rounds.back(), rounds.size());
}

// A micro-benchmark's main(): --calls a round (default 200,000) and --rounds (default 9), then
// `run(calls, rounds)`, whose result is the exit code.
template <typename Run>
int MicroBenchMain(int argc, char** argv, const std::string& description, Run run) {
  CLI::App app{description};
  int calls = 200'000;
  int rounds = 9;
  app.add_option("--calls", calls, "calls a round")->check(CLI::Range(1, 100'000'000));
  app.add_option("--rounds", rounds, "rounds")->check(CLI::Range(1, 1000));
  CLI11_PARSE(app, argc, argv);
  return run(calls, rounds);
}

}  // namespace feedback::bench

#endif  // FEEDBACK_TESTS_BENCH_PER_CALL_TIMING_H_
