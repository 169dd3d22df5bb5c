#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/report/absl_bridge.h"
#include "client/report/cells.h"
#include "client/report/escape.h"
#include "client/report/renderers.h"
#include "client/report/sentences.h"
#include "client/report/svg_chart.h"

namespace feedback::client {
namespace {

using report_internal::A;
using report_internal::AnyWithheld;
using report_internal::Cell;
using report_internal::ChangeCell;
using report_internal::IsNarrativeOnly;
using report_internal::kLateRevisionsHeading;
using report_internal::kLateRevisionsLead;
using report_internal::kOversightOutcomeLabels;
using report_internal::kWithheldNote;
using report_internal::OpensGroup;
using report_internal::OversightOutcomes;
using report_internal::OversightShare;
using report_internal::PublishedSentence;
using report_internal::QaGradeLabel;
using report_internal::QaRows;
using report_internal::S;
using report_internal::Shown;
using report_internal::SpacedQuarter;
using report_internal::Value;
using report_internal::YearToDateSpan;

constexpr char kHtmlStyle[] = R"css(
body { font-family: Arial, Helvetica, sans-serif; color: #1a1a1a; margin: 0; background: #fff; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #1d4f91; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
p.lead { color: #444; margin-top: 0; }
p.statement { font-weight: bold; }
ul.statements li { font-weight: bold; margin: 0.3rem 0; }
table { border-collapse: collapse; margin: 0.75rem 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #eef2f8; }
blockquote { margin: 0.75rem 0; padding: 0.5rem 1rem; border-left: 4px solid #1d4f91;
  background: #f5f7fb; }
blockquote p { margin: 0; white-space: pre-line; }
figure { margin: 1rem 0; }
figcaption { font-size: 0.9rem; color: #444; }
svg text { font-family: Arial, Helvetica, sans-serif; font-size: 12px; fill: #1a1a1a; }
svg .axis { stroke: #333; stroke-width: 1; }
svg .grid { stroke: #ddd; stroke-width: 1; }
svg .complaints { fill: #b2182b; }
svg .compliments { fill: #2166ac; }
svg .advocacy { fill: #1b7837; }
svg text.empty { fill: #777; font-style: italic; }
@media print { main { max-width: none; } h2 { break-after: avoid; } }
)css";

std::string HtmlFigureTable(const QuarterReport& report, std::string_view section) {
  std::string out =
      absl::StrCat("<table>\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">",
                   HtmlEscape(SpacedQuarter(report.financial_year, report.quarter)),
                   "</th><th scope=\"col\">Change on ", HtmlEscape(report.change_label),
                   "</th><th scope=\"col\">Year to date</th></tr></thead>\n<tbody>\n");
  for (const ReportFigure& f : report.figures) {
    if (f.section != section) continue;
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(f.label), "</th><td class=\"n\">",
                    Cell(f.value, f.value_withheld), "</td><td>",
                    HtmlEscape(ChangeCell(f, report.change_label)), "</td><td class=\"n\">",
                    Cell(f.year_to_date, f.year_to_date_withheld), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  return out;
}

std::string HtmlAgeBandTable(const QuarterReport& report) {
  if (report.age_bands.empty() || report.age_band_rows.empty()) return "";
  std::string out =
      absl::StrCat("<table class=\"age-bands\">\n<caption>Advocacy referrals by age, ",
                   HtmlEscape(SpacedQuarter(report.financial_year, report.quarter)),
                   "</caption>\n<thead><tr><th scope=\"col\">Meeting</th>");
  for (const std::string& band : report.age_bands) {
    absl::StrAppend(&out, "<th scope=\"col\">", HtmlEscape(band), "</th>");
  }
  absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
  for (const AgeBandRow& row : report.age_band_rows) {
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(row.label), "</th>");
    for (const Value& v : row.referrals)
      absl::StrAppend(&out, "<td class=\"n\">", Shown(v), "</td>");
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  return out;
}

// A kiosk section's most frequent themes; empty for other sections and when it has none.
std::string HtmlKioskThemes(const QuarterReport& report, const ReportSection& section) {
  if (section.kiosk_themes.empty()) return "";
  std::string out = absl::StrCat(
      "<table class=\"kiosk-themes\">\n<caption>Most frequent themes, ",
      HtmlEscape(SpacedQuarter(report.financial_year, report.quarter)),
      "</caption>\n<thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Answers</th>"
      "</tr></thead>\n<tbody>\n");
  for (const KioskTheme& theme : section.kiosk_themes) {
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(theme.label),
                    "</th><td class=\"n\">", Shown(theme.count), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  return out;
}

// An activity's checks by division and grade, with the whole division last.
std::string HtmlQaGrades(const QuarterReport& report, const QaActivityBlock& block) {
  std::string out = absl::StrCat(
      "<table class=\"qa-grades\">\n<caption>", HtmlEscape(block.noun), " by grade, ",
      HtmlEscape(SpacedQuarter(report.financial_year, report.quarter)),
      "</caption>\n<thead><tr><th scope=\"col\">Division</th><th scope=\"col\">All</th>");
  for (v1::QaGrade grade : kQaGrades) {
    absl::StrAppend(&out, "<th scope=\"col\">", HtmlEscape(QaGradeLabel(grade)), "</th>");
  }
  absl::StrAppend(&out, "<th scope=\"col\">Moderated</th></tr></thead>\n<tbody>\n");
  for (const QaDivisionRow* row : QaRows(block)) {
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(row->label), "</th><td class=\"n\">",
                    Shown(row->count), "</td>");
    for (const Value& v : row->grades) absl::StrAppend(&out, "<td class=\"n\">", Shown(v), "</td>");
    absl::StrAppend(&out, "<td class=\"n\">", Shown(row->moderated), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  return out;
}

// An activity's leading strengths and areas for improvement; empty when it has none.
std::string HtmlQaThemes(const QuarterReport& report, const QaActivityBlock& block) {
  if (block.strengths.empty() && block.areas_for_improvement.empty()) return "";
  std::string out = absl::StrCat(
      "<table class=\"qa-themes\">\n<caption>", HtmlEscape(block.noun), ": leading themes, ",
      HtmlEscape(SpacedQuarter(report.financial_year, report.quarter)),
      "</caption>\n<thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Checks</th>"
      "</tr></thead>\n<tbody>\n");
  for (const auto& [kind, themes] :
       {std::pair{"Strength: ", &block.strengths},
        std::pair{"Area for improvement: ", &block.areas_for_improvement}}) {
    for (const QaTheme& theme : *themes) {
      absl::StrAppend(&out, "<tr><th scope=\"row\">", kind, HtmlEscape(theme.label),
                      "</th><td class=\"n\">", Shown(theme.count), "</td></tr>\n");
    }
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  return out;
}

// The QA framework's section body: each activity under its own heading, then its figures (none
// when the quarter had no check).
std::string HtmlQaSection(const QuarterReport& report, const ReportSection& section) {
  std::string out;
  if (section.qa_activities.empty()) {
    for (const ReportStatement& s : section.statements) {
      absl::StrAppend(&out, "<p class=\"statement\">", HtmlEscape(s.text), "</p>\n");
    }
    return out;
  }
  for (const QaActivityBlock& block : section.qa_activities) {
    absl::StrAppend(&out, "<h3>", HtmlEscape(block.heading), "</h3>\n<p class=\"statement\">",
                    HtmlEscape(block.statement.text), "</p>\n");
    if (block.divisions.empty()) continue;
    absl::StrAppend(&out, HtmlQaGrades(report, block), HtmlQaThemes(report, block));
  }
  absl::StrAppend(&out, HtmlFigureTable(report, section.id));
  return out;
}

// QA through Independent Chairs: each meeting group's sentence, then its outcomes and the
// leading themes (no table when the quarter had no outcome).
std::string HtmlOversightSection(const QuarterReport& report, const ReportSection& section) {
  std::string out = "<ul class=\"statements\">\n";
  for (const ReportStatement& s : section.statements) {
    absl::StrAppend(&out, "<li>", HtmlEscape(s.text), "</li>\n");
  }
  absl::StrAppend(&out, "</ul>\n");
  if (section.oversight_rows.empty()) return out;
  const std::string quarter = HtmlEscape(SpacedQuarter(report.financial_year, report.quarter));
  absl::StrAppend(&out, "<table class=\"oversight\">\n<caption>Chairs&#39; oversight, ", quarter,
                  "</caption>\n<thead><tr><th scope=\"col\">Meetings</th>"
                  "<th scope=\"col\">Outcomes</th>");
  for (const char* label : kOversightOutcomeLabels) {
    absl::StrAppend(&out, "<th scope=\"col\">", label, "</th>");
  }
  absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
  for (const OversightRow& row : section.oversight_rows) {
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(row.label), "</th><td class=\"n\">",
                    Shown(row.count), "</td>");
    for (const Value& v : OversightOutcomes(row)) {
      absl::StrAppend(&out, "<td class=\"n\">", OversightShare(v, row.count), "</td>");
    }
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  if (section.oversight_strengths.empty() && section.oversight_areas.empty()) return out;
  absl::StrAppend(&out,
                  "<table class=\"oversight-themes\">\n<caption>Chairs&#39; oversight: leading "
                  "themes, ",
                  quarter,
                  "</caption>\n<thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">"
                  "Outcomes</th></tr></thead>\n<tbody>\n");
  for (const auto& [kind, themes] :
       {std::pair{"Strength: ", &section.oversight_strengths},
        std::pair{"Area for development: ", &section.oversight_areas}}) {
    for (const QaTheme& theme : *themes) {
      absl::StrAppend(&out, "<tr><th scope=\"row\">", kind, HtmlEscape(theme.label),
                      "</th><td class=\"n\">", Shown(theme.count), "</td></tr>\n");
    }
  }
  absl::StrAppend(&out, "</tbody>\n</table>\n");
  return out;
}

std::string HtmlLateRevisions(const QuarterReport& report) {
  if (report.late_revisions.empty()) return "";
  std::string out = absl::StrCat("<section id=\"late-revisions\">\n<h2>", kLateRevisionsHeading,
                                 "</h2>\n<p>", HtmlEscape(kLateRevisionsLead), "</p>\n<ul>\n");
  for (const LateRevisionNote& note : report.late_revisions) {
    absl::StrAppend(&out, "<li>", HtmlEscape(note.text), "</li>\n");
  }
  absl::StrAppend(&out, "</ul>\n</section>\n");
  return out;
}

std::string HtmlQuotes(const ReportSection& section) {
  std::string out;
  for (const ReportQuote& q : section.quotes) {
    absl::StrAppend(&out, "<blockquote><p>", HtmlEscape(q.text), "</p></blockquote>\n");
  }
  return out;
}

// Staff-written narrative: each non-empty line its own paragraph, escaped, under an h3 when it
// has a heading of its own.
std::string HtmlNarrative(const std::vector<ReportNarrative>& narrative) {
  std::string out;
  for (const ReportNarrative& n : narrative) {
    if (!n.heading.empty()) absl::StrAppend(&out, "<h3>", HtmlEscape(n.heading), "</h3>\n");
    for (absl::string_view line : absl::StrSplit(A(n.text), absl::ByAnyChar("\r\n"))) {
      line = absl::StripAsciiWhitespace(line);
      if (line.empty()) continue;
      absl::StrAppend(&out, "<p class=\"narrative\">", HtmlEscape(S(line)), "</p>\n");
    }
  }
  return out;
}

}  // namespace

std::string RenderHtml(const QuarterReport& report) {
  const std::string year = report.period.substr(0, report.period.size() - 2);
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>",
      HtmlEscape(report.heading), "</title>\n<style>", kHtmlStyle,
      "</style>\n</head>\n<body>\n<main>\n", "<h1>", HtmlEscape(report.heading), "</h1>\n",
      "<p class=\"lead\">", HtmlEscape(report.division), ". Change is on ",
      HtmlEscape(report.change_label), " (", HtmlEscape(report.previous_period),
      "); year to date is ", YearToDateSpan(report.quarter), " of ", HtmlEscape(year),
      ". Quotes are given with consent to quote, in the person&#39;s own words.</p>\n",
      report.scope_note.empty()
          ? std::string()
          : absl::StrCat("<p class=\"lead\">", HtmlEscape(report.scope_note), "</p>\n"),
      AnyWithheld(report) ? absl::StrCat("<p class=\"lead\">", HtmlEscape(kWithheldNote), "</p>\n")
                          : std::string(),
      report.published_on.empty()
          ? std::string()
          : absl::StrCat("<p class=\"lead\">", HtmlEscape(PublishedSentence(report)), "</p>\n"),
      HtmlLateRevisions(report), "<figure>\n", SvgChart(report),
      "<figcaption>Complaints received, compliments (every source) and advocacy referrals by "
      "quarter of ",
      HtmlEscape(year), ".</figcaption>\n</figure>\n");
  for (size_t i = 0; i < report.sections.size(); ++i) {
    const ReportSection& section = report.sections[i];
    if (OpensGroup(report.sections, i)) {
      absl::StrAppend(&out, "<h2>", HtmlEscape(section.group), "</h2>\n");
    }
    const char* level = section.group.empty() ? "h2" : "h3";
    absl::StrAppend(&out, "<", level, ">", HtmlEscape(section.heading), "</", level, ">\n");
    absl::StrAppend(&out, "<section id=\"", HtmlEscape(section.id), "\">\n");
    absl::StrAppend(&out, HtmlNarrative(section.narrative_before));
    if (IsNarrativeOnly(section)) {
      absl::StrAppend(&out, "</section>\n");
      continue;
    }
    if (section.id == "qa_activity") {
      absl::StrAppend(&out, HtmlQaSection(report, section), "</section>\n");
      continue;
    }
    if (section.id == "oversight") {
      absl::StrAppend(&out, HtmlOversightSection(report, section), "</section>\n");
      continue;
    }
    if (section.id == "participation") {
      absl::StrAppend(&out, "<ul class=\"statements\">\n");
      for (const ReportStatement& s : section.statements) {
        absl::StrAppend(&out, "<li>", HtmlEscape(s.text), "</li>\n");
      }
      absl::StrAppend(&out, "</ul>\n");
    } else {
      for (const ReportStatement& s : section.statements) {
        absl::StrAppend(&out, "<p class=\"statement\">", HtmlEscape(s.text), "</p>\n");
      }
    }
    absl::StrAppend(&out, HtmlFigureTable(report, section.id),
                    section.id == "participation" ? HtmlAgeBandTable(report) : std::string(),
                    HtmlKioskThemes(report, section), HtmlQuotes(section),
                    HtmlNarrative(section.narrative_after), "</section>\n");
  }
  absl::StrAppend(&out, "</main>\n</body>\n</html>\n");
  return out;
}

}  // namespace feedback::client
