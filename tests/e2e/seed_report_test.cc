// End-to-end: the 2018-19 seed dataset (tests/support/seed_dataset.h) built through the public
// API reproduces the division's Q3 QA report figures, the noise quarters around it, the quarter
// edges, and survives a crash; plus safeguarding alert watching, complaint listing filters and
// re-tagging with a new lexicon theme.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/domain/disclosure.h"
#include "tests/support/disclosure_intruder.h"
#include "tests/support/seed_dataset.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace seed_report_test {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

absl::StatusOr<v1::QuarterSummary> Summary(Stub& stub, int financial_year, int quarter,
                                           v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED) {
  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(financial_year);
  request.set_quarter(quarter);
  request.set_service_area(area);
  v1::QuarterSummary summary;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.GetQuarterSummary(&context, request, &summary);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return summary;
}

absl::StatusOr<v1::VerifyCountersResponse> Verify(Stub& stub) {
  v1::VerifyCountersResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.VerifyCounters(&context, v1::VerifyCountersRequest(), &response);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return response;
}

// The figures the seed plans (see SeedDataset::Planned): the summary without the unplanned ones.
v1::QuarterSummary OnlyPlanned(v1::QuarterSummary summary) {
  summary.clear_tags();
  summary.clear_qa_themes();
  summary.clear_oversight_strengths();
  summary.clear_oversight_areas_for_development();
  summary.clear_previous_quarter();
  return summary;
}

// Empty if equal, else a readable list of the differences.
std::string Differences(const google::protobuf::Message& want,
                        const google::protobuf::Message& got) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  return differencer.Compare(want, got) ? "" : report;
}

std::vector<std::string> ListFeedbackIds(Stub& stub, v1::ListFeedbackRequest request) {
  std::vector<std::string> ids;
  for (int pages = 0; pages < 100; ++pages) {
    v1::ListFeedbackResponse page;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status status = stub.ListFeedback(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    for (const v1::Feedback& item : page.feedback()) ids.push_back(item.id());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return ids;
}

v1::ListFeedbackRequest ListRequest(int financial_year, int quarter, v1::Source source,
                                    v1::Kind kind, const std::string& tag = "") {
  v1::ListFeedbackRequest request;
  request.set_financial_year(financial_year);
  request.set_quarter(quarter);
  request.set_source(source);
  request.set_kind(kind);
  request.set_tag(tag);
  request.set_page_size(20);
  return request;
}

// Every complaint matching `request`, 7 to a page.
std::vector<v1::Complaint> ListComplaints(Stub& stub, v1::ListComplaintsRequest request) {
  request.set_page_size(7);
  std::vector<v1::Complaint> all;
  for (int pages = 0; pages < 100; ++pages) {
    v1::ListComplaintsResponse page;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status status = stub.ListComplaints(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    all.insert(all.end(), page.complaints().begin(), page.complaints().end());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return all;
}

std::vector<std::string> IdsOf(const std::vector<v1::Complaint>& complaints) {
  std::vector<std::string> ids;
  for (const v1::Complaint& c : complaints) ids.push_back(c.feedback().id());
  return ids;
}

// --- One seeded server shared by the read-only tests ------------------------------------------

using SeedReportTest = SeededServerSuite;

TEST_F(SeedReportTest, Q3SummaryHasTheQaReportFigures) {
  absl::StatusOr<v1::QuarterSummary> q3 = Summary(stub(), 2018, 3);
  ASSERT_OK(q3);
  // "26 complaints (7 upheld or partially upheld) and 31 compliments."
  EXPECT_EQ(q3->complaints_received(), 26);
  EXPECT_EQ(q3->complaints_upheld() + q3->complaints_partially_upheld(), 7);
  EXPECT_EQ(q3->compliments_from_families(), 31);
  // "4 compliments were received from partner agencies".
  EXPECT_EQ(q3->compliments_from_partners(), 4);
  // "27 referrals (6 progressed ...)" and "13 Referrals (9 progressed ...)".
  std::optional<v1::AdvocacyFigures> icpc, cla;
  for (const v1::AdvocacyFigures& a : q3->advocacy()) {
    if (a.meeting() == v1::MEETING_INITIAL_CP_CONFERENCE) icpc = a;
    if (a.meeting() == v1::MEETING_CLA_REVIEW) cla = a;
  }
  ASSERT_TRUE(icpc.has_value()) << q3->DebugString();
  ASSERT_TRUE(cla.has_value()) << q3->DebugString();
  EXPECT_EQ(icpc->referrals(), 27);
  EXPECT_EQ(icpc->progressed(), 6);
  EXPECT_EQ(cla->referrals(), 13);
  EXPECT_EQ(cla->progressed(), 9);
  EXPECT_EQ(q3->child_statements(), 3);

  // Every other planned figure too (outcomes by decision quarter, escalations, ratings).
  EXPECT_EQ(Differences(seed().Planned(2018, 3), OnlyPlanned(*q3)), "");
}

TEST_F(SeedReportTest, NoiseQuartersAndServiceAreasMatchThePlan) {
  for (int quarter : {1, 2, 3, 4}) {
    SCOPED_TRACE(quarter);
    for (v1::ServiceArea area : {v1::SERVICE_AREA_UNSPECIFIED, v1::SERVICE_AREA_SOCIAL_CARE,
                                 v1::SERVICE_AREA_EARLY_HELP, v1::SERVICE_AREA_YOUTH_OFFENDING}) {
      SCOPED_TRACE(v1::ServiceArea_Name(area));
      absl::StatusOr<v1::QuarterSummary> got = Summary(stub(), 2018, quarter, area);
      ASSERT_OK(got);
      EXPECT_EQ(Differences(seed().Planned(2018, quarter, area), OnlyPlanned(*got)), "");
    }
  }
  // The noise is not empty: Q2 and Q4 have figures of their own.
  EXPECT_GT(seed().Planned(2018, 2).complaints_received(), 0);
  EXPECT_GT(seed().Planned(2018, 4).compliments_from_families(), 0);
}

TEST_F(SeedReportTest, PreviousQuarterOfQ3IsTheQ2Summary) {
  absl::StatusOr<v1::QuarterSummary> q3 = Summary(stub(), 2018, 3);
  absl::StatusOr<v1::QuarterSummary> q2 = Summary(stub(), 2018, 2);
  ASSERT_OK(q3);
  ASSERT_OK(q2);
  v1::QuarterSummary q2_alone = *q2;
  q2_alone.clear_previous_quarter();
  EXPECT_EQ(Differences(q2_alone, q3->previous_quarter()), "");
  EXPECT_EQ(q3->previous_quarter().quarter(), 2);
  // Restricted to a service area, the previous quarter is restricted the same way.
  absl::StatusOr<v1::QuarterSummary> q3_early_help =
      Summary(stub(), 2018, 3, v1::SERVICE_AREA_EARLY_HELP);
  ASSERT_OK(q3_early_help);
  EXPECT_EQ(Differences(seed().Planned(2018, 2, v1::SERVICE_AREA_EARLY_HELP),
                        OnlyPlanned(q3_early_help->previous_quarter())),
            "");
}

TEST_F(SeedReportTest, QuarterEdgesFollowLocalMidnightInLondon) {
  const auto families = [&](int quarter) {
    return ListFeedbackIds(stub(),
                           ListRequest(2018, quarter, v1::SOURCE_FAMILY, v1::KIND_COMPLIMENT));
  };
  const std::vector<std::string> q2 = families(2), q3 = families(3), q4 = families(4);
  EXPECT_EQ(static_cast<int64_t>(q3.size()), 31);
  EXPECT_EQ(static_cast<int64_t>(q2.size()), seed().Planned(2018, 2).compliments_from_families());
  EXPECT_EQ(static_cast<int64_t>(q4.size()), seed().Planned(2018, 4).compliments_from_families());
  const auto has = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  // 23:59:59 BST on 30 September is Q2; 00:30 BST on 1 October (23:30 UTC) is Q3.
  EXPECT_TRUE(has(q2, seed().q2_last_second_id));
  EXPECT_FALSE(has(q3, seed().q2_last_second_id));
  EXPECT_TRUE(has(q3, seed().q3_first_hour_id));
  EXPECT_FALSE(has(q2, seed().q3_first_hour_id));
  // 23:59:59 GMT on 31 December is Q3; midnight on 1 January is Q4.
  EXPECT_TRUE(has(q3, seed().q3_last_second_id));
  EXPECT_TRUE(has(q4, seed().q4_first_instant_id));
  EXPECT_FALSE(has(q3, seed().q4_first_instant_id));
  // Newest first: the last second of Q3 leads the Q3 list, its first hour ends it.
  ASSERT_FALSE(q3.empty());
  EXPECT_EQ(q3.front(), seed().q3_last_second_id);
  EXPECT_EQ(q3.back(), seed().q3_first_hour_id);
}

TEST_F(SeedReportTest, CliSummaryPrintsTheQ3Figures) {
  const CommandResult result = Ctl({"summary", "--quarter", "2018-19Q3"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("2018-19Q3"));
  EXPECT_THAT(result.out, ContainsRegex("complaints received +26 "));
  EXPECT_THAT(result.out, ContainsRegex("compliments from families +31 "));
  EXPECT_THAT(result.out, ContainsRegex("compliments from partner agencies +4 "));
  EXPECT_THAT(result.out, ContainsRegex("initial-cp-conference +27 referrals, 6 progressed"));
  EXPECT_THAT(result.out, ContainsRegex("cla-review +13 referrals, 9 progressed"));
}

TEST_F(SeedReportTest, AdminVerifyFindsNoCounterDifferences) {
  absl::StatusOr<v1::VerifyCountersResponse> verify = Verify(stub());
  ASSERT_OK(verify);
  EXPECT_EQ(verify->differences_size(), 0) << verify->DebugString();
  EXPECT_EQ(verify->records_examined(),
            static_cast<int64_t>(seed().feedback.size() + seed().referrals.size() +
                                 seed().quality_checks.size() + seed().oversights.size()));
  const CommandResult result = Ctl({"admin", "verify"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr(": 0 differences"));
}

TEST_F(SeedReportTest, ListComplaintsFiltersByOpenOnlyOutcomeAndStage) {
  const auto planned = [&](auto keep) { return seed().ComplaintIds(keep); };
  v1::ListComplaintsRequest all;
  EXPECT_THAT(IdsOf(ListComplaints(stub(), all)),
              UnorderedElementsAreArray(planned([](const PlannedComplaint&) { return true; })));

  v1::ListComplaintsRequest open;
  open.set_open_only(true);
  const std::vector<v1::Complaint> open_complaints = ListComplaints(stub(), open);
  EXPECT_THAT(IdsOf(open_complaints), UnorderedElementsAreArray(planned([](const auto& c) {
                return c.final_outcome == v1::COMPLAINT_OUTCOME_UNSPECIFIED;
              })));
  for (const v1::Complaint& c : open_complaints) EXPECT_FALSE(c.has_closed_at());

  for (v1::ComplaintOutcome outcome :
       {v1::COMPLAINT_OUTCOME_UPHELD, v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD,
        v1::COMPLAINT_OUTCOME_NOT_UPHELD, v1::COMPLAINT_OUTCOME_WITHDRAWN}) {
    SCOPED_TRACE(v1::ComplaintOutcome_Name(outcome));
    v1::ListComplaintsRequest request;
    request.set_outcome(outcome);
    const std::vector<v1::Complaint> got = ListComplaints(stub(), request);
    // Complaints escalated after a "not upheld" are open (or decided again) now: only the
    // final outcome counts.
    EXPECT_THAT(IdsOf(got), UnorderedElementsAreArray(planned(
                                [&](const auto& c) { return c.final_outcome == outcome; })));
    for (const v1::Complaint& c : got) EXPECT_EQ(c.feedback().complaint_outcome(), outcome);
  }

  v1::ListComplaintsRequest stage2;
  stage2.set_stage(v1::COMPLAINT_STAGE_2);
  EXPECT_THAT(IdsOf(ListComplaints(stub(), stage2)),
              UnorderedElementsAreArray(
                  planned([](const auto& c) { return c.final_stage == v1::COMPLAINT_STAGE_2; })));
  stage2.set_open_only(true);
  const std::vector<std::string> open_at_stage2 = planned([](const auto& c) {
    return c.final_stage == v1::COMPLAINT_STAGE_2 &&
           c.final_outcome == v1::COMPLAINT_OUTCOME_UNSPECIFIED;
  });
  EXPECT_EQ(open_at_stage2.size(), 1u);
  EXPECT_THAT(IdsOf(ListComplaints(stub(), stage2)), UnorderedElementsAreArray(open_at_stage2));

  // Overdue: open past the due date (every open 2018-19 complaint by now), or closed after it.
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_THAT(IdsOf(ListComplaints(stub(), overdue)),
              UnorderedElementsAreArray(planned([](const auto& c) {
                return c.final_outcome == v1::COMPLAINT_OUTCOME_UNSPECIFIED || c.closed_late;
              })));

  // Each case keeps its whole history.
  std::map<std::string, int> history_size;
  for (const PlannedComplaint& c : seed().complaints) history_size[c.id] = c.history_size;
  for (const v1::Complaint& c : ListComplaints(stub(), all)) {
    EXPECT_EQ(c.history_size(), history_size[c.feedback().id()]) << c.feedback().id();
  }
}

// --- Tests with servers of their own -----------------------------------------------------------

// The seed quarters, as the intruder of docs/disclosure.md sees them: under the default policy
// and stricter ones, every withheld cell of every quarter of 2018-19, for all areas and for each
// area, keeps at least two possible values; and the server publishes what ApplyDisclosureControl
// makes of the exact figures.
TEST_F(SeedReportTest, WithheldSeedFiguresStayUnknowable) {
  const std::vector<std::string> policies = {
      "", "suppress all\n",
      "suppress ratings\nsuppress compliments.by_source\nsuppress complaints.outcomes\n"};
  int withheld = 0;
  for (int quarter = 1; quarter <= 4; ++quarter) {
    for (int area = v1::SERVICE_AREA_UNSPECIFIED; area <= v1::SERVICE_AREA_YOUTH_OFFENDING;
         ++area) {
      absl::StatusOr<v1::QuarterSummary> exact =
          Summary(stub(), 2018, quarter, static_cast<v1::ServiceArea>(area));
      ASSERT_OK(exact);
      exact->clear_previous_quarter();
      for (const std::string& text : policies) {
        SCOPED_TRACE(absl::StrCat("Q", quarter, " area ", area, " policy:\n", text));
        absl::StatusOr<DisclosurePolicy> policy = DisclosurePolicy::Parse(text, "policy");
        ASSERT_OK(policy);
        const IntruderReport report = Intrude(*exact, *policy);
        withheld += static_cast<int>(report.cells.size());
        EXPECT_THAT(report.GivenAway(), IsEmpty()) << report.Describe();
      }
    }
  }
  EXPECT_GT(withheld, 0);

  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  request.set_published(true);
  v1::QuarterSummary served;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  ASSERT_TRUE(stub().GetQuarterSummary(&context, request, &served).ok());
  absl::StatusOr<v1::QuarterSummary> q3 = Summary(stub(), 2018, 3);
  ASSERT_OK(q3);
  ApplyDisclosureControl(*q3, DisclosurePolicy());
  q3->set_published_form(true);  // the server says which form it served
  EXPECT_TRUE(MessageDifferencer::Equals(served, *q3)) << served.DebugString();
}

using SeedRestart = ServerTest;

TEST_F(SeedRestart, SummariesAndCountersAreUnchangedAfterSigkillAndRestart) {
  std::vector<v1::QuarterSummary> before;
  absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(server());
  ASSERT_OK(seed);
  for (int quarter : {2, 3, 4}) {
    absl::StatusOr<v1::QuarterSummary> summary = Summary(stub(), 2018, quarter);
    ASSERT_OK(summary);
    before.push_back(*summary);
  }
  EXPECT_EQ(before[1].complaints_received(), 26);
  StopServer(SIGKILL);

  ASSERT_OK(StartServer());
  for (size_t i = 0; i < before.size(); ++i) {
    absl::StatusOr<v1::QuarterSummary> after = Summary(stub(), 2018, before[i].quarter());
    ASSERT_OK(after);
    EXPECT_EQ(Differences(before[i], *after), "") << "quarter " << before[i].quarter();
  }
  absl::StatusOr<v1::VerifyCountersResponse> verify = Verify(stub());
  ASSERT_OK(verify);
  EXPECT_EQ(verify->differences_size(), 0) << verify->DebugString();
  const CommandResult result = Ctl({"admin", "verify"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

// The built-in lexicon with one more theme, `chair`.
absl::StatusOr<std::string> LexiconWithChairTheme() {
  // From the source tree's absolute path: __FILE__ may be relative (ccache's base_dir).
  const std::filesystem::path file =
      std::filesystem::path(FEEDBACK_SOURCE_DIR) / "service/domain/data/default-lexicon.txt";
  std::ifstream in(file);
  if (!in) return absl::NotFoundError("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  const std::string lexicon = text.str();
  if (lexicon.find("[themes]\n") == std::string::npos) {
    return absl::FailedPreconditionError("no [themes] section in " + file.string());
  }
  return absl::StrReplaceAll(lexicon, {{"[themes]\n", "[themes]\nchair: chair, chairperson\n"}});
}

using SeedRetag = ServerTest;

TEST_F(SeedRetag, RetagWithAChairThemeTagsTheChairQuotesAndCountersFollow) {
  absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(server());
  ASSERT_OK(seed);
  EXPECT_THAT(ListFeedbackIds(
                  stub(), ListRequest(0, 0, v1::SOURCE_UNSPECIFIED, v1::KIND_UNSPECIFIED, "chair")),
              IsEmpty());
  StopServer(SIGKILL);
  absl::StatusOr<std::string> lexicon = LexiconWithChairTheme();
  ASSERT_OK(lexicon);
  ASSERT_OK(StartServer({.files = {{"--lexicon", *lexicon}}}));

  std::vector<std::string> chair_ids = seed->IdsWithWord("chair");
  for (const std::string& id : seed->IdsWithWord("chairperson")) chair_ids.push_back(id);
  // Two Q3 quotes, a Q3 complaint (partially upheld at stage 2) and a Q2 compliment.
  ASSERT_EQ(chair_ids.size(), 4u);
  const std::vector<std::string> chair_complaints =
      seed->ComplaintIds([&](const PlannedComplaint& c) {
        return std::find(chair_ids.begin(), chair_ids.end(), c.id) != chair_ids.end();
      });
  ASSERT_EQ(chair_complaints.size(), 1u);
  const std::string chairperson_quote = seed->quote_ids.at(std::string(kFamilyQuotes[0]));
  const std::string chair_quote = seed->quote_ids.at(std::string(kPartnerQuotes[2]));

  v1::RetagFeedbackResponse retag;
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status status = stub().RetagFeedback(&context, v1::RetagFeedbackRequest(), &retag);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(retag.examined(), static_cast<int64_t>(seed->feedback.size()));
  EXPECT_EQ(retag.changed(), 4);

  EXPECT_THAT(ListFeedbackIds(
                  stub(), ListRequest(0, 0, v1::SOURCE_UNSPECIFIED, v1::KIND_UNSPECIFIED, "chair")),
              UnorderedElementsAreArray(chair_ids));
  EXPECT_THAT(ListFeedbackIds(stub(), ListRequest(2018, 3, v1::SOURCE_UNSPECIFIED,
                                                  v1::KIND_UNSPECIFIED, "chair")),
              UnorderedElementsAreArray({chairperson_quote, chair_quote, chair_complaints[0]}));

  absl::StatusOr<v1::QuarterSummary> q3 = Summary(stub(), 2018, 3);
  ASSERT_OK(q3);
  std::map<std::string, int64_t> tags;
  for (const v1::TagCount& t : q3->tags()) tags[t.tag()] = t.count();
  EXPECT_EQ(tags["chair"], 3) << q3->DebugString();
  EXPECT_EQ(tags["compliment"], 31 + 4 + 1) << "families, partners and a child";
  std::map<std::string, int64_t> q2_tags;
  for (const v1::TagCount& t : q3->previous_quarter().tags()) q2_tags[t.tag()] = t.count();
  EXPECT_EQ(q2_tags["chair"], 1);
  // Re-tagging moved no figure.
  EXPECT_EQ(Differences(seed->Planned(2018, 3), OnlyPlanned(*q3)), "");

  absl::StatusOr<v1::VerifyCountersResponse> verify = Verify(stub());
  ASSERT_OK(verify);
  EXPECT_EQ(verify->differences_size(), 0) << verify->DebugString();

  // The re-tagged complaint keeps its case, and the complaint filters still find it by its
  // final outcome and stage only.
  v1::Complaint complaint;
  {
    v1::GetComplaintRequest request;
    request.set_id(chair_complaints[0]);
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status status = stub().GetComplaint(&context, request, &complaint);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(complaint.history_size(), 4);
  EXPECT_THAT(
      complaint.feedback().tags(),
      ::testing::IsSupersetOf({"chair", "complaint", "closed", "partially_upheld", "stage_2"}));
  for (v1::ComplaintOutcome outcome :
       {v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, v1::COMPLAINT_OUTCOME_NOT_UPHELD}) {
    v1::ListComplaintsRequest request;
    request.set_outcome(outcome);
    EXPECT_THAT(IdsOf(ListComplaints(stub(), request)),
                UnorderedElementsAreArray(seed->ComplaintIds(
                    [&](const PlannedComplaint& c) { return c.final_outcome == outcome; })))
        << v1::ComplaintOutcome_Name(outcome);
  }

  // A second run finds nothing to change.
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status status = stub().RetagFeedback(&context, v1::RetagFeedbackRequest(), &retag);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(retag.changed(), 0);
  }
}

// --- Safeguarding alerts ----------------------------------------------------------------------

// One WatchAlerts stream. Reads time out after 20 s instead of hanging the test.
class Watcher {
 public:
  explicit Watcher(Stub& stub) {
    context_.set_deadline(Deadline(20));
    reader_ = stub.WatchAlerts(&context_, v1::WatchAlertsRequest());
  }
  ~Watcher() {
    context_.TryCancel();
    v1::Alert ignored;
    while (reader_->Read(&ignored)) {
    }
    reader_->Finish();
  }

  // The next alert, or nullopt if the stream ended.
  std::optional<v1::Alert> Next() {
    v1::Alert alert;
    if (!reader_->Read(&alert)) return std::nullopt;
    return alert;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::Alert>> reader_;
};

v1::Feedback KioskComment(const std::string& text) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMMENT);
  feedback.set_text(text);
  return feedback;
}

absl::StatusOr<v1::Feedback> Submit(Stub& stub, const v1::Feedback& feedback) {
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  v1::SubmitFeedbackResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.SubmitFeedback(&context, request, &response);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return response.feedback();
}

absl::StatusOr<v1::Alert> Acknowledge(Stub& stub, const std::string& id, const std::string& actor) {
  v1::AcknowledgeAlertRequest request;
  request.set_id(id);
  request.set_actor(actor);
  v1::Alert alert;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.AcknowledgeAlert(&context, request, &alert);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return alert;
}

using SeedAlerts = ServerTest;

TEST_F(SeedAlerts, WatchersGetEveryUnacknowledgedAlertUntilItIsAcknowledged) {
  std::string unacknowledged_id;
  {
    auto first_watcher = std::make_unique<Watcher>(stub());
    absl::StatusOr<v1::Feedback> scared = Submit(stub(), KioskComment("I am scared to go home"));
    ASSERT_OK(scared);

    std::optional<v1::Alert> alert = first_watcher->Next();
    ASSERT_TRUE(alert.has_value()) << "the first watcher got no alert";
    EXPECT_EQ(alert->id(), scared->id());
    EXPECT_EQ(alert->feedback().text(), "I am scared to go home");
    EXPECT_THAT(alert->feedback().tags(), ::testing::Contains("safeguarding"));
    EXPECT_FALSE(alert->acknowledged());

    // A watcher that connects later is sent the unacknowledged alert again.
    auto second_watcher = std::make_unique<Watcher>(stub());
    alert = second_watcher->Next();
    ASSERT_TRUE(alert.has_value()) << "the second watcher got no alert";
    EXPECT_EQ(alert->id(), scared->id());
    EXPECT_EQ(alert->feedback().text(), "I am scared to go home");

    // Both are live now: a new alert reaches both, once.
    absl::StatusOr<v1::Feedback> hits = Submit(stub(), KioskComment("my brother hits me"));
    ASSERT_OK(hits);
    for (Watcher* watcher : {first_watcher.get(), second_watcher.get()}) {
      alert = watcher->Next();
      ASSERT_TRUE(alert.has_value());
      EXPECT_EQ(alert->id(), hits->id());
    }

    absl::StatusOr<v1::Alert> acknowledged = Acknowledge(stub(), scared->id(), "duty-sw-amira");
    ASSERT_OK(acknowledged);
    EXPECT_TRUE(acknowledged->acknowledged());
    EXPECT_EQ(acknowledged->acknowledged_by(), "duty-sw-amira");
    EXPECT_TRUE(acknowledged->has_acknowledged_at());
    ASSERT_OK(Acknowledge(stub(), hits->id(), "duty-sw-amira"));

    // A watcher connecting after the acknowledgements is not sent them: the first alert it
    // reads is the next new one.
    auto third_watcher = std::make_unique<Watcher>(stub());
    absl::StatusOr<v1::Feedback> afraid =
        Submit(stub(), KioskComment("I am afraid to go home tonight"));
    ASSERT_OK(afraid);
    alert = third_watcher->Next();
    ASSERT_TRUE(alert.has_value());
    EXPECT_EQ(alert->id(), afraid->id()) << "got " << alert->feedback().text();
    alert = first_watcher->Next();
    ASSERT_TRUE(alert.has_value());
    EXPECT_EQ(alert->id(), afraid->id()) << "got " << alert->feedback().text();
    unacknowledged_id = afraid->id();
  }
  // An unknown alert cannot be acknowledged.
  EXPECT_EQ(Acknowledge(stub(), "fb_00000000000000000000000000000000", "duty").status().code(),
            absl::StatusCode::kNotFound);
  StopServer(SIGKILL);

  // Alerts and their acknowledgements are durable: after a crash, a watcher is sent only the
  // one nobody took on, then new ones.
  ASSERT_OK(StartServer());
  {
    Watcher watcher(stub());
    std::optional<v1::Alert> alert = watcher.Next();
    ASSERT_TRUE(alert.has_value());
    EXPECT_EQ(alert->id(), unacknowledged_id) << "got " << alert->feedback().text();
    EXPECT_FALSE(alert->acknowledged());
    absl::StatusOr<v1::Feedback> later =
        Submit(stub(), KioskComment("nobody feeds me at weekends"));
    ASSERT_OK(later);
    alert = watcher.Next();
    ASSERT_TRUE(alert.has_value());
    EXPECT_EQ(alert->id(), later->id()) << "got " << alert->feedback().text();
  }
}

}  // namespace seed_report_test
}  // namespace
}  // namespace feedback::testing
