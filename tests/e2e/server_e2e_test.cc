// Black-box tests of the real feedbackd over a real gRPC channel.
#include <signal.h>
#include <sys/wait.h>

#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {

v1::Feedback Compliment(const std::string& submission_id, const std::string& text) {
  v1::Feedback feedback;
  feedback.set_submission_id(submission_id);
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  feedback.set_text(text);
  return feedback;
}

grpc::Status Submit(v1::FeedbackService::Stub& stub, const v1::Feedback& feedback,
                    v1::SubmitFeedbackResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  return stub.SubmitFeedback(&context, request, response);
}

TEST(ServerEndToEnd, SubmittedFeedbackSurvivesARestart) {
  TempDir dir;
  std::string id;
  {
    auto server = ServerProcess::Start(dir.Sub("data"));
    ASSERT_OK(server);
    auto stub = (*server)->NewStub();
    v1::SubmitFeedbackResponse response;
    const grpc::Status status = Submit(
        *stub, Compliment("0b0e4f3a-7c4e-4c7a-9a55-1d2c3b4a5f60", "Chair was fair and inclusive"),
        &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    id = response.feedback().id();
    EXPECT_FALSE(id.empty());
    const int wait_status = (*server)->StopWith(SIGTERM);
    EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);
  }
  auto server = ServerProcess::Start(dir.Sub("data"));
  ASSERT_OK(server);
  auto stub = (*server)->NewStub();
  grpc::ClientContext context;
  v1::GetFeedbackRequest request;
  request.set_id(id);
  v1::Feedback stored;
  ASSERT_TRUE(stub->GetFeedback(&context, request, &stored).ok());
  EXPECT_EQ(stored.text(), "Chair was fair and inclusive");
  EXPECT_EQ(stored.source(), v1::SOURCE_FAMILY);
  EXPECT_THAT(stored.tags(), ::testing::Contains("compliment"));
}

}  // namespace
}  // namespace feedback::testing
