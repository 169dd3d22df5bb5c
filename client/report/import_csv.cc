#include "client/report/import_csv.h"

#include <cstdint>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/lib/terminal_text.h"
#include "client/report/escape.h"
#include "client/report/export_csv.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/enum_flags.h"
#include "proto/vocabulary/utf8.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxTextBytes = 8 * 1024;

}  // namespace

absl::StatusOr<bool> CsvReader::Next(std::vector<std::string>& fields, int& line) {
  fields.clear();
  if (failed_) return absl::FailedPreconditionError("the CSV reader stopped at an error");
  int c = in_.get();
  if (c == std::char_traits<char>::eof()) return false;
  line = line_;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool after_quote = false;  // a quoted field has closed
  auto fail = [&](std::string_view what) -> absl::Status {
    failed_ = true;
    return absl::InvalidArgumentError(absl::StrCat("line ", line_, ": ", std::string(what)));
  };
  auto finish_field = [&]() -> absl::Status {
    if (!IsValidUtf8(field)) {
      return fail(absl::StrCat("field ", fields.size() + 1, " is not valid UTF-8 text"));
    }
    fields.push_back(std::move(field));
    field.clear();
    after_quote = false;
    return absl::OkStatus();
  };
  for (;; c = in_.get()) {
    if (c == std::char_traits<char>::eof()) {
      if (quoted) {
        return fail(absl::StrCat("a quoted field that starts on line ", line,
                                 " is never closed (a \" is missing)"));
      }
      absl::Status status = finish_field();
      if (!status.ok()) return status;
      return true;
    }
    const char ch = static_cast<char>(c);
    if (quoted) {
      if (ch == '"') {
        if (in_.peek() == '"') {
          in_.get();
          field += '"';
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (ch == '\n') ++line_;
        field += ch;
      }
      continue;
    }
    if (ch == ',') {
      absl::Status status = finish_field();
      if (!status.ok()) return status;
      continue;
    }
    if (ch == '\r' && in_.peek() == '\n') continue;  // CRLF: the LF ends the record
    if (ch == '\n') {
      absl::Status status = finish_field();  // an error names the line the record ends on
      if (!status.ok()) return status;
      ++line_;
      return true;
    }
    if (after_quote) {
      return fail(absl::StrCat("field ", fields.size() + 1,
                               " has text after its closing quote (write \"\" for a quote inside "
                               "a quoted field)"));
    }
    if (ch == '"' && field.empty()) {
      quoted = true;
      continue;
    }
    field += ch;
  }
}

std::string_view ImportTypeName(ImportType type) {
  switch (type) {
    case ImportType::kFeedback:
      return "feedback";
    case ImportType::kReferrals:
      return "referrals";
    case ImportType::kComplaintSteps:
      return "complaint-steps";
    case ImportType::kAudits:
      return "audits";
    case ImportType::kObservations:
      return "observations";
    case ImportType::kOversight:
      return "oversight";
  }
  return "feedback";
}

namespace {
constexpr ImportType kAllImportTypes[] = {ImportType::kFeedback,       ImportType::kReferrals,
                                          ImportType::kComplaintSteps, ImportType::kAudits,
                                          ImportType::kObservations,   ImportType::kOversight};
}  // namespace

std::optional<ImportType> ParseImportType(std::string_view text) {
  for (ImportType type : kAllImportTypes) {
    if (ImportTypeName(type) == text) return type;
  }
  return std::nullopt;
}

std::string ImportTypeChoices() {
  std::vector<std::string> names;
  for (ImportType type : kAllImportTypes) names.emplace_back(ImportTypeName(type));
  return absl::StrJoin(names, ", ");
}

namespace {

// The columns of one type's CSV: every one export writes, and those an import needs.
struct TypeColumns {
  const std::vector<std::string>& exported;
  const std::vector<std::string>& required;
};

TypeColumns ColumnsOf(ImportType type) {
  static const auto* feedback =
      new std::vector<std::string>(absl::StrSplit(std::string(kExportCsvHeader), ','));
  static const auto* referrals = new std::vector<std::string>{
      "id",           "submission_id", "referred_at",          "meeting",
      "service_area", "child_age",     "within_city_boundary", "status",
      "reason",       "created_at",    "updated_at",           "age_band"};
  static const auto* steps = new std::vector<std::string>{"complaint_id", "complaint_submission_id",
                                                          "effective_at", "recorded_at",
                                                          "action",       "stage",
                                                          "outcome",      "actor",
                                                          "note",         "due_at"};
  static const auto* checks = new std::vector<std::string>{"id",
                                                           "submission_id",
                                                           "activity",
                                                           "service_area",
                                                           "occurred_at",
                                                           "grade",
                                                           "moderated",
                                                           "strengths",
                                                           "areas_for_improvement",
                                                           "strength_themes",
                                                           "improvement_themes",
                                                           "recorded_at",
                                                           "recorded_by"};
  static const auto* oversight = new std::vector<std::string>{"id",
                                                              "submission_id",
                                                              "meeting",
                                                              "service_area",
                                                              "occurred_at",
                                                              "outcome",
                                                              "strengths",
                                                              "areas_for_development",
                                                              "strength_themes",
                                                              "development_themes",
                                                              "recorded_at",
                                                              "recorded_by",
                                                              "alert_id",
                                                              "alert_due_at"};
  static const auto* required_feedback =
      new std::vector<std::string>{"occurred_at", "source", "kind"};
  static const auto* required_referrals =
      new std::vector<std::string>{"referred_at", "meeting", "child_age"};
  static const auto* required_steps =
      new std::vector<std::string>{"complaint_submission_id", "effective_at", "action", "stage"};
  static const auto* required_checks =
      new std::vector<std::string>{"service_area", "occurred_at", "grade"};
  static const auto* required_oversight =
      new std::vector<std::string>{"meeting", "occurred_at", "outcome"};
  switch (type) {
    case ImportType::kFeedback:
      return {*feedback, *required_feedback};
    case ImportType::kReferrals:
      return {*referrals, *required_referrals};
    case ImportType::kComplaintSteps:
      return {*steps, *required_steps};
    case ImportType::kAudits:
    case ImportType::kObservations:
      return {*checks, *required_checks};
    case ImportType::kOversight:
      return {*oversight, *required_oversight};
  }
  return {*feedback, *required_feedback};
}

}  // namespace

const std::vector<std::string>& ExportColumns(ImportType type) { return ColumnsOf(type).exported; }

const std::vector<std::string>& RequiredImportColumns(ImportType type) {
  return ColumnsOf(type).required;
}

std::string ExportCsvHeaderOf(ImportType type) { return absl::StrJoin(ExportColumns(type), ","); }

absl::StatusOr<ImportHeader> CheckImportHeader(ImportType type,
                                               const std::vector<std::string>& fields) {
  const std::vector<std::string>& known = ExportColumns(type);
  const std::set<std::string, std::less<>> known_set(known.begin(), known.end());
  ImportHeader header;
  header.width = fields.size();
  std::vector<std::string> problems;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& name = fields[i];
    if (!known_set.contains(name)) {
      problems.push_back(absl::StrCat("unknown column \"", ForTerminalLine(name), "\""));
    } else if (!header.index.emplace(name, i).second) {
      problems.push_back(absl::StrCat("column \"", name, "\" appears twice"));
    }
  }
  for (const std::string& name : RequiredImportColumns(type)) {
    if (!header.index.contains(name)) {
      problems.push_back(absl::StrCat("missing column \"", name, "\""));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "header: ", absl::StrJoin(problems, "; "), " (a ", std::string(ImportTypeName(type)),
        " file has the columns: ", absl::StrJoin(known, ","), "; docs/import.md)"));
  }
  return header;
}

std::string UnSpreadsheetSafe(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' &&
      std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos) {
    return std::string(cell.substr(1));
  }
  return std::string(cell);
}

namespace {

// The cells of one row, with the mistakes found so far.
class RowCells {
 public:
  RowCells(const ImportHeader& header, const std::vector<std::string>& fields)
      : header_(header), fields_(fields) {}

  // The cell of `column` ("" when the file has no such column).
  std::string Get(std::string_view column) const {
    auto it = header_.index.find(column);
    return it == header_.index.end() || it->second >= fields_.size() ? std::string()
                                                                     : fields_[it->second];
  }
  void Bad(std::string_view column, std::string_view why) {
    problems_.push_back(absl::StrCat("column \"", std::string(column), "\": ", std::string(why)));
  }
  void BadValue(std::string_view column, std::string_view value, std::string_view why) {
    std::string shown = ForTerminalLine(value.substr(0, 60));
    if (value.size() > 60) shown += "...";
    Bad(column, absl::StrCat("\"", shown, "\" ", std::string(why)));
  }
  bool Required(std::string_view column, const std::string& value) {
    if (!value.empty()) return true;
    Bad(column, "is empty; it must be given");
    return false;
  }

  // An enum cell: 0 when empty (and not `required`).
  template <typename EnumType>
  EnumType Enum(std::string_view column, bool required = false) {
    const std::string value = Get(column);
    if (value.empty()) {
      if (required) Required(column, value);
      return static_cast<EnumType>(0);
    }
    const auto* type = google::protobuf::GetEnumDescriptor<EnumType>();
    absl::StatusOr<int> number = ParseEnumFlag(type, column, value);
    if (!number.ok()) {
      BadValue(column, value,
               absl::StrCat("is not one of: ", absl::StrJoin(EnumFlagSpellings(type), ", ")));
      return static_cast<EnumType>(0);
    }
    return static_cast<EnumType>(*number);
  }
  // An RFC 3339 time cell into `out` (left unset when empty).
  void Time(std::string_view column, google::protobuf::Timestamp* out, bool required = false) {
    const std::string value = Get(column);
    if (value.empty()) {
      if (required) Required(column, value);
      return;
    }
    if (!TimeUtil::FromString(value, out)) {
      BadValue(column, value, "is not a time such as 2018-11-02T10:30:00Z (RFC 3339)");
    }
  }
  bool Bool(std::string_view column) {
    const std::string value = absl::AsciiStrToLower(Get(column));
    if (value.empty() || value == "false") return false;
    if (value == "true") return true;
    BadValue(column, Get(column), "is not true or false");
    return false;
  }
  int Int(std::string_view column, int low, int high, bool required = false) {
    const std::string value = Get(column);
    if (value.empty()) {
      if (required) Required(column, value);
      return 0;
    }
    int number = 0;
    if (!absl::SimpleAtoi(value, &number) || number < low || number > high) {
      BadValue(column, value, absl::StrCat("is not a whole number from ", low, " to ", high));
      return 0;
    }
    return number;
  }
  std::string Text(std::string_view column) {
    std::string value = UnSpreadsheetSafe(Get(column));
    if (value.size() > kMaxTextBytes) {
      Bad(column, absl::StrCat("is ", value.size(), " bytes long; at most ", kMaxTextBytes));
    }
    return value;
  }
  std::string Uuid(std::string_view column) {
    const std::string value = Get(column);
    if (value.empty()) return value;
    bool ok = value.size() == 36;
    for (size_t i = 0; ok && i < value.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      ok = dash ? value[i] == '-' : absl::ascii_isxdigit(static_cast<unsigned char>(value[i]));
    }
    if (!ok) {
      BadValue(column, value,
               "is not a UUID such as 123e4567-e89b-42d3-a456-426614174000 (leave it empty and "
               "the import derives one)");
    }
    return value;
  }

  absl::Status Result() const {
    if (problems_.empty()) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrJoin(problems_, "\n"));
  }

 private:
  const ImportHeader& header_;
  const std::vector<std::string>& fields_;
  std::vector<std::string> problems_;
};

void ParseFeedbackRow(RowCells& cells, ImportRow& row) {
  v1::Feedback& f = row.feedback;
  cells.Time("occurred_at", f.mutable_occurred_at(), /*required=*/true);
  f.set_source(cells.Enum<v1::Source>("source", /*required=*/true));
  f.set_kind(cells.Enum<v1::Kind>("kind", /*required=*/true));
  f.set_meeting(cells.Enum<v1::Meeting>("meeting"));
  f.set_service_area(cells.Enum<v1::ServiceArea>("service_area"));
  f.set_rating(cells.Int("rating", 1, 5));
  f.set_consent_to_quote(cells.Bool("consent_to_quote"));
  f.set_advocacy_referral_id(cells.Get("advocacy_referral_id"));
  f.set_child_confirmed(cells.Bool("child_confirmed"));
  f.set_text(cells.Text("text"));
  row.referral_submission_id = cells.Uuid("advocacy_referral_submission_id");
  if (f.kind() == v1::KIND_CHILD_STATEMENT && f.advocacy_referral_id().empty() &&
      row.referral_submission_id.empty()) {
    cells.Bad("advocacy_referral_id",
              "is empty; a child's statement must name the referral it was given for");
  }
}

void ParseReferralRow(RowCells& cells, ImportRow& row) {
  v1::CreateAdvocacyReferralRequest& r = row.referral;
  cells.Time("referred_at", r.mutable_referred_at(), /*required=*/true);
  r.set_meeting(cells.Enum<v1::Meeting>("meeting", /*required=*/true));
  r.set_service_area(cells.Enum<v1::ServiceArea>("service_area"));
  r.set_child_age(cells.Int("child_age", 1, 25, /*required=*/true));
  r.set_within_city_boundary(cells.Bool("within_city_boundary"));
  row.referral_status = cells.Enum<v1::AdvocacyStatus>("status");
  row.referral_reason = cells.Text("reason");
  if (row.referral_status == v1::ADVOCACY_STATUS_NOT_PROGRESSED && row.referral_reason.empty()) {
    cells.Bad("reason", "is empty; a referral that was not progressed needs its reason");
  }
}

void ParseComplaintStepRow(RowCells& cells, ImportRow& row) {
  row.complaint_id = cells.Get("complaint_id");
  row.complaint_submission_id = cells.Uuid("complaint_submission_id");
  cells.Required("complaint_submission_id", row.complaint_submission_id);
  v1::UpdateComplaintRequest& step = row.step;
  cells.Time("effective_at", step.mutable_effective_at(), /*required=*/true);
  row.step_action = cells.Get("action");
  static const std::set<std::string, std::less<>> kActions = {"received", "escalated", "closed",
                                                              "extended", "noted"};
  if (cells.Required("action", row.step_action) && !kActions.contains(row.step_action)) {
    cells.BadValue("action", row.step_action,
                   "is not one of: received, escalated, closed, extended, noted");
  }
  step.set_stage(cells.Enum<v1::ComplaintStage>("stage", /*required=*/true));
  const v1::ComplaintOutcome outcome = cells.Enum<v1::ComplaintOutcome>("outcome");
  if (row.step_action == "closed") {
    if (outcome == v1::COMPLAINT_OUTCOME_UNSPECIFIED) {
      cells.Bad("outcome", "is empty; a closed step needs its outcome");
    }
    step.set_outcome(outcome);
  }
  step.set_extend(row.step_action == "extended");
  step.set_actor(cells.Text("actor"));
  step.set_note(cells.Text("note"));
  if (row.step_action == "noted" && step.note().empty()) {
    cells.Bad("note", "is empty; a noted step needs its note");
  }
}

void ParseQualityCheckRow(ImportType type, RowCells& cells, ImportRow& row) {
  v1::QualityCheck& check = row.check;
  const v1::QaActivity expected = type == ImportType::kAudits
                                      ? v1::QA_ACTIVITY_CASE_FILE_AUDIT
                                      : v1::QA_ACTIVITY_PRACTICE_OBSERVATION;
  const v1::QaActivity given = cells.Enum<v1::QaActivity>("activity");
  if (given != v1::QA_ACTIVITY_UNSPECIFIED && given != expected) {
    cells.BadValue(
        "activity", cells.Get("activity"),
        absl::StrCat("does not belong in an import of --type ", std::string(ImportTypeName(type)),
                     " (", FormatEnumFlag(v1::QaActivity_descriptor(), expected), " only)"));
  }
  check.set_activity(expected);
  check.set_service_area(cells.Enum<v1::ServiceArea>("service_area", /*required=*/true));
  cells.Time("occurred_at", check.mutable_occurred_at(), /*required=*/true);
  check.set_grade(cells.Enum<v1::QaGrade>("grade", /*required=*/true));
  check.set_moderated(cells.Bool("moderated"));
  check.set_strengths(cells.Text("strengths"));
  check.set_areas_for_improvement(cells.Text("areas_for_improvement"));
}

void ParseOversightRow(RowCells& cells, ImportRow& row) {
  v1::ChairOversight& o = row.oversight;
  o.set_meeting(cells.Enum<v1::Meeting>("meeting", /*required=*/true));
  if (o.meeting() != v1::MEETING_UNSPECIFIED && o.meeting() != v1::MEETING_INITIAL_CP_CONFERENCE &&
      o.meeting() != v1::MEETING_REVIEW_CP_CONFERENCE && o.meeting() != v1::MEETING_CLA_REVIEW) {
    cells.BadValue("meeting", cells.Get("meeting"),
                   "is not a meeting a chair oversees; one of: initial-cp-conference, "
                   "review-cp-conference, cla-review");
  }
  o.set_service_area(cells.Enum<v1::ServiceArea>("service_area"));
  cells.Time("occurred_at", o.mutable_occurred_at(), /*required=*/true);
  o.set_outcome(cells.Enum<v1::OversightOutcome>("outcome", /*required=*/true));
  o.set_strengths(cells.Text("strengths"));
  o.set_areas_for_development(cells.Text("areas_for_development"));
}

}  // namespace

absl::StatusOr<ImportRow> ParseImportRow(ImportType type, const ImportHeader& header,
                                         const std::vector<std::string>& fields) {
  if (fields.size() != header.width) {
    return absl::InvalidArgumentError(
        absl::StrCat("has ", fields.size(), " fields; the header has ", header.width));
  }
  RowCells cells(header, fields);
  ImportRow row;
  row.original_id = cells.Get(type == ImportType::kComplaintSteps ? "complaint_id" : "id");
  if (type != ImportType::kComplaintSteps) row.submission_id = cells.Uuid("submission_id");
  switch (type) {
    case ImportType::kFeedback:
      ParseFeedbackRow(cells, row);
      break;
    case ImportType::kReferrals:
      ParseReferralRow(cells, row);
      break;
    case ImportType::kComplaintSteps:
      ParseComplaintStepRow(cells, row);
      break;
    case ImportType::kAudits:
    case ImportType::kObservations:
      ParseQualityCheckRow(type, cells, row);
      break;
    case ImportType::kOversight:
      ParseOversightRow(cells, row);
      break;
  }
  if (absl::Status status = cells.Result(); !status.ok()) return status;
  return row;
}

namespace {

// FNV-1a over `bytes`, from `basis`.
uint64_t Fnv1a(std::string_view bytes, uint64_t basis) {
  uint64_t hash = basis;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string DeriveSubmissionId(ImportType type, const std::vector<std::string>& fields,
                               int occurrence) {
  std::string identity =
      absl::StrCat("feedbackd-import/1", std::string(1, '\0'), std::string(ImportTypeName(type)),
                   std::string(1, '\0'), occurrence);
  for (const std::string& field : fields) {
    identity += '\0';
    identity += absl::StrCat(field.size(), ":", field);
  }
  const uint64_t high = Fnv1a(identity, 0xcbf29ce484222325ULL);
  const uint64_t low = Fnv1a(identity, high ^ 0x9e3779b97f4a7c15ULL);
  // Version nibble 8 ("custom", RFC 9562) and the RFC variant bits.
  const uint64_t versioned_high = (high & ~0xf000ULL) | 0x8000ULL;
  const uint64_t variant_low = (low & ~(0xcULL << 60)) | (0x8ULL << 60);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(versioned_high >> 32),
                static_cast<unsigned>((versioned_high >> 16) & 0xffff),
                static_cast<unsigned>(versioned_high & 0xffff),
                static_cast<unsigned>(variant_low >> 48),
                static_cast<unsigned long long>(variant_low & 0xffffffffffffULL));
  return buffer;
}

namespace {

std::string TimeCell(const google::protobuf::Timestamp& t) {
  return t.seconds() == 0 && t.nanos() == 0 ? std::string() : TimeUtil::ToString(t);
}

}  // namespace

std::string ReferralCsvRow(const v1::AdvocacyReferral& r) {
  return CsvRecord({
      r.id(),
      r.submission_id(),
      TimeCell(r.referred_at()),
      FormatEnumFlag(v1::Meeting_descriptor(), r.meeting()),
      FormatEnumFlag(v1::ServiceArea_descriptor(), r.service_area()),
      r.child_age() == 0 ? "" : absl::StrCat(r.child_age()),
      r.within_city_boundary() ? "true" : "false",
      FormatEnumFlag(v1::AdvocacyStatus_descriptor(), r.status()),
      SpreadsheetSafe(r.reason()),
      TimeCell(r.created_at()),
      TimeCell(r.updated_at()),
      r.age_band(),
  });
}

std::string ComplaintStepCsvRow(const v1::Complaint& complaint, const v1::ComplaintEvent& step) {
  return CsvRecord({
      complaint.feedback().id(),
      complaint.feedback().submission_id(),
      TimeCell(step.effective_at()),
      TimeCell(step.recorded_at()),
      step.action(),
      FormatEnumFlag(v1::ComplaintStage_descriptor(), step.stage()),
      FormatEnumFlag(v1::ComplaintOutcome_descriptor(), step.outcome()),
      SpreadsheetSafe(step.actor()),
      SpreadsheetSafe(step.note()),
      TimeCell(step.due_at()),
  });
}

std::string QualityCheckCsvRow(const v1::QualityCheck& c) {
  return CsvRecord({
      c.id(),
      c.submission_id(),
      FormatEnumFlag(v1::QaActivity_descriptor(), c.activity()),
      FormatEnumFlag(v1::ServiceArea_descriptor(), c.service_area()),
      TimeCell(c.occurred_at()),
      FormatEnumFlag(v1::QaGrade_descriptor(), c.grade()),
      c.moderated() ? "true" : "false",
      SpreadsheetSafe(c.strengths()),
      SpreadsheetSafe(c.areas_for_improvement()),
      absl::StrJoin(c.strength_themes(), ";"),
      absl::StrJoin(c.improvement_themes(), ";"),
      TimeCell(c.recorded_at()),
      c.recorded_by(),
  });
}

std::string OversightCsvRow(const v1::ChairOversight& o) {
  return CsvRecord({
      o.id(),
      o.submission_id(),
      FormatEnumFlag(v1::Meeting_descriptor(), o.meeting()),
      FormatEnumFlag(v1::ServiceArea_descriptor(), o.service_area()),
      TimeCell(o.occurred_at()),
      FormatEnumFlag(v1::OversightOutcome_descriptor(), o.outcome()),
      SpreadsheetSafe(o.strengths()),
      SpreadsheetSafe(o.areas_for_development()),
      absl::StrJoin(o.strength_themes(), ";"),
      absl::StrJoin(o.development_themes(), ";"),
      TimeCell(o.recorded_at()),
      o.recorded_by(),
      o.alert_id(),
      TimeCell(o.alert_due_at()),
  });
}

}  // namespace feedback::client
