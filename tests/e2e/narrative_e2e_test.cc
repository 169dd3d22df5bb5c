// The quarterly report's narrative through the real binaries (issue 13): a QA manager sets a
// quarter's sections with feedbackctl, edits keep every version, a reporter reads the current
// text but not its history, bad input names its field and stores nothing, a retry stores
// nothing twice, the HTTP door serves the same calls; the report's title comes from feedbackd's
// --council-name and --division-title; and the seed quarter's report, with the seed's narrative,
// says the seed's own sentences in the seed's order (the seed report file is the oracle).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/demo/seed_narrative.h"
#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/seed_dataset.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace narrative_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCouncil[] = "Leicester City Council";
constexpr char kDivision[] = "Children\xE2\x80\x99s Social Care and Early Help Division";

ServerOptions TitledServer() {
  ServerOptions options;
  options.flags = {"--council-name", kCouncil,        "--division-title",
                   kDivision,        "--http-listen", "127.0.0.1:0"};
  return options;
}

class NarrativeEndToEnd : public ServerTest {
 protected:
  NarrativeEndToEnd() : ServerTest(TitledServer()) {}
};

TEST_F(NarrativeEndToEnd, SetShowAndHistoryOnTheCommandLine) {
  const CommandResult first = Ctl({"narrative", "set", "--quarter", "2018-19Q3", "--section",
                                   "next-steps", "--text", "First draft of the next steps"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "1\n");
  const std::string file = dir().Sub("steps.txt");
  std::ofstream(file) << "\xE2\x80\xA2 Independent review of Leaving Care Services\n"
                         "\xE2\x80\xA2 Reg 44 visits\n";
  const CommandResult second = Ctl({"narrative", "set", "--quarter", "2018-19Q3", "--section",
                                    "next-steps", "--text-file", file});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "2\n");

  const CommandResult shown = Ctl({"narrative", "show", "--quarter", "2018-19Q3"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("## next-steps (v2)"));
  EXPECT_THAT(shown.out, HasSubstr("Independent review of Leaving Care Services"));
  EXPECT_THAT(shown.out, Not(HasSubstr("First draft")));

  // Nothing was overwritten: the history has both versions, with who wrote them.
  const CommandResult history = Ctl({"narrative", "show", "--quarter", "2018-19Q3", "--history"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("First draft of the next steps"));
  EXPECT_THAT(history.out, HasSubstr("next-steps v1"));
  EXPECT_THAT(history.out, HasSubstr("next-steps v2"));
  EXPECT_THAT(history.out, HasSubstr("(qa-manager)"));

  // A reporter reads the current text for the report, never who wrote what.
  const CommandResult reporter =
      Ctl(v1::ROLE_REPORTER, {"narrative", "show", "--quarter", "2018-19Q3"});
  EXPECT_EQ(reporter.exit_code, 0) << reporter.err;
  EXPECT_THAT(reporter.out, HasSubstr("Reg 44 visits"));
  const CommandResult reporter_history =
      Ctl(v1::ROLE_REPORTER, {"narrative", "show", "--quarter", "2018-19Q3", "--history"});
  EXPECT_NE(reporter_history.exit_code, 0);
  EXPECT_THAT(reporter_history.err, HasSubstr("PERMISSION_DENIED"));
  // Nor may a reporter write it.
  EXPECT_NE(Ctl(v1::ROLE_REPORTER, {"narrative", "set", "--quarter", "2018-19Q3", "--section",
                                    "next-steps", "--text", "x"})
                .exit_code,
            0);

  const CommandResult json =
      Ctl({"--json", "narrative", "show", "--quarter", "2018-19Q3", "--section", "next-steps"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"NARRATIVE_SECTION_NEXT_STEPS\""));
  EXPECT_THAT(json.out, HasSubstr(absl::StrCat("\"councilName\":\"", kCouncil, "\"")));
}

TEST_F(NarrativeEndToEnd, BadInputNamesItsFieldAndStoresNothing) {
  const CommandResult section =
      Ctl({"narrative", "set", "--quarter", "2018-19Q3", "--section", "summary", "--text", "x"});
  EXPECT_EQ(section.exit_code, 2);
  EXPECT_THAT(section.err, HasSubstr("--section"));
  const CommandResult quarter =
      Ctl({"narrative", "set", "--quarter", "2018Q3", "--section", "next-steps", "--text", "x"});
  EXPECT_EQ(quarter.exit_code, 2);
  EXPECT_THAT(quarter.err, HasSubstr("--quarter"));
  const CommandResult neither =
      Ctl({"narrative", "set", "--quarter", "2018-19Q3", "--section", "next-steps"});
  EXPECT_EQ(neither.exit_code, 2);
  const CommandResult long_text = Ctl({"narrative", "set", "--quarter", "2018-19Q3", "--section",
                                       "next-steps", "--text", std::string(20000, 'a')});
  EXPECT_NE(long_text.exit_code, 0);
  EXPECT_THAT(long_text.err, HasSubstr("text: is 20000 bytes"));
  const CommandResult control = Ctl({"narrative", "set", "--quarter", "2018-19Q3", "--section",
                                     "next-steps", "--text", "ding\x07"});
  EXPECT_NE(control.exit_code, 0);
  EXPECT_THAT(control.err, HasSubstr("text: has a control character"));
  const CommandResult shown = Ctl({"narrative", "show", "--quarter", "2018-19Q3", "--history"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out, "");
  EXPECT_THAT(shown.err, HasSubstr("no narrative matched"));
}

TEST_F(NarrativeEndToEnd, ARetryStoresOneVersionAndTheHttpDoorServesTheSameCalls) {
  const std::string id = client::NewSubmissionId();
  const std::vector<std::string> set = {
      "narrative",       "set",    "--quarter",      "2018-19Q3",       "--section",
      "recommendations", "--text", "Keep the pilot", "--submission-id", id};
  ASSERT_EQ(Ctl(set).out, "1\n");
  EXPECT_EQ(Ctl(set).out, "1\n");  // the same version, not a second one

  auto http = HttpClient::Connect(server().http_address());
  ASSERT_OK(http.status());
  auto reply = (*http)->Call("SetNarrative",
                             absl::StrCat("{\"financialYear\": 2018, \"quarter\": 3, \"section\": "
                                          "\"NARRATIVE_SECTION_RECOMMENDATIONS\", \"text\": "
                                          "\"Remove the age limit\", \"submissionId\": \"",
                                          client::NewSubmissionId(), "\"}"),
                             server().token(v1::ROLE_QA_MANAGER));
  ASSERT_OK(reply.status());
  EXPECT_EQ(reply->status, 200) << reply->body;
  EXPECT_THAT(reply->body, HasSubstr("\"version\":2"));
  auto got = (*http)->Call("GetNarrative",
                           "{\"financialYear\": 2018, \"quarter\": 3, \"includeHistory\": true}",
                           server().token(v1::ROLE_QA_MANAGER));
  ASSERT_OK(got.status());
  EXPECT_EQ(got->status, 200) << got->body;
  EXPECT_THAT(got->body, HasSubstr("Remove the age limit"));
  EXPECT_THAT(got->body, HasSubstr("Keep the pilot"));
  auto bad = (*http)->Call("SetNarrative",
                           "{\"financialYear\": 2018, \"quarter\": 3, \"section\": "
                           "\"NARRATIVE_SECTION_NEXT_STEPS\", \"text\": \"x\"}",
                           server().token(v1::ROLE_QA_MANAGER));
  ASSERT_OK(bad.status());
  EXPECT_NE(bad->status, 200);
  EXPECT_THAT(bad->body, HasSubstr("submission_id"));

  // Each write is audited, without its text.
  const CommandResult audit = Ctl({"admin", "audit", "--action", "narrative.set"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("narrative.set"));
  EXPECT_THAT(audit.out, Not(HasSubstr("Keep the pilot")));
}

// --- The seed quarter, sentence by sentence against the seed report itself.

std::string ReadSeedReport() {
  std::ifstream in(std::string(FEEDBACK_SOURCE_DIR) + "/tests/data/seed-report-2018-19Q3.txt");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The Markdown report as plain text: Markdown's backslash escapes undone, so that a sentence
// reads as written.
std::string Unescaped(const std::string& md) {
  return std::regex_replace(md, std::regex(R"(\\([!-/:-@\[-`{-~]))"), "$1");
}

// The seed's sentences the report must say, in the seed's order: each is cut from the seed
// report file as it is there (checked below), so the file is the oracle, not this list.
const std::vector<std::string>& SeedSentences() {
  static const auto* sentences = new std::vector<std::string>{
      // The title, from the server's configuration and the quarter.
      "Leicester City Council Quarter 3 October \xE2\x80\x93 December 2018 Children\xE2\x80\x99s "
      "Social Care and Early Help Division Quality Assurance Report",
      "Review of Q2 Next Steps",
      "Assessment training to be rolled out focusing on the areas for improvement \xE2\x80\x93 "
      "focus on identity & diversity, analysis of family history and risks/needs;",
      "Targeted activities by CIN Service around genograms and chronologies",
      "External review/ challenge of QA Framework scheduled in Q3",
      "The Performance Management and Quality Assurance Framework is enabling the council to "
      "know itself well.",
      "which do not meet regulatory requirements",
      "Audits across the Division",
      "There were 112 audits across the division in Q3 \xE2\x80\xA2 31 in Early Help \xE2\x80\xA2 "
      "63 in social care \xE2\x80\xA2 18 in YOS",
      "Practice Observations across the Division",
      "There were 92 P.O.s across the division in Q3 \xE2\x80\xA2 24 in Early Help \xE2\x80\xA2 "
      "65 in social care \xE2\x80\xA2 3 in YOS",
      "QA through Independent Chairs",
      "Participation \xE2\x80\x93 Advocacy",
      "Advocacy was offered for children attending ICPC or newly LAC age 10-15 years.",
      "Advocacy provided by De Montfort university youth work students.",
      "Advocacy \xE2\x80\x93 Initial Child Protection Conference \xE2\x80\x93 27 referrals (6 "
      "progressed to advocacy support at conference",
      "Advocacy for Children Looked After \xE2\x80\x93 13 Referrals (9 progressed to advocacy "
      "support)",
      "I can actually speak, and people listen when the advocate is here.",
      "I found it easier to write down my feelings and have my advocate say it for me at the "
      "meeting",
      "Recommendations",
      "The pilot will continue \xE2\x80\x93 age restrictions will be removed",
      "Leicester City Boundaries will be removed",
      "Feedback from Families",
      "26 complaints (7 upheld or partially upheld) and 31 compliments.",
      "Chairperson was fair and inclusive, and she challenged everyone involved to justify their "
      "comments and suggestions.",
      "Feedback from Partner Agencies",
      "4 compliments were received from partner agencies",
      "Clear plan drawn up addressing all concerns.",
      "Ensured parents and professional views were heard and respected throughout.",
      "Next Steps",
      "Further guidance to be provided to the auditors regarding the importance of warm feedback "
      "to the practitioners and link between areas of development and actions \xE2\x80\x93 "
      "March 2019;",
      "Independent review of Leaving Care Services \xE2\x80\x93 January 2019",
  };
  return *sentences;
}

// Seed sentences the report cannot say word for word, and why (kept here so that nobody
// mistakes their absence for an oversight):
//  - "LAC reviews CP Conferences Legend: 3% 8% 4% Escalations No concerns 88% 97%
//    Commendations": the chairs' slide is a chart whose labels the text extraction jumbled;
//    the report says "LAC reviews: 3% escalations, 88% no concerns, 8% commendations" (checked
//    by ReportEndToEnd and in this test's order through "QA through Independent Chairs").
//  - "Quality Assurance framework: Children's Early Help and Social Care ...": a diagram of the
//    framework's parts, not a figure or text the service keeps.
//  - "Audit Analysis Strengths Areas for improvement ...": two columns interleaved by the text
//    extraction; the report lists the leading themes in a table.
//  - "MST/MST CAN/FFT-CW Adherence data ...": a chart the service has no data for.
//  - "People at the meeting could actually hear what I think – I have been heard.": said, but
//    its position among the quotes is by date, not the seed's (checked for presence only).
//  - "Good, clear and thorough": a partner's rated comment, quoted after the four compliments'
//    quotes (checked for presence only).

class SeedNarrativeReport : public NarrativeEndToEnd {};

TEST_F(SeedNarrativeReport, TheReportSaysTheSeedsSentencesInTheSeedsOrder) {
  const std::string seed_text = ReadSeedReport();
  ASSERT_FALSE(seed_text.empty()) << "tests/data/seed-report-2018-19Q3.txt";
  absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(server());
  ASSERT_OK(seed.status());
  ASSERT_OK(LoadSeedNarrative(stub(v1::ROLE_QA_MANAGER), ""));
  // A QA manager approves every seeded quote, as a QA manager would for the report.
  for (const auto& [text, id] : seed->quote_ids) {
    v1::ApproveQuoteRequest request;
    request.set_feedback_id(id);
    v1::Quote quote;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ASSERT_TRUE(stub(v1::ROLE_QA_MANAGER).ApproveQuote(&context, request, &quote).ok()) << id;
  }

  const CommandResult md = Ctl({"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  const std::string report = Unescaped(md.out);
  size_t in_seed = 0;
  size_t in_report = 0;
  for (const std::string& sentence : SeedSentences()) {
    const size_t seed_at = seed_text.find(sentence, in_seed);
    ASSERT_NE(seed_at, std::string::npos) << "not in the seed (in this order): " << sentence;
    in_seed = seed_at + sentence.size();
    const size_t report_at = report.find(sentence, in_report);
    EXPECT_NE(report_at, std::string::npos)
        << "the report does not say, after the previous sentence: " << sentence << "\n"
        << report;
    if (report_at != std::string::npos) in_report = report_at + sentence.size();
  }
  EXPECT_THAT(report, HasSubstr("People at the meeting could actually hear what I think"));
  EXPECT_THAT(report, HasSubstr("Good, clear and thorough"));
}

TEST_F(SeedNarrativeReport, OneDivisionsReportSaysWhichAndShowsOnlyItsFigures) {
  ASSERT_OK(GenerateSeedDataset(server()).status());
  ASSERT_OK(LoadSeedNarrative(stub(v1::ROLE_QA_MANAGER), ""));
  const CommandResult md = Ctl({"report", "--quarter", "2018-19Q3", "--service-area", "yos"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("Quality Assurance Report \xE2\x80\x93 YOS"));
  EXPECT_THAT(md.out, HasSubstr("This report covers YOS only"));
  // The seed's YOS audits and observations ("18 in YOS", "3 in YOS"), and no other division's.
  EXPECT_THAT(Unescaped(md.out), HasSubstr("There were 18 audits"));
  EXPECT_THAT(Unescaped(md.out), HasSubstr("There were 3 P.O.s"));
  EXPECT_THAT(md.out, Not(HasSubstr("112 audits")));
  // The whole division's narrative and quotes are left out.
  EXPECT_THAT(md.out, Not(HasSubstr("Next Steps")));
  EXPECT_THAT(md.out, Not(HasSubstr("Advocacy provided by De Montfort")));
  const CommandResult bad =
      Ctl({"report", "--quarter", "2018-19Q3", "--service-area", "fostering"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--service-area"));
}

}  // namespace narrative_e2e_test
}  // namespace
}  // namespace feedback::testing
