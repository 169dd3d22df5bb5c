#include "client/report/escape.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/report/absl_bridge.h"

namespace feedback::client {

using report_internal::A;

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  return absl::StrCat("\"", absl::StrReplaceAll(A(text), {{"\"", "\"\""}}), "\"");
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  quoted.reserve(fields.size());
  for (const std::string& field : fields) quoted.push_back(CsvField(field));
  return absl::StrCat(absl::StrJoin(quoted, ","), "\r\n");
}

std::string SpreadsheetSafe(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    return absl::StrCat("'", A(text));
  }
  return std::string(text);
}

std::string MarkdownEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool line_start = true;  // only spaces so far on this line
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      out += c;
      line_start = true;
      continue;
    }
    if (line_start && (c == ' ' || c == '\t')) {
      out += c;
      continue;
    }
    if (line_start && absl::ascii_isdigit(c)) {
      // "1. " or "1) " at a line start is a list item: escape its punctuation.
      size_t end = i;
      while (end < text.size() && absl::ascii_isdigit(text[end])) ++end;
      out.append(text.substr(i, end - i));
      if (end < text.size() && (text[end] == '.' || text[end] == ')')) {
        out += '\\';
        out += text[end];
        ++end;
      }
      i = end - 1;
      line_start = false;
      continue;
    }
    const bool always = std::string_view("\\`*_[]<>|~&#").find(c) != std::string_view::npos;
    const bool at_start = line_start && std::string_view("+-=").find(c) != std::string_view::npos;
    if (always || at_start) out += '\\';
    out += c;
    line_start = false;
  }
  return out;
}

}  // namespace feedback::client
