// The advocate's and the complaints officer's workflows, driven through feedbackctl against a
// real feedbackd, checked through the gRPC API.
#include <string>
#include <vector>

#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace workflow_cli_e2e_test {

using ::testing::Contains;
using ::testing::HasSubstr;

class WorkflowCli : public ServerTest {
 protected:
  CommandResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    std::vector<std::string> argv = {"--outbox", dir().Sub("outbox")};
    argv.insert(argv.end(), args.begin(), args.end());
    return Ctl(argv, stdin_text);
  }

  // Runs a command that must succeed and print one id; returns it.
  std::string RunForId(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    const CommandResult result = Run(args, stdin_text);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::string(absl::StripAsciiWhitespace(result.out));
  }

  v1::AdvocacyReferral Referral(const std::string& id) {
    grpc::ClientContext context;
    v1::GetAdvocacyReferralRequest request;
    request.set_id(id);
    v1::AdvocacyReferral referral;
    EXPECT_TRUE(stub().GetAdvocacyReferral(&context, request, &referral).ok());
    return referral;
  }

  v1::Complaint Complaint(const std::string& id) {
    grpc::ClientContext context;
    v1::GetComplaintRequest request;
    request.set_id(id);
    v1::Complaint complaint;
    EXPECT_TRUE(stub().GetComplaint(&context, request, &complaint).ok());
    return complaint;
  }
};

// RFC 3339 for `days` days ago: an advocate dates records at most 90 days back.
std::string DaysAgo(int days) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Hours(24) * days,
                          absl::UTCTimeZone());
}

TEST_F(WorkflowCli, AdvocateRefersProgressesAndSubmitsTheChildsConfirmedWords) {
  const std::string referral =
      RunForId({"advocacy", "refer", "--meeting", "initial-cp-conference", "--child-age", "12",
                "--within-city-boundary", "--referred-at", DaysAgo(10)});
  ASSERT_THAT(referral, ::testing::StartsWith("ar_"));
  EXPECT_EQ(Referral(referral).status(), v1::ADVOCACY_STATUS_REFERRED);

  const CommandResult progressed = Run({"advocacy", "progress", referral});
  EXPECT_EQ(progressed.exit_code, 0) << progressed.err;
  EXPECT_EQ(Referral(referral).status(), v1::ADVOCACY_STATUS_PROGRESSED);

  const std::string words =
      "I found it easier to write down my feelings and have my advocate "
      "say it for me at the meeting";
  const std::string statement =
      RunForId({"advocacy", "statement", "--referral", referral, "--child-confirmed",
                "--consent-to-quote", "--occurred-at", DaysAgo(9)},
               words);
  grpc::ClientContext context;
  v1::GetFeedbackRequest request;
  request.set_id(statement);
  v1::Feedback stored;
  ASSERT_TRUE(stub().GetFeedback(&context, request, &stored).ok());
  EXPECT_EQ(stored.text(), words);
  EXPECT_EQ(stored.kind(), v1::KIND_CHILD_STATEMENT);
  EXPECT_EQ(stored.source(), v1::SOURCE_ADVOCATE);
  EXPECT_EQ(stored.advocacy_referral_id(), referral);
  EXPECT_EQ(stored.meeting(), v1::MEETING_INITIAL_CP_CONFERENCE);  // from the referral
  EXPECT_TRUE(stored.child_confirmed());
  EXPECT_TRUE(stored.consent_to_quote());
}

TEST_F(WorkflowCli, DeclinedAndNotProgressedReferralsKeepTheirReason) {
  const std::string declined =
      RunForId({"advocacy", "refer", "--meeting", "cla-review", "--child-age", "14"});
  const std::string not_progressed =
      RunForId({"advocacy", "refer", "--meeting", "cla-review", "--child-age", "11"});
  EXPECT_EQ(Run({"advocacy", "decline", declined}).exit_code, 0);
  const CommandResult no_reason = Run({"advocacy", "not-progressed", not_progressed});
  EXPECT_EQ(no_reason.exit_code, 3);
  EXPECT_THAT(no_reason.err, HasSubstr("reason"));
  EXPECT_EQ(Run({"advocacy", "not-progressed", not_progressed, "--reason",
                 "conference moved at short notice"})
                .exit_code,
            0);
  EXPECT_EQ(Referral(declined).status(), v1::ADVOCACY_STATUS_DECLINED);
  EXPECT_EQ(Referral(not_progressed).reason(), "conference moved at short notice");
  const CommandResult again = Run({"advocacy", "progress", declined});
  EXPECT_EQ(again.exit_code, 3) << "a decided referral is not changed";
}

TEST_F(WorkflowCli, ComplaintIsEscalatedClosedAndListedThroughTheCli) {
  const std::string id = RunForId(
      {"submit", "--source", "family", "--kind", "complaint", "--service-area", "social-care",
       "--text", "Nobody explained the plan to us", "--occurred-at", "2018-10-15T10:00:00Z"});
  EXPECT_EQ(Run({"complaint", "update", id, "--stage", "2", "--actor", "QA manager",
                 "--effective-at", "2018-10-25T10:00:00Z", "--note", "family not satisfied"})
                .exit_code,
            0);
  EXPECT_EQ(Run({"complaint", "update", id, "--outcome", "upheld", "--actor", "Investigator",
                 "--effective-at", "2018-11-20T10:00:00Z"})
                .exit_code,
            0);
  const CommandResult reclose = Run({"complaint", "update", id, "--outcome", "not-upheld"});
  EXPECT_EQ(reclose.exit_code, 3);
  EXPECT_THAT(reclose.err, HasSubstr("escalate"));

  const v1::Complaint complaint = Complaint(id);
  EXPECT_EQ(complaint.feedback().complaint_stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(complaint.feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  ASSERT_EQ(complaint.history_size(), 3);
  EXPECT_EQ(complaint.history(1).actor(), "QA manager");
  EXPECT_EQ(complaint.history(1).note(), "family not satisfied");
  EXPECT_THAT(complaint.feedback().tags(), Contains("upheld"));

  const CommandResult shown = Run({"complaint", "get", id});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("escalated"));
  EXPECT_THAT(shown.out, HasSubstr("family not satisfied"));
  const CommandResult upheld = Run({"complaint", "list", "--outcome", "upheld"});
  EXPECT_THAT(upheld.out, HasSubstr(id));
  const CommandResult open = Run({"complaint", "list", "--open"});
  EXPECT_THAT(open.out, ::testing::Not(HasSubstr(id)));
}

}  // namespace workflow_cli_e2e_test
}  // namespace
}  // namespace feedback::testing
