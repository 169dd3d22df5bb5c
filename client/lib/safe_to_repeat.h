// Which calls the client may send again after a lost answer: the allow-list of its retries.
//
// The rule. UNAVAILABLE or DEADLINE_EXCEEDED does not say whether the server applied a call: it
// may have, and only the answer was lost. A call is retried only if its second arrival, after a
// first that was applied, leaves the store as the first left it and gets the same answer (each
// arrival still writes its own audit entry, as every call does). Reads are safe; a write is
// safe only when the server dedupes it (an idempotency key) or a repeat finds nothing left to
// do. Every call not on the list is tried once, so a new RPC is never retried until someone
// judges it here; its caller sees UNAVAILABLE and can check before trying again.
//
// Safe to repeat:
//   reads: GetFeedback, ListFeedback, GetComplaint, ListComplaints, GetAdvocacyReferral,
//     ListAdvocacyReferrals, ListQualityChecks, ListOversights, GetNarrative,
//     GetQuarterSummary, VerifyCounters, ListTokens, ListAudit, ListQuotes, ListLegalHolds,
//     and PurgeFeedback with dry_run (it only reports);
//   SubmitFeedback, CreateAdvocacyReferral, RecordQualityCheck, RecordOversight, SetNarrative:
//   their
//     submission_id is an idempotency key; the server stores the first and answers it again (the
//     client resends the same request);
//   RequestTalkNow: its request_id is an idempotency key the same way (one alert);
//   AcknowledgeAlert: a second acknowledgement keeps the first (who, when) and answers it;
//   RevokeToken: revoking twice keeps the first revocation time;
//   WithdrawQuote: a second withdrawal finds no approved quote and answers the same candidate;
//   EraseFeedback: a second erasure finds the item erased and answers the same erased record.
// Tried once:
//   IssueToken: a repeat mints a second token (its secret lost with the first answer);
//   IssueKioskEnrolment: a repeat makes a second code (the first, lost, stays live 15 minutes);
//   EnrolKiosk: a repeat is refused (the code was used) although the first succeeded;
//   UpdateComplaint, UpdateAdvocacyReferral: a repeat applies the change again (a second
//     history event, escalation or transition, or a refusal for a change that was made);
//   ApproveQuote, SetLegalHold: a repeat rewrites the approval's or the hold's time and author;
//   PublishQuarter: a repeat is refused ("was published") although the first succeeded;
//   RetagFeedback: a repeat answers changed = 0, losing the count of what the first changed;
//   PurgeFeedback (not a dry run): a repeat erases what has expired since and loses the counts.
#ifndef FEEDBACK_CLIENT_LIB_SAFE_TO_REPEAT_H_
#define FEEDBACK_CLIENT_LIB_SAFE_TO_REPEAT_H_

#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// True for the request types of calls that are safe to repeat, by the rule above.
template <typename Request>
inline constexpr bool kSafeToRepeat = false;
template <>
inline constexpr bool kSafeToRepeat<v1::GetFeedbackRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListFeedbackRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::GetComplaintRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListComplaintsRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::GetAdvocacyReferralRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListAdvocacyReferralsRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListQualityChecksRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListOversightsRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::GetNarrativeRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::SetNarrativeRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::GetQuarterSummaryRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::VerifyCountersRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListTokensRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListAuditRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListQuotesRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::ListLegalHoldsRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::SubmitFeedbackRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::CreateAdvocacyReferralRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::RecordQualityCheckRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::RecordOversightRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::AcknowledgeAlertRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::RevokeTokenRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::WithdrawQuoteRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::EraseFeedbackRequest> = true;
template <>
inline constexpr bool kSafeToRepeat<v1::RequestTalkNowRequest> = true;

// Whether `request` may be sent again after UNAVAILABLE or DEADLINE_EXCEEDED.
template <typename Request>
constexpr bool SafeToRepeat(const Request& /*request*/) {
  return kSafeToRepeat<Request>;
}
// PurgeFeedback only as a dry run.
inline bool SafeToRepeat(const v1::PurgeFeedbackRequest& request) { return request.dry_run(); }

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_SAFE_TO_REPEAT_H_
