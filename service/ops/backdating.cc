#include "service/ops/backdating.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/validation.h"
#include "service/ops/audit.h"
#include "service/ops/ledger.h"

namespace feedback {
namespace {

// The window of `role`; nullopt: none (QA staff back-fill).
std::optional<absl::Duration> WindowOf(v1::Role role) {
  switch (role) {
    case v1::ROLE_QA_MANAGER:
    case v1::ROLE_ADMIN:
      return std::nullopt;
    case v1::ROLE_ADVOCATE:
    case v1::ROLE_AUDITOR:
    case v1::ROLE_CHAIR:
      return kAdvocateBackdating;
    default:
      return kKioskBackdating;
  }
}

// REQUIRES: IsValidTimestamp(at). Exact, and without multiplying seconds into micros.
absl::Time TimeOf(const google::protobuf::Timestamp& at) {
  return absl::FromUnixSeconds(at.seconds()) + absl::Nanoseconds(at.nanos());
}

int64_t Days(absl::Duration window) { return absl::ToInt64Hours(window) / 24; }

// "2018-19Q3": the quarter a back-fill reaches, for its audit entry.
std::string QuarterDetail(const QuarterCalendar& calendar, const google::protobuf::Timestamp& at) {
  return FormatQuarter(calendar.QuarterOf(TimeOf(at)));
}

}  // namespace

absl::Time EarliestDate(v1::Role role, absl::Time now) {
  const std::optional<absl::Duration> window = WindowOf(role);
  return window.has_value() ? now - *window : absl::InfinitePast();
}

absl::Status CheckDate(const google::protobuf::Timestamp& at, std::string_view field, v1::Role role,
                       absl::Time now) {
  if (!IsValidTimestamp(at)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": is not a valid timestamp"));
  }
  const absl::Time time = TimeOf(at);
  if (time > now + kMaxClockSkew) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": is more than ", absl::ToInt64Minutes(kMaxClockSkew),
                     " minutes in the future; check the device clock"));
  }
  if (time < EarliestDate(role, now)) {
    const int64_t days = Days(*WindowOf(role));
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": is more than ", days, " days ago; a ", RoleName(role),
                     " may date it at most ", days,
                     " days back (older records are back-filled by a qa_manager)"));
  }
  return absl::OkStatus();
}

bool IsBackfill(v1::Role role, const google::protobuf::Timestamp& at, absl::Duration window,
                absl::Time now) {
  return !WindowOf(role).has_value() && IsValidTimestamp(at) && TimeOf(at) < now - window;
}

absl::Status CheckOccurredAt(const v1::Feedback& feedback, v1::Role role, absl::Time now) {
  if (!feedback.has_occurred_at()) return absl::OkStatus();
  return CheckDate(feedback.occurred_at(), "feedback.occurred_at", role, now);
}

absl::Status CheckReferredAt(const v1::CreateAdvocacyReferralRequest& request, v1::Role role,
                             absl::Time now) {
  if (!request.has_referred_at()) return absl::OkStatus();
  return CheckDate(request.referred_at(), "referred_at", role, now);
}

storage::TypedWriteOp<SubmitOutcome> AuditFeedbackBackfill(
    storage::TypedWriteOp<SubmitOutcome> submit, const google::protobuf::Timestamp& occurred_at,
    const Principal& caller, absl::Time now, const QuarterCalendar& calendar) {
  // A record the client gave no occurred_at occurred when received (now): never a back-fill.
  if (!IsBackfill(caller.role, occurred_at, kKioskBackdating, now)) return submit;
  return storage::AndThen(
      std::move(submit), [caller, now, detail = QuarterDetail(calendar, occurred_at)](
                             storage::Transaction& txn, const SubmitOutcome& outcome) {
        if (outcome.duplicate) return absl::OkStatus();
        return AppendAudit(txn, caller, now,
                           AuditEvent("feedback.backfill", {outcome.record.id()}, detail));
      });
}

storage::TypedWriteOp<v1::AdvocacyReferral> AuditReferralBackfill(
    storage::TypedWriteOp<v1::AdvocacyReferral> create,
    const v1::CreateAdvocacyReferralRequest& request, const Principal& caller, absl::Time now,
    const QuarterCalendar& calendar) {
  if (!request.has_referred_at() ||
      !IsBackfill(caller.role, request.referred_at(), kAdvocateBackdating, now)) {
    return create;
  }
  return storage::AndThen(
      std::move(create), [caller, now, detail = QuarterDetail(calendar, request.referred_at())](
                             storage::Transaction& txn, const v1::AdvocacyReferral& referral) {
        return AppendAudit(txn, caller, now,
                           AuditEvent("referral.backfill", {referral.id()}, detail));
      });
}

storage::TypedWriteOp<v1::AdvocacyReferral> GuardReferralUpdate(
    storage::TypedWriteOp<v1::AdvocacyReferral> update, std::string id, Principal caller,
    absl::Time now, const QuarterCalendar& calendar) {
  return [update = std::move(update), id = std::move(id), caller = std::move(caller), now,
          calendar](storage::Transaction& txn) mutable -> absl::StatusOr<v1::AdvocacyReferral> {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(ReferralKey(id)));
    v1::AdvocacyReferral stored;
    // Absent or unreadable: the update itself says so.
    if (!bytes.has_value() || !stored.ParseFromString(*bytes)) return std::move(update)(txn);
    const google::protobuf::Timestamp& at = stored.referred_at();
    if (IsValidTimestamp(at) && TimeOf(at) < EarliestDate(caller.role, now)) {
      const int64_t days = Days(*WindowOf(caller.role));
      return absl::PermissionDeniedError(
          absl::StrCat("referred_at: the referral was made more than ", days, " days ago; a ",
                       RoleName(caller.role), " may update referrals of the last ", days,
                       " days only (a qa_manager records later decisions)"));
    }
    ASSIGN_OR_RETURN(v1::AdvocacyReferral updated, std::move(update)(txn));
    if (IsBackfill(caller.role, at, kAdvocateBackdating, now)) {
      RETURN_IF_ERROR(AppendAudit(
          txn, caller, now, AuditEvent("referral.backfill", {id}, QuarterDetail(calendar, at))));
    }
    return updated;
  };
}

}  // namespace feedback
