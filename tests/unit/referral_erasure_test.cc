// Erasure, legal holds and purges of advocacy referrals on a real store: the reason and the exact
// age go, the age band and every counter stay, replays of the creation are refused, and the old
// reason leaves the store's files.
#include "service/ops/referral_erasure.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/ops/counters.h"
#include "service/ops/erasure.h"
#include "service/ops/ledger.h"
#include "service/ops/replay.h"
#include "storage/feedback_store.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace referral_erasure_test {

using ::feedback::testing::AnyFileContains;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kReason[] = "Ignatius Fothergill-Brown moved to his aunt in Rochdale";
constexpr char kOwner[] = "tok_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kOther[] = "tok_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

TEST(ErasedReferral, ClearsTheReasonAndAgeAndKeepsWhatIsCounted) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  const CounterBook counters(*calendar);
  for (const int age : {1, 4, 5, 11, 16, 17, 18, 25}) {
    v1::AdvocacyReferral referral;
    referral.set_id("ar_0123456789abcdef0123456789abcdef");
    referral.set_submission_id("00000000-0000-4000-8000-000000000001");
    referral.set_meeting(v1::MEETING_CLA_REVIEW);
    referral.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    referral.set_child_age(age);
    referral.set_within_city_boundary(true);
    referral.set_status(v1::ADVOCACY_STATUS_NOT_PROGRESSED);
    referral.set_reason(kReason);
    *referral.mutable_referred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(Utc(2024, 5, 1)));
    const v1::AdvocacyReferral erased = ErasedReferral(referral, Utc(2024, 6, 1));
    EXPECT_EQ(erased.reason(), "");
    EXPECT_EQ(erased.child_age(), 0);
    EXPECT_EQ(erased.age_band(), AgeBandOf(age));
    EXPECT_TRUE(erased.has_erased_at());
    EXPECT_EQ(erased.status(), referral.status());
    EXPECT_EQ(counters.OfReferral(erased), counters.OfReferral(referral)) << age;
    // Erasing again changes nothing.
    EXPECT_TRUE(MessageDifferencer::Equals(ErasedReferral(erased, Utc(2025, 1, 1)), erased));
  }
}

class ReferralErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
    absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
    absl::StatusOr<Tagger> tagger = Tagger::Load("");
    ASSERT_OK(calendar);
    ASSERT_OK(days);
    ASSERT_OK(tagger);
    ledger_ = std::make_unique<Ledger>(*calendar, ComplaintProcedure(*days, calendar->zone()),
                                       *tagger, Eligibility());
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  absl::Status Run(storage::WriteOp op) {
    std::vector<storage::WriteOp> ops;
    ops.push_back(std::move(op));
    return store_->Commit(std::move(ops)).front();
  }
  template <typename T>
  absl::StatusOr<T> Run(storage::TypedWriteOp<T> op) {
    return storage::CommitOne(*store_, std::move(op));
  }

  static v1::CreateAdvocacyReferralRequest Request(int n) {
    v1::CreateAdvocacyReferralRequest request;
    request.set_submission_id(absl::StrCat("00000000-0000-4000-8000-00000000000", n));
    request.set_meeting(v1::MEETING_CLA_REVIEW);
    request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    request.set_child_age(11);
    request.set_within_city_boundary(true);
    *request.mutable_referred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(Utc(2024, 5, 1)));
    return request;
  }

  absl::StatusOr<v1::AdvocacyReferral> Create(const v1::CreateAdvocacyReferralRequest& request,
                                              const std::string& owner) {
    return Run(ledger_->CreateReferral(request, kNow, owner));
  }

  // A referral not progressed, with the advocate's reason.
  std::string StoreReferral(int n) {
    absl::StatusOr<v1::AdvocacyReferral> created = Create(Request(n), kOwner);
    EXPECT_OK(created);
    v1::UpdateAdvocacyReferralRequest update;
    update.set_id(created->id());
    update.set_status(v1::ADVOCACY_STATUS_NOT_PROGRESSED);
    update.set_reason(kReason);
    EXPECT_OK(Run(ledger_->UpdateReferral(update, kNow)));
    return created->id();
  }

  v1::AdvocacyReferral Stored(const std::string& id) {
    v1::AdvocacyReferral referral;
    absl::StatusOr<std::string> bytes = store_->GetEntity(ReferralKey(id));
    EXPECT_OK(bytes);
    if (bytes.ok()) {
      EXPECT_TRUE(referral.ParseFromString(*bytes));
    }
    return referral;
  }

  absl::StatusOr<ErasureResult> Erase(const std::string& id, absl::Time at) {
    return Run(EraseOp(id, at));
  }

  absl::Status Hold(const std::string& id, bool hold) {
    v1::SetLegalHoldRequest request;
    request.set_id(id);
    request.set_hold(hold);
    request.set_reason("Claim 2026-7");
    Principal admin{"tok_test", v1::ROLE_ADMIN, "test"};
    return Run(SetHoldOp(request, admin, kNow)).status();
  }

  std::vector<std::pair<std::string, int64_t>> StoredCounters() {
    absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> counters =
        store_->ReadCounters("");
    EXPECT_OK(counters);
    return counters.ok() ? *counters : std::vector<std::pair<std::string, int64_t>>{};
  }

  static inline const absl::Time kNow = Utc(2024, 6, 1);
  testing::TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<storage::FeedbackStore> store_;
};

TEST_F(ReferralErasureTest, EraseOpClearsReasonAndAgeKeepsCountersAndScrubsTheFiles) {
  const std::string id = StoreReferral(1);
  const v1::AdvocacyReferral before = Stored(id);
  ASSERT_EQ(before.reason(), kReason);
  const auto counters_before = StoredCounters();
  ASSERT_THAT(counters_before, ::testing::Not(IsEmpty()));
  storage::ScrubKeys flush_only;
  flush_only.entities = {ReferralKey(id)};
  ASSERT_OK(store_->Scrub(flush_only));  // the reason now sits in a table file too
  ASSERT_TRUE(AnyFileContains(dir_.Sub("data"), "Fothergill-Brown"));

  absl::StatusOr<ErasureResult> erased = Erase(id, kNow + absl::Hours(1));
  ASSERT_OK(erased);
  const v1::AdvocacyReferral after = Stored(id);
  EXPECT_TRUE(MessageDifferencer::Equals(erased->referral, after));
  EXPECT_EQ(after.reason(), "");
  EXPECT_EQ(after.child_age(), 0);
  EXPECT_EQ(after.age_band(), "10-15");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(after.erased_at()),
            absl::ToUnixMicros(kNow + absl::Hours(1)));
  EXPECT_EQ(after.status(), v1::ADVOCACY_STATUS_NOT_PROGRESSED);
  EXPECT_EQ(after.meeting(), before.meeting());
  EXPECT_EQ(StoredCounters(), counters_before);
  EXPECT_THAT(erased->scrub.entities, ElementsAreArray({ReferralKey(id)}));
  EXPECT_THAT(erased->scrub.idempotency,
              ElementsAreArray({ReferralSubmissionKey(before.submission_id())}));

  ASSERT_OK(store_->Scrub(erased->scrub));
  EXPECT_FALSE(AnyFileContains(dir_.Sub("data"), "Fothergill-Brown"));

  // Erasing again changes nothing (and scrubs again).
  absl::StatusOr<ErasureResult> again = Erase(id, kNow + absl::Hours(5));
  ASSERT_OK(again);
  EXPECT_TRUE(MessageDifferencer::Equals(again->referral, after));
  EXPECT_FALSE(again->scrub.empty());
}

TEST_F(ReferralErasureTest, AnErasedReferralCannotBeMadeAgainNorChanged) {
  const std::string id = StoreReferral(1);
  ASSERT_OK(Erase(id, kNow));
  const auto counters = StoredCounters();

  absl::StatusOr<v1::AdvocacyReferral> replay = Create(Request(1), kOwner);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(replay.status().message(), HasSubstr("erased"));
  // Another token is not told it was erased.
  absl::StatusOr<v1::AdvocacyReferral> other = Create(Request(1), kOther);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(other.status().message(), kNotOwnerMessage);

  v1::UpdateAdvocacyReferralRequest update;
  update.set_id(id);
  update.set_status(v1::ADVOCACY_STATUS_NOT_PROGRESSED);
  update.set_reason("new words about the child");
  absl::Status updated = Run(ledger_->UpdateReferral(update, kNow)).status();
  EXPECT_EQ(updated.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(updated.message(), HasSubstr("erased"));
  EXPECT_EQ(Stored(id).reason(), "");
  EXPECT_EQ(StoredCounters(), counters);
}

TEST_F(ReferralErasureTest, CreationIsADuplicateOnlyForTheTokenThatMadeIt) {
  absl::StatusOr<v1::AdvocacyReferral> first = Create(Request(1), kOwner);
  ASSERT_OK(first);
  absl::StatusOr<v1::AdvocacyReferral> again = Create(Request(1), kOwner);
  ASSERT_OK(again);
  EXPECT_EQ(again->id(), first->id());

  v1::CreateAdvocacyReferralRequest other_age = Request(1);
  other_age.set_child_age(12);
  absl::StatusOr<v1::AdvocacyReferral> right = Create(Request(1), kOther);
  absl::StatusOr<v1::AdvocacyReferral> wrong = Create(other_age, kOther);
  EXPECT_EQ(right.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(right.status(), wrong.status());
}

TEST_F(ReferralErasureTest, AHeldReferralIsNeitherErasedNorPurgedUntilReleased) {
  const std::string held = StoreReferral(1);
  const std::string plain = StoreReferral(2);
  ASSERT_OK(Hold(held, true));
  absl::StatusOr<ErasureResult> refused = Erase(held, kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("legal hold"));
  EXPECT_EQ(Stored(held).reason(), kReason);

  Principal admin{"tok_test", v1::ROLE_ADMIN, "test"};
  absl::StatusOr<PurgeResult> result = Run(PurgeChunkOp({held, plain}, admin, kNow));
  ASSERT_OK(result);
  EXPECT_THAT(result->erased, ElementsAreArray({plain}));
  EXPECT_THAT(result->held, ElementsAreArray({held}));
  EXPECT_EQ(Stored(plain).reason(), "");
  EXPECT_EQ(Stored(held).reason(), kReason);

  ASSERT_OK(Hold(held, false));
  EXPECT_OK(Erase(held, kNow));
  EXPECT_EQ(Stored(held).reason(), "");
}

TEST_F(ReferralErasureTest, UnknownReferralIdsAreNotFound) {
  const std::string unknown = "ar_00000000000000000000000000000000";
  absl::StatusOr<ErasureResult> erased = Erase(unknown, kNow);
  EXPECT_EQ(erased.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(erased.status().message(), HasSubstr("id: no advocacy referral"));
  EXPECT_EQ(Hold(unknown, true).code(), absl::StatusCode::kNotFound);
}

}  // namespace referral_erasure_test
}  // namespace
}  // namespace feedback
