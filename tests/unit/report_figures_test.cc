// The report's figure model (client/report/model.h, sentences.h): from a financial year's
// QuarterSummary values to the figures, chart bars and sentences the report states, the same in
// every format. Every expectation is computed from the input summaries. No server.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_figures_test {

using ::feedback::testing::Build;
using ::feedback::testing::Compliments;
using ::feedback::testing::FindFigure;
using ::feedback::testing::kClaSentence;
using ::feedback::testing::kFamiliesSentence;
using ::feedback::testing::kIcpcSentence;
using ::feedback::testing::kPartnersSentence;
using ::feedback::testing::kQ1;
using ::feedback::testing::kQ2;
using ::feedback::testing::kQ3;
using ::feedback::testing::Quote;
using ::feedback::testing::Referrals;
using ::feedback::testing::SeedInput;
using ::feedback::testing::Summary;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

// Every int64 field of `s` set to a value of its own (seed + 3 * field number), so that a figure
// read from the wrong field or quarter shows; plus advocacy for three meetings.
v1::QuarterSummary Distinct(int financial_year, int quarter, int64_t seed) {
  v1::QuarterSummary s;
  s.set_financial_year(financial_year);
  s.set_quarter(quarter);
  const google::protobuf::Descriptor* type = s.GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (field->is_repeated() ||
        field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64)
      continue;
    s.GetReflection()->SetInt64(&s, field, seed + 3 * field->number());
  }
  const v1::Meeting meetings[] = {v1::MEETING_INITIAL_CP_CONFERENCE, v1::MEETING_CLA_REVIEW,
                                  v1::MEETING_REVIEW_CP_CONFERENCE};
  for (int m = 0; m < 3; ++m) {
    v1::AdvocacyFigures* a = s.add_advocacy();
    a->set_meeting(meetings[m]);
    a->set_referrals(seed + 10 * (m + 1));
    a->set_progressed(seed / 2 + m + 1);
  }
  return s;
}

// 2018-19 Q1..Q3 of Distinct summaries; Q3's previous quarter is Q2.
QuarterReportInput DistinctYear() {
  QuarterReportInput input;
  input.summaries = {Distinct(2018, 1, 100), Distinct(2018, 2, 200), Distinct(2018, 3, 300)};
  *input.summaries[2].mutable_previous_quarter() = input.summaries[1];
  return input;
}

int64_t Int64Field(const v1::QuarterSummary& s, const std::string& name) {
  return s.GetReflection()->GetInt64(s, s.GetDescriptor()->FindFieldByName(name));
}

const v1::AdvocacyFigures& Advocacy(const v1::QuarterSummary& s, v1::Meeting meeting) {
  for (const v1::AdvocacyFigures& a : s.advocacy()) {
    if (a.meeting() == meeting) return a;
  }
  ADD_FAILURE() << "no advocacy for " << v1::Meeting_Name(meeting);
  return v1::AdvocacyFigures::default_instance();
}

TEST(ReportStatements, UseTheSeedReportsOwnPhrasing) {
  EXPECT_EQ(FamiliesStatement(26, 7, 31), kFamiliesSentence);
  EXPECT_EQ(PartnersStatement(4), kPartnersSentence);
  EXPECT_EQ(AdvocacyStatement(v1::MEETING_INITIAL_CP_CONFERENCE, 27, 6), kIcpcSentence);
  EXPECT_EQ(AdvocacyStatement(v1::MEETING_CLA_REVIEW, 13, 9), kClaSentence);
  EXPECT_EQ(AdvocacyStatement(v1::MEETING_REVIEW_CP_CONFERENCE, 2, 1),
            "Advocacy \xE2\x80\x93 Review Child Protection Conference \xE2\x80\x93 2 referrals (1 "
            "progressed to advocacy support)");
}

TEST(ReportStatements, SayOneInTheSingular) {
  EXPECT_EQ(FamiliesStatement(1, 0, 1),
            "Feedback from Families: 1 complaint (0 upheld or partially upheld) and 1 compliment.");
  EXPECT_EQ(PartnersStatement(1),
            "Feedback from Partner Agencies: 1 compliment was received from partner agencies");
  EXPECT_THAT(AdvocacyStatement(v1::MEETING_CLA_REVIEW, 1, 0), HasSubstr(" 1 Referral (0 "));
  EXPECT_EQ(FamiliesStatement(0, 0, 0),
            "Feedback from Families: 0 complaints (0 upheld or partially upheld) and 0 "
            "compliments.");
}

TEST(ReportStatements, ChangeTextIsSignedAndNamesTheQuarter) {
  EXPECT_EQ(ChangeText(26, 23, "Q2"), "(+3 on Q2)");
  EXPECT_EQ(ChangeText(4, 6, "Q2"), "(-2 on Q2)");
  EXPECT_EQ(ChangeText(5, 5, "Q2"), "(no change on Q2)");
  EXPECT_EQ(ChangeText(3, 0, "2017-18 Q4"), "(+3 on 2017-18 Q4)");
}

TEST(ReportBuild, SumsYearToDateAndTakesChangeFromPreviousQuarter) {
  const QuarterReport report = Build(SeedInput());
  EXPECT_EQ(report.period, "2018-19Q3");
  EXPECT_EQ(report.previous_period, "2018-19Q2");
  EXPECT_EQ(report.change_label, "Q2");
  EXPECT_EQ(report.title, "2018-19 Q3 (October \xE2\x80\x93 December 2018)");

  const ReportFigure* complaints = FindFigure(report, "complaints_received");
  ASSERT_NE(complaints, nullptr);
  EXPECT_EQ(complaints->value, 26);
  EXPECT_EQ(complaints->previous_quarter, 23);
  EXPECT_EQ(complaints->change(), 3);
  EXPECT_EQ(complaints->year_to_date, 10 + 23 + 26);
  EXPECT_THAT(complaints->by_quarter, ElementsAre(10, 23, 26));

  const ReportFigure* decided = FindFigure(report, "complaints_upheld_or_partially_upheld");
  ASSERT_NE(decided, nullptr);
  EXPECT_EQ(decided->value, 7);
  EXPECT_EQ(decided->year_to_date, 3 + 6 + 7);

  const ReportFigure* icpc = FindFigure(report, "advocacy_initial_cp_conference_referrals");
  ASSERT_NE(icpc, nullptr);
  EXPECT_EQ(icpc->value, 27);
  EXPECT_EQ(icpc->change(), 7);
  EXPECT_EQ(icpc->year_to_date, 52);
  const ReportFigure* cla = FindFigure(report, "advocacy_cla_review_progressed");
  ASSERT_NE(cla, nullptr);
  EXPECT_EQ(cla->value, 9);
  EXPECT_EQ(cla->year_to_date, 18);

  const ReportFigure* compliments = FindFigure(report, "compliments_total");
  ASSERT_NE(compliments, nullptr);
  EXPECT_EQ(compliments->value, 35);
  EXPECT_EQ(compliments->year_to_date, 13 + 28 + 35);

  ASSERT_THAT(report.chart, SizeIs(4));
  EXPECT_EQ(report.chart[2].complaints_received, 26);
  EXPECT_EQ(report.chart[2].compliments, 35);
  EXPECT_EQ(report.chart[2].advocacy_referrals, 40);
  EXPECT_FALSE(report.chart[3].complaints_received.has_value());
}

TEST(ReportBuild, FirstQuarterComparesWithTheLastQuarterOfThePreviousYear) {
  QuarterReportInput input;
  input.summaries = {Summary(1, kQ1)};
  *input.summaries[0].mutable_previous_quarter() = Summary(4, {.complaints = 12}, 2017);
  const QuarterReport report = Build(input);
  EXPECT_EQ(report.previous_period, "2017-18Q4");
  EXPECT_EQ(report.change_label, "2017-18 Q4");
  const ReportFigure* complaints = FindFigure(report, "complaints_received");
  ASSERT_NE(complaints, nullptr);
  EXPECT_EQ(complaints->year_to_date, 10);
  EXPECT_THAT(RenderMarkdown(report), HasSubstr("(-2 on 2017-18 Q4)"));
}

TEST(ReportBuild, RejectsSummariesThatAreNotQ1ToQnOfOneYear) {
  EXPECT_FALSE(BuildQuarterReport({}).ok());
  QuarterReportInput gap;
  gap.summaries = {Summary(1, kQ1), Summary(3, kQ3)};
  EXPECT_FALSE(BuildQuarterReport(gap).ok());
  QuarterReportInput mixed;
  mixed.summaries = {Summary(1, kQ1), Summary(2, kQ2, 2019)};
  EXPECT_FALSE(BuildQuarterReport(mixed).ok());
  QuarterReportInput five;
  five.summaries = {Summary(1, kQ1), Summary(2, kQ1), Summary(3, kQ1), Summary(4, kQ1),
                    Summary(5, kQ1)};
  EXPECT_FALSE(BuildQuarterReport(five).ok());
}

TEST(ReportBuild, OtherMeetingsAppearOnlyWhenTheyHadReferrals) {
  QuarterReportInput input = SeedInput();
  EXPECT_THAT(RenderMarkdown(Build(input)), Not(HasSubstr("Review Child Protection")));
  v1::AdvocacyFigures* review = input.summaries[0].add_advocacy();
  review->set_meeting(v1::MEETING_REVIEW_CP_CONFERENCE);
  review->set_referrals(2);
  const QuarterReport report = Build(input);
  const ReportFigure* figure = FindFigure(report, "advocacy_review_cp_conference_referrals");
  ASSERT_NE(figure, nullptr);
  EXPECT_EQ(figure->value, 0);
  EXPECT_EQ(figure->year_to_date, 2);
}

TEST(ReportBuild, QuotesGoToTheirGiversSectionOldestFirst) {
  const QuarterReport report =
      Build(SeedInput({Quote(v1::SOURCE_FAMILY, "second family", 200, "fb_b"),
                       Quote(v1::SOURCE_PARTNER_AGENCY, "partner", 150, "fb_c"),
                       Quote(v1::SOURCE_FAMILY, "first family", 100, "fb_a"),
                       Quote(v1::SOURCE_ADVOCATE, "child statement", 120, "fb_d")}));
  ASSERT_THAT(report.sections, SizeIs(6));
  EXPECT_EQ(report.sections[0].id, "qa_activity");  // the QA framework first (issue 13)
  EXPECT_THAT(report.sections[0].quotes, ::testing::IsEmpty());
  EXPECT_EQ(report.sections[1].id, "oversight");  // then QA through Independent Chairs
  EXPECT_THAT(report.sections[1].quotes, ::testing::IsEmpty());
  EXPECT_EQ(report.sections[2].id, "participation");
  ASSERT_THAT(report.sections[2].quotes, SizeIs(1));
  EXPECT_EQ(report.sections[2].quotes[0].text, "child statement");
  EXPECT_EQ(report.sections[3].id, "families");
  ASSERT_THAT(report.sections[3].quotes, SizeIs(2));
  EXPECT_EQ(report.sections[3].quotes[0].text, "first family");
  EXPECT_EQ(report.sections[3].quotes[1].text, "second family");
  EXPECT_EQ(report.sections[4].id, "partners");
  ASSERT_THAT(report.sections[4].quotes, SizeIs(1));
}

TEST(ReportFigures, EachFieldFigureIsTheQuartersFieldItsChangeAndItsSum) {
  const QuarterReportInput input = DistinctYear();
  const QuarterReport report = Build(input);
  const v1::QuarterSummary& current = input.summaries.back();
  const v1::QuarterSummary& previous = current.previous_quarter();
  int checked = 0;
  for (const ReportFigure& f : report.figures) {
    if (current.GetDescriptor()->FindFieldByName(f.measure) == nullptr) continue;
    SCOPED_TRACE(f.measure);
    ++checked;
    std::vector<int64_t> by_quarter;
    int64_t sum = 0;
    for (const v1::QuarterSummary& s : input.summaries) {
      by_quarter.push_back(Int64Field(s, f.measure));
      sum += by_quarter.back();
    }
    EXPECT_EQ(f.value, Int64Field(current, f.measure));
    EXPECT_EQ(f.previous_quarter, Int64Field(previous, f.measure));
    EXPECT_EQ(f.change(), Int64Field(current, f.measure) - Int64Field(previous, f.measure));
    EXPECT_EQ(f.year_to_date, sum);
    EXPECT_THAT(f.by_quarter, ElementsAreArray(by_quarter));
    EXPECT_FALSE(f.value_withheld || f.previous_quarter_withheld || f.year_to_date_withheld);
  }
  EXPECT_GE(checked, 15) << "the figures read straight from a QuarterSummary field";
}

TEST(ReportFigures, TotalsAreTheSumsOfTheirPartsInEveryColumn) {
  const QuarterReport report = Build(DistinctYear());
  auto columns = [](const ReportFigure* f) {
    std::vector<int64_t> all = {f->value, f->previous_quarter, f->year_to_date};
    all.insert(all.end(), f->by_quarter.begin(), f->by_quarter.end());
    return all;
  };
  auto sum_of = [&](const std::vector<std::string>& measures) {
    std::vector<int64_t> total;
    for (const std::string& measure : measures) {
      const ReportFigure* part = FindFigure(report, measure);
      if (part == nullptr) return total;
      const std::vector<int64_t> values = columns(part);
      total.resize(values.size(), 0);
      for (size_t i = 0; i < values.size(); ++i) total[i] += values[i];
    }
    return total;
  };
  const std::vector<std::pair<std::string, std::vector<std::string>>> totals = {
      {"compliments_total",
       {"compliments_from_families", "compliments_from_partners", "compliments_from_children",
        "compliments_from_advocates"}},
      {"complaints_upheld_or_partially_upheld",
       {"complaints_upheld", "complaints_partially_upheld"}},
      {"advocacy_referrals_total",
       {"advocacy_initial_cp_conference_referrals", "advocacy_cla_review_referrals",
        "advocacy_review_cp_conference_referrals"}},
      {"advocacy_progressed_total",
       {"advocacy_initial_cp_conference_progressed", "advocacy_cla_review_progressed",
        "advocacy_review_cp_conference_progressed"}},
  };
  for (const auto& [total, parts] : totals) {
    const ReportFigure* figure = FindFigure(report, total);
    ASSERT_NE(figure, nullptr);
    EXPECT_EQ(columns(figure), sum_of(parts)) << total;
  }
}

TEST(ReportFigures, ChartBarsAreEachQuartersTotalsAndLaterQuartersHaveNone) {
  const QuarterReportInput input = DistinctYear();
  const QuarterReport report = Build(input);
  ASSERT_THAT(report.chart, SizeIs(4));
  for (int q = 1; q <= 4; ++q) {
    SCOPED_TRACE(q);
    const ChartQuarter& bar = report.chart[q - 1];
    EXPECT_EQ(bar.quarter, q);
    if (q > static_cast<int>(input.summaries.size())) {
      EXPECT_FALSE(bar.complaints_received || bar.compliments || bar.advocacy_referrals);
      continue;
    }
    const v1::QuarterSummary& s = input.summaries[q - 1];
    EXPECT_EQ(bar.complaints_received, s.complaints_received());
    EXPECT_EQ(bar.compliments, Compliments(s));
    EXPECT_EQ(bar.advocacy_referrals, Referrals(s));
  }
}

TEST(ReportFigures, StatementsStateTheReportedQuartersFigures) {
  const QuarterReportInput input = DistinctYear();
  const QuarterReport report = Build(input);
  const v1::QuarterSummary& q3 = input.summaries.back();
  ASSERT_THAT(report.sections, SizeIs(6));
  const std::vector<ReportStatement>& participation = report.sections[2].statements;
  ASSERT_THAT(participation, SizeIs(3));  // the pilot's two meetings, then the one with referrals
  const v1::AdvocacyFigures& icpc = Advocacy(q3, v1::MEETING_INITIAL_CP_CONFERENCE);
  EXPECT_EQ(participation[0].measure, "advocacy_initial_cp_conference_statement");
  EXPECT_THAT(participation[0].text,
              HasSubstr(absl::StrCat(" ", icpc.referrals(), " referrals (", icpc.progressed(),
                                     " progressed to advocacy support at conference)")));
  const v1::AdvocacyFigures& cla = Advocacy(q3, v1::MEETING_CLA_REVIEW);
  EXPECT_THAT(participation[1].text,
              HasSubstr(absl::StrCat(" ", cla.referrals(), " Referrals (", cla.progressed(),
                                     " progressed to advocacy support)")));
  const v1::AdvocacyFigures& review = Advocacy(q3, v1::MEETING_REVIEW_CP_CONFERENCE);
  EXPECT_THAT(participation[2].text, HasSubstr("Review Child Protection Conference"));
  EXPECT_THAT(participation[2].text,
              HasSubstr(absl::StrCat(" ", review.referrals(), " referrals (", review.progressed(),
                                     " progressed to advocacy support)")));
  ASSERT_THAT(report.sections[3].statements, SizeIs(1));
  EXPECT_EQ(report.sections[3].statements[0].text,
            absl::StrCat("Feedback from Families: ", q3.complaints_received(), " complaints (",
                         q3.complaints_upheld() + q3.complaints_partially_upheld(),
                         " upheld or partially upheld) and ", q3.compliments_from_families(),
                         " compliments."));
  ASSERT_THAT(report.sections[4].statements, SizeIs(1));
  EXPECT_EQ(report.sections[4].statements[0].text,
            absl::StrCat("Feedback from Partner Agencies: ", q3.compliments_from_partners(),
                         " compliments were received from partner agencies"));
}

TEST(ReportFigures, AWithheldPartWithholdsItsSumsButNotItsNeighbours) {
  QuarterReportInput input = DistinctYear();
  v1::QuarterSummary& q3 = input.summaries.back();
  q3.set_complaints_upheld(0);  // as the server sends a withheld cell
  q3.add_suppressed("complaints_upheld");
  const QuarterReport report = Build(input);
  const ReportFigure* upheld = FindFigure(report, "complaints_upheld");
  const ReportFigure* decided = FindFigure(report, "complaints_upheld_or_partially_upheld");
  const ReportFigure* partially = FindFigure(report, "complaints_partially_upheld");
  ASSERT_TRUE(upheld != nullptr && decided != nullptr && partially != nullptr);
  for (const ReportFigure* f : {upheld, decided}) {
    SCOPED_TRACE(f->measure);
    EXPECT_TRUE(f->value_withheld);
    EXPECT_FALSE(f->previous_quarter_withheld);  // Q2 is exact
    EXPECT_TRUE(f->change_withheld());
    EXPECT_TRUE(f->year_to_date_withheld);
    EXPECT_THAT(f->by_quarter_withheld, ElementsAre(false, false, true));
  }
  EXPECT_EQ(upheld->previous_quarter, input.summaries[1].complaints_upheld());
  EXPECT_FALSE(partially->value_withheld || partially->year_to_date_withheld);
  EXPECT_EQ(partially->value, q3.complaints_partially_upheld());
  EXPECT_EQ(report.sections[3].statements[0].text,
            absl::StrCat("Feedback from Families: ", q3.complaints_received(),
                         " complaints (c upheld or partially upheld) and ",
                         q3.compliments_from_families(), " compliments."));
}

TEST(ReportFigures, AQuoteKeepsTheWordsAndWhoGaveThemFromAnItemOrAnApprovedQuote) {
  const std::string words = "She listened.\n\"Thank you\" \xF0\x9F\x99\x82";
  v1::Feedback item;
  item.set_id("fb_7");
  item.set_source(v1::SOURCE_CHILD);
  item.set_kind(v1::KIND_COMPLIMENT);
  item.set_meeting(v1::MEETING_CLA_REVIEW);
  item.set_text(words);
  item.mutable_occurred_at()->set_seconds(1538350200);
  v1::Quote approved;
  approved.set_feedback_id(item.id());
  approved.set_status(v1::QUOTE_STATUS_APPROVED);
  approved.set_source(item.source());
  approved.set_kind(item.kind());
  approved.set_meeting(item.meeting());
  approved.set_text(item.text());
  *approved.mutable_occurred_at() = item.occurred_at();
  for (const ReportQuote& quote : {QuoteFromFeedback(item), QuoteFromApproved(approved)}) {
    EXPECT_EQ(quote.id, "fb_7");
    EXPECT_EQ(quote.source, v1::SOURCE_CHILD);
    EXPECT_EQ(quote.kind, v1::KIND_COMPLIMENT);
    EXPECT_EQ(quote.meeting, v1::MEETING_CLA_REVIEW);
    EXPECT_EQ(quote.text, words);
    EXPECT_EQ(quote.occurred_at_seconds, 1538350200);
  }
  // A child's words go to the participation section.
  QuarterReportInput input = SeedInput({QuoteFromApproved(approved)});
  const QuarterReport report = Build(input);
  ASSERT_THAT(report.sections[2].quotes, SizeIs(1));
  EXPECT_EQ(report.sections[2].id, "participation");
  EXPECT_EQ(report.sections[2].quotes[0].text, words);
}

}  // namespace report_figures_test
}  // namespace
}  // namespace feedback::client
