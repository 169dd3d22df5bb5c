#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/core/log.h"

namespace feedback {
namespace {
namespace request_id_test {

using ::testing::MatchesRegex;

// What a caller is sent back (x-request-id) and quotes to support: "r-" and 16 hex digits.
TEST(NewRequestId, IsRAndSixteenLowerCaseHexDigits) {
  for (int i = 0; i < 100; ++i) EXPECT_THAT(NewRequestId(), MatchesRegex("r-[0-9a-f]{16}"));
}

// Each thread draws from its own generator: ids from several threads at once still differ.
TEST(NewRequestId, DiffersAcrossCallsAndThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&drawn, t] {
      for (int i = 0; i < kPerThread; ++i) drawn[t].push_back(NewRequestId());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (const std::vector<std::string>& ids : drawn) distinct.insert(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kPerThread));
}

}  // namespace request_id_test
}  // namespace
}  // namespace feedback
