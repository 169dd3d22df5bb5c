// Black-box tests of feedbackctl driving a real feedbackd: exit codes, stdout/stderr, --json.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace cli_e2e_test {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// One server per test, and feedbackctl pointed at it.
class Cli {
 public:
  // Each command with the token of the role its user would have.
  explicit Cli(const ServerProcess& server) : address_(server.address()), server_(&server) {}
  // No server: no token.
  explicit Cli(const std::string& server_address) : address_(server_address) {}

  // feedbackctl --server ADDR [--token-file F] --outbox TEMP ARGS... (never the user's outbox)
  CommandResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    std::vector<std::string> argv = {"--timeout", "10", "--outbox", outbox_.Sub("outbox")};
    argv.insert(argv.end(), args.begin(), args.end());
    if (server_ != nullptr) return RunCommand(server_->Ctl(argv), stdin_text);
    argv.insert(argv.begin(), {FEEDBACKCTL_PATH, "--server", address_});
    return RunCommand(argv, stdin_text);
  }

  // `submit` with a valid family compliment plus `extra`; returns the printed id or "" (and a
  // test failure).
  std::string Submit(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"submit",     "--source",       "family",
                                     "--kind",     "compliment",     "--meeting",
                                     "cla-review", "--service-area", "social-care"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return std::string(absl::StripTrailingAsciiWhitespace(result.out));
  }

 private:
  std::string address_;
  const ServerProcess* server_ = nullptr;
  TempDir outbox_;
};

std::vector<std::string> NonEmptyLines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipWhitespace());
}

using CliEndToEnd = ServerTest;

TEST_F(CliEndToEnd, SubmitPrintsTheIdAndGetShowsTheText) {
  Cli cli(server());

  const CommandResult submitted =
      cli.Run({"submit", "--source", "family", "--kind", "compliment", "--meeting", "cla-review",
               "--service-area", "social-care", "--rating", "4", "--text",
               "The chair made sure we were heard"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  // The id alone on stdout, for scripts.
  ASSERT_THAT(NonEmptyLines(submitted.out), ElementsAre(MatchesRegex("fb_[0-9a-z]+")));
  const std::string id(absl::StripTrailingAsciiWhitespace(submitted.out));

  const CommandResult got = cli.Run({"get", id});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr("The chair made sure we were heard"));
  EXPECT_THAT(got.out, HasSubstr(id));
  EXPECT_THAT(got.out, HasSubstr("family"));
}

TEST_F(CliEndToEnd, JsonOutputIsProtobufJson) {
  Cli cli(server());

  const CommandResult submitted =
      cli.Run({"--json", "submit", "--source", "family", "--kind", "compliment", "--rating", "5",
               "--text", "Really helpful"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  v1::SubmitFeedbackResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(submitted.out, &response).ok())
      << submitted.out;
  const std::string id = response.feedback().id();
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(response.duplicate());

  const CommandResult got = cli.Run({"--json", "get", id});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_THAT(got.out, HasSubstr(id));
  EXPECT_THAT(got.out, HasSubstr("\"SOURCE_FAMILY\""));
  v1::Feedback feedback;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(got.out, &feedback).ok()) << got.out;
  EXPECT_EQ(feedback.id(), id);
  EXPECT_EQ(feedback.source(), v1::SOURCE_FAMILY);
  EXPECT_EQ(feedback.text(), "Really helpful");
  EXPECT_EQ(feedback.rating(), 5);

  const CommandResult listed = cli.Run({"--json", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  v1::ListFeedbackResponse list;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(listed.out, &list).ok()) << listed.out;
  ASSERT_EQ(list.feedback_size(), 1);
  EXPECT_EQ(list.feedback(0).id(), id);
}

TEST_F(CliEndToEnd, ListQuarterListsThatQuarterOnly) {
  Cli cli(server());

  const std::string q3_start = cli.Submit(
      {"--text", "just after midnight BST", "--occurred-at", "2018-10-01T00:30:00+01:00"});
  const std::string q2_end = cli.Submit(
      {"--text", "just before midnight BST", "--occurred-at", "2018-09-30T23:59:00+01:00"});
  const std::string q3_end =
      cli.Submit({"--text", "new year's eve", "--occurred-at", "2018-12-31T23:59:00Z"});
  const std::string q4 =
      cli.Submit({"--text", "new year", "--occurred-at", "2019-01-01T00:00:00Z"});
  ASSERT_FALSE(HasFailure());

  const CommandResult listed = cli.Run({"list", "--quarter", "2018-19Q3"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::vector<std::string> lines = NonEmptyLines(listed.out);
  ASSERT_EQ(lines.size(), 2u) << listed.out;
  EXPECT_THAT(lines[0], HasSubstr(q3_end));  // newest first
  EXPECT_THAT(lines[1], HasSubstr(q3_start));
  EXPECT_THAT(listed.out, Not(HasSubstr(q2_end)));
  EXPECT_THAT(listed.out, Not(HasSubstr(q4)));

  const CommandResult json = cli.Run({"--json", "list", "--quarter", "2018-19Q3"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::ListFeedbackResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &response).ok()) << json.out;
  std::vector<std::string> ids;
  for (const v1::Feedback& item : response.feedback()) ids.push_back(item.id());
  EXPECT_THAT(ids, ElementsAre(q3_end, q3_start));

  const CommandResult all = cli.Run({"--json", "list"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(all.out, &response).ok()) << all.out;
  ids.clear();
  for (const v1::Feedback& item : response.feedback()) ids.push_back(item.id());
  EXPECT_THAT(ids, UnorderedElementsAre(q3_start, q2_end, q3_end, q4));
}

TEST_F(CliEndToEnd, BadQuarterExitsTwoNamingTheFlag) {
  Cli cli(server());
  for (const std::string quarter : {"2018-20Q3", "2018-19Q5", "2018Q3"}) {
    SCOPED_TRACE(quarter);
    const CommandResult result = cli.Run({"list", "--quarter", quarter});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, HasSubstr("--quarter"));
    EXPECT_THAT(result.out, IsEmpty());
  }
}

TEST_F(CliEndToEnd, BadSubmitFlagsExitTwoNamingTheFlag) {
  Cli cli(server());
  const std::vector<std::string> base = {"submit", "--source", "family", "--kind", "comment"};
  struct Case {
    std::vector<std::string> extra;
    std::string named;
  };
  const std::vector<Case> cases = {
      {{"--text", "x", "--occurred-at", "yesterday"}, "--occurred-at"},
      {{"--text", "x", "--text-file", "-"}, "--text"},
      {{"--text-file", dir().Sub("no-such-file")}, "--text-file"},
      {{"--text", "x", "--rating", "four"}, "--rating"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = base;
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    SCOPED_TRACE(absl::StrJoin(args, " "));
    const CommandResult result = cli.Run(args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.named));
    EXPECT_THAT(result.out, IsEmpty());
  }
  const CommandResult missing = cli.Run({"submit", "--kind", "comment", "--text", "x"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("--source"));
  EXPECT_THAT(NonEmptyLines(cli.Run({"list"}).out), IsEmpty());
}

TEST_F(CliEndToEnd, RatingOutOfRangeExitsThreeNamingRating) {
  Cli cli(server());
  const CommandResult result = cli.Run({"submit", "--source", "family", "--kind", "compliment",
                                        "--rating", "9", "--text", "too many stars"});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("rating"));
  EXPECT_THAT(result.out, IsEmpty());
  EXPECT_THAT(NonEmptyLines(cli.Run({"list"}).out), IsEmpty());
}

TEST_F(CliEndToEnd, GetOfAnUnknownIdExitsFour) {
  Cli cli(server());
  const CommandResult result = cli.Run({"get", "fb_doesnotexist"});
  EXPECT_EQ(result.exit_code, 4) << result.err;
  EXPECT_THAT(result.err, HasSubstr("fb_doesnotexist"));
  EXPECT_THAT(result.out, IsEmpty());
}

TEST_F(CliEndToEnd, UnknownEnumValueExitsTwoNamingTheFlag) {
  Cli cli(server());
  const CommandResult result =
      cli.Run({"submit", "--source", "nonsense", "--kind", "compliment", "--text", "hello"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_THAT(result.err, HasSubstr("--source"));
  EXPECT_THAT(result.err, HasSubstr("family"));  // lists the choices
  EXPECT_THAT(result.out, IsEmpty());

  const CommandResult meeting = cli.Run({"submit", "--source", "child", "--kind", "compliment",
                                         "--meeting", "CLA_REVIEW", "--text", "hello"});
  EXPECT_EQ(meeting.exit_code, 2) << meeting.err;
  EXPECT_THAT(meeting.err, HasSubstr("--meeting"));
}

TEST_F(CliEndToEnd, ServerNotRunningExitsSixForReadsAndQueuesSubmissions) {
  const std::string address = ClosedPortAddress();
  Cli cli(address);
  const CommandResult get = cli.Run({"--timeout", "1", "get", "fb_0123"});
  EXPECT_EQ(get.exit_code, 6) << get.err;
  // A kiosk without Wi-Fi: the item is kept in the outbox, and the command says so.
  const CommandResult submit = cli.Run({"--timeout", "1", "submit", "--source", "family", "--kind",
                                        "compliment", "--text", "hello"});
  EXPECT_EQ(submit.exit_code, 0) << submit.err;
  EXPECT_THAT(submit.err, HasSubstr("queued"));
  const CommandResult status = cli.Run({"outbox", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("1"));
}

TEST_F(CliEndToEnd, ReusedSubmissionIdPrintsTheSameIdOrExitsFive) {
  Cli cli(server());
  const std::string submission_id = "7d3f0c2e-1a4b-4c5d-8e6f-9a0b1c2d3e4f";
  const std::string first =
      cli.Submit({"--submission-id", submission_id, "--rating", "3", "--text", "Okay meeting"});
  const std::string again =
      cli.Submit({"--submission-id", submission_id, "--rating", "3", "--text", "Okay meeting"});
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(again, first);

  const CommandResult conflict =
      cli.Run({"submit", "--source", "family", "--kind", "compliment", "--meeting", "cla-review",
               "--service-area", "social-care", "--submission-id", submission_id, "--rating", "3",
               "--text", "A different text"});
  EXPECT_EQ(conflict.exit_code, 5) << conflict.err;
  EXPECT_THAT(conflict.err, HasSubstr("submission_id"));
  EXPECT_THAT(conflict.out, IsEmpty());
  EXPECT_THAT(cli.Run({"get", first}).out, HasSubstr("Okay meeting"));
}

TEST_F(CliEndToEnd, TextFileDashReadsStandardInput) {
  Cli cli(server());
  const std::string text = "Words from a kiosk\nover two lines, caf\xc3\xa9 and all";
  const CommandResult submitted =
      cli.Run({"submit", "--source", "child", "--kind", "comment", "--text-file", "-"}, text);
  ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  const std::string id(absl::StripTrailingAsciiWhitespace(submitted.out));

  const CommandResult got = cli.Run({"--json", "get", id});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::Feedback feedback;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(got.out, &feedback).ok()) << got.out;
  EXPECT_EQ(feedback.text(), text);
  EXPECT_EQ(feedback.source(), v1::SOURCE_CHILD);
  EXPECT_EQ(feedback.kind(), v1::KIND_COMMENT);
}

// A text file saved as Latin-1 rather than UTF-8: the user must be told the text is the problem.
TEST_F(CliEndToEnd, TextFileThatIsNotUtf8ExitsThreeNamingText) {
  Cli cli(server());
  const std::string file = dir().Sub("latin1.txt");
  std::ofstream(file, std::ios::binary) << "The caf\xe9 meeting room was cold";
  const CommandResult result =
      cli.Run({"submit", "--source", "family", "--kind", "comment", "--text-file", file});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_THAT(result.err, HasSubstr("text"));
  EXPECT_THAT(result.out, IsEmpty());
}

}  // namespace cli_e2e_test
}  // namespace
}  // namespace feedback::testing
