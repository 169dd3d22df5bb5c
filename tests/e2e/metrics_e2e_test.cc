// The operators' metrics through the real server: after calls through both doors, /metrics
// counts them by door, method and status, shows the writer's groups and the store's health, and
// holds no word anyone wrote, no id and no token; the metrics door is loopback only.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace metrics_e2e_test {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kWords[] = "Qw8Zr: my social worker Philomena listened to me";

// The value of the sample `series` (its name and labels exactly), or -1 if it is not there.
double Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.size() > series.size() && line.substr(0, series.size()) == series &&
        line[series.size()] == ' ') {
      double value = -1;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
    }
  }
  return -1;
}

std::string Scrape(const ServerProcess& server) {
  absl::StatusOr<std::unique_ptr<HttpClient>> client =
      HttpClient::Connect(server.metrics_address());
  EXPECT_TRUE(client.ok()) << client.status();
  if (!client.ok()) return "";
  absl::StatusOr<HttpReply> reply = (*client)->Send("GET", "/metrics");
  EXPECT_TRUE(reply.ok()) << reply.status();
  if (!reply.ok()) return "";
  EXPECT_EQ(reply->status, 200);
  EXPECT_THAT(reply->Header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  return reply->body;
}

class MetricsTest : public ServerTest {
 protected:
  MetricsTest()
      : ServerTest({.flags = {"--metrics-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"}}) {
  }
};

TEST_F(MetricsTest, CountsEachDoorsCallsByMethodAndStatusAndShowsTheStoresHealth) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    v1::SubmitFeedbackRequest request;
    v1::Feedback& item = *request.mutable_feedback();
    item.set_submission_id(client::NewSubmissionId());
    item.set_source(v1::SOURCE_FAMILY);
    item.set_kind(v1::KIND_COMPLIMENT);
    item.set_meeting(v1::MEETING_CLA_REVIEW);
    item.set_rating(5);
    item.set_text(kWords);
    grpc::ClientContext context;
    v1::SubmitFeedbackResponse response;
    ASSERT_TRUE(stub().SubmitFeedback(&context, request, &response).ok());
    ids.push_back(response.feedback().id());
  }
  // A refused call: a kiosk may not read feedback.
  grpc::ClientContext refused_context;
  v1::GetFeedbackRequest get;
  get.set_id(ids[0]);
  v1::Feedback item;
  EXPECT_EQ(stub(v1::ROLE_KIOSK).GetFeedback(&refused_context, get, &item).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // One call through the HTTP door.
  absl::StatusOr<std::unique_ptr<HttpClient>> door = HttpClient::Connect(server().http_address());
  ASSERT_TRUE(door.ok()) << door.status();
  absl::StatusOr<HttpReply> answered =
      (*door)->Call("GetFeedback", absl::StrCat(R"({"id":")", ids[1], R"("})"),
                    server().token(v1::ROLE_QA_MANAGER));
  ASSERT_TRUE(answered.ok()) << answered.status();
  ASSERT_EQ(answered->status, 200) << answered->body;

  const std::string metrics = Scrape(server());
  EXPECT_EQ(
      Sample(metrics, R"(feedbackd_requests_total{door="grpc",method="SubmitFeedback",code="OK"})"),
      3);
  EXPECT_EQ(
      Sample(
          metrics,
          R"(feedbackd_requests_total{door="grpc",method="GetFeedback",code="PERMISSION_DENIED"})"),
      1);
  EXPECT_EQ(
      Sample(metrics, R"(feedbackd_requests_total{door="http",method="GetFeedback",code="200"})"),
      1);
  EXPECT_EQ(
      Sample(metrics,
             R"(feedbackd_request_duration_seconds_count{door="grpc",method="SubmitFeedback"})"),
      3);
  // Three submissions and the audited read: at least four operations reached the disk.
  EXPECT_GE(Sample(metrics, "feedbackd_commit_batch_operations_sum"), 4);
  EXPECT_GE(Sample(metrics, "feedbackd_commit_seconds_count"), 1);
  EXPECT_EQ(Sample(metrics, "feedbackd_store_disk_full"), 0);
  EXPECT_EQ(Sample(metrics, "feedbackd_store_write_failing"), 0);
  EXPECT_GT(Sample(metrics, "feedbackd_store_free_disk_bytes"), 0);
  EXPECT_GE(Sample(metrics, "feedbackd_rocksdb_live_sst_bytes"), 0);
  EXPECT_EQ(Sample(metrics, "feedbackd_rocksdb_write_stopped"), 0);
  EXPECT_EQ(Sample(metrics, "feedbackd_alerts_open"), 0);
  EXPECT_GE(Sample(metrics, "feedbackd_writer_queued_operations"), 0);

  // Nothing personal, no id, no token.
  EXPECT_THAT(metrics, Not(HasSubstr("Philomena")));
  EXPECT_THAT(metrics, Not(HasSubstr("listened")));
  for (const std::string& id : ids) EXPECT_THAT(metrics, Not(HasSubstr(id)));
  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_QA_MANAGER, v1::ROLE_ADMIN}) {
    EXPECT_THAT(metrics, Not(HasSubstr(server().token(role))));
  }
}

TEST_F(MetricsTest, CountsStreamsByMethodAndStatusWithTheirRequestIds) {
  // An export read to its end (an empty year: the stream ends OK)...
  v1::ExportFeedbackRequest request;
  request.set_financial_year(2018);
  grpc::ClientContext context;
  auto reader = stub().ExportFeedback(&context, request);
  v1::Feedback item;
  while (reader->Read(&item)) {
  }
  ASSERT_TRUE(reader->Finish().ok());
  // The stream's request id comes back, as a unary call's does.
  EXPECT_EQ(context.GetServerTrailingMetadata().count("x-request-id"), 1u);
  // ...and one a kiosk may not open.
  grpc::ClientContext refused_context;
  auto refused = stub(v1::ROLE_KIOSK).ExportFeedback(&refused_context, request);
  while (refused->Read(&item)) {
  }
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);

  const std::string metrics = Scrape(server());
  EXPECT_EQ(
      Sample(metrics, R"(feedbackd_requests_total{door="grpc",method="ExportFeedback",code="OK"})"),
      1);
  EXPECT_EQ(Sample(metrics, R"(feedbackd_requests_total{door="grpc",method="ExportFeedback",)"
                            R"(code="PERMISSION_DENIED"})"),
            1);
  EXPECT_EQ(
      Sample(metrics,
             R"(feedbackd_request_duration_seconds_count{door="grpc",method="ExportFeedback"})"),
      2);
}

TEST_F(MetricsTest, OnlyMetricsAreServedThere) {
  absl::StatusOr<std::unique_ptr<HttpClient>> client =
      HttpClient::Connect(server().metrics_address());
  ASSERT_TRUE(client.ok()) << client.status();
  absl::StatusOr<HttpReply> kiosk = (*client)->Send("GET", "/kiosk");
  ASSERT_TRUE(kiosk.ok()) << kiosk.status();
  EXPECT_EQ(kiosk->status, 404);
}

using MetricsRefusalTest = DeferredServerTest;

TEST_F(MetricsRefusalTest, PlaintextMetricsOffLoopbackAreRefusedByName) {
  const absl::Status started = StartServer({.flags = {"--metrics-listen", "0.0.0.0:0"}});
  EXPECT_FALSE(started.ok());
  EXPECT_THAT(started.message(), HasSubstr("--metrics-listen"));
  EXPECT_THAT(started.message(), HasSubstr("loopback"));
}

}  // namespace metrics_e2e_test
}  // namespace
}  // namespace feedback::testing
