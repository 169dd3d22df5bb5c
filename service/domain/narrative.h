// The quarterly report's narrative: staff-written text attached to a quarter and a section
// (NarrativeSection), kept as an append-only history of versions (service/ops/narrative.h), and
// the report's title parts from the server's configuration.
#ifndef FEEDBACK_SERVICE_DOMAIN_NARRATIVE_H_
#define FEEDBACK_SERVICE_DOMAIN_NARRATIVE_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// Largest accepted narrative text, in bytes of UTF-8.
inline constexpr size_t kMaxNarrativeBytes = 16 * 1024;
// Largest accepted title part (feedbackd --council-name, --division-title), in bytes.
inline constexpr size_t kMaxTitlePartBytes = 200;

// The report's title parts, from feedbackd's flags. Default: empty, a generic title.
struct ReportTitle {
  std::string council_name;    // e.g. "Leicester City Council"
  std::string division_title;  // e.g. "Children's Social Care and Early Help Division"
};

// OK, or INVALID_ARGUMENT naming the field: financial_year 2000..2100 and quarter 1..4;
// section a known, specified NarrativeSection; text valid UTF-8 of at most kMaxNarrativeBytes
// with no control character but newline and tab (empty is allowed: it clears the section);
// submission_id a UUID.
[[nodiscard]] absl::Status ValidateSetNarrative(const v1::SetNarrativeRequest& request);

// OK, or INVALID_ARGUMENT naming the field: a quarter as above; section unspecified (every
// section) or a known one.
[[nodiscard]] absl::Status ValidateGetNarrative(const v1::GetNarrativeRequest& request);

// OK, or INVALID_ARGUMENT naming the flag: valid UTF-8, at most kMaxTitlePartBytes, no control
// character. `flag` is e.g. "--council-name".
[[nodiscard]] absl::Status ValidateTitlePart(const std::string& flag, const std::string& text);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_NARRATIVE_H_
