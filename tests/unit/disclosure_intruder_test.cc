// The intruder check of docs/disclosure.md: for published quarters, everything a reader who
// knows the rules can work out about the withheld cells (tests/support/disclosure_intruder.h)
// leaves each of them at least two possible values. Run on the issue's example, on hand-picked
// awkward groups, and as a property over random quarters and random policies (seeded, so every
// run checks the same quarters). A failure prints the quarter, the policy and the cell.
#include "tests/support/disclosure_intruder.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/report/report.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "service/domain/disclosure.h"
#include "service/ops/counters.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace disclosure_intruder_test {

using ::feedback::testing::CountOf;
using ::feedback::testing::Intrude;
using ::feedback::testing::IntruderReport;
using ::feedback::testing::SetCount;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::IsEmpty;

constexpr char kCla[] = "advocacy.MEETING_CLA_REVIEW";

DisclosurePolicy PolicyOf(std::string_view text) {
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse(text, "policy");
  EXPECT_OK(policy);
  return policy.ok() ? *std::move(policy) : DisclosurePolicy();
}

// A meeting's figures as Summarize gives them: every band, referrals their sum.
v1::AdvocacyFigures Meeting(v1::Meeting meeting, const std::vector<int64_t>& bands,
                            int64_t progressed = 0) {
  v1::AdvocacyFigures figures;
  figures.set_meeting(meeting);
  int64_t total = 0;
  for (size_t i = 0; i < bands.size(); ++i) {
    v1::AgeBandCount* band = figures.add_age_bands();
    band->set_band(std::string(AgeBands()[i]));
    band->set_referrals(bands[i]);
    total += bands[i];
  }
  figures.set_referrals(total);
  figures.set_progressed(progressed);
  return figures;
}

// ---------------------------------------------------------------------------------------------
// Random quarters

// A count as a small authority's quarter has them: often 0, often 1 to 5, sometimes more.
int64_t Count(std::mt19937& rng) {
  const int pick = std::uniform_int_distribution<int>(0, 99)(rng);
  if (pick < 30) return 0;
  if (pick < 75) return std::uniform_int_distribution<int64_t>(1, kMaxWithheldCount)(rng);
  return std::uniform_int_distribution<int64_t>(kMaxWithheldCount + 1, 14)(rng);
}

int64_t UpTo(std::mt19937& rng, int64_t most) {
  return std::uniform_int_distribution<int64_t>(0, most)(rng);
}

void AddTag(v1::QuarterSummary& s, const std::string& tag, int64_t count) {
  SetCount(s, absl::StrCat("tags.", tag), count);  // sorted; left out when 0
}

// The random draws for what kiosks collected come from a generator of their own, so that the
// rest of every random quarter and policy is what it was before kiosks were counted.
// Likewise the audits, practice observations and chairs' oversight outcomes, and their figures'
// places in a random policy.
struct Generators {
  std::mt19937 rng;
  std::mt19937 kiosk;
  std::mt19937 quality = std::mt19937(20261203);
};

// A division's checks of one activity: grades summing to the count, some moderated, listed only
// when there is a check (as Summarize does).
void AddQaDivision(v1::QuarterSummary& s, std::mt19937& rng, const std::string& activity,
                   const std::string& area) {
  const std::string d = absl::StrCat("qa.", activity, ".", area, ".");
  int64_t count = 0;
  std::vector<int64_t> grades;
  for (int g = 0; g < 4; ++g) {
    grades.push_back(std::uniform_int_distribution<int>(0, 1)(rng) == 0 ? 0 : Count(rng));
    count += grades.back();
  }
  if (count == 0) return;
  SetCount(s, d + "count", count);
  SetCount(s, d + "moderated", UpTo(rng, count));
  const char* names[] = {"QA_GRADE_OUTSTANDING", "QA_GRADE_GOOD", "QA_GRADE_REQUIRES_IMPROVEMENT",
                         "QA_GRADE_INADEQUATE"};
  for (int g = 0; g < 4; ++g) SetCount(s, absl::StrCat(d, "grade.", names[g]), grades[g]);
}

// Audits and practice observations in some divisions, with themes each at most the activity's
// checks; chairs' outcomes of both meeting groups, with themes at most all the outcomes.
void AddQualityAndOversight(v1::QuarterSummary& s, std::mt19937& rng) {
  for (const char* activity : {"QA_ACTIVITY_CASE_FILE_AUDIT", "QA_ACTIVITY_PRACTICE_OBSERVATION"}) {
    int64_t checks = 0;
    for (const char* area :
         {"SERVICE_AREA_EARLY_HELP", "SERVICE_AREA_SOCIAL_CARE", "SERVICE_AREA_YOUTH_OFFENDING"}) {
      if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) continue;
      AddQaDivision(s, rng, activity, area);
      checks += CountOf(s, absl::StrCat("qa.", activity, ".", area, ".count"));
    }
    for (const char* theme : {"strength.child_focused", "improvement.planning"}) {
      SetCount(s, absl::StrCat("qa.", activity, ".", theme), std::min(Count(rng), checks));
    }
  }
  int64_t outcomes = 0;
  for (const char* group : {"OVERSIGHT_GROUP_CP_CONFERENCES", "OVERSIGHT_GROUP_LAC_REVIEWS"}) {
    const std::string g = absl::StrCat("oversight.", group, ".");
    const int64_t escalations = Count(rng), no_concerns = Count(rng), commendations = Count(rng);
    const int64_t count = escalations + no_concerns + commendations;
    if (count == 0) continue;
    SetCount(s, g + "count", count);
    SetCount(s, g + "escalations", escalations);
    SetCount(s, g + "no_concerns", no_concerns);
    SetCount(s, g + "commendations", commendations);
    outcomes += count;
  }
  for (const char* theme : {"strength.child_focused", "development.planning"}) {
    SetCount(s, absl::StrCat("oversight.", theme), std::min(Count(rng), outcomes));
  }
}

// One quarter's exact summary, keeping every relation the intruder knows about (the counters
// of a real quarter keep them by construction; see tests/support/disclosure_intruder.h).
v1::QuarterSummary RandomQuarter(Generators& generators) {
  std::mt19937& rng = generators.rng;
  v1::QuarterSummary s;
  s.set_financial_year(2018);
  s.set_quarter(3);
  for (int m = v1::MEETING_INITIAL_CP_CONFERENCE; m <= v1::MEETING_OTHER; ++m) {
    if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) continue;
    std::vector<int64_t> bands;
    for (size_t b = 0; b < AgeBands().size(); ++b) bands.push_back(Count(rng));
    v1::AdvocacyFigures figures = Meeting(static_cast<v1::Meeting>(m), bands);
    if (figures.referrals() == 0) continue;  // a meeting with no referral is not listed
    const int64_t referrals = figures.referrals();
    figures.set_progressed(UpTo(rng, referrals));
    figures.set_declined(UpTo(rng, referrals - figures.progressed()));
    figures.set_not_progressed(UpTo(rng, referrals - figures.progressed() - figures.declined()));
    *s.add_advocacy() = figures;
  }
  // Complaint decisions of the quarter.
  s.set_complaints_upheld(Count(rng));
  s.set_complaints_partially_upheld(Count(rng));
  s.set_complaints_not_upheld(Count(rng));
  s.set_complaints_withdrawn(Count(rng));
  s.set_complaints_closed(s.complaints_upheld() + s.complaints_partially_upheld() +
                          s.complaints_not_upheld() + s.complaints_withdrawn());
  s.set_complaints_closed_in_time(UpTo(rng, s.complaints_closed()));
  s.set_complaints_escalated_stage_2(Count(rng));
  s.set_complaints_escalated_stage_3(Count(rng));
  // Items of the quarter, with their kind, complaint-state and theme tags.
  const int64_t open = Count(rng);
  int64_t closed = 0;
  for (const char* outcome : {"upheld", "partially_upheld", "not_upheld", "withdrawn"}) {
    const int64_t n = Count(rng);
    AddTag(s, outcome, n);
    closed += n;
  }
  const int64_t received = open + closed;
  s.set_complaints_received(received);
  AddTag(s, "complaint", received);
  AddTag(s, "open", open);
  AddTag(s, "closed", closed);
  const int64_t stage_1 = UpTo(rng, received);
  const int64_t stage_2 = UpTo(rng, received - stage_1);
  AddTag(s, "stage_1", stage_1);
  AddTag(s, "stage_2", stage_2);
  AddTag(s, "stage_3", received - stage_1 - stage_2);
  s.set_compliments_from_families(Count(rng));
  s.set_compliments_from_partners(Count(rng));
  s.set_compliments_from_children(Count(rng));
  s.set_compliments_from_advocates(Count(rng));
  const int64_t compliments = s.compliments_from_families() + s.compliments_from_partners() +
                              s.compliments_from_children() + s.compliments_from_advocates();
  AddTag(s, "compliment", compliments);
  s.set_comments(Count(rng));
  AddTag(s, "comment", s.comments());
  s.set_child_statements(Count(rng));
  AddTag(s, "child_statement", s.child_statements());
  const int64_t items = received + compliments + s.comments() + s.child_statements();
  int64_t unrated = items;
  for (int rating = 1; rating <= 5; ++rating) {
    const int64_t n = std::min(Count(rng), unrated);
    unrated -= n;
    SetCount(s, absl::StrCat("ratings.", rating), n);
  }
  for (const char* theme : {"listened_to", "safeguarding", "consent_to_quote"}) {
    AddTag(s, theme, std::min(Count(rng), items));
  }
  // Kiosk answers of two meeting types: ratings together and each theme at most the answers.
  std::mt19937& kiosk_rng = generators.kiosk;
  for (const char* meeting : {"MEETING_INITIAL_CP_CONFERENCE", "MEETING_CLA_REVIEW"}) {
    const int64_t answered =
        std::uniform_int_distribution<int>(0, 2)(kiosk_rng) == 0 ? 0 : Count(kiosk_rng);
    if (answered == 0) continue;  // a meeting type without kiosk answers is not listed
    const std::string kiosk = absl::StrCat("kiosk.", meeting, ".");
    SetCount(s, kiosk + "answered", answered);
    int64_t left = answered;
    for (int rating = 1; rating <= 5; ++rating) {
      const int64_t n = std::min(Count(kiosk_rng), left);
      left -= n;
      SetCount(s, absl::StrCat(kiosk, "rating.", rating), n);
    }
    for (const char* theme : {"fair_chair", "listened_to"}) {
      SetCount(s, absl::StrCat(kiosk, "theme.", theme), std::min(Count(kiosk_rng), answered));
    }
  }
  AddQualityAndOversight(s, generators.quality);
  return s;
}

// A policy an authority might write: each figure suppressed or not at random, or the default,
// or everything.
DisclosurePolicy RandomPolicy(Generators& generators, std::string& text) {
  std::mt19937& rng = generators.rng;
  text.clear();
  const int pick = std::uniform_int_distribution<int>(0, 9)(rng);
  if (pick == 0) return DisclosurePolicy();
  if (pick == 1) {
    text = "suppress all\n";
  } else {
    for (std::string_view figure : DisclosurePolicy::Figures()) {
      std::mt19937& draw = figure.starts_with("kiosk.") ? generators.kiosk
                           : figure.starts_with("qa.") || figure.starts_with("oversight.")
                               ? generators.quality
                               : rng;
      const bool suppress = std::uniform_int_distribution<int>(0, 1)(draw) == 1;
      absl::StrAppend(&text, suppress ? "suppress " : "show ", std::string(figure), "\n");
    }
  }
  return PolicyOf(text);
}

// ---------------------------------------------------------------------------------------------
// The intruder

TEST(DisclosureIntruder, TheIssuesGroupIsNotGivenAway) {
  // Bands 1, 0, 10, 1, 0 with 12 referrals shown: publishing "c, 0, 10, c, 0" tells a reader
  // that both withheld bands are exactly 1.
  v1::QuarterSummary exact;
  *exact.add_advocacy() = Meeting(v1::MEETING_CLA_REVIEW, {1, 0, 10, 1, 0});
  const IntruderReport report = Intrude(exact, DisclosurePolicy());
  EXPECT_EQ(report.published.advocacy(0).referrals(), 12);  // the headline stays
  EXPECT_THAT(report.published.suppressed(),
              ::testing::Contains(std::string(kCla) + ".age_band.0-4"));
  EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
}

TEST(DisclosureIntruder, AwkwardGroupsAreNotGivenAway) {
  struct Case {
    std::vector<int64_t> bands;
    int64_t progressed;
    std::string policy;
  };
  const std::vector<Case> cases = {
      {{1, 0, 10, 1, 0}, 0, ""},
      {{5, 5, 5, 0, 0}, 0, ""},  // three 5s sum to 15: all at the top of the range
      {{1, 1, 1, 0, 9}, 0, ""},
      {{6, 6, 5, 0, 0}, 0, ""},  // the secondary 6 ties a shown 6
      {{1, 6, 0, 0, 0}, 0, ""},  // 7 = 1 + 6: both at the bottom of their ranges
      {{0, 0, 3, 0, 0}, 0, ""},  // a lone band
      {{2, 2, 2, 2, 2}, 0, ""},  // every band withheld and equal
      {{5, 5, 5, 5, 5}, 25, ""},
      {{0, 0, 4, 0, 0}, 4, "suppress advocacy.referrals\nshow advocacy.age_band\n"},
      {{0, 0, 5, 0, 0}, 5, "suppress advocacy.referrals\n"},
      {{1, 0, 0, 0, 0}, 1, "suppress all\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat("bands ", absl::StrJoin(c.bands, ","), " policy ", c.policy));
    v1::QuarterSummary exact;
    *exact.add_advocacy() = Meeting(v1::MEETING_CLA_REVIEW, c.bands, c.progressed);
    const IntruderReport report = Intrude(exact, PolicyOf(c.policy));
    EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
  }
}

TEST(DisclosureIntruder, ComplaintTagsAreNotGivenAway) {
  // 3 complaints this quarter, 2 still open and 1 upheld, all at stage 1: every structural tag
  // is small, and the "closed" tag is itself the total of the outcome tags.
  v1::QuarterSummary exact;
  exact.set_complaints_received(3);
  AddTag(exact, "complaint", 3);
  AddTag(exact, "open", 2);
  AddTag(exact, "closed", 1);
  AddTag(exact, "upheld", 1);
  AddTag(exact, "stage_1", 3);
  for (const char* policy : {"suppress complaints.closed\n", "suppress complaints.outcomes\n",
                             "suppress complaints.received\n", "suppress all\n"}) {
    SCOPED_TRACE(policy);
    const IntruderReport report = Intrude(exact, PolicyOf(policy));
    EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
  }
}

// A quarter with one escalation at an LAC review among 33 outcomes (the seed's "3%"), and one
// CP conference with a single outcome: published as it is by default (these count chairs'
// outcomes, not children), and not given away under any policy that suppresses them.
v1::QuarterSummary OneEscalationQuarter() {
  v1::QuarterSummary s;
  SetCount(s, "oversight.OVERSIGHT_GROUP_CP_CONFERENCES.count", 1);
  SetCount(s, "oversight.OVERSIGHT_GROUP_CP_CONFERENCES.escalations", 1);
  SetCount(s, "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.count", 33);
  SetCount(s, "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.escalations", 1);
  SetCount(s, "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.no_concerns", 29);
  SetCount(s, "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.commendations", 3);
  SetCount(s, "oversight.strength.child_focused", 2);
  SetCount(s, "oversight.development.planning", 1);
  return s;
}

TEST(DisclosureIntruder, ChairsOutcomesAreShownByDefaultAndNotGivenAwayWhenSuppressed) {
  v1::QuarterSummary shown = OneEscalationQuarter();
  ApplyDisclosureControl(shown, DisclosurePolicy());
  EXPECT_THAT(shown.suppressed(), IsEmpty());
  EXPECT_EQ(CountOf(shown, "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.escalations"), 1);
  for (const char* policy :
       {"suppress oversight.outcomes\n", "suppress oversight.count\n",
        "suppress oversight.themes\n", "suppress oversight.outcomes\nsuppress oversight.themes\n",
        "suppress all\n"}) {
    SCOPED_TRACE(policy);
    const IntruderReport report = Intrude(OneEscalationQuarter(), PolicyOf(policy));
    EXPECT_THAT(report.cells, ::testing::Not(IsEmpty()));
    EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
  }
  // With the outcomes suppressed, the single escalation is withheld and so is another outcome
  // of its group, so that 33 minus the shown outcome does not give it back.
  const IntruderReport outcomes =
      Intrude(OneEscalationQuarter(), PolicyOf("suppress oversight.outcomes\n"));
  EXPECT_THAT(outcomes.published.suppressed(),
              ::testing::IsSupersetOf({"oversight.OVERSIGHT_GROUP_LAC_REVIEWS.escalations",
                                       "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.commendations",
                                       "oversight.OVERSIGHT_GROUP_CP_CONFERENCES.escalations"}));
}

// Audits in two divisions: social care 1 (good, moderated), YOS 3 (a grade each but one), with
// themes each at most the 4 audits.
TEST(DisclosureIntruder, AuditsAndObservationsAreNotGivenAway) {
  v1::QuarterSummary exact;
  const std::string sc = "qa.QA_ACTIVITY_CASE_FILE_AUDIT.SERVICE_AREA_SOCIAL_CARE.";
  const std::string yos = "qa.QA_ACTIVITY_CASE_FILE_AUDIT.SERVICE_AREA_YOUTH_OFFENDING.";
  SetCount(exact, sc + "count", 1);
  SetCount(exact, sc + "moderated", 1);
  SetCount(exact, sc + "grade.QA_GRADE_GOOD", 1);
  SetCount(exact, yos + "count", 3);
  SetCount(exact, yos + "grade.QA_GRADE_OUTSTANDING", 1);
  SetCount(exact, yos + "grade.QA_GRADE_GOOD", 1);
  SetCount(exact, yos + "grade.QA_GRADE_INADEQUATE", 1);
  SetCount(exact, "qa.QA_ACTIVITY_CASE_FILE_AUDIT.strength.child_focused", 4);
  SetCount(exact, "qa.QA_ACTIVITY_CASE_FILE_AUDIT.improvement.planning", 1);
  v1::QuarterSummary shown = exact;
  ApplyDisclosureControl(shown, DisclosurePolicy());
  EXPECT_THAT(shown.suppressed(), IsEmpty());  // the seed's "3 in YOS"
  for (const char* policy :
       {"suppress qa.count\n", "suppress qa.grades\n", "suppress qa.moderated\n",
        "suppress qa.themes\n", "suppress qa.grades\nsuppress qa.themes\n",
        "suppress qa.count\nshow qa.grades\n", "suppress all\n"}) {
    SCOPED_TRACE(policy);
    const IntruderReport report = Intrude(exact, PolicyOf(policy));
    EXPECT_THAT(report.cells, ::testing::Not(IsEmpty()));
    EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
  }
}

// The limit docs/disclosure.md states: the number of items bounds the kind counts from below
// through the ratings, and that is not protected. 10 child statements and 15 rated items leave
// a withheld count of comments exactly 5. Without that bound, the 5 is one of 1..5.
TEST(DisclosureIntruder, KnownLimitRatedItemsBoundAWithheldKindCount) {
  v1::QuarterSummary exact;
  exact.set_comments(5);
  exact.set_child_statements(10);
  AddTag(exact, "comment", 5);
  AddTag(exact, "child_statement", 10);
  SetCount(exact, "ratings.5", 15);
  const DisclosurePolicy policy = PolicyOf("suppress comments\n");
  const IntruderReport bounded = Intrude(exact, policy, {.item_bounds = true});
  ASSERT_EQ(bounded.GivenAway().size(), 2u) << bounded.Describe();
  EXPECT_EQ(bounded.GivenAway()[0].name, "comments");
  const IntruderReport report = Intrude(exact, policy);
  EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
}

// The property: 1,200 random quarters, each under a random policy. Seeded: the same quarters
// every run. In the AddressSanitizer build (unoptimised, where the intruder's solver runs about
// 25 times slower) the first 300 of them: they reach every rule, which is what that build
// checks for memory errors, and the Release run still tries all 1,200 (docs/ci.md).
#if defined(FEEDBACK_ASAN_BUILD)
constexpr int kRandomQuarters = 300;
#else
constexpr int kRandomQuarters = 1200;
#endif

TEST(DisclosureIntruder, RandomQuartersGiveNothingAway) {
  Generators rng{std::mt19937(20181231), std::mt19937(20261202)};
  int withheld = 0, quarters_with_withheld = 0, kiosk_withheld = 0, quality_withheld = 0;
  for (int n = 0; n < kRandomQuarters; ++n) {
    const v1::QuarterSummary exact = RandomQuarter(rng);
    std::string policy_text;
    const DisclosurePolicy policy = RandomPolicy(rng, policy_text);
    const IntruderReport report = Intrude(exact, policy);
    withheld += static_cast<int>(report.cells.size());
    quarters_with_withheld += report.cells.empty() ? 0 : 1;
    for (const testing::WithheldCell& cell : report.cells) {
      kiosk_withheld += cell.name.starts_with("kiosk.") ? 1 : 0;
      quality_withheld +=
          cell.name.starts_with("qa.") || cell.name.starts_with("oversight.") ? 1 : 0;
    }
    EXPECT_THAT(report.GivenAway(), IsEmpty())
        << "quarter " << n << ", policy:\n"
        << (policy_text.empty() ? "(default)\n" : policy_text) << report.Describe();
    if (HasFailure()) break;  // one quarter is enough to read
  }
  // The random quarters do exercise the rules: at least three in four withhold something, more
  // than eight cells a quarter are withheld, and some of them are kiosk figures. (The first 300
  // quarters: 299, 9,285 cells, 1,267 of them kiosk figures.)
  EXPECT_GT(quarters_with_withheld, kRandomQuarters * 3 / 4);
  EXPECT_GT(withheld, kRandomQuarters * 25 / 3);
  EXPECT_GT(kiosk_withheld, kRandomQuarters * 5 / 6);
  EXPECT_GT(quality_withheld, kRandomQuarters);  // audits, observations and chairs' outcomes
}

bool Withheld(const v1::QuarterSummary& s, const std::string& cell) {
  return std::find(s.suppressed().begin(), s.suppressed().end(), cell) != s.suppressed().end();
}

// The previous quarter inside a summary, each quarter of the year the report adds up, and the
// quarter's own summary are one publication: the same cells withheld, the same counts shown; and
// a report shows a sum (year to date, every source, upheld or partially upheld) only when every
// part of it is shown, so it never tells more than the summaries do.
TEST(DisclosureIntruder, EveryFormOfAQuarterPublishesTheSameCounts) {
  Generators rng{std::mt19937(20190331), std::mt19937(20270331)};
  for (int n = 0; n < 200; ++n) {
    std::string policy_text;
    const DisclosurePolicy policy = RandomPolicy(rng, policy_text);
    SCOPED_TRACE(absl::StrCat("year ", n, ", policy:\n", policy_text));
    const int quarters = 1 + n % 4;
    std::vector<v1::QuarterSummary> exact;  // 2017-18 Q4, then 2018-19 Q1..Qn
    for (int q = 0; q <= quarters; ++q) {
      v1::QuarterSummary s = RandomQuarter(rng);
      s.set_financial_year(q == 0 ? 2017 : 2018);
      s.set_quarter(q == 0 ? 4 : q);
      exact.push_back(std::move(s));
    }
    std::vector<v1::QuarterSummary> alone, served;
    for (const v1::QuarterSummary& s : exact) {
      alone.push_back(s);
      ApplyDisclosureControl(alone.back(), policy);
    }
    for (int q = 1; q <= quarters; ++q) {
      v1::QuarterSummary s = exact[q];
      *s.mutable_previous_quarter() = exact[q - 1];
      ApplyDisclosureControl(s, policy);
      EXPECT_TRUE(MessageDifferencer::Equals(s.previous_quarter(), alone[q - 1])) << q;
      v1::QuarterSummary without_previous = s;
      without_previous.clear_previous_quarter();
      EXPECT_TRUE(MessageDifferencer::Equals(without_previous, alone[q])) << q;
      served.push_back(std::move(s));
    }
    client::QuarterReportInput input;
    input.summaries = served;
    absl::StatusOr<client::QuarterReport> report = client::BuildQuarterReport(input);
    ASSERT_OK(report);
    const v1::QuarterSummary& current = served.back();
    int checked = 0;
    for (const client::ReportFigure& f : report->figures) {
      if (v1::QuarterSummary::descriptor()->FindFieldByName(f.measure) == nullptr) continue;
      SCOPED_TRACE(f.measure);
      ++checked;
      EXPECT_EQ(f.value_withheld, Withheld(current, f.measure));
      EXPECT_EQ(f.previous_quarter_withheld, Withheld(current.previous_quarter(), f.measure));
      bool any = false;
      int64_t sum = 0;
      for (int q = 0; q < quarters; ++q) {
        const bool withheld = Withheld(served[q], f.measure);
        EXPECT_EQ(f.by_quarter_withheld[q], withheld) << q;
        EXPECT_EQ(f.by_quarter[q], withheld ? 0 : CountOf(served[q], f.measure)) << q;
        any = any || withheld;
        sum += CountOf(served[q], f.measure);
      }
      EXPECT_EQ(f.year_to_date_withheld, any);
      EXPECT_EQ(f.year_to_date, any ? 0 : sum);
    }
    EXPECT_GT(checked, 10);
    if (HasFailure()) break;
  }
}

}  // namespace disclosure_intruder_test
}  // namespace
}  // namespace feedback
