// End-to-end: `feedbackctl report` and `feedbackctl export` against a real feedbackd holding the
// 2018-19 seed dataset (tests/support/seed_dataset.h), built once for the suite. The report must
// say what the division's Q3 QA report said, in its words, with a consented quote; the export
// must stream exactly the quarter's items.
#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/lib/feedback_client.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/seed_dataset.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace report_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

using Stub = v1::FeedbackService::Stub;

constexpr char kFamilies[] = "26 complaints (7 upheld or partially upheld) and 31 compliments";
constexpr char kPartners[] = "4 compliments were received from partner agencies";
constexpr char kIcpc[] = "27 referrals (6 progressed to advocacy support at conference)";
constexpr char kCla[] =
    "Advocacy for Children Looked After \xE2\x80\x93 13 Referrals (9 progressed to advocacy "
    "support)";

// Every item ListFeedback returns for 2018-19 `quarter` with `tag` (empty: any), all pages.
std::vector<v1::Feedback> ListAll(Stub& stub, int quarter, const std::string& tag = "") {
  v1::ListFeedbackRequest request;
  request.set_financial_year(2018);
  request.set_quarter(quarter);
  request.set_tag(tag);
  request.set_page_size(50);
  return ListAllFeedback(stub, request);
}

std::vector<std::string> IdsOf(const std::vector<v1::Feedback>& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const v1::Feedback& item : items) ids.push_back(item.id());
  return ids;
}

// One seeded server shared by every test (they only read).
class ReportEndToEnd : public SeededServerSuite {
 protected:
  static void SetUpTestSuite() {
    SeededServerSuite::SetUpTestSuite();
    if (!suite_status().ok()) return;
    // A qa_manager approves every seeded quote but one, which stays a candidate: a report
    // quotes approved words only.
    for (const auto& [text, id] : seed().quote_ids) {
      if (text == kUnapprovedQuote) continue;
      v1::ApproveQuoteRequest request;
      request.set_feedback_id(id);
      v1::Quote quote;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      const grpc::Status status = stub(v1::ROLE_QA_MANAGER).ApproveQuote(&context, request, &quote);
      if (!status.ok() || quote.text() != text) {
        return FailSuite(absl::InternalError(absl::StrCat(
            "ApproveQuote ", id, ": ", status.error_message(), " -> \"", quote.text(), "\"")));
      }
    }
  }

  // The one consented quote the fixture leaves unapproved.
  static constexpr std::string_view kUnapprovedQuote = kFamilyQuotes[1];
};

TEST_F(ReportEndToEnd, MarkdownSaysWhatTheQ3ReportSaidWithItsApprovedQuotes) {
  const CommandResult md = Ctl({"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr(absl::StrCat("Feedback from Families: ", kFamilies, ".")));
  EXPECT_THAT(md.out, HasSubstr(absl::StrCat("Feedback from Partner Agencies: ", kPartners)));
  EXPECT_THAT(md.out, HasSubstr(absl::StrCat(
                          "Advocacy \xE2\x80\x93 Initial Child Protection Conference \xE2\x80\x93 ",
                          kIcpc)));
  EXPECT_THAT(md.out, HasSubstr(kCla));
  // The report's own sentences on audits and practice observations, first after the title.
  const size_t audits = md.out.find(
      "There were 112 audits across the division in Q3 \xE2\x80\xA2 31 in Early Help "
      "\xE2\x80\xA2 63 in social care \xE2\x80\xA2 18 in YOS");
  EXPECT_NE(audits, std::string::npos) << md.out;
  EXPECT_LT(audits, md.out.find("Advocacy"));
  EXPECT_THAT(md.out, HasSubstr("There were 92 P.O.s across the division in Q3 \xE2\x80\xA2 24 in "
                                "Early Help \xE2\x80\xA2 65 in social care \xE2\x80\xA2 3 in YOS"));
  // QA through Independent Chairs, worked out from the seeded outcomes, right after the audits.
  const size_t lac = md.out.find("LAC reviews: 3% escalations, 88% no concerns, 8% commendations");
  EXPECT_NE(lac, std::string::npos) << md.out;
  EXPECT_GT(lac, audits);
  EXPECT_LT(lac, md.out.find("Advocacy"));
  EXPECT_THAT(md.out,
              HasSubstr("CP conferences: 3% escalations, 97% no concerns, 0% commendations"));
  EXPECT_THAT(md.out, HasSubstr(absl::StrCat("> ", std::string(kFamilyQuotes[0]), "\n")));
  // Every approved quote of the quarter; never a consented item that was not approved, nor
  // anything else the families said.
  const std::vector<v1::Feedback> consented = ListAll(stub(), 3, "consent_to_quote");
  ASSERT_FALSE(consented.empty());
  for (const v1::Feedback& item : consented) {
    if (item.text() == kUnapprovedQuote) {
      EXPECT_THAT(md.out, Not(HasSubstr(item.text()))) << item.id();
    } else {
      EXPECT_THAT(md.out, HasSubstr(item.text())) << item.id();
    }
  }
  EXPECT_THAT(md.out, Not(HasSubstr(std::string(kUnapprovedQuote))));
  for (const v1::Feedback& item : ListAll(stub(), 3)) {
    if (!item.consent_to_quote() && item.text().size() > 20) {
      EXPECT_THAT(md.out, Not(HasSubstr(item.text()))) << item.id();
    }
  }
  // Change from Q2 and year to date are shown beside the quarter's figures.
  EXPECT_THAT(md.out, HasSubstr("on Q2)"));
  EXPECT_THAT(md.out, HasSubstr("| Complaints received | 26 |"));
}

TEST_F(ReportEndToEnd, CsvJsonAndHtmlCarryTheSameFigures) {
  const CommandResult csv = Ctl({"report", "--quarter", "2018-19Q3", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv.out);
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(absl::StrJoin(rows[0], ","), client::kReportCsvHeader);
  std::set<std::string> statements;
  std::string complaints_value;
  for (const std::vector<std::string>& row : rows) {
    ASSERT_EQ(row.size(), rows[0].size());
    if (row[4] == "statement") statements.insert(row[11]);
    if (row[4] == "figure" && row[5] == "complaints_received") complaints_value = row[7];
  }
  EXPECT_EQ(complaints_value, "26");
  EXPECT_TRUE(statements.contains(absl::StrCat("Feedback from Families: ", kFamilies, ".")));
  EXPECT_TRUE(statements.contains(std::string(kCla)));

  const CommandResult json = Ctl({"report", "--quarter", "2018-19Q3", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  google::protobuf::Struct root;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &root).ok()) << json.out;
  EXPECT_EQ(root.fields().at("period").string_value(), "2018-19Q3");
  EXPECT_THAT(json.out, HasSubstr(kPartners));
  EXPECT_THAT(json.out, HasSubstr(kIcpc));
  // --json alone picks the JSON format.
  const CommandResult global_json = Ctl({"--json", "report", "--quarter", "2018-19Q3"});
  ASSERT_EQ(global_json.exit_code, 0) << global_json.err;
  EXPECT_EQ(global_json.out, json.out);

  const CommandResult html = Ctl({"report", "--quarter", "2018-19Q3", "--format", "html"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_THAT(html.out, HasSubstr("<svg "));
  EXPECT_THAT(html.out, Not(HasSubstr("http")));
  EXPECT_THAT(html.out, HasSubstr(kFamilies));
  EXPECT_THAT(html.out, HasSubstr(kCla));
  EXPECT_THAT(html.out, HasSubstr("<title>Q3 Complaints received: 26</title>"));
}

TEST_F(ReportEndToEnd, ReportRefusesABadQuarterOrFormat) {
  EXPECT_NE(Ctl({"report", "--quarter", "2018Q3"}).exit_code, 0);
  EXPECT_NE(Ctl({"report", "--quarter", "2018-19Q3", "--format", "pdf"}).exit_code, 0);
}

TEST_F(ReportEndToEnd, ExportNdjsonIsOneProtobufJsonObjectPerItemOfTheQuarter) {
  const CommandResult exported = Ctl({"export", "--quarter", "2018-19Q3", "--format", "ndjson"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  ASSERT_TRUE(absl::EndsWith(exported.out, "\n"));
  const std::vector<std::string> lines =
      absl::StrSplit(exported.out.substr(0, exported.out.size() - 1), '\n');
  const std::vector<v1::Feedback> listed = ListAll(stub(), 3);
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(lines.size(), listed.size());
  std::vector<std::string> ids;
  for (const std::string& line : lines) {
    v1::Feedback item;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &item).ok()) << line;
    ids.push_back(item.id());
  }
  EXPECT_THAT(ids, UnorderedElementsAreArray(IdsOf(listed)));
}

TEST_F(ReportEndToEnd, ExportCsvIsAHeaderAndOneRecordPerItemOfTheQuarter) {
  const CommandResult exported = Ctl({"export", "--quarter", "2018-19Q3", "--format", "csv"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::vector<std::vector<std::string>> rows = ParseCsv(exported.out);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(absl::StrJoin(rows[0], ","), client::kExportCsvHeader);
  const std::vector<v1::Feedback> listed = ListAll(stub(), 3);
  EXPECT_EQ(rows.size() - 1, listed.size());
  std::vector<std::string> ids;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
    ids.push_back(rows[i][0]);
  }
  EXPECT_THAT(ids, UnorderedElementsAreArray(IdsOf(listed)));
}

TEST_F(ReportEndToEnd, ExportOfAnEmptyQuarterIsJustTheHeader) {
  const CommandResult csv = Ctl({"export", "--quarter", "2016-17Q1", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, absl::StrCat(client::kExportCsvHeader, "\r\n"));
  const CommandResult ndjson = Ctl({"export", "--quarter", "2016-17Q1"});
  ASSERT_EQ(ndjson.exit_code, 0) << ndjson.err;
  EXPECT_EQ(ndjson.out, "");
}

}  // namespace report_e2e_test
}  // namespace
}  // namespace feedback::testing
