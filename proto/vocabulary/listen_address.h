// Addresses: the one test of "is this loopback", shared by the server (which refuses plaintext
// off loopback) and the client (which refuses to send a token in plaintext off loopback).
#ifndef FEEDBACK_PROTO_VOCABULARY_LISTEN_ADDRESS_H_
#define FEEDBACK_PROTO_VOCABULARY_LISTEN_ADDRESS_H_

#include <string_view>

namespace feedback {

// True if `listen` (host:port) is a loopback address: localhost, 127.0.0.0/8 or [::1].
bool IsLoopbackListen(std::string_view listen);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_LISTEN_ADDRESS_H_
