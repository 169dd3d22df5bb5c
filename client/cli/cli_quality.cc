// feedbackctl audit record | list, observation record | list: the QA framework's case-file audits
// and practice observations (issue 13).
#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

struct QualityRecordFlags {
  std::string division, grade, date, strengths, areas, submission_id;
  bool moderated = false;
};

struct QualityListFlags {
  std::string quarter, division;
};

// The local day a check was made: "2018-11-02" ("-" when unset).
std::string QualityCheckDay(const v1::QualityCheck& check) {
  if (!check.has_occurred_at()) return "-";
  return absl::FormatTime(
      "%Y-%m-%d",
      absl::FromUnixMicros(
          google::protobuf::util::TimeUtil::TimestampToMicroseconds(check.occurred_at())),
      LocalZone());
}

std::string DivisionFlag(v1::ServiceArea area) {
  const std::string spelled =
      FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::ServiceArea>(), area);
  return spelled.empty() ? "-" : spelled;
}

std::string GradeFlag(v1::QaGrade grade) {
  const std::string spelled =
      FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::QaGrade>(), grade);
  return spelled.empty() ? "-" : spelled;
}

// "case-file audit" or "practice observation".
std::string ActivityWords(v1::QaActivity activity) {
  return activity == v1::QA_ACTIVITY_PRACTICE_OBSERVATION ? "practice observation"
                                                          : "case-file audit";
}

// The one-line summary of a recorded check, for the person at the terminal: "recorded a
// case-file audit of 2018-11-02: social-care, good, moderated". Never the check's text.
std::string QualityCheckSummary(const v1::QualityCheck& check) {
  return absl::StrCat("recorded a ", ActivityWords(check.activity()), " of ",
                      QualityCheckDay(check), ": ", DivisionFlag(check.service_area()), ", ",
                      GradeFlag(check.grade()),
                      check.moderated() ? ", moderated" : ", not moderated");
}

// One row of the table: the columns aligned under their headings.
std::string QualityRow(const std::string& date, const std::string& division,
                       const std::string& grade, const std::string& moderated,
                       const std::string& id) {
  return absl::StrFormat("%-10s  %-15s  %-20s  %-9s  %s\n", date, division, grade, moderated, id);
}

// The table of `... list`: date, division, grade, moderated, id. Never the strengths or areas
// (the check's text: `--json` gives it, with every control character escaped).
std::string FormatQualityChecks(const v1::ListQualityChecksResponse& response) {
  std::string out = QualityRow("date", "division", "grade", "moderated", "id");
  for (const v1::QualityCheck& check : response.checks()) {
    absl::StrAppend(&out, QualityRow(QualityCheckDay(check), DivisionFlag(check.service_area()),
                                     GradeFlag(check.grade()), check.moderated() ? "yes" : "no",
                                     ForTerminalLine(check.id())));
  }
  return out;
}

int RunQualityRecord(const CliContext& context, v1::QaActivity activity,
                     const QualityRecordFlags& flags) {
  v1::RecordQualityCheckRequest request;
  v1::QualityCheck& check = *request.mutable_check();
  absl::StatusOr<v1::ServiceArea> division = EnumFlag<v1::ServiceArea>("division", flags.division);
  if (!division.ok()) return Report(division.status());
  absl::StatusOr<v1::QaGrade> grade = EnumFlag<v1::QaGrade>("grade", flags.grade);
  if (!grade.ok()) return Report(grade.status());
  check.set_activity(activity);
  check.set_service_area(*division);
  check.set_grade(*grade);
  check.set_moderated(flags.moderated);
  check.set_strengths(flags.strengths);
  check.set_areas_for_improvement(flags.areas);
  // The idempotency key: a retry after a lost answer sends this same id, and the server stores
  // the check once (client/lib/safe_to_repeat.h).
  check.set_submission_id(flags.submission_id.empty() ? NewSubmissionId() : flags.submission_id);
  if (absl::Status s = ParseDayOrTimeFlag("date", flags.date, check.mutable_occurred_at());
      !s.ok()) {
    return Report(s);
  }
  if (flags.date.empty()) check.clear_occurred_at();  // the server's now
  return CallAndPrint(context, &v1::FeedbackService::Stub::RecordQualityCheck, request,
                      [](const v1::QualityCheck& recorded) {
                        std::cerr << QualityCheckSummary(recorded) << std::endl;
                        return recorded.id() + "\n";
                      });
}

int RunQualityList(const CliContext& context, v1::QaActivity activity,
                   const QualityListFlags& flags) {
  v1::ListQualityChecksRequest request;
  request.set_activity(activity);
  if (!flags.quarter.empty()) {
    absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
    if (!quarter.ok()) return Report(quarter.status());
    request.set_financial_year(quarter->financial_year);
    request.set_quarter(quarter->quarter);
  }
  absl::StatusOr<v1::ServiceArea> division = EnumFlag<v1::ServiceArea>("division", flags.division);
  if (!division.ok()) return Report(division.status());
  request.set_service_area(*division);
  return CallAndPrint(context, &v1::FeedbackService::Stub::ListQualityChecks, request,
                      [activity](const v1::ListQualityChecksResponse& response) {
                        if (response.checks().empty()) {
                          return NothingMatched(activity == v1::QA_ACTIVITY_PRACTICE_OBSERVATION
                                                    ? "practice observations"
                                                    : "case-file audits");
                        }
                        return FormatQualityChecks(response);
                      });
}

// `name` record | list for one activity.
void AddQualityCheckGroup(CLI::App& app, CliContext& context, const std::string& name,
                          const std::string& help, v1::QaActivity activity) {
  CLI::App* group = app.add_subcommand(name, help);
  group->require_subcommand(1);
  const std::string what = ActivityWords(activity);

  auto record = std::make_shared<QualityRecordFlags>();
  CLI::App* cmd = group->add_subcommand(
      "record", absl::StrCat("record a ", what, " (auditor token); prints its id"));
  cmd->add_option("--division", record->division, Choices<v1::ServiceArea>())->required();
  cmd->add_option("--grade", record->grade, Choices<v1::QaGrade>())->required();
  cmd->add_option("--date", record->date,
                  "the day it was made, 2018-11-02 (Europe/London), or an RFC 3339 time "
                  "(default: now)");
  cmd->add_flag("--moderated", record->moderated, "a second auditor moderated the grade");
  cmd->add_option("--strengths", record->strengths, "strengths found, in words");
  cmd->add_option("--areas", record->areas, "areas for improvement, in words");
  cmd->add_option("--submission-id", record->submission_id, "UUID to send (default: a new one)");
  cmd->callback([&context, record, activity] {
    context.exit_code = RunQualityRecord(context, activity, *record);
  });

  auto list = std::make_shared<QualityListFlags>();
  cmd = group->add_subcommand(
      "list", absl::StrCat(what, "s, newest first: date, division, grade, moderated, id"));
  cmd->add_option("--quarter", list->quarter,
                  "made in this financial quarter, e.g. 2018-19Q3 (default: all time)");
  cmd->add_option("--division", list->division, Choices<v1::ServiceArea>());
  cmd->callback(
      [&context, list, activity] { context.exit_code = RunQualityList(context, activity, *list); });
}

}  // namespace

void AddQualityCheckCommands(CLI::App& app, CliContext& context) {
  AddQualityCheckGroup(app, context, "audit", "case-file audits of the QA framework",
                       v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  AddQualityCheckGroup(app, context, "observation", "practice observations of the QA framework",
                       v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
}

}  // namespace feedback::client
