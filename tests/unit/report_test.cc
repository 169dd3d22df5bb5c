// The report's way in (client/report/report.h): the --format flag and RenderReport, which gives
// each format's renderer. The figure model, each renderer and the export CSV have their own tests
// (report_figures_test.cc, report_markdown_test.cc, report_csv_test.cc, report_json_test.cc,
// report_html_test.cc, report_export_csv_test.cc). No server.
#include "client/report/report.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/support/report_input.h"

namespace feedback::client {
namespace {
namespace report_test {

using ::feedback::testing::Build;
using ::feedback::testing::kAwkwardQuote;
using ::feedback::testing::Quote;
using ::feedback::testing::SeedInput;

TEST(ReportFormatFlag, ParsesTheFourFormats) {
  EXPECT_EQ(*ParseReportFormat("md"), ReportFormat::kMarkdown);
  EXPECT_EQ(*ParseReportFormat("csv"), ReportFormat::kCsv);
  EXPECT_EQ(*ParseReportFormat("json"), ReportFormat::kJson);
  EXPECT_EQ(*ParseReportFormat("html"), ReportFormat::kHtml);
  EXPECT_FALSE(ParseReportFormat("pdf").ok());
}

TEST(ReportFormatFlag, RenderReportWritesTheReportInTheChosenFormat) {
  const QuarterReport report = Build(SeedInput({Quote(v1::SOURCE_FAMILY, kAwkwardQuote, 1)}));
  EXPECT_EQ(RenderReport(report, *ParseReportFormat("md")), RenderMarkdown(report));
  EXPECT_EQ(RenderReport(report, *ParseReportFormat("markdown")), RenderMarkdown(report));
  EXPECT_EQ(RenderReport(report, *ParseReportFormat("csv")), RenderCsv(report));
  EXPECT_EQ(RenderReport(report, *ParseReportFormat("json")), RenderJson(report));
  EXPECT_EQ(RenderReport(report, *ParseReportFormat("html")), RenderHtml(report));
}

}  // namespace report_test
}  // namespace
}  // namespace feedback::client
