// Addresses: the one test of "is this loopback", shared by the server (which refuses plaintext
// off loopback) and the client (which refuses to send a token in plaintext off loopback).
#ifndef FEEDBACK_PROTO_VOCABULARY_LISTEN_ADDRESS_H_
#define FEEDBACK_PROTO_VOCABULARY_LISTEN_ADDRESS_H_

#include <string_view>

#include "absl/status/status.h"

namespace feedback {

// True if `listen` (host:port) is a loopback address: localhost, 127.0.0.0/8 or [::1].
bool IsLoopbackListen(std::string_view listen);

// OK if a door may serve plaintext on `listen` (given as `flag`, e.g. "--http-listen"): a loopback
// address, or any address when the operator said --allow-insecure (something else, such as a TLS
// proxy on the same host, encrypts it). Else FAILED_PRECONDITION saying why and what to give.
// Every door (gRPC, HTTP) asks this before it listens without TLS.
[[nodiscard]] absl::Status CheckPlaintextListen(std::string_view flag, std::string_view listen,
                                                bool allow_insecure);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_LISTEN_ADDRESS_H_
