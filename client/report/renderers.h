// The report in each format, one renderer per format (markdown.cc, csv.cc, json.cc, html.cc).
// Each writes a QuarterReport (model.h) and computes nothing of its own: every figure, sentence
// and note comes from the model, and every text from the model passes through its format's
// escaper (escape.h). Each returns UTF-8 text ending in a newline, and shows the publication date
// and every late revision note. Shapes and columns: docs/report-formats.md.
#ifndef FEEDBACK_CLIENT_REPORT_RENDERERS_H_
#define FEEDBACK_CLIENT_REPORT_RENDERERS_H_

#include <string>

#include "client/report/model.h"

namespace feedback::client {

// Markdown (`feedbackctl report --format md`, the default): headings, the seed's sentences, a
// figure table per section, block-quoted quotes, a table by quarter. Quotes and labels are
// MarkdownEscape'd, so no quote becomes markup, and then the whole is made safe to show in a
// terminal (control characters as visible escapes, client/terminal_text.h).
std::string RenderMarkdown(const QuarterReport& report);

// The report CSV's header line (without its CRLF). Stable: columns are only ever appended.
inline constexpr char kReportCsvHeader[] =
    "period,financial_year,quarter,section,row_type,measure,label,value,previous_quarter,change,"
    "year_to_date,text";
// CSV for the performance book: RFC 4180 with CRLF, kReportCsvHeader, then one row per statement,
// figure, age band cell, quote, publication and late revision. A quote's text is SpreadsheetSafe,
// so a spreadsheet never evaluates it as a formula.
std::string RenderCsv(const QuarterReport& report);

// JSON (`--format json`, or `--json`): protobuf's JSON printer over a google.protobuf.Struct,
// keys sorted, the same bytes on every run. Texts (quotes included) are verbatim JSON strings; a
// withheld number is the string "c"; a quarter not yet reported is null in the chart.
std::string RenderJson(const QuarterReport& report);

// One self-contained HTML page: inline CSS, the inline SVG chart (svg_chart.h), no external
// reference of any kind. Every text from the model is HtmlEscape'd, so a quote can never become
// markup or script.
std::string RenderHtml(const QuarterReport& report);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_RENDERERS_H_
