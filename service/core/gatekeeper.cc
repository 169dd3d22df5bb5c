#include "service/core/gatekeeper.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"

namespace feedback {

namespace {

// "a kiosk token", "an admin token": refusals are read by people.
std::string RoleToken(v1::Role role) {
  const std::string name(RoleName(role));
  const bool vowel =
      !name.empty() && std::string_view("aeiou").find(name[0]) != std::string_view::npos;
  return absl::StrCat(vowel ? "an " : "a ", name, " token");
}

}  // namespace

absl::Status CheckAllowed(std::string_view method, v1::Role role) {
  if (IsAllowed(method, role)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(RoleToken(role), " may not call ", std::string(method)));
}

absl::StatusOr<Credentials> ReadCredentials(const std::vector<std::string_view>& authorization) {
  if (authorization.size() > 1) {
    return absl::UnauthenticatedError("authorization: sent more than once");
  }
  Credentials credentials;
  if (!authorization.empty()) credentials.authorization = std::string(authorization.front());
  return credentials;
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
  // The request is the credential (EnrolKiosk's code): a token sent with it is not read.
  if (NeedsNoToken(method)) return Anonymous();
  ASSIGN_OR_RETURN(Principal caller, tokens_->Authenticate(authorization, now));
  RETURN_IF_ERROR(CheckAllowed(method, caller.role));
  RETURN_IF_ERROR(TakeCall(caller, now));
  return caller;
}

void Gatekeeper::SetRateLimits(std::map<v1::Role, int> calls_per_minute) {
  absl::MutexLock lock(&mutex_);
  limits_.calls_per_minute = std::move(calls_per_minute);
}

absl::Status Gatekeeper::TakeCall(const Principal& caller, absl::Time now) {
  absl::MutexLock lock(&mutex_);
  auto limit = limits_.calls_per_minute.find(caller.role);
  if (limit == limits_.calls_per_minute.end() || limit->second == 0) return absl::OkStatus();
  const double per_minute = limit->second;
  auto [it, inserted] = buckets_.try_emplace(caller.token_id, Bucket{per_minute, now});
  if (!TakeFrom(it->second, per_minute, now)) {
    return absl::ResourceExhaustedError(absl::StrCat("rate limit: ", RoleToken(caller.role),
                                                     " may make ", limit->second,
                                                     " calls a minute; try again shortly"));
  }
  return absl::OkStatus();
}

bool Gatekeeper::TakeFrom(Bucket& bucket, double per_minute, absl::Time now) {
  const double refill = absl::ToDoubleMinutes(now - bucket.refilled_at) * per_minute;
  bucket.calls = std::min(per_minute, bucket.calls + std::max(0.0, refill));
  bucket.refilled_at = std::max(bucket.refilled_at, now);
  if (bucket.calls < 1) return false;
  bucket.calls -= 1;
  return true;
}

absl::Status Gatekeeper::TakeEnrolmentTry(absl::Time now) {
  absl::MutexLock lock(&mutex_);
  const double per_minute = std::max(1, limits_.enrolment_failures_per_minute);
  if (!enrolment_tries_.has_value()) enrolment_tries_ = Bucket{per_minute, now};
  if (!TakeFrom(*enrolment_tries_, per_minute, now)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("enrolment: too many codes that were not valid (at most ",
                     limits_.enrolment_failures_per_minute,
                     " a minute on this server); wait a minute, then try again"));
  }
  return absl::OkStatus();
}

void Gatekeeper::ReturnEnrolmentTry() {
  absl::MutexLock lock(&mutex_);
  const double per_minute = std::max(1, limits_.enrolment_failures_per_minute);
  if (enrolment_tries_.has_value()) {
    enrolment_tries_->calls = std::min(per_minute, enrolment_tries_->calls + 1);
  }
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
