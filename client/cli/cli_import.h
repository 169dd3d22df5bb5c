// What `export` (cli_report.cc) needs of cli_import.cc: the record types beyond feedback, and the
// referral links of feedback rows (docs/import.md).
#ifndef FEEDBACK_CLIENT_CLI_CLI_IMPORT_H_
#define FEEDBACK_CLIENT_CLI_CLI_IMPORT_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "client/cli/cli_common.h"

namespace feedback::client {

// The usage error's text for an `export --type` that is not a type; nullopt for a good one (or
// none: feedback).
std::optional<std::string> ExportTypeError(const std::string& type);

// `export --type TYPE --quarter Q --format FORMAT` for every type but feedback: the records,
// written once every call has succeeded (a refused export prints nothing on stdout). Returns the
// exit code.
int RunExportOfType(const CliContext& context, const std::string& type, const std::string& quarter,
                    const std::string& format);

// Every referral's submission_id by its id (the advocacy_referral_submission_id column of the
// feedback export); the call's error (PERMISSION_DENIED for a token that may not list referrals).
absl::StatusOr<std::map<std::string, std::string>> ExportReferralSubmissionIds(
    const FeedbackClient& client);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_IMPORT_H_
