#include "service/core/log_limit.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace feedback {
namespace {
namespace log_limit_test {

using ::testing::HasSubstr;

TEST(LogRateLimit, LetsTheLimitThroughEachIntervalAndCountsWhatItDrops) {
  LogRateLimit limit(3, absl::Minutes(1));
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limit.Admit(start + absl::Seconds(i)), 0) << i;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limit.Admit(start + absl::Seconds(10)), std::nullopt);
  // A new interval: the first line admitted learns how many were dropped, the next does not.
  EXPECT_EQ(limit.Admit(start + absl::Seconds(61)), 5);
  EXPECT_EQ(limit.Admit(start + absl::Seconds(62)), 0);
}

// A client cannot flood the log through protobuf's own messages: 1,000 requests with text that
// is not UTF-8, each of which makes protobuf log an error, write at most the limit.
TEST(ProtobufLog, AThousandParseErrorsWriteAtMostTheLimit) {
  std::string written;
  LimitProtobufLog([&written](std::string_view text) { written.append(text); });
  for (int i = 0; i < 1000; ++i) {
    v1::GetFeedbackRequest request;
    EXPECT_FALSE(request.ParseFromString(std::string("\x0a\x02\xff\xfe", 4)));
  }
  LimitProtobufLog();  // back to stderr, for the tests that follow
  const std::vector<std::string> lines = absl::StrSplit(written, '\n', absl::SkipEmpty());
  EXPECT_EQ(lines.size(), static_cast<size_t>(kProtobufLogLines)) << written;
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.front(), HasSubstr("feedbackd: protobuf ERROR"));
  EXPECT_THAT(lines.front(), HasSubstr("invalid UTF-8"));
}

}  // namespace log_limit_test
}  // namespace
}  // namespace feedback
