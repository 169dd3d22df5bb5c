// Quotes for reports. Only the words of people who consented to be quoted (and whose item was
// not erased) are ever candidates; a candidate is redacted automatically and may appear in a
// report only once a qa_manager approved it. An approved quote is stored, as published, at
// QuoteKey(feedback id) in the entities family; withdrawing it deletes it.
#ifndef FEEDBACK_SERVICE_OPS_QUOTES_H_
#define FEEDBACK_SERVICE_OPS_QUOTES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/access.h"
#include "service/domain/redaction.h"
#include "storage/layout.h"
#include "storage/transaction.h"

namespace feedback {

// "quote/<feedback id>" -> v1::Quote (status APPROVED); storage/layout.h.
using storage::layout::kQuotePrefix;
std::string QuoteKey(std::string_view feedback_id);

// DATA_LOSS if `bytes` is not a stored quote.
[[nodiscard]] absl::StatusOr<v1::Quote> ParseQuote(std::string_view bytes);

// True if `record` may be quoted at all: consent to quote, not erased, some text.
bool IsQuotable(const v1::Feedback& record);

// The candidate `record` makes: its text redacted by `redactor`, status CANDIDATE, and the
// record's source, kind, meeting, service area and occurred_at. REQUIRES: IsQuotable(record).
v1::Quote CandidateQuote(const v1::Feedback& record, const Redactor& redactor);

// Checks what can be checked before the write: feedback_id set; an edited `text` valid UTF-8 of
// at most kMaxTextBytes that redaction leaves unchanged. INVALID_ARGUMENT naming the field.
[[nodiscard]] absl::Status ValidateApproveQuote(const v1::ApproveQuoteRequest& request,
                                                const Redactor& redactor);

// Approves the quote of request.feedback_id (again, if it was approved before: the new wording
// and approver replace the old), and audits "quote.approve" (ids: the feedback id; no text) in
// the same batch. NOT_FOUND if there is no such item; FAILED_PRECONDITION if it may not be
// quoted (no consent, erased, no text). The result is the stored quote.
// REQUIRES: ValidateApproveQuote(request, redactor) is OK; `redactor` outlives the op.
storage::TypedWriteOp<v1::Quote> ApproveQuoteOp(v1::ApproveQuoteRequest request,
                                                const Redactor& redactor, Principal approver,
                                                absl::Time now);

// Withdraws the approval of feedback_id's quote and audits "quote.withdraw" in the same batch.
// Idempotent: withdrawing a quote that is not approved changes nothing (but is audited).
// NOT_FOUND if there is no such item. The result is the quote as it now stands: a candidate
// (or, for an item that may not be quoted, status unspecified and no text).
// REQUIRES: `redactor` outlives the op.
storage::TypedWriteOp<v1::Quote> WithdrawQuoteOp(std::string feedback_id, const Redactor& redactor,
                                                 Principal caller, absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_QUOTES_H_
