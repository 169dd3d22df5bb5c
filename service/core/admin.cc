// FeedbackCore: administration (access tokens, the audit log, counter verification).
#include <memory>
#include <string>
#include <utility>

#include "google/protobuf/util/time_util.h"
#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/ops/verification.h"

namespace feedback {

void FeedbackCore::IssueToken(const Principal& caller, const v1::IssueTokenRequest& request,
                              Reply<v1::IssueTokenResponse> reply) {
  if (!Permits(caller, "IssueToken", reply)) return;
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateIssueRequest(request, now); !valid.ok()) {
    return std::move(reply)(valid);
  }
  absl::StatusOr<std::string> secret = NewTokenSecret();
  if (!secret.ok()) return std::move(reply)(secret.status());
  WriteThenReply(*writer_, IssueTokenOp(request, *secret, caller, now), std::move(reply),
                 [this, secret = *secret](v1::internal::StoredToken& token) {
                   tokens_->Put(token);
                   v1::IssueTokenResponse response;
                   *response.mutable_token() = token.token();
                   response.set_secret(secret);
                   return response;
                 });
}

void FeedbackCore::ListTokens(const Principal& caller, const v1::ListTokensRequest& request,
                              Reply<v1::ListTokensResponse> reply) {
  if (!Permits(caller, "ListTokens", reply)) return;
  absl::StatusOr<std::vector<v1::internal::StoredToken>> tokens = LoadTokens(*store_);
  if (!tokens.ok()) return std::move(reply)(tokens.status());
  const int64_t now_micros = absl::ToUnixMicros(absl::Now());
  v1::ListTokensResponse response;
  for (const v1::internal::StoredToken& stored : *tokens) {
    const v1::Token& token = stored.token();
    const bool expired =
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(token.expires_at()) <= now_micros;
    if (!request.include_revoked() && (token.has_revoked_at() || expired)) continue;
    *response.add_tokens() = token;
  }
  std::move(reply)(std::move(response));
}

void FeedbackCore::RevokeToken(const Principal& caller, const v1::RevokeTokenRequest& request,
                               Reply<v1::Token> reply) {
  if (!Permits(caller, "RevokeToken", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  WriteThenReply(*writer_, RevokeTokenOp(request.id(), caller, absl::Now()), std::move(reply),
                 [this](v1::internal::StoredToken& token) {
                   // In the registry before the caller hears back: the next call with it is
                   // refused.
                   tokens_->Put(token);
                   return token.token();
                 });
}

void FeedbackCore::ListAudit(const Principal& caller, const v1::ListAuditRequest& request,
                             Reply<v1::ListAuditResponse> reply) {
  if (!Permits(caller, "ListAudit", reply)) return;
  absl::StatusOr<AuditPage> page = ReadAudit(*store_, request);
  if (!page.ok()) return std::move(reply)(page.status());
  v1::ListAuditResponse response;
  for (v1::AuditEntry& entry : page->entries) *response.add_entries() = std::move(entry);
  response.set_next_page_token(page->next_page_token);
  std::move(reply)(std::move(response));
}

void FeedbackCore::VerifyCounters(const Principal& caller, const v1::VerifyCountersRequest&,
                                  Reply<v1::VerifyCountersResponse> reply) {
  if (!Permits(caller, "VerifyCounters", reply)) return;
  std::move(reply)(feedback::VerifyCounters(*store_, *ledger_, absl::Now()));
}

}  // namespace feedback
