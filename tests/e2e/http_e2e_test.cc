// The HTTP door, end to end: the real feedbackd with --http-listen, driven over real HTTP (and
// HTTPS) by a small client, checked against what the gRPC door says about the same store.
#include <signal.h>
#include <sys/wait.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/server_test.h"

namespace feedback::testing {
namespace {
namespace http_e2e_test {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ServerOptions WithHttp(ServerOptions options = {}) {
  options.flags.insert(options.flags.end(), {"--http-listen", "127.0.0.1:0"});
  return options;
}

// The kiosk's SubmitFeedback body (as the kiosk page sends it), given a minute ago.
std::string KioskSubmission(const std::string& submission_id, const std::string& text,
                            int rating = 4) {
  const std::string occurred =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Minutes(1), absl::UTCTimeZone());
  return absl::StrFormat(
      R"({"feedback":{"submissionId":"%s","source":"SOURCE_CHILD","kind":"KIND_COMMENT",)"
      R"("meeting":"MEETING_CLA_REVIEW","serviceArea":"SERVICE_AREA_SOCIAL_CARE","text":"%s",)"
      R"("rating":%d,"consentToQuote":true,"occurredAt":"%s"}})",
      submission_id, text, rating, occurred);
}

// The "code" and "message" of a Connect error body ("" if it is not one).
struct ConnectError {
  std::string code;
  std::string message;
};
ConnectError ErrorOf(const HttpReply& reply) {
  google::protobuf::Struct body;
  if (!google::protobuf::util::JsonStringToMessage(reply.body, &body).ok()) return {};
  return {body.fields().contains("code") ? body.fields().at("code").string_value() : "",
          body.fields().contains("message") ? body.fields().at("message").string_value() : ""};
}

template <typename Message>
Message Parsed(const HttpReply& reply) {
  Message message;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &message).ok()) << reply.body;
  return message;
}

class HttpTest : public ServerTest {
 protected:
  HttpTest() : ServerTest(WithHttp()) {}

  // A client on a new connection to the door.
  std::unique_ptr<HttpClient> Client() {
    auto client = HttpClient::Connect(server().http_address());
    EXPECT_OK(client);
    return client.ok() ? *std::move(client) : nullptr;
  }
  HttpReply Call(const std::string& method, const std::string& json, v1::Role role) {
    return Call(method, json, server().token(role));
  }
  HttpReply Call(const std::string& method, const std::string& json, const std::string& token) {
    absl::StatusOr<HttpReply> reply = http().Call(method, json, token);
    EXPECT_OK(reply);
    return reply.ok() ? *reply : HttpReply{};
  }
  HttpReply Send(const std::string& method, const std::string& target, const std::string& body = "",
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    absl::StatusOr<HttpReply> reply = http().Send(method, target, body, headers);
    EXPECT_OK(reply);
    return reply.ok() ? *reply : HttpReply{};
  }
  // One keep-alive connection for the whole test.
  HttpClient& http() {
    if (http_ == nullptr) http_ = Client();
    return *http_;
  }

 private:
  std::unique_ptr<HttpClient> http_;
};

// --- One core behind both doors -----------------------------------------------------------------

TEST_F(HttpTest, ASubmissionOverHttpIsReadBackOverGrpc) {
  ASSERT_FALSE(server().http_address().empty());
  const std::string submission_id = client::NewSubmissionId();
  const HttpReply reply = Call(
      "SubmitFeedback", KioskSubmission(submission_id, "The chair listened to me"), v1::ROLE_KIOSK);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("content-type"), "application/json");
  const auto response = Parsed<v1::SubmitFeedbackResponse>(reply);
  ASSERT_FALSE(response.feedback().id().empty()) << reply.body;
  EXPECT_EQ(response.feedback().submission_id(), submission_id);
  EXPECT_FALSE(response.duplicate());

  v1::GetFeedbackRequest get;
  get.set_id(response.feedback().id());
  v1::Feedback stored;
  grpc::ClientContext context;
  const grpc::Status status = stub().GetFeedback(&context, get, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stored.text(), "The chair listened to me");
  EXPECT_EQ(stored.source(), v1::SOURCE_CHILD);
  EXPECT_EQ(stored.rating(), 4);
  EXPECT_TRUE(stored.consent_to_quote());

  // ...and the other way: what gRPC stored, HTTP reads, in lowerCamelCase JSON.
  const HttpReply read =
      Call("GetFeedback", absl::StrCat(R"({"id":")", stored.id(), R"("})"), v1::ROLE_QA_MANAGER);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_THAT(read.body,
              AllOf(HasSubstr(R"("submissionId":")" + submission_id),
                    HasSubstr(R"("receivedAt":")"), HasSubstr(R"("consentToQuote":true)")));
  EXPECT_EQ(Parsed<v1::Feedback>(read).text(), "The chair listened to me");
}

TEST_F(HttpTest, TheSameSubmissionAgainSaysDuplicateAndStoresOne) {
  const std::string body = KioskSubmission(client::NewSubmissionId(), "Twice, by a double tap");
  const HttpReply first = Call("SubmitFeedback", body, v1::ROLE_KIOSK);
  const HttpReply again = Call("SubmitFeedback", body, v1::ROLE_KIOSK);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_THAT(again.body, HasSubstr(R"("duplicate":true)"));
  EXPECT_EQ(Parsed<v1::SubmitFeedbackResponse>(again).feedback().id(),
            Parsed<v1::SubmitFeedbackResponse>(first).feedback().id());
  EXPECT_EQ(ListAllFeedback(server()).size(), 1u);
}

TEST_F(HttpTest, BothDoorsRefuseABadRequestWithTheSameWords) {
  const std::string body = KioskSubmission(client::NewSubmissionId(), "Rated off the scale", 9);
  const HttpReply reply = Call("SubmitFeedback", body, v1::ROLE_KIOSK);
  v1::SubmitFeedbackRequest request;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &request).ok());
  v1::SubmitFeedbackResponse response;
  grpc::ClientContext context;
  const grpc::Status grpc_status =
      stub(v1::ROLE_KIOSK).SubmitFeedback(&context, request, &response);
  ASSERT_EQ(grpc_status.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(ErrorOf(reply).code, "invalid_argument");
  EXPECT_EQ(ErrorOf(reply).message, grpc_status.error_message());
  EXPECT_THAT(ErrorOf(reply).message, StartsWith("feedback.rating"));
  EXPECT_TRUE(ListAllFeedback(server()).empty());
}

// --- Statuses: Connect's mapping of the core's codes --------------------------------------------

TEST_F(HttpTest, NoTokenIs401AndAWrongOneToo) {
  const std::string body = KioskSubmission(client::NewSubmissionId(), "No token");
  HttpReply reply = Call("SubmitFeedback", body, std::string());
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(ErrorOf(reply).code, "unauthenticated");
  reply = Call("SubmitFeedback", body, std::string("fbk_") + std::string(64, 'a'));
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(ErrorOf(reply).message, "authorization: unknown token");
  reply = Send("POST", "/feedback.v1.FeedbackService/SubmitFeedback", body,
               {{"Content-Type", "application/json"},
                {"Authorization", "Bearer " + server().token(v1::ROLE_KIOSK)},
                {"Authorization", "Bearer " + server().token(v1::ROLE_ADMIN)}});
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(ErrorOf(reply).message, "authorization: sent more than once");
  EXPECT_TRUE(ListAllFeedback(server()).empty());
}

TEST_F(HttpTest, AKioskReadingFeedbackIs403) {
  const HttpReply reply = Call("ListFeedback", "{}", v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(ErrorOf(reply).code, "permission_denied");
  EXPECT_EQ(ErrorOf(reply).message, "a kiosk token may not call ListFeedback");
}

TEST_F(HttpTest, AnUnknownIdIs404) {
  const HttpReply reply = Call("GetFeedback", R"({"id":"fb_nope"})", v1::ROLE_QA_MANAGER);
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(ErrorOf(reply).code, "not_found");
}

TEST_F(HttpTest, TheSameIdForOtherWordsIs409) {
  const std::string submission_id = client::NewSubmissionId();
  ASSERT_EQ(
      Call("SubmitFeedback", KioskSubmission(submission_id, "First words"), v1::ROLE_KIOSK).status,
      200);
  const HttpReply reply =
      Call("SubmitFeedback", KioskSubmission(submission_id, "Other words"), v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 409);
  EXPECT_EQ(ErrorOf(reply).code, "already_exists");
  ASSERT_EQ(ListAllFeedback(server()).size(), 1u);
  EXPECT_EQ(ListAllFeedback(server())[0].text(), "First words");
}

TEST_F(HttpTest, AFieldOnlyTheServerSetsIsRefusedByName) {
  const std::string body =
      R"({"feedback":{"id":"fb_mine","submissionId":"6b1f6f1e-1111-4111-8111-111111111111",)"
      R"("source":"SOURCE_CHILD","kind":"KIND_COMMENT","text":"Mine"}})";
  const HttpReply reply = Call("SubmitFeedback", body, v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(ErrorOf(reply).code, "invalid_argument");
  EXPECT_THAT(ErrorOf(reply).message, StartsWith("feedback.id: is assigned by the server"));
  EXPECT_TRUE(ListAllFeedback(server()).empty());
}

TEST_F(HttpTest, AnUnknownFieldIsRefusedByNameNotIgnored) {
  const HttpReply reply =
      Call("SubmitFeedback", R"({"feedback":{"text":"hi","ratin":4}})", v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(ErrorOf(reply).message,
            R"(feedback: unknown field "ratin" (not a field of feedback.v1.Feedback))");
}

TEST_F(HttpTest, AValueOfTheWrongKindIsRefusedByField) {
  HttpReply reply =
      Call("SubmitFeedback", R"({"feedback":{"source":"SOURCE_PUPPY"}})", v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(ErrorOf(reply).message, StartsWith("feedback.source: is not a value of"));
  reply = Call("SubmitFeedback", R"({"feedback":{"occurredAt":"yesterday"}})", v1::ROLE_KIOSK);
  EXPECT_THAT(ErrorOf(reply).message, StartsWith("feedback.occurred_at: is not an RFC 3339 time"));
}

TEST_F(HttpTest, BadJsonIs400AndTheConnectionStillServes) {
  HttpReply reply = Call("SubmitFeedback", R"({"feedback":{"text":"cut off)", v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(ErrorOf(reply).code, "invalid_argument");
  EXPECT_THAT(ErrorOf(reply).message, StartsWith("request: is not valid JSON"));
  reply = Call("SubmitFeedback", "\xff\xfe{}", v1::ROLE_KIOSK);
  EXPECT_EQ(ErrorOf(reply).message, "request: is not valid UTF-8 (send JSON encoded as UTF-8)");
  // Same keep-alive connection:
  reply =
      Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), "Fine"), v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 200) << reply.body;
}

TEST_F(HttpTest, TheCallerIsAdmittedBeforeTheBodyIsRead) {
  const HttpReply reply = Call("SubmitFeedback", "not json at all", std::string());
  EXPECT_EQ(reply.status, 401);
}

TEST_F(HttpTest, TheWrongContentTypeIs415) {
  const HttpReply reply = Send("POST", "/feedback.v1.FeedbackService/SubmitFeedback", "{}",
                               {{"Content-Type", "text/plain"},
                                {"Authorization", "Bearer " + server().token(v1::ROLE_KIOSK)}});
  EXPECT_EQ(reply.status, 415);
  EXPECT_EQ(ErrorOf(reply).code, "invalid_argument");
  EXPECT_THAT(ErrorOf(reply).message, HasSubstr("application/json"));
}

TEST_F(HttpTest, GetOnAnRpcPathIs405) {
  const HttpReply reply = Send("GET", "/feedback.v1.FeedbackService/GetFeedback?id=fb_1");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.Header("allow"), "POST");
  EXPECT_THAT(ErrorOf(reply).message, HasSubstr("POST"));
}

TEST_F(HttpTest, AnUnknownMethodIs404Unimplemented) {
  const HttpReply reply = Call("DeleteEverything", "{}", v1::ROLE_ADMIN);
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(ErrorOf(reply).code, "unimplemented");
  EXPECT_THAT(ErrorOf(reply).message, HasSubstr("DeleteEverything"));
}

TEST_F(HttpTest, StreamingRpcsAreNotConnectUnary) {
  for (const std::string method : {"ExportFeedback", "WatchAlerts"}) {
    const HttpReply reply = Call(method, "{}", v1::ROLE_QA_MANAGER);
    EXPECT_EQ(reply.status, 501) << method;
    EXPECT_EQ(ErrorOf(reply).code, "unimplemented");
    EXPECT_THAT(ErrorOf(reply).message, HasSubstr("streaming RPC"));
  }
}

TEST_F(HttpTest, AnOversizedBodyIs413AndTheServerServesOn) {
  const std::string text(70 * 1024, 'x');
  const HttpReply reply =
      Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), text), v1::ROLE_KIOSK);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(ErrorOf(reply).code, "resource_exhausted");
  EXPECT_EQ(reply.Header("connection"), "close");
  auto fresh = Client();
  ASSERT_NE(fresh, nullptr);
  auto next = fresh->Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), "Short"),
                          server().token(v1::ROLE_KIOSK));
  ASSERT_OK(next);
  EXPECT_EQ(next->status, 200) << next->body;
}

TEST_F(HttpTest, BytesThatAreNotHttpAreRefusedAndTheServerServesOn) {
  auto junk = Client();
  ASSERT_NE(junk, nullptr);
  absl::StatusOr<std::string> answer = junk->SendRaw("\x16\x03\x01 hello?\r\n\r\n");
  ASSERT_OK(answer);
  EXPECT_THAT(*answer, StartsWith("HTTP/1.1 400"));
  EXPECT_EQ(Send("GET", "/kiosk/").status, 200);
}

TEST_F(HttpTest, BinaryProtobufIsServedToo) {
  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(2026);
  request.set_quarter(3);
  const HttpReply reply =
      Send("POST", "/feedback.v1.FeedbackService/GetQuarterSummary", request.SerializeAsString(),
           {{"Content-Type", "application/proto"},
            {"Authorization", "Bearer " + server().token(v1::ROLE_REPORTER)}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("content-type"), "application/proto");
  v1::QuarterSummary summary;
  ASSERT_TRUE(summary.ParseFromString(reply.body));
  EXPECT_EQ(summary.financial_year(), 2026);
}

TEST_F(HttpTest, AnswersAreNeverCached) {
  const HttpReply reply = Call("ListFeedback", "{}", v1::ROLE_QA_MANAGER);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("cache-control"), "no-store");
}

// --- The kiosk's files --------------------------------------------------------------------------

TEST_F(HttpTest, KioskRedirectsToItsFolderAndServesTheIndexWithAStrictPolicy) {
  HttpReply reply = Send("GET", "/kiosk");
  EXPECT_EQ(reply.status, 302);
  EXPECT_EQ(reply.Header("location"), "/kiosk/");
  reply = Send("GET", "/kiosk/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(reply.body, HasSubstr("Kiosk"));
  EXPECT_EQ(reply.Header("cache-control"), "no-cache");
  const std::string policy = reply.Header("content-security-policy");
  EXPECT_THAT(policy, AllOf(HasSubstr("default-src 'self'"), HasSubstr("script-src 'self'"),
                            HasSubstr("frame-ancestors 'none'")));
  EXPECT_THAT(policy, Not(HasSubstr("unsafe-inline")));
  EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(Send("GET", "/kiosk/index.html").body, reply.body);
  // Revalidation by ETag costs no body.
  const HttpReply again = Send("GET", "/kiosk/", "", {{"If-None-Match", reply.Header("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(HttpTest, NoPathLeavesTheEmbeddedFiles) {
  for (const std::string target :
       {"/kiosk/../CMakeLists.txt", "/kiosk/%2e%2e/CMakeLists.txt", "/kiosk//etc/passwd",
        "/kiosk/..%2fREADME.md", "/kiosk/nope.js", "/CMakeLists.txt", "/", "/kiosk/index.html/"}) {
    const HttpReply reply = Send("GET", target);
    EXPECT_EQ(reply.status, 404) << target;
    EXPECT_EQ(reply.body, "Not found\n") << target;
  }
}

TEST_F(HttpTest, OnlyGetAndHeadReachTheFiles) {
  EXPECT_EQ(Send("POST", "/kiosk/", "x", {{"Content-Type", "text/plain"}}).status, 405);
  const HttpReply head = Send("HEAD", "/kiosk/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

// --- Life of the server -------------------------------------------------------------------------

TEST_F(HttpTest, StopsCleanlyOnSigtermWithConnectionsOpen) {
  ASSERT_EQ(Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), "Before the end"),
                 v1::ROLE_KIOSK)
                .status,
            200);
  auto idle = Client();  // a keep-alive connection with nothing in flight
  ASSERT_NE(idle, nullptr);
  const int status = StopServer(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << server().Stderr();
  EXPECT_THAT(server().Stderr(), HasSubstr("stopped cleanly"));
}

TEST_F(HttpTest, LogsNoBodiesTokensOrText) {
  ASSERT_EQ(Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), "Secret words"),
                 v1::ROLE_KIOSK)
                .status,
            200);
  Call("SubmitFeedback", R"({"feedback":{"text":"Private words","ratin":1}})", v1::ROLE_KIOSK);
  StopServer(SIGTERM);
  EXPECT_THAT(server().Stderr(), Not(HasSubstr("Secret words")));
  EXPECT_THAT(server().Stderr(), Not(HasSubstr("Private words")));
  EXPECT_THAT(server().Stderr(), Not(HasSubstr(server().token(v1::ROLE_KIOSK))));
}

using HttpStartTest = DeferredServerTest;

TEST_F(HttpStartTest, RateLimitsAreTheCoresAndSay429) {
  ASSERT_OK(StartServer(WithHttp({.flags = {"--rate-limit", "kiosk=2"}})));
  auto http = HttpClient::Connect(server().http_address());
  ASSERT_OK(http);
  int last = 0;
  for (int i = 0; i < 3; ++i) {
    auto reply =
        (*http)->Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), "Quick"),
                      server().token(v1::ROLE_KIOSK));
    ASSERT_OK(reply);
    last = reply->status;
    if (i == 2) {
      EXPECT_EQ(ErrorOf(*reply).code, "resource_exhausted");
    }
  }
  EXPECT_EQ(last, 429);
  // The same token's bucket on the gRPC door: empty too.
  v1::SubmitFeedbackResponse response;
  grpc::ClientContext context;
  v1::SubmitFeedbackRequest request;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  KioskSubmission(client::NewSubmissionId(), "Quick"), &request)
                  .ok());
  EXPECT_EQ(stub(v1::ROLE_KIOSK).SubmitFeedback(&context, request, &response).error_code(),
            grpc::RESOURCE_EXHAUSTED);
}

TEST_F(HttpStartTest, ServesTlsWithTheGrpcCertificateFlags) {
  ASSERT_OK(StartServer(WithHttp({.tls = true})));
  auto https = HttpClient::Connect(server().http_address(), TlsFile("ca.pem"), "localhost");
  ASSERT_OK(https);
  auto reply =
      (*https)->Call("SubmitFeedback", KioskSubmission(client::NewSubmissionId(), "Over TLS"),
                     server().token(v1::ROLE_KIOSK));
  ASSERT_OK(reply);
  EXPECT_EQ(reply->status, 200) << reply->body;
  auto page = (*https)->Send("GET", "/kiosk/");
  ASSERT_OK(page);
  EXPECT_EQ(page->status, 200);
  // Plain HTTP on the TLS port gets nothing served.
  auto plain = HttpClient::Connect(server().http_address());
  ASSERT_OK(plain);
  EXPECT_FALSE((*plain)->Send("GET", "/kiosk/").ok());
}

TEST_F(HttpStartTest, RefusesPlaintextOffLoopbackAndSaysWhy) {
  const CommandResult refused = RunCommand({FEEDBACKD_PATH, "--listen", "127.0.0.1:0", "--data-dir",
                                            data_dir(), "--http-listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, AllOf(HasSubstr("--http-listen"), HasSubstr("without TLS"),
                                 HasSubstr("--tls-cert"), HasSubstr("--allow-insecure")));
}

TEST_F(HttpStartTest, ABusyPortIsAClearError) {
  ASSERT_OK(StartServer(WithHttp()));
  const CommandResult refused =
      RunCommand({FEEDBACKD_PATH, "--listen", "127.0.0.1:0", "--data-dir", dir().Sub("other"),
                  "--http-listen", server().http_address()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, AllOf(HasSubstr("cannot listen on"), HasSubstr("--http-listen")));
}

}  // namespace http_e2e_test
}  // namespace
}  // namespace feedback::testing
