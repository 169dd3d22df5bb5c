#include "service/ops/quote_listing.h"

#include "proto/vocabulary/status_macros.h"
#include "service/ops/quotes.h"

namespace feedback {
namespace {

// Consented items are listed from the time index a page at a time.
constexpr int kQuotePageSize = 500;

}  // namespace

absl::StatusOr<QuoteListing> ListQuotes(const storage::FeedbackStore& store,
                                        const Redactor& redactor, const QuarterCalendar& calendar,
                                        Quarter first, Quarter last, bool include_candidates) {
  storage::ListQuery query;
  query.from_micros = absl::ToUnixMicros(calendar.Start(first));
  query.to_micros = absl::ToUnixMicros(calendar.End(last));
  query.tag = "consent_to_quote";
  query.limit = kQuotePageSize;
  QuoteListing listing;
  do {
    ASSIGN_OR_RETURN(const storage::ListPage page, store.List(query));
    for (const v1::Feedback& item : page.items) {
      // Consent and erasure are checked on every read, so a stored approval never outlives them.
      if (!IsQuotable(item)) continue;
      absl::StatusOr<std::string> stored = store.GetEntity(QuoteKey(item.id()));
      if (stored.ok()) {
        ASSIGN_OR_RETURN(v1::Quote quote, ParseQuote(*stored));
        listing.quotes.push_back(std::move(quote));
      } else if (!absl::IsNotFound(stored.status())) {
        return stored.status();
      } else if (include_candidates) {
        listing.quotes.push_back(CandidateQuote(item, redactor));
        listing.candidate_ids.push_back(item.id());
      }
    }
    query.cursor = page.next_cursor;
  } while (!query.cursor.empty());
  return listing;
}

}  // namespace feedback
