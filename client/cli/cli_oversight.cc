// feedbackctl oversight record | list: independent chairs' oversight outcomes after CP
// conferences and CLA reviews (issue 13, "QA through Independent Chairs").
#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

struct OversightRecordFlags {
  std::string meeting, service_area, outcome, date, strengths, areas, submission_id;
};

struct OversightListFlags {
  std::string quarter, meeting, outcome;
};

// The local day of `at`: "2018-11-02" ("-" when unset).
std::string OversightDay(const google::protobuf::Timestamp& at, bool set) {
  if (!set) return "-";
  return absl::FormatTime(
      "%Y-%m-%d",
      absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(at)),
      LocalZone());
}

// `--meeting`: a chaired meeting as chairs say it, "icpc", "rcpc" or "cla-review" (the enum's
// own spellings "initial-cp-conference" and "review-cp-conference", and "lac-review", are
// accepted too: ParseEnumFlag's aliases). An empty text is unspecified. A usage error (exit 2)
// naming the flag otherwise.
absl::StatusOr<v1::Meeting> OversightMeetingFlag(const std::string& text) {
  if (text.empty()) return v1::MEETING_UNSPECIFIED;
  absl::StatusOr<v1::Meeting> meeting = EnumFlag<v1::Meeting>("meeting", text);
  if (meeting.ok() &&
      (*meeting == v1::MEETING_INITIAL_CP_CONFERENCE ||
       *meeting == v1::MEETING_REVIEW_CP_CONFERENCE || *meeting == v1::MEETING_CLA_REVIEW)) {
    return meeting;
  }
  return UsageError(absl::StrCat("--meeting: \"", text,
                                 "\" is not a chaired meeting; one of icpc, rcpc, cla-review"));
}

// A meeting in a table: "icpc", "rcpc", "cla-review".
std::string OversightMeetingWord(v1::Meeting meeting) {
  if (meeting == v1::MEETING_INITIAL_CP_CONFERENCE) return "icpc";
  if (meeting == v1::MEETING_REVIEW_CP_CONFERENCE) return "rcpc";
  const std::string spelled =
      FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::Meeting>(), meeting);
  return spelled.empty() ? "-" : spelled;
}

template <typename EnumType>
std::string OversightEnumWord(EnumType value) {
  const std::string spelled =
      FormatEnumFlag(google::protobuf::GetEnumDescriptor<EnumType>(), value);
  return spelled.empty() ? "-" : spelled;
}

// The one-line summary of a recorded outcome, for the person at the terminal: "recorded an
// oversight outcome of 2018-11-02: cla-review, social-care, escalation (alert co_..., due
// 2018-11-09)". Never its text.
std::string OversightSummary(const v1::ChairOversight& oversight) {
  std::string out = absl::StrCat("recorded an oversight outcome of ",
                                 OversightDay(oversight.occurred_at(), oversight.has_occurred_at()),
                                 ": ", OversightMeetingWord(oversight.meeting()), ", ",
                                 OversightEnumWord(oversight.service_area()), ", ",
                                 OversightEnumWord(oversight.outcome()));
  if (!oversight.alert_id().empty()) {
    // The due time is the first instant after the due day: the day before it is the due day.
    google::protobuf::Timestamp due_day = oversight.alert_due_at();
    due_day.set_seconds(due_day.seconds() - 1);
    absl::StrAppend(&out, " (practice alert ", ForTerminalLine(oversight.alert_id()),
                    ", to be resolved by the end of ",
                    OversightDay(due_day, oversight.has_alert_due_at()), ")");
  }
  return out;
}

std::string OversightTableRow(const std::string& date, const std::string& meeting,
                              const std::string& area, const std::string& outcome,
                              const std::string& id) {
  return absl::StrFormat("%-10s  %-21s  %-15s  %-12s  %s\n", date, meeting, area, outcome, id);
}

// The table of `oversight list`: date, meeting, service area, outcome, id. Never the strengths
// or areas for development (the text: `--json` gives it, every control character escaped).
std::string FormatOversights(const v1::ListOversightsResponse& response) {
  std::string out = OversightTableRow("date", "meeting", "service area", "outcome", "id");
  for (const v1::ChairOversight& o : response.oversights()) {
    absl::StrAppend(
        &out,
        OversightTableRow(OversightDay(o.occurred_at(), o.has_occurred_at()),
                          OversightMeetingWord(o.meeting()), OversightEnumWord(o.service_area()),
                          OversightEnumWord(o.outcome()), ForTerminalLine(o.id())));
  }
  return out;
}

int RunOversightRecord(const CliContext& context, const OversightRecordFlags& flags) {
  v1::RecordOversightRequest request;
  v1::ChairOversight& oversight = *request.mutable_oversight();
  absl::StatusOr<v1::Meeting> meeting = OversightMeetingFlag(flags.meeting);
  if (!meeting.ok()) return Report(meeting.status());
  absl::StatusOr<v1::ServiceArea> area =
      EnumFlag<v1::ServiceArea>("service-area", flags.service_area);
  if (!area.ok()) return Report(area.status());
  absl::StatusOr<v1::OversightOutcome> outcome =
      EnumFlag<v1::OversightOutcome>("outcome", flags.outcome);
  if (!outcome.ok()) return Report(outcome.status());
  oversight.set_meeting(*meeting);
  oversight.set_service_area(*area);
  oversight.set_outcome(*outcome);
  oversight.set_strengths(flags.strengths);
  oversight.set_areas_for_development(flags.areas);
  // The idempotency key: a retry after a lost answer sends this same id, and the server stores
  // the outcome once (client/lib/safe_to_repeat.h).
  oversight.set_submission_id(flags.submission_id.empty() ? NewSubmissionId()
                                                          : flags.submission_id);
  if (absl::Status s = ParseDayOrTimeFlag("date", flags.date, oversight.mutable_occurred_at());
      !s.ok()) {
    return Report(s);
  }
  if (flags.date.empty()) oversight.clear_occurred_at();  // the server's now
  return CallAndPrint(context, &v1::FeedbackService::Stub::RecordOversight, request,
                      [](const v1::ChairOversight& recorded) {
                        std::cerr << OversightSummary(recorded) << std::endl;
                        return recorded.id() + "\n";
                      });
}

int RunOversightList(const CliContext& context, const OversightListFlags& flags) {
  v1::ListOversightsRequest request;
  if (!flags.quarter.empty()) {
    absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
    if (!quarter.ok()) return Report(quarter.status());
    request.set_financial_year(quarter->financial_year);
    request.set_quarter(quarter->quarter);
  }
  absl::StatusOr<v1::Meeting> meeting = OversightMeetingFlag(flags.meeting);
  if (!meeting.ok()) return Report(meeting.status());
  absl::StatusOr<v1::OversightOutcome> outcome =
      EnumFlag<v1::OversightOutcome>("outcome", flags.outcome);
  if (!outcome.ok()) return Report(outcome.status());
  request.set_meeting(*meeting);
  request.set_outcome(*outcome);
  return CallAndPrint(context, &v1::FeedbackService::Stub::ListOversights, request,
                      [](const v1::ListOversightsResponse& response) {
                        if (response.oversights().empty()) {
                          return NothingMatched("oversight outcomes");
                        }
                        return FormatOversights(response);
                      });
}

}  // namespace

void AddOversightCommands(CLI::App& app, CliContext& context) {
  CLI::App* group = app.add_subcommand(
      "oversight", "independent chairs' oversight outcomes after CP conferences and CLA reviews");
  group->require_subcommand(1);

  auto record = std::make_shared<OversightRecordFlags>();
  CLI::App* cmd = group->add_subcommand(
      "record",
      "record an oversight outcome (chair token); prints its id; an escalation raises "
      "a practice alert, due in 5 working days");
  cmd->add_option("--meeting", record->meeting, "icpc, rcpc or cla-review")->required();
  cmd->add_option("--service-area", record->service_area, Choices<v1::ServiceArea>())->required();
  cmd->add_option("--outcome", record->outcome, Choices<v1::OversightOutcome>())->required();
  cmd->add_option("--date", record->date,
                  "the day of the meeting, 2018-11-02 (Europe/London), or an RFC 3339 time "
                  "(default: now)");
  cmd->add_option("--strengths", record->strengths, "strengths found, in words");
  cmd->add_option("--areas", record->areas, "areas for development, in words");
  cmd->add_option("--submission-id", record->submission_id, "UUID to send (default: a new one)");
  cmd->callback([&context, record] { context.exit_code = RunOversightRecord(context, *record); });

  auto list = std::make_shared<OversightListFlags>();
  cmd = group->add_subcommand(
      "list",
      "oversight outcomes, newest first: date, meeting, service area, outcome, id (a "
      "chair sees its own)");
  cmd->add_option("--quarter", list->quarter,
                  "held in this financial quarter, e.g. 2018-19Q3 (default: all time)");
  cmd->add_option("--meeting", list->meeting, "icpc, rcpc or cla-review");
  cmd->add_option("--outcome", list->outcome, Choices<v1::OversightOutcome>());
  cmd->callback([&context, list] { context.exit_code = RunOversightList(context, *list); });
}

}  // namespace feedback::client
