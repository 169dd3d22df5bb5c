#include "service/ops/quotes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/validation.h"
#include "service/ops/audit.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kMaxIdBytes = 128;

absl::Status ValidateFeedbackId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("feedback_id: must be set");
  if (id.size() > kMaxIdBytes || !IsValidUtf8(id)) {
    return absl::InvalidArgumentError("feedback_id: not a feedback id");
  }
  return absl::OkStatus();
}

// The item of `id`, if it may be quoted; NOT_FOUND or FAILED_PRECONDITION naming feedback_id.
absl::StatusOr<v1::Feedback> FindQuotable(storage::Transaction& txn, const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<v1::Feedback> record, txn.FindFeedback(id));
  if (!record.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("feedback_id: no feedback with id ", QuoteClientValue(id)));
  }
  if (!record->consent_to_quote()) {
    return absl::FailedPreconditionError(
        absl::StrCat("feedback_id: ", QuoteClientValue(id), " was given without consent to quote"));
  }
  if (record->has_erased_at()) {
    return absl::FailedPreconditionError(
        absl::StrCat("feedback_id: ", QuoteClientValue(id), " was erased"));
  }
  if (record->text().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("feedback_id: ", QuoteClientValue(id), " has no words"));
  }
  return *std::move(record);
}

}  // namespace

std::string QuoteKey(std::string_view feedback_id) {
  return absl::StrCat(std::string(kQuotePrefix), std::string(feedback_id));
}

absl::StatusOr<v1::Quote> ParseQuote(std::string_view bytes) {
  v1::Quote quote;
  if (!quote.ParseFromString(std::string(bytes))) {
    return absl::DataLossError("stored quote does not parse");
  }
  return quote;
}

bool IsQuotable(const v1::Feedback& record) {
  return record.consent_to_quote() && !record.has_erased_at() && !record.text().empty();
}

v1::Quote CandidateQuote(const v1::Feedback& record, const Redactor& redactor) {
  Redaction redaction = redactor.Redact(record.text());
  v1::Quote quote;
  quote.set_feedback_id(record.id());
  quote.set_text(std::move(redaction.text));
  quote.set_status(v1::QUOTE_STATUS_CANDIDATE);
  quote.set_source(record.source());
  quote.set_kind(record.kind());
  quote.set_meeting(record.meeting());
  quote.set_service_area(record.service_area());
  *quote.mutable_occurred_at() = record.occurred_at();
  for (std::string& category : redaction.categories) quote.add_redactions(std::move(category));
  return quote;
}

absl::Status ValidateApproveQuote(const v1::ApproveQuoteRequest& request,
                                  const Redactor& redactor) {
  RETURN_IF_ERROR(ValidateFeedbackId(request.feedback_id()));
  const std::string& text = request.text();
  if (text.empty()) return absl::OkStatus();
  if (text.size() > kMaxTextBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("text: ", text.size(), " bytes is over the limit of ", kMaxTextBytes));
  }
  if (!IsValidUtf8(text)) return absl::InvalidArgumentError("text: is not valid UTF-8");
  const Redaction redaction = redactor.Redact(text);
  if (redaction.text != text) {
    return absl::InvalidArgumentError(absl::StrCat("text: would be redacted (",
                                                   absl::StrJoin(redaction.categories, ", "),
                                                   "); reword it or use the automatic redaction"));
  }
  return absl::OkStatus();
}

storage::TypedWriteOp<v1::Quote> ApproveQuoteOp(v1::ApproveQuoteRequest request,
                                                const Redactor& redactor, Principal approver,
                                                absl::Time now) {
  return [request = std::move(request), &redactor, approver = std::move(approver),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::Quote> {
    const std::string& id = request.feedback_id();
    ASSIGN_OR_RETURN(const v1::Feedback record, FindQuotable(txn, id));
    v1::Quote quote = CandidateQuote(record, redactor);
    const bool edited = !request.text().empty();
    if (edited) {
      // Validated unchanged by redaction; what was taken out is what the editor took out.
      quote.set_text(request.text());
      quote.clear_redactions();
    }
    quote.set_status(v1::QUOTE_STATUS_APPROVED);
    quote.set_approved_by(approver.token_id);
    *quote.mutable_approved_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    RETURN_IF_ERROR(txn.PutEntity(QuoteKey(id), quote.SerializeAsString()));
    RETURN_IF_ERROR(AppendAudit(
        txn, approver, now,
        AuditEvent("quote.approve", {id}, edited ? "wording=edited" : "wording=automatic")));
    return quote;
  };
}

storage::TypedWriteOp<v1::Quote> WithdrawQuoteOp(std::string feedback_id, const Redactor& redactor,
                                                 Principal caller, absl::Time now) {
  return [id = std::move(feedback_id), &redactor, caller = std::move(caller),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::Quote> {
    RETURN_IF_ERROR(ValidateFeedbackId(id));
    ASSIGN_OR_RETURN(std::optional<v1::Feedback> record, txn.FindFeedback(id));
    if (!record.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("feedback_id: no feedback with id ", QuoteClientValue(id)));
    }
    ASSIGN_OR_RETURN(std::optional<std::string> stored, txn.FindEntity(QuoteKey(id)));
    if (stored.has_value()) RETURN_IF_ERROR(txn.DeleteEntity(QuoteKey(id)));
    RETURN_IF_ERROR(
        AppendAudit(txn, caller, now,
                    AuditEvent("quote.withdraw", {id},
                               stored.has_value() ? "was=approved" : "was=not_approved")));
    if (IsQuotable(*record)) return CandidateQuote(*record, redactor);
    v1::Quote unquotable;
    unquotable.set_feedback_id(id);
    return unquotable;
  };
}

}  // namespace feedback
