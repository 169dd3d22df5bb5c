// RetentionPolicy: the `--retention` file and which items are past it.
#include "service/domain/retention.h"

#include <fstream>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace retention_test {

using ::testing::HasSubstr;
using ::testing::Optional;

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

v1::Feedback Item(v1::Kind kind, absl::Time occurred_at) {
  v1::Feedback record;
  record.set_kind(kind);
  *record.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(occurred_at));
  return record;
}

TEST(RetentionPolicyTest, ParsesKindsDaysAndComments) {
  absl::StatusOr<RetentionPolicy> policy = RetentionPolicy::Parse(
      "# periods\n"
      "compliment 730\n"
      "\n"
      "  complaint\t2557   # seven years\n"
      "child-statement 365\n",
      "retention.txt");
  ASSERT_OK(policy);
  EXPECT_THAT(policy->DaysFor(v1::KIND_COMPLIMENT), Optional(730));
  EXPECT_THAT(policy->DaysFor(v1::KIND_COMPLAINT), Optional(2557));
  EXPECT_THAT(policy->DaysFor(v1::KIND_CHILD_STATEMENT), Optional(365));
  EXPECT_EQ(policy->DaysFor(v1::KIND_COMMENT), std::nullopt);  // not listed: forever
  EXPECT_FALSE(policy->keeps_everything());
}

TEST(RetentionPolicyTest, ErrorsNameTheFileAndLine) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"compliment 730\nfeedback 30\n", "retention.txt line 2: unknown kind \"feedback\""},
      {"# x\ncomplaint\n", "retention.txt line 2: expected `<kind> <days>`"},
      {"complaint 10 days\n", "retention.txt line 1: expected"},
      {"comment ten\n", "retention.txt line 1: days: \"ten\" is not a whole number"},
      {"comment 0\n", "line 1: days: \"0\""},
      {"comment -5\n", "line 1: days: \"-5\""},
      {"comment 36501\n", "line 1: days: \"36501\""},
      {"comment 5\n\ncomment 6\n", "retention.txt line 3: kind \"comment\" is listed twice"},
      {"Compliment 5\n", "line 1: unknown kind \"Compliment\""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<RetentionPolicy> policy = RetentionPolicy::Parse(c.text, "retention.txt");
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(policy.status().message(), HasSubstr(c.expected)) << c.text;
  }
}

TEST(RetentionPolicyTest, ExpiredOnlyAfterOccurredAtPlusDays) {
  absl::StatusOr<RetentionPolicy> policy = RetentionPolicy::Parse("complaint 365\n", "r");
  ASSERT_OK(policy);
  const v1::Feedback complaint = Item(v1::KIND_COMPLAINT, Utc(2021, 5, 1));
  EXPECT_FALSE(policy->IsExpired(complaint, Utc(2022, 4, 30)));
  EXPECT_FALSE(policy->IsExpired(complaint, Utc(2022, 5, 1)));  // exactly 365 days: kept
  EXPECT_TRUE(policy->IsExpired(complaint, Utc(2022, 5, 1) + absl::Seconds(1)));
  // Kinds without a period never expire.
  EXPECT_FALSE(policy->IsExpired(Item(v1::KIND_COMMENT, Utc(2000, 1, 1)), Utc(2026, 1, 1)));
}

TEST(RetentionPolicyTest, NoFileKeepsEverythingForever) {
  absl::StatusOr<RetentionPolicy> policy = RetentionPolicy::Load("");
  ASSERT_OK(policy);
  EXPECT_TRUE(policy->keeps_everything());
  EXPECT_FALSE(policy->IsExpired(Item(v1::KIND_COMPLAINT, Utc(1990, 1, 1)), Utc(2026, 1, 1)));
}

TEST(RetentionPolicyTest, LoadsAFileAndRefusesAMissingOne) {
  testing::TempDir dir;
  const std::string path = dir.Sub("retention.txt");
  std::ofstream(path) << "comment 30\nbogus\n";
  absl::StatusOr<RetentionPolicy> bad = RetentionPolicy::Load(path);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr(path + " line 2"));

  absl::StatusOr<RetentionPolicy> missing = RetentionPolicy::Load(dir.Sub("absent.txt"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("absent.txt"));
}

TEST(RetentionPolicyTest, TheShippedExampleParses) {
  absl::StatusOr<RetentionPolicy> policy =
      RetentionPolicy::Load(FEEDBACK_SOURCE_DIR "/deploy/config/retention.txt");
  ASSERT_OK(policy);
  for (v1::Kind kind :
       {v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT, v1::KIND_COMMENT, v1::KIND_CHILD_STATEMENT}) {
    EXPECT_NE(policy->DaysFor(kind), std::nullopt) << v1::Kind_Name(kind);
  }
}

}  // namespace retention_test
}  // namespace
}  // namespace feedback
