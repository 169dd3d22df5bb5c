// Small-number suppression of published quarterly figures, after the statistical-disclosure
// practice of England's children's statistics (docs/disclosure.md): a count of 1 to 5 in a
// figure that could identify a child is withheld (shown as "c"), and secondary suppression
// withholds further cells until no withheld count can be worked out from what is published.
// Zero is shown, unless it must be withheld to hide where a withheld count sits. Internal QA
// views see exact counts; the published form is what a reporter gets.
//
// Example:
//   absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Load("/etc/feedbackd/disclosure");
//   v1::QuarterSummary summary = ...;  // exact counts
//   ApplyDisclosureControl(summary, *policy);
//   // summary.suppressed() names every withheld cell, whose value is now 0.
#ifndef FEEDBACK_SERVICE_DOMAIN_DISCLOSURE_H_
#define FEEDBACK_SERVICE_DOMAIN_DISCLOSURE_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// Counts 1..kMaxWithheldCount of a suppressed figure are withheld; 0 is always shown.
inline constexpr int64_t kMaxWithheldCount = 5;

// Which figures are subject to small-number suppression. A figure is a family of cells, e.g.
// "advocacy.age_band" covers "advocacy.MEETING_CLA_REVIEW.age_band.10-15" for every meeting and
// band. The names and defaults are in docs/disclosure.md. Copyable; immutable once loaded.
class DisclosurePolicy {
 public:
  // The default policy: "advocacy.age_band" and the kiosk figures ("kiosk.answered",
  // "kiosk.ratings", "kiosk.themes") are suppressed; every other figure is shown, the audits'
  // and observations' ("qa.*") and the chairs' oversight ("oversight.*") included.
  DisclosurePolicy();

  // Every figure name, in documentation order.
  static const std::vector<std::string_view>& Figures();

  // The default policy changed by `text`: one directive a line, "suppress <figure>" or
  // "show <figure>" (<figure> may be "all"); "#" starts a comment; blank lines are ignored; a
  // later line overrides an earlier one. INVALID_ARGUMENT "<origin>:<line>: ..." otherwise.
  [[nodiscard]] static absl::StatusOr<DisclosurePolicy> Parse(std::string_view text,
                                                              std::string_view origin);
  // Parse() of the file at `path` (its path is the origin). NOT_FOUND if it cannot be read.
  [[nodiscard]] static absl::StatusOr<DisclosurePolicy> Load(const std::string& path);

  bool Suppresses(std::string_view figure) const;
  // INVALID_ARGUMENT naming `figure` unless it is one of Figures() or "all".
  [[nodiscard]] absl::Status Set(std::string_view figure, bool suppress);

 private:
  std::set<std::string, std::less<>> suppressed_;
};

// Puts `summary` (and its previous_quarter, if set, controlled on its own) in published form
// under `policy`:
//  1. primary suppression: every cell of a suppressed figure with a count of 1..5 is withheld
//     (the three decision figures, progressed, declined and not progressed, count as one);
//  2. secondary suppression, to a fixed point, so that a reader who knows these rules and every
//     published figure still has at least two possible values for each withheld cell: in each
//     group of cells that sums to a total (a meeting's age bands, or its decisions, to its
//     referrals; complaint outcomes to complaints_closed; compliments by source to the
//     "compliment" tag; the ratings; a division's QA grades to its checks; a meeting group's
//     oversight outcomes to its count), the withheld members must hold two different counts
//     (every member sharing the smallest non-zero count is added, then the zeros, then the
//     total); a withheld total brings its zero members; members of a figure the policy shows
//     are withheld all together (the non-zero ones) when they would give away a total; a kind
//     count and its tag, and the complaint tags (by state, stage and outcome), go together;
//     a meeting's kiosk ratings are a group bounded by its kiosk answers, and a withheld answer
//     count withholds its meeting's non-zero kiosk themes (each at most the answers); likewise
//     a withheld division's QA count withholds its non-zero moderated count and its activity's
//     non-zero themes, and a withheld oversight count the non-zero chairs' themes.
// The rules and the argument are in disclosure.cc; docs/disclosure.md has them for readers.
// Withheld cells are set to 0 and their names appended to `suppressed`, in summary order. A
// withheld rating or complaint tag whose count is 0 is listed (count 0, named in `suppressed`);
// the summary lists no other zero tag or rating.
void ApplyDisclosureControl(v1::QuarterSummary& summary, const DisclosurePolicy& policy);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_DISCLOSURE_H_
