// feedbackctl import | export --type (docs/import.md)
//   import FILE --type feedback|referrals|complaint-steps|audits|observations|oversight
//          [--dry-run]
//   export --type referrals|complaint-steps|audits|observations|oversight --quarter Q
//          [--format ndjson|csv]
// Import reads the file twice: first every row is checked (and what the store already holds is
// read), and every bad row reported; only when all are good does the second reading write them.
// At most one row is in memory at a time (plus one id per row without a submission_id).
#include "client/cli/cli_import.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "client/cli/cli_common.h"
#include "client/report/import_csv.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

using Stub = v1::FeedbackService::Stub;

// How many times a row over the token's rate limit is sent again, 2 s apart (a little over a
// minute: the limit's window).
constexpr int kImportRateLimitWaits = 35;

struct ImportFlags {
  std::string file;
  std::string type;
  bool dry_run = false;
};

// What the store already holds that an import of one type needs, read before anything is
// written.
struct ImportStoreIndex {
  // The type's records by submission_id: the id each has in this store.
  std::map<std::string, std::string> ids_by_submission;
  // feedback: every referral's id, and its id by submission_id (links of child statements).
  bool referrals_readable = true;
  std::set<std::string> referral_ids;
  std::map<std::string, std::string> referral_by_submission;
  // referrals: each stored referral's status by submission_id.
  std::map<std::string, v1::AdvocacyStatus> referral_status;
  // complaint-steps: each complaint by its feedback's submission_id.
  std::map<std::string, v1::Complaint> complaints;
};

// OK if the token may export (QA staff and admin): import is back-filling, and reads what it
// writes in the form export gave it. PERMISSION_DENIED (exit 7) otherwise, before any reading.
absl::Status ImportCheckAccess(const FeedbackClient& client) {
  // No financial year: the server checks the caller's role first, and refuses a permitted
  // caller's request as INVALID_ARGUMENT without opening a stream or auditing an export.
  v1::ExportFeedbackRequest request;
  std::unique_ptr<grpc::ClientContext> call = client.NewContext();
  std::unique_ptr<grpc::ClientReader<v1::Feedback>> reader =
      client.stub().ExportFeedback(call.get(), request);
  v1::Feedback item;
  if (reader->Read(&item)) call->TryCancel();
  const absl::Status status = FromGrpcStatus(reader->Finish());
  if (absl::IsPermissionDenied(status)) {
    return absl::PermissionDeniedError(
        "import needs a qa_manager or admin token (importing is back-filling); this token may "
        "not export, so it may not import either");
  }
  if (absl::IsUnauthenticated(status) || absl::IsUnavailable(status) ||
      absl::IsDeadlineExceeded(status)) {
    return status;
  }
  return absl::OkStatus();
}

absl::Status ImportLoadReferrals(const FeedbackClient& client, ImportStoreIndex& index) {
  absl::StatusOr<v1::ListAdvocacyReferralsResponse> referrals =
      client.Call(&Stub::ListAdvocacyReferrals, v1::ListAdvocacyReferralsRequest());
  if (absl::IsPermissionDenied(referrals.status())) {
    index.referrals_readable = false;
    return absl::OkStatus();
  }
  if (!referrals.ok()) return referrals.status();
  for (const v1::AdvocacyReferral& r : referrals->referrals()) {
    index.referral_ids.insert(r.id());
    index.referral_by_submission[r.submission_id()] = r.id();
    index.ids_by_submission[r.submission_id()] = r.id();
    index.referral_status[r.submission_id()] = r.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<ImportStoreIndex> ImportLoadIndex(const FeedbackClient& client, ImportType type) {
  ImportStoreIndex index;
  switch (type) {
    case ImportType::kFeedback:
    case ImportType::kReferrals: {
      if (absl::Status s = ImportLoadReferrals(client, index); !s.ok()) return s;
      if (type == ImportType::kReferrals && !index.referrals_readable) {
        return absl::PermissionDeniedError(
            "import --type referrals needs a qa_manager or admin token (this token may not list "
            "referrals)");
      }
      if (type == ImportType::kFeedback) index.ids_by_submission.clear();
      return index;
    }
    case ImportType::kComplaintSteps: {
      v1::ListComplaintsRequest request;
      request.set_page_size(500);
      do {
        absl::StatusOr<v1::ListComplaintsResponse> page =
            client.Call(&Stub::ListComplaints, request);
        if (absl::IsPermissionDenied(page.status())) {
          return absl::PermissionDeniedError(
              "import --type complaint-steps needs a qa_manager token: complaint decisions are "
              "QA staff's (an admin token may import every other type)");
        }
        if (!page.ok()) return page.status();
        for (const v1::Complaint& c : page->complaints()) {
          index.complaints[c.feedback().submission_id()] = c;
        }
        request.set_page_token(page->next_page_token());
      } while (!request.page_token().empty());
      return index;
    }
    case ImportType::kAudits:
    case ImportType::kObservations: {
      v1::ListQualityChecksRequest request;
      request.set_activity(type == ImportType::kAudits ? v1::QA_ACTIVITY_CASE_FILE_AUDIT
                                                       : v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
      absl::StatusOr<v1::ListQualityChecksResponse> checks =
          client.Call(&Stub::ListQualityChecks, request);
      if (!checks.ok()) return checks.status();
      for (const v1::QualityCheck& c : checks->checks()) {
        index.ids_by_submission[c.submission_id()] = c.id();
      }
      return index;
    }
    case ImportType::kOversight: {
      absl::StatusOr<v1::ListOversightsResponse> list =
          client.Call(&Stub::ListOversights, v1::ListOversightsRequest());
      if (!list.ok()) return list.status();
      for (const v1::ChairOversight& o : list->oversights()) {
        index.ids_by_submission[o.submission_id()] = o.id();
      }
      return index;
    }
  }
  return index;
}

// True if `complaint`'s history already holds the step of `row`.
bool ImportStepStored(const v1::Complaint& complaint, const ImportRow& row) {
  if (row.step_action == "received") return true;  // recorded with the feedback itself
  for (const v1::ComplaintEvent& e : complaint.history()) {
    if (e.action() == row.step_action && e.stage() == row.step.stage() &&
        e.effective_at().seconds() == row.step.effective_at().seconds() &&
        e.effective_at().nanos() == row.step.effective_at().nanos() &&
        e.note() == row.step.note()) {
      return true;
    }
  }
  return false;
}

// One reading of the file: each good row in turn, or every problem.
class ImportPass {
 public:
  ImportPass(const std::string& path, ImportType type) : path_(path), type_(type), in_(path) {}

  // The header; a usage error if the file cannot be read or its header is wrong.
  absl::Status Open() {
    if (!in_) return UsageError(absl::StrCat(Where(0), "cannot read the file"));
    reader_ = std::make_unique<CsvReader>(in_);
    std::vector<std::string> fields;
    int line = 0;
    absl::StatusOr<bool> got = reader_->Next(fields, line);
    if (!got.ok()) return UsageError(absl::StrCat(Where(0), got.status().message()));
    if (!*got) {
      return UsageError(absl::StrCat(Where(0),
                                     "is empty; a header row naming the columns is "
                                     "required (docs/import.md)"));
    }
    absl::StatusOr<ImportHeader> header = CheckImportHeader(type_, fields);
    if (!header.ok()) return UsageError(absl::StrCat(Where(1), header.status().message()));
    header_ = *std::move(header);
    return absl::OkStatus();
  }

  // The next data row into `row` (with its submission_id set, derived when the file has none);
  // false at the end. A row's own problems go to `problems` (one "FILE:LINE: ..." each) and the
  // row is skipped; a broken file (an unclosed quote, bad UTF-8) is an error.
  absl::StatusOr<bool> Next(ImportRow& row, int& line, std::vector<std::string>& problems) {
    std::vector<std::string> fields;
    for (;;) {
      absl::StatusOr<bool> got = reader_->Next(fields, line);
      if (!got.ok()) return UsageError(absl::StrCat(Where(0), got.status().message()));
      if (!*got) return false;
      if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
      ++data_rows_;
      absl::StatusOr<ImportRow> parsed = ParseImportRow(type_, header_, fields);
      if (!parsed.ok()) {
        ++bad_rows_;
        for (absl::string_view problem : absl::StrSplit(parsed.status().message(), '\n')) {
          problems.push_back(absl::StrCat(Where(line), problem));
        }
        continue;
      }
      row = *std::move(parsed);
      if (row.submission_id.empty() && type_ != ImportType::kComplaintSteps) {
        const std::string base = DeriveSubmissionId(type_, fields, 0);
        const int occurrence = seen_[base]++;
        row.submission_id = occurrence == 0 ? base : DeriveSubmissionId(type_, fields, occurrence);
      }
      return true;
    }
  }

  // Data rows read so far (blank lines aside), and how many of them were bad.
  int data_rows() const { return data_rows_; }
  int bad_rows() const { return bad_rows_; }

  std::string Where(int line) const {
    return line > 0 ? absl::StrCat(ForTerminalLine(path_), ":", line, ": ")
                    : absl::StrCat(ForTerminalLine(path_), ": ");
  }

 private:
  const std::string path_;
  const ImportType type_;
  std::ifstream in_;
  std::unique_ptr<CsvReader> reader_;
  ImportHeader header_;
  std::map<std::string, int> seen_;  // derived ids of rows without a submission_id
  int data_rows_ = 0;
  int bad_rows_ = 0;
};

// The store's references for `row`, checked against `index`: links set to this store's ids.
// Returns the problem ("" if none).
std::string ImportResolveLinks(ImportType type, const ImportStoreIndex& index, ImportRow& row) {
  if (type == ImportType::kFeedback) {
    if (!row.referral_submission_id.empty()) {
      if (!index.referrals_readable) {
        return "column \"advocacy_referral_submission_id\": this token may not read referrals, "
               "so the link cannot be made; import with a qa_manager or admin token";
      }
      auto it = index.referral_by_submission.find(row.referral_submission_id);
      if (it == index.referral_by_submission.end()) {
        return absl::StrCat(
            "column \"advocacy_referral_submission_id\": no referral with "
            "submission_id ",
            row.referral_submission_id, " is stored; import the referrals file first");
      }
      row.feedback.set_advocacy_referral_id(it->second);
    } else if (!row.feedback.advocacy_referral_id().empty() && index.referrals_readable &&
               !index.referral_ids.contains(row.feedback.advocacy_referral_id())) {
      return absl::StrCat("column \"advocacy_referral_id\": \"",
                          ForTerminalLine(row.feedback.advocacy_referral_id()),
                          "\" is not a referral of this store, and the row has no "
                          "advocacy_referral_submission_id to find it by");
    }
    return "";
  }
  if (type == ImportType::kComplaintSteps) {
    auto it = index.complaints.find(row.complaint_submission_id);
    if (it == index.complaints.end()) {
      return absl::StrCat("column \"complaint_submission_id\": no complaint with submission_id ",
                          row.complaint_submission_id,
                          " is stored; import the feedback file first");
    }
    row.step.set_id(it->second.feedback().id());
  }
  return "";
}

// Whether the store already holds `row` (feedback: unknown until it is sent).
bool ImportAlreadyStored(ImportType type, const ImportStoreIndex& index, const ImportRow& row) {
  switch (type) {
    case ImportType::kFeedback:
      return false;
    case ImportType::kComplaintSteps:
      return ImportStepStored(index.complaints.at(row.complaint_submission_id), row);
    default:
      return index.ids_by_submission.contains(row.submission_id);
  }
}

// A progress bar on stderr when it is a terminal; nothing otherwise.
class ImportProgress {
 public:
  explicit ImportProgress(int total) : total_(total), shown_(isatty(STDERR_FILENO) == 1) {}
  void Step(int done) {
    if (!shown_ || total_ == 0) return;
    const int width = 30;
    const int filled = static_cast<int>(static_cast<int64_t>(done) * width / total_);
    if (filled == last_ && done != total_) return;
    last_ = filled;
    // Straight to the file descriptor: std::cerr shows a carriage return as "\r" (TerminalOutput),
    // and this line holds nothing but our own characters and numbers.
    Raw(absl::StrCat("\rimporting [", std::string(filled, '#'), std::string(width - filled, '.'),
                     "] ", done, "/", total_));
  }
  void Done() {
    if (shown_ && total_ > 0) Raw("\n");
  }

 private:
  static void Raw(const std::string& text) {
    std::cerr.flush();
    size_t written = 0;
    while (written < text.size()) {
      const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
      if (n <= 0) return;  // a progress bar is not worth failing the import for
      written += static_cast<size_t>(n);
    }
  }

  const int total_;
  const bool shown_;
  int last_ = -1;
};

// Writes `row` (links resolved). Sets `already` when the store had it.
absl::Status ImportWrite(const FeedbackClient& client, ImportType type,
                         const ImportStoreIndex& index, ImportRow& row, bool& already) {
  already = false;
  switch (type) {
    case ImportType::kFeedback: {
      row.feedback.set_submission_id(row.submission_id);
      absl::StatusOr<v1::SubmitFeedbackResponse> sent = client.Submit(row.feedback);
      if (!sent.ok()) return sent.status();
      already = sent->duplicate();
      return absl::OkStatus();
    }
    case ImportType::kReferrals: {
      std::string id;
      v1::AdvocacyStatus status = v1::ADVOCACY_STATUS_REFERRED;
      auto stored = index.ids_by_submission.find(row.submission_id);
      if (stored != index.ids_by_submission.end()) {
        already = true;
        id = stored->second;
        status = index.referral_status.at(row.submission_id);
      } else {
        row.referral.set_submission_id(row.submission_id);
        absl::StatusOr<v1::AdvocacyReferral> created =
            client.Call(&Stub::CreateAdvocacyReferral, row.referral);
        if (!created.ok()) return created.status();
        id = created->id();
        status = created->status();
      }
      if (row.referral_status != v1::ADVOCACY_STATUS_UNSPECIFIED && row.referral_status != status) {
        v1::UpdateAdvocacyReferralRequest update;
        update.set_id(id);
        update.set_status(row.referral_status);
        update.set_reason(row.referral_reason);
        absl::StatusOr<v1::AdvocacyReferral> updated =
            client.Call(&Stub::UpdateAdvocacyReferral, update);
        if (!updated.ok()) return updated.status();
      }
      return absl::OkStatus();
    }
    case ImportType::kComplaintSteps: {
      if (ImportAlreadyStored(type, index, row)) {
        already = true;
        return absl::OkStatus();
      }
      absl::StatusOr<v1::Feedback> updated = client.Call(&Stub::UpdateComplaint, row.step);
      return updated.status();
    }
    case ImportType::kAudits:
    case ImportType::kObservations: {
      if (ImportAlreadyStored(type, index, row)) {
        already = true;
        return absl::OkStatus();
      }
      v1::RecordQualityCheckRequest request;
      *request.mutable_check() = row.check;
      request.mutable_check()->set_submission_id(row.submission_id);
      return client.Call(&Stub::RecordQualityCheck, request).status();
    }
    case ImportType::kOversight: {
      if (ImportAlreadyStored(type, index, row)) {
        already = true;
        return absl::OkStatus();
      }
      v1::RecordOversightRequest request;
      *request.mutable_oversight() = row.oversight;
      request.mutable_oversight()->set_submission_id(row.submission_id);
      return client.Call(&Stub::RecordOversight, request).status();
    }
  }
  return absl::OkStatus();
}

int RunImport(const CliContext& context, const ImportFlags& flags) {
  std::optional<ImportType> type = ParseImportType(flags.type);
  if (!type.has_value()) {
    return Report(UsageError(absl::StrCat("--type: \"", ForTerminalLine(flags.type),
                                          "\" is not one of: ", ImportTypeChoices())));
  }
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  if (absl::Status s = ImportCheckAccess(*client); !s.ok()) return Report(s);
  absl::StatusOr<ImportStoreIndex> index = ImportLoadIndex(*client, *type);
  if (!index.ok()) return Report(index.status());

  // First reading: every row checked, nothing written.
  ImportPass check(flags.file, *type);
  if (absl::Status s = check.Open(); !s.ok()) return Report(s);
  std::vector<std::string> problems;
  int rows = 0;
  int stored = 0;
  int bad_links = 0;
  ImportRow row;
  int line = 0;
  for (;;) {
    absl::StatusOr<bool> got = check.Next(row, line, problems);
    if (!got.ok()) return Report(got.status());
    if (!*got) break;
    ++rows;
    const std::string link = ImportResolveLinks(*type, *index, row);
    if (!link.empty()) {
      problems.push_back(absl::StrCat(check.Where(line), link));
      ++bad_links;
      continue;
    }
    if (ImportAlreadyStored(*type, *index, row)) ++stored;
  }
  if (!problems.empty()) {
    for (const std::string& problem : problems) std::cerr << problem << "\n";
    return Report(UsageError(
        absl::StrCat(ForTerminalLine(flags.file), ": ", check.bad_rows() + bad_links, " of ",
                     check.data_rows(), " row(s) are bad (", problems.size(),
                     " problem(s)); nothing was written (fix them and run the import again)")));
  }
  if (flags.dry_run) {
    if (*type == ImportType::kFeedback) {
      std::cout << ForTerminalLine(flags.file) << ": " << rows << " rows are valid; would submit "
                << rows
                << " (rows already stored are recognised by their submission_id and skipped). "
                   "Nothing was written (--dry-run).\n";
    } else {
      std::cout << ForTerminalLine(flags.file) << ": " << rows << " rows are valid; would write "
                << rows - stored << " new, " << stored
                << " already stored. Nothing was written (--dry-run).\n";
    }
    return kExitOk;
  }

  // Second reading: the writes.
  ImportPass write(flags.file, *type);
  if (absl::Status s = write.Open(); !s.ok()) return Report(s);
  ImportProgress progress(rows);
  int done = 0;
  int already = 0;
  for (;;) {
    absl::StatusOr<bool> got = write.Next(row, line, problems);
    if (!got.ok()) return Report(got.status());
    if (!*got) break;
    if (!problems.empty()) {
      progress.Done();
      return Report(UsageError(absl::StrCat(problems.front(),
                                            " (the file changed during the "
                                            "import)")));
    }
    ImportResolveLinks(*type, *index, row);
    bool was_stored = false;
    absl::Status written = ImportWrite(*client, *type, *index, row, was_stored);
    // Over the token's rate limit: wait and send the row again (every write here is safe to
    // repeat: creates go by submission_id, steps and status changes are looked up first).
    for (int wait = 0; absl::IsResourceExhausted(written) && wait < kImportRateLimitWaits; ++wait) {
      absl::SleepFor(absl::Seconds(2));
      written = ImportWrite(*client, *type, *index, row, was_stored);
    }
    if (absl::Status s = written; !s.ok()) {
      progress.Done();
      std::cerr << write.Where(line) << "the server refused this row; " << done - already
                << " new row(s) before it were written (run the import again after fixing it: "
                   "rows already stored are skipped)\n";
      return Report(s);
    }
    if (was_stored) ++already;
    ++done;
    progress.Step(done);
  }
  progress.Done();
  std::cout << ForTerminalLine(flags.file) << ": " << done << " rows: " << done - already
            << " new, " << already << " already stored\n";
  return kExitOk;
}

// --- export --type (the other record types)

absl::Status ExportRecords(const FeedbackClient& client, ImportType type, Quarter quarter, bool csv,
                           std::ostream& out) {
  std::string text;  // everything, written only once every call succeeded
  auto add = [&](const google::protobuf::Message& message, const std::string& csv_row) {
    text += csv ? csv_row : ToJson(message) + "\n";
  };
  switch (type) {
    case ImportType::kFeedback:
      return absl::InternalError("feedback is exported by RunExport");
    case ImportType::kReferrals: {
      v1::ListAdvocacyReferralsRequest request;
      request.set_financial_year(quarter.financial_year);
      request.set_quarter(quarter.quarter);
      absl::StatusOr<v1::ListAdvocacyReferralsResponse> list =
          client.Call(&Stub::ListAdvocacyReferrals, request);
      if (!list.ok()) return list.status();
      for (v1::AdvocacyReferral referral : list->referrals()) {
        if (referral.status() != v1::ADVOCACY_STATUS_REFERRED) {  // the list leaves out reasons
          v1::GetAdvocacyReferralRequest get;
          get.set_id(referral.id());
          absl::StatusOr<v1::AdvocacyReferral> full = client.Call(&Stub::GetAdvocacyReferral, get);
          if (!full.ok()) return full.status();
          referral = *std::move(full);
        }
        add(referral, ReferralCsvRow(referral));
      }
      break;
    }
    case ImportType::kComplaintSteps: {
      v1::ListComplaintsRequest request;
      request.set_financial_year(quarter.financial_year);
      request.set_quarter(quarter.quarter);
      request.set_page_size(500);
      do {
        absl::StatusOr<v1::ListComplaintsResponse> page =
            client.Call(&Stub::ListComplaints, request);
        if (!page.ok()) return page.status();
        for (const v1::Complaint& complaint : page->complaints()) {
          for (const v1::ComplaintEvent& step : complaint.history()) {
            v1::Complaint one;  // ndjson: one step per line, with its complaint's ids
            *one.mutable_feedback()->mutable_id() = complaint.feedback().id();
            *one.mutable_feedback()->mutable_submission_id() = complaint.feedback().submission_id();
            *one.add_history() = step;
            add(one, ComplaintStepCsvRow(complaint, step));
          }
        }
        request.set_page_token(page->next_page_token());
      } while (!request.page_token().empty());
      break;
    }
    case ImportType::kAudits:
    case ImportType::kObservations: {
      v1::ListQualityChecksRequest request;
      request.set_financial_year(quarter.financial_year);
      request.set_quarter(quarter.quarter);
      request.set_activity(type == ImportType::kAudits ? v1::QA_ACTIVITY_CASE_FILE_AUDIT
                                                       : v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
      absl::StatusOr<v1::ListQualityChecksResponse> list =
          client.Call(&Stub::ListQualityChecks, request);
      if (!list.ok()) return list.status();
      for (const v1::QualityCheck& check : list->checks()) add(check, QualityCheckCsvRow(check));
      break;
    }
    case ImportType::kOversight: {
      v1::ListOversightsRequest request;
      request.set_financial_year(quarter.financial_year);
      request.set_quarter(quarter.quarter);
      absl::StatusOr<v1::ListOversightsResponse> list = client.Call(&Stub::ListOversights, request);
      if (!list.ok()) return list.status();
      for (const v1::ChairOversight& o : list->oversights()) add(o, OversightCsvRow(o));
      break;
    }
  }
  if (csv) out << ExportCsvHeaderOf(type) << "\r\n";
  out << text;
  out.flush();
  return out ? absl::OkStatus() : absl::UnavailableError("cannot write to stdout");
}

}  // namespace

std::optional<std::string> ExportTypeError(const std::string& type) {
  if (type.empty() || ParseImportType(type).has_value()) return std::nullopt;
  return absl::StrCat("--type: \"", ForTerminalLine(type),
                      "\" is not one of: ", ImportTypeChoices());
}

int RunExportOfType(const CliContext& context, const std::string& type_name,
                    const std::string& quarter_flag, const std::string& format) {
  std::optional<ImportType> type = ParseImportType(type_name);
  if (!type.has_value()) return Report(UsageError(*ExportTypeError(type_name)));
  absl::StatusOr<Quarter> quarter = QuarterFlag(quarter_flag);
  if (!quarter.ok()) return Report(quarter.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  const absl::Status status =
      ExportRecords(*client, *type, *quarter, format == "csv", ExactStdout());
  return status.ok() ? kExitOk : Report(status);
}

absl::StatusOr<std::map<std::string, std::string>> ExportReferralSubmissionIds(
    const FeedbackClient& client) {
  absl::StatusOr<v1::ListAdvocacyReferralsResponse> referrals =
      client.Call(&Stub::ListAdvocacyReferrals, v1::ListAdvocacyReferralsRequest());
  if (!referrals.ok()) return referrals.status();
  std::map<std::string, std::string> ids;
  for (const v1::AdvocacyReferral& r : referrals->referrals()) ids[r.id()] = r.submission_id();
  return ids;
}

void AddImportCommands(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "back-fill records from a CSV file in the form `export --format csv` writes "
      "(docs/import.md); qa_manager or admin token");
  cmd->add_option("FILE", flags->file, "the CSV file (a header row, then one record a row)")
      ->required();
  cmd->add_option("--type", flags->type, absl::StrCat("what the file holds: ", ImportTypeChoices()))
      ->required();
  cmd->add_flag("--dry-run", flags->dry_run,
                "check every row and say what would be written; write nothing");
  cmd->callback([&context, flags] { context.exit_code = RunImport(context, *flags); });
}

}  // namespace feedback::client
