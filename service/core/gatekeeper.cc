#include "service/core/gatekeeper.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"

namespace feedback {

absl::Status CheckAllowed(std::string_view method, v1::Role role) {
  if (IsAllowed(method, role)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("a ", RoleName(role), " token may not call ", std::string(method)));
}

absl::Status ParseRateLimit(std::string_view spec, AccessLimits& limits) {
  const size_t equals = spec.find('=');
  int per_minute = 0;
  if (equals == std::string_view::npos ||
      !absl::SimpleAtoi(std::string(spec.substr(equals + 1)), &per_minute) || per_minute < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--rate-limit: expected ROLE=CALLS_PER_MINUTE (0: unlimited), got \"",
                     std::string(spec), "\""));
  }
  ASSIGN_OR_RETURN(const v1::Role role, ParseRole(spec.substr(0, equals), "--rate-limit"));
  limits.calls_per_minute[role] = per_minute;
  return absl::OkStatus();
}

StreamSlot& StreamSlot::operator=(StreamSlot&& other) noexcept {
  if (this != &other) {
    if (gate_ != nullptr) gate_->CloseStream(token_id_);
    gate_ = std::exchange(other.gate_, nullptr);
    token_id_ = std::move(other.token_id_);
  }
  return *this;
}

StreamSlot::~StreamSlot() {
  if (gate_ != nullptr) gate_->CloseStream(token_id_);
}

absl::StatusOr<Principal> Gatekeeper::Admit(std::string_view authorization, std::string_view method,
                                            absl::Time now) {
  ASSIGN_OR_RETURN(Principal caller, tokens_->Authenticate(authorization, now));
  RETURN_IF_ERROR(CheckAllowed(method, caller.role));
  RETURN_IF_ERROR(TakeCall(caller, now));
  return caller;
}

absl::Status Gatekeeper::TakeCall(const Principal& caller, absl::Time now) {
  auto limit = limits_.calls_per_minute.find(caller.role);
  if (limit == limits_.calls_per_minute.end() || limit->second == 0) return absl::OkStatus();
  const double per_minute = limit->second;
  absl::MutexLock lock(&mutex_);
  auto [it, inserted] = buckets_.try_emplace(caller.token_id, Bucket{per_minute, now});
  Bucket& bucket = it->second;
  const double refill = absl::ToDoubleMinutes(now - bucket.refilled_at) * per_minute;
  bucket.calls = std::min(per_minute, bucket.calls + std::max(0.0, refill));
  bucket.refilled_at = std::max(bucket.refilled_at, now);
  if (bucket.calls < 1) {
    return absl::ResourceExhaustedError(absl::StrCat("rate limit: a ", RoleName(caller.role),
                                                     " token may make ", limit->second,
                                                     " calls a minute; try again shortly"));
  }
  bucket.calls -= 1;
  return absl::OkStatus();
}

absl::StatusOr<StreamSlot> Gatekeeper::OpenStream(const Principal& caller) {
  absl::MutexLock lock(&mutex_);
  int& mine = streams_[caller.token_id];
  if (mine >= limits_.streams_per_token) {
    return absl::ResourceExhaustedError(absl::StrCat("streams: this token already has ", mine,
                                                     " open; at most ", limits_.streams_per_token));
  }
  if (streams_total_ >= limits_.streams_total) {
    return absl::ResourceExhaustedError(absl::StrCat("streams: the server has ", streams_total_,
                                                     " open; at most ", limits_.streams_total));
  }
  ++mine;
  ++streams_total_;
  return StreamSlot(this, caller.token_id);
}

void Gatekeeper::CloseStream(const std::string& token_id) {
  absl::MutexLock lock(&mutex_);
  if (--streams_[token_id] <= 0) streams_.erase(token_id);
  --streams_total_;
}

}  // namespace feedback
