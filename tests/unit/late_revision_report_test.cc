// A published quarter in the report (client/report.h): the figures are the frozen ones the
// server sends, and every format notes what changed after publication, in the reported quarter
// and in the earlier quarters it shows. No server.
#include <string>
#include <vector>

#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace late_revision_report_test {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kNote[] = "2018-19 Q3 \xE2\x80\x93 Complaints received: 1 more after publication";

v1::QuarterSummary Quarter(int financial_year, int quarter, int64_t complaints) {
  v1::QuarterSummary s;
  s.set_financial_year(financial_year);
  s.set_quarter(quarter);
  s.set_complaints_received(complaints);
  return s;
}

void Revise(v1::QuarterSummary& s, const std::string& figure, int64_t count,
            bool withheld = false) {
  s.mutable_published_at()->set_seconds(1547546400);  // 2019-01-15 10:00 UTC
  v1::LateRevision* revision = s.add_late_revisions();
  revision->set_figure(figure);
  revision->set_count(withheld ? 0 : count);
  revision->set_withheld(withheld);
}

// 2018-19 Q1..Q3, Q3 published, then a complaint and a 5-9-year-old's CLA referral arrived.
QuarterReportInput PublishedQ3() {
  QuarterReportInput input;
  input.summaries = {Quarter(2018, 1, 4), Quarter(2018, 2, 6), Quarter(2018, 3, 10)};
  v1::QuarterSummary& q3 = input.summaries.back();
  *q3.mutable_previous_quarter() = input.summaries[1];
  Revise(q3, "complaints_received", 1);
  Revise(q3, "advocacy.MEETING_CLA_REVIEW.referrals", 1);
  Revise(q3, "advocacy.MEETING_CLA_REVIEW.age_band.5-9", 0, /*withheld=*/true);
  Revise(q3, "advocacy.MEETING_CLA_REVIEW.age_band.0-4", 0, /*withheld=*/true);
  return input;
}

TEST(LateRevisionReport, EveryFormatShowsThePublishedFiguresAndNotesWhatCameLater) {
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(PublishedQ3());
  ASSERT_OK(report);
  EXPECT_EQ(report->published_on, "2019-01-15");
  const std::string md = RenderMarkdown(*report);
  EXPECT_THAT(md, HasSubstr("| Complaints received | 10 |"));
  EXPECT_THAT(md, HasSubstr("Figures as published on 2019-01-15."));
  EXPECT_THAT(md, HasSubstr("## Revised after publication"));
  EXPECT_THAT(md, HasSubstr(std::string("- ") + kNote));
  EXPECT_THAT(md, HasSubstr("Advocacy referrals \xE2\x80\x93 Children Looked After: 1 more"));
  // A withheld late count is "c", and the c-note explains it.
  EXPECT_THAT(md, HasSubstr("Children Looked After, aged 5-9: c more after publication"));
  EXPECT_THAT(md, HasSubstr("c: withheld"));

  const std::string csv = RenderCsv(*report);
  EXPECT_THAT(csv, HasSubstr(std::string(",late_revision,complaints_received,Complaints "
                                         "received,1,,,,") +
                             kNote + "\r\n"));
  EXPECT_THAT(csv, HasSubstr(",published,published_on,Published on,2019-01-15,"));
  EXPECT_THAT(csv, HasSubstr("late_revision,advocacy_cla_review_age_5_9,"));
  const std::string json = RenderJson(*report);
  EXPECT_THAT(json, HasSubstr("\"lateRevisions\""));
  EXPECT_THAT(json, HasSubstr(kNote));
  EXPECT_THAT(json, HasSubstr("\"publishedOn\": \"2019-01-15\""));
  const std::string html = RenderHtml(*report);
  EXPECT_THAT(html, HasSubstr("<section id=\"late-revisions\">"));
  EXPECT_THAT(html, HasSubstr(std::string("<li>") + kNote + "</li>"));
}

TEST(LateRevisionReport, TheNextQuartersReportNotesTheRevisionsOfTheQuartersItShows) {
  QuarterReportInput input = PublishedQ3();
  v1::QuarterSummary q4 = Quarter(2018, 4, 3);
  *q4.mutable_previous_quarter() = input.summaries.back();
  input.summaries.push_back(q4);
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  ASSERT_OK(report);
  EXPECT_TRUE(report->published_on.empty());
  const std::string md = RenderMarkdown(*report);
  EXPECT_THAT(md, HasSubstr(std::string("- ") + kNote));
  EXPECT_THAT(md, Not(HasSubstr("Figures as published on")));
  // Age bands are shown for the reported quarter only, and so are their notes.
  EXPECT_THAT(md, Not(HasSubstr("aged 5-9: c more")));

  // A Q1 report's previous quarter is the last year's Q4.
  v1::QuarterSummary q1 = Quarter(2019, 1, 5);
  v1::QuarterSummary last_q4 = Quarter(2018, 4, 3);
  Revise(last_q4, "comments", 2);
  *q1.mutable_previous_quarter() = last_q4;
  absl::StatusOr<QuarterReport> next_year = BuildQuarterReport({.summaries = {q1}, .quotes = {}});
  ASSERT_OK(next_year);
  EXPECT_THAT(RenderMarkdown(*next_year),
              HasSubstr("- 2018-19 Q4 \xE2\x80\x93 Comments: 2 more after publication"));
}

TEST(LateRevisionReport, AnUnpublishedYearHasNoRevisionSection) {
  QuarterReportInput input;
  input.summaries = {Quarter(2018, 1, 4)};
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  ASSERT_OK(report);
  EXPECT_TRUE(report->late_revisions.empty());
  EXPECT_THAT(RenderMarkdown(*report), Not(HasSubstr("after publication")));
  EXPECT_THAT(RenderCsv(*report), Not(HasSubstr("late_revision")));
}

}  // namespace late_revision_report_test
}  // namespace
}  // namespace feedback::client
