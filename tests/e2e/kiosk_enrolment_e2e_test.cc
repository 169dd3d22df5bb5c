// Enrolling a tablet kiosk through the real feedbackd and feedbackctl (issue 11): a qa_manager
// prints a one-time code with `feedbackctl admin kiosk enrol`; the tablet, with no token,
// exchanges it once (EnrolKiosk) for a kiosk token that can submit and cannot read, which staff
// see and revoke like any other; wrong codes are rate-limited across the server. That a code
// expires after 15 minutes is tested without waiting, in KioskCoreTest (tests/unit).
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/roles.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace kiosk_enrolment_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

// The code in `feedbackctl admin kiosk enrol`'s output, or "" if there is none.
std::string CodeIn(const std::string& out) {
  static const std::regex kCode(R"(\n    ([A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4})\n)");
  std::smatch match;
  return std::regex_search(out, match, kCode) ? match[1].str() : std::string();
}

class KioskEnrolmentE2e : public ServerTest {
 protected:
  // EnrolKiosk as a tablet calls it: no token at all.
  grpc::Status Enrol(const std::string& code, v1::EnrolKioskResponse* response = nullptr) {
    auto stub = v1::FeedbackService::NewStub(
        grpc::CreateChannel(server().address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::EnrolKioskRequest request;
    request.set_code(code);
    v1::EnrolKioskResponse ignored;
    return stub->EnrolKiosk(&context, request, response == nullptr ? &ignored : response);
  }

  // A code for `device`, printed by feedbackctl for a qa_manager.
  std::string IssueCode(const std::string& device) {
    const CommandResult issued =
        Ctl(v1::ROLE_QA_MANAGER, {"admin", "kiosk", "enrol", "--device", device});
    EXPECT_EQ(issued.exit_code, 0) << issued.err;
    const std::string code = CodeIn(issued.out);
    EXPECT_FALSE(code.empty()) << issued.out;
    return code;
  }
};

grpc::Status Submit(v1::FeedbackService::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::SubmitFeedbackRequest request;
  v1::Feedback& feedback = *request.mutable_feedback();
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMMENT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_rating(4);
  v1::SubmitFeedbackResponse response;
  return stub.SubmitFeedback(&context, request, &response);
}

grpc::Status List(v1::FeedbackService::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ListFeedbackResponse response;
  return stub.ListFeedback(&context, v1::ListFeedbackRequest(), &response);
}

TEST_F(KioskEnrolmentE2e, AQaManagerPrintsACodeThatEnrolsATabletOnce) {
  const absl::Time before = absl::Now();
  const CommandResult issued =
      Ctl(v1::ROLE_QA_MANAGER, {"admin", "kiosk", "enrol", "--device", "tablet-3"});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_THAT(issued.out, HasSubstr("Enrolment code for tablet-3:\n\n    "));
  EXPECT_THAT(issued.out, ::testing::ContainsRegex(
                              "It works once, and expires at [0-2][0-9]:[0-5][0-9] on [A-Z][a-z]+ "
                              "[0-9]{1,2} [A-Z][a-z]+ 20[0-9]{2} \\(in 1[45] minutes\\)"));
  const std::string code = CodeIn(issued.out);
  ASSERT_FALSE(code.empty()) << issued.out;

  // Typed on the tablet in lower case, without the dash.
  std::string typed = absl::AsciiStrToLower(absl::StrReplaceAll(code, {{"-", ""}}));
  v1::EnrolKioskResponse enrolled;
  const grpc::Status exchanged = Enrol(typed, &enrolled);
  ASSERT_TRUE(exchanged.ok()) << exchanged.error_message();
  EXPECT_EQ(enrolled.device_name(), "tablet-3");
  EXPECT_EQ(enrolled.token().role(), v1::ROLE_KIOSK);
  EXPECT_THAT(enrolled.token().id(), MatchesRegex("tok_[0-9a-f]{32}"));
  const absl::Time expires = absl::FromUnixSeconds(enrolled.token().expires_at().seconds());
  EXPECT_GT(expires, before + absl::Hours(24 * 364));  // a kiosk token's usual year

  // The kiosk token submits, and cannot read what anyone submitted.
  auto kiosk =
      v1::FeedbackService::NewStub(ChannelWithToken(server().address(), enrolled.secret()));
  const grpc::Status submitted = Submit(*kiosk);
  EXPECT_TRUE(submitted.ok()) << submitted.error_message();
  EXPECT_EQ(List(*kiosk).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // A second use of the code is refused, in the same words as any code that is not valid.
  const grpc::Status again = Enrol(code);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(again.error_message(), HasSubstr("enrolment code is not valid"));
  const grpc::Status never = Enrol("ZZZZ-ZZZZ");
  EXPECT_EQ(never.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(never.error_message(), again.error_message());

  // Staff see the tablet's token like any other, and revoke it.
  const CommandResult listed = Ctl({"admin", "token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(enrolled.token().id()));
  EXPECT_THAT(listed.out, HasSubstr("device=tablet-3"));
  const CommandResult revoked = Ctl({"admin", "token", "revoke", enrolled.token().id()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(Submit(*kiosk).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // Audited, by ids and device: never the code or the secret.
  const CommandResult audit = Ctl({"admin", "audit"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("kiosk.enrolment.issue"));
  EXPECT_THAT(audit.out, HasSubstr("device=tablet-3"));
  EXPECT_THAT(audit.out,
              HasSubstr("kiosk.enrol  by " + enrolled.token().id() + " (kiosk, tablet-3)"));
  for (const std::string& shown :
       {code, absl::StrReplaceAll(code, {{"-", ""}}), enrolled.secret()}) {
    EXPECT_THAT(audit.out, Not(HasSubstr(shown)));
    EXPECT_THAT(server().Stderr(), Not(HasSubstr(shown)));
  }
}

TEST_F(KioskEnrolmentE2e, JsonOutputCarriesTheCodeDeviceAndExpiry) {
  const absl::Time before = absl::Now();
  const CommandResult issued =
      Ctl(v1::ROLE_ADMIN, {"--json", "admin", "kiosk", "enrol", "--device", "tablet-4"});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  v1::KioskEnrolment enrolment;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(issued.out, &enrolment).ok())
      << issued.out;
  EXPECT_THAT(enrolment.code(), MatchesRegex("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}"));
  EXPECT_EQ(enrolment.device_name(), "tablet-4");
  const absl::Time expires = absl::FromUnixSeconds(enrolment.expires_at().seconds());
  EXPECT_GE(expires, before + absl::Minutes(15) - absl::Seconds(1));
  EXPECT_LE(expires, absl::Now() + absl::Minutes(15));
  EXPECT_TRUE(Enrol(enrolment.code()).ok());
}

TEST_F(KioskEnrolmentE2e, OnlyAQaManagerOrAnAdminIssuesCodes) {
  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_REPORTER, v1::ROLE_ADVOCATE}) {
    const CommandResult refused = Ctl(role, {"admin", "kiosk", "enrol", "--device", "tablet-3"});
    EXPECT_EQ(refused.exit_code, 7) << RoleName(role) << ": " << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("PERMISSION_DENIED"));
    EXPECT_THAT(refused.err, HasSubstr("may not call IssueKioskEnrolment"));
    EXPECT_TRUE(CodeIn(refused.out).empty());
  }
  const CommandResult no_device = Ctl(v1::ROLE_QA_MANAGER, {"admin", "kiosk", "enrol"});
  EXPECT_EQ(no_device.exit_code, 2) << no_device.err;
  const CommandResult control =
      Ctl(v1::ROLE_QA_MANAGER, {"admin", "kiosk", "enrol", "--device", "tab\x1b[2Jlet"});
  EXPECT_EQ(control.exit_code, 3) << control.err;
  EXPECT_THAT(control.err, HasSubstr("device_name:"));
  const CommandResult audit = Ctl({"admin", "audit", "--action", "kiosk.enrolment.issue"});
  EXPECT_EQ(audit.out, "");
}

// Two tablets typing the same code at the same moment: the exchange and the marking-used are one
// write, so exactly one of them gets a token, whichever it is.
TEST_F(KioskEnrolmentE2e, TwoConcurrentExchangesOfOneCodeGiveOneToken) {
  for (int round = 0; round < 4; ++round) {
    const std::string code = IssueCode("tablet-" + std::to_string(round));
    absl::Notification go;
    std::vector<grpc::Status> statuses(2);
    std::vector<std::thread> tablets;
    for (int i = 0; i < 2; ++i) {
      tablets.emplace_back([&, i] {
        go.WaitForNotification();
        statuses[i] = Enrol(code);
      });
    }
    go.Notify();
    for (std::thread& tablet : tablets) tablet.join();
    const int won = (statuses[0].ok() ? 1 : 0) + (statuses[1].ok() ? 1 : 0);
    EXPECT_EQ(won, 1) << statuses[0].error_message() << " / " << statuses[1].error_message();
    for (const grpc::Status& status : statuses) {
      if (!status.ok()) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
      }
    }
  }
  const CommandResult listed = Ctl({"--json", "admin", "token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  v1::ListTokensResponse tokens;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.out, &tokens).ok()) << listed.out;
  int enrolled = 0;
  for (const v1::Token& token : tokens.tokens()) {
    if (absl::StartsWith(token.device_name(), "tablet-")) ++enrolled;
  }
  EXPECT_EQ(enrolled, 4);
}

using KioskEnrolmentLimitE2e = DeferredServerTest;

// 8 characters of 31 symbols cannot be guessed: past the budget of wrong codes (3 a minute
// here; 10 by default), every code is refused, the right one too, and nothing is tried.
TEST_F(KioskEnrolmentLimitE2e, WrongCodesAreLimitedAcrossTheServerThenEvenTheRightOneWaits) {
  ASSERT_OK(StartServer({.flags = {"--enrolment-failures-per-minute", "3"}}));
  const CommandResult issued =
      Ctl(v1::ROLE_QA_MANAGER, {"admin", "kiosk", "enrol", "--device", "tablet-3"});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  const std::string code = CodeIn(issued.out);
  ASSERT_FALSE(code.empty()) << issued.out;
  auto tablet = v1::FeedbackService::NewStub(
      grpc::CreateChannel(server().address(), grpc::InsecureChannelCredentials()));
  auto enrol = [&](const std::string& typed) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::EnrolKioskRequest request;
    request.set_code(typed);
    v1::EnrolKioskResponse response;
    return tablet->EnrolKiosk(&context, request, &response);
  };
  for (const char* wrong : {"ZZZZ-ZZZ2", "ZZZZ-ZZZ3", "ZZZZ-ZZZ4"}) {
    EXPECT_EQ(enrol(wrong).error_code(), grpc::StatusCode::UNAUTHENTICATED) << wrong;
  }
  const grpc::Status waiting = enrol(code);
  EXPECT_EQ(waiting.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(waiting.error_message(), HasSubstr("at most 3 a minute"));
  EXPECT_EQ(enrol("ZZZZ-ZZZ5").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  const CommandResult listed = Ctl({"admin", "token", "list"});
  EXPECT_THAT(listed.out, Not(HasSubstr("device=tablet-3")));
}

}  // namespace kiosk_enrolment_e2e_test
}  // namespace
}  // namespace feedback::testing
