#include "service/ops/ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/ingest.h"
#include "service/ops/replay.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

template <typename Message>
absl::StatusOr<Message> Parse(std::string_view bytes, std::string_view what) {
  Message message;
  if (!message.ParseFromString(std::string(bytes))) {
    return absl::DataLossError(absl::StrCat(std::string(what), " does not parse"));
  }
  return message;
}

// The stored form of a complaint case: everything but the feedback, which has its own record.
std::string SerializeCase(const v1::Complaint& complaint) {
  v1::Complaint stored = complaint;
  stored.clear_feedback();
  return stored.SerializeAsString();
}

absl::StatusOr<std::optional<v1::Complaint>> FindComplaint(storage::Transaction& txn,
                                                           const v1::Feedback& record) {
  if (record.kind() != v1::KIND_COMPLAINT) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(ComplaintKey(record.id())));
  if (!bytes.has_value()) return std::nullopt;
  ASSIGN_OR_RETURN(v1::Complaint complaint, ParseComplaint(*bytes));
  *complaint.mutable_feedback() = record;
  return complaint;
}

// Raises (stores) an alert for `record` unless one exists.
absl::StatusOr<std::optional<v1::Alert>> RaiseAlert(storage::Transaction& txn,
                                                    const v1::Feedback& record, absl::Time now) {
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.FindEntity(AlertKey(record.id())));
  if (existing.has_value()) return std::nullopt;
  v1::Alert alert;
  alert.set_id(record.id());
  alert.set_reason(v1::ALERT_REASON_SAFEGUARDING_WORDS);
  *alert.mutable_raised_at() = ToTimestamp(now);
  RETURN_IF_ERROR(txn.PutEntity(AlertKey(record.id()), alert.SerializeAsString()));
  *alert.mutable_feedback() = record;
  return alert;
}

bool HasTag(const v1::Feedback& record, std::string_view tag) {
  return std::find(record.tags().begin(), record.tags().end(), tag) != record.tags().end();
}

// The tags are moved in, into a list sized once: no copy of a tag, no regrowth of the list.
void SetTags(v1::Feedback& record, std::vector<std::string> tags) {
  record.clear_tags();
  record.mutable_tags()->Reserve(static_cast<int>(tags.size()));
  for (std::string& tag : tags) record.add_tags(std::move(tag));
}

}  // namespace

std::string ComplaintKey(std::string_view feedback_id) {
  return absl::StrCat(std::string(kComplaintPrefix), std::string(feedback_id));
}
std::string ReferralKey(std::string_view referral_id) {
  return absl::StrCat(std::string(kReferralPrefix), std::string(referral_id));
}
std::string AlertKey(std::string_view feedback_id) {
  return absl::StrCat(std::string(kAlertPrefix), std::string(feedback_id));
}
std::string ReferralSubmissionKey(std::string_view submission_id) {
  return absl::StrCat(std::string(storage::layout::kReferralSubmissionPrefix),
                      std::string(submission_id));
}

absl::StatusOr<std::optional<SubmitOutcome>> FindReplay(storage::Transaction& txn,
                                                        const NewSubmission& submission) {
  const std::string& submission_id = submission.record.submission_id();
  ASSIGN_OR_RETURN(
      std::optional<std::string> stored_id,
      DecideReplay(txn, submission_id, submission.owner, submission.fingerprint, kSubmissionWords));
  if (!stored_id.has_value()) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<v1::Feedback> stored, txn.FindFeedback(*stored_id));
  if (!stored.has_value()) {
    return absl::DataLossError(
        absl::StrCat("submission ", submission_id, " points at missing record ", *stored_id));
  }
  return SubmitOutcome{.record = *std::move(stored), .duplicate = true, .alert = std::nullopt};
}

absl::Status StoreNewSubmission(storage::Transaction& txn, NewSubmission& submission) {
  v1::Feedback& record = submission.record;
  record.set_id(txn.NewId(storage::layout::kRecordIdPrefix));
  RETURN_IF_ERROR(txn.PutFeedback(record, nullptr));
  return PutIdempotencyEntry(
      txn, record.submission_id(),
      {std::move(submission.fingerprint), record.id(), std::move(submission.owner)});
}

absl::StatusOr<v1::Complaint> ParseComplaint(std::string_view bytes) {
  return Parse<v1::Complaint>(bytes, "complaint case");
}

std::vector<std::string> Ledger::TagsOf(const v1::Feedback& record,
                                        const v1::Complaint* complaint) const {
  const std::shared_ptr<const Tagger> lexicon = tagger();
  Tagger::TextTags found = lexicon->Tag(record.text());
  std::vector<std::string> tags = std::move(found.themes);
  tags.emplace_back(KindTag(record.kind()));
  if (found.safeguarding) tags.emplace_back(kSafeguardingTag);
  // Quote candidates for reports: only the words of people who agreed to be quoted.
  if (record.consent_to_quote()) tags.emplace_back("consent_to_quote");
  if (complaint != nullptr) {
    for (std::string& tag : ComplaintTags(*complaint)) tags.push_back(std::move(tag));
  }
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  return tags;
}

storage::TypedWriteOp<SubmitOutcome> Ledger::Submit(NewSubmission submission,
                                                    absl::Time now) const {
  // Everything that needs no store is decided here, on the caller's thread, so the writer
  // thread (one for the whole server) only decides the replay and appends.
  v1::Feedback& record = submission.record;
  std::optional<v1::Complaint> complaint;
  if (record.kind() == v1::KIND_COMPLAINT) complaint = procedure_.Open(record, now);
  SetTags(record, TagsOf(record, complaint ? &*complaint : nullptr));  // the only tagging
  CounterKeys counted = counters_.KeysOfFeedback(record, complaint ? &*complaint : nullptr);
  return [this, submission = std::move(submission), complaint = std::move(complaint),
          counted = std::move(counted),
          now](storage::Transaction& txn) mutable -> absl::StatusOr<SubmitOutcome> {
    // A replay is answered from what was stored: nothing computed above is kept.
    ASSIGN_OR_RETURN(std::optional<SubmitOutcome> replay, FindReplay(txn, submission));
    if (replay.has_value()) return *std::move(replay);

    const std::string& referral_id = submission.record.advocacy_referral_id();
    if (!referral_id.empty()) {
      ASSIGN_OR_RETURN(std::optional<std::string> referral,
                       txn.FindEntity(ReferralKey(referral_id)));
      if (!referral.has_value()) {
        return absl::InvalidArgumentError("feedback.advocacy_referral_id: no such referral");
      }
    }
    RETURN_IF_ERROR(StoreNewSubmission(txn, submission));
    SubmitOutcome outcome;
    outcome.record = std::move(submission.record);
    const v1::Feedback& stored = outcome.record;
    if (complaint.has_value()) {
      *complaint->mutable_feedback() = stored;
      RETURN_IF_ERROR(txn.PutEntity(ComplaintKey(stored.id()), SerializeCase(*complaint)));
    }
    if (HasTag(stored, kSafeguardingTag)) {
      ASSIGN_OR_RETURN(outcome.alert, RaiseAlert(txn, stored, now));
    }
    RETURN_IF_ERROR(AddCounts(txn, counted));
    return outcome;
  };
}

storage::TypedWriteOp<v1::Complaint> Ledger::UpdateComplaint(v1::UpdateComplaintRequest update,
                                                             absl::Time now) const {
  return [this, update = std::move(update),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::Complaint> {
    ASSIGN_OR_RETURN(std::optional<v1::Feedback> record, txn.FindFeedback(update.id()));
    if (!record.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("id: no feedback with id ", QuoteClientValue(update.id())));
    }
    if (record->kind() != v1::KIND_COMPLAINT) {
      return absl::FailedPreconditionError(
          absl::StrCat("id: ", QuoteClientValue(update.id()), " is not a complaint"));
    }
    if (record->has_erased_at()) {
      // Re-tagging its empty text would change published figures; new notes would be
      // personal text again.
      return absl::FailedPreconditionError(absl::StrCat("id: ", QuoteClientValue(update.id()),
                                                        " was erased; its case cannot change"));
    }
    ASSIGN_OR_RETURN(std::optional<v1::Complaint> current, FindComplaint(txn, *record));
    if (!current.has_value()) {
      return absl::DataLossError(absl::StrCat("complaint ", update.id(), " has no case"));
    }
    ASSIGN_OR_RETURN(v1::Complaint next, procedure_.Apply(*current, update, now));
    SetTags(*next.mutable_feedback(), TagsOf(next.feedback(), &next));
    RETURN_IF_ERROR(txn.PutFeedback(next.feedback(), &*record));
    RETURN_IF_ERROR(txn.PutEntity(ComplaintKey(update.id()), SerializeCase(next)));
    RETURN_IF_ERROR(ApplyCounterDelta(txn, counters_.OfFeedback(*record, &*current),
                                      counters_.OfFeedback(next.feedback(), &next)));
    return next;
  };
}

storage::TypedWriteOp<v1::AdvocacyReferral> Ledger::CreateReferral(
    v1::CreateAdvocacyReferralRequest request, absl::Time now, std::string owner) const {
  return [this, request = std::move(request), now, owner = std::move(owner)](
             storage::Transaction& txn) -> absl::StatusOr<v1::AdvocacyReferral> {
    v1::AdvocacyReferral referral = NewReferral(request, now);
    v1::CreateAdvocacyReferralRequest normalized = request;
    normalized.set_submission_id(referral.submission_id());
    const std::string fingerprint = ContentFingerprint(normalized);
    const std::string key = ReferralSubmissionKey(referral.submission_id());
    ASSIGN_OR_RETURN(std::optional<std::string> stored_id,
                     DecideReplay(txn, key, owner, fingerprint, kReferralWords));
    if (stored_id.has_value()) {
      ASSIGN_OR_RETURN(std::optional<std::string> stored, txn.FindEntity(ReferralKey(*stored_id)));
      if (!stored.has_value()) {
        return absl::DataLossError("referral idempotency key without referral");
      }
      return Parse<v1::AdvocacyReferral>(*stored, "referral");
    }
    RETURN_IF_ERROR(eligibility_.Check(referral));
    referral.set_id(txn.NewId(storage::layout::kReferralIdPrefix));
    RETURN_IF_ERROR(txn.PutEntity(ReferralKey(referral.id()), referral.SerializeAsString()));
    RETURN_IF_ERROR(PutIdempotencyEntry(txn, key, {fingerprint, referral.id(), owner}));
    RETURN_IF_ERROR(ApplyCounterDelta(txn, {}, counters_.OfReferral(referral)));
    return referral;
  };
}

storage::TypedWriteOp<v1::AdvocacyReferral> Ledger::UpdateReferral(
    v1::UpdateAdvocacyReferralRequest update, absl::Time now) const {
  return [this, update = std::move(update),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::AdvocacyReferral> {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(ReferralKey(update.id())));
    if (!bytes.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("id: no advocacy referral with id ", QuoteClientValue(update.id())));
    }
    ASSIGN_OR_RETURN(v1::AdvocacyReferral current, Parse<v1::AdvocacyReferral>(*bytes, "referral"));
    ASSIGN_OR_RETURN(v1::AdvocacyReferral next, ApplyReferralUpdate(current, update, now));
    RETURN_IF_ERROR(txn.PutEntity(ReferralKey(next.id()), next.SerializeAsString()));
    RETURN_IF_ERROR(
        ApplyCounterDelta(txn, counters_.OfReferral(current), counters_.OfReferral(next)));
    return next;
  };
}

storage::TypedWriteOp<v1::Alert> Ledger::AcknowledgeAlert(v1::AcknowledgeAlertRequest request,
                                                          absl::Time now) const {
  return [request = std::move(request),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::Alert> {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(AlertKey(request.id())));
    if (!bytes.has_value())
      return absl::NotFoundError(absl::StrCat("id: no alert for ", QuoteClientValue(request.id())));
    ASSIGN_OR_RETURN(v1::Alert alert, Parse<v1::Alert>(*bytes, "alert"));
    if (!alert.acknowledged()) {
      alert.set_acknowledged(true);
      alert.set_acknowledged_by(request.actor().empty() ? "unnamed" : request.actor());
      *alert.mutable_acknowledged_at() = ToTimestamp(now);
      RETURN_IF_ERROR(txn.PutEntity(AlertKey(request.id()), alert.SerializeAsString()));
    }
    return alert;
  };
}

storage::TypedWriteOp<RetagOutcome> Ledger::Retag(std::vector<std::string> ids,
                                                  absl::Time now) const {
  return
      [this, ids = std::move(ids), now](storage::Transaction& txn) -> absl::StatusOr<RetagOutcome> {
        RetagOutcome outcome;
        for (const std::string& id : ids) {
          ASSIGN_OR_RETURN(std::optional<v1::Feedback> record, txn.FindFeedback(id));
          // An erased record has no text to tag: its tags stay as counted.
          if (!record.has_value() || record->has_erased_at()) continue;
          ASSIGN_OR_RETURN(std::optional<v1::Complaint> complaint, FindComplaint(txn, *record));
          v1::Feedback next = *record;
          SetTags(next, TagsOf(next, complaint ? &*complaint : nullptr));
          if (std::equal(next.tags().begin(), next.tags().end(), record->tags().begin(),
                         record->tags().end())) {
            continue;
          }
          RETURN_IF_ERROR(txn.PutFeedback(next, &*record));
          std::optional<v1::Complaint> next_complaint = complaint;
          if (next_complaint) *next_complaint->mutable_feedback() = next;
          RETURN_IF_ERROR(ApplyCounterDelta(
              txn, counters_.OfFeedback(*record, complaint ? &*complaint : nullptr),
              counters_.OfFeedback(next, next_complaint ? &*next_complaint : nullptr)));
          if (HasTag(next, kSafeguardingTag)) {
            ASSIGN_OR_RETURN(std::optional<v1::Alert> alert, RaiseAlert(txn, next, now));
            if (alert.has_value()) outcome.alerts.push_back(*std::move(alert));
          }
          ++outcome.changed;
        }
        return outcome;
      };
}

}  // namespace feedback
