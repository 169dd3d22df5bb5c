// Erasure and legal holds on a real store: what an erased item keeps (everything counted) and
// loses (text and identifying fields, case notes, quote), replays of an erased submission, and
// the old text leaving the store's files.
#include "service/ops/erasure.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/ops/counters.h"
#include "service/ops/ingest.h"
#include "service/ops/ledger.h"
#include "service/ops/quotes.h"
#include "storage/feedback_store.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace erasure_test {

using ::feedback::testing::AnyFileContains;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kText[] = "Zebedee Quillfeather says the chair was fair but I am scared to go home";
constexpr char kNote[] = "Spoke to Zebedee's aunt Marigold on the phone";

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

Principal Admin() { return Principal{"tok_test", v1::ROLE_ADMIN, "test"}; }

class ErasureTest : public ::testing::Test {
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

  static v1::Feedback Complaint() {
    v1::Feedback f;
    f.set_submission_id("0b7e6a1c-1111-4a2b-8c3d-000000000001");
    f.set_source(v1::SOURCE_CHILD);
    f.set_kind(v1::KIND_COMPLAINT);
    f.set_meeting(v1::MEETING_REVIEW_CP_CONFERENCE);
    f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    f.set_rating(2);
    f.set_consent_to_quote(true);
    f.set_text(kText);
    *f.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kOccurred));
    return f;
  }

  absl::StatusOr<SubmitOutcome> Submit(const v1::Feedback& feedback) {
    return Run(ledger_->Submit(PrepareSubmission(feedback, kNow), kNow));
  }

  // A complaint with a note and an actor in its history, an alert and a quote approval.
  std::string StoreComplaint() {
    absl::StatusOr<SubmitOutcome> stored = Submit(Complaint());
    EXPECT_OK(stored);
    const std::string id = stored->record.id();
    v1::UpdateComplaintRequest update;
    update.set_id(id);
    update.set_note(kNote);
    update.set_actor("Priya Harcourt, team manager");
    update.set_outcome(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD);
    EXPECT_OK(Run(ledger_->UpdateComplaint(update, kNow)));
    EXPECT_OK(Run([id](storage::Transaction& txn) {
      return txn.PutEntity(QuoteKey(id), std::string("approved: ") + kText);
    }));
    return id;
  }

  absl::StatusOr<ErasureResult> Erase(const std::string& id, absl::Time at) {
    return Run(EraseOp(id, at));
  }

  absl::Status Hold(const std::string& id, bool hold) {
    v1::SetLegalHoldRequest request;
    request.set_id(id);
    request.set_hold(hold);
    request.set_reason("Claim 2026-7");
    return Run(SetHoldOp(request, Admin(), kNow)).status();
  }

  std::vector<std::pair<std::string, int64_t>> StoredCounters() {
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

TEST_F(ErasureTest, ClearsTextNotesAndQuoteButKeepsEverythingCounted) {
  const std::string id = StoreComplaint();
  absl::StatusOr<v1::Feedback> before = store_->Get(id);
  ASSERT_OK(before);
  ASSERT_THAT(before->tags(), ::testing::Contains("safeguarding"));
  const auto counters_before = StoredCounters();
  ASSERT_THAT(counters_before, ::testing::Not(IsEmpty()));

  absl::StatusOr<ErasureResult> erased = Erase(id, kNow + absl::Hours(1));
  ASSERT_OK(erased);
  absl::StatusOr<v1::Feedback> after = store_->Get(id);
  ASSERT_OK(after);
  EXPECT_EQ(after->text(), "");
  EXPECT_TRUE(after->has_erased_at());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(after->erased_at()),
            absl::ToUnixMicros(kNow + absl::Hours(1)));
  EXPECT_EQ(erased->record.DebugString(), after->DebugString());
  // Everything a counter depends on is as it was.
  EXPECT_EQ(after->kind(), before->kind());
  EXPECT_EQ(after->source(), before->source());
  EXPECT_EQ(after->meeting(), before->meeting());
  EXPECT_EQ(after->service_area(), before->service_area());
  EXPECT_EQ(after->rating(), before->rating());
  EXPECT_EQ(after->complaint_outcome(), before->complaint_outcome());
  EXPECT_EQ(after->occurred_at().DebugString(), before->occurred_at().DebugString());
  EXPECT_THAT(after->tags(), ElementsAreArray(before->tags()));
  EXPECT_EQ(StoredCounters(), counters_before);

  absl::StatusOr<std::string> case_bytes = store_->GetEntity(ComplaintKey(id));
  ASSERT_OK(case_bytes);
  absl::StatusOr<v1::Complaint> stored_case = ParseComplaint(*case_bytes);
  ASSERT_OK(stored_case);
  ASSERT_EQ(stored_case->history_size(), 2);  // received, closed: the steps stay
  for (const v1::ComplaintEvent& event : stored_case->history()) {
    EXPECT_EQ(event.note(), "");
    EXPECT_EQ(event.actor(), "");
    EXPECT_NE(event.action(), "");
  }
  EXPECT_EQ(store_->GetEntity(QuoteKey(id)).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::string> alert_bytes = store_->GetEntity(AlertKey(id));
  ASSERT_OK(alert_bytes);  // the alert itself stays: it was raised
  v1::Alert alert;
  ASSERT_TRUE(alert.ParseFromString(*alert_bytes));
  EXPECT_FALSE(alert.has_feedback());

  EXPECT_THAT(erased->scrub.records, ElementsAreArray({id}));
  EXPECT_THAT(erased->scrub.idempotency, ElementsAreArray({Complaint().submission_id()}));
}

TEST_F(ErasureTest, ErasedComplaintsAndRecordsAreNotReworked) {
  const std::string id = StoreComplaint();
  ASSERT_OK(Erase(id, kNow));
  const auto counters = StoredCounters();
  // Re-tagging would drop the themes found in the (now empty) text.
  absl::StatusOr<RetagOutcome> retagged = Run(ledger_->Retag({id}, kNow));
  ASSERT_OK(retagged);
  EXPECT_EQ(retagged->changed, 0);
  // A new note would put personal text back.
  v1::UpdateComplaintRequest update;
  update.set_id(id);
  update.set_stage(v1::COMPLAINT_STAGE_2);
  update.set_note("more words");
  absl::Status updated = Run(ledger_->UpdateComplaint(update, kNow)).status();
  EXPECT_EQ(updated.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(updated.message(), HasSubstr("erased"));
  EXPECT_EQ(StoredCounters(), counters);
}

TEST_F(ErasureTest, AReplayOfAnErasedSubmissionIsRefusedAndStoresNothing) {
  const std::string id = StoreComplaint();
  ASSERT_OK(Erase(id, kNow));
  const auto counters = StoredCounters();
  absl::StatusOr<SubmitOutcome> replay = Submit(Complaint());
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(replay.status().message(), HasSubstr("submission_id: this submission was erased"));
  int records = 0;
  ASSERT_OK(store_->ScanFeedback([&](const v1::Feedback& record) {
    ++records;
    EXPECT_EQ(record.text(), "");
    return absl::OkStatus();
  }));
  EXPECT_EQ(records, 1);
  EXPECT_EQ(StoredCounters(), counters);
}

TEST_F(ErasureTest, ErasingTwiceChangesNothing) {
  const std::string id = StoreComplaint();
  ASSERT_OK(Erase(id, kNow));
  absl::StatusOr<ErasureResult> again = Erase(id, kNow + absl::Hours(5));
  ASSERT_OK(again);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(again->record.erased_at()), absl::ToUnixMicros(kNow));
  EXPECT_FALSE(again->scrub.empty());  // a retry scrubs the files again
}

TEST_F(ErasureTest, UnknownIdsAreNotFound) {
  absl::StatusOr<ErasureResult> erased = Erase("fb_00000000000000000000000000000000", kNow);
  EXPECT_EQ(erased.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(erased.status().message(), HasSubstr("id: "));
  EXPECT_EQ(Hold("fb_00000000000000000000000000000000", true).code(), absl::StatusCode::kNotFound);
}

TEST_F(ErasureTest, AHeldItemCannotBeErasedUntilReleased) {
  const std::string id = StoreComplaint();
  ASSERT_OK(Hold(id, true));
  absl::StatusOr<ErasureResult> erased = Erase(id, kNow);
  EXPECT_EQ(erased.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(erased.status().message(), HasSubstr("legal hold"));
  absl::StatusOr<v1::Feedback> record = store_->Get(id);
  ASSERT_OK(record);
  EXPECT_EQ(record->text(), kText);

  absl::StatusOr<std::vector<v1::LegalHold>> holds = ListHolds(*store_);
  ASSERT_OK(holds);
  ASSERT_EQ(holds->size(), 1u);
  EXPECT_EQ((*holds)[0].id(), id);
  EXPECT_EQ((*holds)[0].reason(), "Claim 2026-7");

  ASSERT_OK(Hold(id, false));
  holds = ListHolds(*store_);
  ASSERT_OK(holds);
  // (Compared by size: gtest's printer of a LegalHold trips GCC 12's -Wrestrict.)
  EXPECT_EQ(holds->size(), 0u);
  EXPECT_OK(Erase(id, kNow));
}

TEST_F(ErasureTest, PurgeChunkSkipsHeldAndErasedItemsAndAuditsTheRest) {
  const std::string held = StoreComplaint();
  v1::Feedback other = Complaint();
  other.set_submission_id("0b7e6a1c-1111-4a2b-8c3d-000000000002");
  other.set_kind(v1::KIND_COMMENT);
  absl::StatusOr<SubmitOutcome> stored = Submit(other);
  ASSERT_OK(stored);
  const std::string plain = stored->record.id();
  ASSERT_OK(Hold(held, true));
  absl::StatusOr<PurgeResult> result = Run(PurgeChunkOp({held, plain}, Admin(), kNow));
  ASSERT_OK(result);
  EXPECT_THAT(result->erased, ElementsAreArray({plain}));
  EXPECT_THAT(result->held, ElementsAreArray({held}));
  // Purging again finds nothing more to do.
  absl::StatusOr<PurgeResult> again = Run(PurgeChunkOp({held, plain}, Admin(), kNow));
  ASSERT_OK(again);
  EXPECT_THAT(again->erased, IsEmpty());
}

TEST_F(ErasureTest, ReasonsAreRequiredShortAndOneLine) {
  EXPECT_OK(ValidateReason("SAR 2026-041", true));
  EXPECT_OK(ValidateReason("", false));
  for (const std::string& bad :
       {std::string(), std::string(kMaxReasonBytes + 1, 'x'), std::string("SAR\n2026")}) {
    absl::Status status = ValidateReason(bad, true);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(), HasSubstr("reason")) << bad;
  }
}

TEST_F(ErasureTest, ScrubRemovesTheOldTextFromEveryFile) {
  const std::string id = StoreComplaint();
  // Before: the write-ahead log (and, after a flush, a table file) holds the words.
  ASSERT_TRUE(AnyFileContains(dir_.Sub("data"), "Zebedee Quillfeather"));
  storage::ScrubKeys record_only;
  record_only.records = {id};
  ASSERT_OK(store_->Scrub(record_only));  // flushes: the words now sit in a table file
  ASSERT_TRUE(AnyFileContains(dir_.Sub("data"), "Zebedee Quillfeather"));
  ASSERT_TRUE(AnyFileContains(dir_.Sub("data"), "Marigold"));

  absl::StatusOr<ErasureResult> erased = Erase(id, kNow);
  ASSERT_OK(erased);
  ASSERT_OK(store_->Scrub(erased->scrub));
  EXPECT_FALSE(AnyFileContains(dir_.Sub("data"), "Zebedee Quillfeather"));
  EXPECT_FALSE(AnyFileContains(dir_.Sub("data"), "Marigold"));
  EXPECT_FALSE(AnyFileContains(dir_.Sub("data"), "Priya Harcourt"));
  // The store still works and still has the erased record.
  EXPECT_OK(store_->Get(id));
}

// A store written before server-set fields were refused may hold an item submitted with
// erased_at already set: erasing it must still remove its words, not take the "already erased"
// path.
TEST_F(ErasureTest, AnItemSubmittedWithErasedAtAlreadySetIsStillErased) {
  v1::Feedback smuggled = Complaint();
  *smuggled.mutable_erased_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kOccurred));
  absl::StatusOr<SubmitOutcome> stored = Submit(smuggled);
  ASSERT_OK(stored);
  ASSERT_EQ(stored->record.text(), kText);

  absl::StatusOr<ErasureResult> erased = Erase(stored->record.id(), kNow);
  ASSERT_OK(erased);
  absl::StatusOr<v1::Feedback> after = store_->Get(stored->record.id());
  ASSERT_OK(after);
  EXPECT_TRUE(after->text().empty());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(after->erased_at()), absl::ToUnixMicros(kNow));
}

}  // namespace erasure_test
}  // namespace
}  // namespace feedback
