// The report as CSV (client/report/csv.cc) and the CSV escapers (escape.h): RFC 4180 records, one
// row per figure with the model's numbers, and quotes that stay in their field and never run as
// a spreadsheet formula. Every expectation is computed from the input or the model. No server.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_csv_test {

using ::feedback::testing::Build;
using ::feedback::testing::kAwkwardQuote;
using ::feedback::testing::kFamiliesSentence;
using ::feedback::testing::kIcpcSentence;
using ::feedback::testing::ParseCsv;
using ::feedback::testing::Quote;
using ::feedback::testing::SeedInput;
using ::testing::ElementsAre;

// The report CSV's records as maps from its header's column names.
std::vector<std::map<std::string, std::string>> Records(const std::string& csv) {
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  const std::vector<std::string> header = absl::StrSplit(kReportCsvHeader, ',');
  std::vector<std::map<std::string, std::string>> records;
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].size(), header.size()) << "row " << i;
    std::map<std::string, std::string> record;
    for (size_t c = 0; c < header.size() && c < rows[i].size(); ++c) record[header[c]] = rows[i][c];
    records.push_back(std::move(record));
  }
  return records;
}

// A spreadsheet evaluates a cell that starts with one of these.
bool StartsLikeAFormula(const std::string& text) {
  return !text.empty() && std::string("=+-@\t\r").find(text[0]) != std::string::npos;
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

TEST(ReportCsv, EveryFigureIsOneRowOfItsSectionWithTheModelsNumbers) {
  const QuarterReport report = Build(SeedInput());
  std::map<std::string, std::map<std::string, std::string>> figures;  // by measure
  for (const auto& record : Records(RenderCsv(report))) {
    if (record.at("row_type") != "figure") continue;
    EXPECT_TRUE(figures.emplace(record.at("measure"), record).second)
        << "two rows for " << record.at("measure");
  }
  ASSERT_EQ(figures.size(), report.figures.size());
  for (const ReportFigure& f : report.figures) {
    SCOPED_TRACE(f.measure);
    const std::map<std::string, std::string>& row = figures[f.measure];
    EXPECT_EQ(row.at("section"), f.section);
    EXPECT_EQ(row.at("label"), f.label);
    EXPECT_EQ(row.at("value"), absl::StrCat(f.value));
    EXPECT_EQ(row.at("previous_quarter"), absl::StrCat(f.previous_quarter));
    EXPECT_EQ(row.at("change"), absl::StrCat(f.value - f.previous_quarter));
    EXPECT_EQ(row.at("year_to_date"), absl::StrCat(f.year_to_date));
  }
}

TEST(ReportCsv, QuotesStayInTheirFieldAndNeverRunAsFormulas) {
  const std::vector<std::string> texts = {
      "=HYPERLINK(\"http://example.invalid\",\"click\")",
      "+44 1234",
      "-1, said nobody",
      "@SUM(A1:A9)",
      "\tTabbed",
      "\rCarriage",
      "two\r\nlines, \"quoted\"",
      "plain words = fine",
  };
  std::vector<ReportQuote> quotes;
  for (size_t i = 0; i < texts.size(); ++i) {
    quotes.push_back(
        Quote(v1::SOURCE_FAMILY, texts[i], static_cast<int64_t>(i), absl::StrCat("fb_", i)));
  }
  const std::string csv = RenderCsv(Build(SeedInput(quotes)));
  std::vector<std::string> shown;
  for (const auto& record : Records(csv)) {
    if (record.at("row_type") == "quote") shown.push_back(record.at("text"));
  }
  ASSERT_EQ(shown.size(), texts.size()) << "one record per quote";
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(shown[i], StartsLikeAFormula(texts[i]) ? "'" + texts[i] : texts[i]);
  }
}

}  // namespace report_csv_test
}  // namespace
}  // namespace feedback::client
