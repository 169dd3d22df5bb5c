// The report as one HTML page (client/report/html.cc, svg_chart.cc): self-contained, every text
// from the model shown as text however hostile, and a chart whose bars are the quarters' figures
// on one scale with its value axis. Every expectation is computed from the input. No server.
#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_html_test {

using ::feedback::testing::Build;
using ::feedback::testing::Compliments;
using ::feedback::testing::kClaSentence;
using ::feedback::testing::kFamiliesSentence;
using ::feedback::testing::kIcpcSentence;
using ::feedback::testing::kPartnersSentence;
using ::feedback::testing::Quote;
using ::feedback::testing::Referrals;
using ::feedback::testing::SeedInput;
using ::testing::HasSubstr;
using ::testing::Not;

// The text a browser shows for `html` without markup: the five character references undone.
std::string Unescape(const std::string& html) {
  return absl::StrReplaceAll(
      html, {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}});
}

// Every element name the page opens, e.g. "html", "svg", "rect".
std::set<std::string> Elements(const std::string& html) {
  std::set<std::string> names;
  static const std::regex kTag("<([A-Za-z][A-Za-z0-9]*)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kTag); it != std::sregex_iterator();
       ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

TEST(ReportHtml, IsOneSelfContainedPageWithAnInlineChart) {
  const std::string html = RenderHtml(
      Build(SeedInput({Quote(v1::SOURCE_FAMILY, "<script>alert('x')</script> & \"more\"", 1)})));
  EXPECT_TRUE(absl::StartsWith(html, "<!DOCTYPE html>\n"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("<svg "));
  EXPECT_THAT(html, HasSubstr("</svg>"));
  EXPECT_TRUE(absl::EndsWith(html, "</html>\n"));
  // Nothing to fetch: no URL, stylesheet link, script, image, font or import.
  for (const std::string external :
       {"http", "//", "src=", "href", "url(", "@import", "<link", "<script", "<img", "<iframe"}) {
    EXPECT_THAT(html, Not(HasSubstr(external))) << external;
  }
  EXPECT_THAT(html,
              HasSubstr("<blockquote><p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                        "&quot;more&quot;</p></blockquote>"));
  EXPECT_THAT(html, HasSubstr(kFamiliesSentence));
  EXPECT_THAT(html, HasSubstr(std::string(kPartnersSentence)));
  EXPECT_THAT(html, HasSubstr(std::string(kIcpcSentence)));
  EXPECT_THAT(html, HasSubstr(std::string(kClaSentence)));
}

TEST(ReportHtml, ChartHasThreeBarsPerReportedQuarterAndNoneAfter) {
  const std::string html = RenderHtml(Build(SeedInput()));
  const size_t q3 = html.find("data-quarter=\"3\"");
  const size_t q4 = html.find("data-quarter=\"4\"");
  ASSERT_NE(q3, std::string::npos);
  ASSERT_NE(q4, std::string::npos);
  const std::string q3_group = html.substr(q3, q4 - q3);
  EXPECT_THAT(q3_group, HasSubstr("<title>Q3 Complaints received: 26</title>"));
  EXPECT_THAT(q3_group, HasSubstr("<title>Q3 Compliments (every source): 35</title>"));
  EXPECT_THAT(q3_group, HasSubstr("<title>Q3 Advocacy referrals: 40</title>"));
  const std::string q4_group = html.substr(q4, html.find("</g>", q4) - q4);
  EXPECT_THAT(q4_group, Not(HasSubstr("<rect")));
  EXPECT_THAT(q4_group, HasSubstr("not yet reported"));
}

TEST(ReportEscaping, Html) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("caf\xC3\xA9 \xE2\x80\x93 ok"), "caf\xC3\xA9 \xE2\x80\x93 ok");
}

TEST(ReportHtml, ChartBarsAreTheQuartersFiguresOnTheValueAxisScale) {
  const QuarterReportInput input = SeedInput();
  const std::string html = RenderHtml(Build(input));
  // The value axis: its lines with their labels, "0" at the bottom.
  static const std::regex kAxis(
      "<line class=\"(?:axis|grid)\" x1=\"\\d+\" y1=\"([\\d.]+)\" x2=\"\\d+\" y2=\"[\\d.]+\"/>"
      "<text x=\"\\d+\" y=\"[\\d.]+\" text-anchor=\"end\">(\\d+)</text>");
  std::map<int64_t, double> axis;  // label -> y
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kAxis);
       it != std::sregex_iterator(); ++it) {
    axis[std::stoll((*it)[2])] = std::stod((*it)[1]);
  }
  ASSERT_GE(axis.size(), 2u);
  ASSERT_EQ(axis.begin()->first, 0);
  const double bottom = axis.begin()->second;
  const auto [axis_top, top_y] = *axis.rbegin();
  const double per_unit = (bottom - top_y) / static_cast<double>(axis_top);
  // The bars: one per series for each reported quarter, each titled with its value.
  static const std::regex kBar(
      "<rect class=\"(\\w+)\" x=\"\\d+\" y=\"([\\d.]+)\" width=\"\\d+\" height=\"([\\d.]+)\">"
      "<title>Q(\\d) [^:<]+: (\\d+)</title></rect>");
  std::map<std::pair<int, std::string>, int64_t> bars;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kBar); it != std::sregex_iterator();
       ++it) {
    const int64_t value = std::stoll((*it)[5]);
    const double y = std::stod((*it)[2]), height = std::stod((*it)[3]);
    SCOPED_TRACE((*it)[0].str());
    EXPECT_NEAR(y + height, bottom, 0.11) << "every bar stands on the axis";
    EXPECT_NEAR(height, value * per_unit, 0.11) << "the bar is as tall as its value on the axis";
    EXPECT_LE(value, axis_top);
    bars[{std::stoi((*it)[4]), (*it)[1]}] = value;
  }
  std::map<std::pair<int, std::string>, int64_t> want;
  for (int q = 1; q <= static_cast<int>(input.summaries.size()); ++q) {
    const v1::QuarterSummary& s = input.summaries[q - 1];
    want[{q, "complaints"}] = s.complaints_received();
    want[{q, "compliments"}] = Compliments(s);
    want[{q, "advocacy"}] = Referrals(s);
  }
  EXPECT_EQ(bars, want);
}

TEST(ReportHtml, HostileTextFromTheServerStaysText) {
  const std::string quote =
      "</p></blockquote><script>alert(1)</script><img src=x onerror=\"alert('x')\"> & <!-- -->";
  const std::string band = "<b onclick=\"x\">0-4</b>";
  QuarterReportInput input = SeedInput({Quote(v1::SOURCE_PARTNER_AGENCY, quote, 1)});
  v1::AgeBandCount* count = input.summaries.back().mutable_advocacy(1)->add_age_bands();
  count->set_band(band);
  count->set_referrals(13);
  const std::string html = RenderHtml(Build(input));
  const std::set<std::string> page = {
      "html",  "head", "meta", "title", "style",     "body",   "main",       "h1",
      "h2",    "h3",   "p",    "ul",    "li",        "figure", "figcaption", "svg",
      "g",     "rect", "text", "line",  "section",   "table",  "caption",    "thead",
      "tbody", "tr",   "th",   "td",    "blockquote"};
  for (const std::string& element : Elements(html)) {
    EXPECT_TRUE(page.contains(element)) << "<" << element << "> is not the report's own";
  }
  const size_t start = html.find("<blockquote><p>") + std::string("<blockquote><p>").size();
  const size_t end = html.find("</p></blockquote>", start);
  EXPECT_EQ(Unescape(html.substr(start, end - start)), quote);
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<th scope=\"col\">",
                                           "&lt;b onclick=&quot;x&quot;&gt;0-4"
                                           "&lt;/b&gt;</th>")));
  EXPECT_THAT(html, Not(HasSubstr("onerror=\"")));
}

}  // namespace report_html_test
}  // namespace
}  // namespace feedback::client
