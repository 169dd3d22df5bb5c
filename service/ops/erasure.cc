#include "service/ops/erasure.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/audit.h"
#include "service/ops/ledger.h"
#include "service/ops/qa_record_erasure.h"
#include "service/ops/quotes.h"
#include "service/ops/referral_erasure.h"
#include "service/ops/replay.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::Status NoSuchFeedback(std::string_view id) {
  return absl::NotFoundError(absl::StrCat("id: no feedback with id ", QuoteClientValue(id)));
}

enum class Verdict { kErased, kAlreadyErased, kHeld };

// How to find and erase the records other than feedback, whose ids tell their type.
template <typename Record>
struct OtherRecord {
  std::string_view what;  // in NOT_FOUND's message
  absl::StatusOr<std::optional<Record>> (*find)(storage::Transaction&, std::string_view);
  absl::StatusOr<bool> (*stage)(storage::Transaction&, const Record&, absl::Time, ErasureResult&);
};
constexpr OtherRecord<v1::AdvocacyReferral> kReferral{"advocacy referral", FindReferral,
                                                      StageReferralErasure};
constexpr OtherRecord<v1::QualityCheck> kQualityCheck{"audit or observation", FindQualityCheck,
                                                      StageQualityCheckErasure};
constexpr OtherRecord<v1::ChairOversight> kOversight{"oversight outcome", FindOversight,
                                                     StageOversightErasure};

template <typename Record>
absl::Status NoSuch(const OtherRecord<Record>& type, std::string_view id) {
  return absl::NotFoundError(
      absl::StrCat("id: no ", std::string(type.what), " with id ", QuoteClientValue(id)));
}

// StageErasure of an id of `type`.
template <typename Record>
absl::StatusOr<Verdict> StageOther(const OtherRecord<Record>& type, storage::Transaction& txn,
                                   const std::string& id, absl::Time now, ErasureResult& result) {
  ASSIGN_OR_RETURN(std::optional<Record> record, type.find(txn, id));
  if (!record.has_value()) return NoSuch(type, id);
  ASSIGN_OR_RETURN(std::optional<std::string> hold, txn.FindEntity(HoldKey(id)));
  if (hold.has_value()) return Verdict::kHeld;
  ASSIGN_OR_RETURN(const bool erased, type.stage(txn, *record, now, result));
  return erased ? Verdict::kErased : Verdict::kAlreadyErased;
}

template <typename Record>
absl::Status MustExistOther(const OtherRecord<Record>& type, storage::Transaction& txn,
                            const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<Record> record, type.find(txn, id));
  return record.has_value() ? absl::OkStatus() : NoSuch(type, id);
}

// NOT_FOUND unless a record has this id.
absl::Status MustExist(storage::Transaction& txn, const std::string& id) {
  if (IsReferralId(id)) return MustExistOther(kReferral, txn, id);
  if (IsQualityCheckId(id)) return MustExistOther(kQualityCheck, txn, id);
  if (IsOversightId(id)) return MustExistOther(kOversight, txn, id);
  ASSIGN_OR_RETURN(std::optional<v1::Feedback> record, txn.FindFeedback(id));
  return record.has_value() ? absl::OkStatus() : NoSuchFeedback(id);
}

// Rewrites the stored case of a complaint without the notes and actors of its history.
absl::Status ScrubComplaintCase(storage::Transaction& txn, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(key));
  if (!bytes.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Complaint stored, ParseComplaint(*bytes));
  stored.clear_feedback();
  for (v1::ComplaintEvent& event : *stored.mutable_history()) {
    event.clear_note();
    event.clear_actor();
  }
  return txn.PutEntity(key, stored.SerializeAsString());
}

// Rewrites a stored alert without a copy of the feedback, if it has one.
absl::Status ScrubAlert(storage::Transaction& txn, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(key));
  if (!bytes.has_value()) return absl::OkStatus();
  v1::Alert alert;
  if (!alert.ParseFromString(*bytes)) return absl::DataLossError(absl::StrCat(key, ": no parse"));
  if (!alert.has_feedback()) return absl::OkStatus();
  alert.clear_feedback();
  return txn.PutEntity(key, alert.SerializeAsString());
}

// Stages the erasure of `id`; fills `result` unless the item is held. Already-erased items are
// staged again only in their scrub keys (nothing is written), so a retry scrubs the files again.
absl::StatusOr<Verdict> StageErasure(storage::Transaction& txn, const std::string& id,
                                     absl::Time now, ErasureResult& result) {
  if (IsReferralId(id)) return StageOther(kReferral, txn, id, now, result);
  if (IsQualityCheckId(id)) return StageOther(kQualityCheck, txn, id, now, result);
  if (IsOversightId(id)) return StageOther(kOversight, txn, id, now, result);
  ASSIGN_OR_RETURN(std::optional<v1::Feedback> record, txn.FindFeedback(id));
  if (!record.has_value()) return NoSuchFeedback(id);
  ASSIGN_OR_RETURN(std::optional<std::string> hold, txn.FindEntity(HoldKey(id)));
  if (hold.has_value()) return Verdict::kHeld;

  const std::string complaint_key = ComplaintKey(id);
  const std::string alert_key = AlertKey(id);
  const std::string quote_key = QuoteKey(id);
  result.scrub.records.push_back(id);
  if (!record->submission_id().empty()) result.scrub.idempotency.push_back(record->submission_id());
  result.scrub.entities.insert(result.scrub.entities.end(), {complaint_key, alert_key, quote_key});
  if (IsErased(*record)) {
    result.record = *std::move(record);
    return Verdict::kAlreadyErased;
  }

  v1::Feedback next = *record;
  next.clear_text();
  next.clear_advocacy_referral_id();
  next.clear_child_confirmed();
  *next.mutable_erased_at() = ToTimestamp(now);
  // Tags (themes found in the text included) stay: the quarterly counters count them.
  RETURN_IF_ERROR(txn.PutFeedback(next, &*record));
  RETURN_IF_ERROR(ScrubComplaintCase(txn, complaint_key));
  RETURN_IF_ERROR(ScrubAlert(txn, alert_key));
  RETURN_IF_ERROR(txn.DeleteEntity(quote_key));
  if (!next.submission_id().empty()) RETURN_IF_ERROR(MarkErased(txn, next.submission_id(), id));
  result.record = std::move(next);
  return Verdict::kErased;
}

bool IsPrintableLine(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return true;
}

}  // namespace

bool IsErased(const v1::Feedback& record) {
  return record.has_erased_at() && record.text().empty() && record.advocacy_referral_id().empty() &&
         !record.child_confirmed();
}

std::string_view ErasureAuditAction(std::string_view id) {
  if (IsReferralId(id)) return "referral.erase";
  if (IsQualityCheckId(id)) return "quality_check.erase";
  if (IsOversightId(id)) return "oversight.erase";
  return "feedback.erase";
}

v1::EraseFeedbackResponse ErasureResponse(std::string_view id, ErasureResult result) {
  v1::EraseFeedbackResponse response;
  if (IsReferralId(id)) {
    *response.mutable_referral() = std::move(result.referral);
  } else if (IsQualityCheckId(id)) {
    *response.mutable_check() = std::move(result.check);
  } else if (IsOversightId(id)) {
    *response.mutable_oversight() = std::move(result.oversight);
  } else {
    *response.mutable_feedback() = std::move(result.record);
  }
  return response;
}

std::string HoldKey(std::string_view feedback_id) {
  return absl::StrCat(std::string(kHoldPrefix), std::string(feedback_id));
}

absl::Status ValidateReason(std::string_view reason, bool required) {
  if (required && reason.empty()) {
    return absl::InvalidArgumentError("reason: must be set (a case reference, e.g. SAR 2026-041)");
  }
  if (reason.size() > kMaxReasonBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("reason: ", reason.size(), " bytes, at most ", kMaxReasonBytes));
  }
  if (!IsPrintableLine(reason)) {
    return absl::InvalidArgumentError("reason: must be one line without control characters");
  }
  return absl::OkStatus();
}

storage::TypedWriteOp<ErasureResult> EraseOp(std::string id, absl::Time now) {
  return [id = std::move(id), now](storage::Transaction& txn) -> absl::StatusOr<ErasureResult> {
    ErasureResult staged;
    ASSIGN_OR_RETURN(Verdict verdict, StageErasure(txn, id, now, staged));
    if (verdict == Verdict::kHeld) {
      return absl::FailedPreconditionError(absl::StrCat(
          "id: ", QuoteClientValue(id), " is under a legal hold; release the hold to erase it"));
    }
    return staged;
  };
}

storage::TypedWriteOp<PurgeResult> PurgeChunkOp(std::vector<std::string> ids, Principal caller,
                                                absl::Time now) {
  return [ids = std::move(ids), caller = std::move(caller),
          now](storage::Transaction& txn) -> absl::StatusOr<PurgeResult> {
    PurgeResult chunk;
    for (const std::string& id : ids) {
      ErasureResult staged;
      absl::StatusOr<Verdict> verdict = StageErasure(txn, id, now, staged);
      if (absl::IsNotFound(verdict.status())) continue;  // gone since the scan
      RETURN_IF_ERROR(verdict.status());
      if (*verdict == Verdict::kHeld) {
        chunk.held.push_back(id);
      } else if (*verdict == Verdict::kErased) {
        chunk.erased.push_back(id);
        chunk.scrub.Add(staged.scrub);
      }
    }
    RETURN_IF_ERROR(AppendAudit(
        txn, caller, now,
        AuditEvent("retention.purge", chunk.erased,
                   absl::StrCat("erased ", chunk.erased.size(), ", held ", chunk.held.size()))));
    return chunk;
  };
}

absl::Status ValidateHoldRequest(const v1::SetLegalHoldRequest& request) {
  if (request.id().empty()) return absl::InvalidArgumentError("id: must be set");
  return ValidateReason(request.reason(), /*required=*/request.hold());
}

storage::TypedWriteOp<v1::LegalHold> SetHoldOp(v1::SetLegalHoldRequest request, Principal caller,
                                               absl::Time now) {
  return [request = std::move(request), caller = std::move(caller),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::LegalHold> {
    RETURN_IF_ERROR(MustExist(txn, request.id()));
    v1::LegalHold hold;
    hold.set_id(request.id());
    hold.set_hold(request.hold());
    hold.set_reason(request.reason());
    *hold.mutable_set_at() = ToTimestamp(now);
    hold.set_set_by(absl::StrCat(RoleName(caller.role), " token ", caller.token_id));
    if (request.hold()) {
      RETURN_IF_ERROR(txn.PutEntity(HoldKey(request.id()), hold.SerializeAsString()));
    } else {
      RETURN_IF_ERROR(txn.DeleteEntity(HoldKey(request.id())));
    }
    RETURN_IF_ERROR(AppendAudit(txn, caller, now,
                                AuditEvent(request.hold() ? "legal_hold.set" : "legal_hold.release",
                                           {request.id()}, request.reason())));
    return hold;
  };
}

absl::StatusOr<std::vector<v1::LegalHold>> ListHolds(const storage::FeedbackStore& store) {
  std::vector<v1::LegalHold> holds;
  RETURN_IF_ERROR(
      store.ScanEntities(kHoldPrefix, [&](std::string_view key, std::string_view value) {
        v1::LegalHold hold;
        if (!hold.ParseFromString(std::string(value))) {
          return absl::DataLossError(absl::StrCat(std::string(key), " does not parse"));
        }
        holds.push_back(std::move(hold));
        return absl::OkStatus();
      }));
  return holds;
}

Scrubber::Scrubber(storage::FeedbackStore* store)
    : store_(store), queue_(/*max_batch=*/1, [this](std::vector<Pending> batch) {
        for (Pending& pending : batch) Run(std::move(pending));
      }) {}

Scrubber::~Scrubber() { queue_.Stop(); }

void Scrubber::Scrub(storage::ScrubKeys keys, Done done) {
  if (keys.empty()) {
    std::move(done)(absl::OkStatus());
    return;
  }
  Pending pending{std::move(keys), std::move(done)};
  if (queue_.Push(pending)) return;
  std::move(pending.done)(absl::UnavailableError("the server is shutting down"));
}

void Scrubber::Run(Pending pending) {
  absl::Status status = store_->Scrub(pending.keys);
  if (!status.ok()) {
    status = absl::Status(status.code(),
                          absl::StrCat("erased, but removing the old values from the store's "
                                       "files failed (erase again to retry): ",
                                       status.message()));
  }
  std::move(pending.done)(std::move(status));
}

}  // namespace feedback
