#include "service/ops/tokens.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/sha256.h"
#include "service/domain/validation.h"
#include "service/ops/audit.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr std::string_view kSecretPrefix = "fbk_";
constexpr size_t kSecretBytes = 32;
constexpr size_t kMaxDeviceName = 64;
constexpr absl::Duration kMaxTokenLifetime = absl::Hours(24 * 365 * 5);

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& at) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at));
}

std::string TokenKey(std::string_view id) {
  return absl::StrCat(std::string(kTokenPrefix), std::string(id));
}

bool IsPrintableName(std::string_view name) {
  for (char c : name) {
    if (!absl::ascii_isprint(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<v1::internal::StoredToken> ParseStoredToken(std::string_view bytes) {
  v1::internal::StoredToken stored;
  if (!stored.ParseFromString(std::string(bytes))) {
    return absl::DataLossError("a stored token does not parse");
  }
  return stored;
}

}  // namespace

absl::StatusOr<std::string> NewTokenSecret() {
  unsigned char bytes[kSecretBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return absl::InternalError("the system's random number generator failed");
  }
  return absl::StrCat(
      std::string(kSecretPrefix),
      absl::BytesToHexString(std::string(reinterpret_cast<const char*>(bytes), sizeof bytes)));
}

std::string HashSecret(std::string_view secret) { return Sha256(secret); }

absl::Status ValidateIssueRequest(const v1::IssueTokenRequest& request, absl::Time now) {
  if (request.role() == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(request.role())) {
    return absl::InvalidArgumentError(
        "role: must be kiosk, advocate, qa_manager, reporter or admin");
  }
  if (request.device_name().size() > kMaxDeviceName || !IsPrintableName(request.device_name())) {
    return absl::InvalidArgumentError(
        absl::StrCat("device_name: at most ", kMaxDeviceName, " printable ASCII characters"));
  }
  if (request.has_expires_at()) {
    if (!IsValidTimestamp(request.expires_at())) {
      return absl::InvalidArgumentError("expires_at: not a valid time");
    }
    const absl::Time expires = FromTimestamp(request.expires_at());
    if (expires <= now) return absl::InvalidArgumentError("expires_at: must be in the future");
    if (expires > now + kMaxTokenLifetime) {
      return absl::InvalidArgumentError("expires_at: at most 5 years from now");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::internal::StoredToken> StageNewToken(storage::Transaction& txn,
                                                        const v1::IssueTokenRequest& request,
                                                        std::string_view secret,
                                                        std::string_view created_by,
                                                        absl::Time now) {
  v1::internal::StoredToken stored;
  v1::Token& token = *stored.mutable_token();
  token.set_id(txn.NewId(storage::layout::kTokenIdPrefix));
  token.set_role(request.role());
  token.set_device_name(request.device_name());
  *token.mutable_created_at() = ToTimestamp(now);
  *token.mutable_expires_at() =
      request.has_expires_at() ? request.expires_at() : ToTimestamp(now + kDefaultTokenLifetime);
  token.set_created_by(std::string(created_by));
  stored.set_secret_sha256(HashSecret(secret));
  RETURN_IF_ERROR(txn.PutEntity(TokenKey(token.id()), stored.SerializeAsString()));
  return stored;
}

storage::TypedWriteOp<v1::internal::StoredToken> IssueTokenOp(v1::IssueTokenRequest request,
                                                              std::string secret, Principal actor,
                                                              absl::Time now) {
  return [request = std::move(request), secret = std::move(secret), actor = std::move(actor),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::internal::StoredToken> {
    ASSIGN_OR_RETURN(v1::internal::StoredToken stored,
                     StageNewToken(txn, request, secret, actor.token_id, now));
    const v1::Token& token = stored.token();
    RETURN_IF_ERROR(AppendAudit(
        txn, actor, now,
        AuditEvent("token.issue", {token.id()}, absl::StrCat("role=", RoleName(token.role())))));
    return stored;
  };
}

storage::TypedWriteOp<v1::internal::StoredToken> RevokeTokenOp(std::string id, Principal actor,
                                                               absl::Time now) {
  return [id = std::move(id), actor = std::move(actor),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::internal::StoredToken> {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(TokenKey(id)));
    if (!bytes.has_value())
      return absl::NotFoundError(absl::StrCat("id: no token ", QuoteClientValue(id)));
    ASSIGN_OR_RETURN(v1::internal::StoredToken stored, ParseStoredToken(*bytes));
    if (stored.token().has_revoked_at()) return stored;
    *stored.mutable_token()->mutable_revoked_at() = ToTimestamp(now);
    RETURN_IF_ERROR(txn.PutEntity(TokenKey(id), stored.SerializeAsString()));
    RETURN_IF_ERROR(AppendAudit(txn, actor, now, AuditEvent("token.revoke", {id})));
    return stored;
  };
}

absl::StatusOr<IssuedToken> IssueTokenOffline(const std::string& data_dir,
                                              const v1::IssueTokenRequest& request) {
  ASSIGN_OR_RETURN(std::vector<IssuedToken> issued, IssueTokensOffline(data_dir, {request}));
  return std::move(issued.front());
}

absl::StatusOr<std::vector<IssuedToken>> IssueTokensOffline(
    const std::string& data_dir, const std::vector<v1::IssueTokenRequest>& requests) {
  const absl::Time now = absl::Now();
  for (const v1::IssueTokenRequest& request : requests) {
    RETURN_IF_ERROR(ValidateIssueRequest(request, now));
  }
  absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
      storage::FeedbackStore::Open({.data_dir = data_dir});
  if (!store.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        store.status().message(),
        ". If feedbackd is running on this store, issue the token through it with an admin "
        "token: feedbackctl --server HOST:PORT --token-file ADMIN_TOKEN_FILE admin "
        "token issue --role ROLE"));
  }
  std::vector<IssuedToken> issued;
  for (const v1::IssueTokenRequest& request : requests) {
    ASSIGN_OR_RETURN(std::string secret, NewTokenSecret());
    ASSIGN_OR_RETURN(
        v1::internal::StoredToken stored,
        storage::CommitOne(**store, IssueTokenOp(request, secret, OfflineAdmin(), now)));
    issued.push_back(IssuedToken{stored.token(), std::move(secret)});
  }
  return issued;
}

absl::StatusOr<std::vector<v1::internal::StoredToken>> LoadTokens(
    const storage::FeedbackStore& store) {
  std::vector<v1::internal::StoredToken> tokens;
  RETURN_IF_ERROR(store.ScanEntities(kTokenPrefix, [&](std::string_view, std::string_view value) {
    ASSIGN_OR_RETURN(v1::internal::StoredToken stored, ParseStoredToken(value));
    tokens.push_back(std::move(stored));
    return absl::OkStatus();
  }));
  std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) {
    return TimeUtil::TimestampToMicroseconds(a.token().created_at()) <
           TimeUtil::TimestampToMicroseconds(b.token().created_at());
  });
  return tokens;
}

absl::StatusOr<std::unique_ptr<TokenRegistry>> TokenRegistry::Load(
    const storage::FeedbackStore& store) {
  ASSIGN_OR_RETURN(std::vector<v1::internal::StoredToken> tokens, LoadTokens(store));
  auto registry = std::make_unique<TokenRegistry>();
  for (const v1::internal::StoredToken& stored : tokens) registry->Put(stored);
  return registry;
}

void TokenRegistry::Put(const v1::internal::StoredToken& stored) {
  absl::MutexLock lock(&mutex_);
  by_hash_[stored.secret_sha256()] = stored.token();
  hash_by_id_[stored.token().id()] = stored.secret_sha256();
}

absl::Status TokenRegistry::CheckValid(const v1::Token& token, absl::Time now) {
  if (token.has_revoked_at()) {
    return absl::UnauthenticatedError(
        absl::StrCat("authorization: token ", token.id(), " has been revoked"));
  }
  if (FromTimestamp(token.expires_at()) <= now) {
    return absl::UnauthenticatedError(absl::StrCat("authorization: token ", token.id(),
                                                   " expired at ",
                                                   TimeUtil::ToString(token.expires_at())));
  }
  return absl::OkStatus();
}

absl::Status TokenRegistry::CheckStillValid(std::string_view token_id, absl::Time now) const {
  v1::Token token;
  {
    absl::MutexLock lock(&mutex_);
    auto id = hash_by_id_.find(std::string(token_id));
    if (id == hash_by_id_.end()) return absl::UnauthenticatedError("authorization: unknown token");
    token = by_hash_.at(id->second);
  }
  return CheckValid(token, now);
}

absl::StatusOr<Principal> TokenRegistry::Authenticate(std::string_view authorization,
                                                      absl::Time now) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "authorization: missing; send 'authorization: Bearer <token>' (gRPC metadata or HTTP "
        "header)");
  }
  constexpr std::string_view kScheme = "Bearer ";
  // absl::string_view: Debian's Abseil makes none from a std one (a std::string was a copy of
  // the header on every call).
  if (!absl::StartsWithIgnoreCase(absl::string_view(authorization.data(), authorization.size()),
                                  absl::string_view(kScheme.data(), kScheme.size())) ||
      authorization.size() == kScheme.size()) {
    return absl::UnauthenticatedError("authorization: expected 'Bearer <token>'");
  }
  const std::string hash = HashSecret(authorization.substr(kScheme.size()));
  // Checked under the lock rather than on a copy of the token: every call comes through here,
  // so it is a reader's lock, which the gRPC threads share; an issue or revocation writes.
  absl::ReaderMutexLock lock(&mutex_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return absl::UnauthenticatedError("authorization: unknown token");
  const v1::Token& token = it->second;
  if (absl::Status valid = CheckValid(token, now); !valid.ok()) return valid;
  return Principal{
      .token_id = token.id(), .role = token.role(), .device_name = token.device_name()};
}

}  // namespace feedback
