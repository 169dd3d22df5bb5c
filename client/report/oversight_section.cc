#include "client/report/oversight_section.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/report/absl_bridge.h"
#include "client/report/cells.h"
#include "client/report/figure_specs.h"
#include "client/report/sentences.h"

namespace feedback::client::report_internal {
namespace {

// "lac_reviews", "cp_conferences".
std::string OversightGroupKey(v1::OversightGroup group) {
  return group == v1::OVERSIGHT_GROUP_CP_CONFERENCES ? "cp_conferences" : "lac_reviews";
}

const v1::OversightFigures* FindOversight(const v1::QuarterSummary& s, v1::OversightGroup group) {
  for (const v1::OversightFigures& o : s.oversight()) {
    if (o.group() == group) return &o;
  }
  return nullptr;
}

Value OversightValue(const v1::QuarterSummary& s, v1::OversightGroup group, std::string_view part,
                     int64_t (v1::OversightFigures::*field)() const) {
  if (IsWithheld(s, OversightCell(group, part))) return std::nullopt;
  const v1::OversightFigures* o = FindOversight(s, group);
  return o == nullptr ? 0 : (o->*field)();
}

// The most frequent of `themes` (`kind` names their cells, "strength" or "development"): shown
// counts largest first, then withheld ones, each by name; at most kQaThemesShown.
std::vector<QaTheme> LeadingOversightThemes(
    const v1::QuarterSummary& s, std::string_view kind,
    const google::protobuf::RepeatedPtrField<v1::TagCount>& themes) {
  return LeadingThemes(
      s, themes, [kind](const std::string& tag) { return OversightThemeCell(kind, tag); },
      [kind](const std::string& tag) { return absl::StrCat("oversight_", A(kind), "_", tag); },
      kQaThemesShown);
}

}  // namespace

std::string OversightCell(v1::OversightGroup group, std::string_view part) {
  return absl::StrCat("oversight.", v1::OversightGroup_Name(group), ".", A(part));
}

std::string OversightThemeCell(std::string_view kind, std::string_view tag) {
  return absl::StrCat("oversight.", A(kind), ".", A(tag));
}

bool HasOversight(const v1::QuarterSummary& s) {
  if (!s.oversight().empty()) return true;
  return std::any_of(s.suppressed().begin(), s.suppressed().end(),
                     [](const std::string& name) { return absl::StartsWith(name, "oversight."); });
}

ReportSection OversightSection(const v1::QuarterSummary& s) {
  ReportSection section;
  section.id = "oversight";
  section.heading = kOversightHeading;
  if (!HasOversight(s)) {
    section.statements.push_back(
        {"oversight_statement", OversightNothingStatement(s.financial_year(), s.quarter())});
    return section;
  }
  for (v1::OversightGroup group : kOversightGroups) {
    OversightRow row;
    row.group = group;
    row.label = OversightGroupLabel(group);
    row.measure = absl::StrCat("oversight_", OversightGroupKey(group));
    row.count = OversightValue(s, group, "count", &v1::OversightFigures::count);
    row.escalations = OversightValue(s, group, "escalations", &v1::OversightFigures::escalations);
    row.no_concerns = OversightValue(s, group, "no_concerns", &v1::OversightFigures::no_concerns);
    row.commendations =
        OversightValue(s, group, "commendations", &v1::OversightFigures::commendations);
    section.statements.push_back(
        {absl::StrCat(row.measure, "_statement"),
         OversightStatement(row.label, s.quarter(), row.count, row.escalations, row.no_concerns,
                            row.commendations)});
    section.oversight_rows.push_back(std::move(row));
  }
  section.oversight_strengths = LeadingOversightThemes(s, "strength", s.oversight_strengths());
  section.oversight_areas =
      LeadingOversightThemes(s, "development", s.oversight_areas_for_development());
  return section;
}

void NoteOversightLateRevisions(
    const v1::QuarterSummary& late,
    const std::function<void(const std::string&, const std::string&, Value)>& note) {
  for (const v1::OversightFigures& o : late.oversight()) {
    const std::string measure = absl::StrCat("oversight_", OversightGroupKey(o.group()));
    const std::string label = OversightGroupLabel(o.group());
    const Value count = OversightValue(late, o.group(), "count", &v1::OversightFigures::count);
    if (!count.has_value() || *count != 0) {
      note(measure, absl::StrCat("Chairs' oversight outcomes ", kEnDash, " ", label), count);
    }
    const std::vector<Value> outcomes = {
        OversightValue(late, o.group(), "escalations", &v1::OversightFigures::escalations),
        OversightValue(late, o.group(), "no_concerns", &v1::OversightFigures::no_concerns),
        OversightValue(late, o.group(), "commendations", &v1::OversightFigures::commendations)};
    for (size_t i = 0; i < outcomes.size(); ++i) {
      if (outcomes[i].has_value() && *outcomes[i] == 0) continue;
      note(absl::StrCat(measure, "_", kOversightOutcomeKeys[i]),
           absl::StrCat(label, ": ", kOversightOutcomeLabels[i]), outcomes[i]);
    }
  }
}

}  // namespace feedback::client::report_internal
