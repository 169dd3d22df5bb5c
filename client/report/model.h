// The report's figure model: from the summaries of a financial year's quarters (and the
// quarter's quotable items) to every figure, sentence, chart bar and note the report states, in
// report order. Each renderer (renderers.h) only writes this model in its format; nothing here
// knows a format. Pure: no call, clock or file.
//
// Example:
//   QuarterReportInput input;
//   input.summaries = {q1, q2, q3};  // GetQuarterSummary for 2018-19 Q1, Q2 and Q3
//   input.quotes = {QuoteFromFeedback(item)};
//   absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
#ifndef FEEDBACK_CLIENT_REPORT_MODEL_H_
#define FEEDBACK_CLIENT_REPORT_MODEL_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// One piece of feedback the report may quote. `text` is the person's words, verbatim: every
// renderer escapes it for its format and never rewords it.
struct ReportQuote {
  std::string id;  // the feedback id (not printed in the report; for tracing by QA staff)
  v1::Source source = v1::SOURCE_UNSPECIFIED;
  v1::Kind kind = v1::KIND_UNSPECIFIED;
  v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
  std::string text;
  int64_t occurred_at_seconds = 0;  // Unix seconds; orders the quotes, oldest first
};

// The quote an item makes. Does not check consent: choosing which items may be quoted is the
// caller's (see FetchReportQuotes in client/cli_report.cc, the one place that decides).
ReportQuote QuoteFromFeedback(const v1::Feedback& feedback);
// The same for a quote from ListQuotes (its redacted text); `id` is its feedback_id. Does not
// check its status either.
ReportQuote QuoteFromApproved(const v1::Quote& quote);

struct QuarterReportInput {
  // The summaries of Q1..Qn of one financial year, in quarter order, as GetQuarterSummary
  // returned them (service area: all). The last one is the reported quarter; its
  // previous_quarter is the baseline of every change figure. Year to date is the sum of all.
  std::vector<v1::QuarterSummary> summaries;
  // The reported quarter's quotable items, in any order.
  std::vector<ReportQuote> quotes;
  // The reported quarter's narrative (GetNarrative's current versions), in any order; a section
  // whose text is empty or only whitespace is left out of the report.
  std::vector<v1::NarrativeVersion> narrative = {};
  // The report's title parts from the server's configuration (GetNarrativeResponse); empty:
  // the generic title.
  std::string council_name = {};
  std::string division_title = {};
  // Set for one division's report (report --service-area): the summaries are that division's.
  // Unspecified: the whole division.
  v1::ServiceArea service_area = v1::SERVICE_AREA_UNSPECIFIED;
};

// Staff-written narrative text in a section (not the public's words, but escaped in every
// format all the same).
struct ReportNarrative {
  std::string measure;  // "narrative_next_steps" (CSV `measure`)
  std::string heading;  // "Recommendations"; "" when the section's own heading names it
  std::string text;     // verbatim, as the QA manager wrote it (lines kept)
};

// One figure of the report, for the reported quarter.
struct ReportFigure {
  std::string measure;           // stable machine name, e.g. "complaints_received" (CSV `measure`)
  std::string section;           // id of the section it belongs to
  std::string label;             // e.g. "Complaints received"
  int64_t value = 0;             // in the reported quarter
  int64_t previous_quarter = 0;  // in the quarter before it (from previous_quarter)
  int64_t year_to_date = 0;      // sum over Q1..Qn
  std::vector<int64_t> by_quarter;  // Q1..Qn of the financial year

  // Withheld by small-number suppression (docs/disclosure.md), shown as "c"; the number above is
  // then 0. A sum is withheld when any part of it is.
  bool value_withheld = false;
  bool previous_quarter_withheld = false;
  bool year_to_date_withheld = false;
  std::vector<bool> by_quarter_withheld;  // parallel to by_quarter

  int64_t change() const { return value - previous_quarter; }
  bool change_withheld() const { return value_withheld || previous_quarter_withheld; }
};

// The reported quarter's advocacy referrals of one meeting by the child's age band.
struct AgeBandRow {
  v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
  std::string measure;  // "advocacy_<meeting>_age": the CSV measure is this plus "_<band>"
  std::string label;    // the meeting's name, e.g. "Children Looked After"
  // Parallel to QuarterReport::age_bands; nullopt: withheld ("c").
  std::vector<std::optional<int64_t>> referrals;
};

// One of the seed report's sentences, with this quarter's figures.
struct ReportStatement {
  std::string measure;  // stable machine name, e.g. "families_statement" (CSV `measure`)
  std::string text;     // e.g. "Feedback from Partner Agencies: 4 compliments were received ..."
};

// One theme a section names in the reported quarter: of the kiosk answers about a meeting type,
// of one activity's strengths or areas for improvement, or of the chairs' outcomes.
struct ReportTheme {
  std::string tag;               // the server's tag, "listened_to"
  std::string label;             // "listened to"
  std::string measure;           // "kiosk_cla_review_theme_listened_to" (CSV `measure`)
  std::optional<int64_t> count;  // records naming it; nullopt: withheld ("c")
};
using KioskTheme = ReportTheme;
using QaTheme = ReportTheme;

// The most frequent themes a kiosk section names.
inline constexpr size_t kKioskThemesShown = 5;

// One division's case-file audits or practice observations in the reported quarter (a row of
// the grade table). A withheld count (small-number suppression) is nullopt ("c").
struct QaDivisionRow {
  v1::ServiceArea service_area = v1::SERVICE_AREA_UNSPECIFIED;
  std::string label;    // the division as a table names it: "Early Help", "Social care", "YOS"
  std::string measure;  // "qa_case_file_audits_early_help": its CSV measure and the grades' stem
  std::optional<int64_t> count;
  // By grade, best first: outstanding, good, requires improvement, inadequate (kQaGrades).
  std::vector<std::optional<int64_t>> grades;
  std::optional<int64_t> moderated;
};

// The grades of QaDivisionRow::grades, in order.
inline constexpr v1::QaGrade kQaGrades[] = {v1::QA_GRADE_OUTSTANDING, v1::QA_GRADE_GOOD,
                                            v1::QA_GRADE_REQUIRES_IMPROVEMENT,
                                            v1::QA_GRADE_INADEQUATE};
// The most frequent strengths, and areas for improvement, shown for an activity.
inline constexpr size_t kQaThemesShown = 3;

// The case-file audits or the practice observations of the reported quarter: the seed's
// "Audits across the Division" and "Practice Observations across the Division".
struct QaActivityBlock {
  v1::QaActivity activity = v1::QA_ACTIVITY_UNSPECIFIED;
  std::string measure;        // "qa_case_file_audits", "qa_practice_observations"
  std::string heading;        // "Audits across the Division"
  std::string noun;           // as a table names them: "Case-file audits", "Practice observations"
  ReportStatement statement;  // the seed's sentence (also in the section's statements)
  // Each division: the seed's three (Early Help, social care, YOS), then any other the server
  // listed. Empty when the activity has no check in the quarter.
  std::vector<QaDivisionRow> divisions;
  QaDivisionRow total;  // "Across the division": the sum of the rows (withheld if any part is)
  // The most frequent themes (at most kQaThemesShown each): shown counts largest first, then
  // withheld ones, each by name.
  std::vector<QaTheme> strengths;
  std::vector<QaTheme> areas_for_improvement;
};

// One meeting group's independent chairs' oversight outcomes in the reported quarter (the seed's
// "QA through Independent Chairs"). A withheld count (small-number suppression) is nullopt
// ("c"), and so is any percentage worked out from one.
struct OversightRow {
  v1::OversightGroup group = v1::OVERSIGHT_GROUP_UNSPECIFIED;
  std::string label;             // "LAC reviews", "CP conferences"
  std::string measure;           // "oversight_lac_reviews": its CSV measure and its cells' stem
  std::optional<int64_t> count;  // outcomes recorded: the sum of the three
  std::optional<int64_t> escalations;
  std::optional<int64_t> no_concerns;
  std::optional<int64_t> commendations;
};

// The order of the seed's slide: LAC reviews, then CP conferences.
inline constexpr v1::OversightGroup kOversightGroups[] = {v1::OVERSIGHT_GROUP_LAC_REVIEWS,
                                                          v1::OVERSIGHT_GROUP_CP_CONFERENCES};

// One section of the report, in report order.
struct ReportSection {
  // In order: "review_of_previous_next_steps" and "external_review" (narrative, only when the
  // quarter has that text), "qa_activity", "oversight", "participation", "families",
  // "partners", a kiosk section "kiosk_<meeting>" (e.g. "kiosk_cla_review", one per meeting type
  // with kiosk answers), "all", and "next_steps" (narrative, only when it has text)
  std::string id;
  // e.g. "Participation – Advocacy Pilot", "Feedback from Families", "Kiosk – Children Looked
  // After"
  std::string heading;
  // the heading it sits under ("Feedback" for families, partners and kiosks), or ""
  std::string group;
  std::vector<ReportStatement> statements;
  std::vector<ReportQuote> quotes;  // oldest first
  // Kiosk sections only: the meeting type, and its most frequent themes in the reported
  // quarter (at most kKioskThemesShown: shown counts largest first, then withheld ones, each
  // by name). Unset and empty for other sections.
  std::optional<v1::Meeting> kiosk_meeting;
  std::vector<KioskTheme> kiosk_themes;
  // The "qa_activity" section only: case-file audits, then practice observations. Empty when
  // the quarter has no check at all (its one statement then says none was recorded).
  std::vector<QaActivityBlock> qa_activities;
  // The "oversight" section only (the seed's "QA through Independent Chairs", right after the
  // QA framework's): each meeting group (kOversightGroups), and the leading strengths and areas
  // for development of every chair's outcome (at most kQaThemesShown each). Empty when the
  // quarter has no outcome (its one statement then says none was recorded).
  std::vector<OversightRow> oversight_rows;
  std::vector<QaTheme> oversight_strengths;
  std::vector<QaTheme> oversight_areas;
  // Narrative text shown right after the heading, and at the section's end (the advocacy
  // pilot's description, and its recommendations). A narrative section ("review_of_previous_
  // next_steps", "external_review", "next_steps") has only narrative_before.
  std::vector<ReportNarrative> narrative_before;
  std::vector<ReportNarrative> narrative_after;
};

// One bar group of the chart: a quarter of the financial year. Values are unset for quarters
// after the reported one.
struct ChartQuarter {
  int quarter = 0;  // 1..4
  std::optional<int64_t> complaints_received;
  std::optional<int64_t> compliments;         // every source
  std::optional<int64_t> advocacy_referrals;  // every meeting
  // Withheld by small-number suppression (shown as "c", no bar); the value is then 0.
  bool complaints_received_withheld = false;
  bool compliments_withheld = false;
  bool advocacy_referrals_withheld = false;
};

// A figure of a published quarter the report shows that changed after publication
// (QuarterSummary.late_revisions): noted beside the figures, never folded into them.
struct LateRevisionNote {
  std::string period;   // the revised quarter, "2018-19Q3"
  std::string section;  // the figure's section
  // the figure's measure ("complaints_received"), or an age band's or kiosk theme's
  std::string measure;
  std::string label;             // the figure's label
  std::optional<int64_t> count;  // more after publication (negative: fewer); nullopt: withheld
  std::string text;              // "2018-19 Q3 – Complaints received: 1 more after publication"
};

// Everything every format shows, computed once.
struct QuarterReport {
  int financial_year = 0;
  int quarter = 0;
  std::string period;  // "2018-19Q3"
  std::string title;   // "2018-19 Q3 (October – December 2018)"
  // The report's first line: with the server's council name or division title, the seed's
  // "Leicester City Council Quarter 3 October – December 2018 Children's Social Care and Early
  // Help Division Quality Assurance Report"; without, "Feedback and participation report,
  // " + title.
  std::string heading;
  // The division the report is about: the server's division title, or "Children's Social Care
  // and Early Help Division"; for one division's report, that division ("Early Help").
  std::string division;
  // One division's report: its service area (unspecified: the whole division).
  v1::ServiceArea service_area = v1::SERVICE_AREA_UNSPECIFIED;
  // One division's report only: what it covers and leaves out, e.g. "This report covers Early
  // Help only: ...". Empty for the whole division's.
  std::string scope_note;
  std::string previous_period;  // "2018-19Q2"
  std::string change_label;     // "Q2", or "2017-18 Q4" for a Q1 report
  std::vector<ReportSection> sections;
  std::vector<ReportFigure> figures;  // in section order; see docs/report-formats.md
  std::vector<ChartQuarter> chart;    // always Q1..Q4
  // Advocacy referrals by age band in the reported quarter: the band names ("0-4", "5-9", ...)
  // as the server gave them, and a row for each reported meeting. Empty when the server gave
  // no bands.
  std::vector<std::string> age_bands;
  std::vector<AgeBandRow> age_band_rows;
  // The server's names of the reported quarter's withheld cells (QuarterSummary.suppressed);
  // empty when every figure is exact.
  std::vector<std::string> suppressed;
  // "2019-01-15" (UTC) when the reported quarter is published: its figures are as frozen then.
  // Empty: not published, the figures are live.
  std::string published_on;
  // What changed after publication in the published quarters the report shows (the reported
  // quarter, the earlier quarters of its year, the previous quarter), reported quarter first.
  std::vector<LateRevisionNote> late_revisions;
};

// How a withheld figure is written in every format.
inline constexpr char kWithheld[] = "c";

// Checks the input (at least one summary, all of one financial year, quarters 1..n in order,
// n <= 4) and computes the report. INVALID_ARGUMENT otherwise.
[[nodiscard]] absl::StatusOr<QuarterReport> BuildQuarterReport(const QuarterReportInput& input);

// The themes of `themes` a section names: each whose count is shown and above 0, or withheld
// (its cell, `cell_of(tag)`, is suppressed); shown counts largest first, then withheld ones, each
// by tag; at most `most`. `measure_of(tag)` gives each its CSV measure.
std::vector<ReportTheme> LeadingThemes(
    const v1::QuarterSummary& s, const google::protobuf::RepeatedPtrField<v1::TagCount>& themes,
    const std::function<std::string(const std::string& tag)>& cell_of,
    const std::function<std::string(const std::string& tag)>& measure_of, size_t most);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_MODEL_H_
