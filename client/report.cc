#include "client/report.h"

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/lib/terminal_text.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "proto/vocabulary/enum_flags.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

constexpr char kEnDash[] = "\xE2\x80\x93";  // –

// This abseil's string_view is its own type: the bridge from std::string_view.
absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }
std::string_view S(absl::string_view s) { return std::string_view(s.data(), s.size()); }

// A figure as the server gave it: nullopt when withheld by small-number suppression.
using Value = std::optional<int64_t>;
using Getter = std::function<Value(const v1::QuarterSummary&)>;

// "1 complaint", "26 complaints", "c complaints".
std::string Count(Value n, absl::string_view one, absl::string_view many) {
  if (!n.has_value()) return absl::StrCat(kWithheld, " ", many);
  return absl::StrCat(*n, " ", *n == 1 ? one : many);
}

// "26", or "c" when withheld.
std::string Shown(Value n) { return n.has_value() ? absl::StrCat(*n) : std::string(kWithheld); }

// The sum, withheld when any part is.
Value Plus(Value a, Value b) {
  if (!a.has_value() || !b.has_value()) return std::nullopt;
  return *a + *b;
}

// True if the server withheld the cell `name` of `s` (QuarterSummary.suppressed).
bool IsWithheld(const v1::QuarterSummary& s, std::string_view name) {
  return std::find(s.suppressed().begin(), s.suppressed().end(), name) != s.suppressed().end();
}

// The int64 field `name` of `s`; the server names a withheld scalar after its field.
Value FieldOf(const v1::QuarterSummary& s, const std::string& name) {
  if (IsWithheld(s, name)) return std::nullopt;
  const google::protobuf::FieldDescriptor* field = s.GetDescriptor()->FindFieldByName(name);
  return field == nullptr ? 0 : s.GetReflection()->GetInt64(s, field);
}

Getter Field(std::string name) {
  return [name = std::move(name)](const v1::QuarterSummary& s) { return FieldOf(s, name); };
}

// "advocacy.MEETING_CLA_REVIEW.referrals": the server's name of an advocacy cell.
std::string AdvocacyCell(v1::Meeting meeting, std::string_view part) {
  return absl::StrCat("advocacy.", v1::Meeting_Name(meeting), ".", A(part));
}

std::string SpacedQuarter(int financial_year, int quarter) {
  const std::string written = FormatQuarter(Quarter{financial_year, quarter});  // 2018-19Q3
  return absl::StrCat(written.substr(0, written.size() - 2), " ",
                      written.substr(written.size() - 2));
}

std::string Months(int financial_year, int quarter) {
  static constexpr std::array<const char*, 4> kMonths = {
      "April \xE2\x80\x93 June", "July \xE2\x80\x93 September", "October \xE2\x80\x93 December",
      "January \xE2\x80\x93 March"};
  return absl::StrCat(kMonths[quarter - 1], " ", financial_year + (quarter == 4 ? 1 : 0));
}

// "Q1" or "Q1–Q3": the quarters a year-to-date figure sums.
std::string YearToDateSpan(int quarter) {
  return quarter == 1 ? "Q1" : absl::StrCat("Q1", kEnDash, "Q", quarter);
}

// "INITIAL_CP_CONFERENCE" -> "initial_cp_conference": the stable part of advocacy measures.
std::string MeetingKey(v1::Meeting meeting) {
  return absl::StrReplaceAll(FormatEnumFlag(v1::Meeting_descriptor(), meeting), {{"-", "_"}});
}

std::string MeetingName(v1::Meeting meeting) {
  switch (meeting) {
    case v1::MEETING_INITIAL_CP_CONFERENCE:
      return "Initial Child Protection Conference";
    case v1::MEETING_REVIEW_CP_CONFERENCE:
      return "Review Child Protection Conference";
    case v1::MEETING_CLA_REVIEW:
      return "Children Looked After";
    case v1::MEETING_CIN_REVIEW:
      return "Child in Need Review";
    case v1::MEETING_EARLY_HELP_REVIEW:
      return "Early Help Review";
    case v1::MEETING_FAMILY_GROUP_CONFERENCE:
      return "Family Group Conference";
    case v1::MEETING_OTHER:
      return "Other Meetings";
    default:
      return "Unspecified Meeting";
  }
}

const v1::AdvocacyFigures* FindAdvocacy(const v1::QuarterSummary& summary, v1::Meeting meeting) {
  for (const v1::AdvocacyFigures& a : summary.advocacy()) {
    if (a.meeting() == meeting) return &a;
  }
  return nullptr;
}

Value ReferralsOf(const v1::QuarterSummary& s, v1::Meeting meeting) {
  if (IsWithheld(s, AdvocacyCell(meeting, "referrals"))) return std::nullopt;
  const v1::AdvocacyFigures* a = FindAdvocacy(s, meeting);
  return a == nullptr ? 0 : a->referrals();
}

Value ProgressedOf(const v1::QuarterSummary& s, v1::Meeting meeting) {
  if (IsWithheld(s, AdvocacyCell(meeting, "progressed"))) return std::nullopt;
  const v1::AdvocacyFigures* a = FindAdvocacy(s, meeting);
  return a == nullptr ? 0 : a->progressed();
}

Value AdvocacyTotal(const v1::QuarterSummary& s) {
  Value total = 0;
  for (const v1::AdvocacyFigures& a : s.advocacy())
    total = Plus(total, ReferralsOf(s, a.meeting()));
  return total;
}

Value ComplimentsTotal(const v1::QuarterSummary& s) {
  return Plus(
      Plus(FieldOf(s, "compliments_from_families"), FieldOf(s, "compliments_from_partners")),
      Plus(FieldOf(s, "compliments_from_children"), FieldOf(s, "compliments_from_advocates")));
}

// The figure definitions, in report order.
struct FigureSpec {
  std::string measure;
  std::string section;
  std::string label;
  Getter get;
};

std::vector<FigureSpec> FigureSpecs(const std::vector<v1::Meeting>& meetings) {
  std::vector<FigureSpec> specs;
  for (v1::Meeting meeting : meetings) {
    const std::string key = MeetingKey(meeting);
    const std::string name = MeetingName(meeting);
    specs.push_back({absl::StrCat("advocacy_", key, "_referrals"), "participation",
                     absl::StrCat("Advocacy referrals ", kEnDash, " ", name),
                     [meeting](const v1::QuarterSummary& s) { return ReferralsOf(s, meeting); }});
    specs.push_back({absl::StrCat("advocacy_", key, "_progressed"), "participation",
                     absl::StrCat("Progressed to advocacy support ", kEnDash, " ", name),
                     [meeting](const v1::QuarterSummary& s) { return ProgressedOf(s, meeting); }});
  }
  auto add = [&specs](std::string measure, std::string section, std::string label, Getter get) {
    specs.push_back({std::move(measure), std::move(section), std::move(label), std::move(get)});
  };
  add("advocacy_referrals_total", "participation", "Advocacy referrals, every meeting",
      AdvocacyTotal);
  add("advocacy_progressed_total", "participation", "Progressed to advocacy support, every meeting",
      [](const v1::QuarterSummary& s) {
        Value total = 0;
        for (const v1::AdvocacyFigures& a : s.advocacy()) {
          total = Plus(total, ProgressedOf(s, a.meeting()));
        }
        return total;
      });
  add("child_statements", "participation", "Children's statements", Field("child_statements"));
  add("compliments_from_children", "participation", "Compliments from children and young people",
      Field("compliments_from_children"));
  add("compliments_from_advocates", "participation", "Compliments from advocates",
      Field("compliments_from_advocates"));
  add("complaints_received", "families", "Complaints received", Field("complaints_received"));
  add("complaints_upheld_or_partially_upheld", "families", "Complaints upheld or partially upheld",
      [](const v1::QuarterSummary& s) {
        return Plus(FieldOf(s, "complaints_upheld"), FieldOf(s, "complaints_partially_upheld"));
      });
  add("complaints_upheld", "families", "Complaints upheld", Field("complaints_upheld"));
  add("complaints_partially_upheld", "families", "Complaints partially upheld",
      Field("complaints_partially_upheld"));
  add("complaints_not_upheld", "families", "Complaints not upheld", Field("complaints_not_upheld"));
  add("complaints_withdrawn", "families", "Complaints withdrawn", Field("complaints_withdrawn"));
  add("complaints_closed", "families", "Complaints closed (any outcome)",
      Field("complaints_closed"));
  add("complaints_closed_in_time", "families", "Complaints closed within their due date",
      Field("complaints_closed_in_time"));
  add("complaints_escalated_stage_2", "families", "Complaints escalated to stage 2",
      Field("complaints_escalated_stage_2"));
  add("complaints_escalated_stage_3", "families", "Complaints escalated to stage 3",
      Field("complaints_escalated_stage_3"));
  add("compliments_from_families", "families", "Compliments from families",
      Field("compliments_from_families"));
  add("compliments_from_partners", "partners", "Compliments from partner agencies",
      Field("compliments_from_partners"));
  add("compliments_total", "all", "Compliments, every source", ComplimentsTotal);
  add("comments", "all", "Comments", Field("comments"));
  return specs;
}

// The section a quote belongs in, by who gave it.
std::string QuoteSection(v1::Source source) {
  switch (source) {
    case v1::SOURCE_CHILD:
    case v1::SOURCE_ADVOCATE:
      return "participation";
    case v1::SOURCE_FAMILY:
      return "families";
    case v1::SOURCE_PARTNER_AGENCY:
      return "partners";
    default:
      return "all";
  }
}

std::string SourceName(v1::Source source) {
  const std::string spelled = FormatEnumFlag(v1::Source_descriptor(), source);
  return spelled.empty() ? "unspecified" : spelled;
}

std::string EnumName(const google::protobuf::EnumDescriptor* type, int number) {
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  return value == nullptr ? absl::StrCat(number) : value->name();
}

// Lines of `text`, with CRLF and CR taken as LF.
std::vector<std::string> Lines(std::string_view text) {
  std::string normal = absl::StrReplaceAll(A(text), {{"\r\n", "\n"}});
  std::replace(normal.begin(), normal.end(), '\r', '\n');
  return absl::StrSplit(normal, '\n');
}

// A figure's change column: "(+3 on Q2)", or "c" when either quarter was withheld.
std::string ChangeCell(const ReportFigure& f, std::string_view on) {
  return f.change_withheld() ? std::string(kWithheld) : ChangeText(f.value, f.previous_quarter, on);
}

std::string ValueCell(const ReportFigure& f) {
  return f.value_withheld ? std::string(kWithheld) : absl::StrCat(f.value);
}

std::string YearToDateCell(const ReportFigure& f) {
  return f.year_to_date_withheld ? std::string(kWithheld) : absl::StrCat(f.year_to_date);
}

// True if any number the report shows is withheld.
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
  return false;
}

constexpr char kWithheldNote[] =
    "c: withheld to protect children's confidentiality (a count of 1 to 5, or a figure from "
    "which one could be worked out).";

// "advocacy_cla_review_age_10_15": the CSV measure of one age band cell.
std::string AgeBandMeasure(const AgeBandRow& row, std::string_view band) {
  return absl::StrCat(row.measure, "_", absl::StrReplaceAll(A(band), {{"-", "_"}, {"+", "_plus"}}));
}

// ---------------------------------------------------------------------------------------------
// Published quarters

// The late revisions of `s` as a summary of differences: each revised cell holds its count, each
// withheld one is listed in `suppressed`, so that the figure getters read it like any summary.
v1::QuarterSummary LateSummary(const v1::QuarterSummary& s) {
  v1::QuarterSummary late;
  late.set_financial_year(s.financial_year());
  late.set_quarter(s.quarter());
  for (const v1::LateRevision& revision : s.late_revisions()) {
    const std::string& name = revision.figure();
    if (revision.withheld()) late.add_suppressed(name);
    int rating = 0;
    if (absl::StartsWith(name, "ratings.") && absl::SimpleAtoi(name.substr(8), &rating)) {
      v1::RatingCount* count = late.add_ratings();
      count->set_rating(rating);
      count->set_count(revision.count());
    } else if (absl::StartsWith(name, "tags.")) {
      v1::TagCount* tag = late.add_tags();
      tag->set_tag(name.substr(5));
      tag->set_count(revision.count());
    } else if (absl::StartsWith(name, "advocacy.")) {
      // advocacy.<MEETING>.<referrals|progressed|...> or advocacy.<MEETING>.age_band.<band>
      const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 3));
      v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
      if (parts.size() < 3 || !v1::Meeting_Parse(parts[1], &meeting)) continue;
      v1::AdvocacyFigures* a = nullptr;
      for (v1::AdvocacyFigures& existing : *late.mutable_advocacy()) {
        if (existing.meeting() == meeting) a = &existing;
      }
      if (a == nullptr) {
        a = late.add_advocacy();
        a->set_meeting(meeting);
      }
      if (parts[2] == "referrals") a->set_referrals(revision.count());
      if (parts[2] == "progressed") a->set_progressed(revision.count());
      if (parts[2] == "declined") a->set_declined(revision.count());
      if (parts[2] == "not_progressed") a->set_not_progressed(revision.count());
      if (parts[2] == "age_band" && parts.size() == 4) {
        v1::AgeBandCount* band = a->add_age_bands();
        band->set_band(parts[3]);
        band->set_referrals(revision.count());
      }
    } else if (const google::protobuf::FieldDescriptor* field =
                   late.GetDescriptor()->FindFieldByName(name);
               field != nullptr && !field->is_repeated() &&
               field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      late.GetReflection()->SetInt64(&late, field, revision.count());
    }
  }
  return late;
}

// "2018-19 Q3 – Complaints received: 1 more after publication".
std::string LateRevisionText(const std::string& spaced_period, std::string_view label,
                             Value count) {
  std::string change;
  if (!count.has_value()) {
    change = absl::StrCat(kWithheld, " more");
  } else if (*count < 0) {
    change = absl::StrCat(-*count, " fewer");
  } else {
    change = absl::StrCat(*count, " more");
  }
  return absl::StrCat(spaced_period, " ", kEnDash, " ", A(label), ": ", change,
                      " after publication");
}

constexpr char kLateRevisionsHeading[] = "Revised after publication";
constexpr char kLateRevisionsLead[] =
    "These figures changed after their quarter was published. The figures in this report are "
    "as published and do not include the changes.";

// "Figures as published on 2019-01-15." or "".
std::string PublishedSentence(const QuarterReport& report) {
  if (report.published_on.empty()) return "";
  return absl::StrCat("Figures as published on ", report.published_on, ".");
}

// ---------------------------------------------------------------------------------------------
// Markdown

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
    absl::StrAppend(&out, "| ", MarkdownEscape(f.label), " | ", ValueCell(f), " | ",
                    ChangeCell(f, report.change_label), " | ", YearToDateCell(f), " |\n");
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

// ---------------------------------------------------------------------------------------------
// CSV

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  quoted.reserve(fields.size());
  for (const std::string& field : fields) quoted.push_back(CsvField(field));
  return absl::StrCat(absl::StrJoin(quoted, ","), "\r\n");
}

// ---------------------------------------------------------------------------------------------
// JSON

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

google::protobuf::Value Object(google::protobuf::Struct s) {
  google::protobuf::Value v;
  *v.mutable_struct_value() = std::move(s);
  return v;
}

google::protobuf::Value List(std::vector<google::protobuf::Value> items) {
  google::protobuf::Value v;
  for (google::protobuf::Value& item : items)
    *v.mutable_list_value()->add_values() = std::move(item);
  return v;
}

void Put(google::protobuf::Struct& s, const std::string& key, google::protobuf::Value value) {
  (*s.mutable_fields())[key] = std::move(value);
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

// ---------------------------------------------------------------------------------------------
// HTML

constexpr std::string_view kHtmlStyle = R"css(
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

// The smallest 1, 2 or 5 times a power of ten that splits [0, top] into at most 5 steps.
int64_t NiceStep(int64_t top) {
  int64_t power = 1;
  while (true) {
    for (int64_t m : {1, 2, 5}) {
      if (top <= m * power * 5) return m * power;
    }
    power *= 10;
  }
}

std::string SvgChart(const QuarterReport& report) {
  constexpr int kWidth = 720, kHeight = 340;
  constexpr int kLeft = 48, kRight = 16, kTop = 44, kBottom = 36;
  constexpr int kPlotWidth = kWidth - kLeft - kRight;
  constexpr int kPlotHeight = kHeight - kTop - kBottom;
  constexpr int kBar = 34, kGap = 6;
  int64_t top = 1;
  for (const ChartQuarter& q : report.chart) {
    for (const std::optional<int64_t>& v :
         {q.complaints_received, q.compliments, q.advocacy_referrals}) {
      if (v.has_value()) top = std::max(top, *v);
    }
  }
  const int64_t step = NiceStep(top);
  const int64_t axis_top = ((top + step - 1) / step) * step;
  auto y_of = [&](int64_t v) {
    return kTop + kPlotHeight - static_cast<double>(v) * kPlotHeight / axis_top;
  };
  const std::string fy = SpacedQuarter(report.financial_year, 1);
  const std::string year = fy.substr(0, fy.size() - 3);  // "2018-19"
  std::string out = absl::StrFormat(
      "<svg role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 %d %d\" width=\"%d\" "
      "height=\"%d\">\n<title id=\"chart-title\">Complaints received, compliments and advocacy "
      "referrals by quarter, %s</title>\n",
      kWidth, kHeight, kWidth, kHeight, year);
  // Legend.
  const std::array<std::pair<const char*, const char*>, 3> series = {
      {{"complaints", "Complaints received"},
       {"compliments", "Compliments (every source)"},
       {"advocacy", "Advocacy referrals"}}};
  int legend_x = kLeft;
  for (const auto& [css, name] : series) {
    absl::StrAppendFormat(&out,
                          "<rect class=\"%s\" x=\"%d\" y=\"10\" width=\"12\" height=\"12\"/>"
                          "<text x=\"%d\" y=\"21\">%s</text>\n",
                          css, legend_x, legend_x + 16, name);
    legend_x += 200;
  }
  // Grid lines and the value axis.
  for (int64_t v = 0; v <= axis_top; v += step) {
    const double y = y_of(v);
    absl::StrAppendFormat(&out,
                          "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
                          v == 0 ? "axis" : "grid", kLeft, y, kLeft + kPlotWidth, y, kLeft - 6,
                          y + 4, v);
  }
  absl::StrAppendFormat(&out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                        kLeft, kTop, kLeft, kTop + kPlotHeight);
  // One group of bars per quarter.
  const int group_width = kPlotWidth / static_cast<int>(report.chart.size());
  const int bars_width = 3 * kBar + 2 * kGap;
  for (size_t i = 0; i < report.chart.size(); ++i) {
    const ChartQuarter& q = report.chart[i];
    const int group_x = kLeft + static_cast<int>(i) * group_width;
    const int center = group_x + group_width / 2;
    absl::StrAppendFormat(&out, "<g class=\"quarter\" data-quarter=\"%d\">\n", q.quarter);
    const std::array<std::optional<int64_t>, 3> values = {q.complaints_received, q.compliments,
                                                          q.advocacy_referrals};
    const std::array<bool, 3> withheld = {q.complaints_received_withheld, q.compliments_withheld,
                                          q.advocacy_referrals_withheld};
    if (!values[0].has_value()) {
      absl::StrAppendFormat(&out,
                            "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                            "not yet reported</text>\n",
                            center, kTop + kPlotHeight - 8);
    }
    for (size_t s = 0; s < values.size(); ++s) {
      if (!values[s].has_value()) continue;
      const int x = center - bars_width / 2 + static_cast<int>(s) * (kBar + kGap);
      if (withheld[s]) {
        // No bar: the value is withheld. Its label says so, as in the tables.
        absl::StrAppendFormat(&out,
                              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\"><title>Q%d %s: "
                              "withheld</title>%s</text>\n",
                              x + kBar / 2, kTop + kPlotHeight - 4, q.quarter, series[s].second,
                              kWithheld);
        continue;
      }
      const double y = y_of(*values[s]);
      absl::StrAppendFormat(&out,
                            "<rect class=\"%s\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\">"
                            "<title>Q%d %s: %d</title></rect>"
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
                            series[s].first, x, y, kBar, kTop + kPlotHeight - y, q.quarter,
                            series[s].second, *values[s], x + kBar / 2, y - 4, *values[s]);
    }
    absl::StrAppendFormat(&out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">Q%d</text>\n</g>\n",
                          center, kTop + kPlotHeight + 20, q.quarter);
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

std::string HtmlFigureTable(const QuarterReport& report, std::string_view section) {
  std::string out =
      absl::StrCat("<table>\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">",
                   HtmlEscape(SpacedQuarter(report.financial_year, report.quarter)),
                   "</th><th scope=\"col\">Change on ", HtmlEscape(report.change_label),
                   "</th><th scope=\"col\">Year to date</th></tr></thead>\n<tbody>\n");
  for (const ReportFigure& f : report.figures) {
    if (f.section != section) continue;
    absl::StrAppend(&out, "<tr><th scope=\"row\">", HtmlEscape(f.label), "</th><td class=\"n\">",
                    ValueCell(f), "</td><td>", HtmlEscape(ChangeCell(f, report.change_label)),
                    "</td><td class=\"n\">", YearToDateCell(f), "</td></tr>\n");
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

}  // namespace

absl::StatusOr<ReportFormat> ParseReportFormat(std::string_view text) {
  if (text == "md" || text == "markdown") return ReportFormat::kMarkdown;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "json") return ReportFormat::kJson;
  if (text == "html") return ReportFormat::kHtml;
  return absl::InvalidArgumentError(
      absl::StrCat("--format: \"", std::string(text), "\" is not one of: md, csv, json, html"));
}

ReportQuote QuoteFromFeedback(const v1::Feedback& feedback) {
  ReportQuote quote;
  quote.id = feedback.id();
  quote.source = feedback.source();
  quote.kind = feedback.kind();
  quote.meeting = feedback.meeting();
  quote.text = feedback.text();
  quote.occurred_at_seconds = feedback.occurred_at().seconds();
  return quote;
}

std::string FamiliesStatement(int64_t complaints, int64_t upheld_or_partially_upheld,
                              int64_t compliments) {
  return FamiliesStatement(Value(complaints), Value(upheld_or_partially_upheld),
                           Value(compliments));
}

std::string FamiliesStatement(Value complaints, Value upheld_or_partially_upheld,
                              Value compliments) {
  return absl::StrCat("Feedback from Families: ", Count(complaints, "complaint", "complaints"),
                      " (", Shown(upheld_or_partially_upheld), " upheld or partially upheld) and ",
                      Count(compliments, "compliment", "compliments"), ".");
}

std::string PartnersStatement(int64_t compliments) { return PartnersStatement(Value(compliments)); }

std::string PartnersStatement(Value compliments) {
  return absl::StrCat(
      "Feedback from Partner Agencies: ", Count(compliments, "compliment was", "compliments were"),
      " received from partner agencies");
}

std::string AdvocacyStatement(v1::Meeting meeting, int64_t referrals, int64_t progressed) {
  return AdvocacyStatement(meeting, Value(referrals), Value(progressed));
}

std::string AdvocacyStatement(v1::Meeting meeting, Value referrals, Value progressed) {
  switch (meeting) {
    case v1::MEETING_INITIAL_CP_CONFERENCE:
      return absl::StrCat("Advocacy ", kEnDash, " Initial Child Protection Conference ", kEnDash,
                          " ", Count(referrals, "referral", "referrals"), " (", Shown(progressed),
                          " progressed to advocacy support at conference)");
    case v1::MEETING_CLA_REVIEW:
      return absl::StrCat("Advocacy for Children Looked After ", kEnDash, " ",
                          Count(referrals, "Referral", "Referrals"), " (", Shown(progressed),
                          " progressed to advocacy support)");
    default:
      return absl::StrCat("Advocacy ", kEnDash, " ", MeetingName(meeting), " ", kEnDash, " ",
                          Count(referrals, "referral", "referrals"), " (", Shown(progressed),
                          " progressed to advocacy support)");
  }
}

std::string ChangeText(int64_t now, int64_t before, std::string_view on) {
  const int64_t change = now - before;
  if (change == 0) return absl::StrCat("(no change on ", A(on), ")");
  return absl::StrCat("(", change > 0 ? "+" : "", change, " on ", A(on), ")");
}

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

std::string ExportCsvRow(const v1::Feedback& f) {
  using google::protobuf::util::TimeUtil;
  auto time = [](const google::protobuf::Timestamp& t) {
    return t.seconds() == 0 && t.nanos() == 0 ? std::string() : TimeUtil::ToString(t);
  };
  return CsvRecord({
      f.id(),
      f.submission_id(),
      time(f.occurred_at()),
      time(f.received_at()),
      FormatEnumFlag(v1::Source_descriptor(), f.source()),
      FormatEnumFlag(v1::Kind_descriptor(), f.kind()),
      FormatEnumFlag(v1::Meeting_descriptor(), f.meeting()),
      FormatEnumFlag(v1::ServiceArea_descriptor(), f.service_area()),
      f.rating() == 0 ? "" : absl::StrCat(f.rating()),
      f.consent_to_quote() ? "true" : "false",
      FormatEnumFlag(v1::ComplaintStage_descriptor(), f.complaint_stage()),
      FormatEnumFlag(v1::ComplaintOutcome_descriptor(), f.complaint_outcome()),
      absl::StrJoin(f.tags(), ";"),
      f.advocacy_referral_id(),
      f.child_confirmed() ? "true" : "false",
      SpreadsheetSafe(f.text()),
  });
}

absl::StatusOr<QuarterReport> BuildQuarterReport(const QuarterReportInput& input) {
  const std::vector<v1::QuarterSummary>& summaries = input.summaries;
  if (summaries.empty() || summaries.size() > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "summaries: want the quarters Q1..Qn of one financial year, got ", summaries.size()));
  }
  const int financial_year = summaries.front().financial_year();
  for (size_t i = 0; i < summaries.size(); ++i) {
    if (summaries[i].financial_year() != financial_year ||
        summaries[i].quarter() != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "summaries[", i, "]: want ", FormatQuarter({financial_year, static_cast<int>(i) + 1}),
          ", got financial_year ", summaries[i].financial_year(), " quarter ",
          summaries[i].quarter()));
    }
  }
  if (absl::Status valid = ValidateQuarter({financial_year, 1}); !valid.ok()) return valid;
  const v1::QuarterSummary& current = summaries.back();
  const v1::QuarterSummary& previous = current.previous_quarter();

  QuarterReport report;
  report.financial_year = financial_year;
  report.quarter = current.quarter();
  report.period = FormatQuarter({financial_year, report.quarter});
  report.title = absl::StrCat(SpacedQuarter(financial_year, report.quarter), " (",
                              Months(financial_year, report.quarter), ")");
  const Quarter before = PreviousQuarter({financial_year, report.quarter});
  report.previous_period = FormatQuarter(before);
  report.change_label = before.financial_year == financial_year
                            ? absl::StrCat("Q", before.quarter)
                            : SpacedQuarter(before.financial_year, before.quarter);

  // The pilot's two meetings always; any other meeting with a referral in the year or the
  // previous quarter.
  std::vector<v1::Meeting> meetings = {v1::MEETING_INITIAL_CP_CONFERENCE, v1::MEETING_CLA_REVIEW};
  // The published quarters shown with changes after publication, the reported one first, with
  // their changes as summaries of differences.
  std::vector<std::pair<const v1::QuarterSummary*, v1::QuarterSummary>> revised;
  for (auto s = summaries.rbegin(); s != summaries.rend(); ++s) {
    if (s->late_revisions_size() > 0) revised.emplace_back(&*s, LateSummary(*s));
  }
  if (summaries.size() == 1 && previous.late_revisions_size() > 0) {
    revised.emplace_back(&previous, LateSummary(previous));
  }
  std::vector<const v1::QuarterSummary*> all;
  all.reserve(summaries.size() + 1 + revised.size());
  for (const v1::QuarterSummary& s : summaries) all.push_back(&s);
  all.push_back(&previous);
  for (const auto& [summary, late] : revised) all.push_back(&late);
  for (int m = v1::Meeting_MIN; m <= v1::Meeting_MAX; ++m) {
    const auto meeting = static_cast<v1::Meeting>(m);
    if (!v1::Meeting_IsValid(m) ||
        std::find(meetings.begin(), meetings.end(), meeting) != meetings.end()) {
      continue;
    }
    const bool used = std::any_of(all.begin(), all.end(), [meeting](const v1::QuarterSummary* s) {
      const v1::AdvocacyFigures* a = FindAdvocacy(*s, meeting);
      return (a != nullptr && a->referrals() != 0) ||
             IsWithheld(*s, AdvocacyCell(meeting, "referrals"));
    });
    if (used) meetings.push_back(meeting);
  }

  const std::vector<FigureSpec> specs = FigureSpecs(meetings);
  for (const FigureSpec& spec : specs) {
    ReportFigure figure;
    figure.measure = spec.measure;
    figure.section = spec.section;
    figure.label = spec.label;
    const Value now = spec.get(current);
    const Value before = spec.get(previous);
    figure.value = now.value_or(0);
    figure.value_withheld = !now.has_value();
    figure.previous_quarter = before.value_or(0);
    figure.previous_quarter_withheld = !before.has_value();
    for (const v1::QuarterSummary& s : summaries) {
      const Value v = spec.get(s);
      figure.by_quarter.push_back(v.value_or(0));
      figure.by_quarter_withheld.push_back(!v.has_value());
      figure.year_to_date += v.value_or(0);
      if (!v.has_value()) figure.year_to_date_withheld = true;
    }
    if (figure.year_to_date_withheld) figure.year_to_date = 0;
    report.figures.push_back(std::move(figure));
  }

  ReportSection participation;
  participation.id = "participation";
  participation.heading = absl::StrCat("Participation ", kEnDash, " Advocacy Pilot");
  for (v1::Meeting meeting : meetings) {
    participation.statements.push_back(
        {absl::StrCat("advocacy_", MeetingKey(meeting), "_statement"),
         AdvocacyStatement(meeting, ReferralsOf(current, meeting),
                           ProgressedOf(current, meeting))});
  }
  ReportSection families;
  families.id = "families";
  families.heading = "Feedback from Families";
  families.group = "Feedback";
  families.statements.push_back(
      {"families_statement",
       FamiliesStatement(FieldOf(current, "complaints_received"),
                         Plus(FieldOf(current, "complaints_upheld"),
                              FieldOf(current, "complaints_partially_upheld")),
                         FieldOf(current, "compliments_from_families"))});
  ReportSection partners;
  partners.id = "partners";
  partners.heading = "Feedback from Partner Agencies";
  partners.group = "Feedback";
  partners.statements.push_back(
      {"partners_statement", PartnersStatement(FieldOf(current, "compliments_from_partners"))});
  ReportSection everything;
  everything.id = "all";
  everything.heading = "All feedback";
  report.sections = {std::move(participation), std::move(families), std::move(partners),
                     std::move(everything)};

  std::vector<ReportQuote> quotes = input.quotes;
  std::stable_sort(quotes.begin(), quotes.end(), [](const ReportQuote& a, const ReportQuote& b) {
    return std::tie(a.occurred_at_seconds, a.id) < std::tie(b.occurred_at_seconds, b.id);
  });
  for (ReportQuote& quote : quotes) {
    const std::string section = QuoteSection(quote.source);
    for (ReportSection& s : report.sections) {
      if (s.id == section) {
        s.quotes.push_back(std::move(quote));
        break;
      }
    }
  }

  for (int q = 1; q <= 4; ++q) {
    ChartQuarter bar;
    bar.quarter = q;
    if (q <= static_cast<int>(summaries.size())) {
      const v1::QuarterSummary& s = summaries[q - 1];
      const Value complaints = FieldOf(s, "complaints_received");
      const Value compliments = ComplimentsTotal(s);
      const Value referrals = AdvocacyTotal(s);
      bar.complaints_received = complaints.value_or(0);
      bar.complaints_received_withheld = !complaints.has_value();
      bar.compliments = compliments.value_or(0);
      bar.compliments_withheld = !compliments.has_value();
      bar.advocacy_referrals = referrals.value_or(0);
      bar.advocacy_referrals_withheld = !referrals.has_value();
    }
    report.chart.push_back(bar);
  }

  // Age bands in the order the server lists them (youngest first), for the reported meetings.
  for (const v1::AdvocacyFigures& a : current.advocacy()) {
    for (const v1::AgeBandCount& band : a.age_bands()) {
      if (std::find(report.age_bands.begin(), report.age_bands.end(), band.band()) ==
          report.age_bands.end()) {
        report.age_bands.push_back(band.band());
      }
    }
  }
  if (!report.age_bands.empty()) {
    for (v1::Meeting meeting : meetings) {
      AgeBandRow row;
      row.meeting = meeting;
      row.measure = absl::StrCat("advocacy_", MeetingKey(meeting), "_age");
      row.label = MeetingName(meeting);
      const v1::AdvocacyFigures* a = FindAdvocacy(current, meeting);
      for (const std::string& band : report.age_bands) {
        Value value = 0;
        if (IsWithheld(current, absl::StrCat(AdvocacyCell(meeting, "age_band"), ".", band))) {
          value = std::nullopt;
        } else if (a != nullptr) {
          for (const v1::AgeBandCount& count : a->age_bands()) {
            if (count.band() == band) value = count.referrals();
          }
        }
        row.referrals.push_back(value);
      }
      report.age_band_rows.push_back(std::move(row));
    }
  }
  report.suppressed.assign(current.suppressed().begin(), current.suppressed().end());

  if (current.has_published_at()) {
    report.published_on = absl::FormatTime(
        "%Y-%m-%d", absl::FromUnixSeconds(current.published_at().seconds()), absl::UTCTimeZone());
  }
  for (const auto& [summary, late] : revised) {
    const std::string period = FormatQuarter({summary->financial_year(), summary->quarter()});
    const std::string spaced = SpacedQuarter(summary->financial_year(), summary->quarter());
    auto note = [&](const std::string& section, const std::string& measure,
                    const std::string& label, Value count) {
      report.late_revisions.push_back(
          {period, section, measure, label, count, LateRevisionText(spaced, label, count)});
    };
    for (const FigureSpec& spec : specs) {
      const Value count = spec.get(late);
      if (!count.has_value() || *count != 0) note(spec.section, spec.measure, spec.label, count);
    }
    // The age bands, which the report shows for the reported quarter only.
    if (summary != &current) continue;
    for (const v1::AdvocacyFigures& a : late.advocacy()) {
      for (const v1::AgeBandCount& band : a.age_bands()) {
        const bool withheld =
            IsWithheld(late, absl::StrCat(AdvocacyCell(a.meeting(), "age_band"), ".", band.band()));
        if (!withheld && band.referrals() == 0) continue;
        AgeBandRow row;
        row.measure = absl::StrCat("advocacy_", MeetingKey(a.meeting()), "_age");
        note("participation", AgeBandMeasure(row, band.band()),
             absl::StrCat("Advocacy referrals ", kEnDash, " ", MeetingName(a.meeting()), ", aged ",
                          band.band()),
             withheld ? Value() : Value(band.referrals()));
      }
    }
  }
  return report;
}

std::string RenderMarkdown(const QuarterReport& report) {
  const std::string ytd = YearToDateSpan(report.quarter);
  std::string out = absl::StrCat(
      "# Feedback and participation report, ", report.title, "\n\n",
      "Children's Social Care and Early Help Division. Figures from the quarterly summaries; "
      "change is on the previous quarter, ",
      report.change_label, " (", report.previous_period, "); year to date is ", ytd, " of ",
      report.period.substr(0, report.period.size() - 2),
      ". Quotes are given with consent to quote, in the person's own words.\n");
  if (AnyWithheld(report)) absl::StrAppend(&out, "\n", kWithheldNote, "\n");
  if (!report.published_on.empty()) absl::StrAppend(&out, "\n", PublishedSentence(report), "\n");
  if (!report.late_revisions.empty()) {
    absl::StrAppend(&out, "\n## ", kLateRevisionsHeading, "\n\n", kLateRevisionsLead, "\n\n");
    for (const LateRevisionNote& note : report.late_revisions) {
      absl::StrAppend(&out, "- ", MarkdownEscape(note.text), "\n");
    }
  }
  std::string group;
  for (const ReportSection& section : report.sections) {
    if (section.group.empty()) {
      absl::StrAppend(&out, "\n## ", section.heading, "\n");
      group.clear();
    } else {
      if (section.group != group) absl::StrAppend(&out, "\n## ", section.group, "\n");
      group = section.group;
      absl::StrAppend(&out, "\n### ", section.heading, "\n");
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
    for (const ReportQuote& quote : section.quotes) {
      absl::StrAppend(&out, "\n", MarkdownQuote(quote.text));
    }
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

std::string RenderCsv(const QuarterReport& report) {
  std::string out = absl::StrCat(kReportCsvHeader, "\r\n");
  const std::string year = absl::StrCat(report.financial_year);
  const std::string quarter = absl::StrCat(report.quarter);
  for (const ReportSection& section : report.sections) {
    for (const ReportStatement& s : section.statements) {
      absl::StrAppend(&out, CsvRecord({report.period, year, quarter, section.id, "statement",
                                       s.measure, section.heading, "", "", "", "", s.text}));
    }
    for (const ReportFigure& f : report.figures) {
      if (f.section != section.id) continue;
      absl::StrAppend(
          &out, CsvRecord({report.period, year, quarter, section.id, "figure", f.measure, f.label,
                           ValueCell(f),
                           f.previous_quarter_withheld ? std::string(kWithheld)
                                                       : absl::StrCat(f.previous_quarter),
                           f.change_withheld() ? std::string(kWithheld) : absl::StrCat(f.change()),
                           YearToDateCell(f), ""}));
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
    for (const ReportQuote& q : section.quotes) {
      absl::StrAppend(&out,
                      CsvRecord({report.period, year, quarter, section.id, "quote", "quote",
                                 SourceName(q.source), "", "", "", "", SpreadsheetSafe(q.text)}));
    }
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

std::string RenderJson(const QuarterReport& report) {
  google::protobuf::Struct root;
  Put(root, "period", Text(report.period));
  Put(root, "financialYear", Number(report.financial_year));
  Put(root, "quarter", Number(report.quarter));
  Put(root, "title", Text(report.title));
  Put(root, "previousPeriod", Text(report.previous_period));
  Put(root, "yearToDateFrom", Text(FormatQuarter({report.financial_year, 1})));
  std::vector<google::protobuf::Value> sections;
  for (const ReportSection& section : report.sections) {
    google::protobuf::Struct s;
    Put(s, "id", Text(section.id));
    Put(s, "heading", Text(section.heading));
    Put(s, "group", Text(section.group));
    std::vector<google::protobuf::Value> statements;
    for (const ReportStatement& st : section.statements) {
      google::protobuf::Struct o;
      Put(o, "measure", Text(st.measure));
      Put(o, "text", Text(st.text));
      statements.push_back(Object(std::move(o)));
    }
    Put(s, "statements", List(std::move(statements)));
    std::vector<google::protobuf::Value> figures;
    for (const ReportFigure& f : report.figures) {
      if (f.section != section.id) continue;
      google::protobuf::Struct o;
      Put(o, "measure", Text(f.measure));
      Put(o, "label", Text(f.label));
      Put(o, "value", f.value_withheld ? Text(kWithheld) : Number(f.value));
      Put(o, "previousQuarter",
          f.previous_quarter_withheld ? Text(kWithheld) : Number(f.previous_quarter));
      Put(o, "change", f.change_withheld() ? Text(kWithheld) : Number(f.change()));
      Put(o, "yearToDate", f.year_to_date_withheld ? Text(kWithheld) : Number(f.year_to_date));
      std::vector<google::protobuf::Value> by_quarter;
      for (size_t i = 0; i < f.by_quarter.size(); ++i) {
        const bool withheld = i < f.by_quarter_withheld.size() && f.by_quarter_withheld[i];
        by_quarter.push_back(withheld ? Text(kWithheld) : Number(f.by_quarter[i]));
      }
      Put(o, "byQuarter", List(std::move(by_quarter)));
      figures.push_back(Object(std::move(o)));
    }
    Put(s, "figures", List(std::move(figures)));
    std::vector<google::protobuf::Value> quotes;
    for (const ReportQuote& q : section.quotes) {
      google::protobuf::Struct o;
      Put(o, "text", Text(q.text));
      Put(o, "source", Text(EnumName(v1::Source_descriptor(), q.source)));
      Put(o, "kind", Text(EnumName(v1::Kind_descriptor(), q.kind)));
      Put(o, "meeting", Text(EnumName(v1::Meeting_descriptor(), q.meeting)));
      quotes.push_back(Object(std::move(o)));
    }
    Put(s, "quotes", List(std::move(quotes)));
    sections.push_back(Object(std::move(s)));
  }
  Put(root, "sections", List(std::move(sections)));
  std::vector<google::protobuf::Value> chart;
  for (const ChartQuarter& q : report.chart) {
    google::protobuf::Struct o;
    Put(o, "quarter", Number(q.quarter));
    Put(o, "period", Text(FormatQuarter({report.financial_year, q.quarter})));
    auto value = [](const std::optional<int64_t>& v, bool withheld) {
      if (withheld) return Text(kWithheld);
      return v.has_value() ? Number(*v) : Null();
    };
    Put(o, "complaintsReceived", value(q.complaints_received, q.complaints_received_withheld));
    Put(o, "compliments", value(q.compliments, q.compliments_withheld));
    Put(o, "advocacyReferrals", value(q.advocacy_referrals, q.advocacy_referrals_withheld));
    chart.push_back(Object(std::move(o)));
  }
  Put(root, "chart", List(std::move(chart)));
  std::vector<google::protobuf::Value> by_age;
  for (const AgeBandRow& row : report.age_band_rows) {
    google::protobuf::Struct o;
    Put(o, "meeting", Text(EnumName(v1::Meeting_descriptor(), row.meeting)));
    Put(o, "label", Text(row.label));
    Put(o, "measure", Text(row.measure));
    std::vector<google::protobuf::Value> bands;
    for (size_t i = 0; i < report.age_bands.size() && i < row.referrals.size(); ++i) {
      google::protobuf::Struct band;
      Put(band, "band", Text(report.age_bands[i]));
      Put(band, "referrals",
          row.referrals[i].has_value() ? Number(*row.referrals[i]) : Text(kWithheld));
      bands.push_back(Object(std::move(band)));
    }
    Put(o, "bands", List(std::move(bands)));
    by_age.push_back(Object(std::move(o)));
  }
  Put(root, "advocacyByAge", List(std::move(by_age)));
  std::vector<google::protobuf::Value> suppressed;
  for (const std::string& name : report.suppressed) suppressed.push_back(Text(name));
  Put(root, "suppressed", List(std::move(suppressed)));
  Put(root, "publishedOn", report.published_on.empty() ? Null() : Text(report.published_on));
  std::vector<google::protobuf::Value> late;
  for (const LateRevisionNote& note : report.late_revisions) {
    google::protobuf::Struct o;
    Put(o, "period", Text(note.period));
    Put(o, "section", Text(note.section));
    Put(o, "measure", Text(note.measure));
    Put(o, "label", Text(note.label));
    Put(o, "count", note.count.has_value() ? Number(*note.count) : Text(kWithheld));
    Put(o, "text", Text(note.text));
    late.push_back(Object(std::move(o)));
  }
  Put(root, "lateRevisions", List(std::move(late)));
  return PrintJson(root);
}

std::string RenderHtml(const QuarterReport& report) {
  const std::string year = report.period.substr(0, report.period.size() - 2);
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Feedback and participation report, ",
      HtmlEscape(report.title), "</title>\n<style>", A(kHtmlStyle),
      "</style>\n</head>\n<body>\n<main>\n", "<h1>Feedback and participation report, ",
      HtmlEscape(report.title), "</h1>\n",
      "<p class=\"lead\">Children&#39;s Social Care and Early Help Division. Change is on ",
      HtmlEscape(report.change_label), " (", HtmlEscape(report.previous_period),
      "); year to date is ", YearToDateSpan(report.quarter), " of ", HtmlEscape(year),
      ". Quotes are given with consent to quote, in the person&#39;s own words.</p>\n",
      AnyWithheld(report) ? absl::StrCat("<p class=\"lead\">", HtmlEscape(kWithheldNote), "</p>\n")
                          : std::string(),
      report.published_on.empty()
          ? std::string()
          : absl::StrCat("<p class=\"lead\">", HtmlEscape(PublishedSentence(report)), "</p>\n"),
      HtmlLateRevisions(report), "<figure>\n", SvgChart(report),
      "<figcaption>Complaints received, compliments (every source) and advocacy referrals by "
      "quarter of ",
      HtmlEscape(year), ".</figcaption>\n</figure>\n");
  std::string group;
  for (const ReportSection& section : report.sections) {
    if (section.group.empty()) {
      absl::StrAppend(&out, "<h2>", HtmlEscape(section.heading), "</h2>\n");
      group.clear();
    } else {
      if (section.group != group)
        absl::StrAppend(&out, "<h2>", HtmlEscape(section.group), "</h2>\n");
      group = section.group;
      absl::StrAppend(&out, "<h3>", HtmlEscape(section.heading), "</h3>\n");
    }
    absl::StrAppend(&out, "<section id=\"", HtmlEscape(section.id), "\">\n");
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
                    HtmlQuotes(section), "</section>\n");
  }
  absl::StrAppend(&out, "</main>\n</body>\n</html>\n");
  return out;
}

std::string RenderReport(const QuarterReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kMarkdown:
      return RenderMarkdown(report);
    case ReportFormat::kCsv:
      return RenderCsv(report);
    case ReportFormat::kJson:
      return RenderJson(report);
    case ReportFormat::kHtml:
      return RenderHtml(report);
  }
  return RenderMarkdown(report);
}

}  // namespace feedback::client
