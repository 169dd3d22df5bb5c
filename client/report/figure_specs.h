// The report's figures as read from one QuarterSummary: every figure's measure, section and label
// in report order, and how its value is read (or found withheld). Used by the model
// (BuildQuarterReport) for every quarter it shows; not for callers outside client/report/.
#ifndef FEEDBACK_CLIENT_REPORT_FIGURE_SPECS_H_
#define FEEDBACK_CLIENT_REPORT_FIGURE_SPECS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "client/report/cells.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client::report_internal {

// The sum, withheld when any part is.
Value Plus(Value a, Value b);

// True if the server withheld the cell `name` of `s` (QuarterSummary.suppressed).
bool IsWithheld(const v1::QuarterSummary& s, std::string_view name);
// The int64 field `name` of `s`; the server names a withheld scalar after its field.
Value FieldOf(const v1::QuarterSummary& s, const std::string& name);
// "advocacy.MEETING_CLA_REVIEW.referrals": the server's name of an advocacy cell.
std::string AdvocacyCell(v1::Meeting meeting, std::string_view part);
// The figures of `meeting` in `summary`, or nullptr when it has none.
const v1::AdvocacyFigures* FindAdvocacy(const v1::QuarterSummary& summary, v1::Meeting meeting);
Value ReferralsOf(const v1::QuarterSummary& s, v1::Meeting meeting);
// "kiosk.MEETING_CLA_REVIEW.answered": the server's name of a kiosk cell.
std::string KioskCell(v1::Meeting meeting, std::string_view part);
// The kiosk figures of `meeting` in `summary`, or nullptr when it has none.
const v1::KioskFigures* FindKiosk(const v1::QuarterSummary& summary, v1::Meeting meeting);
// A meeting's kiosk answers, and how many of them rated the day `rating` (1..5).
Value KioskAnsweredOf(const v1::QuarterSummary& s, v1::Meeting meeting);
Value KioskRatingOf(const v1::QuarterSummary& s, v1::Meeting meeting, int rating);
// "kiosk_cla_review": the start of a kiosk section's id and measures.
std::string KioskKey(v1::Meeting meeting);
Value ProgressedOf(const v1::QuarterSummary& s, v1::Meeting meeting);
// Advocacy referrals and progressed referrals of every meeting; compliments of every source;
// complaints upheld or partially upheld.
Value AdvocacyTotal(const v1::QuarterSummary& s);
Value ProgressedTotal(const v1::QuarterSummary& s);
Value ComplimentsTotal(const v1::QuarterSummary& s);
Value UpheldOrPartiallyUpheld(const v1::QuarterSummary& s);

// Case-file audits and practice observations (QuarterSummary.qa_activity, qa_themes).
// "qa.QA_ACTIVITY_CASE_FILE_AUDIT.SERVICE_AREA_EARLY_HELP.count" (`part`: "count", "moderated"
// or "grade.QA_GRADE_GOOD"): the server's name of a withheld QA cell, after the advocacy and
// kiosk cells' pattern (docs/disclosure.md).
std::string QaCell(v1::QaActivity activity, v1::ServiceArea area, std::string_view part);
// "qa.QA_ACTIVITY_CASE_FILE_AUDIT.strength.<tag>" (`kind`: "strength" or "improvement").
std::string QaThemeCell(v1::QaActivity activity, std::string_view kind, std::string_view tag);
// The figures of `activity` in `area` in `s`, or nullptr when it has none.
const v1::QaActivityFigures* FindQa(const v1::QuarterSummary& s, v1::QaActivity activity,
                                    v1::ServiceArea area);
// True if `s` has a check of `activity` (listed, or a withheld cell); the second: of either.
bool HasQaActivity(const v1::QuarterSummary& s, v1::QaActivity activity);
bool HasQaActivity(const v1::QuarterSummary& s);
// The divisions of `activity` a report shows: the seed's three (Early Help, social care, YOS),
// then any other listed in `s`.
std::vector<v1::ServiceArea> QaDivisions(const v1::QuarterSummary& s, v1::QaActivity activity);
// Checks of `activity` in `area`: all, moderated, and by `grade`.
Value QaCountOf(const v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area);
Value QaModeratedOf(const v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area);
Value QaGradeOf(const v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area,
                v1::QaGrade grade);
// Checks of `activity` in every division: the sum of QaDivisions' counts.
Value QaTotalOf(const v1::QuarterSummary& s, v1::QaActivity activity);
// "qa_case_file_audits", "qa_practice_observations": the start of the QA measures.
std::string QaKey(v1::QaActivity activity);
// "early_help", "social_care", "youth_offending".
std::string DivisionKey(v1::ServiceArea area);

// One figure's definition.
struct FigureSpec {
  std::string measure;
  std::string section;
  std::string label;
  std::function<Value(const v1::QuarterSummary&)> get;
};

// The figure definitions in report order, with the advocacy figures of `meetings` first, and
// the kiosk figures of `kiosk_meetings` (section KioskKey(meeting)) after the partners' ones.
// With `qa`, the QA framework's figures (section "qa_activity") come before all of them: per
// activity, its checks in every division, then in each of the seed's three divisions.
std::vector<FigureSpec> FigureSpecs(const std::vector<v1::Meeting>& meetings,
                                    const std::vector<v1::Meeting>& kiosk_meetings = {},
                                    bool qa = false);

// The late revisions of `s` as a summary of differences: each revised cell holds its count, each
// withheld one is listed in `suppressed`, so that the figure getters read it like any summary.
v1::QuarterSummary LateSummary(const v1::QuarterSummary& s);

}  // namespace feedback::client::report_internal

#endif  // FEEDBACK_CLIENT_REPORT_FIGURE_SPECS_H_
