#include "client/cli/cli_common.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "client/cli/cli_advice.h"
#include "client/lib/terminal_text.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/listen_address.h"
#include "proto/vocabulary/token_issue.h"

namespace feedback::client {

namespace {

// How this run's client connects: set by MakeClient before any call, read by Report to advise a
// person (client/cli/cli_advice.h). One client a run; written once, before any thread starts.
Connection connection_of_this_run;

}  // namespace

int Report(const absl::Status& reported) {
  const absl::Status status = AdviseOn(reported, connection_of_this_run);
  // The message may echo what a client sent: it stays on its one line.
  const absl::string_view message = status.message();
  std::cerr << "feedbackctl: " << absl::StatusCodeToString(status.code()) << ": "
            << ForTerminalLine(std::string_view(message.data(), message.size())) << std::endl;
  return ExitCodeFor(status);
}

namespace {

// The token, from the first of: --token-file, $FEEDBACK_TOKEN_FILE, $FEEDBACK_TOKEN; "" if none
// is given (the server then says the call is unauthenticated, and Report explains what to do).
absl::StatusOr<std::string> ReadToken(const CliContext& context) {
  std::string path = context.token_file;
  std::string named_by = "--token-file";
  if (path.empty()) {
    const char* file_from_env = std::getenv("FEEDBACK_TOKEN_FILE");
    if (file_from_env != nullptr) path = file_from_env;
    named_by = "FEEDBACK_TOKEN_FILE";
  }
  if (path.empty()) {
    const char* from_env = std::getenv("FEEDBACK_TOKEN");
    return std::string(from_env == nullptr ? "" : from_env);
  }
  std::ifstream in(path);
  if (!in) return UsageError(absl::StrCat(named_by, ": cannot read ", path));
  const std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const absl::string_view stripped = absl::StripAsciiWhitespace(token);
  if (stripped.empty()) {
    return UsageError(absl::StrCat(named_by, ": ", path, " holds no token"));
  }
  return std::string(stripped);
}

// The whole of `path`, or "" for an empty path; INVALID_ARGUMENT naming `flag` if unreadable.
absl::StatusOr<std::string> ReadOptionalFile(const std::string& path, std::string_view flag) {
  if (path.empty()) return std::string();
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (contents.empty()) {
    return UsageError(absl::StrCat("--", std::string(flag), ": cannot read ", path));
  }
  return contents;
}

}  // namespace

absl::StatusOr<FeedbackClient> MakeClient(const CliContext& context) {
  absl::StatusOr<std::string> token = ReadToken(context);
  if (!token.ok()) return token.status();
  if ((context.tls_cert.empty() != context.tls_key.empty()) ||
      (!context.tls_cert.empty() && context.tls_ca.empty())) {
    return UsageError("--tls-cert and --tls-key go together, with --tls-ca");
  }
  // A token and children's words must not cross a network in plain text by accident.
  if (context.tls_ca.empty() && !context.insecure && !IsLoopbackListen(context.server)) {
    return UsageError(absl::StrCat(
        "--server: ", context.server,
        " is not this machine: connect with --tls-ca CA.pem, or --insecure if something else "
        "(a VPN, a TLS proxy) encrypts the link"));
  }
  connection_of_this_run = {.made = true,
                            .server = context.server,
                            .tls = !context.tls_ca.empty(),
                            .token = !token->empty()};
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

std::string LocalMinute(const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0 && at.nanos() == 0) return "-";
  return absl::FormatTime(
      "%Y-%m-%d %H:%M %Z",
      absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(at)),
      LocalZone());
}

absl::StatusOr<std::string> ReadTextFileFlag(const std::string& path) {
  std::istream* in = &std::cin;
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) return UsageError(absl::StrCat("--text-file: cannot read ", path));
    in = &file;
  }
  return std::string((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
}

absl::StatusOr<Quarter> QuarterFlag(const std::string& text) {
  absl::StatusOr<Quarter> quarter = ParseQuarter(text, "--quarter");
  if (!quarter.ok()) return AsUsageError(quarter.status());
  return quarter;
}

absl::Status ParseTimeFlag(std::string_view flag, const std::string& text,
                           google::protobuf::Timestamp* out) {
  if (text.empty()) return absl::OkStatus();
  if (google::protobuf::util::TimeUtil::FromString(text, out)) return absl::OkStatus();
  return UsageError(absl::StrCat("--", std::string(flag), ": \"", text,
                                 "\" is not an RFC 3339 time such as "
                                 "2018-10-01T00:30:00+01:00"));
}

absl::Status ParseDayOrTimeFlag(std::string_view flag, const std::string& text,
                                google::protobuf::Timestamp* out) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    absl::Time day;
    std::string error;
    if (absl::ParseTime("%Y-%m-%d", text, LocalZone(), &day, &error)) {
      out->set_seconds(absl::ToUnixSeconds(day));
      out->set_nanos(0);
      return absl::OkStatus();
    }
  } else if (text.empty() || google::protobuf::util::TimeUtil::FromString(text, out)) {
    return absl::OkStatus();
  }
  return UsageError(absl::StrCat("--", std::string(flag), ": \"", text,
                                 "\" is neither a day such as 2018-11-02 nor an RFC 3339 time "
                                 "such as 2018-11-02T14:30:00Z"));
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
