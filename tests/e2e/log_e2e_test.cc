// feedbackd's log through the real binary: with --log-format json every line on stderr is one
// JSON object with time, level and message; at debug a refused call is logged with its method,
// status code and the request id the caller was sent back; no word anyone wrote and no token is
// ever in it. (At the default level refused calls are not logged: AdmissionTest floods them.)
#include <signal.h>

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace log_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kWords[] = "Vx7Kp: Philomena said her foster carer shouts at night";

// Every line of `log`, parsed; a line that is not a JSON object fails the test.
std::vector<google::protobuf::Struct> JsonLines(const std::string& log) {
  std::vector<google::protobuf::Struct> lines;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct parsed;
    const auto status = google::protobuf::util::JsonStringToMessage(std::string(line), &parsed);
    EXPECT_TRUE(status.ok()) << "not a JSON object: " << line;
    lines.push_back(parsed);
  }
  return lines;
}

std::string Field(const google::protobuf::Struct& line, const std::string& key) {
  auto it = line.fields().find(key);
  return it == line.fields().end() ? "" : it->second.string_value();
}

class LogTest : public ServerTest {
 protected:
  LogTest() : ServerTest({.flags = {"--log-format", "json", "--log-level", "debug"}}) {}
};

TEST_F(LogTest, JsonLinesNameRefusedCallsByRequestIdAndHoldNoWordsOrTokens) {
  v1::SubmitFeedbackRequest request;
  v1::Feedback& item = *request.mutable_feedback();
  item.set_submission_id(client::NewSubmissionId());
  item.set_source(v1::SOURCE_CHILD);
  item.set_kind(v1::KIND_COMMENT);
  item.set_meeting(v1::MEETING_CLA_REVIEW);
  item.set_text(kWords);
  grpc::ClientContext submitted;
  v1::SubmitFeedbackResponse response;
  ASSERT_TRUE(stub(v1::ROLE_KIOSK).SubmitFeedback(&submitted, request, &response).ok());

  grpc::ClientContext refused;
  v1::GetFeedbackRequest get;
  get.set_id(response.feedback().id());
  v1::Feedback read;
  ASSERT_EQ(stub(v1::ROLE_KIOSK).GetFeedback(&refused, get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const auto sent_back = refused.GetServerTrailingMetadata().find("x-request-id");
  ASSERT_NE(sent_back, refused.GetServerTrailingMetadata().end());
  const std::string request_id(sent_back->second.data(), sent_back->second.size());

  ASSERT_EQ(StopServer(SIGTERM), 0);
  const std::string log = server().Stderr();
  bool found = false;
  for (const google::protobuf::Struct& line : JsonLines(log)) {
    EXPECT_FALSE(Field(line, "time").empty());
    EXPECT_FALSE(Field(line, "level").empty());
    if (Field(line, "request_id") == request_id) {
      found = true;
      EXPECT_EQ(Field(line, "level"), "debug");  // refused: the caller's doing
      EXPECT_EQ(Field(line, "method"), "GetFeedback");
      EXPECT_EQ(Field(line, "code"), "PERMISSION_DENIED");
      EXPECT_EQ(Field(line, "door"), "grpc");
    }
  }
  EXPECT_TRUE(found) << "no line for request " << request_id << " in:\n" << log;
  EXPECT_THAT(log, HasSubstr("stopped cleanly"));
  EXPECT_THAT(log, Not(HasSubstr("Philomena")));
  EXPECT_THAT(log, Not(HasSubstr("foster")));
  EXPECT_THAT(log, Not(HasSubstr(response.feedback().id())));
  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_QA_MANAGER, v1::ROLE_ADMIN}) {
    EXPECT_THAT(log, Not(HasSubstr(server().token(role))));
  }
}

using LogFlagTest = DeferredServerTest;

TEST_F(LogFlagTest, AnUnknownFormatIsRefusedByName) {
  const absl::Status started = StartServer({.flags = {"--log-format", "xml"}});
  EXPECT_FALSE(started.ok());
  EXPECT_THAT(started.message(), HasSubstr("--log-format"));
}

}  // namespace log_e2e_test
}  // namespace
}  // namespace feedback::testing
