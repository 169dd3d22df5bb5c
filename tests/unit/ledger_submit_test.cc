// Ledger::Submit, the one write path of a submission: its replay is decided first, from its
// idempotency entry (service/ops/replay.h), before anything else is read or computed for it; a
// new submission is then tagged once and stored with everything that goes with it.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/domain/validation.h"
#include "service/ops/erasure.h"
#include "service/ops/ingest.h"
#include "service/ops/ledger.h"
#include "service/ops/replay.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace ledger_submit_test {

using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::StartsWith;

constexpr char kOwner[] = "tok_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kOther[] = "tok_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

// Forwards every call to the batch's transaction, recording it as "Method argument".
class RecordingTransaction final : public storage::Transaction {
 public:
  RecordingTransaction(storage::Transaction& inner, std::vector<std::string>& calls)
      : inner_(inner), calls_(calls) {}

  absl::StatusOr<std::optional<v1::Feedback>> FindFeedback(std::string_view id) override {
    calls_.push_back(absl::StrCat("FindFeedback ", std::string(id)));
    return inner_.FindFeedback(id);
  }
  absl::Status PutFeedback(const v1::Feedback& record, const v1::Feedback* previous) override {
    calls_.push_back(absl::StrCat("PutFeedback tags=", absl::StrJoin(record.tags(), ",")));
    return inner_.PutFeedback(record, previous);
  }
  absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(std::string_view key) override {
    calls_.push_back(absl::StrCat("FindIdempotencyKey ", std::string(key)));
    return inner_.FindIdempotencyKey(key);
  }
  absl::Status PutIdempotencyKey(std::string_view key, std::string value) override {
    calls_.push_back(absl::StrCat("PutIdempotencyKey ", std::string(key)));
    return inner_.PutIdempotencyKey(key, std::move(value));
  }
  absl::StatusOr<std::optional<std::string>> FindEntity(std::string_view key) override {
    calls_.push_back(absl::StrCat("FindEntity ", std::string(key)));
    return inner_.FindEntity(key);
  }
  absl::Status PutEntity(std::string_view key, std::string_view value) override {
    calls_.push_back(absl::StrCat("PutEntity ", std::string(key)));
    return inner_.PutEntity(key, value);
  }
  absl::Status DeleteEntity(std::string_view key) override {
    calls_.push_back(absl::StrCat("DeleteEntity ", std::string(key)));
    return inner_.DeleteEntity(key);
  }
  absl::Status AddToCounter(std::string_view key, int64_t delta) override {
    calls_.push_back("AddToCounter");
    return inner_.AddToCounter(key, delta);
  }
  std::string NewId(std::string_view prefix) override {
    calls_.push_back(absl::StrCat("NewId ", std::string(prefix)));
    return inner_.NewId(prefix);
  }

 private:
  storage::Transaction& inner_;
  std::vector<std::string>& calls_;
};

class LedgerSubmitTest : public ::testing::Test {
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

  static v1::Feedback Sent(const std::string& text, v1::Kind kind = v1::KIND_COMPLIMENT) {
    v1::Feedback sent;
    sent.set_submission_id("4f1c2b3a-0000-4000-8000-000000000001");
    sent.set_source(v1::SOURCE_CHILD);
    sent.set_kind(kind);
    sent.set_meeting(v1::MEETING_CLA_REVIEW);
    sent.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    sent.set_consent_to_quote(true);
    sent.set_text(text);
    *sent.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kOccurred));
    return sent;
  }

  // Ledger::Submit of `sent` from `owner`, received at `received`, in a batch of its own; each
  // call the op makes on the transaction is appended to `calls`.
  absl::StatusOr<SubmitOutcome> Submit(const v1::Feedback& sent, const std::string& owner,
                                       std::vector<std::string>& calls,
                                       absl::Time received = kNow) {
    EXPECT_OK(ValidateSubmission(sent, received));
    NewSubmission submission = PrepareSubmission(sent, received);
    submission.owner = owner;
    return storage::CommitOne(*store_,
                              storage::TypedWriteOp<SubmitOutcome>(
                                  [&calls, op = ledger_->Submit(std::move(submission), received)](
                                      storage::Transaction& txn) mutable {
                                    RecordingTransaction recording(txn, calls);
                                    return std::move(op)(recording);
                                  }));
  }
  absl::StatusOr<SubmitOutcome> Submit(const v1::Feedback& sent, const std::string& owner) {
    std::vector<std::string> ignored;
    return Submit(sent, owner, ignored);
  }

  size_t StoredRecords() {
    size_t count = 0;
    EXPECT_OK(store_->ScanFeedback([&count](const v1::Feedback&) {
      ++count;
      return absl::OkStatus();
    }));
    return count;
  }

  std::vector<std::pair<std::string, int64_t>> Counters() {
    absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> counters =
        store_->ReadCounters("");
    EXPECT_OK(counters);
    return counters.ok() ? *counters : std::vector<std::pair<std::string, int64_t>>{};
  }

  static inline const absl::Time kOccurred = Utc(2024, 5, 1);
  static inline const absl::Time kNow = Utc(2024, 6, 1);
  testing::TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<storage::FeedbackStore> store_;
};

TEST_F(LedgerSubmitTest, AReplayOfTheSameSubmissionReturnsTheFirstItemAndWritesNothing) {
  const v1::Feedback sent = Sent("The chair listened to me");
  absl::StatusOr<SubmitOutcome> first = Submit(sent, kOwner);
  ASSERT_OK(first);
  EXPECT_FALSE(first->duplicate);
  const auto counters = Counters();

  // The same submission again, as a retrying kiosk sends it an hour later.
  std::vector<std::string> calls;
  absl::StatusOr<SubmitOutcome> replay = Submit(sent, kOwner, calls, kNow + absl::Hours(1));
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->duplicate);
  EXPECT_TRUE(MessageDifferencer::Equals(replay->record, first->record))
      << replay->record.ShortDebugString() << "\n"
      << first->record.ShortDebugString();
  EXPECT_FALSE(replay->alert.has_value());
  // Decided from the idempotency entry, answered from the stored record; nothing else.
  EXPECT_THAT(calls, ElementsAre(absl::StrCat("FindIdempotencyKey ", sent.submission_id()),
                                 absl::StrCat("FindFeedback ", first->record.id())));
  EXPECT_EQ(StoredRecords(), 1u);
  EXPECT_EQ(Counters(), counters);
}

TEST_F(LedgerSubmitTest, AReplayIsDecidedBeforeItsReferralIsLookedUpOrItIsTagged) {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id("4f1c2b3a-0000-4000-8000-0000000000aa");
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  request.set_child_age(11);
  request.set_within_city_boundary(true);
  *request.mutable_referred_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kOccurred));
  absl::StatusOr<v1::AdvocacyReferral> referral =
      storage::CommitOne(*store_, ledger_->CreateReferral(request, kNow, kOwner));
  ASSERT_OK(referral);
  v1::Feedback statement = Sent("I want to live with my nan", v1::KIND_CHILD_STATEMENT);
  statement.set_advocacy_referral_id(referral->id());

  std::vector<std::string> first_calls;
  absl::StatusOr<SubmitOutcome> first = Submit(statement, kOwner, first_calls);
  ASSERT_OK(first);
  // A new submission: the replay decision first, then its referral, then (tagged) the record.
  ASSERT_GE(first_calls.size(), 3u);
  EXPECT_EQ(first_calls[0], absl::StrCat("FindIdempotencyKey ", statement.submission_id()));
  EXPECT_EQ(first_calls[1], absl::StrCat("FindEntity ", ReferralKey(referral->id())));

  std::vector<std::string> replay_calls;
  absl::StatusOr<SubmitOutcome> replay = Submit(statement, kOwner, replay_calls);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->duplicate);
  EXPECT_THAT(replay_calls,
              ElementsAre(absl::StrCat("FindIdempotencyKey ", statement.submission_id()),
                          absl::StrCat("FindFeedback ", first->record.id())));
}

TEST_F(LedgerSubmitTest, ANewSubmissionIsTaggedOnceAndStoredOnceWithAllItsTags) {
  std::vector<std::string> calls;
  absl::StatusOr<SubmitOutcome> stored =
      Submit(Sent("The chair was fair and listened"), kOwner, calls);
  ASSERT_OK(stored);
  // The kind tag comes with the rest, in the one and only write of the record.
  const std::vector<std::string> expected_tags = {"compliment", "consent_to_quote", "fair_chair",
                                                  "listened_to"};
  EXPECT_THAT(stored->record.tags(), ::testing::ElementsAreArray(expected_tags));
  std::vector<std::string> puts;
  for (const std::string& call : calls) {
    if (call.starts_with("PutFeedback")) puts.push_back(call);
  }
  EXPECT_THAT(puts,
              ElementsAre(absl::StrCat("PutFeedback tags=", absl::StrJoin(expected_tags, ","))));
  absl::StatusOr<v1::Feedback> read = store_->Get(stored->record.id());
  ASSERT_OK(read);
  EXPECT_TRUE(MessageDifferencer::Equals(*read, stored->record));
}

TEST_F(LedgerSubmitTest, ASafeguardingSubmissionReturnsItsAlertWithTheOutcome) {
  absl::StatusOr<SubmitOutcome> stored = Submit(Sent("I am scared to go home"), kOwner);
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->alert.has_value());
  EXPECT_EQ(stored->alert->id(), stored->record.id());
  EXPECT_OK(store_->GetEntity(AlertKey(stored->record.id())));
  absl::StatusOr<SubmitOutcome> replay = Submit(Sent("I am scared to go home"), kOwner);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->duplicate);
  EXPECT_FALSE(replay->alert.has_value());  // raised once, by the first
}

TEST_F(LedgerSubmitTest, RepeatsInOneBatchAreDecidedAgainstTheFirstOfTheBatch) {
  const v1::Feedback sent = Sent("helpful");
  v1::Feedback changed = sent;
  changed.set_text("not helpful at all");
  std::vector<storage::TypedWriteOp<SubmitOutcome>> ops;
  for (const v1::Feedback* item : std::vector<const v1::Feedback*>{&sent, &sent, &changed}) {
    NewSubmission submission = PrepareSubmission(*item, kNow);
    submission.owner = kOwner;
    ops.push_back(ledger_->Submit(std::move(submission), kNow));
  }
  std::vector<absl::StatusOr<SubmitOutcome>> results = storage::CommitAll(*store_, std::move(ops));
  ASSERT_EQ(results.size(), 3u);
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  EXPECT_FALSE(results[0]->duplicate);
  EXPECT_TRUE(results[1]->duplicate);
  EXPECT_EQ(results[1]->record.id(), results[0]->record.id());
  EXPECT_EQ(results[2].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(StoredRecords(), 1u);
}

TEST_F(LedgerSubmitTest, AReplayOfAnErasedSubmissionIsRefusedToItsOwnerAndHiddenFromOthers) {
  const v1::Feedback sent = Sent("Zebedee says the chair was fair");
  absl::StatusOr<SubmitOutcome> first = Submit(sent, kOwner);
  ASSERT_OK(first);
  ASSERT_OK(storage::CommitOne(*store_, EraseOp(first->record.id(), kNow)));
  const auto counters = Counters();

  absl::StatusOr<SubmitOutcome> replay = Submit(sent, kOwner);
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(replay.status().message()),
              StartsWith("submission_id: this submission was erased (" + first->record.id()));
  absl::StatusOr<SubmitOutcome> other = Submit(sent, kOther);
  EXPECT_EQ(other.status(), absl::AlreadyExistsError(kNotOwnerMessage));
  EXPECT_EQ(StoredRecords(), 1u);
  EXPECT_EQ(Counters(), counters);
}

// The replay decision alone, on entries staged in a transaction.
TEST_F(LedgerSubmitTest, DecideReplayAnswersEachKindOfRepeat) {
  const std::string fingerprint(kFingerprintSize, 'f');
  std::vector<storage::WriteOp> ops;
  ops.push_back([&](storage::Transaction& txn) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> unused =
        DecideReplay(txn, "key", kOwner, fingerprint, kSubmissionWords);
    EXPECT_OK(unused);
    EXPECT_EQ(unused.value_or(std::nullopt), std::nullopt) << "an unused key goes on";
    EXPECT_OK(PutIdempotencyEntry(txn, "key", {fingerprint, "fb_1", kOwner}));
    absl::StatusOr<std::optional<std::string>> same =
        DecideReplay(txn, "key", kOwner, fingerprint, kSubmissionWords);
    EXPECT_OK(same);
    EXPECT_EQ(same.value_or(std::nullopt), std::optional<std::string>("fb_1"));
    EXPECT_EQ(DecideReplay(txn, "key", kOwner, std::string(kFingerprintSize, 'g'), kReferralWords)
                  .status(),
              absl::AlreadyExistsError(
                  "submission_id: already used for a referral with different content"));
    EXPECT_EQ(DecideReplay(txn, "key", kOther, fingerprint, kSubmissionWords).status(),
              absl::AlreadyExistsError(kNotOwnerMessage));

    EXPECT_OK(MarkErased(txn, "key", "fb_other"));  // another item's erasure changes nothing
    EXPECT_OK(DecideReplay(txn, "key", kOwner, fingerprint, kSubmissionWords));
    EXPECT_OK(MarkErased(txn, "key", "fb_1"));
    EXPECT_EQ(DecideReplay(txn, "key", kOwner, fingerprint, kSubmissionWords).status(),
              absl::FailedPreconditionError(
                  "submission_id: this submission was erased (fb_1); it cannot be stored again"));
    EXPECT_EQ(DecideReplay(txn, "key", kOther, fingerprint, kSubmissionWords).status(),
              absl::AlreadyExistsError(kNotOwnerMessage));

    EXPECT_OK(txn.PutIdempotencyKey("broken", "too short"));
    EXPECT_EQ(DecideReplay(txn, "broken", kOwner, fingerprint, kSubmissionWords).status().code(),
              absl::StatusCode::kDataLoss);
    return absl::AbortedError("nothing to keep");
  });
  EXPECT_EQ(store_->Commit(std::move(ops)).front().code(), absl::StatusCode::kAborted);
}

}  // namespace ledger_submit_test
}  // namespace
}  // namespace feedback
