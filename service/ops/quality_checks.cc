#include "service/ops/quality_checks.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/quality_checks.h"
#include "service/ops/audit.h"
#include "service/ops/ingest.h"
#include "service/ops/queries.h"
#include "service/ops/record_scan.h"
#include "service/ops/replay.h"
#include "storage/layout.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr ReplayWords kQualityCheckWords{"audit or observation", "recorded"};

absl::StatusOr<v1::QualityCheck> ReadStoredCheck(storage::Transaction& txn, const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(QualityCheckKey(id)));
  v1::QualityCheck stored;
  if (!bytes.has_value() || !stored.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("audit or observation ", id, " is missing"));
  }
  return stored;
}

// `check` as stored: what the client sent, with the server's fields.
v1::QualityCheck Completed(v1::QualityCheck check, const Principal& caller, absl::Time now,
                           const Tagger& tagger) {
  const google::protobuf::Timestamp recorded_at =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  if (!check.has_occurred_at()) *check.mutable_occurred_at() = recorded_at;
  *check.mutable_recorded_at() = recorded_at;
  check.set_recorded_by(caller.token_id);
  for (std::string& tag : tagger.PracticeTags(check.strengths())) {
    check.add_strength_themes(std::move(tag));
  }
  for (std::string& tag : tagger.PracticeTags(check.areas_for_improvement())) {
    check.add_improvement_themes(std::move(tag));
  }
  return check;
}

}  // namespace

std::string QualityCheckKey(std::string_view id) {
  return absl::StrCat(std::string(storage::layout::kQualityCheckPrefix), std::string(id));
}

std::string QualityCheckSubmissionKey(std::string_view submission_id) {
  return absl::StrCat(std::string(storage::layout::kQualityCheckSubmissionPrefix),
                      std::string(submission_id));
}

storage::TypedWriteOp<v1::QualityCheck> RecordQualityCheckOp(v1::QualityCheck check,
                                                             Principal caller, absl::Time now,
                                                             const Ledger& ledger) {
  // A UUID's case is not content: "ABC..." and "abc..." are one submission.
  check.set_submission_id(absl::AsciiStrToLower(check.submission_id()));
  return [check = std::move(check), caller = std::move(caller), now,
          &ledger](storage::Transaction& txn) -> absl::StatusOr<v1::QualityCheck> {
    const std::string key = QualityCheckSubmissionKey(check.submission_id());
    // The fingerprint is of what the client sent, so a retry with the same content matches.
    const std::string fingerprint = ContentFingerprint(check);
    ASSIGN_OR_RETURN(std::optional<std::string> stored_id,
                     DecideReplay(txn, key, caller.token_id, fingerprint, kQualityCheckWords));
    if (stored_id.has_value()) return ReadStoredCheck(txn, *stored_id);
    v1::QualityCheck stored = Completed(check, caller, now, *ledger.tagger());
    stored.set_id(txn.NewId(storage::layout::kQualityCheckIdPrefix));
    RETURN_IF_ERROR(txn.PutEntity(QualityCheckKey(stored.id()), stored.SerializeAsString()));
    RETURN_IF_ERROR(PutIdempotencyEntry(txn, key, {fingerprint, stored.id(), caller.token_id}));
    RETURN_IF_ERROR(ApplyCounterDelta(txn, {}, ledger.counters().OfQualityCheck(stored)));
    RETURN_IF_ERROR(
        AppendAudit(txn, caller, now, AuditEvent("quality_check.record", {stored.id()})));
    return stored;
  };
}

absl::StatusOr<v1::ListQualityChecksResponse> ListQualityChecks(
    const storage::FeedbackStore& store, const QuarterCalendar& calendar,
    const v1::ListQualityChecksRequest& request) {
  ASSIGN_OR_RETURN(const RequestedSpan span,
                   SpanOfRequest(calendar, request.financial_year(), request.quarter()));
  std::vector<v1::QualityCheck> found;
  RETURN_IF_ERROR(ScanRecords<v1::QualityCheck>(
      store, storage::layout::kQualityCheckPrefix, "audit or observation",
      [&](v1::QualityCheck&& check) -> storage::ScanStep {
        if (span.Contains(check.occurred_at()) && MatchesQualityCheckFilter(check, request)) {
          found.push_back(std::move(check));
        }
        return absl::OkStatus();
      }));
  SortNewestFirst(found, [](const v1::QualityCheck& c) { return c.occurred_at(); });
  v1::ListQualityChecksResponse response;
  for (v1::QualityCheck& check : found) *response.add_checks() = std::move(check);
  return response;
}

}  // namespace feedback
