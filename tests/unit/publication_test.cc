// Late revisions of a published quarter (service/publication.h), from counters alone: exact for
// QA staff, and in the published form a table with small-number suppression of its own. No
// server; the end-to-end behaviour is in tests/e2e/publication_e2e_test.cc.
#include "service/ops/publication.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace publication_test {

using Counters = std::vector<std::pair<std::string, int64_t>>;
constexpr Quarter kQ3{2018, 3};
constexpr char kBand59[] = "advocacy.MEETING_CLA_REVIEW.age_band.5-9";

// CLA referrals (meeting 3) in social care (area 2): `ages` = {band, how many}.
Counters Referrals(const std::vector<std::pair<std::string, int64_t>>& bands) {
  Counters counters;
  int64_t total = 0;
  for (const auto& [band, count] : bands) {
    counters.emplace_back("2018Q3/2/advocacy:3:age:" + band, count);
    total += count;
  }
  counters.emplace_back("2018Q3/2/advocacy:3:referrals", total);
  return counters;
}

const v1::LateRevision* Find(const std::vector<v1::LateRevision>& revisions,
                             const std::string& figure) {
  for (const v1::LateRevision& revision : revisions) {
    if (revision.figure() == figure) return &revision;
  }
  return nullptr;
}

TEST(LateRevisions, AreNoneWhileTheCountersAreAsFrozen) {
  const Counters frozen = Referrals({{"10-15", 12}, {"5-9", 3}});
  const DisclosurePolicy policy;
  EXPECT_THAT(LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, frozen, frozen, nullptr),
              ::testing::IsEmpty());
  EXPECT_THAT(LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, frozen, frozen, &policy),
              ::testing::IsEmpty());
}

TEST(LateRevisions, AreLiveMinusFrozenCellByCellExactlyForQaStaff) {
  const Counters frozen = {{"2018Q3/2/complaints_received", 10}};
  const Counters live = {{"2018Q3/2/complaints_received", 11}, {"2018Q3/1/comments", 2}};
  const std::vector<v1::LateRevision> exact =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, nullptr);
  ASSERT_EQ(exact.size(), 2u);
  const v1::LateRevision* complaints = Find(exact, "complaints_received");
  ASSERT_NE(complaints, nullptr);
  EXPECT_EQ(complaints->count(), 1);
  EXPECT_FALSE(complaints->withheld());
  EXPECT_EQ(Find(exact, "comments")->count(), 2);
  // One service area's view counts only its own cells.
  EXPECT_THAT(LateRevisions(kQ3, v1::SERVICE_AREA_EARLY_HELP, live, frozen, nullptr),
              ::testing::SizeIs(1));
}

// One late referral of a 7-year-old: the band's late count (1) is withheld, and so is another
// band, so that the meeting's late total (+1, published) does not give it away; a withheld
// cell says nothing of whether it changed.
TEST(LateRevisions, OfASuppressedFigureGetSuppressionOfTheirOwn) {
  const Counters frozen = Referrals({{"10-15", 12}, {"5-9", 3}});
  const Counters live = Referrals({{"10-15", 12}, {"5-9", 4}});
  const DisclosurePolicy policy;  // advocacy.age_band suppressed
  const std::vector<v1::LateRevision> published =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, &policy);
  const v1::LateRevision* referrals = Find(published, "advocacy.MEETING_CLA_REVIEW.referrals");
  ASSERT_NE(referrals, nullptr);
  EXPECT_EQ(referrals->count(), 1);
  const v1::LateRevision* band = Find(published, kBand59);
  ASSERT_NE(band, nullptr);
  EXPECT_TRUE(band->withheld());
  EXPECT_EQ(band->count(), 0);
  int withheld = 0;
  for (const v1::LateRevision& revision : published) {
    if (revision.withheld()) {
      ++withheld;
      EXPECT_EQ(revision.count(), 0) << revision.figure();
    } else {
      EXPECT_NE(revision.count(), 0) << revision.figure();
    }
  }
  EXPECT_GE(withheld, 2);

  // Six or more late referrals in a band are shown, like any count of six or more.
  const Counters many = Referrals({{"10-15", 12}, {"5-9", 9}});
  const std::vector<v1::LateRevision> revisions =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, many, frozen, &policy);
  const v1::LateRevision* six = Find(revisions, kBand59);
  ASSERT_NE(six, nullptr);
  EXPECT_FALSE(six->withheld());
  EXPECT_EQ(six->count(), 6);
}

// Re-tagging moves theme counts down as well as up: a small decrease is as telling as a small
// increase, so suppression goes by magnitude.
TEST(LateRevisions, ASmallDecreaseIsWithheldLikeASmallIncrease) {
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse("suppress tags\n", "test");
  ASSERT_OK(policy);
  const Counters frozen = {
      {"2018Q3/2/tag:listened_to", 9}, {"2018Q3/2/tag:fair_chair", 1}, {"2018Q3/2/tag:staff", 30}};
  const Counters live = {
      {"2018Q3/2/tag:listened_to", 7}, {"2018Q3/2/tag:fair_chair", 3}, {"2018Q3/2/tag:staff", 20}};
  const std::vector<v1::LateRevision> published =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, &*policy);
  ASSERT_NE(Find(published, "tags.listened_to"), nullptr);
  EXPECT_TRUE(Find(published, "tags.listened_to")->withheld());
  EXPECT_TRUE(Find(published, "tags.fair_chair")->withheld());
  EXPECT_EQ(Find(published, "tags.staff")->count(), -10);
  // Exact for QA staff.
  EXPECT_EQ(Find(LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, nullptr),
                 "tags.listened_to")
                ->count(),
            -2);
}

// One late 5/5 rating under "suppress ratings": the control withholds zero ratings beside it so
// that it has two possible values; those are listed too, or the one that changed would stand out.
TEST(LateRevisions, ListEveryCellTheControlWithholdsEvenOneTheDifferencesLack) {
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse("suppress ratings\n", "test");
  ASSERT_OK(policy);
  const Counters frozen = {{"2018Q3/2/rating:4", 7}};
  const Counters live = {{"2018Q3/2/rating:4", 7}, {"2018Q3/2/rating:5", 1}};
  const std::vector<v1::LateRevision> published =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, &*policy);
  ASSERT_NE(Find(published, "ratings.5"), nullptr);
  EXPECT_TRUE(Find(published, "ratings.5")->withheld());
  int withheld_ratings = 0;
  for (const v1::LateRevision& revision : published) {
    EXPECT_TRUE(revision.withheld()) << revision.figure();
    if (revision.figure().starts_with("ratings.")) ++withheld_ratings;
  }
  EXPECT_GE(withheld_ratings, 2);
}

// Audits and chairs' outcomes recorded (back-dated) into a published quarter are late
// revisions like feedback: one more YOS audit graded good (activity 1, area 3, grade 2) and one
// more LAC review escalation (meeting 3, outcome 1), cell by cell; in the published form under a
// policy that suppresses them, the single late escalation is withheld, and so is another cell of
// its group, so that the group's late count does not give it away.
TEST(LateRevisions, CountAuditsAndChairsOutcomesLikeFeedback) {
  const Counters frozen = {{"2018Q3/3/qa:1:grade:2", 2}, {"2018Q3/2/oversight:3:outcome:2", 20}};
  const Counters live = {{"2018Q3/3/qa:1:grade:2", 3},
                         {"2018Q3/2/oversight:3:outcome:2", 20},
                         {"2018Q3/2/oversight:3:outcome:1", 1}};
  const std::vector<v1::LateRevision> exact =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, nullptr);
  const std::string yos = "qa.QA_ACTIVITY_CASE_FILE_AUDIT.SERVICE_AREA_YOUTH_OFFENDING.";
  const std::string lac = "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.";
  for (const std::string& cell :
       {yos + "count", yos + "grade.QA_GRADE_GOOD", lac + "count", lac + "escalations"}) {
    const v1::LateRevision* revision = Find(exact, cell);
    ASSERT_NE(revision, nullptr) << cell;
    EXPECT_EQ(revision->count(), 1) << cell;
    EXPECT_FALSE(revision->withheld()) << cell;
  }
  EXPECT_EQ(Find(exact, lac + "no_concerns"), nullptr);  // unchanged

  // The default policy shows these figures: the published late revisions are the exact ones.
  const DisclosurePolicy shown;
  EXPECT_EQ(LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, &shown).size(),
            exact.size());

  absl::StatusOr<DisclosurePolicy> suppressing =
      DisclosurePolicy::Parse("suppress oversight.outcomes\nsuppress qa.grades\n", "policy");
  ASSERT_TRUE(suppressing.ok()) << suppressing.status();
  const std::vector<v1::LateRevision> published =
      LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, &*suppressing);
  const v1::LateRevision* escalations = Find(published, lac + "escalations");
  ASSERT_NE(escalations, nullptr);
  EXPECT_TRUE(escalations->withheld());
  EXPECT_EQ(escalations->count(), 0);
  const v1::LateRevision* group = Find(published, lac + "count");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->count(), 1);  // the count figure is shown
  int withheld_outcomes = 0;
  for (const char* outcome : {"escalations", "no_concerns", "commendations"}) {
    const v1::LateRevision* r = Find(published, lac + outcome);
    withheld_outcomes += r != nullptr && r->withheld() ? 1 : 0;
  }
  EXPECT_GE(withheld_outcomes, 2);
  const v1::LateRevision* good = Find(published, yos + "grade.QA_GRADE_GOOD");
  ASSERT_NE(good, nullptr);
  EXPECT_TRUE(good->withheld());
}

}  // namespace publication_test
}  // namespace
}  // namespace feedback
