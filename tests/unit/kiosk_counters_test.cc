// Kiosk answers in the quarterly counters (service/ops/counters.h): a kiosk answer is an item a
// kiosk token submitted (Feedback.submitter_role, set at ingest); it counts for its meeting
// type's answers, its rating and its theme tags, never its rule tags (kind, complaint state,
// safeguarding, consent); re-tagging moves those counters, erasure keeps them, and `admin
// verify` recomputes them like every other counter.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/advocacy.h"
#include "service/domain/complaints.h"
#include "service/domain/tagger.h"
#include "service/domain/working_days.h"
#include "service/ops/counters.h"
#include "service/ops/erasure.h"
#include "service/ops/ingest.h"
#include "service/ops/ledger.h"
#include "service/ops/verification.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace kiosk_counters_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// 2018-12-01T12:00:00Z, in 2018-19 Q3.
const absl::Time kNow = absl::FromUnixSeconds(1543665600);
constexpr Quarter kQ3{2018, 3};

// A small lexicon: two themes and one safeguarding phrase.
constexpr char kLexicon[] =
    "[themes]\n"
    "listened_to: listened\n"
    "clear_plan: clear plan\n"
    "[safeguarding]\n"
    "scared to go home\n";
// The same with one more theme.
constexpr char kLexiconWithChair[] =
    "[themes]\n"
    "listened_to: listened\n"
    "clear_plan: clear plan\n"
    "chair: chair\n"
    "[safeguarding]\n"
    "scared to go home\n";

Tagger TaggerOf(const std::string& lexicon) {
  absl::StatusOr<Tagger> tagger = Tagger::Parse(lexicon, "lexicon");
  EXPECT_OK(tagger);
  return *std::move(tagger);
}

std::unique_ptr<Ledger> LedgerWith(const std::string& lexicon) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
  EXPECT_OK(calendar);
  EXPECT_OK(days);
  return std::make_unique<Ledger>(*calendar, ComplaintProcedure(*days, calendar->zone()),
                                  TaggerOf(lexicon), Eligibility());
}

v1::Feedback Answer(v1::Meeting meeting, int rating, const std::string& text,
                    v1::ServiceArea area = v1::SERVICE_AREA_SOCIAL_CARE) {
  static int submitted = 0;
  v1::Feedback sent;
  sent.set_submission_id(absl::StrCat("00000000-0000-4000-8000-", 100000000000 + ++submitted));
  sent.set_source(v1::SOURCE_CHILD);
  sent.set_kind(rating >= 4 ? v1::KIND_COMPLIMENT : v1::KIND_COMMENT);
  sent.set_meeting(meeting);
  sent.set_service_area(area);
  sent.set_rating(rating);
  sent.set_text(text);
  sent.set_consent_to_quote(!text.empty());
  *sent.mutable_occurred_at() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(kNow) - 3600);
  return sent;
}

std::vector<std::pair<int, int64_t>> Ratings(const v1::KioskFigures& k) {
  std::vector<std::pair<int, int64_t>> ratings;
  for (const v1::RatingCount& r : k.ratings()) ratings.emplace_back(r.rating(), r.count());
  return ratings;
}

std::vector<std::pair<std::string, int64_t>> Themes(const v1::KioskFigures& k) {
  std::vector<std::pair<std::string, int64_t>> themes;
  for (const v1::TagCount& t : k.themes()) themes.emplace_back(t.tag(), t.count());
  return themes;
}

TEST(KioskThemes, TheTagsTheServiceSetsByRuleAreNotThemes) {
  for (v1::Kind kind :
       {v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT, v1::KIND_COMMENT, v1::KIND_CHILD_STATEMENT}) {
    EXPECT_FALSE(IsThemeTag(KindTag(kind))) << KindTag(kind);
  }
  for (v1::ComplaintStage stage :
       {v1::COMPLAINT_STAGE_1, v1::COMPLAINT_STAGE_2, v1::COMPLAINT_STAGE_3}) {
    for (v1::ComplaintOutcome outcome :
         {v1::COMPLAINT_OUTCOME_UNSPECIFIED, v1::COMPLAINT_OUTCOME_UPHELD,
          v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, v1::COMPLAINT_OUTCOME_NOT_UPHELD,
          v1::COMPLAINT_OUTCOME_WITHDRAWN}) {
      v1::Complaint complaint;
      complaint.mutable_feedback()->set_complaint_stage(stage);
      complaint.mutable_feedback()->set_complaint_outcome(outcome);
      for (const std::string& tag : ComplaintTags(complaint)) {
        EXPECT_FALSE(IsThemeTag(tag)) << tag;
      }
    }
  }
  EXPECT_FALSE(IsThemeTag(kSafeguardingTag));
  EXPECT_FALSE(IsThemeTag("consent_to_quote"));
  EXPECT_FALSE(IsThemeTag(""));
  // Every theme of the built-in lexicon is one.
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  ASSERT_OK(tagger);
  const std::vector<std::string> themes = tagger->ThemeTags(
      "They listened, the chair was fair, a clear plan, the safety plan was shared in advance, "
      "it was explained, my views, and I felt supported");
  ASSERT_EQ(themes.size(), 7u);
  for (const std::string& theme : themes) EXPECT_TRUE(IsThemeTag(theme)) << theme;
}

class KioskCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
    ledger_ = LedgerWith(kLexicon);
  }

  // Stores `sent` as the core does for a token of `role`; returns the stored record.
  v1::Feedback Submit(const v1::Feedback& sent, v1::Role role) {
    absl::StatusOr<SubmitOutcome> outcome =
        storage::CommitOne(*store_, ledger_->Submit(PrepareSubmission(sent, kNow, role), kNow));
    EXPECT_OK(outcome);
    return outcome.ok() ? outcome->record : v1::Feedback();
  }

  v1::QuarterSummary Summary(v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED) {
    absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> counters =
        store_->ReadCounters(CounterBook::QuarterPrefix(kQ3));
    EXPECT_OK(counters);
    if (!counters.ok()) return v1::QuarterSummary();
    return CounterBook::Summarize(kQ3, area, *counters);
  }

  v1::VerifyCountersResponse Verify() {
    absl::StatusOr<v1::VerifyCountersResponse> verified = VerifyCounters(*store_, *ledger_, kNow);
    EXPECT_OK(verified);
    return verified.ok() ? *verified : v1::VerifyCountersResponse();
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::FeedbackStore> store_;
  std::unique_ptr<Ledger> ledger_;
};

TEST_F(KioskCountersTest, KioskAnswersCountForTheirMeetingTypeAndNothingElseDoes) {
  const v1::Feedback kiosk = Submit(
      Answer(v1::MEETING_CLA_REVIEW, 5, "They listened and made a clear plan"), v1::ROLE_KIOSK);
  EXPECT_EQ(kiosk.submitter_role(), v1::ROLE_KIOSK);
  // Rule tags (comment, safeguarding, consent_to_quote) are not themes.
  Submit(Answer(v1::MEETING_CLA_REVIEW, 2, "I am scared to go home"), v1::ROLE_KIOSK);
  Submit(Answer(v1::MEETING_CLA_REVIEW, 0, ""), v1::ROLE_KIOSK);  // no rating: answered only
  Submit(Answer(v1::MEETING_INITIAL_CP_CONFERENCE, 4, "a clear plan", v1::SERVICE_AREA_EARLY_HELP),
         v1::ROLE_KIOSK);
  // The same words from staff, an advocate, or before roles were recorded: not kiosk answers.
  const v1::Feedback staff =
      Submit(Answer(v1::MEETING_CLA_REVIEW, 1, "nobody listened"), v1::ROLE_QA_MANAGER);
  EXPECT_EQ(staff.submitter_role(), v1::ROLE_QA_MANAGER);
  Submit(Answer(v1::MEETING_CLA_REVIEW, 5, "they listened"), v1::ROLE_ADVOCATE);
  Submit(Answer(v1::MEETING_CLA_REVIEW, 5, "they listened"), v1::ROLE_UNSPECIFIED);

  const v1::QuarterSummary all = Summary();
  ASSERT_EQ(all.kiosk_size(), 2) << all.DebugString();
  const v1::KioskFigures& icpc = all.kiosk(0);
  EXPECT_EQ(icpc.meeting(), v1::MEETING_INITIAL_CP_CONFERENCE);
  EXPECT_EQ(icpc.answered(), 1);
  EXPECT_THAT(Ratings(icpc), ElementsAre(std::pair(1, 0), std::pair(2, 0), std::pair(3, 0),
                                         std::pair(4, 1), std::pair(5, 0)));
  EXPECT_THAT(Themes(icpc), ElementsAre(std::pair("clear_plan", 1)));
  const v1::KioskFigures& cla = all.kiosk(1);
  EXPECT_EQ(cla.meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(cla.answered(), 3);
  EXPECT_THAT(Ratings(cla), ElementsAre(std::pair(1, 0), std::pair(2, 1), std::pair(3, 0),
                                        std::pair(4, 0), std::pair(5, 1)));
  EXPECT_THAT(Themes(cla), ElementsAre(std::pair("clear_plan", 1), std::pair("listened_to", 1)));
  // The quarter's own figures count every item, whoever sent it.
  EXPECT_EQ(all.comments() + all.compliments_from_children(), 7);

  // Restricted to a service area like every figure.
  const v1::QuarterSummary early_help = Summary(v1::SERVICE_AREA_EARLY_HELP);
  ASSERT_EQ(early_help.kiosk_size(), 1);
  EXPECT_EQ(early_help.kiosk(0).meeting(), v1::MEETING_INITIAL_CP_CONFERENCE);
  EXPECT_THAT(Summary(v1::SERVICE_AREA_YOUTH_OFFENDING).kiosk(), IsEmpty());
}

TEST_F(KioskCountersTest, AQuarterWithoutKioskAnswersHasNoKioskFigures) {
  Submit(Answer(v1::MEETING_CLA_REVIEW, 5, "they listened"), v1::ROLE_QA_MANAGER);
  EXPECT_THAT(Summary().kiosk(), IsEmpty());
}

TEST_F(KioskCountersTest, VerifyRecomputesTheKioskCountersAndFindsAWrongOne) {
  Submit(Answer(v1::MEETING_CLA_REVIEW, 5, "They listened"), v1::ROLE_KIOSK);
  Submit(Answer(v1::MEETING_CLA_REVIEW, 3, "ok"), v1::ROLE_KIOSK);
  const v1::VerifyCountersResponse clean = Verify();
  EXPECT_THAT(clean.differences(), IsEmpty());

  // A kiosk counter that no longer matches its records (as a bug or a bad repair would leave).
  const std::string key =
      absl::StrCat(CounterBook::QuarterPrefix(kQ3), static_cast<int>(v1::SERVICE_AREA_SOCIAL_CARE),
                   "/kiosk:", static_cast<int>(v1::MEETING_CLA_REVIEW), ":rating:5");
  ASSERT_OK(storage::CommitOne(
      *store_,
      storage::TypedWriteOp<bool>([&key](storage::Transaction& txn) -> absl::StatusOr<bool> {
        if (absl::Status added = txn.AddToCounter(key, 1); !added.ok()) return added;
        return true;
      })));
  EXPECT_EQ(Summary().kiosk(0).ratings(4).count(), 2);
  const v1::VerifyCountersResponse verified = Verify();
  ASSERT_EQ(verified.differences_size(), 1) << verified.DebugString();
  EXPECT_EQ(verified.differences(0).key(), key);
  EXPECT_EQ(verified.differences(0).stored(), 2);
  EXPECT_EQ(verified.differences(0).recomputed(), 1);
}

TEST_F(KioskCountersTest, RetaggingMovesKioskThemesAndErasureKeepsThem) {
  const v1::Feedback kiosk =
      Submit(Answer(v1::MEETING_CLA_REVIEW, 4, "The chair listened"), v1::ROLE_KIOSK);
  EXPECT_THAT(Themes(Summary().kiosk(0)), ElementsAre(std::pair("listened_to", 1)));

  // A new lexicon theme, then `admin retag`.
  ledger_ = LedgerWith(kLexiconWithChair);
  absl::StatusOr<RetagOutcome> retagged =
      storage::CommitOne(*store_, ledger_->Retag({kiosk.id()}, kNow));
  ASSERT_OK(retagged);
  EXPECT_EQ(retagged->changed, 1);
  EXPECT_THAT(Themes(Summary().kiosk(0)),
              ElementsAre(std::pair("chair", 1), std::pair("listened_to", 1)));
  EXPECT_THAT(Verify().differences(), IsEmpty());

  // Erasure removes the words and keeps the counts (published figures do not move).
  ASSERT_OK(storage::CommitOne(*store_, EraseOp(kiosk.id(), kNow)));
  absl::StatusOr<v1::Feedback> erased = store_->Get(kiosk.id());
  ASSERT_OK(erased);
  EXPECT_EQ(erased->text(), "");
  EXPECT_EQ(erased->submitter_role(), v1::ROLE_KIOSK);
  const v1::QuarterSummary after = Summary();
  ASSERT_EQ(after.kiosk_size(), 1);
  EXPECT_EQ(after.kiosk(0).answered(), 1);
  EXPECT_THAT(Themes(after.kiosk(0)),
              ElementsAre(std::pair("chair", 1), std::pair("listened_to", 1)));
  EXPECT_THAT(Verify().differences(), IsEmpty());
}

}  // namespace kiosk_counters_test
}  // namespace
}  // namespace feedback
