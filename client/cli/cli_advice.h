// Errors a person can act on: a status from a call, with what feedbackctl knows about how it
// connected, becomes a message that says what to do (a flag to pass, a variable to set).
#ifndef FEEDBACK_CLIENT_CLI_CLI_ADVICE_H_
#define FEEDBACK_CLIENT_CLI_CLI_ADVICE_H_

#include <string>

#include "absl/status/status.h"

namespace feedback::client {

// How the client of this run connects. Plain value.
struct Connection {
  bool made = false;   // a client was made (nothing below is known otherwise)
  std::string server;  // --server
  bool tls = false;    // --tls-ca given
  bool token = false;  // a token was found (--token-file, FEEDBACK_TOKEN_FILE, FEEDBACK_TOKEN)
};

// `status`, or, where a person needs to be told what to do, a status of the same code whose
// message says it:
//   - UNAUTHENTICATED and no token was sent: how to give one (--token-file FILE,
//     FEEDBACK_TOKEN_FILE, FEEDBACK_TOKEN);
//   - UNAVAILABLE in plain text from a server that closed the connection or answered with
//     something that is not plain HTTP/2 (what a TLS server does): connect with --tls-ca;
//   - UNAVAILABLE with TLS from a server whose answer was not TLS: drop --tls-ca.
// Other statuses, and usage errors' marks, pass unchanged.
absl::Status AdviseOn(const absl::Status& status, const Connection& connection);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_ADVICE_H_
