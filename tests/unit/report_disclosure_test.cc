// The report of published (small-number suppressed) summaries: withheld counts are "c" in every
// format, sums with a withheld part are "c", and the advocacy age bands are shown. No server:
// the summaries are built as the server's published form would be (docs/disclosure.md).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "service/domain/disclosure.h"
#include "tests/support/csv.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_disclosure_test {

using ::feedback::testing::ParseCsv;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPartners[] = "compliments_from_partners";

// A quarter of 2018-19 with 20 complaints, 30 family and `partners` partner compliments, and CLA
// review referrals by age band (0-4, 5-9, 10-15, 16-17, 18-25).
v1::QuarterSummary QuarterOf(int quarter, int64_t partners, const std::vector<int64_t>& bands) {
  v1::QuarterSummary s;
  s.set_financial_year(2018);
  s.set_quarter(quarter);
  s.set_complaints_received(20);
  s.set_compliments_from_families(30);
  s.set_compliments_from_partners(partners);
  v1::AdvocacyFigures* cla = s.add_advocacy();
  cla->set_meeting(v1::MEETING_CLA_REVIEW);
  const std::vector<std::string> names = {"0-4", "5-9", "10-15", "16-17", "18-25"};
  int64_t total = 0;
  for (size_t i = 0; i < bands.size(); ++i) {
    v1::AgeBandCount* band = cla->add_age_bands();
    band->set_band(names[i]);
    band->set_referrals(bands[i]);
    total += bands[i];
  }
  cla->set_referrals(total);
  return s;
}

// Marks `cell` withheld the way the server does: value 0, name in `suppressed`.
void Withhold(v1::QuarterSummary& s, const std::string& cell) { s.add_suppressed(cell); }

// Q1 exact; Q2 with partner compliments withheld; Q3 with partner compliments withheld and the
// CLA bands 5-9 (3) and 10-15 (12) withheld, 15 referrals shown.
QuarterReport PublishedReport() {
  v1::QuarterSummary q1 = QuarterOf(1, 8, {0, 0, 10, 0, 0});
  v1::QuarterSummary q2 = QuarterOf(2, 0, {0, 0, 9, 0, 0});
  Withhold(q2, kPartners);
  v1::QuarterSummary q3 = QuarterOf(3, 0, {0, 0, 0, 0, 0});
  q3.mutable_advocacy(0)->set_referrals(15);
  Withhold(q3, kPartners);
  Withhold(q3, "advocacy.MEETING_CLA_REVIEW.age_band.5-9");
  Withhold(q3, "advocacy.MEETING_CLA_REVIEW.age_band.10-15");
  *q3.mutable_previous_quarter() = q2;
  QuarterReportInput input;
  input.summaries = {q1, q2, q3};
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  EXPECT_OK(report);
  return report.ok() ? *std::move(report) : QuarterReport();
}

const ReportFigure& Figure(const QuarterReport& report, const std::string& measure) {
  for (const ReportFigure& f : report.figures) {
    if (f.measure == measure) return f;
  }
  ADD_FAILURE() << "no figure " << measure;
  static const ReportFigure kNone;
  return kNone;
}

TEST(ReportDisclosure, WithheldFiguresAndTheirSumsAreMarkedWithheld) {
  const QuarterReport report = PublishedReport();
  const ReportFigure& partners = Figure(report, kPartners);
  EXPECT_TRUE(partners.value_withheld);
  EXPECT_TRUE(partners.previous_quarter_withheld);
  EXPECT_TRUE(partners.change_withheld());
  EXPECT_TRUE(partners.year_to_date_withheld);
  EXPECT_THAT(partners.by_quarter_withheld, ElementsAre(false, true, true));
  EXPECT_EQ(partners.by_quarter[0], 8);
  // The total over sources has a withheld part; the complaints have none.
  EXPECT_TRUE(Figure(report, "compliments_total").value_withheld);
  const ReportFigure& complaints = Figure(report, "complaints_received");
  EXPECT_FALSE(complaints.value_withheld || complaints.year_to_date_withheld);
  EXPECT_EQ(complaints.year_to_date, 60);
  EXPECT_FALSE(Figure(report, "advocacy_cla_review_referrals").value_withheld);
  EXPECT_TRUE(report.chart[2].compliments_withheld);
  EXPECT_FALSE(report.chart[2].complaints_received_withheld);
}

TEST(ReportDisclosure, AgeBandsOfTheReportedQuarterWithWithheldOnes) {
  const QuarterReport report = PublishedReport();
  EXPECT_THAT(report.age_bands, ElementsAre("0-4", "5-9", "10-15", "16-17", "18-25"));
  ASSERT_EQ(report.age_band_rows.size(), 2u);  // the pilot's two meetings
  const AgeBandRow& cla = report.age_band_rows[1];
  EXPECT_EQ(cla.meeting, v1::MEETING_CLA_REVIEW);
  ASSERT_EQ(cla.referrals.size(), 5u);
  EXPECT_EQ(cla.referrals[0], 0);
  EXPECT_FALSE(cla.referrals[1].has_value());
  EXPECT_FALSE(cla.referrals[2].has_value());
  EXPECT_THAT(report.suppressed, ElementsAre(kPartners, "advocacy.MEETING_CLA_REVIEW.age_band.5-9",
                                             "advocacy.MEETING_CLA_REVIEW.age_band.10-15"));
}

TEST(ReportDisclosure, MarkdownWritesC) {
  const std::string md = RenderMarkdown(PublishedReport());
  EXPECT_THAT(md, HasSubstr("| Compliments from partner agencies | c | c | c |"));
  EXPECT_THAT(md, HasSubstr("Feedback from Partner Agencies: c compliments were received"));
  EXPECT_THAT(md, HasSubstr("| Children Looked After | 0 | c | c | 0 | 0 |"));
  EXPECT_THAT(md, HasSubstr("| Complaints received | 20 | (no change on Q2) | 60 |"));
  EXPECT_THAT(md, HasSubstr("c: withheld"));
  EXPECT_THAT(md, HasSubstr("| Q3 | 20 | c | 15 |"));
}

TEST(ReportDisclosure, CsvWritesCInEveryNumberColumn) {
  const std::vector<std::vector<std::string>> rows = ParseCsv(RenderCsv(PublishedReport()));
  bool saw_partners = false, saw_band = false;
  for (const std::vector<std::string>& row : rows) {
    if (row[4] == "figure" && row[5] == kPartners) {
      saw_partners = true;
      EXPECT_THAT(std::vector<std::string>(row.begin() + 7, row.begin() + 11),
                  ElementsAre("c", "c", "c", "c"));
    }
    if (row[4] == "age_band" && row[5] == "advocacy_cla_review_age_5_9") {
      saw_band = true;
      EXPECT_EQ(row[7], "c");
      EXPECT_THAT(row[6], HasSubstr("aged 5-9"));
    }
  }
  EXPECT_TRUE(saw_partners);
  EXPECT_TRUE(saw_band);
}

TEST(ReportDisclosure, JsonHasCStringsAndTheSuppressedList) {
  google::protobuf::Struct root;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(RenderJson(PublishedReport()), &root).ok());
  const auto& suppressed = root.fields().at("suppressed").list_value();
  ASSERT_EQ(suppressed.values_size(), 3);
  EXPECT_EQ(suppressed.values(0).string_value(), kPartners);
  std::string partners_value;
  for (const auto& section : root.fields().at("sections").list_value().values()) {
    for (const auto& figure : section.struct_value().fields().at("figures").list_value().values()) {
      const auto& fields = figure.struct_value().fields();
      if (fields.at("measure").string_value() == kPartners) {
        partners_value = fields.at("value").string_value();
      }
    }
  }
  EXPECT_EQ(partners_value, "c");
  const auto& by_age = root.fields().at("advocacyByAge").list_value();
  ASSERT_EQ(by_age.values_size(), 2);
  const auto& bands = by_age.values(1).struct_value().fields().at("bands").list_value();
  EXPECT_EQ(bands.values(1).struct_value().fields().at("referrals").string_value(), "c");
  EXPECT_EQ(bands.values(0).struct_value().fields().at("referrals").number_value(), 0);
}

TEST(ReportDisclosure, HtmlWritesCAndDrawsNoBarForAWithheldValue) {
  const std::string html = RenderHtml(PublishedReport());
  EXPECT_THAT(html, HasSubstr("<td class=\"n\">c</td>"));
  EXPECT_THAT(html, HasSubstr("Advocacy referrals by age"));
  EXPECT_THAT(html, HasSubstr("Q3 Compliments (every source): withheld"));
  EXPECT_THAT(html, Not(HasSubstr("<title>Q3 Compliments (every source): 0</title>")));
}

TEST(ReportDisclosure, AnExactReportSaysNothingAboutWithholding) {
  QuarterReportInput input;
  input.summaries = {QuarterOf(1, 8, {0, 0, 10, 0, 0})};
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  ASSERT_OK(report);
  EXPECT_THAT(RenderMarkdown(*report), Not(HasSubstr("c: withheld")));
  EXPECT_THAT(RenderMarkdown(*report), HasSubstr("| Children Looked After | 0 | 0 | 10 | 0 | 0 |"));
}

// ---------------------------------------------------------------------------------------------
// Audits and chairs' oversight withheld

// Q3 exact: one CP conference outcome (an escalation); LAC reviews 33 outcomes, 1 escalation,
// 29 no concerns, 3 commendations; audits: 3 in YOS (outstanding, good, inadequate), 1 in social
// care (good). Put in published form by the server's own rules under a policy that suppresses
// the outcomes and the grades and counts of audits.
v1::QuarterSummary WithheldOversightQuarter() {
  v1::QuarterSummary s;
  s.set_financial_year(2018);
  s.set_quarter(3);
  for (auto [area, grades] :
       {std::pair{v1::SERVICE_AREA_SOCIAL_CARE, std::vector<int64_t>{0, 1, 0, 0}},
        std::pair{v1::SERVICE_AREA_YOUTH_OFFENDING, std::vector<int64_t>{1, 1, 0, 1}}}) {
    v1::QaActivityFigures* q = s.add_qa_activity();
    q->set_activity(v1::QA_ACTIVITY_CASE_FILE_AUDIT);
    q->set_service_area(area);
    int64_t count = 0;
    for (size_t g = 0; g < grades.size(); ++g) {
      v1::QaGradeCount* grade = q->add_grades();
      grade->set_grade(static_cast<v1::QaGrade>(g + 1));
      grade->set_count(grades[g]);
      count += grades[g];
    }
    q->set_count(count);
  }
  v1::OversightFigures* cp = s.add_oversight();
  cp->set_group(v1::OVERSIGHT_GROUP_CP_CONFERENCES);
  cp->set_count(1);
  cp->set_escalations(1);
  v1::OversightFigures* lac = s.add_oversight();
  lac->set_group(v1::OVERSIGHT_GROUP_LAC_REVIEWS);
  lac->set_count(33);
  lac->set_escalations(1);
  lac->set_no_concerns(29);
  lac->set_commendations(3);
  absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse(
      "suppress oversight.outcomes\nsuppress qa.grades\nsuppress qa.count\n", "policy");
  EXPECT_OK(policy);
  ApplyDisclosureControl(s, *policy);
  return s;
}

QuarterReport WithheldOversightReport() {
  QuarterReportInput input;
  v1::QuarterSummary q1, q2;
  q1.set_financial_year(2018);
  q1.set_quarter(1);
  q2.set_financial_year(2018);
  q2.set_quarter(2);
  input.summaries = {q1, q2, WithheldOversightQuarter()};
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  EXPECT_OK(report);
  return report.ok() ? *std::move(report) : QuarterReport();
}

TEST(ReportDisclosure, WithheldOutcomesPrintNoPercentageInMarkdown) {
  const std::string md = RenderMarkdown(WithheldOversightReport());
  // The single CP escalation is not "100%", and the LAC escalation is not 33 - 29 - 3.
  EXPECT_THAT(md, HasSubstr("CP conferences: c escalations, c no concerns, c commendations"));
  EXPECT_THAT(md, HasSubstr("LAC reviews: c escalations, 88% no concerns, c commendations"));
  EXPECT_THAT(md, HasSubstr("| LAC reviews | 33 | c | 29 (88%) | c |"));
  EXPECT_THAT(md, HasSubstr("| CP conferences | 1 | c | c | c |"));
  EXPECT_THAT(md, Not(HasSubstr("100%")));
  EXPECT_THAT(md, Not(HasSubstr("3%")));
  // The audits: each division's count and the division's total withheld.
  EXPECT_THAT(md, HasSubstr("There were c audits across the division in Q3"));
  EXPECT_THAT(md, HasSubstr("c in YOS"));
  EXPECT_THAT(md, Not(HasSubstr("3 in YOS")));
  EXPECT_THAT(md, HasSubstr("c: withheld"));
}

TEST(ReportDisclosure, WithheldOutcomesPrintNoPercentageInHtml) {
  const std::string html = RenderHtml(WithheldOversightReport());
  EXPECT_THAT(html, HasSubstr("LAC reviews: c escalations, 88% no concerns, c commendations"));
  EXPECT_THAT(html, HasSubstr("<td class=\"n\">29 (88%)</td>"));
  EXPECT_THAT(html, Not(HasSubstr("100% escalations")));  // (the stylesheet has widths of 100%)
  EXPECT_THAT(html, Not(HasSubstr("(100%)")));
  EXPECT_THAT(html, Not(HasSubstr("3% escalations")));
  EXPECT_THAT(html, Not(HasSubstr("(3%)")));
}

TEST(ReportDisclosure, WithheldOutcomesAreCInCsv) {
  const std::vector<std::vector<std::string>> rows = ParseCsv(RenderCsv(WithheldOversightReport()));
  std::map<std::string, std::string> value;
  for (const std::vector<std::string>& row : rows) {
    if (row.size() > 7) value[row[5]] = row[7];
  }
  EXPECT_EQ(value["oversight_cp_conferences"], "1");
  EXPECT_EQ(value["oversight_cp_conferences_escalations"], "c");
  EXPECT_EQ(value["oversight_lac_reviews_escalations"], "c");
  EXPECT_EQ(value["oversight_lac_reviews_no_concerns"], "29");
  EXPECT_EQ(value["oversight_lac_reviews_commendations"], "c");
  EXPECT_EQ(value["qa_case_file_audits_youth_offending"], "c");
  EXPECT_EQ(value["qa_case_file_audits"], "c");
}

TEST(ReportDisclosure, WithheldOutcomesHaveCPercentagesInJson) {
  google::protobuf::Struct root;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(RenderJson(WithheldOversightReport()), &root)
          .ok());
  bool saw_cp = false;
  for (const auto& section : root.fields().at("sections").list_value().values()) {
    const auto& fields = section.struct_value().fields();
    if (!fields.contains("oversight")) continue;
    for (const auto& row : fields.at("oversight").list_value().values()) {
      const auto& r = row.struct_value().fields();
      if (r.at("group").string_value() != "OVERSIGHT_GROUP_CP_CONFERENCES") continue;
      saw_cp = true;
      EXPECT_EQ(r.at("count").number_value(), 1);
      EXPECT_EQ(r.at("escalations").string_value(), "c");
      EXPECT_EQ(r.at("escalationsPercent").string_value(), "c");
      EXPECT_EQ(r.at("noConcernsPercent").string_value(), "c");
    }
  }
  EXPECT_TRUE(saw_cp);
}

}  // namespace report_disclosure_test
}  // namespace
}  // namespace feedback::client
