#include "service/ops/qa_record_erasure.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/oversight.h"
#include "service/ops/quality_checks.h"
#include "service/ops/replay.h"
#include "storage/layout.h"

namespace feedback {
namespace {

template <typename Record>
absl::StatusOr<std::optional<Record>> FindRecord(storage::Transaction& txn,
                                                 const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(key));
  if (!bytes.has_value()) return std::nullopt;
  Record record;
  if (!record.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(key, " does not parse"));
  }
  return record;
}

// The erasure both record types share: `clear_words(next)` clears the text; the record is kept
// under `key` with erased_at, and its idempotency entry under `submission_key` is marked erased.
template <typename Record, typename ClearWords>
absl::StatusOr<bool> StageRecordErasure(storage::Transaction& txn, const Record& record,
                                        const std::string& key, const std::string& submission_key,
                                        absl::Time now, ClearWords clear_words,
                                        ErasureResult& result, Record& left) {
  result.scrub.entities.push_back(key);
  if (!record.submission_id().empty()) result.scrub.idempotency.push_back(submission_key);
  if (record.has_erased_at()) {
    left = record;
    return false;
  }
  Record next = record;
  clear_words(next);
  *next.mutable_erased_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  RETURN_IF_ERROR(txn.PutEntity(key, next.SerializeAsString()));
  if (!record.submission_id().empty()) {
    RETURN_IF_ERROR(MarkErased(txn, submission_key, record.id()));
  }
  left = std::move(next);
  return true;
}

}  // namespace

bool IsQualityCheckId(std::string_view id) {
  return id.starts_with(storage::layout::kQualityCheckIdPrefix);
}

bool IsOversightId(std::string_view id) {
  return id.starts_with(storage::layout::kOversightIdPrefix);
}

absl::StatusOr<std::optional<v1::QualityCheck>> FindQualityCheck(storage::Transaction& txn,
                                                                 std::string_view id) {
  return FindRecord<v1::QualityCheck>(txn, QualityCheckKey(id));
}

absl::StatusOr<std::optional<v1::ChairOversight>> FindOversight(storage::Transaction& txn,
                                                                std::string_view id) {
  return FindRecord<v1::ChairOversight>(txn, OversightKey(id));
}

absl::StatusOr<bool> StageQualityCheckErasure(storage::Transaction& txn,
                                              const v1::QualityCheck& check, absl::Time now,
                                              ErasureResult& result) {
  return StageRecordErasure(
      txn, check, QualityCheckKey(check.id()), QualityCheckSubmissionKey(check.submission_id()),
      now,
      [](v1::QualityCheck& next) {
        next.clear_strengths();
        next.clear_areas_for_improvement();
      },
      result, result.check);
}

absl::StatusOr<bool> StageOversightErasure(storage::Transaction& txn,
                                           const v1::ChairOversight& oversight, absl::Time now,
                                           ErasureResult& result) {
  return StageRecordErasure(
      txn, oversight, OversightKey(oversight.id()),
      OversightSubmissionKey(oversight.submission_id()), now,
      [](v1::ChairOversight& next) {
        next.clear_strengths();
        next.clear_areas_for_development();
      },
      result, result.oversight);
}

}  // namespace feedback
