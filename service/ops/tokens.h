// Access tokens: random secrets kept only as SHA-256 hashes, each with one role, an optional
// device name and an expiry, revocable with effect on the next call.
#ifndef FEEDBACK_SERVICE_OPS_TOKENS_H_
#define FEEDBACK_SERVICE_OPS_TOKENS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "feedback/v1/wire_check.pb.h"
#include "proto/vocabulary/token_issue.h"
#include "service/domain/access.h"
#include "storage/feedback_store.h"
#include "storage/layout.h"

namespace feedback {

using storage::layout::kTokenPrefix;  // "token/<id>" -> StoredToken (storage/layout.h)
inline constexpr absl::Duration kDefaultTokenLifetime = absl::Hours(24 * 365);

// "fbk_" and 64 hex digits: 256 bits from OpenSSL's CSPRNG.
[[nodiscard]] absl::StatusOr<std::string> NewTokenSecret();
// SHA-256 of the secret (32 bytes): the only form in which a secret is stored.
std::string HashSecret(std::string_view secret);

// Checks a request to issue a token: role, device name, expiry. Errors name the field.
[[nodiscard]] absl::Status ValidateIssueRequest(const v1::IssueTokenRequest& request,
                                                absl::Time now);

// Stages a new token of `request` (validated) with the hash of `secret`, made by `created_by`
// (a token id); no audit entry. Returns the token as staged.
[[nodiscard]] absl::StatusOr<v1::internal::StoredToken> StageNewToken(
    storage::Transaction& txn, const v1::IssueTokenRequest& request, std::string_view secret,
    std::string_view created_by, absl::Time now);

// Stores a new token (request validated) and its audit entry as one operation; the result is
// the token as stored.
storage::TypedWriteOp<v1::internal::StoredToken> IssueTokenOp(v1::IssueTokenRequest request,
                                                              std::string secret, Principal actor,
                                                              absl::Time now);
// Marks a token revoked (NOT_FOUND if no such id; revoking twice keeps the first time); the
// result is the token as it now stands.
storage::TypedWriteOp<v1::internal::StoredToken> RevokeTokenOp(std::string id, Principal actor,
                                                               absl::Time now);

// Issues a token directly on a stopped server's store (the first admin token of an install;
// `feedbackd admin token issue`). FAILED_PRECONDITION if a running server holds the store: the
// message says to issue it through that server with feedbackctl instead.
[[nodiscard]] absl::StatusOr<IssuedToken> IssueTokenOffline(const std::string& data_dir,
                                                            const v1::IssueTokenRequest& request);
// The same for several tokens, opening the store once (opening it takes most of the time: the
// test fixtures issue one token per role for every server they start). Every request is
// validated before anything is written; the tokens come back in the order asked.
[[nodiscard]] absl::StatusOr<std::vector<IssuedToken>> IssueTokensOffline(
    const std::string& data_dir, const std::vector<v1::IssueTokenRequest>& requests);

// Every stored token, oldest first.
[[nodiscard]] absl::StatusOr<std::vector<v1::internal::StoredToken>> LoadTokens(
    const storage::FeedbackStore& store);

// The server's view of valid tokens, by hash. Thread-safe.
class TokenRegistry {
 public:
  // Loads every stored token.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TokenRegistry>> Load(
      const storage::FeedbackStore& store);

  // Adds or replaces a token once its change is durable.
  void Put(const v1::internal::StoredToken& stored);

  // The principal of an `authorization` metadata value ("Bearer <secret>"). UNAUTHENTICATED
  // when it is missing, malformed, unknown, revoked or expired; the message says which, never
  // the secret.
  [[nodiscard]] absl::StatusOr<Principal> Authenticate(std::string_view authorization,
                                                       absl::Time now) const;

  // OK while the token `token_id` is neither revoked nor expired; else UNAUTHENTICATED. Open
  // streams ask before sending each alert or page, so a revoked token's stream ends there.
  [[nodiscard]] absl::Status CheckStillValid(std::string_view token_id, absl::Time now) const;

 private:
  static absl::Status CheckValid(const v1::Token& token, absl::Time now);

  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, v1::Token> by_hash_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, std::string> hash_by_id_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_TOKENS_H_
