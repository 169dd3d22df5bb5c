// The report as JSON (client/report/json.cc): protobuf's JSON over a Struct, the same bytes on
// every run, every figure with the model's numbers in its section, and every text a verbatim JSON
// string however hostile. Every expectation is computed from the input or the model. No server.
#include <string>
#include <vector>

#include "client/report/report.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_json_test {

using ::feedback::testing::Build;
using ::feedback::testing::kAwkwardQuote;
using ::feedback::testing::kFamiliesSentence;
using ::feedback::testing::Quote;
using ::feedback::testing::SeedInput;

google::protobuf::Struct Parse(const std::string& json) {
  google::protobuf::Struct root;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &root).ok()) << json;
  return root;
}

TEST(ReportJson, IsProtobufJsonWithTheFiguresAndVerbatimQuotes) {
  const QuarterReport report = Build(SeedInput({Quote(v1::SOURCE_FAMILY, kAwkwardQuote, 1)}));
  const std::string json = RenderJson(report);
  EXPECT_EQ(json, RenderJson(report)) << "same report, same bytes";
  google::protobuf::Struct root;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &root).ok()) << json;
  const auto& f = root.fields();
  EXPECT_EQ(f.at("period").string_value(), "2018-19Q3");
  EXPECT_EQ(f.at("financialYear").number_value(), 2018);
  EXPECT_EQ(f.at("quarter").number_value(), 3);
  EXPECT_EQ(f.at("previousPeriod").string_value(), "2018-19Q2");
  const auto& sections = f.at("sections").list_value().values();
  ASSERT_EQ(sections.size(), 6);  // the QA framework's and the chairs' sections first (issue 13)
  const auto& families = sections[3].struct_value().fields();
  EXPECT_EQ(families.at("id").string_value(), "families");
  EXPECT_EQ(families.at("statements")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("text")
                .string_value(),
            kFamiliesSentence);
  const auto& complaints = families.at("figures").list_value().values(0).struct_value().fields();
  EXPECT_EQ(complaints.at("measure").string_value(), "complaints_received");
  EXPECT_EQ(complaints.at("value").number_value(), 26);
  EXPECT_EQ(complaints.at("previousQuarter").number_value(), 23);
  EXPECT_EQ(complaints.at("change").number_value(), 3);
  EXPECT_EQ(complaints.at("yearToDate").number_value(), 59);
  EXPECT_EQ(complaints.at("byQuarter").list_value().values_size(), 3);
  const auto& quote = families.at("quotes").list_value().values(0).struct_value().fields();
  EXPECT_EQ(quote.at("text").string_value(), kAwkwardQuote);
  EXPECT_EQ(quote.at("source").string_value(), "SOURCE_FAMILY");
  const auto& chart = f.at("chart").list_value().values();
  ASSERT_EQ(chart.size(), 4);
  EXPECT_EQ(chart[2].struct_value().fields().at("advocacyReferrals").number_value(), 40);
  EXPECT_TRUE(chart[3].struct_value().fields().at("complaintsReceived").has_null_value());
}

TEST(ReportJson, EverySectionListsItsFiguresWithTheModelsNumbers) {
  const QuarterReport report = Build(SeedInput());
  const google::protobuf::Struct root = Parse(RenderJson(report));
  const auto& sections = root.fields().at("sections").list_value().values();
  ASSERT_EQ(static_cast<size_t>(sections.size()), report.sections.size());
  size_t seen = 0;
  for (int s = 0; s < sections.size(); ++s) {
    const auto& section = sections[s].struct_value().fields();
    EXPECT_EQ(section.at("id").string_value(), report.sections[s].id);
    std::vector<const ReportFigure*> want;
    for (const ReportFigure& f : report.figures) {
      if (f.section == report.sections[s].id) want.push_back(&f);
    }
    const auto& figures = section.at("figures").list_value().values();
    ASSERT_EQ(static_cast<size_t>(figures.size()), want.size()) << report.sections[s].id;
    for (int i = 0; i < figures.size(); ++i) {
      const ReportFigure& f = *want[i];
      SCOPED_TRACE(f.measure);
      const auto& got = figures[i].struct_value().fields();
      EXPECT_EQ(got.at("measure").string_value(), f.measure);
      EXPECT_EQ(got.at("label").string_value(), f.label);
      EXPECT_EQ(got.at("value").number_value(), f.value);
      EXPECT_EQ(got.at("previousQuarter").number_value(), f.previous_quarter);
      EXPECT_EQ(got.at("change").number_value(), f.value - f.previous_quarter);
      EXPECT_EQ(got.at("yearToDate").number_value(), f.year_to_date);
      const auto& by_quarter = got.at("byQuarter").list_value().values();
      ASSERT_EQ(static_cast<size_t>(by_quarter.size()), f.by_quarter.size());
      for (int q = 0; q < by_quarter.size(); ++q) {
        EXPECT_EQ(by_quarter[q].number_value(), f.by_quarter[q]) << "Q" << q + 1;
      }
      ++seen;
    }
  }
  EXPECT_EQ(seen, report.figures.size());
}

TEST(ReportJson, HostileTextIsAVerbatimString) {
  const std::string text =
      "\"},{\"injected\":true,\"x\":\"\\u0000 </script><script>alert(1)</script>\n\ttab "
      "\x01\x1f \xE2\x80\xA8 \xF0\x9F\x99\x82 {\"a\": [1]}";
  const google::protobuf::Struct root =
      Parse(RenderJson(Build(SeedInput({Quote(v1::SOURCE_FAMILY, text, 1)}))));
  EXPECT_FALSE(root.fields().contains("injected"));
  const auto& families = root.fields().at("sections").list_value().values(3).struct_value();
  EXPECT_EQ(families.fields().at("id").string_value(), "families");
  const auto& quotes = families.fields().at("quotes").list_value();
  ASSERT_EQ(quotes.values_size(), 1);
  EXPECT_EQ(quotes.values(0).struct_value().fields().at("text").string_value(), text);
}

}  // namespace report_json_test
}  // namespace
}  // namespace feedback::client
