// RetentionPolicy for the records that have no Kind: the `referral`, `audit`, `observation` and
// `oversight` lines of the `--retention` file.
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/domain/retention.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace retention_referral_test {

using ::testing::HasSubstr;
using ::testing::Optional;

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

v1::AdvocacyReferral ReferredAt(absl::Time at) {
  v1::AdvocacyReferral referral;
  *referral.mutable_referred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
  return referral;
}

TEST(RetentionPolicyReferrals, AReferralLineSetsThePeriodFromReferredAt) {
  absl::StatusOr<RetentionPolicy> policy =
      RetentionPolicy::Parse("complaint 2557\nreferral 365  # a year\n", "retention.txt");
  ASSERT_OK(policy);
  EXPECT_THAT(policy->ReferralDays(), Optional(365));
  const v1::AdvocacyReferral referral = ReferredAt(Utc(2021, 5, 1));
  EXPECT_FALSE(policy->IsExpired(referral, Utc(2022, 5, 1)));  // exactly 365 days: kept
  EXPECT_TRUE(policy->IsExpired(referral, Utc(2022, 5, 1) + absl::Seconds(1)));
}

TEST(RetentionPolicyReferrals, WithoutAReferralLineReferralsAreKeptForever) {
  absl::StatusOr<RetentionPolicy> policy = RetentionPolicy::Parse("complaint 30\n", "r");
  ASSERT_OK(policy);
  EXPECT_EQ(policy->ReferralDays(), std::nullopt);
  EXPECT_FALSE(policy->IsExpired(ReferredAt(Utc(2000, 1, 1)), Utc(2026, 1, 1)));

  absl::StatusOr<RetentionPolicy> only_referrals = RetentionPolicy::Parse("referral 30\n", "r");
  ASSERT_OK(only_referrals);
  EXPECT_FALSE(only_referrals->keeps_everything());
}

TEST(RetentionPolicyReferrals, ErrorsNameTheLine) {
  absl::StatusOr<RetentionPolicy> twice =
      RetentionPolicy::Parse("referral 30\nreferral 40\n", "retention.txt");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(twice.status().message(),
              HasSubstr("retention.txt line 2: kind \"referral\" is listed twice"));
  absl::StatusOr<RetentionPolicy> days = RetentionPolicy::Parse("referral 0\n", "retention.txt");
  EXPECT_THAT(days.status().message(), HasSubstr("line 1: days: \"0\""));
  absl::StatusOr<RetentionPolicy> unknown = RetentionPolicy::Parse("referrals 5\n", "r");
  EXPECT_THAT(unknown.status().message(), HasSubstr("referral, audit, observation, oversight)"));
}

v1::QualityCheck CheckAt(v1::QaActivity activity, absl::Time at) {
  v1::QualityCheck check;
  check.set_activity(activity);
  *check.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
  return check;
}

// Audits, observations and chairs' outcomes each have their own line, counted from occurred_at;
// a record whose line is missing is kept forever.
TEST(RetentionPolicyQaRecords, AuditObservationAndOversightLinesEachSetTheirOwnPeriod) {
  absl::StatusOr<RetentionPolicy> policy =
      RetentionPolicy::Parse("audit 30\noversight 60\n", "retention.txt");
  ASSERT_OK(policy);
  EXPECT_FALSE(policy->keeps_everything());
  const absl::Time at = Utc(2024, 4, 1);
  const v1::QualityCheck audit = CheckAt(v1::QA_ACTIVITY_CASE_FILE_AUDIT, at);
  EXPECT_FALSE(policy->IsExpired(audit, at + absl::Hours(24 * 30)));
  EXPECT_TRUE(policy->IsExpired(audit, at + absl::Hours(24 * 30) + absl::Seconds(1)));
  const v1::QualityCheck observation = CheckAt(v1::QA_ACTIVITY_PRACTICE_OBSERVATION, at);
  EXPECT_FALSE(policy->IsExpired(observation, Utc(2099, 1, 1)));
  v1::ChairOversight oversight;
  *oversight.mutable_occurred_at() = audit.occurred_at();
  EXPECT_FALSE(policy->IsExpired(oversight, at + absl::Hours(24 * 60)));
  EXPECT_TRUE(policy->IsExpired(oversight, at + absl::Hours(24 * 61)));

  absl::StatusOr<RetentionPolicy> twice =
      RetentionPolicy::Parse("observation 30\nobservation 40\n", "retention.txt");
  EXPECT_THAT(twice.status().message(), HasSubstr("line 2: kind \"observation\" is listed twice"));
}

TEST(RetentionPolicyReferrals, TheShippedExampleHasAReferralPeriod) {
  absl::StatusOr<RetentionPolicy> policy =
      RetentionPolicy::Load(FEEDBACK_SOURCE_DIR "/deploy/config/retention.txt");
  ASSERT_OK(policy);
  EXPECT_NE(policy->ReferralDays(), std::nullopt);
  const v1::QualityCheck observation =
      CheckAt(v1::QA_ACTIVITY_PRACTICE_OBSERVATION, Utc(2000, 1, 1));
  EXPECT_TRUE(policy->IsExpired(observation, Utc(2026, 1, 1)));
}

}  // namespace retention_referral_test
}  // namespace
}  // namespace feedback
