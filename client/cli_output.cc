#include "client/cli_output.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/enum_flags.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

std::string LocalTime(const google::protobuf::Timestamp& at, absl::TimeZone zone) {
  if (at.seconds() == 0 && at.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z",
                          absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at)), zone);
}

template <typename EnumType>
std::string Spell(int number) {
  const std::string spelled =
      FormatEnumFlag(google::protobuf::GetEnumDescriptor<EnumType>(), number);
  return spelled.empty() ? "-" : spelled;
}

// At most `limit` bytes of `text` on one line, cut at a UTF-8 character boundary.
std::string Excerpt(const std::string& text, size_t limit) {
  std::string line = text.substr(0, limit);
  for (char& c : line) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() <= limit) return line;
  while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0) == 0x80) line.pop_back();
  if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xc0) line.pop_back();
  return line + "...";
}

}  // namespace

ExitCode ExitCodeFor(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return kExitInvalid;
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kAlreadyExists:
      return kExitConflict;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnavailable;
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return kExitDenied;
    default:
      return kExitFailure;
  }
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.always_print_enums_as_ints = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

std::string FormatFeedbackLong(const v1::Feedback& f, absl::TimeZone zone) {
  std::string out =
      absl::StrCat("id:             ", f.id(), "\n", "submission id:  ", f.submission_id(), "\n",
                   "source:         ", Spell<v1::Source>(f.source()), "\n",
                   "kind:           ", Spell<v1::Kind>(f.kind()), "\n",
                   "meeting:        ", Spell<v1::Meeting>(f.meeting()), "\n",
                   "service area:   ", Spell<v1::ServiceArea>(f.service_area()), "\n");
  absl::StrAppend(&out, "rating:         ", f.rating() == 0 ? "-" : absl::StrCat(f.rating()), "\n",
                  "consent to quote: ", f.consent_to_quote() ? "yes" : "no", "\n",
                  "occurred at:    ", LocalTime(f.occurred_at(), zone), "\n",
                  "received at:    ", LocalTime(f.received_at(), zone), "\n",
                  "tags:           ", absl::StrJoin(f.tags(), ", "), "\n");
  if (f.kind() == v1::KIND_COMPLAINT) {
    absl::StrAppend(
        &out, "complaint stage: ", Spell<v1::ComplaintStage>(f.complaint_stage()), "\n",
        "outcome:        ",
        f.complaint_outcome() == 0 ? "open" : Spell<v1::ComplaintOutcome>(f.complaint_outcome()),
        "\n");
  }
  absl::StrAppend(&out, "text:\n", f.text(), "\n");
  return out;
}

std::string FormatFeedbackLine(const v1::Feedback& f, absl::TimeZone zone) {
  return absl::StrCat(LocalTime(f.occurred_at(), zone), "  ", f.id(), "  ",
                      Spell<v1::Source>(f.source()), "  ", Spell<v1::Kind>(f.kind()), "  ",
                      f.rating() == 0 ? "-" : absl::StrCat(f.rating(), "/5"), "  [",
                      absl::StrJoin(f.tags(), ","), "]  ", Excerpt(f.text(), 60));
}

}  // namespace feedback::client
