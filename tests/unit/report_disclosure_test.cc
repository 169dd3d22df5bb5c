// The report of published (small-number suppressed) summaries: withheld counts are "c" in every
// format, sums with a withheld part are "c", and the advocacy age bands are shown. No server:
// the summaries are built as the server's published form would be (docs/disclosure.md).
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
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

}  // namespace report_disclosure_test
}  // namespace
}  // namespace feedback::client
