// How feedbackctl shows results: short human lines by default, protobuf JSON with --json.
#ifndef FEEDBACK_CLIENT_CLI_OUTPUT_H_
#define FEEDBACK_CLIENT_CLI_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/message.h"

namespace feedback::client {

// Exit codes of feedbackctl, for scripts.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,      // anything not listed below
  kExitUsage = 2,        // bad command line
  kExitInvalid = 3,      // the server rejected the input (INVALID_ARGUMENT, FAILED_PRECONDITION)
  kExitNotFound = 4,     // NOT_FOUND
  kExitConflict = 5,     // ALREADY_EXISTS: the submission_id was used for other content
  kExitUnavailable = 6,  // server unreachable or too slow (UNAVAILABLE, DEADLINE_EXCEEDED)
  kExitDenied = 7,       // UNAUTHENTICATED, PERMISSION_DENIED
};

ExitCode ExitCodeFor(const absl::Status& status);

// Protobuf's canonical JSON mapping, every field printed, one object per line.
std::string ToJson(const google::protobuf::Message& message);

// A block of "name: value" lines for one item, times in Europe/London.
std::string FormatFeedbackLong(const v1::Feedback& feedback, absl::TimeZone zone);
// One line for lists: local time, id, source, kind, rating, tags, the start of the text.
std::string FormatFeedbackLine(const v1::Feedback& feedback, absl::TimeZone zone);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_OUTPUT_H_
