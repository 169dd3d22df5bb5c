// The export CSV (client/report/export_csv.h), separate from the report: one RFC 4180 record per
// feedback item under a stable header, the item's own words verbatim in their field, never run as
// a spreadsheet formula. No server.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/report_input.h"

namespace feedback::client {
namespace {
namespace report_export_csv_test {

using ::feedback::testing::kAwkwardQuote;
using ::feedback::testing::ParseCsv;
using ::testing::SizeIs;

TEST(ReportExportCsv, HeaderIsStableAndRowsRoundTrip) {
  EXPECT_STREQ(kExportCsvHeader,
               "id,submission_id,occurred_at,received_at,source,kind,meeting,service_area,rating,"
               "consent_to_quote,complaint_stage,complaint_outcome,tags,advocacy_referral_id,"
               "child_confirmed,text,advocacy_referral_submission_id");
  v1::Feedback f;
  f.set_id("fb_1");
  f.set_submission_id("0f5e");
  f.set_source(v1::SOURCE_FAMILY);
  f.set_kind(v1::KIND_COMPLAINT);
  f.set_meeting(v1::MEETING_CLA_REVIEW);
  f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  f.set_consent_to_quote(true);
  f.set_complaint_stage(v1::COMPLAINT_STAGE_2);
  f.set_complaint_outcome(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD);
  f.add_tags("complaint");
  f.add_tags("consent_to_quote");
  f.mutable_occurred_at()->set_seconds(1538350200);  // 2018-09-30T23:30:00Z
  f.set_text(kAwkwardQuote);
  const std::string row = ExportCsvRow(f);
  EXPECT_TRUE(absl::EndsWith(row, "\r\n"));
  const std::vector<std::vector<std::string>> rows =
      ParseCsv(absl::StrCat(kExportCsvHeader, "\r\n", row));
  ASSERT_THAT(rows, SizeIs(2));
  const std::vector<std::string> want = {"fb_1",
                                         "0f5e",
                                         "2018-09-30T23:30:00Z",
                                         "",
                                         "family",
                                         "complaint",
                                         "cla-review",
                                         "social-care",
                                         "",
                                         "true",
                                         "2",
                                         "partially-upheld",
                                         "complaint;consent_to_quote",
                                         "",
                                         "false",
                                         kAwkwardQuote,
                                         ""};
  EXPECT_EQ(rows[1], want);
}

TEST(ReportExportCsv, EachItemIsOneRecordWhateverItsTextAndNoTextRunsAsAFormula) {
  const std::vector<std::string> texts = {
      "=cmd|' /C calc'!A0",
      "+1",
      "-2",
      "@A1",
      "\tx",
      "\ry",
      "a,b",
      "say \"hi\"",
      "line one\r\nline two\nline three",
      "",
  };
  std::string csv = absl::StrCat(kExportCsvHeader, "\r\n");
  for (size_t i = 0; i < texts.size(); ++i) {
    v1::Feedback item;
    item.set_id(absl::StrCat("fb_", i));
    item.set_source(v1::SOURCE_FAMILY);
    item.add_tags("a,b");  // a tag with a comma stays one field too
    item.set_text(texts[i]);
    csv += ExportCsvRow(item);
  }
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  ASSERT_THAT(rows, SizeIs(texts.size() + 1));
  for (size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(rows[i + 1].size(), rows[0].size());
    EXPECT_EQ(rows[i + 1][0], absl::StrCat("fb_", i));
    EXPECT_EQ(rows[i + 1][12], "a,b");
    const bool formula = !texts[i].empty() && absl::StrContains("=+-@\t\r", texts[i].substr(0, 1));
    EXPECT_EQ(rows[i + 1][15], formula ? "'" + texts[i] : texts[i]);  // text
  }
}

}  // namespace report_export_csv_test
}  // namespace
}  // namespace feedback::client
