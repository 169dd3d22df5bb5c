// The report's "QA through Independent Chairs" section, built from a quarter's summary
// (QuarterSummary.oversight, oversight_strengths, oversight_areas_for_development). Internal to
// client/report.
#ifndef FEEDBACK_CLIENT_REPORT_OVERSIGHT_SECTION_H_
#define FEEDBACK_CLIENT_REPORT_OVERSIGHT_SECTION_H_

#include <string>
#include <string_view>

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

}  // namespace feedback::client::report_internal

#endif  // FEEDBACK_CLIENT_REPORT_OVERSIGHT_SECTION_H_
