#include "client/cli/exit_codes.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace feedback::client {
namespace {

// The payload that marks a usage error; it never leaves the process.
constexpr absl::string_view kUsagePayload = "feedbackctl/usage";

}  // namespace

absl::Status UsageError(absl::string_view message) {
  return AsUsageError(absl::InvalidArgumentError(message));
}

absl::Status AsUsageError(absl::Status status) {
  if (!status.ok()) status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return !status.ok() && status.GetPayload(kUsagePayload).has_value();
}

ExitCode ExitCodeFor(const absl::Status& status) {
  if (IsUsageError(status)) return kExitUsage;
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
    case absl::StatusCode::kResourceExhausted:
      return kExitRateLimited;
    default:
      return kExitFailure;
  }
}

std::string ExitCodesHelp() {
  std::string help = "Exit codes:";
  for (const ExitCodeMeaning& entry : kExitCodes) {
    absl::StrAppend(&help, "\n  ", static_cast<int>(entry.code), "  ", entry.meaning);
  }
  return help;
}

}  // namespace feedback::client
