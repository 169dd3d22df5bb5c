// The intruder of docs/disclosure.md ("What a reader can work out"): someone who knows the
// disclosure rules (service/disclosure.h) and the policy, reads every figure of a published
// QuarterSummary, knows how the figures of a quarter relate to each other, and looks for every
// other dataset that the server would have published in exactly the same way. A withheld cell
// is protected when those datasets give it at least two values; it is given away when only its
// exact value fits.
//
// What the intruder knows about a quarter (each a fact about how counters are kept, see
// service/counters.cc):
//   * every published count, and that a tag or rating the summary does not list is 0;
//   * a meeting's age bands sum to its referrals; its progressed, declined and not progressed
//     together are at most its referrals;
//   * the four complaint outcomes sum to complaints_closed; closed_in_time is at most that;
//   * the four compliments_from_* sum to the "compliment" tag;
//   * complaints_received, comments and child_statements equal the "complaint", "comment" and
//     "child_statement" tags;
//   * the "open" and "closed" tags sum to the "complaint" tag, and so do "stage_1".."stage_3";
//     the four outcome tags ("upheld", ...) sum to the "closed" tag;
//   * a meeting's kiosk ratings together, and each of its kiosk themes, are at most its kiosk
//     answers;
//   * a division's four grades of an activity sum to its checks ("qa.<ACTIVITY>.<AREA>.count"),
//     its moderated checks are at most them, and each of an activity's themes is at most its
//     checks in every division together;
//   * a meeting group's three oversight outcomes sum to its count, and each chairs' theme is at
//     most the counts of every group together;
//   * only with IntruderOptions::item_bounds: the ratings together, and every other tag on its
//     own, are at most the number of items (the four kind tags together); the kiosk answers of
//     every meeting together are at most the items, their ratings of each value at most the
//     quarter's ratings of that value, their themes at most the quarter's tag of that name.
//     ApplyDisclosureControl does not protect against these bounds (docs/disclosure.md,
//     "Limits").
// The search tries every dataset that keeps those relations, changing the withheld cells of one
// connected set at a time (cells tied by an equation or a meeting's or the complaints'
// inequality), each within kReach of its exact value, and asks ApplyDisclosureControl whether
// it publishes the same summary. It is therefore exact about the rules (it runs them) and sound
// when it finds a second value; when it finds none, the cell is given away within that range.
//
// Example:
//   IntruderReport report = Intrude(exact_summary, policy);
//   EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
#ifndef FEEDBACK_TESTS_SUPPORT_DISCLOSURE_INTRUDER_H_
#define FEEDBACK_TESTS_SUPPORT_DISCLOSURE_INTRUDER_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "feedback/v1/feedback.pb.h"
#include "service/domain/disclosure.h"

namespace feedback::testing {

// How far above its exact value the search tries a withheld cell (it tries every value down to 0).
inline constexpr int64_t kReach = 2 * kMaxWithheldCount + 2;

// One withheld cell and what the intruder found it could be.
struct WithheldCell {
  std::string name;               // as in QuarterSummary.suppressed
  int64_t value = 0;              // the exact count
  std::vector<int64_t> possible;  // values some consistent dataset gives it, sorted; has `value`
  bool budget_ran_out = false;    // the search stopped early: a second value may exist
};

// "tags.open = 4 (possible: 4)", for gtest's messages.
void PrintTo(const WithheldCell& cell, std::ostream* out);

struct IntruderReport {
  v1::QuarterSummary exact;
  v1::QuarterSummary published;
  std::vector<WithheldCell> cells;  // every withheld cell, in `suppressed` order
  int64_t datasets_tried = 0;       // datasets put through ApplyDisclosureControl

  // The withheld cells with fewer than two possible values.
  std::vector<WithheldCell> GivenAway() const;
  // The given-away cells, the exact and the published summary, for a failure message.
  std::string Describe() const;
};

struct IntruderOptions {
  // Whether the intruder uses the bounds the number of items puts on the ratings and the tags
  // (and they on the kind counts). Default: false, the limit docs/disclosure.md describes.
  bool item_bounds = false;
};

// The intruder's attack on ApplyDisclosureControl(exact, policy). `exact` is one quarter's exact
// summary in the shape CounterBook::Summarize gives (tags and ratings with a zero count left out,
// a meeting listed when it has a referral, all five age bands listed), without previous_quarter.
IntruderReport Intrude(const v1::QuarterSummary& exact, const DisclosurePolicy& policy,
                       const IntruderOptions& options = {});

// The count called `name` (docs/disclosure.md) in `summary`; 0 when the summary lists no such
// tag, rating, meeting or band.
int64_t CountOf(const v1::QuarterSummary& summary, std::string_view name);
// Sets the count called `name`, adding the entry if needed, keeping tags sorted by name and
// ratings by rating, and removing a tag or rating whose count becomes 0 (as Summarize does).
void SetCount(v1::QuarterSummary& summary, std::string_view name, int64_t value);

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_DISCLOSURE_INTRUDER_H_
