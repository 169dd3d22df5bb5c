#include "client/cli/cli_output.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/lib/terminal_text.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/enum_flags.h"

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

// At most `limit` bytes of `text`, cut at a UTF-8 character boundary, on one line (line breaks
// and every control character shown as escapes).
std::string Excerpt(const std::string& text, size_t limit) {
  std::string line = text.substr(0, limit);
  if (text.size() <= limit) return ForTerminalLine(line);
  while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0) == 0x80) line.pop_back();
  if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xc0) line.pop_back();
  return ForTerminalLine(line) + "...";
}

// The TerminalOutput that lives, if any (there is one at a time: feedbackctl's main()).
TerminalOutput* active_terminal_output = nullptr;

}  // namespace

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
  // Each line of the words indented, so that none can pass for a field or an alert's header.
  absl::StrAppend(&out, "text:\n  ", absl::StrReplaceAll(f.text(), {{"\n", "\n  "}}), "\n");
  return out;
}

std::string FormatFeedbackLine(const v1::Feedback& f, absl::TimeZone zone) {
  return absl::StrCat(LocalTime(f.occurred_at(), zone), "  ", f.id(), "  ",
                      Spell<v1::Source>(f.source()), "  ", Spell<v1::Kind>(f.kind()), "  ",
                      f.rating() == 0 ? "-" : absl::StrCat(f.rating(), "/5"), "  [",
                      absl::StrJoin(f.tags(), ","), "]  ", Excerpt(f.text(), 60));
}

TerminalOutput::TerminalOutput()
    : stdout_(std::cout.rdbuf()),
      stderr_(std::cerr.rdbuf()),
      safe_stdout_(std::make_unique<TerminalSafeStreambuf>(stdout_)),
      safe_stderr_(std::make_unique<TerminalSafeStreambuf>(stderr_)),
      exact_stdout_(stdout_) {
  std::cout.flush();
  std::cerr.flush();
  std::cout.rdbuf(safe_stdout_.get());
  std::cerr.rdbuf(safe_stderr_.get());
  active_terminal_output = this;
}

TerminalOutput::~TerminalOutput() {
  std::cout.flush();
  std::cerr.flush();
  exact_stdout_.flush();
  std::cout.rdbuf(stdout_);
  std::cerr.rdbuf(stderr_);
  if (active_terminal_output == this) active_terminal_output = nullptr;
}

void TerminalOutput::KeepStdoutExact() {
  std::cout.flush();
  std::cout.rdbuf(stdout_);
}

std::ostream& ExactStdout() {
  if (active_terminal_output == nullptr) return std::cout;
  std::cout.flush();
  return active_terminal_output->exact_stdout_;
}

}  // namespace feedback::client
