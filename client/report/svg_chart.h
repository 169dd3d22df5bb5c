// The HTML report's chart: complaints received, compliments (every source) and advocacy
// referrals by quarter of the financial year, as one inline SVG element.
#ifndef FEEDBACK_CLIENT_REPORT_SVG_CHART_H_
#define FEEDBACK_CLIENT_REPORT_SVG_CHART_H_

#include <string>

#include "client/report/model.h"

namespace feedback::client {

// An <svg> element ending in a newline: three bars per reported quarter (report.chart), each with
// a <title> naming its quarter, series and value and a label with the value; no bar but a "c"
// label for a withheld value; "not yet reported" for a quarter after the reported one. The value
// axis runs from 0 in steps of 1, 2 or 5 times a power of ten. Styled by the page's CSS classes
// (complaints, compliments, advocacy, axis, grid, empty); nothing external.
std::string SvgChart(const QuarterReport& report);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_SVG_CHART_H_
