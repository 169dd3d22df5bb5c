// feedbackctl admin token issue|list|revoke | admin audit
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli_common.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/roles.h"
#include "proto/vocabulary/token_issue.h"

namespace feedback::client {
namespace {

struct IssueFlags {
  TokenIssueFlags request;
  std::string data_dir;  // set: refused; the offline issue is `feedbackd admin token issue`
  std::string out;       // set: write the secret to this new file (mode 0600), not to stdout
};

std::string LocalTime(const google::protobuf::Timestamp& at) {
  return FormatTokenTime(at, LocalZone());
}

// A token's line; its device name, which any admin may have set, made safe for the terminal.
// A token past its expiry is marked EXPIRED (as a revoked one is marked REVOKED).
std::string FormatToken(v1::Token token) {
  token.set_device_name(ForTerminalLine(token.device_name()));
  std::string line = FormatTokenLine(token, LocalZone());
  const absl::Time expires = absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(token.expires_at()));
  if (token.has_expires_at() && expires <= absl::Now() && line.ends_with("\n")) {
    line.insert(line.size() - 1, "  EXPIRED");
  }
  return line;
}

// Revokes token `id`. One already revoked is left as it was (the server keeps the first
// revocation) and said so: "already revoked ..." and when, exit 0, since what was asked for
// holds (the token is refused); a new revocation prints "revoked ...". The token is looked up
// first (ListTokens): RevokeToken answers both cases alike.
int RunRevoke(const CliContext& context, const std::string& id) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  v1::ListTokensRequest lookup;
  lookup.set_include_revoked(true);
  absl::StatusOr<v1::ListTokensResponse> tokens =
      client->Call(&v1::FeedbackService::Stub::ListTokens, lookup);
  if (!tokens.ok()) return Report(tokens.status());
  for (const v1::Token& token : tokens->tokens()) {
    if (token.id() != id || !token.has_revoked_at()) continue;
    std::cerr << "feedbackctl: " << id << " was already revoked, at "
              << LocalTime(token.revoked_at()) << "; nothing changed" << std::endl;
    std::cout << (context.json ? ToJson(token) + "\n"
                               : absl::StrCat("already revoked ", FormatToken(token)));
    return kExitOk;
  }
  v1::RevokeTokenRequest request;
  request.set_id(id);
  absl::StatusOr<v1::Token> revoked =
      client->Call(&v1::FeedbackService::Stub::RevokeToken, request);
  if (!revoked.ok()) return Report(revoked.status());
  std::cout << (context.json ? ToJson(*revoked) + "\n"
                             : absl::StrCat("revoked ", FormatToken(*revoked)));
  return kExitOk;
}

// `word` as a POSIX shell reads it back: unchanged if it is only letters, digits and
// -_./:=@%+, (and not empty), else in single quotes.
std::string ShellQuoted(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789-_./:=@%+,") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// feedbackctl links no store code: the offline issue is the server binary's. Says which command
// does what was asked (the user's own flags, quoted for the shell) and returns the usage code.
int RedirectOfflineIssue(const CLI::App& issue, const IssueFlags& flags) {
  std::string command = "feedbackd admin token issue --role " + ShellQuoted(flags.request.role);
  if (issue.count("--device") > 0) {
    absl::StrAppend(&command, " --device ", ShellQuoted(flags.request.device));
  }
  if (issue.count("--expires-in-days") > 0) {
    absl::StrAppend(&command, " --expires-in-days ", flags.request.expires_in_days);
  }
  absl::StrAppend(&command, " --data-dir ", ShellQuoted(flags.data_dir));
  if (!flags.out.empty()) absl::StrAppend(&command, " --out ", ShellQuoted(flags.out));
  std::cerr << "feedbackctl: admin token issue --data-dir has moved to the server binary "
               "(feedbackctl opens no store). With the server stopped, run:\n  "
            << ForTerminalLine(command)
            << "\n(in a source checkout, feedbackd is build/service/feedbackd). While the server "
               "runs, issue through it with an admin token instead: feedbackctl --server "
               "HOST:PORT --token-file ADMIN_TOKEN_FILE admin token issue ..."
            << std::endl;
  return kExitUsage;
}

// The token's description first, then the secret alone on the last line of stdout (see
// FormatIssued). With --out (`out_path` set) the secret went to that file and is not shown.
void PrintIssued(const CliContext& context, const IssuedToken& issued,
                 const std::string& out_path) {
  if (context.json) {
    v1::IssueTokenResponse response;
    *response.mutable_token() = issued.token;
    if (out_path.empty()) response.set_secret(issued.secret);
    std::cout << ToJson(response) << "\n";
    return;
  }
  std::cout << FormatIssued(issued, out_path, LocalZone()) << std::flush;
}

// Issues through the server.
absl::StatusOr<IssuedToken> Issue(const CliContext& context, const v1::IssueTokenRequest& request) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return client.status();
  absl::StatusOr<v1::IssueTokenResponse> response =
      client->Call(&v1::FeedbackService::Stub::IssueToken, request);
  if (!response.ok()) return response.status();
  return IssuedToken{.token = response->token(), .secret = response->secret()};
}

int RunIssue(const CliContext& context, const CLI::App& issue, const IssueFlags& flags) {
  if (!flags.data_dir.empty()) return RedirectOfflineIssue(issue, flags);
  absl::StatusOr<v1::IssueTokenRequest> request = TokenIssueRequest(flags.request, absl::Now());
  if (!request.ok()) return Report(request.status());
  absl::StatusOr<IssuedToken> issued =
      IssueWithOut(flags.out, [&] { return Issue(context, *request); });
  if (!issued.ok()) return Report(issued.status());
  PrintIssued(context, *issued, flags.out);
  return kExitOk;
}

void AddTokenCommands(CLI::App& admin, CliContext& context) {
  CLI::App* token = admin.add_subcommand("token", "access tokens: issue, list, revoke");
  token->require_subcommand(1);

  auto issue_flags = std::make_shared<IssueFlags>();
  CLI::App* issue = token->add_subcommand(
      "issue", "issue a token; its secret is printed once, alone on the last line of stdout");
  issue
      ->add_option("--role", issue_flags->request.role,
                   "kiosk, advocate, qa_manager, reporter or admin")
      ->required();
  issue->add_option("--device", issue_flags->request.device,
                    "device name, e.g. the kiosk's tablet");
  issue->add_option("--expires-in-days", issue_flags->request.expires_in_days, "lifetime in days")
      ->capture_default_str();
  issue->add_option("--data-dir", issue_flags->data_dir,
                    "moved: prints the `feedbackd admin token issue` command that issues on a "
                    "stopped server's store (the first admin token)");
  issue->add_option("--out", issue_flags->out,
                    "write the token to this new file, readable only by you (mode 600), "
                    "instead of printing it; an existing file is never overwritten");
  issue->callback([&context, issue, issue_flags] {
    context.exit_code = RunIssue(context, *issue, *issue_flags);
  });

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
  CLI::App* revoke = token->add_subcommand(
      "revoke", "revoke a token; its next call is refused (one already revoked: says so, exit 0)");
  revoke->add_option("id", *revoke_id, "token id (tok_...)")->required();
  revoke->callback([&context, revoke_id] { context.exit_code = RunRevoke(context, *revoke_id); });
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
      admin->add_subcommand("audit",
                            "the audit log, oldest first, one line an entry: time, action, who "
                            "(token, role, device), ids, detail (--json: one JSON object a line)");
  audit->add_option("--since", audit_flags->since, "RFC 3339 time to start from");
  audit->add_option("--action", audit_flags->action, "only this action, e.g. feedback.read");
  audit->callback([&context, audit_flags] { context.exit_code = RunAudit(context, *audit_flags); });
}

}  // namespace feedback::client
