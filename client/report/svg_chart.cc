#include "client/report/svg_chart.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/report/sentences.h"

namespace feedback::client {
namespace {

using report_internal::SpacedQuarter;

// The smallest 1, 2 or 5 times a power of ten that splits [0, top] into at most 5 steps.
int64_t NiceStep(int64_t top) {
  int64_t power = 1;
  while (true) {
    for (int64_t m : {1, 2, 5}) {
      if (top <= m * power * 5) return m * power;
    }
    power *= 10;
  }
}

}  // namespace

std::string SvgChart(const QuarterReport& report) {
  constexpr int kWidth = 720, kHeight = 340;
  constexpr int kLeft = 48, kRight = 16, kTop = 44, kBottom = 36;
  constexpr int kPlotWidth = kWidth - kLeft - kRight;
  constexpr int kPlotHeight = kHeight - kTop - kBottom;
  constexpr int kBar = 34, kGap = 6;
  int64_t top = 1;
  for (const ChartQuarter& q : report.chart) {
    for (const std::optional<int64_t>& v :
         {q.complaints_received, q.compliments, q.advocacy_referrals}) {
      if (v.has_value()) top = std::max(top, *v);
    }
  }
  const int64_t step = NiceStep(top);
  const int64_t axis_top = ((top + step - 1) / step) * step;
  auto y_of = [&](int64_t v) {
    return kTop + kPlotHeight - static_cast<double>(v) * kPlotHeight / axis_top;
  };
  const std::string fy = SpacedQuarter(report.financial_year, 1);
  const std::string year = fy.substr(0, fy.size() - 3);  // "2018-19"
  std::string out = absl::StrFormat(
      "<svg role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 %d %d\" width=\"%d\" "
      "height=\"%d\">\n<title id=\"chart-title\">Complaints received, compliments and advocacy "
      "referrals by quarter, %s</title>\n",
      kWidth, kHeight, kWidth, kHeight, year);
  // Legend.
  const std::array<std::pair<const char*, const char*>, 3> series = {
      {{"complaints", "Complaints received"},
       {"compliments", "Compliments (every source)"},
       {"advocacy", "Advocacy referrals"}}};
  int legend_x = kLeft;
  for (const auto& [css, name] : series) {
    absl::StrAppendFormat(&out,
                          "<rect class=\"%s\" x=\"%d\" y=\"10\" width=\"12\" height=\"12\"/>"
                          "<text x=\"%d\" y=\"21\">%s</text>\n",
                          css, legend_x, legend_x + 16, name);
    legend_x += 200;
  }
  // Grid lines and the value axis.
  for (int64_t v = 0; v <= axis_top; v += step) {
    const double y = y_of(v);
    absl::StrAppendFormat(&out,
                          "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                          "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
                          v == 0 ? "axis" : "grid", kLeft, y, kLeft + kPlotWidth, y, kLeft - 6,
                          y + 4, v);
  }
  absl::StrAppendFormat(&out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                        kLeft, kTop, kLeft, kTop + kPlotHeight);
  // One group of bars per quarter.
  const int group_width = kPlotWidth / static_cast<int>(report.chart.size());
  const int bars_width = 3 * kBar + 2 * kGap;
  for (size_t i = 0; i < report.chart.size(); ++i) {
    const ChartQuarter& q = report.chart[i];
    const int group_x = kLeft + static_cast<int>(i) * group_width;
    const int center = group_x + group_width / 2;
    absl::StrAppendFormat(&out, "<g class=\"quarter\" data-quarter=\"%d\">\n", q.quarter);
    const std::array<std::optional<int64_t>, 3> values = {q.complaints_received, q.compliments,
                                                          q.advocacy_referrals};
    const std::array<bool, 3> withheld = {q.complaints_received_withheld, q.compliments_withheld,
                                          q.advocacy_referrals_withheld};
    if (!values[0].has_value()) {
      absl::StrAppendFormat(&out,
                            "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                            "not yet reported</text>\n",
                            center, kTop + kPlotHeight - 8);
    }
    for (size_t s = 0; s < values.size(); ++s) {
      if (!values[s].has_value()) continue;
      const int x = center - bars_width / 2 + static_cast<int>(s) * (kBar + kGap);
      if (withheld[s]) {
        // No bar: the value is withheld. Its label says so, as in the tables.
        absl::StrAppendFormat(&out,
                              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\"><title>Q%d %s: "
                              "withheld</title>%s</text>\n",
                              x + kBar / 2, kTop + kPlotHeight - 4, q.quarter, series[s].second,
                              kWithheld);
        continue;
      }
      const double y = y_of(*values[s]);
      absl::StrAppendFormat(&out,
                            "<rect class=\"%s\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\">"
                            "<title>Q%d %s: %d</title></rect>"
                            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n",
                            series[s].first, x, y, kBar, kTop + kPlotHeight - y, q.quarter,
                            series[s].second, *values[s], x + kBar / 2, y - 4, *values[s]);
    }
    absl::StrAppendFormat(&out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">Q%d</text>\n</g>\n",
                          center, kTop + kPlotHeight + 20, q.quarter);
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

}  // namespace feedback::client
