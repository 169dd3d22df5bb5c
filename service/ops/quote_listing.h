// The quotes of a period (ListQuotes): approved ones as stored, and candidates for QA staff.
#ifndef FEEDBACK_SERVICE_OPS_QUOTE_LISTING_H_
#define FEEDBACK_SERVICE_OPS_QUOTE_LISTING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/redaction.h"
#include "storage/feedback_store.h"

namespace feedback {

struct QuoteListing {
  std::vector<v1::Quote> quotes;  // newest item first
  // The items whose (redacted) words are among `quotes` as candidates: a read to audit.
  std::vector<std::string> candidate_ids;
};

// The quotes of the items that occurred from the start of `first` to the end of `last`: every
// approved quote of an item that may still be quoted (IsQuotable: consent and erasure are
// checked on every read, so a stored approval never outlives them), and, if
// `include_candidates`, a redacted candidate (CandidateQuote) for every other quotable item.
// Reads the time index a page at a time. DATA_LOSS if a stored quote does not parse.
[[nodiscard]] absl::StatusOr<QuoteListing> ListQuotes(const storage::FeedbackStore& store,
                                                      const Redactor& redactor,
                                                      const QuarterCalendar& calendar,
                                                      Quarter first, Quarter last,
                                                      bool include_candidates);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_QUOTE_LISTING_H_
