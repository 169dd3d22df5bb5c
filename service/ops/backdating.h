// How far back each role may date what it records (docs/security.md, "Back-dating"), so that
// nobody outside QA staff can reach into an old, published quarter:
//   kiosk      feedback's occurred_at up to 30 days before now (a tablet may sit offline; its
//              outbox still delivers);
//   advocate   feedback's occurred_at and a referral's referred_at up to 90 days before now, and
//              only referrals made within 90 days may be updated;
//   auditor    an audit's or observation's occurred_at up to 90 days before now;
//   chair      an oversight outcome's occurred_at up to 90 days before now;
//   qa_manager, admin  any time from 2000 (back-fill): each such write older than the kiosk's
//              window (feedback) or the advocate's (referrals) is audited as a back-fill,
//              "feedback.backfill" or "referral.backfill", in the same batch.
// Nothing may be dated more than kMaxClockSkew in the future. Every timestamp is range-checked
// (TimeUtil's seconds range, nanos 0..999,999,999) before it is converted, so a huge seconds
// value cannot wrap around to another time.
#ifndef FEEDBACK_SERVICE_OPS_BACKDATING_H_
#define FEEDBACK_SERVICE_OPS_BACKDATING_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/access.h"
#include "service/ops/ledger.h"
#include "storage/transaction.h"

namespace feedback {

inline constexpr absl::Duration kKioskBackdating = absl::Hours(24 * 30);
inline constexpr absl::Duration kAdvocateBackdating = absl::Hours(24 * 90);

// The oldest time `role` may give for something it records at `now`: now minus its window, or
// absl::InfinitePast() for qa_manager and admin (any roles without a window get the kiosk's).
absl::Time EarliestDate(v1::Role role, absl::Time now);

// OK if `at` is a valid timestamp from EarliestDate(role, now) to now + kMaxClockSkew;
// INVALID_ARGUMENT naming `field` (e.g. "feedback.occurred_at") otherwise.
[[nodiscard]] absl::Status CheckDate(const google::protobuf::Timestamp& at, std::string_view field,
                                     v1::Role role, absl::Time now);

// True if `role` is qa_manager or admin and `at` is valid and older than `window` before now.
bool IsBackfill(v1::Role role, const google::protobuf::Timestamp& at, absl::Duration window,
                absl::Time now);

// CheckDate of a submission's occurred_at ("feedback.occurred_at"); OK when it is unset (the
// server uses the time of receipt).
[[nodiscard]] absl::Status CheckOccurredAt(const v1::Feedback& feedback, v1::Role role,
                                           absl::Time now);
// CheckDate of a new referral's referred_at ("referred_at"); OK when it is unset (now).
[[nodiscard]] absl::Status CheckReferredAt(const v1::CreateAdvocacyReferralRequest& request,
                                           v1::Role role, absl::Time now);

// `submit` (a Ledger::Submit op of a record that occurred at `occurred_at`) as is, or, when it is
// a back-fill, followed by a "feedback.backfill" audit entry with the new item's id and the
// quarter it reaches (none for a duplicate, which writes nothing), in the same batch.
storage::TypedWriteOp<SubmitOutcome> AuditFeedbackBackfill(
    storage::TypedWriteOp<SubmitOutcome> submit, const google::protobuf::Timestamp& occurred_at,
    const Principal& caller, absl::Time now, const QuarterCalendar& calendar);

// `create` (an op that creates the referral of `request`) as is, or, when it is a back-fill,
// followed by a "referral.backfill" audit entry in the same batch.
storage::TypedWriteOp<v1::AdvocacyReferral> AuditReferralBackfill(
    storage::TypedWriteOp<v1::AdvocacyReferral> create,
    const v1::CreateAdvocacyReferralRequest& request, const Principal& caller, absl::Time now,
    const QuarterCalendar& calendar);

// `update` (a Ledger::UpdateReferral op of referral `id`), first refused with PERMISSION_DENIED
// naming referred_at if the stored referral is older than the caller's window, and followed by a
// "referral.backfill" audit entry when it is older than the advocate's window (staff only).
storage::TypedWriteOp<v1::AdvocacyReferral> GuardReferralUpdate(
    storage::TypedWriteOp<v1::AdvocacyReferral> update, std::string id, Principal caller,
    absl::Time now, const QuarterCalendar& calendar);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_BACKDATING_H_
