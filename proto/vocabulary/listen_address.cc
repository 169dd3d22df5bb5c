#include "proto/vocabulary/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace feedback {

bool IsLoopbackListen(std::string_view listen) {
  const size_t colon = listen.rfind(':');
  std::string_view host = colon == std::string_view::npos ? listen : listen.substr(0, colon);
  if (host.starts_with("[") && host.ends_with("]")) {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  // IP literals only: a host name that merely starts with "127." is not loopback.
  const std::string literal(host);
  in_addr v4{};
  if (inet_pton(AF_INET, literal.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, literal.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

absl::Status CheckPlaintextListen(std::string_view flag, std::string_view listen,
                                  bool allow_insecure) {
  if (allow_insecure || IsLoopbackListen(listen)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to listen on ", std::string(listen), " (", std::string(flag),
      ") without TLS: bearer tokens and children's words would cross the network in plain text. "
      "Give --tls-cert and --tls-key (deploy/make-test-certs makes a test set), or "
      "--allow-insecure if something else (a TLS proxy on the same host) encrypts it"));
}

}  // namespace feedback
