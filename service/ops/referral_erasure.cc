#include "service/ops/referral_erasure.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/counters.h"
#include "service/ops/ledger.h"
#include "service/ops/replay.h"

namespace feedback {

bool IsReferralId(std::string_view id) { return id.starts_with(kReferralIdPrefix); }

absl::StatusOr<std::optional<v1::AdvocacyReferral>> FindReferral(storage::Transaction& txn,
                                                                 std::string_view id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(ReferralKey(id)));
  if (!bytes.has_value()) return std::nullopt;
  v1::AdvocacyReferral referral;
  if (!referral.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("referral ", std::string(id), " does not parse"));
  }
  return referral;
}

v1::AdvocacyReferral ErasedReferral(const v1::AdvocacyReferral& referral, absl::Time now) {
  if (referral.has_erased_at()) return referral;
  v1::AdvocacyReferral next = referral;
  next.set_age_band(std::string(ReferralAgeBand(referral)));
  next.clear_child_age();
  next.clear_reason();
  *next.mutable_erased_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  return next;
}

absl::StatusOr<bool> StageReferralErasure(storage::Transaction& txn,
                                          const v1::AdvocacyReferral& referral, absl::Time now,
                                          ErasureResult& result) {
  const std::string key = ReferralKey(referral.id());
  const std::string submission_key = ReferralSubmissionKey(referral.submission_id());
  result.scrub.entities.push_back(key);
  if (!referral.submission_id().empty()) result.scrub.idempotency.push_back(submission_key);
  if (referral.has_erased_at()) {
    result.referral = referral;
    return false;
  }
  v1::AdvocacyReferral next = ErasedReferral(referral, now);
  RETURN_IF_ERROR(txn.PutEntity(key, next.SerializeAsString()));
  if (!referral.submission_id().empty()) {
    RETURN_IF_ERROR(MarkErased(txn, submission_key, referral.id()));
  }
  result.referral = std::move(next);
  return true;
}

}  // namespace feedback
