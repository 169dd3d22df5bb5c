#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/lib/terminal_text.h"
#include "client/report/absl_bridge.h"
#include "client/report/cells.h"
#include "client/report/escape.h"
#include "client/report/renderers.h"
#include "client/report/sentences.h"

namespace feedback::client {
namespace {

using report_internal::A;
using report_internal::AnyWithheld;
using report_internal::Cell;
using report_internal::ChangeCell;
using report_internal::IsNarrativeOnly;
using report_internal::kEnDash;
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

// Lines of `text`, with CRLF and CR taken as LF.
std::vector<std::string> Lines(std::string_view text) {
  std::string normal = absl::StrReplaceAll(A(text), {{"\r\n", "\n"}});
  std::replace(normal.begin(), normal.end(), '\r', '\n');
  return absl::StrSplit(normal, '\n');
}

std::string MarkdownQuote(std::string_view text) {
  std::vector<std::string> lines = Lines(text);
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    // Leading whitespace is not significant in Markdown (and four spaces would start code).
    const std::string line = MarkdownEscape(S(absl::StripLeadingAsciiWhitespace(lines[i])));
    const bool hard_break =
        i + 1 < lines.size() && !line.empty() && !absl::StripAsciiWhitespace(lines[i + 1]).empty();
    absl::StrAppend(&out, line.empty() ? ">" : absl::StrCat("> ", line), hard_break ? "\\" : "",
                    "\n");
  }
  return out;
}

std::string MarkdownFigureTable(const QuarterReport& report, std::string_view section) {
  std::string out = absl::StrCat(
      "| Figure | ", SpacedQuarter(report.financial_year, report.quarter), " | Change on ",
      report.change_label, " | Year to date |\n", "| --- | ---: | --- | ---: |\n");
  for (const ReportFigure& f : report.figures) {
    if (f.section != section) continue;
    absl::StrAppend(&out, "| ", MarkdownEscape(f.label), " | ", Cell(f.value, f.value_withheld),
                    " | ", ChangeCell(f, report.change_label), " | ",
                    Cell(f.year_to_date, f.year_to_date_withheld), " |\n");
  }
  return out;
}

// Advocacy referrals by age band, one row per meeting; empty without bands.
std::string MarkdownAgeBandTable(const QuarterReport& report) {
  if (report.age_bands.empty() || report.age_band_rows.empty()) return "";
  std::string out = absl::StrCat("| Advocacy referrals by age, ",
                                 SpacedQuarter(report.financial_year, report.quarter), " |");
  std::string rule = "| --- |";
  for (const std::string& band : report.age_bands) {
    absl::StrAppend(&out, " ", MarkdownEscape(band), " |");
    absl::StrAppend(&rule, " ---: |");
  }
  absl::StrAppend(&out, "\n", rule, "\n");
  for (const AgeBandRow& row : report.age_band_rows) {
    absl::StrAppend(&out, "| ", MarkdownEscape(row.label), " |");
    for (const Value& v : row.referrals) absl::StrAppend(&out, " ", Shown(v), " |");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

// A kiosk section's most frequent themes; empty for other sections and when it has none.
std::string MarkdownKioskThemes(const QuarterReport& report, const ReportSection& section) {
  if (section.kiosk_themes.empty()) return "";
  std::string out =
      absl::StrCat("| Most frequent themes, ", SpacedQuarter(report.financial_year, report.quarter),
                   " | Answers |\n| --- | ---: |\n");
  for (const KioskTheme& theme : section.kiosk_themes) {
    absl::StrAppend(&out, "| ", MarkdownEscape(theme.label), " | ", Shown(theme.count), " |\n");
  }
  return out;
}

// An activity's checks by division and grade, with the whole division last.
std::string MarkdownQaGrades(const QuarterReport& report, const QaActivityBlock& block) {
  std::string out = absl::StrCat("| ", block.noun, " by grade, ",
                                 SpacedQuarter(report.financial_year, report.quarter), " | All |");
  std::string rule = "| --- | ---: |";
  for (v1::QaGrade grade : kQaGrades) {
    absl::StrAppend(&out, " ", QaGradeLabel(grade), " |");
    absl::StrAppend(&rule, " ---: |");
  }
  absl::StrAppend(&out, " Moderated |\n", rule, " ---: |\n");
  for (const QaDivisionRow* row : QaRows(block)) {
    absl::StrAppend(&out, "| ", MarkdownEscape(row->label), " | ", Shown(row->count), " |");
    for (const Value& v : row->grades) absl::StrAppend(&out, " ", Shown(v), " |");
    absl::StrAppend(&out, " ", Shown(row->moderated), " |\n");
  }
  return out;
}

// An activity's leading strengths and areas for improvement; empty when it has none.
std::string MarkdownQaThemes(const QuarterReport& report, const QaActivityBlock& block) {
  if (block.strengths.empty() && block.areas_for_improvement.empty()) return "";
  std::string out = absl::StrCat("| ", block.noun, ": leading themes, ",
                                 SpacedQuarter(report.financial_year, report.quarter),
                                 " | Checks |\n| --- | ---: |\n");
  for (const QaTheme& theme : block.strengths) {
    absl::StrAppend(&out, "| Strength: ", MarkdownEscape(theme.label), " | ", Shown(theme.count),
                    " |\n");
  }
  for (const QaTheme& theme : block.areas_for_improvement) {
    absl::StrAppend(&out, "| Area for improvement: ", MarkdownEscape(theme.label), " | ",
                    Shown(theme.count), " |\n");
  }
  return out;
}

// The QA framework's section: each activity under its own heading, then its figures (none when
// the quarter had no check).
std::string MarkdownQaSection(const QuarterReport& report, const ReportSection& section) {
  std::string out;
  if (section.qa_activities.empty()) {
    for (const ReportStatement& s : section.statements) {
      absl::StrAppend(&out, "\n", MarkdownEscape(s.text), "\n");
    }
    return out;
  }
  for (const QaActivityBlock& block : section.qa_activities) {
    absl::StrAppend(&out, "\n### ", block.heading, "\n\n", MarkdownEscape(block.statement.text),
                    "\n");
    if (block.divisions.empty()) continue;
    absl::StrAppend(&out, "\n", MarkdownQaGrades(report, block));
    if (const std::string themes = MarkdownQaThemes(report, block); !themes.empty()) {
      absl::StrAppend(&out, "\n", themes);
    }
  }
  absl::StrAppend(&out, "\n", MarkdownFigureTable(report, section.id));
  return out;
}

// QA through Independent Chairs: each meeting group's sentence, then its outcomes and the
// leading themes (no table when the quarter had no outcome).
std::string MarkdownOversightSection(const QuarterReport& report, const ReportSection& section) {
  std::string out = "\n";
  for (const ReportStatement& s : section.statements) {
    absl::StrAppend(&out, "- ", MarkdownEscape(s.text), "\n");
  }
  if (section.oversight_rows.empty()) return out;
  const std::string quarter = SpacedQuarter(report.financial_year, report.quarter);
  absl::StrAppend(&out, "\n| Chairs' oversight, ", quarter, " | Outcomes |");
  for (const char* label : kOversightOutcomeLabels) absl::StrAppend(&out, " ", label, " |");
  absl::StrAppend(&out, "\n| --- | ---: | ---: | ---: | ---: |\n");
  for (const OversightRow& row : section.oversight_rows) {
    absl::StrAppend(&out, "| ", MarkdownEscape(row.label), " | ", Shown(row.count), " |");
    for (const Value& v : OversightOutcomes(row)) {
      absl::StrAppend(&out, " ", OversightShare(v, row.count), " |");
    }
    absl::StrAppend(&out, "\n");
  }
  if (section.oversight_strengths.empty() && section.oversight_areas.empty()) return out;
  absl::StrAppend(&out, "\n| Chairs' oversight: leading themes, ", quarter,
                  " | Outcomes |\n| --- | ---: |\n");
  for (const auto& [kind, themes] :
       {std::pair{"Strength: ", &section.oversight_strengths},
        std::pair{"Area for development: ", &section.oversight_areas}}) {
    for (const QaTheme& theme : *themes) {
      absl::StrAppend(&out, "| ", kind, MarkdownEscape(theme.label), " | ", Shown(theme.count),
                      " |\n");
    }
  }
  return out;
}

// Staff-written narrative: each non-empty line its own paragraph (a "•" bullet line too),
// escaped, under its own heading when it has one (`level`: "###").
std::string MarkdownNarrative(const std::vector<ReportNarrative>& narrative,
                              std::string_view level) {
  std::string out;
  for (const ReportNarrative& n : narrative) {
    if (!n.heading.empty())
      absl::StrAppend(&out, "\n", A(level), " ", MarkdownEscape(n.heading), "\n");
    for (const std::string& line : Lines(n.text)) {
      const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
      if (trimmed.empty()) continue;
      absl::StrAppend(&out, "\n", MarkdownEscape(S(trimmed)), "\n");
    }
  }
  return out;
}

}  // namespace

std::string RenderMarkdown(const QuarterReport& report) {
  const std::string ytd = YearToDateSpan(report.quarter);
  std::string out =
      absl::StrCat("# ", MarkdownEscape(report.heading), "\n\n", MarkdownEscape(report.division),
                   ". Figures from the quarterly summaries; "
                   "change is on the previous quarter, ",
                   report.change_label, " (", report.previous_period, "); year to date is ", ytd,
                   " of ", report.period.substr(0, report.period.size() - 2),
                   ". Quotes are given with consent to quote, in the person's own words.\n");
  if (!report.scope_note.empty()) {
    absl::StrAppend(&out, "\n", MarkdownEscape(report.scope_note), "\n");
  }
  if (AnyWithheld(report)) absl::StrAppend(&out, "\n", kWithheldNote, "\n");
  if (!report.published_on.empty()) absl::StrAppend(&out, "\n", PublishedSentence(report), "\n");
  if (!report.late_revisions.empty()) {
    absl::StrAppend(&out, "\n## ", kLateRevisionsHeading, "\n\n", kLateRevisionsLead, "\n\n");
    for (const LateRevisionNote& note : report.late_revisions) {
      absl::StrAppend(&out, "- ", MarkdownEscape(note.text), "\n");
    }
  }
  for (size_t i = 0; i < report.sections.size(); ++i) {
    const ReportSection& section = report.sections[i];
    if (OpensGroup(report.sections, i)) absl::StrAppend(&out, "\n## ", section.group, "\n");
    absl::StrAppend(&out, section.group.empty() ? "\n## " : "\n### ", section.heading, "\n");
    absl::StrAppend(&out, MarkdownNarrative(section.narrative_before, "###"));
    if (IsNarrativeOnly(section)) continue;
    if (section.id == "qa_activity") {
      absl::StrAppend(&out, MarkdownQaSection(report, section));
      continue;
    }
    if (section.id == "oversight") {
      absl::StrAppend(&out, MarkdownOversightSection(report, section));
      continue;
    }
    if (section.id == "participation") {
      absl::StrAppend(&out, "\n");
      for (const ReportStatement& s : section.statements) {
        absl::StrAppend(&out, "- ", MarkdownEscape(s.text), "\n");
      }
    } else {
      for (const ReportStatement& s : section.statements) {
        absl::StrAppend(&out, "\n", MarkdownEscape(s.text), "\n");
      }
    }
    absl::StrAppend(&out, "\n", MarkdownFigureTable(report, section.id));
    if (section.id == "participation" && !report.age_band_rows.empty()) {
      absl::StrAppend(&out, "\n", MarkdownAgeBandTable(report));
    }
    if (!section.kiosk_themes.empty()) {
      absl::StrAppend(&out, "\n", MarkdownKioskThemes(report, section));
    }
    for (const ReportQuote& quote : section.quotes) {
      absl::StrAppend(&out, "\n", MarkdownQuote(quote.text));
    }
    absl::StrAppend(&out, MarkdownNarrative(section.narrative_after, "###"));
  }
  absl::StrAppend(&out, "\n## By quarter, ", report.period.substr(0, report.period.size() - 2),
                  "\n\n| Quarter | Complaints received | Compliments (every source) | Advocacy "
                  "referrals |\n| --- | ---: | ---: | ---: |\n");
  for (const ChartQuarter& q : report.chart) {
    auto cell = [](const std::optional<int64_t>& v, bool withheld) {
      if (withheld) return std::string(kWithheld);
      return v.has_value() ? absl::StrCat(*v) : std::string(kEnDash);
    };
    absl::StrAppend(&out, "| Q", q.quarter, " | ",
                    cell(q.complaints_received, q.complaints_received_withheld), " | ",
                    cell(q.compliments, q.compliments_withheld), " | ",
                    cell(q.advocacy_referrals, q.advocacy_referrals_withheld), " |\n");
  }
  // Markdown is read in terminals too (`feedbackctl report`, `cat report.md`): no control
  // character from a quote may act on one. Escaping for Markdown came first, so the escapes
  // added here (\u001b, ...) read literally in rendered Markdown as well.
  return ForTerminal(out);
}

}  // namespace feedback::client
