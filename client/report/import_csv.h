// `feedbackctl import`: the CSV files it reads (the columns `feedbackctl export --format csv`
// writes, docs/import.md), as pure code: an RFC 4180 reader that streams, the header's check, and
// one row's conversion to the request it becomes, with every mistake named by line and column.
// No call, clock or file here; client/cli/cli_import.cc does the reading and the writing.
#ifndef FEEDBACK_CLIENT_REPORT_IMPORT_CSV_H_
#define FEEDBACK_CLIENT_REPORT_IMPORT_CSV_H_

#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// Reads RFC 4180 records from a stream, one at a time (never more than one record in memory):
// fields separated by commas, records by CRLF or LF; a field in double quotes may hold commas,
// line breaks and "" for a quote. Every field must be valid UTF-8. Not thread-safe.
class CsvReader {
 public:
  // REQUIRES: `in` outlives the reader.
  explicit CsvReader(std::istream& in) : in_(in) {}

  // The next record into `fields` and the file line it starts on into `line` (1-based); false at
  // the end of the file. INVALID_ARGUMENT "line N: ..." for a quote left open at the end of the
  // file, a character after a closing quote, or a field that is not UTF-8 (nothing more is read
  // after an error). A blank line is a record of one empty field.
  absl::StatusOr<bool> Next(std::vector<std::string>& fields, int& line);

 private:
  std::istream& in_;
  int line_ = 1;  // the line the next character is on
  bool failed_ = false;
};

// What a file holds: the `--type` of import and export.
enum class ImportType {
  kFeedback,
  kReferrals,
  kComplaintSteps,
  kAudits,
  kObservations,
  kOversight
};

// "feedback", "referrals", ... as `--type` spells it.
std::string_view ImportTypeName(ImportType type);
// The type spelled `text`; nullopt otherwise.
std::optional<ImportType> ParseImportType(std::string_view text);
// "feedback, referrals, complaint-steps, audits, observations, oversight".
std::string ImportTypeChoices();

// The export CSV's columns of `type`, in order (feedback: kExportCsvHeader's).
const std::vector<std::string>& ExportColumns(ImportType type);
// The columns an import of `type` needs; the others of ExportColumns(type) may be left out
// (server-set ones such as received_at and tags are read, and ignored).
const std::vector<std::string>& RequiredImportColumns(ImportType type);

// The header row of a file: each column's position by name.
struct ImportHeader {
  std::map<std::string, size_t, std::less<>> index;
  size_t width = 0;
};
// The header of `fields` for `type`; INVALID_ARGUMENT naming every unknown, repeated and missing
// column (and the columns the type knows) otherwise.
absl::StatusOr<ImportHeader> CheckImportHeader(ImportType type,
                                               const std::vector<std::string>& fields);

// One row, as the requests it becomes. Only the members of its type are set.
struct ImportRow {
  // The id the record had where it was exported ("" when the file has none).
  std::string original_id;
  // The submission_id column ("" when empty or absent: DeriveSubmissionId gives one).
  std::string submission_id;

  v1::Feedback feedback;               // feedback: its advocacy_referral_id is the exported store's
  std::string referral_submission_id;  // feedback: the linked referral's submission_id, if given

  v1::CreateAdvocacyReferralRequest referral;  // referrals
  v1::AdvocacyStatus referral_status = v1::ADVOCACY_STATUS_UNSPECIFIED;
  std::string referral_reason;

  // complaint-steps: the complaint (by the exported store's id and by its submission_id), the
  // step's action as exported, and the update that records it (its id left for the caller).
  std::string complaint_id;
  std::string complaint_submission_id;
  std::string step_action;
  v1::UpdateComplaintRequest step;

  v1::QualityCheck check;        // audits, observations
  v1::ChairOversight oversight;  // oversight
};

// `fields` (a data row under `header`) as an ImportRow of `type`; INVALID_ARGUMENT with one
// line per bad cell, each `column "NAME": "VALUE" is not ...` (the value shown terminal-safe and
// cut to 60 characters) otherwise. Text cells lose the ' that export put before a leading
// = + - @ TAB or CR (SpreadsheetSafe).
absl::StatusOr<ImportRow> ParseImportRow(ImportType type, const ImportHeader& header,
                                         const std::vector<std::string>& fields);

// A UUID for a row without a submission_id: a 128-bit hash of the type, the row's cells and
// `occurrence` (how many identical rows came before it in the file), so that the same row of the
// same file gives the same id on every run, wherever it sits. Deterministic across versions.
std::string DeriveSubmissionId(ImportType type, const std::vector<std::string>& fields,
                               int occurrence);

// Undoes SpreadsheetSafe: "'=x" is "=x"; anything else is as is.
std::string UnSpreadsheetSafe(std::string_view cell);

// The export CSV records of each other type, ending in CRLF, in ExportColumns(type)'s order.
std::string ReferralCsvRow(const v1::AdvocacyReferral& referral);
// One step of `complaint`'s history.
std::string ComplaintStepCsvRow(const v1::Complaint& complaint, const v1::ComplaintEvent& step);
std::string QualityCheckCsvRow(const v1::QualityCheck& check);
std::string OversightCsvRow(const v1::ChairOversight& oversight);
// The header line of `type` (without its CRLF).
std::string ExportCsvHeaderOf(ImportType type);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_IMPORT_CSV_H_
