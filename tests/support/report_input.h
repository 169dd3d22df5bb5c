// Inputs for the report's unit tests (client/report/): 2018-19 summaries as GetQuarterSummary
// returns them, with the seed report's Q3 and the quarters before it; quotes; and the seed
// report's sentences. No server.
#ifndef FEEDBACK_TESTS_SUPPORT_REPORT_INPUT_H_
#define FEEDBACK_TESTS_SUPPORT_REPORT_INPUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/report/report.h"
#include "feedback/v1/feedback.pb.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::testing {

// The figures of one quarter that the report's sentences use.
struct QuarterFigures {
  int64_t complaints = 0, upheld = 0, partially = 0, families = 0, partners = 0;
  int64_t icpc_referrals = 0, icpc_progressed = 0, cla_referrals = 0, cla_progressed = 0;
};

inline v1::QuarterSummary Summary(int quarter, const QuarterFigures& f, int financial_year = 2018) {
  v1::QuarterSummary s;
  s.set_financial_year(financial_year);
  s.set_quarter(quarter);
  s.set_complaints_received(f.complaints);
  s.set_complaints_upheld(f.upheld);
  s.set_complaints_partially_upheld(f.partially);
  s.set_compliments_from_families(f.families);
  s.set_compliments_from_partners(f.partners);
  if (f.icpc_referrals > 0) {
    v1::AdvocacyFigures* a = s.add_advocacy();
    a->set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
    a->set_referrals(f.icpc_referrals);
    a->set_progressed(f.icpc_progressed);
  }
  if (f.cla_referrals > 0) {
    v1::AdvocacyFigures* a = s.add_advocacy();
    a->set_meeting(v1::MEETING_CLA_REVIEW);
    a->set_referrals(f.cla_referrals);
    a->set_progressed(f.cla_progressed);
  }
  return s;
}

inline constexpr QuarterFigures kQ1 = {.complaints = 10,
                                       .upheld = 2,
                                       .partially = 1,
                                       .families = 12,
                                       .partners = 1,
                                       .icpc_referrals = 5,
                                       .icpc_progressed = 1,
                                       .cla_referrals = 3,
                                       .cla_progressed = 2};
inline constexpr QuarterFigures kQ2 = {.complaints = 23,
                                       .upheld = 4,
                                       .partially = 2,
                                       .families = 26,
                                       .partners = 2,
                                       .icpc_referrals = 20,
                                       .icpc_progressed = 4,
                                       .cla_referrals = 10,
                                       .cla_progressed = 7};
// The seed report's Q3: 26 complaints (7 upheld or partially upheld), 31 family compliments,
// 4 partner compliments, ICPC advocacy 27 referrals (6 progressed), CLA 13 (9).
inline constexpr QuarterFigures kQ3 = {.complaints = 26,
                                       .upheld = 5,
                                       .partially = 2,
                                       .families = 31,
                                       .partners = 4,
                                       .icpc_referrals = 27,
                                       .icpc_progressed = 6,
                                       .cla_referrals = 13,
                                       .cla_progressed = 9};

inline client::ReportQuote Quote(v1::Source source, std::string text, int64_t at,
                                 std::string id = "fb_1") {
  client::ReportQuote q;
  q.id = std::move(id);
  q.source = source;
  q.kind = v1::KIND_COMPLIMENT;
  q.meeting = v1::MEETING_INITIAL_CP_CONFERENCE;
  q.text = std::move(text);
  q.occurred_at_seconds = at;
  return q;
}

// 2018-19 Q1..Q3 as the server returns them (Q3 carries Q2 as previous_quarter), with quotes.
inline client::QuarterReportInput SeedInput(std::vector<client::ReportQuote> quotes = {}) {
  client::QuarterReportInput input;
  input.summaries = {Summary(1, kQ1), Summary(2, kQ2), Summary(3, kQ3)};
  *input.summaries[1].mutable_previous_quarter() = Summary(4, {.complaints = 7}, 2017);
  *input.summaries[2].mutable_previous_quarter() = Summary(2, kQ2);
  input.quotes = std::move(quotes);
  return input;
}

inline client::QuarterReport Build(const client::QuarterReportInput& input) {
  absl::StatusOr<client::QuarterReport> report = client::BuildQuarterReport(input);
  EXPECT_OK(report);
  return report.ok() ? *std::move(report) : client::QuarterReport();
}

inline const client::ReportFigure* FindFigure(const client::QuarterReport& report,
                                              std::string_view measure) {
  for (const client::ReportFigure& f : report.figures) {
    if (f.measure == measure) return &f;
  }
  ADD_FAILURE() << "no figure " << measure;
  return nullptr;
}

// What a reader adds up from a summary: compliments from every source, advocacy referrals of
// every meeting.
inline int64_t Compliments(const v1::QuarterSummary& s) {
  return s.compliments_from_families() + s.compliments_from_partners() +
         s.compliments_from_children() + s.compliments_from_advocates();
}

inline int64_t Referrals(const v1::QuarterSummary& s) {
  int64_t total = 0;
  for (const v1::AdvocacyFigures& a : s.advocacy()) total += a.referrals();
  return total;
}

inline constexpr char kFamiliesSentence[] =
    "Feedback from Families: 26 complaints (7 upheld or partially upheld) and 31 compliments.";
inline constexpr char kPartnersSentence[] =
    "Feedback from Partner Agencies: 4 compliments were received from partner agencies";
inline constexpr char kIcpcSentence[] =
    "Advocacy \xE2\x80\x93 Initial Child Protection Conference \xE2\x80\x93 27 referrals (6 "
    "progressed to advocacy support at conference)";
inline constexpr char kClaSentence[] =
    "Advocacy for Children Looked After \xE2\x80\x93 13 Referrals (9 progressed to advocacy "
    "support)";
// Every character each format must escape, and a line break.
inline constexpr char kAwkwardQuote[] =
    "She said \"it's <b>fine</b>\" & *meant* it, [really]\n- honestly";

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_REPORT_INPUT_H_
