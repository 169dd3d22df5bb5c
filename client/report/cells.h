// How the report writes one figure, name or measure in a table cell or a machine field, and where
// a group heading goes, the same way in every format. Shared by the model and the renderers; not
// for callers outside client/report/.
#ifndef FEEDBACK_CLIENT_REPORT_CELLS_H_
#define FEEDBACK_CLIENT_REPORT_CELLS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/report/model.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/descriptor.h"

namespace feedback::client::report_internal {

// A figure as the server gave it: nullopt when withheld by small-number suppression.
using Value = std::optional<int64_t>;

// "26", or "c" when withheld.
std::string Shown(Value n);
// `value`, or "c" when `withheld`.
std::string Cell(int64_t value, bool withheld);
// A figure's change column: "(+3 on Q2)", or "c" when either quarter was withheld.
std::string ChangeCell(const ReportFigure& f, std::string_view on);

// True if any number the report shows is withheld (the report then explains "c").
bool AnyWithheld(const QuarterReport& report);
// True if sections[i] is the first of its group (ReportSection.group not empty), so that its
// group's heading goes before its own.
bool OpensGroup(const std::vector<ReportSection>& sections, size_t i);
// True for a section that is only narrative text (the review of the previous quarter's next
// steps, an external review, the next steps): no statement, figure or quote of its own.
bool IsNarrativeOnly(const ReportSection& section);

// The rows of an activity's grade table: each division, then the whole division (none when the
// activity had no check).
std::vector<const QaDivisionRow*> QaRows(const QaActivityBlock& block);
// "requires_improvement": the end of a grade's CSV measure.
std::string QaGradeKey(v1::QaGrade grade);
// "Requires improvement": a grade's column heading.
std::string QaGradeLabel(v1::QaGrade grade);

// An oversight outcome's table cell: "2 (3%)", or "c" when it (or its row's total) is withheld.
std::string OversightShare(Value n, Value total);
// An oversight row's counts in table order: escalations, no concerns, commendations.
std::vector<Value> OversightOutcomes(const OversightRow& row);
// Their column headings, in that order.
inline constexpr const char* kOversightOutcomeLabels[] = {"Escalations", "No concerns",
                                                          "Commendations"};
// Their CSV measures' ends, in that order.
inline constexpr const char* kOversightOutcomeKeys[] = {"escalations", "no_concerns",
                                                        "commendations"};

// "INITIAL_CP_CONFERENCE" -> "initial_cp_conference": the stable part of advocacy measures.
std::string MeetingKey(v1::Meeting meeting);
// "advocacy_cla_review_age_10_15": the CSV measure of one age band cell.
std::string AgeBandMeasure(const AgeBandRow& row, std::string_view band);
// "family", "partner-agency"; "unspecified" for SOURCE_UNSPECIFIED.
std::string SourceName(v1::Source source);
// The value's name in `type` ("SOURCE_FAMILY"), or the number when `type` has no such value.
std::string EnumName(const google::protobuf::EnumDescriptor* type, int number);

}  // namespace feedback::client::report_internal

#endif  // FEEDBACK_CLIENT_REPORT_CELLS_H_
