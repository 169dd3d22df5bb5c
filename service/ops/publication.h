// Published quarters (docs/quarters.md, "Published quarters"). PublishQuarter freezes a
// finished quarter's published figures, for every service area filter, in the entities family;
// from then on the published form of GetQuarterSummary serves those figures, and whatever
// reaches the quarter later is shown beside them as late revisions, never folded in.
//
// Late revisions are the live counters minus the frozen ones. In the published form they are a
// table of their own and get small-number suppression of their own (by magnitude, so that a
// small decrease is withheld like a small increase). No published figure is the sum of a frozen
// cell and a late one, so what a reader can infer about a withheld frozen cell comes from the
// frozen table alone, and about a withheld late count from the late table alone.
//
// Example:
//   QuarterFigures figures(store, policy, calendar);
//   absl::StatusOr<v1::QuarterSummary> s = figures.Get({2018, 3}, v1::SERVICE_AREA_UNSPECIFIED,
//                                                      /*published=*/true);
//   // s->published_at() is set once 2018-19Q3 is published; s->late_revisions() lists what
//   // changed since.
#ifndef FEEDBACK_SERVICE_OPS_PUBLICATION_H_
#define FEEDBACK_SERVICE_OPS_PUBLICATION_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "feedback/v1/publication.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/access.h"
#include "service/domain/disclosure.h"
#include "storage/feedback_store.h"
#include "storage/layout.h"

namespace feedback {

// "published/2018Q3" -> v1::internal::StoredPublication.
using storage::layout::kPublishedPrefix;  // storage/layout.h
std::string PublishedKey(Quarter quarter);

// The service area filters a publication freezes, in the order of PublishedQuarter.summaries:
// all areas (unspecified), then each area.
const std::vector<v1::ServiceArea>& PublishedAreas();

// Reads and publishes quarterly figures. Thread-safe (reads only; the writes are operations for
// the GroupCommitWriter). `store` and `policy` are borrowed and must outlive it.
class QuarterFigures {
 public:
  QuarterFigures(const storage::FeedbackStore& store, const DisclosurePolicy& policy,
                 QuarterCalendar calendar)
      : store_(store), policy_(policy), calendar_(calendar) {}

  // GetQuarterSummary's answer for `quarter` and `area`, with previous_quarter.
  // published = false: exact live counts, for internal QA, without publication data.
  // published = true: a published quarter's frozen figures as stored (previous_quarter as it was
  // then), with published_at and late revisions under suppression; an unpublished quarter's
  // live figures under suppression, with the frozen figures of the previous quarter (and its
  // late revisions) if that one is published.
  [[nodiscard]] absl::StatusOr<v1::QuarterSummary> Get(Quarter quarter, v1::ServiceArea area,
                                                       bool published) const;

  // OK if `quarter` may be published at `now`: it is over (its last local day has ended).
  // FAILED_PRECONDITION naming "quarter" otherwise.
  [[nodiscard]] absl::Status CheckFinished(Quarter quarter, absl::Time now) const;

  // The write operation of PublishQuarter: refuses (FAILED_PRECONDITION naming "quarter") a
  // quarter already published or one with an earlier quarter of its financial year unpublished
  // (a report shows every earlier quarter of its year); otherwise stores the StoredPublication
  // and returns what was published. The caller adds the audit entry to the same batch.
  // REQUIRES: CheckFinished(quarter, now) is OK.
  storage::TypedWriteOp<v1::PublishedQuarter> Publish(Quarter quarter, absl::Time now,
                                                      std::string published_by) const;

 private:
  // Reads an entity (nullopt if absent) either from the store or inside a transaction.
  using Lookup = absl::FunctionRef<absl::StatusOr<std::optional<std::string>>(std::string_view)>;

  absl::StatusOr<std::optional<v1::internal::StoredPublication>> FindPublication(
      Lookup find, Quarter quarter) const;
  absl::StatusOr<std::optional<std::string>> FromStore(std::string_view key) const;
  // The published form of `quarter` computed from its `counters` (not from a publication of
  // it), with the previous quarter's frozen figures if that one is published.
  absl::StatusOr<v1::QuarterSummary> Published(
      Lookup find, Quarter quarter, v1::ServiceArea area,
      const std::vector<std::pair<std::string, int64_t>>& counters) const;
  // If `summary` is a published quarter's frozen one (published_at set), sets its late
  // revisions against the live counters, under suppression.
  absl::Status AttachLateRevisions(v1::QuarterSummary& summary) const;

  const storage::FeedbackStore& store_;
  const DisclosurePolicy& policy_;
  const QuarterCalendar calendar_;
};

// The late revisions of one quarter and area: `live` minus `frozen` (counters of that quarter),
// every changed cell, named as in QuarterSummary.suppressed. `policy` null: exact; otherwise
// the differences are put under small-number suppression as a table of their own, by magnitude,
// and every withheld cell is listed (count 0, withheld), changed or not, so that the list does
// not tell which withheld cell changed.
std::vector<v1::LateRevision> LateRevisions(
    Quarter quarter, v1::ServiceArea area, const std::vector<std::pair<std::string, int64_t>>& live,
    const std::vector<std::pair<std::string, int64_t>>& frozen, const DisclosurePolicy* policy);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_PUBLICATION_H_
