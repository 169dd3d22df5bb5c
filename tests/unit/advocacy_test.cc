#include "service/domain/advocacy.h"

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace advocacy_test {

using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// The seed's pilot: 10-15 year olds living within the city boundary from April 2018, then no
// limits from April 2019.
constexpr char kPilot[] =
    "# advocacy eligibility\n"
    "from=2018-04-01 min_age=10 max_age=15 within_city_boundary=required name=pilot-2018\n"
    "from=2019-04-01 name=no-limits\n";

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone());
}

google::protobuf::Timestamp Ts(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::TimeZone London() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &zone));
  return zone;
}

Eligibility Pilot() {
  absl::StatusOr<Eligibility> eligibility = Eligibility::Parse(kPilot, "eligibility.txt", London());
  EXPECT_OK(eligibility);
  return eligibility.ok() ? *std::move(eligibility) : Eligibility();
}

v1::AdvocacyReferral Referral(absl::Time referred_at, int age, bool within_city_boundary) {
  v1::AdvocacyReferral referral;
  referral.set_id("ar_1");
  referral.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  referral.set_child_age(age);
  referral.set_within_city_boundary(within_city_boundary);
  *referral.mutable_referred_at() = Ts(referred_at);
  referral.set_status(v1::ADVOCACY_STATUS_REFERRED);
  return referral;
}

TEST(Eligibility, PilotExcludesAgeSixteenNamingTheRule) {
  const absl::Status status = Pilot().Check(Referral(Utc(2018, 10, 15, 10), 16, true));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("pilot-2018"), HasSubstr("child_age")));
}

TEST(Eligibility, PilotExcludesAgeNine) {
  const absl::Status status = Pilot().Check(Referral(Utc(2018, 10, 15, 10), 9, true));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("pilot-2018"));
}

TEST(Eligibility, PilotAgeLimitsAreInclusive) {
  EXPECT_OK(Pilot().Check(Referral(Utc(2018, 10, 15, 10), 10, true)));
  EXPECT_OK(Pilot().Check(Referral(Utc(2018, 10, 15, 10), 15, true)));
}

TEST(Eligibility, PilotExcludesChildrenOutsideTheCityBoundary) {
  const absl::Status status = Pilot().Check(Referral(Utc(2018, 10, 15, 10), 12, false));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("within_city_boundary"), HasSubstr("pilot-2018")));
}

TEST(Eligibility, PilotAcceptsAgeTwelveInsideTheBoundary) {
  EXPECT_OK(Pilot().Check(Referral(Utc(2018, 10, 15, 10), 12, true)));
}

TEST(Eligibility, LaterRuleWithoutLimitsAcceptsEveryone) {
  EXPECT_OK(Pilot().Check(Referral(Utc(2019, 5, 1, 10), 16, false)));
  EXPECT_OK(Pilot().Check(Referral(Utc(2019, 5, 1, 10), 3, false)));
}

TEST(Eligibility, BeforeTheFirstRuleThereAreNoLimits) {
  EXPECT_OK(Pilot().Check(Referral(Utc(2017, 6, 1, 10), 16, false)));
}

TEST(Eligibility, RulesStartAtLocalMidnight) {
  // Local midnight on 1 April 2018 (BST) is 23:00 UTC on 31 March.
  EXPECT_OK(Pilot().Check(Referral(Utc(2018, 3, 31, 22, 59), 16, false)));
  EXPECT_EQ(Pilot().Check(Referral(Utc(2018, 3, 31, 23, 0), 16, false)).code(),
            absl::StatusCode::kFailedPrecondition);
  // And the pilot ends at local midnight on 1 April 2019.
  EXPECT_EQ(Pilot().Check(Referral(Utc(2019, 3, 31, 22, 59), 16, false)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_OK(Pilot().Check(Referral(Utc(2019, 3, 31, 23, 0), 16, false)));
}

TEST(Eligibility, RulesMayBeListedOutOfOrder) {
  absl::StatusOr<Eligibility> eligibility = Eligibility::Parse(
      "from=2019-04-01 name=no-limits\nfrom=2018-04-01 max_age=15 name=pilot-2018\n", "reordered",
      London());
  ASSERT_OK(eligibility);
  EXPECT_EQ(eligibility->Check(Referral(Utc(2018, 10, 15), 16, true)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_OK(eligibility->Check(Referral(Utc(2019, 5, 1), 16, true)));
}

TEST(Eligibility, EmptyConfigurationHasNoLimits) {
  absl::StatusOr<Eligibility> parsed = Eligibility::Parse("# nothing yet\n\n", "empty", London());
  ASSERT_OK(parsed);
  EXPECT_OK(parsed->Check(Referral(Utc(2018, 10, 15), 25, false)));
  absl::StatusOr<Eligibility> loaded = Eligibility::Load("", London());
  ASSERT_OK(loaded);
  EXPECT_OK(loaded->Check(Referral(Utc(2018, 10, 15), 25, false)));
  EXPECT_OK(Eligibility().Check(Referral(Utc(2018, 10, 15), 25, false)));
}

TEST(Eligibility, UnnamedRuleIsNamedByItsDate) {
  absl::StatusOr<Eligibility> eligibility =
      Eligibility::Parse("from=2018-04-01 max_age=15\n", "unnamed", London());
  ASSERT_OK(eligibility);
  const absl::Status status = eligibility->Check(Referral(Utc(2018, 10, 15), 16, true));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("2018-04-01"));
}

TEST(Eligibility, BadLinesAreRejectedNamingTheLine) {
  const struct {
    const char* text;
    const char* line;
  } kCases[] = {
      {"from=2018-04-01 name=ok\nmin_age=10\n", "line 2"},  // no from
      {"\n\nfrom=2018-04-31\n", "line 3"},                  // no such day
      {"from=2018-04-01 min_age=ten\n", "line 1"},          // not a number
      {"from=2018-04-01\nfrom=2019-04-01 within_city_boundary=yes\n", "line 2"},
      {"from=2018-04-01 colour=blue\n", "line 1"},         // unknown key
      {"# comment\nfrom=2018-04-01 max_age\n", "line 2"},  // not key=value
      {"from=2018-04-01 name=\n", "line 1"},               // empty name
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<Eligibility> eligibility = Eligibility::Parse(c.text, "rules.txt", London());
    ASSERT_FALSE(eligibility.ok());
    EXPECT_EQ(eligibility.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(eligibility.status().message(), AllOf(HasSubstr("rules.txt"), HasSubstr(c.line)));
  }
}

TEST(Eligibility, LoadReadsAFile) {
  testing::TempDir dir;
  const std::string path = dir.Sub("eligibility.txt");
  {
    std::ofstream out(path);
    out << kPilot;
  }
  absl::StatusOr<Eligibility> eligibility = Eligibility::Load(path, London());
  ASSERT_OK(eligibility);
  EXPECT_EQ(eligibility->Check(Referral(Utc(2018, 10, 15), 16, true)).code(),
            absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<Eligibility> missing = Eligibility::Load(dir.Sub("absent.txt"), London());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("absent.txt"));
}

const absl::Time kNow = Utc(2019, 5, 1, 12);

v1::CreateAdvocacyReferralRequest ValidRequest() {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id("5A0F6C1E-2B3D-4E5F-8a9b-0c1d2e3f4a5b");
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  request.set_child_age(12);
  request.set_within_city_boundary(true);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  return request;
}

// The status of ValidateReferralRequest for ValidRequest() changed by `change`.
template <typename Change>
absl::Status ValidateChanged(Change change) {
  v1::CreateAdvocacyReferralRequest request = ValidRequest();
  change(request);
  return ValidateReferralRequest(request, kNow);
}

void ExpectInvalidNaming(const absl::Status& status, const char* field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr(field));
}

TEST(AdvocacyReferral, ValidRequestIsAccepted) {
  EXPECT_OK(ValidateReferralRequest(ValidRequest(), kNow));
  EXPECT_OK(
      ValidateChanged([](auto& r) { *r.mutable_referred_at() = Ts(kNow - absl::Hours(48)); }));
  EXPECT_OK(ValidateChanged([](auto& r) { r.set_child_age(1); }));
  EXPECT_OK(ValidateChanged([](auto& r) { r.set_child_age(25); }));
  EXPECT_OK(ValidateChanged([](auto& r) { r.set_service_area(v1::SERVICE_AREA_UNSPECIFIED); }));
}

TEST(AdvocacyReferral, ValidationErrorsNameTheField) {
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.clear_submission_id(); }), "submission_id");
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.set_submission_id("not-a-uuid"); }),
                      "submission_id");
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.set_meeting(v1::MEETING_UNSPECIFIED); }),
                      "meeting");
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.set_meeting(static_cast<v1::Meeting>(99)); }),
                      "meeting");
  ExpectInvalidNaming(
      ValidateChanged([](auto& r) { r.set_service_area(static_cast<v1::ServiceArea>(9)); }),
      "service_area");
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.set_child_age(0); }), "child_age");
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.set_child_age(26); }), "child_age");
  ExpectInvalidNaming(ValidateChanged([](auto& r) { r.set_child_age(-3); }), "child_age");
  ExpectInvalidNaming(
      ValidateChanged([](auto& r) { *r.mutable_referred_at() = Ts(kNow + absl::Hours(1)); }),
      "referred_at");
  ExpectInvalidNaming(
      ValidateChanged([](auto& r) { *r.mutable_referred_at() = Ts(Utc(1999, 12, 31)); }),
      "referred_at");
}

TEST(AdvocacyReferral, ReferredAtWithinClockSkewIsAccepted) {
  EXPECT_OK(
      ValidateChanged([](auto& r) { *r.mutable_referred_at() = Ts(kNow + absl::Minutes(5)); }));
}

TEST(AdvocacyReferral, NewReferralIsReferredAndDefaultsReferredAtToNow) {
  const v1::AdvocacyReferral referral = NewReferral(ValidRequest(), kNow);
  EXPECT_EQ(referral.status(), v1::ADVOCACY_STATUS_REFERRED);
  EXPECT_EQ(referral.submission_id(), "5a0f6c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(referral.meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(referral.child_age(), 12);
  EXPECT_TRUE(referral.within_city_boundary());
  EXPECT_EQ(referral.service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_TRUE(referral.id().empty());
  EXPECT_TRUE(referral.reason().empty());
  EXPECT_TRUE(MessageDifferencer::Equals(referral.referred_at(), Ts(kNow)));
  EXPECT_TRUE(MessageDifferencer::Equals(referral.created_at(), Ts(kNow)));
  EXPECT_TRUE(MessageDifferencer::Equals(referral.updated_at(), Ts(kNow)));
}

TEST(AdvocacyReferral, NewReferralKeepsAGivenReferredAt) {
  v1::CreateAdvocacyReferralRequest request = ValidRequest();
  *request.mutable_referred_at() = Ts(Utc(2019, 4, 20, 9));
  const v1::AdvocacyReferral referral = NewReferral(request, kNow);
  EXPECT_TRUE(MessageDifferencer::Equals(referral.referred_at(), Ts(Utc(2019, 4, 20, 9))));
  EXPECT_TRUE(MessageDifferencer::Equals(referral.created_at(), Ts(kNow)));
}

v1::AdvocacyReferral Referred() { return NewReferral(ValidRequest(), Utc(2019, 4, 20, 9)); }

v1::UpdateAdvocacyReferralRequest Update(v1::AdvocacyStatus status, std::string reason = "") {
  v1::UpdateAdvocacyReferralRequest update;
  update.set_id("ar_1");
  update.set_status(status);
  update.set_reason(std::move(reason));
  return update;
}

TEST(AdvocacyReferral, ProgressedFromReferred) {
  absl::StatusOr<v1::AdvocacyReferral> next =
      ApplyReferralUpdate(Referred(), Update(v1::ADVOCACY_STATUS_PROGRESSED), kNow);
  ASSERT_OK(next);
  EXPECT_EQ(next->status(), v1::ADVOCACY_STATUS_PROGRESSED);
  EXPECT_TRUE(MessageDifferencer::Equals(next->updated_at(), Ts(kNow)));
  EXPECT_TRUE(MessageDifferencer::Equals(next->referred_at(), Ts(Utc(2019, 4, 20, 9))));
}

TEST(AdvocacyReferral, DeclinedFromReferred) {
  absl::StatusOr<v1::AdvocacyReferral> next = ApplyReferralUpdate(
      Referred(), Update(v1::ADVOCACY_STATUS_DECLINED, "wants to speak for herself"), kNow);
  ASSERT_OK(next);
  EXPECT_EQ(next->status(), v1::ADVOCACY_STATUS_DECLINED);
  EXPECT_EQ(next->reason(), "wants to speak for herself");
}

TEST(AdvocacyReferral, NotProgressedNeedsAReason) {
  for (const char* reason : {"", "   "}) {
    SCOPED_TRACE(reason);
    absl::StatusOr<v1::AdvocacyReferral> next =
        ApplyReferralUpdate(Referred(), Update(v1::ADVOCACY_STATUS_NOT_PROGRESSED, reason), kNow);
    ASSERT_FALSE(next.ok());
    ExpectInvalidNaming(next.status(), "reason");
  }
  absl::StatusOr<v1::AdvocacyReferral> next = ApplyReferralUpdate(
      Referred(), Update(v1::ADVOCACY_STATUS_NOT_PROGRESSED, "meeting cancelled"), kNow);
  ASSERT_OK(next);
  EXPECT_EQ(next->status(), v1::ADVOCACY_STATUS_NOT_PROGRESSED);
  EXPECT_EQ(next->reason(), "meeting cancelled");
}

TEST(AdvocacyReferral, ReferredOrUnspecifiedStatusIsInvalid) {
  for (const v1::AdvocacyStatus status :
       {v1::ADVOCACY_STATUS_REFERRED, v1::ADVOCACY_STATUS_UNSPECIFIED}) {
    SCOPED_TRACE(v1::AdvocacyStatus_Name(status));
    absl::StatusOr<v1::AdvocacyReferral> next =
        ApplyReferralUpdate(Referred(), Update(status), kNow);
    ASSERT_FALSE(next.ok());
    ExpectInvalidNaming(next.status(), "status");
  }
}

TEST(AdvocacyReferral, ChangingADecidedReferralIsAFailedPrecondition) {
  absl::StatusOr<v1::AdvocacyReferral> progressed =
      ApplyReferralUpdate(Referred(), Update(v1::ADVOCACY_STATUS_PROGRESSED), kNow);
  ASSERT_OK(progressed);
  absl::StatusOr<v1::AdvocacyReferral> declined = ApplyReferralUpdate(
      *progressed, Update(v1::ADVOCACY_STATUS_DECLINED, "changed her mind"), kNow + absl::Hours(1));
  ASSERT_FALSE(declined.ok());
  EXPECT_EQ(declined.status().code(), absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<v1::AdvocacyReferral> not_progressed = ApplyReferralUpdate(
      Referred(), Update(v1::ADVOCACY_STATUS_NOT_PROGRESSED, "no advocate"), kNow);
  ASSERT_OK(not_progressed);
  // The same status with another reason is a change too.
  absl::StatusOr<v1::AdvocacyReferral> other_reason = ApplyReferralUpdate(
      *not_progressed, Update(v1::ADVOCACY_STATUS_NOT_PROGRESSED, "meeting cancelled"),
      kNow + absl::Hours(1));
  ASSERT_FALSE(other_reason.ok());
  EXPECT_EQ(other_reason.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(AdvocacyReferral, IdenticalRetryOfADecisionReturnsItUnchanged) {
  absl::StatusOr<v1::AdvocacyReferral> progressed =
      ApplyReferralUpdate(Referred(), Update(v1::ADVOCACY_STATUS_PROGRESSED), kNow);
  ASSERT_OK(progressed);
  absl::StatusOr<v1::AdvocacyReferral> retried = ApplyReferralUpdate(
      *progressed, Update(v1::ADVOCACY_STATUS_PROGRESSED), kNow + absl::Hours(2));
  ASSERT_OK(retried);
  EXPECT_TRUE(MessageDifferencer::Equals(*retried, *progressed))
      << retried->ShortDebugString() << " vs " << progressed->ShortDebugString();
}

TEST(AdvocacyReferral, OverlongReasonIsInvalid) {
  absl::StatusOr<v1::AdvocacyReferral> next = ApplyReferralUpdate(
      Referred(), Update(v1::ADVOCACY_STATUS_NOT_PROGRESSED, std::string(1025, 'x')), kNow);
  ASSERT_FALSE(next.ok());
  ExpectInvalidNaming(next.status(), "reason");
  EXPECT_THAT(next.status().message(), Not(HasSubstr("status")));
}

}  // namespace advocacy_test
}  // namespace
}  // namespace feedback
