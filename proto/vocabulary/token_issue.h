// Issuing an access token from a command line, written once for the two that do it:
// `feedbackd admin token issue --data-dir` (offline, on a stopped server's store) and
// `feedbackctl admin token issue` (through a running server). Both build the request from the
// same flags, deliver the secret the same way (alone on the last line of stdout, or into a new
// private file with --out) and print the same lines.
#ifndef FEEDBACK_PROTO_VOCABULARY_TOKEN_ISSUE_H_
#define FEEDBACK_PROTO_VOCABULARY_TOKEN_ISSUE_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// A new token: its description and its secret, which exists only in this value.
struct IssuedToken {
  v1::Token token;
  std::string secret;
};

// The flags of `admin token issue` that make the request.
struct TokenIssueFlags {
  std::string role;           // --role: kiosk, advocate, qa_manager, reporter or admin
  std::string device;         // --device; empty: none
  int expires_in_days = 365;  // --expires-in-days. Default: 365.
};

// The request of `flags`, expiring `flags.expires_in_days` days after `now`. INVALID_ARGUMENT
// naming the flag (--role, --expires-in-days) otherwise; the server checks the rest.
[[nodiscard]] absl::StatusOr<v1::IssueTokenRequest> TokenIssueRequest(const TokenIssueFlags& flags,
                                                                      absl::Time now);

// Runs `issue` and delivers the secret of what it issued. With `out_path` empty, returns the
// token and its secret. Otherwise the file `out_path` is created first (new, never overwritten,
// never through a symbolic link, mode 0600 whatever the umask), so that a refused file costs no
// token; then `issue` runs and its secret is written to the file (one line), synced and closed.
// Errors name --out: ALREADY_EXISTS if the file exists, INVALID_ARGUMENT if it cannot be created;
// if `issue` fails, its error (and the file is removed); if the secret cannot be written, the
// file is removed and the error names the token to revoke, whose secret is lost.
[[nodiscard]] absl::StatusOr<IssuedToken> IssueWithOut(
    const std::string& out_path, absl::FunctionRef<absl::StatusOr<IssuedToken>()> issue);

// A time as token lines show it ("2026-05-01 14:30 BST" in `zone`); "-" when unset.
std::string FormatTokenTime(const google::protobuf::Timestamp& at, absl::TimeZone zone);

// One line (with its "\n") describing a token: "tok_...  ROLE  device=NAME  expires TIME", then
// "  REVOKED TIME" if revoked. The device name is shown as it is: a caller showing a name it did
// not check itself makes it safe for a terminal first.
std::string FormatTokenLine(const v1::Token& token, absl::TimeZone zone);

// What `admin token issue` prints: "issued " and the token's line, then its secret alone on the
// last line (so that scripts can take it with `tail -n 1`), or, when it went to `out_path`,
// "token written to OUT_PATH (mode 600)" instead.
std::string FormatIssued(const IssuedToken& issued, const std::string& out_path,
                         absl::TimeZone zone);

// Europe/London, or UTC if the system has no time-zone database: the zone in which the command
// lines show times to people.
absl::TimeZone DisplayZone();

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_TOKEN_ISSUE_H_
