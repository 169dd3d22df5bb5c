// End-to-end: reviewing quotes in bulk through feedbackctl against a real feedbackd.
// `quotes approve --quarter Q` shows each candidate (redacted, terminal-safe) and takes
// yes / no / edit / quit, here from stdin; an edit the server refuses is shown and asked again;
// `quotes approve ID ID ...` approves a list. Checked as a user would: `quotes list` for what is
// approved, `admin audit` for each approval.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace quotes_review_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class QuoteReviewEndToEnd : public ServerTest {
 protected:
  // Stores a family's consented compliment in 2018-19 Q3 (day `day` of November); returns its id.
  std::string Candidate(const std::string& text, int day) {
    v1::SubmitFeedbackRequest request;
    v1::Feedback& feedback = *request.mutable_feedback();
    feedback.set_submission_id(client::NewSubmissionId());
    feedback.set_source(v1::SOURCE_FAMILY);
    feedback.set_kind(v1::KIND_COMPLIMENT);
    feedback.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
    feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    feedback.set_text(text);
    feedback.set_consent_to_quote(true);
    EXPECT_TRUE(
        TimeUtil::FromString(absl::StrCat("2018-11-", day < 10 ? "0" : "", day, "T12:00:00Z"),
                             feedback.mutable_occurred_at()));
    v1::SubmitFeedbackResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    const grpc::Status status =
        stub(v1::ROLE_QA_MANAGER).SubmitFeedback(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.feedback().id();
  }

  // `quotes list --quarter 2018-19Q3`: the approved quotes, as a reporter lists them.
  std::string Approved() {
    const CommandResult listed =
        Ctl(v1::ROLE_REPORTER, {"quotes", "list", "--quarter", "2018-19Q3"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return listed.out;
  }

  // The ids of every `quote.approve` entry of `admin audit`, and their details.
  std::vector<v1::AuditEntry> Approvals() {
    const CommandResult audit = Ctl({"admin", "audit", "--action", "quote.approve", "--json"});
    EXPECT_EQ(audit.exit_code, 0) << audit.err;
    std::vector<v1::AuditEntry> entries;
    const std::vector<std::string> lines = absl::StrSplit(audit.out, '\n', absl::SkipEmpty());
    for (const std::string& line : lines) {
      v1::AuditEntry entry;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &entry).ok()) << line;
      entries.push_back(entry);
    }
    return entries;
  }

  std::vector<std::string> ApprovedIds() {
    std::vector<std::string> ids;
    for (const v1::AuditEntry& entry : Approvals()) {
      ids.insert(ids.end(), entry.ids().begin(), entry.ids().end());
    }
    return ids;
  }
};

TEST_F(QuoteReviewEndToEnd, EachCandidateIsShownRedactedAndDecidedFromStdin) {
  const std::string yes = Candidate("The chair was kind, thank you Sarah Jones.", 1);
  const std::string no = Candidate("Good meeting.\x1b]0;pwned\x07 Really.", 2);
  const std::string edit = Candidate("The plan was clear and fair.", 3);

  const CommandResult review =
      Ctl({"quotes", "approve", "--quarter", "2018-19Q3"}, "y\nn\ne\nThe plan was clear.\n");
  ASSERT_EQ(review.exit_code, 0) << review.out << review.err;
  // Oldest first, redacted, and the hostile control characters shown, never sent.
  EXPECT_THAT(review.out, HasSubstr("3 candidates in 2018-19Q3"));
  EXPECT_THAT(review.out, HasSubstr("[1/3] " + yes));
  EXPECT_THAT(review.out, HasSubstr("thank you [name]."));
  EXPECT_THAT(review.out, Not(HasSubstr("Sarah")));
  EXPECT_THAT(review.out, HasSubstr("[2/3] " + no));
  EXPECT_THAT(review.out, Not(HasSubstr("\x1b")));
  EXPECT_THAT(review.out, Not(HasSubstr("\x07")));
  EXPECT_THAT(review.out, HasSubstr("approve? [y]es, [n]o, [e]dit, [q]uit: "));
  EXPECT_THAT(review.out, HasSubstr("approved: \"The plan was clear.\""));
  EXPECT_THAT(review.out, HasSubstr("approved 2, skipped 1\n"));

  const std::string approved = Approved();
  EXPECT_THAT(approved, HasSubstr(yes));
  EXPECT_THAT(approved, HasSubstr(edit));
  EXPECT_THAT(approved, HasSubstr("\"The plan was clear.\""));
  EXPECT_THAT(approved, Not(HasSubstr(no)));
  // Each approval audited, the edit as one; the "no" wrote nothing.
  const std::vector<v1::AuditEntry> approvals = Approvals();
  ASSERT_EQ(approvals.size(), 2u);
  EXPECT_THAT(ApprovedIds(), UnorderedElementsAre(yes, edit));
  for (const v1::AuditEntry& entry : approvals) {
    EXPECT_EQ(entry.actor_role(), v1::ROLE_QA_MANAGER);
    EXPECT_EQ(entry.detail(), entry.ids(0) == edit ? "wording=edited" : "wording=automatic");
  }
  // The one said "no" to is still a candidate, for another review.
  const CommandResult again = Ctl({"quotes", "approve", "--quarter", "2018-19Q3"}, "q\n");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("1 candidate in 2018-19Q3"));
  EXPECT_THAT(again.out, HasSubstr("approved 0, skipped 0, left 1 undecided\n"));
}

TEST_F(QuoteReviewEndToEnd, AnEditTheServerRefusesIsShownAndAskedAgain) {
  const std::string id = Candidate("The worker listened to us.", 4);
  const CommandResult review =
      Ctl({"quotes", "approve", "--quarter", "2018-19Q3"}, "e\nMy worker Sarah listened.\ny\n");
  ASSERT_EQ(review.exit_code, 0) << review.out << review.err;
  const size_t refused = review.out.find("refused: ");
  ASSERT_NE(refused, std::string::npos) << review.out;
  EXPECT_THAT(review.out.substr(refused), HasSubstr("text"));
  // Asked again after the refusal, and the automatic redaction approved.
  EXPECT_THAT(review.out.substr(refused), HasSubstr("approve? [y]es, [n]o, [e]dit, [q]uit: y"));
  EXPECT_THAT(review.out, HasSubstr("approved 1, skipped 0\n"));
  EXPECT_THAT(Approved(), HasSubstr("\"The worker listened to us.\""));
  EXPECT_THAT(ApprovedIds(), UnorderedElementsAre(id));
}

TEST_F(QuoteReviewEndToEnd, AnswersThatRunOutLeaveTheRestUndecidedWithoutWaiting) {
  Candidate("Thank you for the clear plan.", 5);
  Candidate("The review started on time.", 6);
  const CommandResult review = Ctl({"quotes", "approve", "--quarter", "2018-19Q3"}, "maybe\ny\n");
  ASSERT_EQ(review.exit_code, 0) << review.out << review.err;
  EXPECT_THAT(review.out, HasSubstr("answer y, n, e or q"));
  EXPECT_THAT(review.out, HasSubstr("approved 1, skipped 0, left 1 undecided\n"));
  EXPECT_EQ(ApprovedIds().size(), 1u);
}

TEST_F(QuoteReviewEndToEnd, AListOfIdsIsApprovedAndAnUnknownIdIsReportedAndSkipped) {
  const std::string first = Candidate("The meeting was calm.", 7);
  const std::string second = Candidate("We were listened to.", 8);
  const std::string unknown = "fb_00000000000000000000000000000000";
  const CommandResult approved = Ctl({"quotes", "approve", first, unknown, second});
  EXPECT_EQ(approved.exit_code, 4) << approved.out << approved.err;  // kExitNotFound
  EXPECT_THAT(approved.err, HasSubstr("NOT_FOUND"));
  EXPECT_THAT(approved.out, HasSubstr("approved 2, skipped 1\n"));
  EXPECT_THAT(ApprovedIds(), UnorderedElementsAre(first, second));
  const std::string listed = Approved();
  EXPECT_THAT(listed, HasSubstr(first));
  EXPECT_THAT(listed, HasSubstr(second));

  // --text goes with one id only, and ids with no --quarter.
  const CommandResult text = Ctl({"quotes", "approve", first, second, "--text", "x"});
  EXPECT_EQ(text.exit_code, 2) << text.err;
  EXPECT_THAT(text.err, HasSubstr("--text"));
  const CommandResult both = Ctl({"quotes", "approve", first, "--quarter", "2018-19Q3"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  const CommandResult none = Ctl({"quotes", "approve"});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_EQ(ApprovedIds().size(), 2u);
}

}  // namespace quotes_review_e2e_test
}  // namespace
}  // namespace feedback::testing
