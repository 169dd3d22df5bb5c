// The quarterly report's formats (client/report.h) from hand-built summaries: the seed report's
// sentences, change and year-to-date figures, escaping in every format, the CSV headers' stability
// and the HTML page's self-containment. No server.
#include "client/report/report.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {

using ::feedback::testing::ParseCsv;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

struct Figures {
  int64_t complaints = 0, upheld = 0, partially = 0, families = 0, partners = 0;
  int64_t icpc_referrals = 0, icpc_progressed = 0, cla_referrals = 0, cla_progressed = 0;
};

v1::QuarterSummary Summary(int quarter, const Figures& f, int financial_year = 2018) {
  v1::QuarterSummary s;
  s.set_financial_year(financial_year);
  s.set_quarter(quarter);
  s.set_complaints_received(f.complaints);
  s.set_complaints_upheld(f.upheld);
  s.set_complaints_partially_upheld(f.partially);
  s.set_compliments_from_families(f.families);
  s.set_compliments_from_partners(f.partners);
  if (f.icpc_referrals > 0) {
    v1::AdvocacyFigures* a = s.add_advocacy();
    a->set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
    a->set_referrals(f.icpc_referrals);
    a->set_progressed(f.icpc_progressed);
  }
  if (f.cla_referrals > 0) {
    v1::AdvocacyFigures* a = s.add_advocacy();
    a->set_meeting(v1::MEETING_CLA_REVIEW);
    a->set_referrals(f.cla_referrals);
    a->set_progressed(f.cla_progressed);
  }
  return s;
}

const Figures kQ1 = {.complaints = 10,
                     .upheld = 2,
                     .partially = 1,
                     .families = 12,
                     .partners = 1,
                     .icpc_referrals = 5,
                     .icpc_progressed = 1,
                     .cla_referrals = 3,
                     .cla_progressed = 2};
const Figures kQ2 = {.complaints = 23,
                     .upheld = 4,
                     .partially = 2,
                     .families = 26,
                     .partners = 2,
                     .icpc_referrals = 20,
                     .icpc_progressed = 4,
                     .cla_referrals = 10,
                     .cla_progressed = 7};
// The seed report's Q3: 26 complaints (7 upheld or partially upheld), 31 family compliments,
// 4 partner compliments, ICPC advocacy 27 referrals (6 progressed), CLA 13 (9).
const Figures kQ3 = {.complaints = 26,
                     .upheld = 5,
                     .partially = 2,
                     .families = 31,
                     .partners = 4,
                     .icpc_referrals = 27,
                     .icpc_progressed = 6,
                     .cla_referrals = 13,
                     .cla_progressed = 9};

ReportQuote Quote(v1::Source source, std::string text, int64_t at, std::string id = "fb_1") {
  ReportQuote q;
  q.id = std::move(id);
  q.source = source;
  q.kind = v1::KIND_COMPLIMENT;
  q.meeting = v1::MEETING_INITIAL_CP_CONFERENCE;
  q.text = std::move(text);
  q.occurred_at_seconds = at;
  return q;
}

// 2018-19 Q1..Q3 as the server returns them (Q3 carries Q2 as previous_quarter), with quotes.
QuarterReportInput SeedInput(std::vector<ReportQuote> quotes = {}) {
  QuarterReportInput input;
  input.summaries = {Summary(1, kQ1), Summary(2, kQ2), Summary(3, kQ3)};
  *input.summaries[1].mutable_previous_quarter() = Summary(4, {.complaints = 7}, 2017);
  *input.summaries[2].mutable_previous_quarter() = Summary(2, kQ2);
  input.quotes = std::move(quotes);
  return input;
}

QuarterReport Build(const QuarterReportInput& input) {
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  EXPECT_OK(report);
  return report.ok() ? *std::move(report) : QuarterReport();
}

const ReportFigure* FindFigure(const QuarterReport& report, std::string_view measure) {
  for (const ReportFigure& f : report.figures) {
    if (f.measure == measure) return &f;
  }
  ADD_FAILURE() << "no figure " << measure;
  return nullptr;
}

constexpr char kFamiliesSentence[] =
    "Feedback from Families: 26 complaints (7 upheld or partially upheld) and 31 compliments.";
constexpr char kPartnersSentence[] =
    "Feedback from Partner Agencies: 4 compliments were received from partner agencies";
constexpr char kIcpcSentence[] =
    "Advocacy \xE2\x80\x93 Initial Child Protection Conference \xE2\x80\x93 27 referrals (6 "
    "progressed to advocacy support at conference)";
constexpr char kClaSentence[] =
    "Advocacy for Children Looked After \xE2\x80\x93 13 Referrals (9 progressed to advocacy "
    "support)";
// Every character each format must escape, and a line break.
constexpr char kAwkwardQuote[] = "She said \"it's <b>fine</b>\" & *meant* it, [really]\n- honestly";

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
  ASSERT_THAT(report.sections, SizeIs(4));
  EXPECT_EQ(report.sections[0].id, "participation");
  ASSERT_THAT(report.sections[0].quotes, SizeIs(1));
  EXPECT_EQ(report.sections[0].quotes[0].text, "child statement");
  EXPECT_EQ(report.sections[1].id, "families");
  ASSERT_THAT(report.sections[1].quotes, SizeIs(2));
  EXPECT_EQ(report.sections[1].quotes[0].text, "first family");
  EXPECT_EQ(report.sections[1].quotes[1].text, "second family");
  EXPECT_EQ(report.sections[2].id, "partners");
  ASSERT_THAT(report.sections[2].quotes, SizeIs(1));
}

TEST(ReportMarkdown, HasTheSeedSentencesChangesYearToDateAndQuotes) {
  const std::string md = RenderMarkdown(Build(SeedInput(
      {Quote(v1::SOURCE_FAMILY,
             "Chairperson was fair and inclusive, and she challenged everyone involved to justify "
             "their comments and suggestions.",
             100)})));
  EXPECT_THAT(md, HasSubstr("## Participation \xE2\x80\x93 Advocacy Pilot\n"));
  EXPECT_THAT(md, HasSubstr("## Feedback\n"));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("\n", kFamiliesSentence, "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("\n", kPartnersSentence, "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("- ", kIcpcSentence, "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("- ", kClaSentence, "\n")));
  EXPECT_THAT(md, HasSubstr("| Complaints received | 26 | (+3 on Q2) | 59 |\n"));
  EXPECT_THAT(md, HasSubstr("| Complaints upheld or partially upheld | 7 | (+1 on Q2) | 16 |\n"));
  EXPECT_THAT(md, HasSubstr("| Compliments from partner agencies | 4 | (+2 on Q2) | 7 |\n"));
  EXPECT_THAT(md, HasSubstr("| Complaints withdrawn | 0 | (no change on Q2) | 0 |\n"));
  EXPECT_THAT(md, HasSubstr("> Chairperson was fair and inclusive, and she challenged everyone "
                            "involved to justify their comments and suggestions.\n"));
  // The year so far, by quarter; Q4 is not reported yet.
  EXPECT_THAT(md, HasSubstr("| Q3 | 26 | 35 | 40 |\n"));
  EXPECT_THAT(md, HasSubstr("| Q4 | \xE2\x80\x93 | \xE2\x80\x93 | \xE2\x80\x93 |\n"));
}

TEST(ReportMarkdown, EscapesQuotesSoTheyStayText) {
  const std::string md =
      RenderMarkdown(Build(SeedInput({Quote(v1::SOURCE_FAMILY, kAwkwardQuote, 1)})));
  EXPECT_THAT(md, HasSubstr("> She said \"it's \\<b\\>fine\\</b\\>\" \\& \\*meant\\* it, "
                            "\\[really\\]\\\n> \\- honestly\n"));
}

TEST(ReportEscaping, Markdown) {
  EXPECT_EQ(MarkdownEscape("plain, words. (ok)!"), "plain, words. (ok)!");
  EXPECT_EQ(MarkdownEscape("a*b_c`d\\e|f~g#h"), "a\\*b\\_c\\`d\\\\e\\|f\\~g\\#h");
  EXPECT_EQ(MarkdownEscape("<script>"), "\\<script\\>");
  EXPECT_EQ(MarkdownEscape("[link](x)"), "\\[link\\](x)");
  EXPECT_EQ(MarkdownEscape("- item\n+ item\n= rule"), "\\- item\n\\+ item\n\\= rule");
  EXPECT_EQ(MarkdownEscape("1. first\n  2) second\nin 3. words"),
            "1\\. first\n  2\\) second\nin 3. words");
  EXPECT_EQ(MarkdownEscape("a - b + c"), "a - b + c");
}

TEST(ReportEscaping, Html) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("caf\xC3\xA9 \xE2\x80\x93 ok"), "caf\xC3\xA9 \xE2\x80\x93 ok");
}

TEST(ReportEscaping, CsvFieldsFollowRfc4180) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
}

TEST(ReportEscaping, SpreadsheetSafeDisarmsFormulas) {
  EXPECT_EQ(SpreadsheetSafe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(SpreadsheetSafe("+1"), "'+1");
  EXPECT_EQ(SpreadsheetSafe("-1"), "'-1");
  EXPECT_EQ(SpreadsheetSafe("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(SpreadsheetSafe("Good, clear = thorough"), "Good, clear = thorough");
  EXPECT_EQ(SpreadsheetSafe(""), "");
}

TEST(ReportCsv, HeaderIsStable) {
  // The performance book imports these columns by name: append, never rename or reorder.
  EXPECT_STREQ(
      kReportCsvHeader,
      "period,financial_year,quarter,section,row_type,measure,label,value,previous_quarter,"
      "change,year_to_date,text");
  const std::string csv = RenderCsv(Build(SeedInput()));
  EXPECT_TRUE(absl::StartsWith(csv, absl::StrCat(kReportCsvHeader, "\r\n")));
}

TEST(ReportCsv, RowsCarryFiguresStatementsAndEscapedQuotes) {
  const std::string csv = RenderCsv(
      Build(SeedInput({Quote(v1::SOURCE_FAMILY, kAwkwardQuote, 1),
                       Quote(v1::SOURCE_PARTNER_AGENCY, "=1+1, said the partner", 2, "fb_2")})));
  // Every record ends in CRLF.
  EXPECT_TRUE(absl::EndsWith(csv, "\r\n"));
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  ASSERT_GT(rows.size(), 1u);
  const std::vector<std::string> header = absl::StrSplit(kReportCsvHeader, ',');
  bool complaints = false, families = false, icpc = false, awkward = false, formula = false;
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::vector<std::string>& r = rows[i];
    ASSERT_EQ(r.size(), header.size()) << "row " << i;
    EXPECT_EQ(r[0], "2018-19Q3");
    EXPECT_EQ(r[1], "2018");
    EXPECT_EQ(r[2], "3");
    if (r[4] == "figure" && r[5] == "complaints_received") {
      complaints = true;
      EXPECT_EQ(r[3], "families");
      EXPECT_THAT(std::vector<std::string>(r.begin() + 7, r.end()),
                  ElementsAre("26", "23", "3", "59", ""));
    }
    if (r[4] == "statement" && r[5] == "families_statement") {
      families = true;
      EXPECT_EQ(r[11], kFamiliesSentence);
    }
    if (r[4] == "statement" && r[5] == "advocacy_initial_cp_conference_statement") {
      icpc = true;
      EXPECT_EQ(r[11], kIcpcSentence);
    }
    if (r[4] == "quote" && r[3] == "families") {
      awkward = true;
      EXPECT_EQ(r[6], "family");
      EXPECT_EQ(r[11], kAwkwardQuote);  // verbatim after RFC 4180 unquoting
    }
    if (r[4] == "quote" && r[3] == "partners") {
      formula = true;
      EXPECT_EQ(r[11], "'=1+1, said the partner");
    }
  }
  EXPECT_TRUE(complaints && families && icpc && awkward && formula);
}

TEST(ReportJson, IsProtobufJsonWithTheFiguresAndVerbatimQuotes) {
  const QuarterReport report = Build(SeedInput({Quote(v1::SOURCE_FAMILY, kAwkwardQuote, 1)}));
  const std::string json = RenderJson(report);
  EXPECT_EQ(json, RenderJson(report)) << "same report, same bytes";
  google::protobuf::Struct root;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &root).ok()) << json;
  const auto& f = root.fields();
  EXPECT_EQ(f.at("period").string_value(), "2018-19Q3");
  EXPECT_EQ(f.at("financialYear").number_value(), 2018);
  EXPECT_EQ(f.at("quarter").number_value(), 3);
  EXPECT_EQ(f.at("previousPeriod").string_value(), "2018-19Q2");
  const auto& sections = f.at("sections").list_value().values();
  ASSERT_EQ(sections.size(), 4);
  const auto& families = sections[1].struct_value().fields();
  EXPECT_EQ(families.at("id").string_value(), "families");
  EXPECT_EQ(families.at("statements")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("text")
                .string_value(),
            kFamiliesSentence);
  const auto& complaints = families.at("figures").list_value().values(0).struct_value().fields();
  EXPECT_EQ(complaints.at("measure").string_value(), "complaints_received");
  EXPECT_EQ(complaints.at("value").number_value(), 26);
  EXPECT_EQ(complaints.at("previousQuarter").number_value(), 23);
  EXPECT_EQ(complaints.at("change").number_value(), 3);
  EXPECT_EQ(complaints.at("yearToDate").number_value(), 59);
  EXPECT_EQ(complaints.at("byQuarter").list_value().values_size(), 3);
  const auto& quote = families.at("quotes").list_value().values(0).struct_value().fields();
  EXPECT_EQ(quote.at("text").string_value(), kAwkwardQuote);
  EXPECT_EQ(quote.at("source").string_value(), "SOURCE_FAMILY");
  const auto& chart = f.at("chart").list_value().values();
  ASSERT_EQ(chart.size(), 4);
  EXPECT_EQ(chart[2].struct_value().fields().at("advocacyReferrals").number_value(), 40);
  EXPECT_TRUE(chart[3].struct_value().fields().at("complaintsReceived").has_null_value());
}

TEST(ReportHtml, IsOneSelfContainedPageWithAnInlineChart) {
  const std::string html = RenderHtml(
      Build(SeedInput({Quote(v1::SOURCE_FAMILY, "<script>alert('x')</script> & \"more\"", 1)})));
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>\n"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("<svg "));
  EXPECT_THAT(html, HasSubstr("</svg>"));
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
  // Nothing to fetch: no URL, stylesheet link, script, image, font or import.
  for (const std::string external :
       {"http", "//", "src=", "href", "url(", "@import", "<link", "<script", "<img", "<iframe"}) {
    EXPECT_THAT(html, Not(HasSubstr(external))) << external;
  }
  EXPECT_THAT(html,
              HasSubstr("<blockquote><p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                        "&quot;more&quot;</p></blockquote>"));
  EXPECT_THAT(html, HasSubstr(kFamiliesSentence));
  EXPECT_THAT(html, HasSubstr(std::string(kPartnersSentence)));
  EXPECT_THAT(html, HasSubstr(std::string(kIcpcSentence)));
  EXPECT_THAT(html, HasSubstr(std::string(kClaSentence)));
}

TEST(ReportHtml, ChartHasThreeBarsPerReportedQuarterAndNoneAfter) {
  const std::string html = RenderHtml(Build(SeedInput()));
  const size_t q3 = html.find("data-quarter=\"3\"");
  const size_t q4 = html.find("data-quarter=\"4\"");
  ASSERT_NE(q3, std::string::npos);
  ASSERT_NE(q4, std::string::npos);
  const std::string q3_group = html.substr(q3, q4 - q3);
  EXPECT_THAT(q3_group, HasSubstr("<title>Q3 Complaints received: 26</title>"));
  EXPECT_THAT(q3_group, HasSubstr("<title>Q3 Compliments (every source): 35</title>"));
  EXPECT_THAT(q3_group, HasSubstr("<title>Q3 Advocacy referrals: 40</title>"));
  const std::string q4_group = html.substr(q4, html.find("</g>", q4) - q4);
  EXPECT_THAT(q4_group, Not(HasSubstr("<rect")));
  EXPECT_THAT(q4_group, HasSubstr("not yet reported"));
}

TEST(ReportFormatFlag, ParsesTheFourFormats) {
  EXPECT_EQ(*ParseReportFormat("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(*ParseReportFormat("csv"), ReportFormat::kCsv);
  EXPECT_EQ(*ParseReportFormat("json"), ReportFormat::kJson);
  EXPECT_EQ(*ParseReportFormat("html"), ReportFormat::kHtml);
  EXPECT_FALSE(ParseReportFormat("pdf").ok());
}

TEST(ReportExportCsv, HeaderIsStableAndRowsRoundTrip) {
  EXPECT_STREQ(kExportCsvHeader,
               "id,submission_id,occurred_at,received_at,source,kind,meeting,service_area,rating,"
               "consent_to_quote,complaint_stage,complaint_outcome,tags,advocacy_referral_id,"
               "child_confirmed,text");
  v1::Feedback f;
  f.set_id("fb_1");
  f.set_submission_id("0f5e");
  f.set_source(v1::SOURCE_FAMILY);
  f.set_kind(v1::KIND_COMPLAINT);
  f.set_meeting(v1::MEETING_CLA_REVIEW);
  f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  f.set_consent_to_quote(true);
  f.set_complaint_stage(v1::COMPLAINT_STAGE_2);
  f.set_complaint_outcome(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD);
  f.add_tags("complaint");
  f.add_tags("consent_to_quote");
  f.mutable_occurred_at()->set_seconds(1538350200);  // 2018-09-30T23:30:00Z
  f.set_text(kAwkwardQuote);
  const std::string row = ExportCsvRow(f);
  EXPECT_TRUE(absl::EndsWith(row, "\r\n"));
  const std::vector<std::vector<std::string>> rows =
      ParseCsv(absl::StrCat(kExportCsvHeader, "\r\n", row));
  ASSERT_THAT(rows, SizeIs(2));
  const std::vector<std::string> want = {"fb_1",
                                         "0f5e",
                                         "2018-09-30T23:30:00Z",
                                         "",
                                         "family",
                                         "complaint",
                                         "cla-review",
                                         "social-care",
                                         "",
                                         "true",
                                         "2",
                                         "partially-upheld",
                                         "complaint;consent_to_quote",
                                         "",
                                         "false",
                                         kAwkwardQuote};
  EXPECT_EQ(rows[1], want);
}

}  // namespace
}  // namespace feedback::client
