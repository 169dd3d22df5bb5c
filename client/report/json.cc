#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/report/cells.h"
#include "client/report/renderers.h"
#include "client/report/sentences.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

using report_internal::EnumName;
using report_internal::Percent;

google::protobuf::Value Number(int64_t n) {
  google::protobuf::Value v;
  v.set_number_value(static_cast<double>(n));
  return v;
}

google::protobuf::Value Text(std::string_view s) {
  google::protobuf::Value v;
  v.set_string_value(std::string(s));
  return v;
}

google::protobuf::Value Null() {
  google::protobuf::Value v;
  v.set_null_value(google::protobuf::NULL_VALUE);
  return v;
}

using Fields = std::initializer_list<std::pair<const char*, google::protobuf::Value>>;

// A JSON object of `fields` (keys come out sorted whatever their order here).
google::protobuf::Struct StructOf(Fields fields) {
  google::protobuf::Struct s;
  for (const auto& [key, value] : fields) (*s.mutable_fields())[key] = value;
  return s;
}

google::protobuf::Value Object(Fields fields) {
  google::protobuf::Value v;
  *v.mutable_struct_value() = StructOf(fields);
  return v;
}

google::protobuf::Value List(std::vector<google::protobuf::Value> items) {
  google::protobuf::Value v;
  for (google::protobuf::Value& item : items)
    *v.mutable_list_value()->add_values() = std::move(item);
  return v;
}

// Protobuf's JSON printer over `message`, serialized deterministically first so that object keys
// come out sorted and the output is the same on every run.
std::string PrintJson(const google::protobuf::Message& message) {
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  static constexpr char kUrlPrefix[] = "type.googleapis.com";
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          std::string(kUrlPrefix), google::protobuf::DescriptorPool::generated_pool()));
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  const auto printed = google::protobuf::util::BinaryToJsonString(
      resolver.get(), absl::StrCat(kUrlPrefix, "/", message.GetDescriptor()->full_name()), binary,
      &json, options);
  if (!printed.ok()) return "{}\n";
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

// `items`, each made a value by `to_value`, as a JSON array.
template <typename T, typename F>
google::protobuf::Value ListOf(const std::vector<T>& items, F to_value) {
  std::vector<google::protobuf::Value> values;
  values.reserve(items.size());
  for (const T& item : items) values.push_back(to_value(item));
  return List(std::move(values));
}

// A figure: its number, or "c" when withheld.
google::protobuf::Value Figure(int64_t n, bool withheld) {
  return withheld ? Text(kWithheld) : Number(n);
}

// A figure that may be withheld (nullopt): its number or "c".
google::protobuf::Value Figure(const std::optional<int64_t>& n) {
  return Figure(n.value_or(0), !n.has_value());
}

google::protobuf::Value FigureObject(const ReportFigure& f) {
  std::vector<google::protobuf::Value> by_quarter;
  for (size_t i = 0; i < f.by_quarter.size(); ++i) {
    const bool withheld = i < f.by_quarter_withheld.size() && f.by_quarter_withheld[i];
    by_quarter.push_back(Figure(f.by_quarter[i], withheld));
  }
  return Object({{"measure", Text(f.measure)},
                 {"label", Text(f.label)},
                 {"value", Figure(f.value, f.value_withheld)},
                 {"previousQuarter", Figure(f.previous_quarter, f.previous_quarter_withheld)},
                 {"change", Figure(f.change(), f.change_withheld())},
                 {"yearToDate", Figure(f.year_to_date, f.year_to_date_withheld)},
                 {"byQuarter", List(std::move(by_quarter))}});
}

google::protobuf::Value StatementObject(const ReportStatement& statement) {
  return Object({{"measure", Text(statement.measure)}, {"text", Text(statement.text)}});
}

google::protobuf::Value QuoteObject(const ReportQuote& q) {
  return Object({{"text", Text(q.text)},
                 {"source", Text(EnumName(v1::Source_descriptor(), q.source))},
                 {"kind", Text(EnumName(v1::Kind_descriptor(), q.kind))},
                 {"meeting", Text(EnumName(v1::Meeting_descriptor(), q.meeting))}});
}

google::protobuf::Value KioskThemeObject(const KioskTheme& theme) {
  return Object({{"tag", Text(theme.tag)},
                 {"label", Text(theme.label)},
                 {"measure", Text(theme.measure)},
                 {"count", Figure(theme.count)}});
}

google::protobuf::Value QaThemeObject(const QaTheme& theme) {
  return Object({{"tag", Text(theme.tag)},
                 {"label", Text(theme.label)},
                 {"measure", Text(theme.measure)},
                 {"count", Figure(theme.count)}});
}

// A division's row of the grade table: grades by their enum name.
google::protobuf::Value QaRowObject(const QaDivisionRow& row) {
  google::protobuf::Value grades = Object({});
  for (size_t g = 0; g < std::size(kQaGrades) && g < row.grades.size(); ++g) {
    (*grades.mutable_struct_value()
          ->mutable_fields())[EnumName(v1::QaGrade_descriptor(), kQaGrades[g])] =
        Figure(row.grades[g]);
  }
  return Object({{"serviceArea", Text(EnumName(v1::ServiceArea_descriptor(), row.service_area))},
                 {"label", Text(row.label)},
                 {"measure", Text(row.measure)},
                 {"count", Figure(row.count)},
                 {"grades", grades},
                 {"moderated", Figure(row.moderated)}});
}

google::protobuf::Value QaActivityObject(const QaActivityBlock& block) {
  return Object({{"activity", Text(EnumName(v1::QaActivity_descriptor(), block.activity))},
                 {"measure", Text(block.measure)},
                 {"heading", Text(block.heading)},
                 {"statement", StatementObject(block.statement)},
                 {"divisions", ListOf(block.divisions, QaRowObject)},
                 {"total", block.divisions.empty() ? Null() : QaRowObject(block.total)},
                 {"strengths", ListOf(block.strengths, QaThemeObject)},
                 {"areasForImprovement", ListOf(block.areas_for_improvement, QaThemeObject)}});
}

// A meeting group's oversight outcomes: counts, and percentages as the sentences give them.
google::protobuf::Value OversightRowObject(const OversightRow& row) {
  return Object({{"group", Text(EnumName(v1::OversightGroup_descriptor(), row.group))},
                 {"label", Text(row.label)},
                 {"measure", Text(row.measure)},
                 {"count", Figure(row.count)},
                 {"escalations", Figure(row.escalations)},
                 {"noConcerns", Figure(row.no_concerns)},
                 {"commendations", Figure(row.commendations)},
                 {"escalationsPercent", Text(Percent(row.escalations, row.count))},
                 {"noConcernsPercent", Text(Percent(row.no_concerns, row.count))},
                 {"commendationsPercent", Text(Percent(row.commendations, row.count))}});
}

google::protobuf::Value SectionObject(const QuarterReport& report, const ReportSection& section) {
  std::vector<google::protobuf::Value> figures;
  for (const ReportFigure& f : report.figures) {
    if (f.section == section.id) figures.push_back(FigureObject(f));
  }
  // A section without figures (the QA framework's, in a quarter without a check) lists none:
  // [], not a missing key.
  google::protobuf::Value figure_list = List(std::move(figures));
  if (!figure_list.has_list_value()) figure_list.mutable_list_value();
  google::protobuf::Value object =
      Object({{"id", Text(section.id)},
              {"heading", Text(section.heading)},
              {"group", Text(section.group)},
              {"statements", ListOf(section.statements, StatementObject)},
              {"figures", std::move(figure_list)},
              {"quotes", ListOf(section.quotes, QuoteObject)}});
  if (section.kiosk_meeting.has_value()) {
    // Kiosk sections only: the meeting type and its most frequent themes.
    auto& fields = *object.mutable_struct_value()->mutable_fields();
    fields["meeting"] = Text(EnumName(v1::Meeting_descriptor(), *section.kiosk_meeting));
    fields["themes"] = ListOf(section.kiosk_themes, KioskThemeObject);
  }
  // Staff-written narrative, verbatim: only in a section that has some.
  auto narrative_list = [](const std::vector<ReportNarrative>& narrative) {
    return ListOf(narrative, [](const ReportNarrative& n) {
      return Object(
          {{"measure", Text(n.measure)}, {"heading", Text(n.heading)}, {"text", Text(n.text)}});
    });
  };
  if (!section.narrative_before.empty()) {
    (*object.mutable_struct_value()->mutable_fields())[std::string("narrativeBefore")] =
        narrative_list(section.narrative_before);
  }
  if (!section.narrative_after.empty()) {
    (*object.mutable_struct_value()->mutable_fields())[std::string("narrativeAfter")] =
        narrative_list(section.narrative_after);
  }
  if (section.id == "qa_activity") {
    // The QA framework's section only: each activity by division, grade and theme.
    (*object.mutable_struct_value()->mutable_fields())["activities"] =
        ListOf(section.qa_activities, QaActivityObject);
  }
  if (section.id == "oversight") {
    // QA through Independent Chairs only: outcomes by meeting group, and the leading themes.
    // The keys are std::strings: GCC 12 at -O2 draws a false -Warray-bounds from protobuf's
    // Map::operator[] given a string literal longer than std::string's inline buffer.
    auto& fields = *object.mutable_struct_value()->mutable_fields();
    fields[std::string("oversight")] = ListOf(section.oversight_rows, OversightRowObject);
    fields[std::string("strengths")] = ListOf(section.oversight_strengths, QaThemeObject);
    fields[std::string("areasForDevelopment")] = ListOf(section.oversight_areas, QaThemeObject);
  }
  return object;
}

// A bar group of the chart: null for a quarter not yet reported.
google::protobuf::Value ChartObject(const QuarterReport& report, const ChartQuarter& q) {
  auto value = [](const std::optional<int64_t>& v, bool withheld) {
    if (withheld) return Text(kWithheld);
    return v.has_value() ? Number(*v) : Null();
  };
  return Object(
      {{"quarter", Number(q.quarter)},
       {"period", Text(FormatQuarter({report.financial_year, q.quarter}))},
       {"complaintsReceived", value(q.complaints_received, q.complaints_received_withheld)},
       {"compliments", value(q.compliments, q.compliments_withheld)},
       {"advocacyReferrals", value(q.advocacy_referrals, q.advocacy_referrals_withheld)}});
}

google::protobuf::Value AgeBandObject(const QuarterReport& report, const AgeBandRow& row) {
  std::vector<google::protobuf::Value> bands;
  for (size_t i = 0; i < report.age_bands.size() && i < row.referrals.size(); ++i) {
    bands.push_back(
        Object({{"band", Text(report.age_bands[i])}, {"referrals", Figure(row.referrals[i])}}));
  }
  return Object({{"meeting", Text(EnumName(v1::Meeting_descriptor(), row.meeting))},
                 {"label", Text(row.label)},
                 {"measure", Text(row.measure)},
                 {"bands", List(std::move(bands))}});
}

google::protobuf::Value LateRevisionObject(const LateRevisionNote& note) {
  return Object({{"period", Text(note.period)},
                 {"section", Text(note.section)},
                 {"measure", Text(note.measure)},
                 {"label", Text(note.label)},
                 {"count", Figure(note.count)},
                 {"text", Text(note.text)}});
}

}  // namespace

std::string RenderJson(const QuarterReport& report) {
  return PrintJson(StructOf(
      {{"period", Text(report.period)},
       {"financialYear", Number(report.financial_year)},
       {"quarter", Number(report.quarter)},
       {"title", Text(report.title)},
       {"heading", Text(report.heading)},
       {"division", Text(report.division)},
       {"serviceArea", report.service_area == v1::SERVICE_AREA_UNSPECIFIED
                           ? Null()
                           : Text(EnumName(v1::ServiceArea_descriptor(), report.service_area))},
       {"scopeNote", Text(report.scope_note)},
       {"previousPeriod", Text(report.previous_period)},
       {"yearToDateFrom", Text(FormatQuarter({report.financial_year, 1}))},
       {"sections", ListOf(report.sections,
                           [&report](const ReportSection& s) { return SectionObject(report, s); })},
       {"chart",
        ListOf(report.chart, [&report](const ChartQuarter& q) { return ChartObject(report, q); })},
       {"advocacyByAge",
        ListOf(report.age_band_rows,
               [&report](const AgeBandRow& r) { return AgeBandObject(report, r); })},
       {"suppressed", ListOf(report.suppressed, Text)},
       {"publishedOn", report.published_on.empty() ? Null() : Text(report.published_on)},
       {"lateRevisions", ListOf(report.late_revisions, LateRevisionObject)}}));
}

}  // namespace feedback::client
