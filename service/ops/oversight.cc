#include "service/ops/oversight.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/oversight.h"
#include "service/ops/audit.h"
#include "service/ops/ingest.h"
#include "service/ops/queries.h"
#include "service/ops/record_scan.h"
#include "service/ops/replay.h"
#include "storage/layout.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr ReplayWords kOversightWords{"oversight outcome", "recorded"};

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::StatusOr<v1::ChairOversight> ReadStoredOversight(storage::Transaction& txn,
                                                       const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(OversightKey(id)));
  v1::ChairOversight stored;
  if (!bytes.has_value() || !stored.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("oversight outcome ", id, " is missing"));
  }
  return stored;
}

// `oversight` as stored: what the client sent, with the server's fields (but no id yet).
v1::ChairOversight Completed(v1::ChairOversight oversight, const Principal& caller, absl::Time now,
                             const Tagger& tagger) {
  const google::protobuf::Timestamp recorded_at = ToTimestamp(now);
  if (!oversight.has_occurred_at()) *oversight.mutable_occurred_at() = recorded_at;
  *oversight.mutable_recorded_at() = recorded_at;
  oversight.set_recorded_by(caller.token_id);
  for (std::string& tag : tagger.PracticeTags(oversight.strengths())) {
    oversight.add_strength_themes(std::move(tag));
  }
  for (std::string& tag : tagger.PracticeTags(oversight.areas_for_development())) {
    oversight.add_development_themes(std::move(tag));
  }
  return oversight;
}

// The practice alert of an escalation: about the meeting, never its words.
v1::Alert EscalationAlert(const v1::ChairOversight& oversight, absl::Time now,
                          const Ledger& ledger) {
  v1::Alert alert;
  alert.set_id(oversight.id());
  alert.set_reason(v1::ALERT_REASON_CHAIR_ESCALATION);
  alert.set_meeting(oversight.meeting());
  alert.set_service_area(oversight.service_area());
  alert.set_oversight_id(oversight.id());
  *alert.mutable_raised_at() = ToTimestamp(now);
  *alert.mutable_due_at() =
      ToTimestamp(ledger.procedure().WorkingDaysAfter(now, kEscalationWorkingDays));
  return alert;
}

}  // namespace

std::string OversightKey(std::string_view id) {
  return absl::StrCat(std::string(storage::layout::kOversightPrefix), std::string(id));
}

std::string OversightSubmissionKey(std::string_view submission_id) {
  return absl::StrCat(std::string(storage::layout::kOversightSubmissionPrefix),
                      std::string(submission_id));
}

storage::TypedWriteOp<RecordedOversight> RecordOversightOp(v1::ChairOversight oversight,
                                                           Principal caller, absl::Time now,
                                                           const Ledger& ledger) {
  // A UUID's case is not content: "ABC..." and "abc..." are one submission.
  oversight.set_submission_id(absl::AsciiStrToLower(oversight.submission_id()));
  return [oversight = std::move(oversight), caller = std::move(caller), now,
          &ledger](storage::Transaction& txn) -> absl::StatusOr<RecordedOversight> {
    const std::string key = OversightSubmissionKey(oversight.submission_id());
    // The fingerprint is of what the client sent, so a retry with the same content matches.
    const std::string fingerprint = ContentFingerprint(oversight);
    ASSIGN_OR_RETURN(std::optional<std::string> stored_id,
                     DecideReplay(txn, key, caller.token_id, fingerprint, kOversightWords));
    if (stored_id.has_value()) {
      ASSIGN_OR_RETURN(v1::ChairOversight stored, ReadStoredOversight(txn, *stored_id));
      return RecordedOversight{
          .oversight = std::move(stored), .duplicate = true, .alert = std::nullopt};
    }
    RecordedOversight recorded;
    v1::ChairOversight& stored = recorded.oversight;
    stored = Completed(oversight, caller, now, *ledger.tagger());
    stored.set_id(txn.NewId(storage::layout::kOversightIdPrefix));
    AuditEvent event("oversight.record", {stored.id()});
    if (stored.outcome() == v1::OVERSIGHT_OUTCOME_ESCALATION) {
      v1::Alert alert = EscalationAlert(stored, now, ledger);
      stored.set_alert_id(alert.id());
      *stored.mutable_alert_due_at() = alert.due_at();
      RETURN_IF_ERROR(txn.PutEntity(AlertKey(alert.id()), alert.SerializeAsString()));
      recorded.alert = std::move(alert);
    }
    RETURN_IF_ERROR(txn.PutEntity(OversightKey(stored.id()), stored.SerializeAsString()));
    RETURN_IF_ERROR(PutIdempotencyEntry(txn, key, {fingerprint, stored.id(), caller.token_id}));
    RETURN_IF_ERROR(ApplyCounterDelta(txn, {}, ledger.counters().OfOversight(stored)));
    RETURN_IF_ERROR(AppendAudit(txn, caller, now, std::move(event)));
    return recorded;
  };
}

absl::StatusOr<v1::ListOversightsResponse> ListOversights(const storage::FeedbackStore& store,
                                                          const QuarterCalendar& calendar,
                                                          const v1::ListOversightsRequest& request,
                                                          std::string_view recorded_by) {
  ASSIGN_OR_RETURN(const RequestedSpan span,
                   SpanOfRequest(calendar, request.financial_year(), request.quarter()));
  std::vector<v1::ChairOversight> found;
  RETURN_IF_ERROR(ScanRecords<v1::ChairOversight>(
      store, storage::layout::kOversightPrefix, "oversight outcome",
      [&](v1::ChairOversight&& oversight) -> storage::ScanStep {
        const bool mine = recorded_by.empty() || oversight.recorded_by() == recorded_by;
        if (mine && span.Contains(oversight.occurred_at()) &&
            MatchesOversightFilter(oversight, request)) {
          found.push_back(std::move(oversight));
        }
        return absl::OkStatus();
      }));
  SortNewestFirst(found, [](const v1::ChairOversight& o) { return o.occurred_at(); });
  v1::ListOversightsResponse response;
  for (v1::ChairOversight& oversight : found) *response.add_oversights() = std::move(oversight);
  return response;
}

}  // namespace feedback
