#include "proto/vocabulary/quarter.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace feedback {
namespace {

constexpr int kMinFinancialYear = 2000;
constexpr int kMaxFinancialYear = 2200;

// The calendar month (1..12) and year in which a quarter starts.
absl::CivilMonth FirstMonth(Quarter quarter) {
  return absl::CivilMonth(quarter.financial_year, 4) + 3 * (quarter.quarter - 1);
}

absl::Status BadQuarterText(std::string_view text, std::string_view field) {
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": \"", std::string(text),
                   "\" is not a quarter; write the financial year and quarter as 2018-19Q3"));
}

// True if `digits` is all decimal digits; sets `value`.
bool ParseDigits(std::string_view digits, int& value) {
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc() && end == digits.data() + digits.size() &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::StatusOr<Quarter> ParseQuarter(std::string_view text, std::string_view field) {
  // YYYY-YYQn: exactly 9 characters.
  if (text.size() != 9 || text[4] != '-' || (text[7] != 'Q' && text[7] != 'q')) {
    return BadQuarterText(text, field);
  }
  int year = 0, next_year = 0, quarter = 0;
  if (!ParseDigits(text.substr(0, 4), year) || !ParseDigits(text.substr(5, 2), next_year) ||
      !ParseDigits(text.substr(8, 1), quarter)) {
    return BadQuarterText(text, field);
  }
  if (next_year != (year + 1) % 100) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: \"%s\": a financial year starting in %d ends in %02d", field, text,
                        year, (year + 1) % 100));
  }
  const Quarter parsed{year, quarter};
  if (absl::Status valid = ValidateQuarter(parsed); !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": \"", std::string(text), "\": ", valid.message()));
  }
  return parsed;
}

std::string FormatQuarter(Quarter quarter) {
  return absl::StrFormat("%04d-%02dQ%d", quarter.financial_year, (quarter.financial_year + 1) % 100,
                         quarter.quarter);
}

absl::Status ValidateQuarter(Quarter quarter) {
  if (quarter.financial_year < kMinFinancialYear || quarter.financial_year > kMaxFinancialYear) {
    return absl::InvalidArgumentError(absl::StrCat("financial_year: ", quarter.financial_year,
                                                   " is outside ", kMinFinancialYear, "..",
                                                   kMaxFinancialYear));
  }
  if (quarter.quarter < 1 || quarter.quarter > 4) {
    return absl::InvalidArgumentError(
        absl::StrCat("quarter: ", quarter.quarter, " is not 1, 2, 3 or 4"));
  }
  return absl::OkStatus();
}

Quarter PreviousQuarter(Quarter quarter) {
  if (quarter.quarter == 1) return Quarter{quarter.financial_year - 1, 4};
  return Quarter{quarter.financial_year, quarter.quarter - 1};
}

absl::StatusOr<QuarterCalendar> QuarterCalendar::Load() {
  absl::TimeZone london;
  if (!absl::LoadTimeZone("Europe/London", &london)) {
    return absl::FailedPreconditionError(
        "time zone Europe/London is not in the system time-zone database (install tzdata)");
  }
  return QuarterCalendar(london);
}

Quarter QuarterCalendar::QuarterOf(absl::Time instant) const {
  // Nearly every call on a thread falls in the quarter of the call before (each submission's
  // counters are keyed by its quarter), so each thread keeps that quarter's bounds and reads the
  // zone's rules only outside them: the reading was about a seventh of a submission's counting.
  struct Known {
    absl::TimeZone zone;
    absl::Time start = absl::InfiniteFuture();
    absl::Time end = absl::InfinitePast();
    Quarter quarter;
  };
  thread_local Known known;
  if (instant >= known.start && instant < known.end && known.zone == zone_) return known.quarter;
  const Quarter quarter = ReadQuarterOf(instant);
  known = {.zone = zone_, .start = Start(quarter), .end = End(quarter), .quarter = quarter};
  return quarter;
}

Quarter QuarterCalendar::ReadQuarterOf(absl::Time instant) const {
  const absl::CivilMonth month(absl::ToCivilDay(instant, zone_));
  // Months since April of the financial year's start.
  const int from_april = static_cast<int>((month.month() + 12 - 4) % 12);
  const int financial_year = static_cast<int>(month.month() >= 4 ? month.year() : month.year() - 1);
  return Quarter{financial_year, from_april / 3 + 1};
}

absl::Time QuarterCalendar::Start(Quarter quarter) const {
  return absl::FromCivil(absl::CivilDay(FirstMonth(quarter)), zone_);
}

absl::Time QuarterCalendar::End(Quarter quarter) const {
  return absl::FromCivil(absl::CivilDay(FirstMonth(quarter) + 3), zone_);
}

}  // namespace feedback
