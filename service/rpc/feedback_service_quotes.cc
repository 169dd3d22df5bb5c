// Handlers for quotes: consented items, redacted, approved by a qa_manager.
#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/quotes.h"
#include "service/rpc/feedback_service.h"
#include "service/rpc/rpc_support.h"

namespace feedback {
namespace {

// Consented items are listed from the time index a page at a time.
constexpr int kQuotePageSize = 500;

// "2018-19Q3", or "2018-19" for a whole financial year: for the audit entry.
std::string PeriodName(int financial_year, int quarter) {
  const std::string first = FormatQuarter({financial_year, quarter == 0 ? 1 : quarter});
  return quarter == 0 ? first.substr(0, first.find('Q')) : first;
}

}  // namespace

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListQuotes(grpc::CallbackServerContext* context,
                                                          Principal caller,
                                                          const v1::ListQuotesRequest* request,
                                                          v1::ListQuotesResponse* response) {
  const bool candidates = request->include_candidates();
  if (candidates && caller.role != v1::ROLE_QA_MANAGER) {
    return FinishNow(context, absl::PermissionDeniedError(
                                  "include_candidates: only a qa_manager may see quotes that "
                                  "are not approved"));
  }
  if (request->financial_year() == 0) {
    return FinishNow(context, absl::InvalidArgumentError("financial_year: must be set"));
  }
  // quarter unset: the whole financial year.
  const Quarter first{request->financial_year(), request->quarter() == 0 ? 1 : request->quarter()};
  const Quarter last{request->financial_year(), request->quarter() == 0 ? 4 : request->quarter()};
  if (absl::Status valid = ValidateQuarter(first); !valid.ok()) return FinishNow(context, valid);

  storage::ListQuery query;
  query.from_micros = absl::ToUnixMicros(calendar_.Start(first));
  query.to_micros = absl::ToUnixMicros(calendar_.End(last));
  query.tag = "consent_to_quote";
  query.limit = kQuotePageSize;
  AuditEvent event("quote.candidates.read", {},
                   PeriodName(request->financial_year(), request->quarter()));
  do {
    absl::StatusOr<storage::ListPage> page = store_->List(query);
    if (!page.ok()) return FinishNow(context, page.status());
    for (const v1::Feedback& item : page->items) {
      // Consent and erasure are checked on every read, so a stored approval never outlives them.
      if (!IsQuotable(item)) continue;
      absl::StatusOr<std::string> stored = store_->GetEntity(QuoteKey(item.id()));
      if (stored.ok()) {
        absl::StatusOr<v1::Quote> quote = ParseQuote(*stored);
        if (!quote.ok()) return FinishNow(context, quote.status());
        *response->add_quotes() = *std::move(quote);
      } else if (!absl::IsNotFound(stored.status())) {
        return FinishNow(context, stored.status());
      } else if (candidates) {
        *response->add_quotes() = CandidateQuote(item, *redactor_);
        event.ids.push_back(item.id());
      }
    }
    query.cursor = page->next_cursor;
  } while (!query.cursor.empty());
  if (event.ids.empty()) return FinishNow(context, absl::OkStatus());
  return AuditThenFinish(context, *writer_, std::move(caller), std::move(event));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ApproveQuote(grpc::CallbackServerContext* context,
                                                            Principal caller,
                                                            const v1::ApproveQuoteRequest* request,
                                                            v1::Quote* response) {
  if (absl::Status valid = ValidateApproveQuote(*request, *redactor_); !valid.ok()) {
    return FinishNow(context, valid);
  }
  return WriteThenFinish(context, *writer_,
                         ApproveQuoteOp(*request, *redactor_, std::move(caller), absl::Now()),
                         [response](v1::Quote& quote) { *response = std::move(quote); });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::WithdrawQuote(
    grpc::CallbackServerContext* context, Principal caller, const v1::WithdrawQuoteRequest* request,
    v1::Quote* response) {
  if (request->feedback_id().empty()) {
    return FinishNow(context, absl::InvalidArgumentError("feedback_id: must be set"));
  }
  return WriteThenFinish(
      context, *writer_,
      WithdrawQuoteOp(request->feedback_id(), *redactor_, std::move(caller), absl::Now()),
      [response](v1::Quote& quote) { *response = std::move(quote); });
}

}  // namespace feedback
