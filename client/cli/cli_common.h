// What every feedbackctl command shares: global flags, the client, and reporting.
#ifndef FEEDBACK_CLIENT_CLI_CLI_COMMON_H_
#define FEEDBACK_CLIENT_CLI_CLI_COMMON_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli_output.h"
#include "client/lib/feedback_client.h"
#include "client/lib/terminal_text.h"
#include "google/protobuf/message.h"
#include "proto/vocabulary/enum_flags.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {

struct CliContext {
  // Global flags.
  std::string server = "127.0.0.1:50051";
  std::string token_file;
  std::string tls_ca;    // --tls-ca: PEM CA file; set: TLS
  std::string tls_cert;  // --tls-cert / --tls-key: client certificate for mutual TLS
  std::string tls_key;
  bool insecure = false;  // --insecure: plaintext to a server that is not on loopback
  bool json = false;
  double timeout_seconds = 10;
  std::string outbox;  // --outbox; empty: $FEEDBACK_OUTBOX or $HOME/.local/state/feedbackctl/outbox
  // Set by the command that ran.
  int exit_code = kExitOk;
};

// Prints "feedbackctl: CODE: message" to stderr (the message on one line, through
// ForTerminalLine) and returns the exit code for it.
int Report(const absl::Status& status);

absl::StatusOr<FeedbackClient> MakeClient(const CliContext& context);

// Europe/London (UTC if the time-zone database is missing).
absl::TimeZone LocalZone();

// A stored time as the operator reads it: minutes, in their zone ("-" when it was never set).
std::string LocalMinute(const google::protobuf::Timestamp& at);

// The quarter of a --quarter flag ("2018-19Q3"); a usage error (exit 2) naming --quarter
// otherwise.
absl::StatusOr<Quarter> QuarterFlag(const std::string& text);

// The whole of `--text-file PATH`, or of stdin for "-"; a usage error naming --text-file if it
// cannot be read.
absl::StatusOr<std::string> ReadTextFileFlag(const std::string& path);

// Parses an RFC 3339 time for `flag`; an empty text leaves `out` unset and is OK; a usage error
// (exit 2) naming the flag otherwise.
[[nodiscard]] absl::Status ParseTimeFlag(std::string_view flag, const std::string& text,
                                         google::protobuf::Timestamp* out);

// Parses `flag`'s day or time: a day "2018-11-02" is the start of that day in Europe/London
// (LocalZone()), anything else must be an RFC 3339 time. An empty text leaves `out` unset and is
// OK; a usage error (exit 2) naming the flag otherwise.
// Example: ParseDayOrTimeFlag("date", "2018-11-02", &at) sets at to 2018-11-02T00:00:00Z (GMT);
//   "2018-07-02" gives 2018-07-01T23:00:00Z (BST).
[[nodiscard]] absl::Status ParseDayOrTimeFlag(std::string_view flag, const std::string& text,
                                              google::protobuf::Timestamp* out);

// The value of an enum flag (0 for an empty text); a usage error (exit 2) naming the flag and
// its choices otherwise.
template <typename EnumType>
absl::StatusOr<EnumType> EnumFlag(std::string_view flag, const std::string& text) {
  if (text.empty()) return static_cast<EnumType>(0);
  absl::StatusOr<int> number =
      ParseEnumFlag(google::protobuf::GetEnumDescriptor<EnumType>(), flag, text);
  if (!number.ok()) return AsUsageError(number.status());
  return static_cast<EnumType>(*number);
}

// "one of: a, b, c" for an enum flag's help.
template <typename EnumType>
std::string Choices() {
  return absl::StrCat(
      "one of: ",
      absl::StrJoin(EnumFlagSpellings(google::protobuf::GetEnumDescriptor<EnumType>()), ", "));
}

// Runs one unary call and prints its response (JSON with --json, else `human`, which goes
// through ForTerminal: see TerminalOutput); returns the exit code.
template <typename Request, typename Response, typename Human>
int CallAndPrint(const CliContext& context,
                 grpc::Status (v1::FeedbackService::Stub::*method)(grpc::ClientContext*,
                                                                   const Request&, Response*),
                 const Request& request, Human human) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<Response> response = client->Call(method, request);
  if (!response.ok()) return Report(response.status());
  std::cout << (context.json ? ToJson(*response) + "\n" : human(*response));
  return kExitOk;
}

// Sends `feedback` (flushing the outbox first) or, if the server cannot be reached, keeps it in
// the outbox; prints the stored id (or the queued submission id) on stdout and what happened on
// stderr, and returns the exit code. Shared by every command that submits feedback.
int DeliverAndReport(const CliContext& context, const FeedbackClient& client,
                     const v1::Feedback& feedback);

// The commands, by area. Each adds its subcommands to `app`; the one that runs sets
// context.exit_code.
void AddFeedbackCommands(CLI::App& app, CliContext& context);
void AddComplaintCommands(CLI::App& app, CliContext& context);
void AddAdvocacyCommands(CLI::App& app, CliContext& context);
// audit record|list, observation record|list: case-file audits and practice observations
void AddQualityCheckCommands(CLI::App& app, CliContext& context);
// oversight record|list: independent chairs' oversight outcomes
void AddOversightCommands(CLI::App& app, CliContext& context);
// narrative set | show: the report's narrative per quarter and section
void AddNarrativeCommands(CLI::App& app, CliContext& context);
void AddReportingCommands(CLI::App& app, CliContext& context);
void AddOutboxCommands(CLI::App& app, CliContext& context);  // outbox status | flush
void AddReportCommands(CLI::App& app, CliContext& context);  // report, export
void AddImportCommands(CLI::App& app, CliContext& context);  // import (docs/import.md)
void AddKioskCommands(CLI::App& app, CliContext& context);   // kiosk
void AddAdminCommands(CLI::App& app, CliContext& context);   // admin token ..., admin audit
void AddBackupCommands(CLI::App& app, CliContext& context);  // admin backup [list|verify]
void AddQuoteCommands(CLI::App& app, CliContext& context);   // quotes list|approve|withdraw
void AddDemoCommands(CLI::App& app, CliContext& context);    // demo load
// admin erase | admin purge | admin hold set|release|list
void AddErasureCommands(CLI::App& app, CliContext& context);
void AddPublishCommands(CLI::App& app, CliContext& context);  // admin publish
void AddEnrolCommands(CLI::App& app, CliContext& context);    // admin kiosk enrol
void AddBenchCommand(CLI::App& app, CliContext& context);     // bench

// The `admin` command group, created on first use; each Add*Commands adds its own to it.
CLI::App* AdminCommand(CLI::App& app);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_COMMON_H_
