// feedbackctl report | export
//   report --quarter 2018-19Q3 [--format md|csv|json|html] [--output FILE]
//   export --quarter 2018-19Q3 [--format ndjson|csv]
//          [--type feedback|referrals|complaint-steps|audits|observations|oversight]
// Formats and columns: docs/report-formats.md (feedback) and docs/import.md (every type).
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/cli/cli_common.h"
#include "client/cli/cli_import.h"
#include "client/cli/cli_notes.h"
#include "client/lib/terminal_text.h"
#include "client/report/report.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

// The one place that decides which items the report quotes: the quarter's quotes that a QA
// manager approved (ListQuotes without candidates), as approved: redacted, never the raw words
// of an item, so a reporter token can build the whole report.
absl::StatusOr<std::vector<ReportQuote>> FetchReportQuotes(const FeedbackClient& client,
                                                           Quarter quarter) {
  v1::ListQuotesRequest request;
  request.set_financial_year(quarter.financial_year);
  request.set_quarter(quarter.quarter);
  absl::StatusOr<v1::ListQuotesResponse> response =
      client.Call(&v1::FeedbackService::Stub::ListQuotes, request);
  if (!response.ok()) return response.status();
  std::vector<ReportQuote> quotes;
  for (const v1::Quote& approved : response->quotes()) {
    if (approved.status() != v1::QUOTE_STATUS_APPROVED) continue;
    quotes.push_back(QuoteFromApproved(approved));
  }
  return quotes;
}

// The quarter's narrative and the report's title parts (GetNarrative). A server without the
// call (UNIMPLEMENTED), or a token whose role may not read it, gives a report without them, said
// on stderr; any other error is the report's.
absl::Status FetchReportNarrative(const FeedbackClient& client, Quarter quarter,
                                  QuarterReportInput& input) {
  v1::GetNarrativeRequest request;
  request.set_financial_year(quarter.financial_year);
  request.set_quarter(quarter.quarter);
  absl::StatusOr<v1::GetNarrativeResponse> response =
      client.Call(&v1::FeedbackService::Stub::GetNarrative, request);
  if (!response.ok()) {
    if (response.status().code() == absl::StatusCode::kUnimplemented ||
        response.status().code() == absl::StatusCode::kPermissionDenied) {
      std::cerr << "note: the report has no narrative and a generic title: "
                << ForTerminalLine(std::string(response.status().message())) << std::endl;
      return absl::OkStatus();
    }
    return response.status();
  }
  input.council_name = response->council_name();
  input.division_title = response->division_title();
  input.narrative.assign(response->current().begin(), response->current().end());
  return absl::OkStatus();
}

// Q1..`quarter` of its financial year (`area`: one division's, unspecified: all; `published`:
// with small-number suppression), the quarter's quotes and its narrative. One division's report
// has neither quotes nor narrative: both are the whole division's, and the server cannot tell
// which division a quote or a paragraph is about.
absl::StatusOr<QuarterReportInput> FetchReportInput(const FeedbackClient& client, Quarter quarter,
                                                    bool published, v1::ServiceArea area) {
  QuarterReportInput input;
  input.service_area = area;
  for (int q = 1; q <= quarter.quarter; ++q) {
    v1::GetQuarterSummaryRequest request;
    request.set_financial_year(quarter.financial_year);
    request.set_quarter(q);
    request.set_published(published);
    request.set_service_area(area);
    absl::StatusOr<v1::QuarterSummary> summary =
        client.Call(&v1::FeedbackService::Stub::GetQuarterSummary, request);
    if (!summary.ok()) return summary.status();
    input.summaries.push_back(*std::move(summary));
  }
  if (absl::Status narrative = FetchReportNarrative(client, quarter, input); !narrative.ok()) {
    return narrative;
  }
  if (area != v1::SERVICE_AREA_UNSPECIFIED) {
    input.narrative.clear();
    return input;
  }
  absl::StatusOr<std::vector<ReportQuote>> quotes = FetchReportQuotes(client, quarter);
  if (!quotes.ok()) return quotes.status();
  input.quotes = *std::move(quotes);
  return input;
}

struct ReportFlags {
  std::string quarter;
  std::string format;        // empty: json with --json, else md
  std::string output;        // empty: stdout
  bool exact = false;        // exact counts (internal QA) instead of the published form
  std::string service_area;  // empty: the whole division
};

int RunReport(const CliContext& context, const ReportFlags& flags) {
  absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
  if (!quarter.ok()) return Report(quarter.status());
  absl::StatusOr<ReportFormat> format =
      ParseReportFormat(flags.format.empty() ? (context.json ? "json" : "md") : flags.format);
  if (!format.ok()) return Report(AsUsageError(format.status()));
  absl::StatusOr<v1::ServiceArea> area =
      EnumFlag<v1::ServiceArea>("service-area", flags.service_area);
  if (!area.ok()) return Report(area.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<QuarterReportInput> input =
      FetchReportInput(*client, *quarter, !flags.exact, *area);
  if (!input.ok()) return Report(input.status());
  if (!input->summaries.empty()) NoteIfPublishedForm(input->summaries.back(), flags.exact);
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(*input);
  if (!report.ok()) return Report(report.status());
  const std::string text = RenderReport(*report, *format);
  if (flags.output.empty()) {
    // Byte for byte, as --output writes it: the Markdown renderer already made its text safe
    // for a terminal, and CSV, JSON and HTML are data formats.
    std::ostream& out = ExactStdout();
    out << text << std::flush;
    return out ? kExitOk : Report(absl::UnavailableError("cannot write to stdout"));
  }
  std::ofstream out(flags.output, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return Report(
        absl::InvalidArgumentError(absl::StrCat("--output: cannot write ", flags.output)));
  }
  return kExitOk;
}

struct ExportFlags {
  std::string quarter;
  std::string format;  // ndjson (default) or csv
  std::string type;    // empty or "feedback": ExportFeedback; else cli_import.cc's types
};

// Prints each item as it arrives from the stream; never holds more than one.
int RunExport(const CliContext& context, const ExportFlags& flags) {
  absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
  if (!quarter.ok()) return Report(quarter.status());
  const std::string format = flags.format.empty() ? "ndjson" : flags.format;
  if (format != "ndjson" && format != "csv") {
    return Report(
        UsageError(absl::StrCat("--format: \"", format, "\" is not one of: ndjson, csv")));
  }
  if (std::optional<std::string> error = ExportTypeError(flags.type); error.has_value()) {
    return Report(UsageError(*error));
  }
  if (!flags.type.empty() && flags.type != "feedback") {
    return RunExportOfType(context, flags.type, flags.quarter, format);
  }
  const bool csv = format == "csv";
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  // Each child statement's referral by submission_id too, so that an import elsewhere can link
  // it (docs/import.md); a token that may not list referrals (admin) leaves the column empty.
  std::map<std::string, std::string> referral_submission_ids;
  if (csv) {
    absl::StatusOr<std::map<std::string, std::string>> ids = ExportReferralSubmissionIds(*client);
    if (ids.ok()) referral_submission_ids = *std::move(ids);
  }
  v1::ExportFeedbackRequest request;
  request.set_financial_year(quarter->financial_year);
  request.set_quarter(quarter->quarter);
  std::unique_ptr<grpc::ClientContext> call = client->NewContext(/*with_deadline=*/false);
  std::unique_ptr<grpc::ClientReader<v1::Feedback>> reader =
      client->stub().ExportFeedback(call.get(), request);
  // Data formats: byte for byte, the text exactly as stored.
  std::ostream& out = ExactStdout();
  // The CSV header goes out with the first item (or at a clean end), so a refused export
  // prints nothing on stdout.
  bool header_written = false;
  auto write_header = [&] {
    if (csv && !header_written) out << kExportCsvHeader << "\r\n";
    header_written = true;
  };
  v1::Feedback item;
  while (reader->Read(&item)) {
    write_header();
    if (csv) {
      auto link = referral_submission_ids.find(item.advocacy_referral_id());
      out << ExportCsvRow(item, link == referral_submission_ids.end() ? "" : link->second);
    } else {
      out << ToJson(item) << '\n';
    }
    out.flush();
  }
  const absl::Status status = FromGrpcStatus(reader->Finish());
  if (!status.ok()) return Report(status);
  write_header();
  out.flush();
  return out ? kExitOk : Report(absl::UnavailableError("cannot write to stdout"));
}

}  // namespace

void AddReportCommands(CLI::App& app, CliContext& context) {
  auto report = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "the quarterly feedback and participation report (docs/report-formats.md)");
  cmd->add_option("--quarter", report->quarter, "e.g. 2018-19Q3")->required();
  cmd->add_option("--format", report->format,
                  "md, csv, json or html (default: md; json with --json)")
      ->check(CLI::IsMember({"md", "markdown", "csv", "json", "html"}));
  cmd->add_option("--output,-o", report->output, "write to FILE instead of stdout");
  cmd->add_flag("--exact", report->exact,
                "exact counts for internal QA, without small-number suppression (a reporter's "
                "token still gets the published form)");
  cmd->add_option("--service-area", report->service_area,
                  Choices<v1::ServiceArea>() +
                      ": one division's report (its figures only; no quotes or narrative, which "
                      "are the whole division's)");
  cmd->callback([&context, report] { context.exit_code = RunReport(context, *report); });

  auto export_flags = std::make_shared<ExportFlags>();
  cmd = app.add_subcommand("export",
                           "stream every item of a quarter, one per line (docs/report-formats.md)");
  cmd->add_option("--quarter", export_flags->quarter, "e.g. 2018-19Q3")->required();
  cmd->add_option("--format", export_flags->format, "ndjson (default) or csv")
      ->check(CLI::IsMember({"ndjson", "csv"}));
  cmd->add_option("--type", export_flags->type,
                  "feedback (default), referrals, complaint-steps, audits, observations or "
                  "oversight (docs/import.md)");
  cmd->callback(
      [&context, export_flags] { context.exit_code = RunExport(context, *export_flags); });
}

}  // namespace feedback::client
