// FeedbackCore: quotes (consented items, redacted, approved by a qa_manager;
// service/ops/quotes.h).
#include "service/ops/quotes.h"

#include <memory>
#include <string>
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/ops/quote_listing.h"

namespace feedback {
namespace {

// "2018-19Q3", or "2018-19" for a whole financial year: for the audit entry.
std::string PeriodName(int financial_year, int quarter) {
  const std::string first = FormatQuarter({financial_year, quarter == 0 ? 1 : quarter});
  return quarter == 0 ? first.substr(0, first.find('Q')) : first;
}

}  // namespace

void FeedbackCore::ListQuotes(const Principal& caller, const v1::ListQuotesRequest& request,
                              Reply<v1::ListQuotesResponse> reply) {
  if (!Permits(caller, "ListQuotes", reply)) return;
  const bool candidates = request.include_candidates();
  if (candidates && caller.role != v1::ROLE_QA_MANAGER) {
    return std::move(reply)(absl::PermissionDeniedError(
        "include_candidates: only a qa_manager may see quotes that are not approved"));
  }
  if (request.financial_year() == 0) {
    return std::move(reply)(absl::InvalidArgumentError("financial_year: must be set"));
  }
  // quarter unset: the whole financial year.
  const Quarter first{request.financial_year(), request.quarter() == 0 ? 1 : request.quarter()};
  const Quarter last{request.financial_year(), request.quarter() == 0 ? 4 : request.quarter()};
  if (absl::Status valid = ValidateQuarter(first); !valid.ok()) return std::move(reply)(valid);
  absl::StatusOr<QuoteListing> listing =
      feedback::ListQuotes(*store_, *redactor_, calendar_, first, last, candidates);
  if (!listing.ok()) return std::move(reply)(listing.status());
  v1::ListQuotesResponse response;
  for (v1::Quote& quote : listing->quotes) *response.add_quotes() = std::move(quote);
  if (listing->candidate_ids.empty()) return std::move(reply)(std::move(response));
  AuditThenReply(*writer_, caller,
                 AuditEvent("quote.candidates.read", std::move(listing->candidate_ids),
                            PeriodName(request.financial_year(), request.quarter())),
                 std::move(response), std::move(reply));
}

void FeedbackCore::ApproveQuote(const Principal& caller, const v1::ApproveQuoteRequest& request,
                                Reply<v1::Quote> reply) {
  if (!Permits(caller, "ApproveQuote", reply)) return;
  if (absl::Status valid = ValidateApproveQuote(request, *redactor_); !valid.ok()) {
    return std::move(reply)(valid);
  }
  WriteThenReply(*writer_, ApproveQuoteOp(request, *redactor_, caller, absl::Now()),
                 std::move(reply), [](v1::Quote& quote) { return std::move(quote); });
}

void FeedbackCore::WithdrawQuote(const Principal& caller, const v1::WithdrawQuoteRequest& request,
                                 Reply<v1::Quote> reply) {
  if (!Permits(caller, "WithdrawQuote", reply)) return;
  if (request.feedback_id().empty()) {
    return std::move(reply)(absl::InvalidArgumentError("feedback_id: must be set"));
  }
  WriteThenReply(*writer_, WithdrawQuoteOp(request.feedback_id(), *redactor_, caller, absl::Now()),
                 std::move(reply), [](v1::Quote& quote) { return std::move(quote); });
}

}  // namespace feedback
