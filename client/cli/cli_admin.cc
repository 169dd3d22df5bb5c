// feedbackctl admin token issue|list|revoke | admin audit
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli_common.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/roles.h"
#include "service/ops/tokens.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

struct IssueFlags {
  std::string role;
  std::string device;
  int expires_in_days = 365;
  std::string data_dir;  // set: issue directly on a stopped server's store
  std::string out;       // set: write the secret to this new file (mode 0600), not to stdout
};

std::string LocalTime(const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0 && at.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M %Z",
                          absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at)), LocalZone());
}

std::string FormatToken(const v1::Token& token) {
  std::string line = absl::StrCat(token.id(), "  ", RoleName(token.role()));
  if (!token.device_name().empty()) {
    absl::StrAppend(&line, "  device=", ForTerminalLine(token.device_name()));
  }
  absl::StrAppend(&line, "  expires ", LocalTime(token.expires_at()));
  if (token.has_revoked_at()) absl::StrAppend(&line, "  REVOKED ", LocalTime(token.revoked_at()));
  return line + "\n";
}

// The token's description first, then the secret alone on the last line of stdout, so that
// scripts can take it with `tail -n 1`. It is shown once and never stored. With --out
// (`out_path` set) the secret went to that file and is not shown.
void PrintIssued(const CliContext& context, const v1::Token& token, const std::string& secret,
                 const std::string& out_path) {
  if (context.json) {
    v1::IssueTokenResponse response;
    *response.mutable_token() = token;
    if (out_path.empty()) response.set_secret(secret);
    std::cout << ToJson(response) << "\n";
    return;
  }
  if (!out_path.empty()) {
    std::cout << "issued " << FormatToken(token) << "token written to " << out_path << " (mode 600)"
              << std::endl;
    return;
  }
  std::cout << "issued " << FormatToken(token) << secret << std::endl;
}

// The file of --out, created new (never overwritten, never through a symbolic link) with mode
// 0600 before the token is issued, so that a refused file costs no token. Returns its descriptor.
absl::StatusOr<int> CreateTokenFile(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat("--out: ", path,
                       " already exists; a token file is never overwritten (remove it or "
                       "choose another name)"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("--out: cannot create ", path, ": ", std::strerror(errno)));
  }
  // 0600 exactly, whatever the umask (it can only have taken bits away).
  if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    const int error = errno;
    close(fd);
    unlink(path.c_str());
    return absl::InternalError(
        absl::StrCat("--out: cannot set mode 600 on ", path, ": ", std::strerror(error)));
  }
  return fd;
}

// Writes `secret` and a newline to the file of CreateTokenFile, syncs and closes it.
absl::Status WriteTokenFile(int fd, const std::string& path, const std::string& secret) {
  const std::string line = secret + "\n";
  size_t written = 0;
  int error = 0;
  while (written < line.size() && error == 0) {
    const ssize_t n = write(fd, line.data() + written, line.size() - written);
    if (n >= 0) {
      written += static_cast<size_t>(n);
    } else if (errno != EINTR) {
      error = errno;
    }
  }
  if (error == 0 && fsync(fd) != 0) error = errno;
  if (close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("--out: cannot write ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

// Issues offline (--data-dir) or through the server.
absl::StatusOr<IssuedToken> Issue(const CliContext& context, const IssueFlags& flags,
                                  const v1::IssueTokenRequest& request) {
  if (!flags.data_dir.empty()) return IssueTokenOffline(flags.data_dir, request);
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return client.status();
  absl::StatusOr<v1::IssueTokenResponse> response =
      client->Call(&v1::FeedbackService::Stub::IssueToken, request);
  if (!response.ok()) return response.status();
  return IssuedToken{.token = response->token(), .secret = response->secret()};
}

absl::StatusOr<v1::IssueTokenRequest> IssueRequestOf(const IssueFlags& flags) {
  v1::IssueTokenRequest request;
  absl::StatusOr<v1::Role> role = ParseRole(flags.role, "--role");
  if (!role.ok()) return role.status();
  request.set_role(*role);
  request.set_device_name(flags.device);
  if (flags.expires_in_days <= 0) {
    return absl::InvalidArgumentError("--expires-in-days: must be at least 1");
  }
  *request.mutable_expires_at() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::Now() + absl::Hours(24) * flags.expires_in_days));
  return request;
}

int RunIssue(const CliContext& context, const IssueFlags& flags) {
  absl::StatusOr<v1::IssueTokenRequest> request = IssueRequestOf(flags);
  if (!request.ok()) return Report(request.status());
  int out_fd = -1;
  if (!flags.out.empty()) {
    absl::StatusOr<int> created = CreateTokenFile(flags.out);
    if (!created.ok()) return Report(created.status());
    out_fd = *created;
  }
  absl::StatusOr<IssuedToken> issued = Issue(context, flags, *request);
  if (!issued.ok()) {
    if (out_fd >= 0) {
      close(out_fd);
      unlink(flags.out.c_str());
    }
    return Report(issued.status());
  }
  if (out_fd >= 0) {
    if (absl::Status written = WriteTokenFile(out_fd, flags.out, issued->secret); !written.ok()) {
      unlink(flags.out.c_str());
      // The token exists but nobody holds its secret: say which, so that it can be revoked.
      return Report(
          absl::Status(written.code(), absl::StrCat(written.message(), "; revoke token ",
                                                    issued->token.id(), ", whose secret is lost")));
    }
  }
  PrintIssued(context, issued->token, issued->secret, flags.out);
  return kExitOk;
}

void AddTokenCommands(CLI::App& admin, CliContext& context) {
  CLI::App* token = admin.add_subcommand("token", "access tokens: issue, list, revoke");
  token->require_subcommand(1);

  auto issue_flags = std::make_shared<IssueFlags>();
  CLI::App* issue = token->add_subcommand(
      "issue", "issue a token; its secret is printed once, alone on the last line of stdout");
  issue->add_option("--role", issue_flags->role, "kiosk, advocate, qa_manager, reporter or admin")
      ->required();
  issue->add_option("--device", issue_flags->device, "device name, e.g. the kiosk's tablet");
  issue->add_option("--expires-in-days", issue_flags->expires_in_days, "lifetime in days")
      ->capture_default_str();
  issue->add_option("--data-dir", issue_flags->data_dir,
                    "issue directly on this stopped server's store (the first admin token)");
  issue->add_option("--out", issue_flags->out,
                    "write the token to this new file, readable only by you (mode 600), "
                    "instead of printing it; an existing file is never overwritten");
  issue->callback([&context, issue_flags] { context.exit_code = RunIssue(context, *issue_flags); });

  auto include_revoked = std::make_shared<bool>(false);
  CLI::App* list = token->add_subcommand("list", "tokens (never their secrets)");
  list->add_flag("--all", *include_revoked, "include revoked and expired tokens");
  list->callback([&context, include_revoked] {
    v1::ListTokensRequest request;
    request.set_include_revoked(*include_revoked);
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::ListTokens, request,
                                     [](const v1::ListTokensResponse& response) {
                                       std::string out;
                                       for (const v1::Token& t : response.tokens()) {
                                         out += FormatToken(t);
                                       }
                                       return out;
                                     });
  });

  auto revoke_id = std::make_shared<std::string>();
  CLI::App* revoke = token->add_subcommand("revoke", "revoke a token; its next call is refused");
  revoke->add_option("id", *revoke_id, "token id (tok_...)")->required();
  revoke->callback([&context, revoke_id] {
    v1::RevokeTokenRequest request;
    request.set_id(*revoke_id);
    context.exit_code =
        CallAndPrint(context, &v1::FeedbackService::Stub::RevokeToken, request,
                     [](const v1::Token& t) { return absl::StrCat("revoked ", FormatToken(t)); });
  });
}

std::string FormatAuditEntry(const v1::AuditEntry& entry) {
  std::string line = absl::StrCat(LocalTime(entry.at()), "  ", entry.action(), "  by ",
                                  entry.actor_token_id(), " (", RoleName(entry.actor_role()));
  if (!entry.actor_device().empty()) absl::StrAppend(&line, ", ", entry.actor_device());
  absl::StrAppend(&line, ")");
  if (!entry.ids().empty()) absl::StrAppend(&line, "  ", absl::StrJoin(entry.ids(), ","));
  if (!entry.detail().empty()) absl::StrAppend(&line, "  ", entry.detail());
  return ForTerminalLine(line) + "\n";
}

struct AuditFlags {
  std::string since;
  std::string action;
};

// Every entry from --since, page by page, oldest first.
int RunAudit(const CliContext& context, const AuditFlags& flags) {
  v1::ListAuditRequest request;
  if (!flags.since.empty()) {
    if (absl::Status since = ParseTimeFlag("since", flags.since, request.mutable_since());
        !since.ok()) {
      return Report(since);
    }
  }
  request.set_action(flags.action);
  request.set_page_size(1000);
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  do {
    absl::StatusOr<v1::ListAuditResponse> page =
        client->Call(&v1::FeedbackService::Stub::ListAudit, request);
    if (!page.ok()) return Report(page.status());
    for (const v1::AuditEntry& entry : page->entries()) {
      std::cout << (context.json ? ToJson(entry) + "\n" : FormatAuditEntry(entry));
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return kExitOk;
}

}  // namespace

void AddAdminCommands(CLI::App& app, CliContext& context) {
  CLI::App* admin = AdminCommand(app);
  AddTokenCommands(*admin, context);

  auto audit_flags = std::make_shared<AuditFlags>();
  CLI::App* audit =
      admin->add_subcommand("audit", "the audit log, oldest first (one JSON object a line)");
  audit->add_option("--since", audit_flags->since, "RFC 3339 time to start from");
  audit->add_option("--action", audit_flags->action, "only this action, e.g. feedback.read");
  audit->callback([&context, audit_flags] { context.exit_code = RunAudit(context, *audit_flags); });
}

}  // namespace feedback::client
