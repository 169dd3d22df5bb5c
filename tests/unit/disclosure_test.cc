#include "service/domain/disclosure.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "service/ops/counters.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace disclosure_test {

using ::feedback::testing::TempDir;
using ::google::protobuf::util::TimeUtil;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kCla[] = "advocacy.MEETING_CLA_REVIEW";

// A meeting's age bands, youngest first, as {band, referrals}.
std::vector<std::pair<std::string, int64_t>> BandsOf(const v1::AdvocacyFigures& figures) {
  std::vector<std::pair<std::string, int64_t>> bands;
  for (const v1::AgeBandCount& band : figures.age_bands())
    bands.emplace_back(band.band(), band.referrals());
  return bands;
}

// Advocacy figures for CLA reviews with `bands` (0-4, 5-9, 10-15, 16-17, 18-25) and referrals
// their sum, as Summarize would give them.
v1::AdvocacyFigures Cla(const std::vector<int64_t>& bands) {
  v1::AdvocacyFigures figures;
  figures.set_meeting(v1::MEETING_CLA_REVIEW);
  int64_t total = 0;
  for (size_t i = 0; i < bands.size(); ++i) {
    v1::AgeBandCount* band = figures.add_age_bands();
    band->set_band(std::string(AgeBands()[i]));
    band->set_referrals(bands[i]);
    total += bands[i];
  }
  figures.set_referrals(total);
  figures.set_progressed(total / 2);
  return figures;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

DisclosurePolicy PolicyOf(std::string_view text) {
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse(text, "policy");
  EXPECT_OK(policy);
  return policy.ok() ? *std::move(policy) : DisclosurePolicy();
}

// What a reader of the published summary can work out about the CLA age bands: the referrals
// total minus every shown band, and how many bands share that remainder.
std::pair<int64_t, int> Unexplained(const v1::AdvocacyFigures& published,
                                    const v1::QuarterSummary& summary) {
  int64_t remainder = published.referrals();
  int withheld = 0;
  for (const v1::AgeBandCount& band : published.age_bands()) {
    const std::string name = std::string(kCla) + ".age_band." + band.band();
    if (std::find(summary.suppressed().begin(), summary.suppressed().end(), name) !=
        summary.suppressed().end()) {
      ++withheld;
    } else {
      remainder -= band.referrals();
    }
  }
  return {remainder, withheld};
}

// ---------------------------------------------------------------------------------------------
// Age bands

TEST(AgeBandTest, BandsFollowTheDfeGroupsWithCareLeaversLast) {
  EXPECT_THAT(AgeBands(), ElementsAre("0-4", "5-9", "10-15", "16-17", "18-25"));
  std::map<int, std::string> band_of;
  for (int age : {1, 4, 5, 9, 10, 15, 16, 17, 18, 25}) band_of[age] = AgeBandOf(age);
  EXPECT_THAT(band_of, ElementsAre(Pair(1, "0-4"), Pair(4, "0-4"), Pair(5, "5-9"), Pair(9, "5-9"),
                                   Pair(10, "10-15"), Pair(15, "10-15"), Pair(16, "16-17"),
                                   Pair(17, "16-17"), Pair(18, "18-25"), Pair(25, "18-25")));
}

TEST(AgeBandTest, SummaryCountsReferralsByAgeBandPerMeetingAndKeepsTheTotals) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  const CounterBook book(*calendar);
  Counters counters;
  const absl::Time referred_at =
      absl::FromCivil(absl::CivilSecond(2018, 11, 15, 10, 0, 0), absl::UTCTimeZone());
  auto add = [&](v1::Meeting meeting, int age, v1::AdvocacyStatus status) {
    v1::AdvocacyReferral referral;
    referral.set_meeting(meeting);
    referral.set_child_age(age);
    referral.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    referral.set_status(status);
    *referral.mutable_referred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(referred_at));
    for (const auto& [key, value] : book.OfReferral(referral)) counters[key] += value;
  };
  add(v1::MEETING_CLA_REVIEW, 3, v1::ADVOCACY_STATUS_REFERRED);
  add(v1::MEETING_CLA_REVIEW, 12, v1::ADVOCACY_STATUS_PROGRESSED);
  add(v1::MEETING_CLA_REVIEW, 15, v1::ADVOCACY_STATUS_REFERRED);
  add(v1::MEETING_CLA_REVIEW, 19, v1::ADVOCACY_STATUS_DECLINED);
  add(v1::MEETING_INITIAL_CP_CONFERENCE, 16, v1::ADVOCACY_STATUS_PROGRESSED);

  const v1::QuarterSummary summary = CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_UNSPECIFIED,
                                                            {counters.begin(), counters.end()});
  ASSERT_EQ(summary.advocacy_size(), 2);
  const v1::AdvocacyFigures& icpc = summary.advocacy(0);
  const v1::AdvocacyFigures& cla = summary.advocacy(1);
  EXPECT_EQ(cla.meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(cla.referrals(), 4);
  EXPECT_EQ(cla.progressed(), 1);
  EXPECT_EQ(cla.declined(), 1);
  EXPECT_THAT(BandsOf(cla), ElementsAre(Pair("0-4", 1), Pair("5-9", 0), Pair("10-15", 2),
                                        Pair("16-17", 0), Pair("18-25", 1)));
  EXPECT_EQ(icpc.referrals(), 1);
  EXPECT_THAT(BandsOf(icpc), ElementsAre(Pair("0-4", 0), Pair("5-9", 0), Pair("10-15", 0),
                                         Pair("16-17", 1), Pair("18-25", 0)));
}

// ---------------------------------------------------------------------------------------------
// The policy file

TEST(DisclosurePolicyTest, DefaultSuppressesAgeBandsAndShowsHeadlineFigures) {
  const DisclosurePolicy policy;
  // The age bands, and what kiosks collected (docs/disclosure.md: why these defaults).
  const std::vector<std::string_view> suppressed = {"advocacy.age_band", "kiosk.answered",
                                                    "kiosk.ratings", "kiosk.themes"};
  for (std::string_view figure : DisclosurePolicy::Figures()) {
    const bool want = std::find(suppressed.begin(), suppressed.end(), figure) != suppressed.end();
    EXPECT_EQ(policy.Suppresses(figure), want) << figure;
  }
}

TEST(DisclosurePolicyTest, LinesOverrideTheDefaultInOrder) {
  const DisclosurePolicy policy = PolicyOf(
      "# published quarterly report\n"
      "\n"
      "suppress ratings   # a rating of 1 from one family is identifying\n"
      "  suppress\tcompliments.by_source\r\n"
      "show advocacy.age_band\n"
      "suppress tags\n"
      "show tags\n");
  EXPECT_TRUE(policy.Suppresses("ratings"));
  EXPECT_TRUE(policy.Suppresses("compliments.by_source"));
  EXPECT_FALSE(policy.Suppresses("advocacy.age_band"));
  EXPECT_FALSE(policy.Suppresses("tags"));
  EXPECT_FALSE(policy.Suppresses("advocacy.referrals"));

  const DisclosurePolicy all = PolicyOf("suppress all\nshow comments\n");
  EXPECT_TRUE(all.Suppresses("advocacy.referrals"));
  EXPECT_TRUE(all.Suppresses("complaints.outcomes"));
  EXPECT_FALSE(all.Suppresses("comments"));
}

TEST(DisclosurePolicyTest, ErrorsNameTheLine) {
  const std::map<std::string, std::string> bad = {
      {"suppress ratings\n\nsuppress advocacy.ages\n", "policy.txt:3: "},
      {"# ok\nhide ratings\n", "policy.txt:2: "},
      {"suppress\n", "policy.txt:1: "},
      {"show ratings tags\n", "policy.txt:1: "},
  };
  for (const auto& [text, where] : bad) {
    SCOPED_TRACE(text);
    absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse(text, "policy.txt");
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(policy.status().message(), HasSubstr(where));
  }
  absl::StatusOr<DisclosurePolicy> unknown =
      DisclosurePolicy::Parse("suppress advocacy.ages\n", "policy.txt");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(),
              AllOf(HasSubstr("advocacy.ages"), HasSubstr("advocacy.age_band")));
}

TEST(DisclosurePolicyTest, LoadReadsTheFileAndNamesItInErrors) {
  TempDir dir;
  const std::string path = dir.Sub("disclosure.policy");
  WriteFile(path, "show advocacy.age_band\nsuppress comments\nsuppress nonsense\n");
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Load(path);
  ASSERT_FALSE(policy.ok());
  EXPECT_THAT(policy.status().message(), HasSubstr(path + ":3: "));

  WriteFile(path, "show advocacy.age_band\nsuppress comments\n");
  policy = DisclosurePolicy::Load(path);
  ASSERT_OK(policy);
  EXPECT_FALSE(policy->Suppresses("advocacy.age_band"));
  EXPECT_TRUE(policy->Suppresses("comments"));

  EXPECT_EQ(DisclosurePolicy::Load(dir.Sub("missing")).status().code(),
            absl::StatusCode::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// Suppression

TEST(DisclosureControlTest, PrimarySuppressionWithholdsOneToFiveOnlyForSuppressedFigures) {
  const DisclosurePolicy policy = PolicyOf("suppress comments\nsuppress child_statements\n");
  for (int64_t count : {1, 5}) {
    v1::QuarterSummary summary;
    summary.set_comments(count);
    summary.set_child_statements(6);
    summary.set_complaints_received(2);  // not a suppressed figure
    ApplyDisclosureControl(summary, policy);
    EXPECT_EQ(summary.comments(), 0) << count;
    EXPECT_EQ(summary.child_statements(), 6);
    EXPECT_EQ(summary.complaints_received(), 2);
    EXPECT_THAT(summary.suppressed(), ElementsAre("comments"));
  }
}

// A tag that repeats a withheld figure must not give it away.
TEST(DisclosureControlTest, TagCountsFollowTheFigureTheyRepeat) {
  v1::QuarterSummary summary;
  summary.set_child_statements(3);
  summary.set_complaints_upheld(2);
  summary.set_complaints_not_upheld(9);
  auto tag = [&summary](const std::string& name, int64_t count) {
    v1::TagCount* t = summary.add_tags();
    t->set_tag(name);
    t->set_count(count);
  };
  tag("child_statement", 3);
  tag("upheld", 2);
  tag("listened_to", 4);  // a theme: follows `tags`, shown by this policy
  ApplyDisclosureControl(summary,
                         PolicyOf("suppress child_statements\nsuppress complaints.outcomes\n"));
  EXPECT_EQ(summary.child_statements(), 0);
  std::map<std::string, int64_t> tags;
  for (const v1::TagCount& t : summary.tags()) tags[t.tag()] = t.count();
  EXPECT_EQ(tags["child_statement"], 0);
  EXPECT_EQ(tags["upheld"], 0);
  EXPECT_EQ(tags["listened_to"], 4);
  EXPECT_THAT(summary.suppressed(), ::testing::IsSupersetOf({std::string("tags.child_statement"),
                                                             std::string("tags.upheld"),
                                                             std::string("complaints_upheld")}));
}

TEST(DisclosureControlTest, ZeroIsShown) {
  v1::QuarterSummary summary;
  *summary.add_advocacy() = Cla({0, 0, 12, 7, 0});
  summary.set_comments(0);
  ApplyDisclosureControl(summary, PolicyOf("suppress comments\n"));
  EXPECT_THAT(summary.suppressed(), IsEmpty());
  EXPECT_THAT(BandsOf(summary.advocacy(0)),
              ElementsAre(Pair("0-4", 0), Pair("5-9", 0), Pair("10-15", 12), Pair("16-17", 7),
                          Pair("18-25", 0)));
}

TEST(DisclosureControlTest, SecondarySuppressionStopsRecoveryFromTheMeetingTotal) {
  v1::QuarterSummary summary;
  *summary.add_advocacy() = Cla({0, 0, 12, 3, 0});
  ApplyDisclosureControl(summary, DisclosurePolicy());

  const v1::AdvocacyFigures& cla = summary.advocacy(0);
  EXPECT_EQ(cla.referrals(), 15);  // the headline figure stays
  EXPECT_EQ(cla.progressed(), 7);
  EXPECT_THAT(summary.suppressed(), UnorderedElementsAre(std::string(kCla) + ".age_band.10-15",
                                                         std::string(kCla) + ".age_band.16-17"));
  EXPECT_THAT(BandsOf(cla), ElementsAre(Pair("0-4", 0), Pair("5-9", 0), Pair("10-15", 0),
                                        Pair("16-17", 0), Pair("18-25", 0)));
  // 15 referrals are shared by two withheld bands: neither can be worked out.
  EXPECT_THAT(Unexplained(cla, summary), Pair(15, 2));
}

TEST(DisclosureControlTest, SecondarySuppressionWithholdsTheSmallestOtherCell) {
  v1::QuarterSummary summary;
  summary.set_complaints_upheld(2);
  summary.set_complaints_partially_upheld(10);
  summary.set_complaints_not_upheld(8);
  summary.set_complaints_withdrawn(0);
  summary.set_complaints_closed(20);
  summary.set_complaints_received(26);
  ApplyDisclosureControl(summary, PolicyOf("suppress complaints.outcomes\n"));
  EXPECT_THAT(summary.suppressed(), ElementsAre("complaints_upheld", "complaints_not_upheld"));
  EXPECT_EQ(summary.complaints_partially_upheld(), 10);
  EXPECT_EQ(summary.complaints_closed(), 20);
  EXPECT_EQ(summary.complaints_received(), 26);
}

TEST(DisclosureControlTest, TwoWithheldCellsNeedNoSecondarySuppression) {
  v1::QuarterSummary summary;
  summary.set_compliments_from_families(30);
  summary.set_compliments_from_partners(4);
  summary.set_compliments_from_children(2);
  summary.set_compliments_from_advocates(9);
  ApplyDisclosureControl(summary, PolicyOf("suppress compliments.by_source\n"));
  EXPECT_THAT(summary.suppressed(),
              ElementsAre("compliments_from_partners", "compliments_from_children"));
  EXPECT_EQ(summary.compliments_from_families(), 30);
  EXPECT_EQ(summary.compliments_from_advocates(), 9);
}

// A lone band of 3 with 3 referrals shown: pairing it with one zero band (the old rule) told a
// reader which zero was the pair (the first one), and so the band's count. Every band goes.
TEST(DisclosureControlTest, ALoneNonZeroBandIsHiddenAmongTheZeroBands) {
  v1::QuarterSummary summary;
  *summary.add_advocacy() = Cla({0, 0, 3, 0, 0});
  ApplyDisclosureControl(summary, DisclosurePolicy());
  EXPECT_EQ(summary.advocacy(0).referrals(), 3);
  EXPECT_EQ(summary.suppressed_size(), 5);
  EXPECT_THAT(Unexplained(summary.advocacy(0), summary), Pair(3, 5));
}

// Referrals of 4 withheld, bands shown: the band holding them goes, and so does the progressed
// count, which would otherwise be a lower bound on the withheld referrals (2 of them here).
TEST(DisclosureControlTest, AWithheldTotalIsNotLeftRecoverableFromItsBands) {
  v1::QuarterSummary summary;
  *summary.add_advocacy() = Cla({0, 0, 4, 0, 0});
  ApplyDisclosureControl(summary, PolicyOf("suppress advocacy.referrals\nshow advocacy.age_band"));
  EXPECT_THAT(summary.suppressed(), UnorderedElementsAre(std::string(kCla) + ".referrals",
                                                         std::string(kCla) + ".progressed",
                                                         std::string(kCla) + ".age_band.10-15"));
  EXPECT_EQ(summary.advocacy(0).referrals(), 0);
  EXPECT_EQ(summary.advocacy(0).age_bands(0).referrals(), 0);  // zeros stay shown
}

TEST(DisclosureControlTest, TheDecisionFiguresAreSuppressedTogether) {
  // They share the referrals as their bound: with declined suppressed, 3 progressed are withheld
  // too, and the 8 declined with them, so that the withheld counts differ.
  v1::QuarterSummary summary;
  v1::AdvocacyFigures cla = Cla({0, 0, 12, 3, 0});
  cla.set_progressed(3);
  cla.set_declined(8);
  *summary.add_advocacy() = cla;
  ApplyDisclosureControl(summary, PolicyOf("suppress advocacy.declined\nshow advocacy.age_band\n"));
  EXPECT_THAT(summary.suppressed(), UnorderedElementsAre(std::string(kCla) + ".progressed",
                                                         std::string(kCla) + ".declined"));
  EXPECT_EQ(summary.advocacy(0).referrals(), 15);
}

TEST(DisclosureControlTest, ComplaintTagsAreWithheldTogether) {
  // 3 complaints: 2 open and 1 closed (upheld), all at stage 1. The state, stage and outcome
  // tags nest, so one small count among them withholds them all, zeros included (listed with a
  // count of 0); the "complaint" tag repeats complaints_received, which this policy shows.
  v1::QuarterSummary summary;
  summary.set_complaints_received(3);
  for (const auto& [tag, count] : std::vector<std::pair<std::string, int64_t>>{
           {"closed", 1}, {"complaint", 3}, {"open", 2}, {"stage_1", 3}, {"upheld", 1}}) {
    v1::TagCount* t = summary.add_tags();
    t->set_tag(tag);
    t->set_count(count);
  }
  ApplyDisclosureControl(summary, PolicyOf("suppress complaints.closed\n"));
  std::vector<std::string> tags;
  for (const v1::TagCount& t : summary.tags()) {
    tags.push_back(absl::StrCat(t.tag(), "=", t.count()));
  }
  EXPECT_THAT(tags,
              ElementsAre("closed=0", "complaint=3", "not_upheld=0", "open=0", "partially_upheld=0",
                          "stage_1=0", "stage_2=0", "stage_3=0", "upheld=0", "withdrawn=0"));
  EXPECT_EQ(summary.suppressed_size(), 9);
  EXPECT_EQ(summary.complaints_received(), 3);
}

// The one complaint of a quarter, open in one world and closed (upheld) in the other, under a
// policy that suppresses outcomes: a reader who knows the rules must not tell the two apart.
TEST(DisclosureControlTest, OneComplaintOpenOrClosedIsPublishedTheSame) {
  auto publish = [](const std::vector<std::pair<std::string, int64_t>>& tags) {
    v1::QuarterSummary summary;
    summary.set_complaints_received(1);
    for (const auto& [tag, count] : tags) {
      v1::TagCount* t = summary.add_tags();
      t->set_tag(tag);
      t->set_count(count);
    }
    ApplyDisclosureControl(summary, PolicyOf("suppress complaints.outcomes\n"));
    return summary;
  };
  const v1::QuarterSummary open = publish({{"complaint", 1}, {"open", 1}, {"stage_1", 1}});
  const v1::QuarterSummary closed =
      publish({{"closed", 1}, {"complaint", 1}, {"stage_1", 1}, {"upheld", 1}});
  EXPECT_EQ(open.SerializeAsString(), closed.SerializeAsString()) << open.DebugString() << "\n"
                                                                  << closed.DebugString();
  EXPECT_THAT(open.suppressed(), Contains("tags.open"));
  EXPECT_THAT(open.suppressed(), Contains("tags.upheld"));
  EXPECT_EQ(open.complaints_received(), 1);
}

TEST(DisclosureControlTest, AWithheldZeroRatingIsListed) {
  // Only rating 4, twice: withheld, and the zero ratings with it (else the reader would know
  // where the 2 sit), each listed with a count of 0.
  v1::QuarterSummary summary;
  v1::RatingCount* rating = summary.add_ratings();
  rating->set_rating(4);
  rating->set_count(2);
  ApplyDisclosureControl(summary, PolicyOf("suppress ratings\n"));
  ASSERT_EQ(summary.ratings_size(), 5);
  for (int r = 0; r < 5; ++r) {
    EXPECT_EQ(summary.ratings(r).rating(), r + 1);
    EXPECT_EQ(summary.ratings(r).count(), 0);
  }
  EXPECT_THAT(summary.suppressed(),
              ElementsAre("ratings.1", "ratings.2", "ratings.3", "ratings.4", "ratings.5"));
  // Shown zeros stay unlisted.
  v1::QuarterSummary shown;
  shown.add_ratings()->set_rating(4);
  shown.mutable_ratings(0)->set_count(9);
  ApplyDisclosureControl(shown, PolicyOf("suppress ratings\n"));
  EXPECT_EQ(shown.ratings_size(), 1);
  EXPECT_THAT(shown.suppressed(), IsEmpty());
}

TEST(DisclosureControlTest, EachGroupIsProtectedOnItsOwn) {
  // Ratings: 2 and 3 are both withheld, which protects both. Outcomes: 4 alone is withheld, so
  // 6, the only other non-zero outcome, goes too.
  v1::QuarterSummary summary;
  for (const auto& [rating, count] : std::vector<std::pair<int, int64_t>>{{1, 2}, {4, 9}, {5, 3}}) {
    v1::RatingCount* entry = summary.add_ratings();
    entry->set_rating(rating);
    entry->set_count(count);
  }
  summary.set_complaints_upheld(4);
  summary.set_complaints_not_upheld(6);
  summary.set_complaints_closed(10);
  ApplyDisclosureControl(summary, PolicyOf("suppress ratings\nsuppress complaints.outcomes\n"));
  EXPECT_THAT(
      summary.suppressed(),
      UnorderedElementsAre("complaints_upheld", "complaints_not_upheld", "ratings.1", "ratings.5"));
  EXPECT_EQ(summary.ratings(1).count(), 9);
  EXPECT_EQ(summary.complaints_closed(), 10);
}

TEST(DisclosureControlTest, PreviousQuarterIsSuppressedToo) {
  v1::QuarterSummary summary;
  *summary.add_advocacy() = Cla({0, 0, 20, 0, 0});
  *summary.mutable_previous_quarter()->add_advocacy() = Cla({1, 0, 12, 0, 0});
  ApplyDisclosureControl(summary, DisclosurePolicy());
  EXPECT_THAT(summary.suppressed(), IsEmpty());
  EXPECT_EQ(summary.advocacy(0).age_bands(2).referrals(), 20);
  const v1::QuarterSummary& previous = summary.previous_quarter();
  EXPECT_THAT(previous.suppressed(), UnorderedElementsAre(std::string(kCla) + ".age_band.0-4",
                                                          std::string(kCla) + ".age_band.10-15"));
  EXPECT_EQ(previous.advocacy(0).referrals(), 13);
  EXPECT_THAT(Unexplained(previous.advocacy(0), previous), Pair(13, 2));
}

}  // namespace disclosure_test
}  // namespace
}  // namespace feedback
