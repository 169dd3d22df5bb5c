// Reads over the store that the handlers of FeedbackService share: list queries, complaint
// cases, referrals and the alerts waiting for a watcher.
#ifndef FEEDBACK_SERVICE_OPS_QUERIES_H_
#define FEEDBACK_SERVICE_OPS_QUERIES_H_

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/complaints.h"
#include "storage/feedback_store.h"

namespace feedback {

// The store query of a ListFeedback request: its filters (ValidateListFilters), its quarter or
// financial year (quarter unset: the whole year; quarter without financial_year is an error),
// its page size (0: kDefaultPageSize) and its page token. INVALID_ARGUMENT naming the field.
[[nodiscard]] absl::StatusOr<storage::ListQuery> ToListQuery(const v1::ListFeedbackRequest& request,
                                                             const QuarterCalendar& calendar);

// The case of the complaint `record`, with the record as its feedback and overdue at `now`.
// NOT_FOUND if it has no case; DATA_LOSS if the case does not parse.
[[nodiscard]] absl::StatusOr<v1::Complaint> LoadComplaint(const storage::FeedbackStore& store,
                                                          const ComplaintProcedure& procedure,
                                                          const v1::Feedback& record,
                                                          absl::Time now);

// One page of ListComplaints (REQUIRES: ValidateComplaintFilters(request) is OK): the page of
// complaints the index serves (ComplaintPageRequest), loaded and filtered
// (MatchesComplaintFilter), and the token of the next page.
[[nodiscard]] absl::StatusOr<v1::ListComplaintsResponse> ListComplaints(
    const storage::FeedbackStore& store, const ComplaintProcedure& procedure,
    const QuarterCalendar& calendar, const v1::ListComplaintsRequest& request, absl::Time now);

// The span of time a list request's financial_year and quarter select, in Unix microseconds,
// [from, to): all time when financial_year is 0, the whole financial year when quarter is 0.
struct RequestedSpan {
  int64_t from = std::numeric_limits<int64_t>::min();
  int64_t to = std::numeric_limits<int64_t>::max();

  bool Contains(const google::protobuf::Timestamp& at) const;
};
// INVALID_ARGUMENT naming the quarter if ValidateQuarter refuses it.
[[nodiscard]] absl::StatusOr<RequestedSpan> SpanOfRequest(const QuarterCalendar& calendar,
                                                          int32_t financial_year, int32_t quarter);

// The stored advocacy referral `id`: NOT_FOUND naming id only if there is none; DATA_LOSS if it
// does not parse; any other error reading the store as it is.
[[nodiscard]] absl::StatusOr<v1::AdvocacyReferral> ReadReferral(const storage::FeedbackStore& store,
                                                                std::string_view id);

// Every advocacy referral ListAdvocacyReferrals `request` asks for (REQUIRES:
// ValidateReferralFilters(request) is OK), newest referred_at first (then by id), each without
// its reason. INVALID_ARGUMENT naming the field for a quarter outside the calendar; DATA_LOSS
// naming the key if a stored referral does not parse.
[[nodiscard]] absl::StatusOr<v1::ListAdvocacyReferralsResponse> ListReferrals(
    const storage::FeedbackStore& store, const QuarterCalendar& calendar,
    const v1::ListAdvocacyReferralsRequest& request);

// Every alert not yet acknowledged, in key order, each with its item as stored now (or as the
// alert kept it, if the item is gone); a talk-now alert as it is, with no item. An alert
// stored before reasons were kept gets ALERT_REASON_SAFEGUARDING_WORDS. DATA_LOSS naming the key
// (never the value, which may hold a child's words) if a stored alert does not parse: it is never
// skipped.
[[nodiscard]] absl::StatusOr<std::vector<v1::Alert>> UnacknowledgedAlerts(
    const storage::FeedbackStore& store);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_QUERIES_H_
