// End-to-end: quotes for reports through a real feedbackd. Only consented items are candidates;
// candidates are redacted; only a qa_manager sees candidates and approves (audited); a reporter
// sees a quote only once it is approved, and `feedbackctl report` run with a reporter token
// quotes only approved words.
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/strip.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace quotes_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using Stub = v1::FeedbackService::Stub;

constexpr char kRawWords[] =
    "The meeting was calm and my worker Sarah Jones rang me after on 07700 900123.";
constexpr char kRedactedWords[] =
    "The meeting was calm and my worker [name] rang me after on [phone].";
// The same, as Markdown quotes it (brackets escaped).
constexpr char kRedactedMarkdown[] =
    "The meeting was calm and my worker \\[name\\] rang me after on \\[phone\\].";

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

class QuotesEndToEnd : public ServerTest {
 protected:
  Stub& qa() { return stub(v1::ROLE_QA_MANAGER); }
  Stub& reporter() { return stub(v1::ROLE_REPORTER); }

  // Stores a family's compliment in 2018-19 Q3; returns its id.
  std::string Submit(const std::string& text, bool consent,
                     const std::string& at = "2018-11-01T12:00:00Z") {
    v1::SubmitFeedbackRequest request;
    v1::Feedback& feedback = *request.mutable_feedback();
    feedback.set_submission_id(client::NewSubmissionId());
    feedback.set_source(v1::SOURCE_FAMILY);
    feedback.set_kind(v1::KIND_COMPLIMENT);
    feedback.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
    feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    feedback.set_text(text);
    feedback.set_consent_to_quote(consent);
    EXPECT_TRUE(TimeUtil::FromString(at, feedback.mutable_occurred_at()));
    v1::SubmitFeedbackResponse response;
    const grpc::Status status = qa().SubmitFeedback(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.feedback().id();
  }

  static grpc::Status List(Stub& stub, bool candidates, v1::ListQuotesResponse* response) {
    v1::ListQuotesRequest request;
    request.set_financial_year(2018);
    request.set_quarter(3);
    request.set_include_candidates(candidates);
    return stub.ListQuotes(Context().get(), request, response);
  }

  static std::vector<v1::Quote> Listed(Stub& stub, bool candidates) {
    v1::ListQuotesResponse response;
    const grpc::Status status = List(stub, candidates, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.quotes().begin(), response.quotes().end()};
  }

  grpc::Status Approve(Stub& stub, const std::string& id, const std::string& text,
                       v1::Quote* quote) {
    v1::ApproveQuoteRequest request;
    request.set_feedback_id(id);
    request.set_text(text);
    return stub.ApproveQuote(Context().get(), request, quote);
  }

  // Every audit entry with `action`.
  std::vector<v1::AuditEntry> Audit(const std::string& action) {
    v1::ListAuditRequest request;
    request.set_action(action);
    request.set_page_size(1000);
    v1::ListAuditResponse response;
    const grpc::Status status = stub(v1::ROLE_ADMIN).ListAudit(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.entries().begin(), response.entries().end()};
  }
};

TEST_F(QuotesEndToEnd, ConsentedItemIsARedactedCandidateUntilAQaManagerApprovesIt) {
  const std::string id = Submit(kRawWords, /*consent=*/true);
  Submit("Nobody asked what I thought, said Kevin.", /*consent=*/false);

  const std::vector<v1::Quote> candidates = Listed(qa(), /*candidates=*/true);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].feedback_id(), id);
  EXPECT_EQ(candidates[0].status(), v1::QUOTE_STATUS_CANDIDATE);
  EXPECT_EQ(candidates[0].text(), kRedactedWords);
  EXPECT_THAT(candidates[0].redactions(), ElementsAre("name", "phone"));
  EXPECT_EQ(candidates[0].source(), v1::SOURCE_FAMILY);
  // Reading candidates is audited, by id.
  const std::vector<v1::AuditEntry> reads = Audit("quote.candidates.read");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_THAT(reads[0].ids(), ElementsAre(id));
  EXPECT_EQ(reads[0].actor_role(), v1::ROLE_QA_MANAGER);

  // Not approved: the reporter sees nothing.
  EXPECT_THAT(Listed(reporter(), /*candidates=*/false), IsEmpty());

  v1::Quote approved;
  const grpc::Status status = Approve(qa(), id, "", &approved);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(approved.status(), v1::QUOTE_STATUS_APPROVED);
  EXPECT_EQ(approved.text(), kRedactedWords);
  EXPECT_FALSE(approved.approved_by().empty());

  const std::vector<v1::Quote> published = Listed(reporter(), /*candidates=*/false);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].feedback_id(), id);
  EXPECT_EQ(published[0].status(), v1::QUOTE_STATUS_APPROVED);
  EXPECT_EQ(published[0].text(), kRedactedWords);

  const std::vector<v1::AuditEntry> approvals = Audit("quote.approve");
  ASSERT_EQ(approvals.size(), 1u);
  EXPECT_THAT(approvals[0].ids(), ElementsAre(id));
  EXPECT_EQ(approvals[0].actor_role(), v1::ROLE_QA_MANAGER);
  EXPECT_EQ(approvals[0].actor_token_id(), approved.approved_by());
  EXPECT_THAT(approvals[0].detail(), Not(HasSubstr("meeting")));

  // Once approved it is no longer a candidate; the qa_manager's list shows it approved.
  const std::vector<v1::Quote> after = Listed(qa(), /*candidates=*/true);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].status(), v1::QUOTE_STATUS_APPROVED);
}

TEST_F(QuotesEndToEnd, AReporterCannotSeeCandidatesApproveOrWithdraw) {
  const std::string id = Submit(kRawWords, /*consent=*/true);
  v1::ListQuotesResponse listed;
  EXPECT_EQ(List(reporter(), /*candidates=*/true, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(listed.quotes(), IsEmpty());
  v1::Quote quote;
  EXPECT_EQ(Approve(reporter(), id, "", &quote).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::WithdrawQuoteRequest withdraw;
  withdraw.set_feedback_id(id);
  EXPECT_EQ(reporter().WithdrawQuote(Context().get(), withdraw, &quote).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(Audit("quote.approve"), IsEmpty());
  EXPECT_THAT(Listed(reporter(), /*candidates=*/false), IsEmpty());
}

TEST_F(QuotesEndToEnd, ItemsWithoutConsentOrBadRequestsAreRefusedAndNothingIsWritten) {
  const std::string unconsented = Submit("The chair was kind to us.", /*consent=*/false);
  const std::string consented = Submit(kRawWords, /*consent=*/true);
  v1::Quote quote;
  grpc::Status status = Approve(qa(), unconsented, "", &quote);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("consent"));

  status = Approve(qa(), "fb_00000000000000000000000000000000", "", &quote);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = Approve(qa(), "", "", &quote);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("feedback_id"));
  // An edited wording must itself survive redaction unchanged.
  status = Approve(qa(), consented, "My worker Sarah rang me.", &quote);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("text"));

  EXPECT_THAT(Audit("quote.approve"), IsEmpty());
  EXPECT_THAT(Listed(reporter(), /*candidates=*/false), IsEmpty());
  // The unconsented item is never even a candidate.
  const std::vector<v1::Quote> candidates = Listed(qa(), /*candidates=*/true);
  ASSERT_EQ(candidates.size(), 1u);
  EXPECT_EQ(candidates[0].feedback_id(), consented);

  v1::ListQuotesRequest bad;
  bad.set_quarter(3);
  v1::ListQuotesResponse response;
  status = qa().ListQuotes(Context().get(), bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("financial_year"));
  bad.set_financial_year(2018);
  bad.set_quarter(5);
  status = qa().ListQuotes(Context().get(), bad, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("quarter"));
}

TEST_F(QuotesEndToEnd, AnEditedWordingIsPublishedAndAWithdrawnQuoteDisappears) {
  const std::string id = Submit(kRawWords, /*consent=*/true);
  const std::string edited = "The meeting was calm and my worker rang me after.";
  v1::Quote quote;
  grpc::Status status = Approve(qa(), id, edited, &quote);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<v1::Quote> published = Listed(reporter(), /*candidates=*/false);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].text(), edited);

  v1::WithdrawQuoteRequest withdraw;
  withdraw.set_feedback_id(id);
  status = qa().WithdrawQuote(Context().get(), withdraw, &quote);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(quote.status(), v1::QUOTE_STATUS_CANDIDATE);
  EXPECT_THAT(Listed(reporter(), /*candidates=*/false), IsEmpty());
  const std::vector<v1::AuditEntry> withdrawals = Audit("quote.withdraw");
  ASSERT_EQ(withdrawals.size(), 1u);
  EXPECT_THAT(withdrawals[0].ids(), ElementsAre(id));
}

TEST_F(QuotesEndToEnd, TheReportRunWithAReporterTokenQuotesOnlyApprovedWords) {
  const std::string approved_id = Submit(kRawWords, /*consent=*/true, "2018-10-20T10:00:00Z");
  const std::string waiting_words = "The plan was explained clearly and slowly to my family.";
  Submit(waiting_words, /*consent=*/true, "2018-12-01T10:00:00Z");
  const std::string private_words = "We were listened to and the plan made sense to all of us.";
  Submit(private_words, /*consent=*/false);

  // The qa_manager sees both candidates, redacted, and approves one through the CLI.
  CommandResult listed = Ctl({"quotes", "list", "--quarter", "2018-19Q3", "--candidates"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(kRedactedWords));
  EXPECT_THAT(listed.out, HasSubstr(waiting_words));
  EXPECT_THAT(listed.out, Not(HasSubstr("Sarah")));
  const CommandResult approved = Ctl({"quotes", "approve", approved_id});
  ASSERT_EQ(approved.exit_code, 0) << approved.err;
  EXPECT_THAT(approved.out, HasSubstr("approved"));
  // A reporter's token may not list candidates, even through the CLI.
  const CommandResult refused =
      Ctl(v1::ROLE_REPORTER, {"quotes", "list", "--quarter", "2018-19Q3", "--candidates"});
  EXPECT_EQ(refused.exit_code, 7) << refused.out;  // kExitDenied

  const CommandResult json =
      Ctl(v1::ROLE_REPORTER, {"--json", "quotes", "list", "--quarter", "2018-19Q3"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr(approved_id));
  EXPECT_THAT(json.out, HasSubstr("QUOTE_STATUS_APPROVED"));

  const CommandResult report =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr(kRedactedMarkdown));
  EXPECT_THAT(report.out, Not(HasSubstr("Sarah")));
  EXPECT_THAT(report.out, Not(HasSubstr("07700")));
  EXPECT_THAT(report.out, Not(HasSubstr(waiting_words)));
  EXPECT_THAT(report.out, Not(HasSubstr(private_words)));

  // Withdrawn through the CLI: gone from the next report.
  const CommandResult withdrawn = Ctl({"quotes", "withdraw", approved_id});
  ASSERT_EQ(withdrawn.exit_code, 0) << withdrawn.err;
  const CommandResult again =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, Not(HasSubstr(kRedactedMarkdown)));
  EXPECT_THAT(again.out, Not(HasSubstr("rang me after")));
  EXPECT_THAT(Audit("quote.withdraw"), ::testing::SizeIs(1));
}

class QuotesRedactionNames : public ServerTest {
 protected:
  QuotesRedactionNames()
      : ServerTest({.files = {{"--redaction-names", "# children on the pilot\nKayleigh\n"}}}) {}
};

TEST_F(QuotesRedactionNames, TheServersNamesListIsRedactedEvenAtTheStartOfASentence) {
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  v1::SubmitFeedbackRequest submit;
  v1::Feedback& feedback = *submit.mutable_feedback();
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMMENT);
  feedback.set_text("Kayleigh felt listened to.");
  feedback.set_consent_to_quote(true);
  ASSERT_TRUE(TimeUtil::FromString("2018-11-01T12:00:00Z", feedback.mutable_occurred_at()));
  v1::SubmitFeedbackResponse stored;
  ASSERT_TRUE(qa->SubmitFeedback(Context().get(), submit, &stored).ok());

  v1::ListQuotesRequest request;
  request.set_financial_year(2018);
  request.set_include_candidates(true);  // quarter unset: the whole financial year
  v1::ListQuotesResponse response;
  const grpc::Status status = qa->ListQuotes(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.quotes_size(), 1);
  EXPECT_EQ(response.quotes(0).text(), "[name] felt listened to.");
  // A names file that does not exist stops the server from starting.
  EXPECT_FALSE(
      StartOtherServer("other", {.flags = {"--redaction-names", dir().Sub("missing.txt")}}).ok());
}

}  // namespace quotes_e2e_test
}  // namespace
}  // namespace feedback::testing
