// The quarterly feedback and participation report, and the export's CSV rows: pure functions
// from values the server returned (a financial year's QuarterSummary values, quotes, feedback
// items) to text. Nothing here makes a call, reads a clock or touches a file, so every format is
// unit-testable without a server. The column and JSON shapes are documented in
// docs/report-formats.md; change them only together with that page.
//
// This header is the way in: it brings the figure model (model.h), the sentences
// (sentences.h), the escapers (escape.h), the renderers (renderers.h: one per format) and the
// export CSV (export_csv.h).
//
// Example:
//   QuarterReportInput input;
//   input.summaries = {q1, q2, q3};  // GetQuarterSummary for 2018-19 Q1, Q2 and Q3
//   input.quotes = {QuoteFromFeedback(item)};
//   absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
//   std::string markdown = RenderReport(*report, ReportFormat::kMarkdown);
#ifndef FEEDBACK_CLIENT_REPORT_REPORT_H_
#define FEEDBACK_CLIENT_REPORT_REPORT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "client/report/escape.h"
#include "client/report/export_csv.h"
#include "client/report/model.h"
#include "client/report/renderers.h"
#include "client/report/sentences.h"

namespace feedback::client {

enum class ReportFormat { kMarkdown, kCsv, kJson, kHtml };

// "md" (or "markdown"), "csv", "json", "html"; INVALID_ARGUMENT naming --format otherwise.
[[nodiscard]] absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view text);

// The report in `format`: UTF-8 text ending in a newline.
//   kMarkdown  headings, the seed's sentences, a figure table per section, block-quoted quotes;
//              safe to show in a terminal (control characters as escapes, client/terminal_text.h).
//   kCsv       RFC 4180 (CRLF), header kReportCsvHeader, one row per figure, statement, quote,
//              late revision.
//   kJson      protobuf's JSON printer over a google.protobuf.Struct (shape in the docs).
//   kHtml      one self-contained page: inline CSS, an inline SVG chart, no external reference.
// Every format shows the publication date and every late revision note.
std::string RenderReport(const QuarterReport& report, ReportFormat format);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_REPORT_H_
