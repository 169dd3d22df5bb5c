// Working days for the complaints procedure: Monday to Friday, less bank holidays in England.
#ifndef FEEDBACK_SERVICE_DOMAIN_WORKING_DAYS_H_
#define FEEDBACK_SERVICE_DOMAIN_WORKING_DAYS_H_

#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace feedback {

// Immutable, so thread-safe.
class WorkingDays {
 public:
  // Parses a holiday list: one YYYY-MM-DD per line, then optional text; '#' starts a comment.
  // INVALID_ARGUMENT naming `source` and the line for anything else.
  [[nodiscard]] static absl::StatusOr<WorkingDays> Parse(std::string_view text,
                                                         std::string_view source);
  // The list shipped in the binary (service/data/england-bank-holidays.txt, 2015-2030), or the
  // file at `path` when it is not empty.
  [[nodiscard]] static absl::StatusOr<WorkingDays> Load(const std::string& path);

  bool IsWorkingDay(absl::CivilDay day) const;
  // The `count`-th working day after `from` (`from` itself does not count).
  // REQUIRES: count >= 0.
  absl::CivilDay AddWorkingDays(absl::CivilDay from, int count) const;

  absl::CivilDay first_listed() const { return *holidays_.begin(); }
  absl::CivilDay last_listed() const { return *holidays_.rbegin(); }

 private:
  explicit WorkingDays(std::set<absl::CivilDay> holidays) : holidays_(std::move(holidays)) {}
  std::set<absl::CivilDay> holidays_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_WORKING_DAYS_H_
