#include "service/domain/working_days.h"

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace working_days_test {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Expectations are written from the published gov.uk list of England's bank holidays and a
// calendar, never from the code under test.
WorkingDays BuiltIn() {
  absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
  EXPECT_OK(days);
  return *std::move(days);
}

TEST(WorkingDays, WeekendsAreNotWorkingDays) {
  const WorkingDays days = BuiltIn();
  EXPECT_FALSE(days.IsWorkingDay(absl::CivilDay(2018, 12, 22)));  // Saturday
  EXPECT_FALSE(days.IsWorkingDay(absl::CivilDay(2018, 12, 23)));  // Sunday
  EXPECT_FALSE(days.IsWorkingDay(absl::CivilDay(2019, 6, 1)));    // Saturday
  EXPECT_FALSE(days.IsWorkingDay(absl::CivilDay(2019, 6, 2)));    // Sunday
}

TEST(WorkingDays, OrdinaryWeekdaysAreWorkingDays) {
  const WorkingDays days = BuiltIn();
  EXPECT_TRUE(days.IsWorkingDay(absl::CivilDay(2018, 12, 21)));  // Friday
  EXPECT_TRUE(days.IsWorkingDay(absl::CivilDay(2018, 12, 24)));  // Christmas Eve, a Monday
  EXPECT_TRUE(days.IsWorkingDay(absl::CivilDay(2019, 1, 2)));    // Wednesday
  EXPECT_TRUE(days.IsWorkingDay(absl::CivilDay(2020, 5, 4)));    // May day moved to 8 May
}

TEST(WorkingDays, EnglandBankHolidaysAreNotWorkingDays) {
  const WorkingDays days = BuiltIn();
  for (const absl::CivilDay holiday : {
           absl::CivilDay(2018, 12, 25),  // Christmas Day
           absl::CivilDay(2018, 12, 26),  // Boxing Day
           absl::CivilDay(2019, 1, 1),    // New Year's Day
           absl::CivilDay(2019, 4, 19),   // Good Friday
           absl::CivilDay(2019, 4, 22),   // Easter Monday
           absl::CivilDay(2020, 5, 8),    // Early May bank holiday moved for VE day
           absl::CivilDay(2022, 6, 3),    // Platinum Jubilee
           absl::CivilDay(2022, 9, 19),   // State Funeral of Queen Elizabeth II
           absl::CivilDay(2023, 5, 8),    // Coronation of King Charles III
       }) {
    SCOPED_TRACE(absl::FormatCivilTime(holiday));
    EXPECT_FALSE(days.IsWorkingDay(holiday));
  }
}

TEST(WorkingDays, AddZeroIsTheSameDay) {
  const WorkingDays days = BuiltIn();
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2019, 6, 5), 0), absl::CivilDay(2019, 6, 5));
}

TEST(WorkingDays, AddFromFridaySkipsTheWeekend) {
  const WorkingDays days = BuiltIn();
  // Friday 7 June 2019: the next working day is Monday 10 June.
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2019, 6, 7), 1), absl::CivilDay(2019, 6, 10));
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2019, 6, 7), 5), absl::CivilDay(2019, 6, 14));
  // From a Saturday or Sunday, Monday is the first.
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2019, 6, 8), 1), absl::CivilDay(2019, 6, 10));
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2019, 6, 9), 1), absl::CivilDay(2019, 6, 10));
}

TEST(WorkingDays, AddOverEasterSkipsGoodFridayAndEasterMonday) {
  const WorkingDays days = BuiltIn();
  // Thursday 18 April 2019, then Good Friday, the weekend and Easter Monday.
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2019, 4, 18), 1), absl::CivilDay(2019, 4, 23));
}

TEST(WorkingDays, TenWorkingDaysOverChristmasAndNewYear) {
  const WorkingDays days = BuiltIn();
  // From Thursday 20 December 2018: 21, 24, 27, 28, 31 December, 2, 3, 4, 7, 8 January
  // (25 and 26 December and 1 January are bank holidays).
  EXPECT_EQ(days.AddWorkingDays(absl::CivilDay(2018, 12, 20), 10), absl::CivilDay(2019, 1, 8));
}

TEST(WorkingDays, ParseRejectsABadLineNamingSourceAndLine) {
  absl::StatusOr<WorkingDays> days =
      WorkingDays::Parse("# holidays\n2019-01-01 New Year\n25/12/2019 Christmas\n", "test.txt");
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(days.status().message(),
              AllOf(HasSubstr("test.txt"), HasSubstr("line 3"), HasSubstr("25/12/2019")));
}

TEST(WorkingDays, ParseRejectsAnImpossibleDate) {
  absl::StatusOr<WorkingDays> days = WorkingDays::Parse("2019-02-30\n", "test.txt");
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(days.status().message(), AllOf(HasSubstr("test.txt"), HasSubstr("line 1")));
}

TEST(WorkingDays, ParseRejectsAListWithoutDates) {
  absl::StatusOr<WorkingDays> days = WorkingDays::Parse("# only a comment\n\n", "empty.txt");
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(days.status().message(), HasSubstr("empty.txt"));
}

TEST(WorkingDays, ParseAcceptsCommentsDescriptionsAndCrLf) {
  absl::StatusOr<WorkingDays> days = WorkingDays::Parse(
      "# comment\r\n  2019-01-02\tA holiday # trailing\r\n\r\n2019-01-03\r\n", "crlf.txt");
  ASSERT_OK(days);
  EXPECT_FALSE(days->IsWorkingDay(absl::CivilDay(2019, 1, 2)));
  EXPECT_FALSE(days->IsWorkingDay(absl::CivilDay(2019, 1, 3)));
  EXPECT_TRUE(days->IsWorkingDay(absl::CivilDay(2019, 1, 4)));
  EXPECT_EQ(days->first_listed(), absl::CivilDay(2019, 1, 2));
  EXPECT_EQ(days->last_listed(), absl::CivilDay(2019, 1, 3));
}

TEST(WorkingDays, BuiltInListCovers2015To2030) {
  const WorkingDays days = BuiltIn();
  EXPECT_EQ(days.first_listed(), absl::CivilDay(2015, 1, 1));
  EXPECT_EQ(days.last_listed(), absl::CivilDay(2030, 12, 26));
  EXPECT_FALSE(days.IsWorkingDay(absl::CivilDay(2015, 4, 3)));    // Good Friday 2015
  EXPECT_FALSE(days.IsWorkingDay(absl::CivilDay(2030, 12, 25)));  // Christmas Day 2030
}

TEST(WorkingDays, LoadOfAReplacementFileUsesOnlyItsHolidays) {
  testing::TempDir dir;
  const std::string path = dir.Sub("holidays.txt");
  {
    std::ofstream out(path);
    out << "# a made-up list\n2019-01-02  Extra holiday\n";
  }
  absl::StatusOr<WorkingDays> days = WorkingDays::Load(path);
  ASSERT_OK(days);
  EXPECT_FALSE(days->IsWorkingDay(absl::CivilDay(2019, 1, 2)));
  // The built-in holidays are gone.
  EXPECT_TRUE(days->IsWorkingDay(absl::CivilDay(2018, 12, 25)));
  EXPECT_TRUE(days->IsWorkingDay(absl::CivilDay(2019, 1, 1)));
  EXPECT_FALSE(days->IsWorkingDay(absl::CivilDay(2018, 12, 29)));  // still a Saturday
  EXPECT_EQ(days->first_listed(), absl::CivilDay(2019, 1, 2));
  EXPECT_EQ(days->last_listed(), absl::CivilDay(2019, 1, 2));
  // Monday 31 December 2018: the next working day is Tuesday 1 January, then 3 January.
  EXPECT_EQ(days->AddWorkingDays(absl::CivilDay(2018, 12, 31), 2), absl::CivilDay(2019, 1, 3));
}

TEST(WorkingDays, LoadOfAMissingFileFailsNamingIt) {
  testing::TempDir dir;
  const std::string path = dir.Sub("absent.txt");
  absl::StatusOr<WorkingDays> days = WorkingDays::Load(path);
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(days.status().message(), HasSubstr(path));
}

TEST(WorkingDays, LoadOfABadFileNamesThePathAndLine) {
  testing::TempDir dir;
  const std::string path = dir.Sub("bad.txt");
  {
    std::ofstream out(path);
    out << "2019-01-02\nnot a date\n";
  }
  absl::StatusOr<WorkingDays> days = WorkingDays::Load(path);
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(days.status().message(), AllOf(HasSubstr(path), HasSubstr("line 2")));
}

}  // namespace working_days_test
}  // namespace
}  // namespace feedback
