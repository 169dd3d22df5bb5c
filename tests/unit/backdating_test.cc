// How far back each role may date what it records (service/backdating.h), and the range check
// that comes before any conversion of a timestamp.
#include "service/ops/backdating.h"

#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace backdating_test {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 27, 10, 0, 0), absl::UTCTimeZone());

google::protobuf::Timestamp Before(absl::Duration ago) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kNow - ago));
}

TEST(BackDating, EachRoleReachesBackAsFarAsItsWindow) {
  const absl::Duration day = absl::Hours(24);
  struct Case {
    v1::Role role;
    absl::Duration ok, refused;
  };
  for (const Case& c :
       {Case{v1::ROLE_KIOSK, 29 * day, 31 * day}, Case{v1::ROLE_ADVOCATE, 89 * day, 91 * day}}) {
    EXPECT_OK(CheckDate(Before(c.ok), "feedback.occurred_at", c.role, kNow));
    const absl::Status refused = CheckDate(Before(c.refused), "feedback.occurred_at", c.role, kNow);
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.message(), HasSubstr("feedback.occurred_at"));
  }
  for (v1::Role staff : {v1::ROLE_QA_MANAGER, v1::ROLE_ADMIN}) {
    EXPECT_OK(CheckDate(Before(3000 * day), "referred_at", staff, kNow));
    EXPECT_EQ(EarliestDate(staff, kNow), absl::InfinitePast());
  }
  // Nobody dates anything in the future beyond the clock skew.
  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_QA_MANAGER}) {
    EXPECT_OK(CheckDate(Before(-absl::Minutes(5)), "referred_at", role, kNow));
    EXPECT_EQ(CheckDate(Before(-absl::Minutes(20)), "referred_at", role, kNow).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(BackDating, ATimestampOutOfRangeIsRefusedBeforeItIsConverted) {
  google::protobuf::Timestamp huge;
  huge.set_seconds(int64_t{1} << 62);  // times a million wraps to 0: 1970
  for (v1::Role role : {v1::ROLE_ADVOCATE, v1::ROLE_ADMIN}) {
    const absl::Status refused = CheckDate(huge, "referred_at", role, kNow);
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.message(), HasSubstr("referred_at: is not a valid timestamp"));
    EXPECT_FALSE(IsBackfill(role, huge, kAdvocateBackdating, kNow));
  }
  google::protobuf::Timestamp bad_nanos = Before(absl::Hours(1));
  bad_nanos.set_nanos(1'000'000'000);
  EXPECT_EQ(CheckDate(bad_nanos, "referred_at", v1::ROLE_ADVOCATE, kNow).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(BackDating, OnlyStaffWritesOlderThanTheWindowAreBackfills) {
  const google::protobuf::Timestamp old = Before(absl::Hours(24 * 40));
  EXPECT_TRUE(IsBackfill(v1::ROLE_QA_MANAGER, old, kKioskBackdating, kNow));
  EXPECT_TRUE(IsBackfill(v1::ROLE_ADMIN, old, kKioskBackdating, kNow));
  EXPECT_FALSE(IsBackfill(v1::ROLE_QA_MANAGER, old, kAdvocateBackdating, kNow));
  EXPECT_FALSE(IsBackfill(v1::ROLE_ADVOCATE, old, kKioskBackdating, kNow));
}

}  // namespace backdating_test
}  // namespace
}  // namespace feedback
