// The exit codes of feedbackctl, for scripts: the one table every command, `feedbackctl --help`
// and the README ("Exit codes") follow. A code's number never changes once documented.
#ifndef FEEDBACK_CLIENT_CLI_EXIT_CODES_H_
#define FEEDBACK_CLIENT_CLI_EXIT_CODES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace feedback::client {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // anything not listed below
  kExitUsage = 2,        // bad command line: unknown command or flag, a bad flag value (enum,
                         // quarter, time), a file a flag names that cannot be read
  kExitInvalid = 3,      // the server rejected the input (INVALID_ARGUMENT, FAILED_PRECONDITION)
  kExitNotFound = 4,     // NOT_FOUND
  kExitConflict = 5,     // ALREADY_EXISTS: the submission_id was used for other content
  kExitUnavailable = 6,  // server unreachable or too slow (UNAVAILABLE, DEADLINE_EXCEEDED)
  kExitDenied = 7,       // UNAUTHENTICATED, PERMISSION_DENIED
  kExitRateLimited = 8,  // RESOURCE_EXHAUSTED: over the token's rate limit (or another server
                         // limit, such as open streams); wait and try again
};

// Each code with the words `feedbackctl --help` and the README give it, in order.
struct ExitCodeMeaning {
  ExitCode code;
  const char* meaning;
};
inline constexpr ExitCodeMeaning kExitCodes[] = {
    {kExitOk, "done"},
    {kExitFailure, "other error"},
    {kExitUsage, "bad command line"},
    {kExitInvalid, "the server rejected the input"},
    {kExitNotFound, "not found"},
    {kExitConflict, "the submission id was already used for different content"},
    {kExitUnavailable, "server unreachable or too slow"},
    {kExitDenied, "not authenticated or not allowed"},
    {kExitRateLimited, "rate limited: wait and try again"},
};

// A mistake on the command line found after parsing (a bad enum value, quarter or time, a file
// a flag names that cannot be read): INVALID_ARGUMENT with `message`, marked so that ExitCodeFor
// gives kExitUsage rather than kExitInvalid (which means the server refused the input).
absl::Status UsageError(absl::string_view message);
// `status` marked as a usage error, if it is one. OK stays OK.
absl::Status AsUsageError(absl::Status status);
bool IsUsageError(const absl::Status& status);

// The exit code for `status` (kExitOk for OK).
ExitCode ExitCodeFor(const absl::Status& status);

// "Exit codes: 0 done, 1 other error, ..." for `feedbackctl --help`.
std::string ExitCodesHelp();

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_EXIT_CODES_H_
