// The UK local-authority financial calendar: years start on 1 April, quarters are Apr-Jun (Q1),
// Jul-Sep (Q2), Oct-Dec (Q3) and Jan-Mar (Q4), and every edge is local midnight in
// Europe/London (so 00:30 BST on 1 October is Q3, although it is still 30 September in UTC).
#ifndef FEEDBACK_PROTO_VOCABULARY_QUARTER_H_
#define FEEDBACK_PROTO_VOCABULARY_QUARTER_H_

#include <compare>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace feedback {

// financial_year is the calendar year in which the financial year starts: {2018, 3} is
// "2018-19Q3", October to December 2018.
struct Quarter {
  int financial_year = 0;
  int quarter = 0;  // 1..4

  auto operator<=>(const Quarter&) const = default;
};

// Parses the written form "2018-19Q3" (the "-19" must be the following year). INVALID_ARGUMENT
// naming `field` otherwise.
[[nodiscard]] absl::StatusOr<Quarter> ParseQuarter(std::string_view text,
                                                   std::string_view field = "quarter");

// "2018-19Q3".
std::string FormatQuarter(Quarter quarter);

// OK if financial_year is 2000..2200 and quarter 1..4; otherwise INVALID_ARGUMENT naming the field.
[[nodiscard]] absl::Status ValidateQuarter(Quarter quarter);

Quarter PreviousQuarter(Quarter quarter);

// Maps instants to quarters and back. Immutable once made, so thread-safe.
class QuarterCalendar {
 public:
  // Loads Europe/London from the system time-zone database (Debian's tzdata). Fails, rather
  // than silently using UTC, when the zone is missing.
  [[nodiscard]] static absl::StatusOr<QuarterCalendar> Load();

  // The quarter containing `instant`.
  Quarter QuarterOf(absl::Time instant) const;

  // The first instant of the quarter (local midnight on its first day).
  absl::Time Start(Quarter quarter) const;
  // The first instant after the quarter: Start() of the next one.
  absl::Time End(Quarter quarter) const;

  absl::TimeZone zone() const { return zone_; }

 private:
  explicit QuarterCalendar(absl::TimeZone zone) : zone_(zone) {}
  // QuarterOf, from the zone's rules.
  Quarter ReadQuarterOf(absl::Time instant) const;
  absl::TimeZone zone_;
};

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_QUARTER_H_
