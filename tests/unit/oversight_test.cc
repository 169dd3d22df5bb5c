// Independent chairs' oversight as pure rules and pure rendering (issue 13): what a chair may
// record, which meetings are grouped together, how a quarter's outcomes become its figures, and
// the report's "QA through Independent Chairs" section with the seed's sentences ("LAC reviews:
// 3% escalations, 88% no concerns, 8% commendations") in every format. No server.
#include "service/domain/oversight.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/report/report.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "service/ops/counters.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace oversight_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2018, 12, 20, 12, 0, 0), absl::UTCTimeZone());

constexpr char kLacSentence[] = "LAC reviews: 3% escalations, 88% no concerns, 8% commendations";
constexpr char kCpSentence[] = "CP conferences: 3% escalations, 97% no concerns, 0% commendations";

google::protobuf::Timestamp Ts(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

v1::ChairOversight Outcome(v1::Meeting meeting, v1::OversightOutcome outcome) {
  v1::ChairOversight oversight;
  oversight.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  oversight.set_meeting(meeting);
  oversight.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  oversight.set_outcome(outcome);
  *oversight.mutable_occurred_at() = Ts(kNow - absl::Hours(24 * 30));  // 20 November 2018: Q3
  return oversight;
}

TEST(OversightValidation, AChairedMeetingsOutcomeIsAcceptedAndOthersNameTheirField) {
  EXPECT_OK(
      ValidateOversight(Outcome(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_COMMENDATION), kNow));
  struct Case {
    std::string field;
    void (*spoil)(v1::ChairOversight&);
  };
  const std::vector<Case> cases = {
      {"oversight.submission_id", [](v1::ChairOversight& o) { o.clear_submission_id(); }},
      {"oversight.submission_id", [](v1::ChairOversight& o) { o.set_submission_id("x-1"); }},
      {"oversight.meeting", [](v1::ChairOversight& o) { o.clear_meeting(); }},
      {"oversight.meeting", [](v1::ChairOversight& o) { o.set_meeting(v1::MEETING_CIN_REVIEW); }},
      {"oversight.service_area", [](v1::ChairOversight& o) { o.clear_service_area(); }},
      {"oversight.outcome", [](v1::ChairOversight& o) { o.clear_outcome(); }},
      {"oversight.outcome",
       [](v1::ChairOversight& o) { o.set_outcome(static_cast<v1::OversightOutcome>(9)); }},
      {"oversight.strengths", [](v1::ChairOversight& o) { o.set_strengths("\xFF"); }},
      {"oversight.areas_for_development",
       [](v1::ChairOversight& o) { o.set_areas_for_development(std::string(70000, 'a')); }},
      {"oversight.occurred_at",
       [](v1::ChairOversight& o) { *o.mutable_occurred_at() = Ts(kNow + absl::Hours(2)); }},
      {"oversight.id", [](v1::ChairOversight& o) { o.set_id("co_mine"); }},
      {"oversight.alert_id", [](v1::ChairOversight& o) { o.set_alert_id("co_mine"); }},
  };
  for (const Case& c : cases) {
    v1::ChairOversight oversight =
        Outcome(v1::MEETING_INITIAL_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_ESCALATION);
    c.spoil(oversight);
    const absl::Status status = ValidateOversight(oversight, kNow);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field));
  }
}

TEST(OversightValidation, ListFiltersNeedAYearForAQuarterAndKnownValues) {
  v1::ListOversightsRequest request;
  EXPECT_OK(ValidateOversightFilters(request));
  request.set_quarter(3);
  EXPECT_THAT(ValidateOversightFilters(request).message(), HasSubstr("financial_year"));
  request.set_financial_year(2018);
  EXPECT_OK(ValidateOversightFilters(request));
  request.set_outcome(static_cast<v1::OversightOutcome>(7));
  EXPECT_THAT(ValidateOversightFilters(request).message(), HasSubstr("outcome"));
  request.set_outcome(v1::OVERSIGHT_OUTCOME_ESCALATION);
  const v1::ChairOversight commendation =
      Outcome(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_COMMENDATION);
  EXPECT_FALSE(MatchesOversightFilter(commendation, request));
  request.clear_outcome();
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  EXPECT_TRUE(MatchesOversightFilter(commendation, request));
}

TEST(OversightGroups, CpConferencesAreInitialAndReviewAndLacReviewsAreClaReviews) {
  EXPECT_EQ(OversightGroupOf(v1::MEETING_INITIAL_CP_CONFERENCE),
            v1::OVERSIGHT_GROUP_CP_CONFERENCES);
  EXPECT_EQ(OversightGroupOf(v1::MEETING_REVIEW_CP_CONFERENCE), v1::OVERSIGHT_GROUP_CP_CONFERENCES);
  EXPECT_EQ(OversightGroupOf(v1::MEETING_CLA_REVIEW), v1::OVERSIGHT_GROUP_LAC_REVIEWS);
  EXPECT_EQ(OversightGroupOf(v1::MEETING_FAMILY_GROUP_CONFERENCE), v1::OVERSIGHT_GROUP_UNSPECIFIED);
}

// The seed's Q3: LAC reviews 2 escalations, 53 no concerns, 5 commendations; CP conferences 1
// escalation (initial) and 32 no concerns (14 initial, 18 review).
std::vector<v1::ChairOversight> SeedQuarterOutcomes() {
  std::vector<v1::ChairOversight> outcomes;
  auto add = [&](v1::Meeting meeting, v1::OversightOutcome outcome, int count) {
    for (int i = 0; i < count; ++i) {
      v1::ChairOversight o = Outcome(meeting, outcome);
      if (i == 0) o.add_strength_themes("signs_of_safety");
      if (i < 2) o.add_development_themes("planning");
      outcomes.push_back(std::move(o));
    }
  };
  add(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_ESCALATION, 2);
  add(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_NO_CONCERNS, 53);
  add(v1::MEETING_CLA_REVIEW, v1::OVERSIGHT_OUTCOME_COMMENDATION, 5);
  add(v1::MEETING_INITIAL_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_ESCALATION, 1);
  add(v1::MEETING_INITIAL_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_NO_CONCERNS, 14);
  add(v1::MEETING_REVIEW_CP_CONFERENCE, v1::OVERSIGHT_OUTCOME_NO_CONCERNS, 18);
  return outcomes;
}

v1::QuarterSummary SummaryOf(const std::vector<v1::ChairOversight>& outcomes, Quarter quarter,
                             v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  EXPECT_OK(calendar);
  const CounterBook book(*calendar);
  Counters all;
  for (const v1::ChairOversight& o : outcomes) {
    for (const auto& [key, value] : book.OfOversight(o)) all[key] += value;
  }
  return CounterBook::Summarize(quarter, area, {all.begin(), all.end()});
}

TEST(OversightFigures, TheSeedQuarterCountsEachOutcomeByMeetingGroupWithTheThemes) {
  const v1::QuarterSummary summary = SummaryOf(SeedQuarterOutcomes(), {2018, 3});
  ASSERT_EQ(summary.oversight_size(), 2);
  const v1::OversightFigures& cp = summary.oversight(0);
  EXPECT_EQ(cp.group(), v1::OVERSIGHT_GROUP_CP_CONFERENCES);
  EXPECT_EQ(cp.count(), 33);
  EXPECT_EQ(cp.escalations(), 1);
  EXPECT_EQ(cp.no_concerns(), 32);
  EXPECT_EQ(cp.commendations(), 0);
  const v1::OversightFigures& lac = summary.oversight(1);
  EXPECT_EQ(lac.group(), v1::OVERSIGHT_GROUP_LAC_REVIEWS);
  EXPECT_EQ(lac.count(), 60);
  EXPECT_EQ(lac.escalations(), 2);
  EXPECT_EQ(lac.no_concerns(), 53);
  EXPECT_EQ(lac.commendations(), 5);
  // Themes across groups: each of the six batches names a strength once and planning twice.
  ASSERT_EQ(summary.oversight_strengths_size(), 1);
  EXPECT_EQ(summary.oversight_strengths(0).count(), 6);
  ASSERT_EQ(summary.oversight_areas_for_development_size(), 1);
  EXPECT_EQ(summary.oversight_areas_for_development(0).tag(), "planning");
  EXPECT_EQ(summary.oversight_areas_for_development(0).count(), 11);  // 2 escalation + 1 alone
  // Another quarter, and another division, have none of them.
  EXPECT_THAT(SummaryOf(SeedQuarterOutcomes(), {2018, 4}).oversight(), IsEmpty());
  EXPECT_THAT(SummaryOf(SeedQuarterOutcomes(), {2018, 3}, v1::SERVICE_AREA_EARLY_HELP).oversight(),
              IsEmpty());
}

// --- The report's section -----------------------------------------------------------------

client::QuarterReportInput SeedOversightInput() {
  client::QuarterReportInput input = testing::SeedInput();
  const v1::QuarterSummary figures = SummaryOf(SeedQuarterOutcomes(), {2018, 3});
  v1::QuarterSummary& q3 = input.summaries[2];
  *q3.mutable_oversight() = figures.oversight();
  *q3.mutable_oversight_strengths() = figures.oversight_strengths();
  *q3.mutable_oversight_areas_for_development() = figures.oversight_areas_for_development();
  return input;
}

const client::ReportSection& SectionOf(const client::QuarterReport& report) {
  for (const client::ReportSection& section : report.sections) {
    if (section.id == "oversight") return section;
  }
  ADD_FAILURE() << "no oversight section";
  return report.sections.front();
}

TEST(ReportOversight, ComesRightAfterTheQaSectionWithTheSeedsSentences) {
  const client::QuarterReport report = testing::Build(SeedOversightInput());
  ASSERT_GE(report.sections.size(), 3u);
  EXPECT_EQ(report.sections[0].id, "qa_activity");
  EXPECT_EQ(report.sections[1].id, "oversight");
  EXPECT_EQ(report.sections[2].id, "participation");
  const client::ReportSection& section = SectionOf(report);
  EXPECT_EQ(section.heading, "QA through Independent Chairs");
  ASSERT_THAT(section.statements, SizeIs(2));
  EXPECT_EQ(section.statements[0].measure, "oversight_lac_reviews_statement");
  EXPECT_EQ(
      section.statements[0].text,
      absl::StrCat(kLacSentence, " (60 outcomes: 2 escalations, 53 no concerns, 5 commendations)"));
  EXPECT_EQ(
      section.statements[1].text,
      absl::StrCat(kCpSentence, " (33 outcomes: 1 escalation, 32 no concerns, 0 commendations)"));
  ASSERT_THAT(section.oversight_strengths, SizeIs(1));
  EXPECT_EQ(section.oversight_strengths[0].label, "signs of safety");
}

TEST(ReportOversight, AQuarterWithoutOutcomesSaysSo) {
  const client::QuarterReport report = testing::Build(testing::SeedInput());
  const client::ReportSection& section = SectionOf(report);
  ASSERT_THAT(section.statements, SizeIs(1));
  EXPECT_EQ(section.statements[0].text,
            "No independent chairs' oversight outcomes were recorded in 2018-19 Q3.");
  EXPECT_THAT(section.oversight_rows, IsEmpty());
}

TEST(ReportOversight, EveryFormatHasTheSentencesCountsAndThemes) {
  const client::QuarterReport report = testing::Build(SeedOversightInput());
  const std::string md = client::RenderMarkdown(report);
  const size_t heading = md.find("\n## QA through Independent Chairs\n");
  ASSERT_NE(heading, std::string::npos) << md;
  EXPECT_GT(heading, md.find("## QA framework activity"));
  EXPECT_LT(heading, md.find("## Participation"));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("- ", kLacSentence)));
  EXPECT_THAT(md, HasSubstr("| LAC reviews | 60 | 2 (3%) | 53 (88%) | 5 (8%) |"));
  EXPECT_THAT(md, HasSubstr("| CP conferences | 33 | 1 (3%) | 32 (97%) | 0 (0%) |"));
  EXPECT_THAT(md, HasSubstr("| Area for development: planning | 11 |"));

  const std::string html = client::RenderHtml(report);
  EXPECT_THAT(html, HasSubstr("<section id=\"oversight\">\n<ul class=\"statements\">\n<li>"
                              "LAC reviews: 3% escalations"));
  EXPECT_THAT(html, HasSubstr("<td class=\"n\">53 (88%)</td>"));

  const std::string csv = client::RenderCsv(report);
  EXPECT_THAT(csv, HasSubstr(",oversight,oversight,oversight_lac_reviews_escalations,"
                             "LAC reviews: Escalations,2,"));
  EXPECT_THAT(csv, HasSubstr(kCpSentence));

  const std::string json = client::RenderJson(report);
  EXPECT_THAT(json, HasSubstr("\"noConcernsPercent\": \"88%\""));
  EXPECT_THAT(json, HasSubstr("\"group\": \"OVERSIGHT_GROUP_CP_CONFERENCES\""));
  EXPECT_THAT(json, HasSubstr("\"areasForDevelopment\""));
}

TEST(ReportOversight, AWithheldCountIsCAndSoAreItsPercentages) {
  client::QuarterReportInput input = SeedOversightInput();
  v1::QuarterSummary& q3 = input.summaries[2];
  q3.mutable_oversight(1)->set_escalations(0);
  q3.add_suppressed("oversight.OVERSIGHT_GROUP_LAC_REVIEWS.escalations");
  const client::QuarterReport report = testing::Build(input);
  const client::ReportSection& section = SectionOf(report);
  EXPECT_THAT(section.statements[0].text,
              HasSubstr("LAC reviews: c escalations, 88% no concerns, 8% commendations"));
  EXPECT_THAT(section.statements[0].text, HasSubstr("c escalations, 53 no concerns"));
  EXPECT_THAT(client::RenderMarkdown(report), HasSubstr("| LAC reviews | 60 | c | 53 (88%) |"));
  EXPECT_THAT(section.statements[1].text, HasSubstr(kCpSentence));
  EXPECT_THAT(client::RenderMarkdown(report), Not(HasSubstr("| LAC reviews | 60 | 2")));
}

}  // namespace oversight_test
}  // namespace
}  // namespace feedback
