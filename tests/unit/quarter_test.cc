#include "proto/vocabulary/quarter.h"

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {

// Readable failure output for Quarter (internal linkage, found by ADL).
static void PrintTo(const Quarter& quarter, std::ostream* os) {
  *os << "{" << quarter.financial_year << ", Q" << quarter.quarter << "}";
}

namespace {
namespace quarter_test {

using ::testing::HasSubstr;

// An instant written in UTC. Every expectation below is derived by hand from the UK clock rules
// (GMT = UTC+0; BST = UTC+1 from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
// Sunday of October), never from the code under test.
absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

constexpr absl::Duration kTick = absl::Nanoseconds(1);

struct Edge {
  Quarter quarter;  // the quarter that starts at `start`
  absl::Time start;
};

// Consecutive quarter edges. 1 April, 1 July and 1 October are always in BST (the clocks go
// forward on or before 31 March and back on or after 25 October), so local midnight is 23:00 UTC
// the day before; 1 January is GMT, so local midnight is 00:00 UTC.
std::vector<Edge> ConsecutiveEdges() {
  return {
      {{2017, 4}, Utc(2018, 1, 1, 0)},    // GMT
      {{2018, 1}, Utc(2018, 3, 31, 23)},  // BST since 2018-03-25
      {{2018, 2}, Utc(2018, 6, 30, 23)},  // BST
      {{2018, 3}, Utc(2018, 9, 30, 23)},  // BST until 2018-10-28
      {{2018, 4}, Utc(2019, 1, 1, 0)},    // GMT
      {{2019, 1}, Utc(2019, 3, 31, 23)},  // BST since 01:00 UTC that same day
      {{2019, 2}, Utc(2019, 6, 30, 23)},  // BST
      {{2019, 3}, Utc(2019, 9, 30, 23)},  // BST until 2019-10-27
      {{2019, 4}, Utc(2020, 1, 1, 0)},    // GMT
      {{2020, 1}, Utc(2020, 3, 31, 23)},  // BST since 2020-03-29
  };
}

TEST(QuarterCalendar, LoadsEuropeLondon) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  EXPECT_EQ(calendar->zone().name(), "Europe/London");
}

TEST(QuarterCalendar, StartIsLocalMidnightAtEveryEdge) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  for (const Edge& edge : ConsecutiveEdges()) {
    SCOPED_TRACE(::testing::PrintToString(edge.quarter));
    EXPECT_EQ(calendar->Start(edge.quarter), edge.start);
  }
}

TEST(QuarterCalendar, EndIsStartOfTheNextQuarter) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  const std::vector<Edge> edges = ConsecutiveEdges();
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    SCOPED_TRACE(::testing::PrintToString(edges[i].quarter));
    EXPECT_EQ(calendar->End(edges[i].quarter), edges[i + 1].start);
    EXPECT_EQ(calendar->End(edges[i].quarter), calendar->Start(edges[i + 1].quarter));
  }
}

TEST(QuarterCalendar, QuarterOfJustBeforeAndAtEveryEdge) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  const std::vector<Edge> edges = ConsecutiveEdges();
  for (size_t i = 1; i < edges.size(); ++i) {
    SCOPED_TRACE(::testing::PrintToString(edges[i].quarter));
    EXPECT_EQ(calendar->QuarterOf(edges[i].start - kTick), edges[i - 1].quarter);
    EXPECT_EQ(calendar->QuarterOf(edges[i].start - absl::Seconds(1)), edges[i - 1].quarter);
    EXPECT_EQ(calendar->QuarterOf(edges[i].start), edges[i].quarter);
    EXPECT_EQ(calendar->QuarterOf(edges[i].start + absl::Minutes(30)), edges[i].quarter);
  }
}

// QuarterOf remembers the last quarter it found: an instant just before it, or at its end, is
// another quarter's, in whichever order they are asked.
TEST(QuarterCalendar, QuarterOfBackAndForthAcrossEveryEdge) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  const std::vector<Edge> edges = ConsecutiveEdges();
  for (size_t i = 1; i < edges.size(); ++i) {
    SCOPED_TRACE(::testing::PrintToString(edges[i].quarter));
    EXPECT_EQ(calendar->QuarterOf(edges[i].start), edges[i].quarter);
    EXPECT_EQ(calendar->QuarterOf(edges[i].start - kTick), edges[i - 1].quarter);
    EXPECT_EQ(calendar->QuarterOf(edges[i].start), edges[i].quarter);
    EXPECT_EQ(calendar->QuarterOf(edges[i - 1].start - kTick).quarter,
              edges[i - 1].quarter.quarter == 1 ? 4 : edges[i - 1].quarter.quarter - 1);
  }
}

TEST(QuarterCalendar, HalfPastMidnightBstOnFirstOctoberIsQ3) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  // 00:30 BST on 1 October 2018 = 23:30 UTC on 30 September: 2018-19 Q3.
  EXPECT_EQ(calendar->QuarterOf(Utc(2018, 9, 30, 23, 30)), (Quarter{2018, 3}));
  // 23:30 BST on 30 September = 22:30 UTC: still Q2.
  EXPECT_EQ(calendar->QuarterOf(Utc(2018, 9, 30, 22, 30)), (Quarter{2018, 2}));
}

TEST(QuarterCalendar, BstEdgesAreAnHourBeforeUtcMidnight) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  // 23:30 UTC on 30 June = 00:30 BST on 1 July: Q2. 23:30 UTC on 31 March = 00:30 BST 1 April.
  EXPECT_EQ(calendar->QuarterOf(Utc(2018, 6, 30, 23, 30)), (Quarter{2018, 2}));
  EXPECT_EQ(calendar->QuarterOf(Utc(2018, 3, 31, 23, 30)), (Quarter{2018, 1}));
  EXPECT_EQ(calendar->QuarterOf(Utc(2019, 3, 31, 23, 30)), (Quarter{2019, 1}));
  // 1 January is GMT: 23:30 UTC on 31 December is still 2018-19 Q3.
  EXPECT_EQ(calendar->QuarterOf(Utc(2018, 12, 31, 23, 30)), (Quarter{2018, 3}));
  EXPECT_EQ(calendar->QuarterOf(Utc(2018, 12, 31, 23, 59, 59)), (Quarter{2018, 3}));
}

TEST(QuarterCalendar, StartOfQ4Is1JanuaryMidnightUtc) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  EXPECT_EQ(calendar->Start({2018, 4}), Utc(2019, 1, 1));
  EXPECT_EQ(calendar->End({2018, 3}), Utc(2019, 1, 1));
}

TEST(QuarterCalendar, SpringForwardDayInQ4) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  // 2018-03-25: 01:00 GMT jumps to 02:00 BST at 01:00 UTC. All of it is 2017-18 Q4.
  for (absl::Time instant :
       {Utc(2018, 3, 25, 0, 59, 59), Utc(2018, 3, 25, 1), Utc(2018, 3, 25, 1, 30),
        Utc(2018, 3, 25, 2), Utc(2018, 3, 25, 22, 59, 59)}) {
    SCOPED_TRACE(absl::FormatTime(instant));
    EXPECT_EQ(calendar->QuarterOf(instant), (Quarter{2017, 4}));
  }
}

TEST(QuarterCalendar, SpringForwardOnTheLastDayOfTheYear) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  // 2019-03-31: the clocks go forward at 01:00 UTC, so that day is 23 hours long and the new
  // financial year starts at 23:00 UTC (midnight BST on 1 April).
  for (absl::Time instant : {Utc(2019, 3, 31, 0, 59, 59), Utc(2019, 3, 31, 1),
                             Utc(2019, 3, 31, 1, 30), Utc(2019, 3, 31, 2), Utc(2019, 3, 31, 12),
                             Utc(2019, 3, 31, 22, 59, 59), Utc(2019, 3, 31, 23) - kTick}) {
    SCOPED_TRACE(absl::FormatTime(instant));
    EXPECT_EQ(calendar->QuarterOf(instant), (Quarter{2018, 4}));
  }
  EXPECT_EQ(calendar->QuarterOf(Utc(2019, 3, 31, 23)), (Quarter{2019, 1}));
  EXPECT_EQ(calendar->End({2018, 4}), Utc(2019, 3, 31, 23));
  EXPECT_EQ(calendar->Start({2019, 1}), Utc(2019, 3, 31, 23));
  // The same happened in 2024.
  EXPECT_EQ(calendar->Start({2024, 1}), Utc(2024, 3, 31, 23));
  EXPECT_EQ(calendar->QuarterOf(Utc(2024, 3, 31, 22, 59, 59)), (Quarter{2023, 4}));
  EXPECT_EQ(calendar->QuarterOf(Utc(2024, 3, 31, 23)), (Quarter{2024, 1}));
}

TEST(QuarterCalendar, FallBackDayInQ3) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  // 2018-10-28: 02:00 BST falls back to 01:00 GMT at 01:00 UTC; 01:xx local happens twice.
  for (absl::Time instant :
       {Utc(2018, 10, 27, 23), Utc(2018, 10, 28, 0, 30), Utc(2018, 10, 28, 1) - kTick,
        Utc(2018, 10, 28, 1), Utc(2018, 10, 28, 1, 30), Utc(2018, 10, 28, 2),
        Utc(2018, 10, 28, 23, 59, 59)}) {
    SCOPED_TRACE(absl::FormatTime(instant));
    EXPECT_EQ(calendar->QuarterOf(instant), (Quarter{2018, 3}));
  }
}

TEST(QuarterCalendar, EdgesAtTheEndsOfTheValidRange) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  EXPECT_EQ(calendar->Start({2000, 1}), Utc(2000, 3, 31, 23));  // BST since 2000-03-26
  EXPECT_EQ(calendar->QuarterOf(Utc(2000, 3, 31, 23)), (Quarter{2000, 1}));
  EXPECT_EQ(calendar->QuarterOf(Utc(2000, 3, 31, 23) - kTick), (Quarter{1999, 4}));
  EXPECT_EQ(calendar->Start({2099, 4}), Utc(2100, 1, 1));
  EXPECT_EQ(calendar->End({2099, 4}), Utc(2100, 3, 31, 23));  // BST since 2100-03-28
  EXPECT_EQ(calendar->QuarterOf(Utc(2100, 3, 31, 22, 59, 59)), (Quarter{2099, 4}));
  EXPECT_EQ(calendar->QuarterOf(Utc(2100, 3, 31, 23)), (Quarter{2100, 1}));
}

TEST(QuarterCalendar, StartOfEveryQuarterMapsBackToItself) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  for (int year = 2000; year <= 2200; ++year) {
    for (int q = 1; q <= 4; ++q) {
      const Quarter quarter{year, q};
      ASSERT_EQ(calendar->QuarterOf(calendar->Start(quarter)), quarter);
      ASSERT_EQ(calendar->QuarterOf(calendar->End(quarter) - kTick), quarter);
      ASSERT_EQ(calendar->End(quarter),
                calendar->Start(q == 4 ? Quarter{year + 1, 1} : Quarter{year, q + 1}));
    }
  }
}

TEST(ParseQuarter, ParsesTheWrittenForm) {
  absl::StatusOr<Quarter> parsed = ParseQuarter("2018-19Q3");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, (Quarter{2018, 3}));

  parsed = ParseQuarter("2019-20Q4");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, (Quarter{2019, 4}));

  parsed = ParseQuarter("2000-01Q1");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, (Quarter{2000, 1}));
}

TEST(ParseQuarter, AcceptsCenturyRollover) {
  // (2099 + 1) % 100 == 0.
  absl::StatusOr<Quarter> parsed = ParseQuarter("2099-00Q1");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, (Quarter{2099, 1}));
  EXPECT_EQ(FormatQuarter({2099, 1}), "2099-00Q1");

  parsed = ParseQuarter("2199-00Q4");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, (Quarter{2199, 4}));

  parsed = ParseQuarter("2200-01Q4");
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, (Quarter{2200, 4}));
}

TEST(ParseQuarter, RejectsMalformedTextNamingTheField) {
  for (const char* text :
       {"2018-20Q3", "2018-19Q5",  "2018-19Q0",   "18-19Q3",    "2018/19Q3",  "",
        "1999-00Q1", "2201-02Q1",  "2018-19Q3x",  "2018-19Q3 ", " 2018-19Q3", "2018-19Q",
        "2018-19",   "2018-19 Q3", "2018-2019Q3", "2018-19Q+",  "+018-19Q3",  "2018-+9Q3",
        "2018--1Q3", "abcd-efQg",  "2018-19Q33",  "2017-19Q3",  "2018-18Q3"}) {
    SCOPED_TRACE(text);
    absl::StatusOr<Quarter> parsed = ParseQuarter(text, "report_quarter");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("report_quarter"));
  }
}

TEST(ParseQuarter, DefaultFieldNameIsQuarter) {
  absl::StatusOr<Quarter> parsed = ParseQuarter("2018/19Q3");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("quarter"));
}

TEST(FormatQuarter, WritesTheFinancialYearAndQuarter) {
  EXPECT_EQ(FormatQuarter({2018, 3}), "2018-19Q3");
  EXPECT_EQ(FormatQuarter({2000, 1}), "2000-01Q1");
  EXPECT_EQ(FormatQuarter({2009, 4}), "2009-10Q4");
  EXPECT_EQ(FormatQuarter({2099, 2}), "2099-00Q2");
}

TEST(FormatQuarter, RoundTripsThroughParseQuarter) {
  for (int year = 2000; year <= 2200; ++year) {
    for (int q = 1; q <= 4; ++q) {
      const Quarter quarter{year, q};
      absl::StatusOr<Quarter> parsed = ParseQuarter(FormatQuarter(quarter));
      ASSERT_OK(parsed);
      ASSERT_EQ(*parsed, quarter);
    }
  }
}

TEST(ValidateQuarter, AcceptsYears2000To2200AndQuarters1To4) {
  EXPECT_EQ(ValidateQuarter({2000, 1}), absl::OkStatus());
  EXPECT_EQ(ValidateQuarter({2018, 3}), absl::OkStatus());
  EXPECT_EQ(ValidateQuarter({2200, 4}), absl::OkStatus());
}

TEST(ValidateQuarter, RejectsOutOfRangeNamingTheField) {
  for (Quarter bad : {Quarter{1999, 1}, Quarter{2201, 1}, Quarter{0, 0}}) {
    absl::Status status = ValidateQuarter(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("financial_year"));
  }
  for (Quarter bad : {Quarter{2018, 0}, Quarter{2018, 5}, Quarter{2018, -1}}) {
    absl::Status status = ValidateQuarter(bad);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(), HasSubstr("quarter"));
  }
}

TEST(PreviousQuarter, StepsBackWithinAYear) {
  EXPECT_EQ(PreviousQuarter({2018, 4}), (Quarter{2018, 3}));
  EXPECT_EQ(PreviousQuarter({2018, 3}), (Quarter{2018, 2}));
  EXPECT_EQ(PreviousQuarter({2018, 2}), (Quarter{2018, 1}));
}

TEST(PreviousQuarter, StepsBackAcrossAYearBoundary) {
  EXPECT_EQ(PreviousQuarter({2019, 1}), (Quarter{2018, 4}));
  EXPECT_EQ(PreviousQuarter({2100, 1}), (Quarter{2099, 4}));
}

TEST(Quarter, OrdersByYearThenQuarter) {
  EXPECT_LT((Quarter{2018, 4}), (Quarter{2019, 1}));
  EXPECT_LT((Quarter{2018, 1}), (Quarter{2018, 2}));
  EXPECT_EQ((Quarter{2018, 3}), (Quarter{2018, 3}));
}

}  // namespace quarter_test
}  // namespace
}  // namespace feedback
