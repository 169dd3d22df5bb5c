// The quarterly counters: what each stored item contributes to its quarter's figures, and the
// summary read back from them. Counters are written in the same batch as the records they
// count (as deltas: after minus before), so a summary never scans records.
//
// Attribution (docs/quarters.md): an item counts in the quarter of its occurred_at (a complaint
// is "received" then); a complaint's outcome and escalations count in the quarter of the step's
// effective_at ("decided"); an advocacy referral and its progress count in the quarter of
// referred_at, so "27 referrals (6 progressed)" describes one cohort. A kiosk answer (an item
// whose submitter_role is ROLE_KIOSK) also counts for its meeting type's kiosk figures: answered,
// its rating, and each of its theme tags (IsThemeTag), in the quarter of its occurred_at.
#ifndef FEEDBACK_SERVICE_OPS_COUNTERS_H_
#define FEEDBACK_SERVICE_OPS_COUNTERS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/quarter.h"
#include "storage/transaction.h"

namespace feedback {

// The age bands advocacy referrals are counted in, youngest first: "0-4", "5-9", "10-15",
// "16-17" (the Department for Education's looked-after-children bands, with "under 1" and "1-4"
// joined) and "18-25" (care leavers, whom advocacy supports up to 25). docs/disclosure.md.
const std::vector<std::string_view>& AgeBands();
// The band of a child aged `age` (1..25; below 0-4's top is "0-4", above 17 is "18-25").
std::string_view AgeBandOf(int age);
// The band a referral is counted in: the age_band erasure kept when it cleared child_age, else
// AgeBandOf(child_age).
std::string_view ReferralAgeBand(const v1::AdvocacyReferral& referral);

// Counter key -> value. Keys are "<financial year>Q<quarter>/<service area number>/<figure>".
// A B-tree rather than std::map: a B-tree node holds several keys (feedback_counters_bench: 17%
// less time for OfFeedback, when every submission made one). A new submission now takes its
// keys as CounterKeys; the map is for updates' deltas and the other items.
using Counters = absl::btree_map<std::string, int64_t>;

// The counter keys that one item counts for, +1 each (a key added twice counts 2), in one
// buffer: how a new submission takes its counts to the writer without a string and a tree node
// for each of its 7 to 13 keys (docs/performance.md, twentieth pass).
class CounterKeys {
 public:
  CounterKeys() { text_.reserve(512); }  // a submission's keys, mostly 20 to 40 bytes each

  // Adds the key that `pieces` make one after another (absl::StrAppend's arguments).
  template <typename... Pieces>
  void Add(const Pieces&... pieces) {
    absl::StrAppend(&text_, pieces...);
    ends_.push_back(text_.size());
  }
  size_t size() const { return ends_.size(); }
  // The i-th key added; valid while this list is neither changed nor destroyed.
  std::string_view operator[](size_t i) const {
    const size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string text_;                      // the keys, one after another
  absl::InlinedVector<size_t, 16> ends_;  // where each key ends in text_
};

// Thread-safe (immutable).
class CounterBook {
 public:
  explicit CounterBook(QuarterCalendar calendar) : calendar_(calendar) {}

  // What one feedback item counts for; `complaint` is its case (complaints only, else null).
  Counters OfFeedback(const v1::Feedback& feedback, const v1::Complaint* complaint) const;
  // The same as keys, each counting 1: what a new item adds (AddCounts).
  CounterKeys KeysOfFeedback(const v1::Feedback& feedback, const v1::Complaint* complaint) const;
  Counters OfReferral(const v1::AdvocacyReferral& referral) const;
  // An audit or observation counts in the quarter of its occurred_at, in its division: its grade,
  // whether it was moderated, and each theme of its strengths and of its areas for improvement.
  Counters OfQualityCheck(const v1::QualityCheck& check) const;
  // A chair's oversight counts in the quarter of its occurred_at, in its service area: its
  // outcome by meeting, and each theme of its strengths and of its areas for development.
  Counters OfOversight(const v1::ChairOversight& oversight) const;

  // Key prefix of one quarter's counters.
  static std::string QuarterPrefix(Quarter quarter);

  // The summary of `quarter` from its counters (as read with QuarterPrefix), restricted to
  // `area` unless it is unspecified. previous_quarter is left empty. Tags and ratings with a
  // count of 0 are left out; a meeting's kiosk figures are listed once it has a kiosk counter,
  // with all five ratings (zeros included) and its non-zero themes by name, meetings in order;
  // audits and observations by activity and division, with all four grades (zeros included),
  // and their non-zero themes by activity, then name; chairs' oversight outcomes by meeting group
  // (CP conferences, then LAC reviews), and their non-zero themes by name.
  static v1::QuarterSummary Summarize(Quarter quarter, v1::ServiceArea area,
                                      const std::vector<std::pair<std::string, int64_t>>& counters);

 private:
  std::string Key(const google::protobuf::Timestamp& at, int area, std::string_view figure) const;
  // The part of Key before the figure: "<quarter>/<area>/".
  std::string KeyPrefix(const google::protobuf::Timestamp& at, int area) const;
  QuarterCalendar calendar_;
};

// Adds 1 to the stored counter of each key, inside the transaction.
[[nodiscard]] absl::Status AddCounts(storage::Transaction& txn, const CounterKeys& keys);

// Adds after - before to the stored counters, inside the transaction.
[[nodiscard]] absl::Status ApplyCounterDelta(storage::Transaction& txn, const Counters& before,
                                             const Counters& after);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_COUNTERS_H_
