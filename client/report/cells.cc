#include "client/report/cells.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/report/absl_bridge.h"
#include "client/report/sentences.h"
#include "proto/vocabulary/enum_flags.h"

namespace feedback::client::report_internal {

std::string Shown(Value n) { return n.has_value() ? absl::StrCat(*n) : std::string(kWithheld); }

std::string Cell(int64_t value, bool withheld) { return Shown(withheld ? Value() : Value(value)); }

std::string ChangeCell(const ReportFigure& f, std::string_view on) {
  return f.change_withheld() ? std::string(kWithheld) : ChangeText(f.value, f.previous_quarter, on);
}

bool AnyWithheld(const QuarterReport& report) {
  if (!report.suppressed.empty()) return true;
  for (const ReportFigure& f : report.figures) {
    if (f.value_withheld || f.previous_quarter_withheld || f.year_to_date_withheld) return true;
  }
  for (const ChartQuarter& q : report.chart) {
    if (q.complaints_received_withheld || q.compliments_withheld || q.advocacy_referrals_withheld)
      return true;
  }
  for (const LateRevisionNote& note : report.late_revisions) {
    if (!note.count.has_value()) return true;
  }
  for (const ReportSection& section : report.sections) {
    for (const KioskTheme& theme : section.kiosk_themes) {
      if (!theme.count.has_value()) return true;
    }
    for (const OversightRow& row : section.oversight_rows) {
      if (!row.count.has_value()) return true;
      for (const Value& v : OversightOutcomes(row)) {
        if (!v.has_value()) return true;
      }
    }
    for (const auto* themes : {&section.oversight_strengths, &section.oversight_areas}) {
      for (const QaTheme& theme : *themes) {
        if (!theme.count.has_value()) return true;
      }
    }
    for (const QaActivityBlock& block : section.qa_activities) {
      for (const QaDivisionRow* row : QaRows(block)) {
        if (!row->count.has_value() || !row->moderated.has_value()) return true;
        for (const Value& grade : row->grades) {
          if (!grade.has_value()) return true;
        }
      }
      for (const auto* themes : {&block.strengths, &block.areas_for_improvement}) {
        for (const QaTheme& theme : *themes) {
          if (!theme.count.has_value()) return true;
        }
      }
    }
  }
  return false;
}

std::string OversightShare(Value n, Value total) {
  if (!n.has_value() || !total.has_value()) return kWithheld;
  return absl::StrCat(*n, " (", Percent(n, total), ")");
}

std::vector<Value> OversightOutcomes(const OversightRow& row) {
  return {row.escalations, row.no_concerns, row.commendations};
}

std::vector<const QaDivisionRow*> QaRows(const QaActivityBlock& block) {
  std::vector<const QaDivisionRow*> rows;
  if (block.divisions.empty()) return rows;
  for (const QaDivisionRow& row : block.divisions) rows.push_back(&row);
  rows.push_back(&block.total);
  return rows;
}

std::string QaGradeKey(v1::QaGrade grade) {
  return absl::StrReplaceAll(FormatEnumFlag(v1::QaGrade_descriptor(), grade), {{"-", "_"}});
}

std::string QaGradeLabel(v1::QaGrade grade) {
  std::string label =
      absl::StrReplaceAll(FormatEnumFlag(v1::QaGrade_descriptor(), grade), {{"-", " "}});
  if (!label.empty()) label[0] = static_cast<char>(label[0] - 'a' + 'A');
  return label;
}

bool OpensGroup(const std::vector<ReportSection>& sections, size_t i) {
  return !sections[i].group.empty() && (i == 0 || sections[i - 1].group != sections[i].group);
}

std::string MeetingKey(v1::Meeting meeting) {
  return absl::StrReplaceAll(FormatEnumFlag(v1::Meeting_descriptor(), meeting), {{"-", "_"}});
}

std::string AgeBandMeasure(const AgeBandRow& row, std::string_view band) {
  return absl::StrCat(row.measure, "_", absl::StrReplaceAll(A(band), {{"-", "_"}, {"+", "_plus"}}));
}

std::string SourceName(v1::Source source) {
  const std::string spelled = FormatEnumFlag(v1::Source_descriptor(), source);
  return spelled.empty() ? "unspecified" : spelled;
}

std::string EnumName(const google::protobuf::EnumDescriptor* type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  return value == nullptr ? absl::StrCat(number) : value->name();
}

bool IsNarrativeOnly(const ReportSection& section) {
  return section.id == "review_of_previous_next_steps" || section.id == "external_review" ||
         section.id == "next_steps";
}

}  // namespace feedback::client::report_internal
