#include "service/ops/talk_now.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/validation.h"
#include "service/ops/audit.h"
#include "service/ops/ingest.h"
#include "service/ops/ledger.h"
#include "service/ops/replay.h"
#include "storage/layout.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

const absl::Time kEarliestRequest =
    absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());

absl::Time FromTimestamp(const google::protobuf::Timestamp& at) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at));
}

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

std::string TalkNowKey(std::string_view request_id) {
  return absl::StrCat(std::string(storage::layout::kTalkNowRequestPrefix),
                      absl::AsciiStrToLower(std::string(request_id)));
}

// The stored alert a repeat of an idempotency key answers with, or the error that refuses it;
// nullopt for a key not seen before.
absl::StatusOr<std::optional<v1::Alert>> FindRepeat(storage::Transaction& txn,
                                                    const std::string& key,
                                                    const std::string& owner,
                                                    const std::string& fingerprint) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, txn.FindIdempotencyKey(key));
  if (!value.has_value()) return std::nullopt;
  std::optional<IdempotencyEntry> seen = DecodeIdempotencyEntry(*value);
  if (!seen.has_value()) return absl::DataLossError("a talk-now idempotency entry does not decode");
  switch (ClassifyRepeat(*seen, owner, fingerprint)) {
    case Repeat::kNotOwner:
      return absl::AlreadyExistsError(
          "request_id: already used; a request_id is answered only to the token that sent it");
    case Repeat::kErased:
    case Repeat::kOtherContent:
      return absl::AlreadyExistsError(
          "request_id: already used for a talk-now request with different content");
    case Repeat::kDuplicate:
      break;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(AlertKey(seen->id)));
  v1::Alert alert;
  if (!bytes.has_value() || !alert.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("talk-now alert ", seen->id, " is missing"));
  }
  return alert;
}

}  // namespace

absl::Status ValidateTalkNowRequest(const v1::RequestTalkNowRequest& request, absl::Time now) {
  if (request.request_id().empty()) {
    return absl::InvalidArgumentError("request_id: must be set (a UUID)");
  }
  if (!IsUuid(request.request_id())) {
    return absl::InvalidArgumentError(
        "request_id: must be a UUID such as 123e4567-e89b-42d3-a456-426614174000");
  }
  if (!v1::Meeting_IsValid(request.meeting())) {
    return absl::InvalidArgumentError("meeting: not a known meeting");
  }
  if (!v1::ServiceArea_IsValid(request.service_area())) {
    return absl::InvalidArgumentError("service_area: not a known service area");
  }
  if (request.has_requested_at()) {
    if (!IsValidTimestamp(request.requested_at())) {
      return absl::InvalidArgumentError("requested_at: not a valid time");
    }
    const absl::Time at = FromTimestamp(request.requested_at());
    if (at < kEarliestRequest) {
      return absl::InvalidArgumentError("requested_at: is before the year 2000");
    }
    if (at > now + kMaxClockSkew) {
      return absl::InvalidArgumentError(
          "requested_at: is more than 10 minutes in the future; check the device clock");
    }
  }
  return absl::OkStatus();
}

storage::TypedWriteOp<TalkNowOutcome> RaiseTalkNowOp(v1::RequestTalkNowRequest request,
                                                     Principal caller, absl::Time now) {
  return [request = std::move(request), caller = std::move(caller),
          now](storage::Transaction& txn) -> absl::StatusOr<TalkNowOutcome> {
    const std::string key = TalkNowKey(request.request_id());
    const std::string fingerprint = ContentFingerprint(request);
    ASSIGN_OR_RETURN(std::optional<v1::Alert> repeat,
                     FindRepeat(txn, key, caller.token_id, fingerprint));
    if (repeat.has_value()) return TalkNowOutcome{.alert = *std::move(repeat), .duplicate = true};
    v1::Alert alert;
    alert.set_id(txn.NewId(storage::layout::kTalkNowIdPrefix));
    alert.set_reason(v1::ALERT_REASON_TALK_NOW);
    alert.set_device_name(caller.device_name);
    alert.set_meeting(request.meeting());
    alert.set_service_area(request.service_area());
    const absl::Time asked =
        request.has_requested_at() ? std::min(FromTimestamp(request.requested_at()), now) : now;
    *alert.mutable_raised_at() = ToTimestamp(asked);
    RETURN_IF_ERROR(txn.PutEntity(AlertKey(alert.id()), alert.SerializeAsString()));
    RETURN_IF_ERROR(PutIdempotencyEntry(txn, key, {fingerprint, alert.id(), caller.token_id}));
    RETURN_IF_ERROR(AppendAudit(txn, caller, now, AuditEvent("alert.talk_now", {alert.id()})));
    return TalkNowOutcome{.alert = std::move(alert), .duplicate = false};
  };
}

}  // namespace feedback
