#include "service/domain/working_days.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace feedback {

extern const char kEnglandBankHolidays[];  // generated from data/england-bank-holidays.txt

absl::StatusOr<WorkingDays> WorkingDays::Parse(std::string_view text, std::string_view source) {
  std::set<absl::CivilDay> holidays;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const absl::string_view date = line.substr(0, line.find_first_of(" \t"));
    absl::CivilDay day;
    if (date.size() != 10 || !absl::ParseCivilTime(date, &day)) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(source), " line ", line_number,
                                                     ": \"", date, "\" is not a YYYY-MM-DD date"));
    }
    holidays.insert(day);
  }
  if (holidays.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(source), ": no dates"));
  }
  return WorkingDays(std::move(holidays));
}

absl::StatusOr<WorkingDays> WorkingDays::Load(const std::string& path) {
  if (path.empty()) return Parse(kEnglandBankHolidays, "built-in England bank holidays");
  std::ifstream in(path);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat("bank holidays file ", path, ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

bool WorkingDays::IsWorkingDay(absl::CivilDay day) const {
  const absl::Weekday weekday = absl::GetWeekday(day);
  if (weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday) return false;
  return !holidays_.contains(day);
}

absl::CivilDay WorkingDays::AddWorkingDays(absl::CivilDay from, int count) const {
  absl::CivilDay day = from;
  for (int counted = 0; counted < count;) {
    ++day;
    if (IsWorkingDay(day)) ++counted;
  }
  return day;
}

}  // namespace feedback
