// Handlers for administration: access tokens and the audit log.
#include "google/protobuf/util/time_util.h"
#include "service/rpc/feedback_service.h"
#include "service/rpc/rpc_support.h"

namespace feedback {

grpc::ServerUnaryReactor* FeedbackServiceImpl::IssueToken(grpc::CallbackServerContext* context,
                                                          Principal caller,
                                                          const v1::IssueTokenRequest* request,
                                                          v1::IssueTokenResponse* response) {
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateIssueRequest(*request, now); !valid.ok()) {
    return FinishNow(context, valid);
  }
  absl::StatusOr<std::string> secret = NewTokenSecret();
  if (!secret.ok()) return FinishNow(context, secret.status());
  return WriteThenFinish(context, *writer_, IssueTokenOp(*request, *secret, std::move(caller), now),
                         [this, response, secret = *secret](v1::internal::StoredToken& token) {
                           tokens_->Put(token);
                           *response->mutable_token() = token.token();
                           response->set_secret(secret);
                         });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListTokens(grpc::CallbackServerContext* context,
                                                          Principal /*caller*/,
                                                          const v1::ListTokensRequest* request,
                                                          v1::ListTokensResponse* response) {
  absl::StatusOr<std::vector<v1::internal::StoredToken>> tokens = LoadTokens(*store_);
  if (!tokens.ok()) return FinishNow(context, tokens.status());
  const int64_t now_micros = absl::ToUnixMicros(absl::Now());
  for (const v1::internal::StoredToken& stored : *tokens) {
    const v1::Token& token = stored.token();
    const bool expired =
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(token.expires_at()) <= now_micros;
    if (!request->include_revoked() && (token.has_revoked_at() || expired)) continue;
    *response->add_tokens() = token;
  }
  return FinishNow(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::RevokeToken(grpc::CallbackServerContext* context,
                                                           Principal caller,
                                                           const v1::RevokeTokenRequest* request,
                                                           v1::Token* response) {
  if (request->id().empty()) {
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  }
  return WriteThenFinish(context, *writer_,
                         RevokeTokenOp(request->id(), std::move(caller), absl::Now()),
                         [this, response](v1::internal::StoredToken& token) {
                           // In the registry before the caller hears back: the next call with it is
                           // refused.
                           tokens_->Put(token);
                           *response = token.token();
                         });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListAudit(grpc::CallbackServerContext* context,
                                                         Principal /*caller*/,
                                                         const v1::ListAuditRequest* request,
                                                         v1::ListAuditResponse* response) {
  absl::StatusOr<AuditPage> page = ReadAudit(*store_, *request);
  if (!page.ok()) return FinishNow(context, page.status());
  for (v1::AuditEntry& entry : page->entries) *response->add_entries() = std::move(entry);
  response->set_next_page_token(page->next_page_token);
  return FinishNow(context, absl::OkStatus());
}

}  // namespace feedback
