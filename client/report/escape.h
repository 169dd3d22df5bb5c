// Escaping for the report's formats, one function per format. Each keeps the text's meaning:
// the reader sees exactly the input. Every renderer and the export CSV escape through these and
// nothing else.
#ifndef FEEDBACK_CLIENT_REPORT_ESCAPE_H_
#define FEEDBACK_CLIENT_REPORT_ESCAPE_H_

#include <string>
#include <string_view>
#include <vector>

namespace feedback::client {

// & < > " ' as character references.
std::string HtmlEscape(std::string_view text);
// One RFC 4180 field: quoted (with "" for ") when it holds , " CR or LF, else as is.
std::string CsvField(std::string_view text);
// One RFC 4180 record: each field as CsvField, joined with commas, ending in CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);
// Free text bound for a spreadsheet: a leading = + - @ TAB or CR gets a ' before it, so the
// performance book never evaluates a quote as a formula. Otherwise unchanged.
std::string SpreadsheetSafe(std::string_view text);
// Markdown inline text: backslash before \ ` * _ [ ] < > | ~ & #, and before a line-leading
// + - = or the . or ) of a line-leading number, so no quote becomes markup. Line breaks are kept
// as hard breaks ("\" before the newline) within a block quote by the caller.
std::string MarkdownEscape(std::string_view text);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_ESCAPE_H_
