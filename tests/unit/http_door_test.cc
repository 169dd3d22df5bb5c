// The HTTP door's pieces that need no socket: the method table against the proto, Connect's
// status mapping, the JSON error body, reading JSON requests, and the kiosk's files.
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "service/core/request_parse.h"
#include "service/http/connect_methods.h"
#include "service/http/connect_status.h"
#include "service/http/router.h"
#include "service/http/static_files.h"

namespace feedback::http {
namespace {
namespace http_door_test {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Parse(std::string_view json, google::protobuf::Message& request) {
  return std::string(ParseJsonRequest(json, request).message());
}

TEST(ConnectMethods, ServeEveryUnaryRpcOfTheService) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "feedback.v1.FeedbackService");
  ASSERT_NE(service, nullptr);
  int unary = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    auto found = ConnectMethods().find(method->name());
    if (method->client_streaming() || method->server_streaming()) {
      EXPECT_EQ(found, ConnectMethods().end()) << method->name() << " streams";
      continue;
    }
    ++unary;
    ASSERT_NE(found, ConnectMethods().end())
        << method->name() << ": add FEEDBACK_CONNECT(" << method->name()
        << ") to service/http/connect_methods.cc";
    EXPECT_EQ(found->second.request_type, method->input_type()) << method->name();
    EXPECT_EQ(found->second.response_type, method->output_type()) << method->name();
    EXPECT_EQ(found->second.new_request()->GetDescriptor(), method->input_type());
  }
  EXPECT_EQ(ConnectMethods().size(), static_cast<size_t>(unary));
}

TEST(ConnectStatus, MapsCodesAsTheContractAndConnectSay) {
  struct Case {
    absl::StatusCode code;
    std::string name;
    int http;
  };
  for (const Case& c : std::vector<Case>{
           {absl::StatusCode::kInvalidArgument, "invalid_argument", 400},
           {absl::StatusCode::kUnauthenticated, "unauthenticated", 401},
           {absl::StatusCode::kPermissionDenied, "permission_denied", 403},
           {absl::StatusCode::kNotFound, "not_found", 404},
           {absl::StatusCode::kAlreadyExists, "already_exists", 409},
           {absl::StatusCode::kFailedPrecondition, "failed_precondition", 400},
           {absl::StatusCode::kResourceExhausted, "resource_exhausted", 429},
           {absl::StatusCode::kUnavailable, "unavailable", 503},
           {absl::StatusCode::kCancelled, "canceled", 499},
           {absl::StatusCode::kUnknown, "unknown", 500},
           {absl::StatusCode::kDeadlineExceeded, "deadline_exceeded", 504},
           {absl::StatusCode::kAborted, "aborted", 409},
           {absl::StatusCode::kOutOfRange, "out_of_range", 400},
           {absl::StatusCode::kUnimplemented, "unimplemented", 501},
           {absl::StatusCode::kInternal, "internal", 500},
           {absl::StatusCode::kDataLoss, "data_loss", 500},
       }) {
    EXPECT_EQ(ConnectCodeName(c.code), c.name);
    EXPECT_EQ(HttpStatusOf(c.code), c.http) << c.name;
  }
}

TEST(ConnectStatus, TheErrorBodyIsJsonWhateverTheMessageHolds) {
  EXPECT_EQ(ConnectErrorJson(absl::InvalidArgumentError("feedback.rating: \"9\" is\nout")),
            R"({"code":"invalid_argument","message":"feedback.rating: \"9\" is\u000aout"})");
  EXPECT_EQ(JsonString("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(JsonString("bad \xff"), "\"bad \\u00ff\"");
  const std::string long_message(5000, 'x');
  EXPECT_LT(ConnectErrorJson(absl::InternalError(long_message)).size(), 1100u);
}

TEST(ParseJsonRequest, ReadsTheJsonMappingAndIgnoresNothing) {
  v1::SubmitFeedbackRequest request;
  ASSERT_TRUE(
      ParseJsonRequest(R"({"feedback":{"submissionId":"u-1","source":"SOURCE_CHILD","rating":4,)"
                       R"("consentToQuote":true,"occurredAt":"2026-12-02T10:00:00Z"}})",
                       request)
          .ok());
  EXPECT_EQ(request.feedback().submission_id(), "u-1");
  EXPECT_EQ(request.feedback().source(), v1::SOURCE_CHILD);
  EXPECT_EQ(request.feedback().occurred_at().seconds(), 1796205600);

  EXPECT_EQ(
      Parse(R"({"feedbak":{}})", request),
      R"(request: unknown field "feedbak" (not a field of feedback.v1.SubmitFeedbackRequest))");
  EXPECT_EQ(Parse(R"({"feedback":{"rating":"four"}})", request),
            "feedback.rating: is not a whole number in range");
  EXPECT_EQ(Parse(R"({"feedback":{"consentToQuote":1}})", request),
            "feedback.consent_to_quote: is not true or false");
  EXPECT_THAT(Parse(R"({"feedback":{"kind":"KIND_NICE"}})", request),
              StartsWith("feedback.kind: is not a value of feedback.v1.Kind (e.g. \"KIND_"));
  EXPECT_THAT(Parse(R"({"feedback":{"receivedAt":"2026-12-02T10:00:00Z"}})", request),
              StartsWith("feedback.received_at: is assigned by the server"));
  EXPECT_THAT(Parse("[1]", request), StartsWith("request: is not valid JSON"));
  EXPECT_EQ(Parse("{\"feedback\":{\"text\":\"\xc0\"}}", request),
            "request: is not valid UTF-8 (send JSON encoded as UTF-8)");
}

TEST(ParseJsonRequest, NeverEchoesTheClientsControlCharacters) {
  v1::SubmitFeedbackRequest request;
  const std::string unknown = Parse(R"({"feedback":{"x\u001b[31m":1}})", request);
  EXPECT_THAT(unknown, HasSubstr(R"("x\x1b[31m")"));
  EXPECT_EQ(unknown.find('\x1b'), std::string::npos);
  const std::string syntax = Parse("{\"a\":\x01\x1b[2J}", request);
  EXPECT_THAT(syntax, StartsWith("request: is not valid JSON"));
  EXPECT_EQ(syntax.find('\x1b'), std::string::npos);
  EXPECT_EQ(syntax.find('\n'), std::string::npos);
}

TEST(StaticFiles, FindsOnlyExactNames) {
  const EmbeddedFile files[] = {{"index.html", "<p>hi</p>"}, {"i18n/en.json", "{}"}};
  const StaticFiles served(files, 2);
  ASSERT_NE(served.Find("index.html"), nullptr);
  EXPECT_EQ(served.Find("index.html")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(served.Find("i18n/en.json")->content_type, "application/json");
  for (const char* path : {"/index.html", "./index.html", "i18n/../index.html", "INDEX.HTML",
                           "i18n//en.json", "%69ndex.html", ""}) {
    EXPECT_EQ(served.Find(path), nullptr) << path;
  }
  EXPECT_NE(served.Find("index.html")->etag, served.Find("i18n/en.json")->etag);
}

TEST(StaticFiles, ContentTypesByExtension) {
  EXPECT_EQ(ContentTypeFor("sw.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/b/style.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("manifest.webmanifest"), "application/manifest+json");
  EXPECT_EQ(ContentTypeFor("face-1.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.d/file"), "application/octet-stream");
}

TEST(StaticFiles, TheKioskIsEmbeddedIntoTheServer) {
  const StaticFile* index = StaticFiles::Embedded().Find("index.html");
  ASSERT_NE(index, nullptr) << "client/web/static/index.html is not embedded";
  EXPECT_FALSE(index->contents.empty());
}

// The Router's answers for files, with no core behind it (no RPC is called here).
HttpResponse Get(Router& router, const std::string& target) {
  HttpResponse answer;
  HttpRequest request;
  request.method = "GET";
  request.target = target;
  router.Handle(std::move(request), [&answer](MakeResponse make) { answer = std::move(make)(); });
  return answer;
}

std::string HeaderOf(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(Router, ServesTheKioskFolderAndNothingElse) {
  const EmbeddedFile files[] = {{"index.html", "<p>hi</p>"}, {"sw.js", "self;"}};
  const StaticFiles served(files, 2);
  Router router(nullptr, &served);
  EXPECT_EQ(Get(router, "/kiosk").status, 302);
  EXPECT_EQ(HeaderOf(Get(router, "/kiosk"), "Location"), "/kiosk/");
  const HttpResponse index = Get(router, "/kiosk/?from=home");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<p>hi</p>");
  EXPECT_EQ(HeaderOf(index, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(Get(router, "/kiosk/sw.js"), "Cache-Control"), "no-cache");
  EXPECT_THAT(HeaderOf(index, "Content-Security-Policy"), StartsWith("default-src 'self'"));
  for (const char* target : {"/kiosk/../sw.js", "/kiosk/x", "/", "/kiosksw.js", "/sw.js"}) {
    const HttpResponse missing = Get(router, target);
    EXPECT_EQ(missing.status, 404) << target;
    EXPECT_EQ(HeaderOf(missing, "X-Content-Type-Options"), "nosniff") << target;
  }
}

}  // namespace http_door_test
}  // namespace
}  // namespace feedback::http
