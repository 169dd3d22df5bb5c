#include "client/cli/cli_advice.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace feedback::client {
namespace {

// `status` with `message`, its code and payloads (a usage error's mark) kept.
absl::Status WithMessage(const absl::Status& status, absl::string_view message) {
  absl::Status out(status.code(), message);
  status.ForEachPayload(
      [&out](absl::string_view url, const absl::Cord& payload) { out.SetPayload(url, payload); });
  return out;
}

// What gRPC reports when a plain-text client meets a TLS server: the server reads the client's
// HTTP/2 preface as a broken TLS hello and closes the connection.
bool LooksLikeATlsServer(absl::string_view message) {
  return absl::StrContains(message, "Socket closed") ||
         absl::StrContains(message, "Connection reset") ||
         absl::StrContains(message, "Broken pipe");
}

// What gRPC reports when a TLS client meets a plain-text server.
bool LooksLikeAPlainTextServer(absl::string_view message) {
  return absl::StrContains(message, "WRONG_VERSION_NUMBER") ||
         absl::StrContains(message, "Ssl handshake failed");
}

}  // namespace

absl::Status AdviseOn(const absl::Status& status, const Connection& connection) {
  if (!connection.made || status.ok()) return status;
  if (status.code() == absl::StatusCode::kUnauthenticated && !connection.token) {
    return WithMessage(
        status,
        "no token was given: pass --token-file FILE, or set FEEDBACK_TOKEN_FILE to the file (or "
        "FEEDBACK_TOKEN to the token itself); an admin issues one with `feedbackctl admin token "
        "issue`");
  }
  if (status.code() == absl::StatusCode::kUnavailable && !connection.tls &&
      LooksLikeATlsServer(status.message())) {
    return WithMessage(
        status, absl::StrCat(status.message(), " (the server at ", connection.server,
                             " closed the connection: if it speaks TLS, connect with --tls-ca "
                             "CA.pem, the CA file that signed its certificate)"));
  }
  if (status.code() == absl::StatusCode::kUnavailable && connection.tls &&
      LooksLikeAPlainTextServer(status.message())) {
    return WithMessage(status,
                       absl::StrCat(status.message(), " (the server at ", connection.server,
                                    " did not answer in TLS: if it speaks plain text, leave out "
                                    "--tls-ca)"));
  }
  return status;
}

}  // namespace feedback::client
