// Every change to stored feedback as one write operation: the record, its index entries, its
// complaint case or referral, its alert and its counters, all in the same atomic batch.
#ifndef FEEDBACK_SERVICE_OPS_LEDGER_H_
#define FEEDBACK_SERVICE_OPS_LEDGER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/advocacy.h"
#include "service/domain/complaints.h"
#include "service/domain/tagger.h"
#include "service/ops/counters.h"
#include "storage/feedback_store.h"

namespace feedback {

// Entity keys (storage "entities" family).
std::string ComplaintKey(std::string_view feedback_id);  // "complaint/<id>" -> Complaint
std::string ReferralKey(std::string_view referral_id);   // "referral/<id>" -> AdvocacyReferral
std::string AlertKey(std::string_view feedback_id);      // "alert/<id>" -> Alert
// Idempotency key of a referral's creation: "referral:<submission_id>".
std::string ReferralSubmissionKey(std::string_view submission_id);
inline constexpr std::string_view kAlertPrefix = "alert/";
inline constexpr std::string_view kReferralPrefix = "referral/";
inline constexpr std::string_view kComplaintPrefix = "complaint/";

// The domain configuration every write needs. Immutable; thread-safe.
class Ledger {
 public:
  Ledger(QuarterCalendar calendar, ComplaintProcedure procedure, Tagger tagger,
         Eligibility eligibility)
      : counters_(calendar),
        procedure_(std::move(procedure)),
        tagger_(std::move(tagger)),
        eligibility_(std::move(eligibility)) {}

  // Every tag of a record: its kind, lexicon themes, safeguarding, and its complaint's state.
  std::vector<std::string> TagsOf(const v1::Feedback& record, const v1::Complaint* complaint) const;

  // A validated submission (PrepareSubmission), tagged and with its complaint case, as one op.
  // Fills `*outcome`; `*alert` is set when the item raised a safeguarding alert.
  storage::WriteOp Submit(storage::NewSubmission submission, absl::Time now,
                          std::shared_ptr<storage::SubmitOutcome> outcome,
                          std::shared_ptr<std::optional<v1::Alert>> alert) const;

  storage::WriteOp UpdateComplaint(v1::UpdateComplaintRequest update, absl::Time now,
                                   std::shared_ptr<v1::Complaint> result) const;

  // REQUIRES: ValidateReferralRequest(request, now) is OK. `owner` is the id of the token that
  // sends it: a repeat of its submission_id is answered as storage::ClassifyRepeat says.
  storage::WriteOp CreateReferral(v1::CreateAdvocacyReferralRequest request, absl::Time now,
                                  std::shared_ptr<v1::AdvocacyReferral> result,
                                  std::string owner) const;
  storage::WriteOp UpdateReferral(v1::UpdateAdvocacyReferralRequest update, absl::Time now,
                                  std::shared_ptr<v1::AdvocacyReferral> result) const;

  storage::WriteOp AcknowledgeAlert(v1::AcknowledgeAlertRequest request, absl::Time now,
                                    std::shared_ptr<v1::Alert> result) const;

  // Re-tags the records `ids` with the current lexicon; counts changed ones in `*changed`.
  storage::WriteOp Retag(std::vector<std::string> ids, absl::Time now,
                         std::shared_ptr<int64_t> changed,
                         std::shared_ptr<std::vector<v1::Alert>> alerts) const;

  const CounterBook& counters() const { return counters_; }
  const ComplaintProcedure& procedure() const { return procedure_; }

 private:
  CounterBook counters_;
  ComplaintProcedure procedure_;
  Tagger tagger_;
  Eligibility eligibility_;
};

// Reads a stored complaint case (without its feedback). NOT_FOUND if absent.
[[nodiscard]] absl::StatusOr<v1::Complaint> ParseComplaint(std::string_view bytes);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_LEDGER_H_
