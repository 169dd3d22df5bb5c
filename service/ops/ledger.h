// Every change to stored feedback as one write operation: the record, its index entries, its
// complaint case or referral, its alert and its counters, all in the same atomic batch.
#ifndef FEEDBACK_SERVICE_OPS_LEDGER_H_
#define FEEDBACK_SERVICE_OPS_LEDGER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/advocacy.h"
#include "service/domain/complaints.h"
#include "service/domain/tagger.h"
#include "service/ops/counters.h"
#include "service/ops/ingest.h"
#include "storage/layout.h"
#include "storage/transaction.h"

namespace feedback {

// Entity keys (storage "entities" family; the prefixes are in storage/layout.h).
std::string ComplaintKey(std::string_view feedback_id);  // "complaint/<id>" -> Complaint
std::string ReferralKey(std::string_view referral_id);   // "referral/<id>" -> AdvocacyReferral
std::string AlertKey(std::string_view feedback_id);      // "alert/<id>" -> Alert
// Idempotency key of a referral's creation: "referral:<submission_id>".
std::string ReferralSubmissionKey(std::string_view submission_id);
using storage::layout::kAlertPrefix;
using storage::layout::kComplaintPrefix;
using storage::layout::kReferralPrefix;

// What a submission came to.
struct SubmitOutcome {
  v1::Feedback record;     // as stored (for a duplicate: the first submission)
  bool duplicate = false;  // true: the same submission was stored before; nothing was written
  std::optional<v1::Alert> alert;  // the safeguarding alert it raised (never for a duplicate)
};

// The replay decision of `submission` (DecideReplay, replay.h, of its submission_id and
// fingerprint, for its owner): the stored record with duplicate = true; nullopt for a new
// submission; or the error that refuses it. Nothing is staged.
[[nodiscard]] absl::StatusOr<std::optional<SubmitOutcome>> FindReplay(
    storage::Transaction& txn, const NewSubmission& submission);

// Stages a new submission, with its tags as they are: gives submission.record its id and stages
// it with its idempotency entry (the fingerprint and owner are moved into it). The record is left
// in `submission`, as staged, for the caller to move on: a record moved through a return value
// is constructed and swapped field by field each time. REQUIRES: FindReplay found no replay of
// it in this transaction.
[[nodiscard]] absl::Status StoreNewSubmission(storage::Transaction& txn, NewSubmission& submission);

// What a re-tagging did: how many records changed, and the alerts it raised.
struct RetagOutcome {
  int64_t changed = 0;
  std::vector<v1::Alert> alerts;
};

// The domain configuration every write needs. Thread-safe: immutable but for the lexicon, which
// SetTagger replaces (feedbackd reloads it on SIGHUP).
class Ledger {
 public:
  Ledger(QuarterCalendar calendar, ComplaintProcedure procedure, Tagger tagger,
         Eligibility eligibility)
      : counters_(calendar),
        procedure_(std::move(procedure)),
        tagger_(std::make_shared<const Tagger>(std::move(tagger))),
        eligibility_(std::move(eligibility)) {}

  // Every tag of a record: its kind, lexicon themes, safeguarding, and its complaint's state.
  std::vector<std::string> TagsOf(const v1::Feedback& record, const v1::Complaint* complaint) const;

  // A validated submission (PrepareSubmission) as one op. Tagged (once), its complaint case
  // opened and its counters computed here, on the caller's thread; then, on the writer's: its
  // replay decided (FindReplay: a duplicate is answered from the store, nothing else runs); its
  // referral link checked; stored (StoreNewSubmission) with its case, its alert and its
  // counters. The outcome's alert is set when it raised one.
  storage::TypedWriteOp<SubmitOutcome> Submit(NewSubmission submission, absl::Time now) const;

  // The complaint after the update (its feedback re-tagged with the case's state).
  storage::TypedWriteOp<v1::Complaint> UpdateComplaint(v1::UpdateComplaintRequest update,
                                                       absl::Time now) const;

  // REQUIRES: ValidateReferralRequest(request, now) is OK. `owner` is the id of the token that
  // sends it: a repeat of its submission_id is decided as for a submission (DecideReplay) and
  // answered with the stored referral.
  storage::TypedWriteOp<v1::AdvocacyReferral> CreateReferral(
      v1::CreateAdvocacyReferralRequest request, absl::Time now, std::string owner) const;
  storage::TypedWriteOp<v1::AdvocacyReferral> UpdateReferral(
      v1::UpdateAdvocacyReferralRequest update, absl::Time now) const;

  storage::TypedWriteOp<v1::Alert> AcknowledgeAlert(v1::AcknowledgeAlertRequest request,
                                                    absl::Time now) const;

  // Re-tags the records `ids` with the current lexicon.
  storage::TypedWriteOp<RetagOutcome> Retag(std::vector<std::string> ids, absl::Time now) const;

  const CounterBook& counters() const { return counters_; }
  // The lexicon now; a caller keeps it for the whole of one record, so that a reload never
  // tags one record with two lexicons.
  std::shared_ptr<const Tagger> tagger() const {
    absl::MutexLock lock(&tagger_mutex_);
    return tagger_;
  }
  // Items submitted from now on are tagged with `tagger`; `admin retag` applies it to the rest.
  void SetTagger(Tagger tagger) {
    auto replacement = std::make_shared<const Tagger>(std::move(tagger));
    absl::MutexLock lock(&tagger_mutex_);
    tagger_ = std::move(replacement);
  }
  const ComplaintProcedure& procedure() const { return procedure_; }

 private:
  CounterBook counters_;
  ComplaintProcedure procedure_;
  mutable absl::Mutex tagger_mutex_;
  std::shared_ptr<const Tagger> tagger_ ABSL_GUARDED_BY(tagger_mutex_);
  Eligibility eligibility_;
};

// Reads a stored complaint case (without its feedback). NOT_FOUND if absent.
[[nodiscard]] absl::StatusOr<v1::Complaint> ParseComplaint(std::string_view bytes);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_LEDGER_H_
