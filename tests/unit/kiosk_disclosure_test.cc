// Small-number suppression of the kiosk figures (service/domain/disclosure.h,
// docs/disclosure.md): what kiosks collected is suppressed by default; a meeting's kiosk ratings
// are a group bounded by its answers; its answers are suppressed whenever its themes are, and a
// withheld answer count takes its themes with it; the intruder finds no withheld kiosk cell it
// can pin; late revisions of kiosk cells get suppression of their own.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/domain/disclosure.h"
#include "service/ops/publication.h"
#include "tests/support/disclosure_intruder.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace kiosk_disclosure_test {

using ::feedback::testing::Intrude;
using ::feedback::testing::IntruderReport;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kCla[] = "kiosk.MEETING_CLA_REVIEW";

DisclosurePolicy PolicyOf(std::string_view text) {
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse(text, "policy");
  EXPECT_OK(policy);
  return policy.ok() ? *std::move(policy) : DisclosurePolicy();
}

// A quarter whose only figures are the CLA reviews' kiosk answers, as Summarize gives them:
// `ratings` of 1..5, themes {tag, count} sorted by tag.
v1::QuarterSummary Kiosk(int64_t answered, const std::vector<int64_t>& ratings,
                         const std::vector<std::pair<std::string, int64_t>>& themes = {}) {
  v1::QuarterSummary summary;
  summary.set_financial_year(2018);
  summary.set_quarter(3);
  v1::KioskFigures* k = summary.add_kiosk();
  k->set_meeting(v1::MEETING_CLA_REVIEW);
  k->set_answered(answered);
  for (size_t i = 0; i < ratings.size(); ++i) {
    v1::RatingCount* r = k->add_ratings();
    r->set_rating(static_cast<int>(i) + 1);
    r->set_count(ratings[i]);
  }
  for (const auto& [tag, count] : themes) {
    v1::TagCount* t = k->add_themes();
    t->set_tag(tag);
    t->set_count(count);
  }
  return summary;
}

std::string Cell(const std::string& part) { return absl::StrCat(kCla, ".", part); }

std::vector<std::string> Suppressed(const v1::QuarterSummary& s) {
  return {s.suppressed().begin(), s.suppressed().end()};
}

TEST(KioskDisclosure, SmallKioskCountsAreWithheldByDefault) {
  v1::QuarterSummary summary = Kiosk(3, {0, 0, 1, 0, 2}, {{"listened_to", 2}});
  ApplyDisclosureControl(summary, DisclosurePolicy());
  // The answers (3), the ratings (1 and 2, and with a withheld total the zeros) and the theme.
  EXPECT_THAT(Suppressed(summary),
              ElementsAre(Cell("answered"), Cell("rating.1"), Cell("rating.2"), Cell("rating.3"),
                          Cell("rating.4"), Cell("rating.5"), Cell("theme.listened_to")));
  const v1::KioskFigures& k = summary.kiosk(0);
  EXPECT_EQ(k.answered(), 0);
  for (const v1::RatingCount& r : k.ratings()) EXPECT_EQ(r.count(), 0) << r.rating();
  ASSERT_EQ(k.themes_size(), 1);  // still listed: a theme it did not list would be 0
  EXPECT_EQ(k.themes(0).count(), 0);
}

TEST(KioskDisclosure, LargeCountsStayAndSmallOnesGoInPairs) {
  v1::QuarterSummary summary =
      Kiosk(20, {1, 0, 3, 6, 10}, {{"fair_chair", 2}, {"listened_to", 12}});
  ApplyDisclosureControl(summary, DisclosurePolicy());
  EXPECT_THAT(Suppressed(summary),
              ElementsAre(Cell("rating.1"), Cell("rating.3"), Cell("theme.fair_chair")));
  const v1::KioskFigures& k = summary.kiosk(0);
  EXPECT_EQ(k.answered(), 20);
  EXPECT_EQ(k.ratings(3).count(), 6);
  EXPECT_EQ(k.ratings(4).count(), 10);
  EXPECT_EQ(k.themes(1).count(), 12);
}

// Ratings 1 and 11 of 12 answers shown: the 1 alone would be known exactly (12 - 11), so the 11
// goes too, as a meeting's decisions do against its referrals.
TEST(KioskDisclosure, TheRatingsAreAGroupBoundedByTheAnswers) {
  v1::QuarterSummary summary = Kiosk(12, {1, 0, 0, 0, 11});
  ApplyDisclosureControl(summary, DisclosurePolicy());
  EXPECT_THAT(Suppressed(summary), ElementsAre(Cell("rating.1"), Cell("rating.5")));
  EXPECT_EQ(summary.kiosk(0).answered(), 12);
}

TEST(KioskDisclosure, TheAnswersAreSuppressedWhenTheThemesAre) {
  // "show kiosk.answered" alone: a shown answer count of 2 would bound the withheld theme.
  v1::QuarterSummary summary = Kiosk(2, {0, 0, 0, 0, 0}, {{"listened_to", 1}});
  ApplyDisclosureControl(summary, PolicyOf("show kiosk.answered\nshow kiosk.ratings\n"));
  EXPECT_THAT(Suppressed(summary), ElementsAre(Cell("answered"), Cell("theme.listened_to")));

  summary = Kiosk(2, {0, 0, 0, 0, 0}, {{"listened_to", 1}});
  ApplyDisclosureControl(summary, PolicyOf("show kiosk.answered\nshow kiosk.ratings\n"
                                           "show kiosk.themes\n"));
  EXPECT_THAT(Suppressed(summary), IsEmpty());
  EXPECT_EQ(summary.kiosk(0).answered(), 2);
}

// Themes shown by the policy, answers withheld: a shown theme of 4 would say "at least 4".
TEST(KioskDisclosure, AWithheldAnswerCountTakesItsThemesWithIt) {
  v1::QuarterSummary summary = Kiosk(4, {0, 0, 0, 0, 4}, {{"clear_plan", 1}, {"listened_to", 4}});
  ApplyDisclosureControl(summary, PolicyOf("show kiosk.themes\nshow kiosk.ratings\n"));
  EXPECT_THAT(Suppressed(summary),
              ElementsAre(Cell("answered"), Cell("rating.5"), Cell("theme.clear_plan"),
                          Cell("theme.listened_to")));
}

TEST(KioskDisclosure, ThePreviousQuarterIsControlledOnItsOwn) {
  v1::QuarterSummary summary = Kiosk(30, {0, 0, 10, 10, 10});
  *summary.mutable_previous_quarter() = Kiosk(2, {0, 0, 0, 1, 1});
  summary.mutable_previous_quarter()->set_quarter(2);
  ApplyDisclosureControl(summary, DisclosurePolicy());
  EXPECT_THAT(Suppressed(summary), IsEmpty());
  EXPECT_THAT(Suppressed(summary.previous_quarter()),
              ElementsAre(Cell("answered"), Cell("rating.1"), Cell("rating.2"), Cell("rating.3"),
                          Cell("rating.4"), Cell("rating.5")));
}

// For every withheld kiosk cell, a reader who knows the rules and how kiosk counts relate (the
// ratings and each theme at most the answers) still has at least two possible values.
TEST(KioskDisclosure, TheIntruderPinsNoWithheldKioskCell) {
  struct Case {
    int64_t answered;
    std::vector<int64_t> ratings;
    std::vector<std::pair<std::string, int64_t>> themes;
  };
  const std::vector<Case> cases = {
      {1, {0, 0, 0, 0, 1}, {{"listened_to", 1}}},  // one child, one theme
      {1, {0, 0, 0, 0, 0}, {{"listened_to", 1}}},  // not rated
      {2, {0, 0, 0, 1, 1}, {{"clear_plan", 1}, {"listened_to", 2}}},
      {5, {5, 0, 0, 0, 0}, {{"listened_to", 5}}},
      {6, {0, 0, 0, 0, 6}, {{"listened_to", 6}, {"support", 1}}},
      {7, {0, 0, 0, 0, 6}, {{"listened_to", 5}}},
      {12, {1, 0, 0, 0, 11}, {}},
      {10, {2, 2, 2, 2, 2}, {{"fair_chair", 3}}},
      {25, {5, 5, 5, 5, 5}, {}},
      {9, {0, 3, 0, 0, 6}, {{"clear_plan", 9}}},
  };
  const std::vector<std::string> policies = {
      "",
      "suppress all\n",
      "show kiosk.answered\n",
      "show kiosk.themes\n",
      "show kiosk.ratings\n",
      "show kiosk.themes\nshow kiosk.answered\n",
      "show kiosk.ratings\nshow kiosk.themes\n",
  };
  int withheld = 0;
  for (const Case& c : cases) {
    for (const std::string& text : policies) {
      SCOPED_TRACE(absl::StrCat("answered ", c.answered, ", policy:\n", text));
      const IntruderReport report = Intrude(Kiosk(c.answered, c.ratings, c.themes), PolicyOf(text));
      withheld += static_cast<int>(report.cells.size());
      EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
    }
  }
  EXPECT_GT(withheld, 100);
}

// After publication: late kiosk answers are a table of their own, suppressed by magnitude.
TEST(KioskDisclosure, LateKioskAnswersAreSuppressedLikeAnyLateCount) {
  constexpr Quarter kQ3{2018, 3};
  // CLA reviews (meeting 3) in social care (area 2).
  const std::vector<std::pair<std::string, int64_t>> frozen = {
      {"2018Q3/2/kiosk:3:answered", 20},
      {"2018Q3/2/kiosk:3:rating:5", 20},
      {"2018Q3/2/kiosk:3:theme:listened_to", 9}};
  const std::vector<std::pair<std::string, int64_t>> live = {
      {"2018Q3/2/kiosk:3:answered", 22},
      {"2018Q3/2/kiosk:3:rating:5", 21},
      {"2018Q3/2/kiosk:3:rating:1", 1},
      {"2018Q3/2/kiosk:3:theme:listened_to", 9}};
  std::vector<std::pair<std::string, int64_t>> exact;
  for (const v1::LateRevision& r :
       LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, nullptr)) {
    exact.emplace_back(r.figure(), r.count());
  }
  EXPECT_THAT(exact, ElementsAre(std::pair(Cell("answered"), 2), std::pair(Cell("rating.1"), 1),
                                 std::pair(Cell("rating.5"), 1)));
  const DisclosurePolicy policy;
  std::vector<std::string> withheld;
  for (const v1::LateRevision& r :
       LateRevisions(kQ3, v1::SERVICE_AREA_UNSPECIFIED, live, frozen, &policy)) {
    EXPECT_EQ(r.count(), 0) << r.figure();
    if (r.withheld()) withheld.push_back(r.figure());
  }
  EXPECT_THAT(withheld, ElementsAre(Cell("answered"), Cell("rating.1"), Cell("rating.2"),
                                    Cell("rating.3"), Cell("rating.4"), Cell("rating.5")));
}

}  // namespace kiosk_disclosure_test
}  // namespace
}  // namespace feedback
