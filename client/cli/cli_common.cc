#include "client/cli/cli_common.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "client/lib/terminal_text.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/listen_address.h"
#include "proto/vocabulary/token_issue.h"

namespace feedback::client {

int Report(const absl::Status& status) {
  // The message may echo what a client sent: it stays on its one line.
  const absl::string_view message = status.message();
  std::cerr << "feedbackctl: " << absl::StatusCodeToString(status.code()) << ": "
            << ForTerminalLine(std::string_view(message.data(), message.size())) << std::endl;
  return ExitCodeFor(status);
}

namespace {

absl::StatusOr<std::string> ReadToken(const CliContext& context) {
  if (context.token_file.empty()) {
    const char* from_env = std::getenv("FEEDBACK_TOKEN");
    return std::string(from_env == nullptr ? "" : from_env);
  }
  std::ifstream in(context.token_file);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token-file: cannot read ", context.token_file));
  }
  std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::string(absl::StripAsciiWhitespace(token));
}

// The whole of `path`, or "" for an empty path; INVALID_ARGUMENT naming `flag` if unreadable.
absl::StatusOr<std::string> ReadOptionalFile(const std::string& path, std::string_view flag) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (contents.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", std::string(flag), ": cannot read ", path));
  }
  return contents;
}

}  // namespace

absl::StatusOr<FeedbackClient> MakeClient(const CliContext& context) {
  absl::StatusOr<std::string> token = ReadToken(context);
  if (!token.ok()) return token.status();
  if ((context.tls_cert.empty() != context.tls_key.empty()) ||
      (!context.tls_cert.empty() && context.tls_ca.empty())) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together, with --tls-ca");
  }
  // A token and children's words must not cross a network in plain text by accident.
  if (context.tls_ca.empty() && !context.insecure && !IsLoopbackListen(context.server)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--server: ", context.server,
        " is not this machine: connect with --tls-ca CA.pem, or --insecure if something else "
        "(a VPN, a TLS proxy) encrypts the link"));
  }
  ClientOptions options;
  options.server = context.server;
  options.timeout = absl::Seconds(context.timeout_seconds);
  options.token = *token;
  absl::StatusOr<std::string> ca = ReadOptionalFile(context.tls_ca, "tls-ca");
  absl::StatusOr<std::string> cert = ReadOptionalFile(context.tls_cert, "tls-cert");
  absl::StatusOr<std::string> key = ReadOptionalFile(context.tls_key, "tls-key");
  for (const auto* read : {&ca, &cert, &key}) {
    if (!read->ok()) return read->status();
  }
  options.tls_root_certs = *std::move(ca);
  options.tls_client_cert = *std::move(cert);
  options.tls_client_key = *std::move(key);
  return FeedbackClient(options);
}

absl::TimeZone LocalZone() { return DisplayZone(); }

absl::Status ParseTimeFlag(std::string_view flag, const std::string& text,
                           google::protobuf::Timestamp* out) {
  if (text.empty()) return absl::OkStatus();
  if (google::protobuf::util::TimeUtil::FromString(text, out)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("--", std::string(flag), ": \"", text,
                                                 "\" is not an RFC 3339 time such as "
                                                 "2018-10-01T00:30:00+01:00"));
}

CLI::App* AdminCommand(CLI::App& app) {
  for (CLI::App* existing :
       app.get_subcommands([](CLI::App* sub) { return sub->get_name() == "admin"; })) {
    return existing;
  }
  CLI::App* admin = app.add_subcommand("admin", "administration (admin token)");
  admin->require_subcommand(1);
  return admin;
}

}  // namespace feedback::client
