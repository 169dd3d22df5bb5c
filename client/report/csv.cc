#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/report/cells.h"
#include "client/report/escape.h"
#include "client/report/renderers.h"
#include "client/report/sentences.h"

namespace feedback::client {

using report_internal::AgeBandMeasure;
using report_internal::Cell;
using report_internal::kEnDash;
using report_internal::kOversightOutcomeKeys;
using report_internal::kOversightOutcomeLabels;
using report_internal::MeetingName;
using report_internal::OversightOutcomes;
using report_internal::PublishedSentence;
using report_internal::QaGradeKey;
using report_internal::QaGradeLabel;
using report_internal::QaRows;
using report_internal::Shown;
using report_internal::SourceName;
using report_internal::Value;

std::string RenderCsv(const QuarterReport& report) {
  std::string out = absl::StrCat(kReportCsvHeader, "\r\n");
  const std::string year = absl::StrCat(report.financial_year);
  const std::string quarter = absl::StrCat(report.quarter);
  for (const ReportSection& section : report.sections) {
    // Staff-written narrative: a row of its own, its text SpreadsheetSafe like a quote's.
    auto narrative_rows = [&](const std::vector<ReportNarrative>& narrative) {
      for (const ReportNarrative& n : narrative) {
        absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "narrative",
                                         n.measure, n.heading.empty() ? section.heading : n.heading,
                                         "", "", "", "", SpreadsheetSafe(n.text)}));
      }
    };
    narrative_rows(section.narrative_before);
    for (const ReportStatement& s : section.statements) {
      absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "statement",
                                       s.measure, section.heading, "", "", "", "", s.text}));
    }
    for (const ReportFigure& f : report.figures) {
      if (f.section != section.id) continue;
      absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "figure",
                                       f.measure, f.label, Cell(f.value, f.value_withheld),
                                       Cell(f.previous_quarter, f.previous_quarter_withheld),
                                       Cell(f.change(), f.change_withheld()),
                                       Cell(f.year_to_date, f.year_to_date_withheld), ""}));
    }
    if (section.id == "participation") {
      for (const AgeBandRow& row : report.age_band_rows) {
        for (size_t i = 0; i < report.age_bands.size() && i < row.referrals.size(); ++i) {
          absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "age_band",
                                           AgeBandMeasure(row, report.age_bands[i]),
                                           absl::StrCat("Advocacy referrals ", kEnDash, " ",
                                                        row.label, ", aged ", report.age_bands[i]),
                                           Shown(row.referrals[i]), "", "", "", ""}));
        }
      }
    }
    for (const KioskTheme& theme : section.kiosk_themes) {
      absl::StrAppend(
          &out, CsvRecord({report.period, year, quarter, section.id, "kiosk_theme", theme.measure,
                           absl::StrCat("Kiosk theme ", kEnDash, " ",
                                        MeetingName(*section.kiosk_meeting), ": ", theme.label),
                           Shown(theme.count), "", "", "", ""}));
    }
    for (const OversightRow& row : section.oversight_rows) {
      absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "oversight",
                                       row.measure, absl::StrCat(row.label, ": Outcomes"),
                                       Shown(row.count), "", "", "", ""}));
      const std::vector<Value> outcomes = OversightOutcomes(row);
      for (size_t i = 0; i < outcomes.size(); ++i) {
        absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "oversight",
                                         absl::StrCat(row.measure, "_", kOversightOutcomeKeys[i]),
                                         absl::StrCat(row.label, ": ", kOversightOutcomeLabels[i]),
                                         Shown(outcomes[i]), "", "", "", ""}));
      }
    }
    for (const auto& [kind, themes] :
         {std::pair{"Strength", &section.oversight_strengths},
          std::pair{"Area for development", &section.oversight_areas}}) {
      for (const QaTheme& theme : *themes) {
        absl::StrAppend(
            &out,
            CsvRecord({report.period, year, quarter, section.id, "oversight_theme", theme.measure,
                       absl::StrCat("Chairs' oversight ", kEnDash, " ", kind, ": ", theme.label),
                       Shown(theme.count), "", "", "", ""}));
      }
    }
    for (const QaActivityBlock& block : section.qa_activities) {
      for (const QaDivisionRow* row : QaRows(block)) {
        const std::string label = absl::StrCat(block.noun, " ", kEnDash, " ", row->label);
        for (size_t g = 0; g < std::size(kQaGrades) && g < row->grades.size(); ++g) {
          absl::StrAppend(&out,
                          CsvRecord({report.period, year, quarter, section.id, "qa_grade",
                                     absl::StrCat(row->measure, "_", QaGradeKey(kQaGrades[g])),
                                     absl::StrCat(label, ": ", QaGradeLabel(kQaGrades[g])),
                                     Shown(row->grades[g]), "", "", "", ""}));
        }
        absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "qa_grade",
                                         absl::StrCat(row->measure, "_moderated"),
                                         absl::StrCat(label, ": Moderated"), Shown(row->moderated),
                                         "", "", "", ""}));
      }
      for (const auto& [kind, themes] :
           {std::pair{"Strength", &block.strengths},
            std::pair{"Area for improvement", &block.areas_for_improvement}}) {
        for (const QaTheme& theme : *themes) {
          absl::StrAppend(
              &out, CsvRecord({report.period, year, quarter, section.id, "qa_theme", theme.measure,
                               absl::StrCat(block.noun, " ", kEnDash, " ", kind, ": ", theme.label),
                               Shown(theme.count), "", "", "", ""}));
        }
      }
    }
    for (const ReportQuote& q : section.quotes) {
      absl::StrAppend(&out,
                      CsvRecord({report.period, year, quarter, section.id, "quote", "quote",
                                 SourceName(q.source), "", "", "", "", SpreadsheetSafe(q.text)}));
    }
    narrative_rows(section.narrative_after);
  }
  if (!report.published_on.empty()) {
    absl::StrAppend(&out, CsvRecord({report.period, year, quarter, "", "published", "published_on",
                                     "Published on", report.published_on, "", "", "",
                                     PublishedSentence(report)}));
  }
  for (const LateRevisionNote& note : report.late_revisions) {
    absl::StrAppend(
        &out, CsvRecord({report.period, year, quarter, note.section, "late_revision", note.measure,
                         note.label, Shown(note.count), "", "", "", note.text}));
  }
  return out;
}

}  // namespace feedback::client
