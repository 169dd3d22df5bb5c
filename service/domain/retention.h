// How long each kind of feedback is kept (`feedbackd --retention FILE`), and which stored items
// are past it.
#ifndef FEEDBACK_SERVICE_DOMAIN_RETENTION_H_
#define FEEDBACK_SERVICE_DOMAIN_RETENTION_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// Retention periods per kind of feedback, and for advocacy referrals, case-file audits, practice
// observations and chairs' oversight outcomes. Immutable; thread-safe. Default: everything kept
// forever.
class RetentionPolicy {
 public:
  RetentionPolicy() = default;

  // Parses lines `<kind> <days>`: kind one of compliment, complaint, comment, child-statement,
  // referral (advocacy referrals), audit, observation or oversight (chairs' outcomes); days a
  // whole number from 1 to 36500. '#' starts a
  // comment; blank lines are ignored; a kind may appear once. A kind not listed is kept
  // forever. Errors (INVALID_ARGUMENT) name `source` and the line.
  [[nodiscard]] static absl::StatusOr<RetentionPolicy> Parse(std::string_view text,
                                                             std::string_view source);
  // Keeps everything forever for an empty path; FAILED_PRECONDITION if the file cannot be read.
  [[nodiscard]] static absl::StatusOr<RetentionPolicy> Load(const std::string& path);

  // The period of `kind`; nullopt: kept forever.
  std::optional<int> DaysFor(v1::Kind kind) const;

  // True if `record` is past its kind's retention at `now`: occurred_at + days < now.
  bool IsExpired(const v1::Feedback& record, absl::Time now) const;

  // The period of advocacy referrals; nullopt: kept forever.
  std::optional<int> ReferralDays() const { return RecordDays("referral"); }
  // True if `referral` is past the referral period at `now`: referred_at + days < now.
  bool IsExpired(const v1::AdvocacyReferral& referral, absl::Time now) const;

  // True if `check` is past the audit or observation period at `now`: occurred_at + days < now.
  bool IsExpired(const v1::QualityCheck& check, absl::Time now) const;
  // True if `oversight` is past the oversight period at `now`: occurred_at + days < now.
  bool IsExpired(const v1::ChairOversight& oversight, absl::Time now) const;

  // True if no kind has a period (nothing is ever purged).
  bool keeps_everything() const { return days_.empty() && record_days_.empty(); }

 private:
  // The period of the records without a Kind, by their name in the file ("referral", ...).
  std::optional<int> RecordDays(std::string_view name) const;

  std::map<v1::Kind, int> days_;
  std::map<std::string, int, std::less<>> record_days_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_RETENTION_H_
