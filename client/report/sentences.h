// What the report says in words: the seed report's sentences with a quarter's figures, the change
// phrase, and the phrases every format shares (period names, the publication sentence, the late
// revision notes, the withheld note). Pure functions of their arguments.
#ifndef FEEDBACK_CLIENT_REPORT_SENTENCES_H_
#define FEEDBACK_CLIENT_REPORT_SENTENCES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/report/model.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// The seed report's sentences.
// "Feedback from Families: 26 complaints (7 upheld or partially upheld) and 31 compliments."
std::string FamiliesStatement(int64_t complaints, int64_t upheld_or_partially_upheld,
                              int64_t compliments);
// "Feedback from Partner Agencies: 4 compliments were received from partner agencies"
std::string PartnersStatement(int64_t compliments);
// "Advocacy – Initial Child Protection Conference – 27 referrals (6 progressed to advocacy
// support at conference)", "Advocacy for Children Looked After – 13 Referrals (9 progressed to
// advocacy support)", and for other meetings "Advocacy – Review Child Protection Conference –
// 2 referrals (1 progressed to advocacy support)".
std::string AdvocacyStatement(v1::Meeting meeting, int64_t referrals, int64_t progressed);
// A kiosk section's sentence: "Kiosk – Children Looked After: 12 answers to "How was today?":
// c Very bad, 0 Bad, c OK, 3 Good, 6 Very good. Most frequent themes: listened to (8), fair
// chair (c)." `ratings` holds the counts of ratings 1..5; `themes` is {label, count} of the
// themes to name, most frequent first (the sentence says nothing of themes when it is empty).
// Withheld counts (nullopt) are "c".
std::string KioskStatement(
    v1::Meeting meeting, std::optional<int64_t> answered,
    const std::vector<std::optional<int64_t>>& ratings,
    const std::vector<std::pair<std::string, std::optional<int64_t>>>& themes);
// The QA framework's sentences, with the seed's wording: "There were 112 audits across the
// division in Q3 • 31 in Early Help • 63 in social care • 18 in YOS" and "There were 92 P.O.s
// across the division in Q3 • 24 in Early Help • 65 in social care • 3 in YOS" (P.O.: practice
// observation, as the seed writes it under "Practice Observations across the Division").
// `divisions` is {name, count} of each division named, in order (DivisionName). Withheld
// counts (nullopt) are "c".
std::string QaStatement(
    v1::QaActivity activity, int quarter, std::optional<int64_t> total,
    const std::vector<std::pair<std::string, std::optional<int64_t>>>& divisions);
// "No case-file audits were recorded across the division in Q3." (or practice observations).
std::string QaNoneStatement(v1::QaActivity activity, int quarter);
// "No case-file audits or practice observations were recorded in 2018-19 Q3."
std::string QaNothingStatement(int financial_year, int quarter);
// The seed's "QA through Independent Chairs" sentence of one meeting group, percentages of its
// outcomes rounded to whole numbers, then the counts: "LAC reviews: 3% escalations, 88% no
// concerns, 8% commendations (60 outcomes: 2 escalations, 53 no concerns, 5 commendations)".
// A withheld count (nullopt) is "c", and so is every percentage when the total or that count is
// withheld. A group with no outcome: "LAC reviews: no oversight outcome was recorded in Q3".
std::string OversightStatement(std::string_view label, int quarter, std::optional<int64_t> count,
                               std::optional<int64_t> escalations,
                               std::optional<int64_t> no_concerns,
                               std::optional<int64_t> commendations);
// "No independent chairs' oversight outcomes were recorded in 2018-19 Q3."
std::string OversightNothingStatement(int financial_year, int quarter);
// "(+3 on Q2)", "(-2 on Q2)", "(no change on Q2)".
std::string ChangeText(int64_t now, int64_t before, std::string_view on);
// The same sentences with any withheld figure (nullopt) written as "c": "c referrals".
std::string FamiliesStatement(std::optional<int64_t> complaints,
                              std::optional<int64_t> upheld_or_partially_upheld,
                              std::optional<int64_t> compliments);
std::string PartnersStatement(std::optional<int64_t> compliments);
std::string AdvocacyStatement(v1::Meeting meeting, std::optional<int64_t> referrals,
                              std::optional<int64_t> progressed);

// The phrases the model and the renderers share. Not for callers outside client/report/.
namespace report_internal {

inline constexpr char kEnDash[] = "\xE2\x80\x93";  // –

// "Children Looked After", "Initial Child Protection Conference".
std::string MeetingName(v1::Meeting meeting);
// A division in a sentence, as the seed writes it: "Early Help", "social care", "YOS".
std::string DivisionName(v1::ServiceArea area);
// A division in a table or label: "Early Help", "Social care", "YOS".
std::string DivisionLabel(v1::ServiceArea area);
// An activity's checks in a table or label: "Case-file audits", "Practice observations".
std::string QaNoun(v1::QaActivity activity);
inline constexpr char kQaHeading[] = "QA framework activity";
inline constexpr char kOversightHeading[] = "QA through Independent Chairs";
// "LAC reviews", "CP conferences": a meeting group as the seed's slide names it.
std::string OversightGroupLabel(v1::OversightGroup group);
// "88%" (rounded to the nearest whole number, halves up), "c" when either is withheld, "0%"
// when `total` is 0.
std::string Percent(std::optional<int64_t> part, std::optional<int64_t> total);
inline constexpr char kBullet[] = "\xE2\x80\xA2";  // •

// A theme tag as a reader says it: "listened_to" -> "listened to".
std::string ThemeLabel(std::string_view tag);
// "2018-19 Q3".
std::string SpacedQuarter(int financial_year, int quarter);
// "October – December 2018".
std::string Months(int financial_year, int quarter);
// "Q1" or "Q1–Q3": the quarters a year-to-date figure sums.
std::string YearToDateSpan(int quarter);
// "Figures as published on 2019-01-15." or "" when the quarter is not published.
std::string PublishedSentence(const QuarterReport& report);
// "2018-19 Q3 – Complaints received: 1 more after publication"; a withheld count is "c more".
std::string LateRevisionText(const std::string& spaced_period, std::string_view label,
                             std::optional<int64_t> count);

inline constexpr char kWithheldNote[] =
    "c: withheld to protect children's confidentiality (a count of 1 to 5, or a figure from "
    "which one could be worked out).";
inline constexpr char kLateRevisionsHeading[] = "Revised after publication";
inline constexpr char kLateRevisionsLead[] =
    "These figures changed after their quarter was published. The figures in this report are "
    "as published and do not include the changes.";

}  // namespace report_internal
}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_SENTENCES_H_
