// Issue 12, everyday commands: `advocacy list`, `complaint list --quarter`, `admin token list
// --all` and revoking a token twice, each through the real feedbackctl against a real feedbackd.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace everyday_commands_e2e_test {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipWhitespace());
}

std::string Trimmed(const std::string& text) {
  return std::string(absl::StripTrailingAsciiWhitespace(text));
}

class EverydayCommands : public ServerTest {
 protected:
  // feedbackctl as `role`, with an outbox of the test's own; fails the test unless it exits 0.
  CommandResult Run(v1::Role role, std::vector<std::string> args) {
    args.insert(args.begin(), {"--outbox", dir().Sub("outbox")});
    return RunCommand(server().Ctl(role, args));
  }
  std::string MustRun(v1::Role role, const std::vector<std::string>& args) {
    const CommandResult result = Run(role, args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return Trimmed(result.out);
  }

  // A referral made at `at` (QA staff back-fill old quarters); returns its id.
  std::string Refer(const std::string& meeting, const std::string& at) {
    return MustRun(v1::ROLE_QA_MANAGER, {"advocacy", "refer", "--meeting", meeting, "--child-age",
                                         "12", "--within-city-boundary", "--referred-at", at});
  }

  // A family's complaint given at `at`; returns its id.
  std::string Complain(const std::string& at, const std::string& text) {
    return MustRun(v1::ROLE_QA_MANAGER, {"submit", "--source", "family", "--kind", "complaint",
                                         "--meeting", "cla-review", "--service-area", "social-care",
                                         "--text", text, "--occurred-at", at});
  }
};

TEST_F(EverydayCommands, AdvocacyListFiltersByQuarterMeetingAndStatusAndNeverShowsTheReason) {
  const std::string q3_cla = Refer("cla-review", "2018-11-14T10:00:00Z");
  const std::string q3_icpc = Refer("initial-cp-conference", "2018-12-03T09:00:00Z");
  const std::string q4_cla = Refer("cla-review", "2019-01-10T09:00:00Z");
  const std::string reason = "mum said the child is frightened of the foster carer";
  MustRun(v1::ROLE_QA_MANAGER, {"advocacy", "not-progressed", q3_cla, "--reason", reason});

  // The quarter: Q3's two, newest first, each with id, meeting, status and date referred.
  const CommandResult q3 = Run(v1::ROLE_ADVOCATE, {"advocacy", "list", "--quarter", "2018-19Q3"});
  ASSERT_EQ(q3.exit_code, 0) << q3.err;
  const std::vector<std::string> q3_lines = Lines(q3.out);
  ASSERT_THAT(q3_lines, SizeIs(2)) << q3.out;
  EXPECT_THAT(q3_lines[0], AllOf(HasSubstr(q3_icpc), HasSubstr("initial-cp-conference"),
                                 HasSubstr("referred"), HasSubstr("2018-12-03")));
  EXPECT_THAT(q3_lines[1], AllOf(HasSubstr(q3_cla), HasSubstr("cla-review"),
                                 HasSubstr("not-progressed"), HasSubstr("2018-11-14")));
  EXPECT_THAT(q3.out, Not(HasSubstr(q4_cla)));

  // The meeting, across quarters; the status.
  const CommandResult cla = Run(v1::ROLE_ADVOCATE, {"advocacy", "list", "--meeting", "cla-review"});
  ASSERT_EQ(cla.exit_code, 0) << cla.err;
  EXPECT_THAT(Lines(cla.out), SizeIs(2));
  EXPECT_THAT(cla.out, AllOf(HasSubstr(q3_cla), HasSubstr(q4_cla), Not(HasSubstr(q3_icpc))));
  const CommandResult declined =
      Run(v1::ROLE_QA_MANAGER, {"advocacy", "list", "--status", "not-progressed"});
  ASSERT_EQ(declined.exit_code, 0) << declined.err;
  EXPECT_THAT(Lines(declined.out), SizeIs(1));
  EXPECT_THAT(declined.out, HasSubstr(q3_cla));

  // Never the reason, in the human form or in JSON.
  const CommandResult json = Run(v1::ROLE_ADVOCATE, {"--json", "advocacy", "list"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  for (const CommandResult* result : {&q3, &cla, &declined, &json}) {
    EXPECT_THAT(result->out, Not(HasSubstr("frightened")));
  }
  v1::ListAdvocacyReferralsResponse listed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &listed).ok()) << json.out;
  EXPECT_THAT(listed.referrals(), SizeIs(3));

  // The list is audited with the ids it showed.
  const std::string audit =
      MustRun(v1::ROLE_ADMIN, {"admin", "audit", "--action", "referral.list"});
  EXPECT_THAT(audit, AllOf(HasSubstr(q3_cla), HasSubstr(q3_icpc)));

  // Nothing matched: a word on stderr, nothing on stdout; with --json, an empty list.
  const CommandResult none = Run(v1::ROLE_ADVOCATE, {"advocacy", "list", "--quarter", "2017-18Q1"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_THAT(none.out, IsEmpty());
  EXPECT_THAT(none.err, HasSubstr("no referrals matched"));
  const CommandResult none_json =
      Run(v1::ROLE_ADVOCATE, {"--json", "advocacy", "list", "--quarter", "2017-18Q1"});
  ASSERT_EQ(none_json.exit_code, 0) << none_json.err;
  EXPECT_EQ(Trimmed(none_json.out), R"({"referrals":[]})");
  EXPECT_THAT(none_json.err, Not(HasSubstr("matched")));

  // A bad filter names its flag; a reporter may not list referrals.
  const CommandResult bad = Run(v1::ROLE_ADVOCATE, {"advocacy", "list", "--status", "lost"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("--status"));
  EXPECT_EQ(Run(v1::ROLE_REPORTER, {"advocacy", "list"}).exit_code, 7);
}

TEST_F(EverydayCommands, ComplaintListByQuarterShowsOnlyComplaintsReceivedInIt) {
  const std::string q3 = Complain("2018-11-14T10:30:00Z", "Nobody called us back");
  const std::string q4 = Complain("2019-02-01T10:30:00Z", "The plan was not shared");

  const CommandResult listed =
      Run(v1::ROLE_QA_MANAGER, {"complaint", "list", "--quarter", "2018-19Q3"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(Lines(listed.out), SizeIs(1));
  EXPECT_THAT(listed.out, AllOf(HasSubstr(q3), Not(HasSubstr(q4))));

  // Beside the other filters: open complaints of Q4.
  const CommandResult open_q4 =
      Run(v1::ROLE_QA_MANAGER, {"complaint", "list", "--quarter", "2018-19Q4", "--open"});
  ASSERT_EQ(open_q4.exit_code, 0) << open_q4.err;
  EXPECT_THAT(open_q4.out, AllOf(HasSubstr(q4), Not(HasSubstr(q3))));

  const CommandResult bad = Run(v1::ROLE_QA_MANAGER, {"complaint", "list", "--quarter", "2018Q3"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("--quarter"));
}

TEST_F(EverydayCommands, TokenListAllShowsRevokedAndExpiredTokensMarkedAsSuch) {
  const std::string revoked_line =
      MustRun(v1::ROLE_ADMIN, {"admin", "token", "issue", "--role", "kiosk", "--device",
                               "lost-tablet", "--out", dir().Sub("lost.token")});
  const std::string revoked_id = Lines(revoked_line)[0].substr(std::string("issued ").size(), 36);
  ASSERT_THAT(revoked_id, ::testing::StartsWith("tok_"));
  MustRun(v1::ROLE_ADMIN, {"admin", "token", "revoke", revoked_id});

  // A token that expires a second from now (the CLI's shortest is a day), then the wait for
  // that second to pass: what is awaited is the clock itself.
  v1::IssueTokenRequest brief;
  brief.set_role(v1::ROLE_REPORTER);
  brief.set_device_name("brief-laptop");
  const absl::Time expiry = absl::Now() + absl::Seconds(1);
  brief.mutable_expires_at()->set_seconds(absl::ToUnixSeconds(expiry) + 1);
  v1::IssueTokenResponse issued;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(stub(v1::ROLE_ADMIN).IssueToken(&context, brief, &issued).ok());
  absl::SleepFor(absl::FromUnixSeconds(brief.expires_at().seconds()) - absl::Now() +
                 absl::Milliseconds(50));
  const std::string expired_id = issued.token().id();

  const std::string current = MustRun(v1::ROLE_ADMIN, {"admin", "token", "list"});
  EXPECT_THAT(current, AllOf(Not(HasSubstr(revoked_id)), Not(HasSubstr(expired_id))));

  const std::string all = MustRun(v1::ROLE_ADMIN, {"admin", "token", "list", "--all"});
  std::string revoked_row, expired_row;
  for (const std::string& line : Lines(all)) {
    if (line.find(revoked_id) != std::string::npos) revoked_row = line;
    if (line.find(expired_id) != std::string::npos) expired_row = line;
  }
  EXPECT_THAT(revoked_row, AllOf(HasSubstr("lost-tablet"), HasSubstr("REVOKED")));
  EXPECT_THAT(revoked_row, Not(HasSubstr("EXPIRED")));
  EXPECT_THAT(expired_row, AllOf(HasSubstr("brief-laptop"), HasSubstr("EXPIRED")));
  EXPECT_THAT(expired_row, Not(HasSubstr("REVOKED")));
}

TEST_F(EverydayCommands, RevokingARevokedTokenSaysItWasAlreadyRevoked) {
  v1::IssueTokenRequest request;
  request.set_role(v1::ROLE_KIOSK);
  request.set_device_name("tablet-9");
  v1::IssueTokenResponse issued;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ASSERT_TRUE(stub(v1::ROLE_ADMIN).IssueToken(&context, request, &issued).ok());
  const std::string id = issued.token().id();

  const CommandResult first = Run(v1::ROLE_ADMIN, {"admin", "token", "revoke", id});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, AllOf(::testing::StartsWith("revoked " + id), HasSubstr("REVOKED")));
  EXPECT_THAT(first.err, Not(HasSubstr("already")));

  // Again: nothing changes, and it says so (exit 0: the token is refused, as asked).
  const CommandResult again = Run(v1::ROLE_ADMIN, {"admin", "token", "revoke", id});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, ::testing::StartsWith("already revoked " + id));
  EXPECT_THAT(again.err, AllOf(HasSubstr(id), HasSubstr("was already revoked, at"),
                               HasSubstr("nothing changed")));
  const std::string audit = MustRun(v1::ROLE_ADMIN, {"admin", "audit", "--action", "token.revoke"});
  EXPECT_THAT(Lines(audit), SizeIs(1)) << audit;

  // A token that does not exist: not found.
  const CommandResult missing =
      Run(v1::ROLE_ADMIN, {"admin", "token", "revoke", "tok_00000000000000000000000000000000"});
  EXPECT_EQ(missing.exit_code, 4) << missing.err;
}

}  // namespace everyday_commands_e2e_test
}  // namespace
}  // namespace feedback::testing
