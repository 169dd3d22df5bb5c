// What the list requests (ListFeedback, ListComplaints, ExportFeedback) may ask for: their
// filters checked before any query runs, and which complaints a ListComplaints request keeps.
#ifndef FEEDBACK_SERVICE_DOMAIN_LIST_FILTERS_H_
#define FEEDBACK_SERVICE_DOMAIN_LIST_FILTERS_H_

#include <string>

#include "absl/status/status.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// Items in a page when a request leaves page_size unset, and the most it may ask for.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// OK, or INVALID_ARGUMENT naming the field: an unknown source or kind, a page_size outside
// 0..kMaxPageSize, a tag that is not a tag name (over 64 bytes, or a NUL in it). The quarter and
// the page token are checked where the query is made (ToListQuery, service/ops/queries.h).
[[nodiscard]] absl::Status ValidateListFilters(const v1::ListFeedbackRequest& request);

// OK, or INVALID_ARGUMENT naming the field: an unknown stage or outcome. The quarter is checked
// where the query is made (ToListQuery).
[[nodiscard]] absl::Status ValidateComplaintFilters(const v1::ListComplaintsRequest& request);

// The quarter of a list request that names one by financial_year and quarter (referrals,
// audits and observations, oversight outcomes): OK, or INVALID_ARGUMENT naming the field for a
// quarter without financial_year or a quarter outside 1..4 (0: the whole year).
[[nodiscard]] absl::Status ValidateQuarterFilter(int32_t financial_year, int32_t quarter);

// OK, or INVALID_ARGUMENT naming the field: an unknown meeting or status, a quarter without
// financial_year, or a quarter outside 1..4.
[[nodiscard]] absl::Status ValidateReferralFilters(const v1::ListAdvocacyReferralsRequest& request);

// True if `referral` has the meeting and status `request` asks for (unset: any). The quarter is
// the caller's: a range of referred_at.
bool MatchesReferralFilter(const v1::AdvocacyReferral& referral,
                           const v1::ListAdvocacyReferralsRequest& request);

// The ListFeedback request that pages through the complaints `request` asks for: kind
// complaint, its quarter (or financial year), its page size and token, and the one tag the time
// index serves it by (the outcome's tag, else "stage_N", else "open" for open_only, else none). The
// rest of the filter is MatchesComplaintFilter.
v1::ListFeedbackRequest ComplaintPageRequest(const v1::ListComplaintsRequest& request);

// True if `complaint` (its feedback and overdue set) passes the filter of `request`: its stage,
// open_only and overdue_only.
bool MatchesComplaintFilter(const v1::Complaint& complaint,
                            const v1::ListComplaintsRequest& request);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_LIST_FILTERS_H_
