// The report's "QA through Independent Chairs" section, built from a quarter's summary
// (QuarterSummary.oversight, oversight_strengths, oversight_areas_for_development). Internal to
// client/report.
#ifndef FEEDBACK_CLIENT_REPORT_OVERSIGHT_SECTION_H_
#define FEEDBACK_CLIENT_REPORT_OVERSIGHT_SECTION_H_

#include <functional>
#include <string>
#include <string_view>

#include "client/report/cells.h"
#include "client/report/model.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client::report_internal {

// "oversight.OVERSIGHT_GROUP_LAC_REVIEWS.escalations" (`part`: "count", "escalations",
// "no_concerns" or "commendations"), or "oversight.strength.<tag>" / "oversight.development.<tag>"
// for a theme: the name of a withheld oversight cell in QuarterSummary.suppressed, after the QA
// cells' pattern. (The server's default disclosure policy shows these figures; a report
// respects any it withholds.)
std::string OversightCell(v1::OversightGroup group, std::string_view part);
std::string OversightThemeCell(std::string_view kind, std::string_view tag);

// True if `s` has an oversight outcome (listed, or a withheld cell).
bool HasOversight(const v1::QuarterSummary& s);

// The section (id "oversight", heading kOversightHeading): one statement per meeting group
// (kOversightGroups order), their rows and the leading themes; or, in a quarter without any
// outcome, one statement saying so.
ReportSection OversightSection(const v1::QuarterSummary& s);

// The late revisions of a published quarter's oversight figures (`late` as LateSummary gives
// it): calls `note(measure, label, count)` for each meeting group's count and outcomes that
// changed or are withheld (count: nullopt), measures as the csv's ("oversight_lac_reviews",
// "oversight_lac_reviews_escalations").
void NoteOversightLateRevisions(
    const v1::QuarterSummary& late,
    const std::function<void(const std::string&, const std::string&, Value)>& note);

}  // namespace feedback::client::report_internal

#endif  // FEEDBACK_CLIENT_REPORT_OVERSIGHT_SECTION_H_
