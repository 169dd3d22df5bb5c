// Advocacy referrals: who may be referred (eligibility rules with effective dates) and how a
// referral moves: referred, then progressed, declined by the child, or not progressed.
#ifndef FEEDBACK_SERVICE_DOMAIN_ADVOCACY_H_
#define FEEDBACK_SERVICE_DOMAIN_ADVOCACY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

struct EligibilityRule {
  std::string name;
  absl::Time from;  // in force from this instant until the next rule's
  int min_age = 0;  // 0: no lower limit
  int max_age = 0;  // 0: no upper limit
  bool within_city_boundary_required = false;
};

// The rules in force over time. Immutable; thread-safe. Default: no rules, no limits.
class Eligibility {
 public:
  Eligibility() = default;
  // Parses lines of `key=value` words: from=YYYY-MM-DD (local midnight in `zone`, required),
  // min_age=N, max_age=N, within_city_boundary=required|any, name=TEXT. '#' starts a comment.
  [[nodiscard]] static absl::StatusOr<Eligibility> Parse(std::string_view text,
                                                         std::string_view source,
                                                         absl::TimeZone zone);
  // No rules for an empty path.
  [[nodiscard]] static absl::StatusOr<Eligibility> Load(const std::string& path,
                                                        absl::TimeZone zone);

  // OK, or FAILED_PRECONDITION naming the rule in force at referred_at that excludes it.
  [[nodiscard]] absl::Status Check(const v1::AdvocacyReferral& referral) const;

 private:
  std::vector<EligibilityRule> rules_;  // sorted by `from`
};

// Checks the client's fields of a new referral (INVALID_ARGUMENT naming the field).
[[nodiscard]] absl::Status ValidateReferralRequest(const v1::CreateAdvocacyReferralRequest& request,
                                                   absl::Time now);

// The referral to store for a valid request: status REFERRED, referred_at defaulted to now.
v1::AdvocacyReferral NewReferral(const v1::CreateAdvocacyReferralRequest& request, absl::Time now);

// The referral after `update`: INVALID_ARGUMENT for a bad status or a missing reason;
// FAILED_PRECONDITION if it is not in REFERRED any more, or was erased.
[[nodiscard]] absl::StatusOr<v1::AdvocacyReferral> ApplyReferralUpdate(
    const v1::AdvocacyReferral& current, const v1::UpdateAdvocacyReferralRequest& update,
    absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_ADVOCACY_H_
