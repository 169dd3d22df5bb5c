// The one door every RPC passes, whatever the transport: authentication (bearer token),
// authorisation (the access table), and abuse limits (per-token call rate, concurrent streams).
// A transport reads what the caller presented into Credentials (gRPC: service/rpc/credentials.h)
// and asks Admit before it decodes a byte of the request.
#ifndef FEEDBACK_SERVICE_CORE_GATEKEEPER_H_
#define FEEDBACK_SERVICE_CORE_GATEKEEPER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/domain/access.h"
#include "service/ops/tokens.h"

namespace feedback {

// What a caller presented, as any transport reads it.
struct Credentials {
  // The value of the `authorization` metadata or header ("Bearer <token>"), as sent; empty if
  // none was sent.
  std::string authorization;
};

// The Credentials of a caller whose transport carried `authorization` (every value of the
// `authorization` metadata or header, in the order sent). UNAUTHENTICATED
// "authorization: sent more than once" for more than one value: which one would count is not
// for a door to guess. Every door reads what a caller presented through here.
[[nodiscard]] absl::StatusOr<Credentials> ReadCredentials(
    const std::vector<std::string_view>& authorization);

// OK if `role` may call `method` (the access table, service/domain/access.h); else
// PERMISSION_DENIED naming the role and the method.
[[nodiscard]] absl::Status CheckAllowed(std::string_view method, v1::Role role);

struct AccessLimits {
  // Calls per minute one token may make, by role; 0: unlimited. A token may use a whole
  // minute's allowance at once, then gets it back steadily. Defaults: a kiosk 30, an advocate,
  // a reporter, an auditor or a chair 120, a qa_manager or an admin 600.
  std::map<v1::Role, int> calls_per_minute = {{v1::ROLE_KIOSK, 30},       {v1::ROLE_ADVOCATE, 120},
                                              {v1::ROLE_QA_MANAGER, 600}, {v1::ROLE_REPORTER, 120},
                                              {v1::ROLE_AUDITOR, 120},    {v1::ROLE_CHAIR, 120},
                                              {v1::ROLE_ADMIN, 600}};
  // Open streams (ExportFeedback, WatchAlerts) per token, and in all. Defaults: 2 and 32.
  int streams_per_token = 2;
  int streams_total = 32;
  // Wrong, expired or used enrolment codes (EnrolKiosk) a minute, across the whole server
  // (the caller has no token to count them by). Past it, every code is refused with
  // RESOURCE_EXHAUSTED, right or wrong, until the allowance comes back, so codes cannot be
  // guessed faster (docs/security.md). At least 1. Default: 10.
  int enrolment_failures_per_minute = 10;
};

// Parses "ROLE=N" (calls per minute, 0 = unlimited) into `limits`. Errors name the flag.
[[nodiscard]] absl::Status ParseRateLimit(std::string_view spec, AccessLimits& limits);

class Gatekeeper;

// A held stream slot; released on destruction. Movable.
class StreamSlot {
 public:
  StreamSlot() = default;
  StreamSlot(StreamSlot&& other) noexcept { *this = std::move(other); }
  StreamSlot& operator=(StreamSlot&& other) noexcept;
  ~StreamSlot();

 private:
  friend class Gatekeeper;
  StreamSlot(Gatekeeper* gate, std::string token_id)
      : gate_(gate), token_id_(std::move(token_id)) {}
  Gatekeeper* gate_ = nullptr;
  std::string token_id_;
};

// Thread-safe. `tokens` is borrowed and must outlive it.
class Gatekeeper {
 public:
  Gatekeeper(const TokenRegistry* tokens, AccessLimits limits)
      : tokens_(tokens), limits_(std::move(limits)) {}

  // The caller of `method` (the RPC's name), if its token is valid, its role may call the
  // method, and it is within its rate: else UNAUTHENTICATED, PERMISSION_DENIED or
  // RESOURCE_EXHAUSTED, each with a message that says why (never the token itself). A method
  // that needs no token (NeedsNoToken, service/domain/access.h) admits anyone as Anonymous(),
  // whatever token was sent.
  [[nodiscard]] absl::StatusOr<Principal> Admit(const Credentials& credentials,
                                                std::string_view method, absl::Time now) {
    return Admit(credentials.authorization, method, now);
  }
  // The same, given the value of the `authorization` metadata (empty: none was sent).
  [[nodiscard]] absl::StatusOr<Principal> Admit(std::string_view authorization,
                                                std::string_view method, absl::Time now);

  // A slot for one open stream of `caller`; RESOURCE_EXHAUSTED past the limits.
  [[nodiscard]] absl::StatusOr<StreamSlot> OpenStream(const Principal& caller);

  // One try of an enrolment code, taken from the server's budget of failed codes
  // (AccessLimits::enrolment_failures_per_minute; a bucket holding one minute's allowance,
  // refilled steadily): OK, or RESOURCE_EXHAUSTED when none is left, and then no code may be
  // checked. A code that proves good gives its try back (ReturnEnrolmentTry), so only failures
  // spend the budget; taking before checking means concurrent guesses cannot overdraw it.
  [[nodiscard]] absl::Status TakeEnrolmentTry(absl::Time now);
  void ReturnEnrolmentTry();

  // Calls a minute per token, by role, from now on (feedbackd reloads them on SIGHUP); a role
  // missing from `calls_per_minute` is unlimited. Buckets already filled keep what they hold.
  void SetRateLimits(std::map<v1::Role, int> calls_per_minute);

 private:
  friend class StreamSlot;
  struct Bucket {
    double calls = 0;  // calls available now
    absl::Time refilled_at;
  };

  absl::Status TakeCall(const Principal& caller, absl::Time now);
  // Refills `bucket` at `per_minute` up to one minute's allowance, then takes one if it can.
  static bool TakeFrom(Bucket& bucket, double per_minute, absl::Time now);
  void CloseStream(const std::string& token_id);

  const TokenRegistry* const tokens_;
  absl::Mutex mutex_;
  AccessLimits limits_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, int> streams_ ABSL_GUARDED_BY(mutex_);
  int streams_total_ ABSL_GUARDED_BY(mutex_) = 0;
  std::optional<Bucket> enrolment_tries_ ABSL_GUARDED_BY(mutex_);  // made on first use
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_GATEKEEPER_H_
