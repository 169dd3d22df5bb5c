#include "client/report/report.h"

#include "absl/strings/str_cat.h"

namespace feedback::client {

absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "md" || text == "markdown") return ReportFormat::kMarkdown;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "json") return ReportFormat::kJson;
  if (text == "html") return ReportFormat::kHtml;
  return absl::InvalidArgumentError(
      absl::StrCat("--format: \"", std::string(text), "\" is not one of: md, csv, json, html"));
}

std::string RenderReport(const QuarterReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kMarkdown:
      return RenderMarkdown(report);
    case ReportFormat::kCsv:
      return RenderCsv(report);
    case ReportFormat::kJson:
      return RenderJson(report);
    case ReportFormat::kHtml:
      return RenderHtml(report);
  }
  return RenderMarkdown(report);
}

}  // namespace feedback::client
