#include "service/domain/page_token.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace page_token_test {

using ::testing::HasSubstr;

v1::ListFeedbackRequest Request() {
  v1::ListFeedbackRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  request.set_source(v1::SOURCE_CHILD);
  request.set_kind(v1::KIND_COMPLAINT);
  request.set_tag("complaint");
  request.set_page_size(20);
  return request;
}

void ExpectRejected(const v1::ListFeedbackRequest& request) {
  absl::StatusOr<std::string> cursor = DecodePageToken(request);
  EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument) << cursor.status();
  EXPECT_THAT(cursor.status().message(), HasSubstr("page_token"));
}

TEST(PageToken, RoundTrips) {
  for (const std::string& cursor :
       {std::string("2018-10-01T12:00:00Z/abc"), std::string("x"),
        std::string("\0\x01\xff binary \x80", 13), std::string(300, 'c')}) {
    v1::ListFeedbackRequest request = Request();
    request.set_page_token(EncodePageToken(request, cursor));
    absl::StatusOr<std::string> decoded = DecodePageToken(request);
    ASSERT_OK(decoded);
    EXPECT_EQ(*decoded, cursor);
  }
}

TEST(PageToken, RoundTripsWithNoFilters) {
  v1::ListFeedbackRequest request;
  request.set_page_token(EncodePageToken(request, "cursor-1"));
  absl::StatusOr<std::string> decoded = DecodePageToken(request);
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, "cursor-1");
}

TEST(PageToken, IsWebSafe) {
  const std::string token = EncodePageToken(Request(), std::string("\xff\xfe\xfd\xfc\xfb", 5));
  for (char c : token) {
    EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                c == '=')
        << token;
  }
}

TEST(PageToken, EmptyTokenGivesEmptyCursor) {
  v1::ListFeedbackRequest request = Request();
  request.clear_page_token();
  absl::StatusOr<std::string> decoded = DecodePageToken(request);
  ASSERT_OK(decoded);
  EXPECT_TRUE(decoded->empty());
}

TEST(PageToken, PageSizeMayChangeBetweenPages) {
  v1::ListFeedbackRequest request = Request();
  const std::string token = EncodePageToken(request, "cursor-1");
  request.set_page_size(500);
  request.set_page_token(token);
  absl::StatusOr<std::string> decoded = DecodePageToken(request);
  ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, "cursor-1");
}

TEST(PageToken, RejectsATokenIssuedForOtherFilters) {
  const std::string token = EncodePageToken(Request(), "cursor-1");
  const std::vector<std::pair<std::string, std::function<void(v1::ListFeedbackRequest&)>>> changes =
      {
          {"financial_year", [](v1::ListFeedbackRequest& r) { r.set_financial_year(2019); }},
          {"financial_year unset", [](v1::ListFeedbackRequest& r) { r.clear_financial_year(); }},
          {"quarter", [](v1::ListFeedbackRequest& r) { r.set_quarter(4); }},
          {"quarter unset", [](v1::ListFeedbackRequest& r) { r.clear_quarter(); }},
          {"source", [](v1::ListFeedbackRequest& r) { r.set_source(v1::SOURCE_FAMILY); }},
          {"source unset", [](v1::ListFeedbackRequest& r) { r.clear_source(); }},
          {"kind", [](v1::ListFeedbackRequest& r) { r.set_kind(v1::KIND_COMMENT); }},
          {"kind unset", [](v1::ListFeedbackRequest& r) { r.clear_kind(); }},
          {"tag", [](v1::ListFeedbackRequest& r) { r.set_tag("compliment"); }},
          {"tag unset", [](v1::ListFeedbackRequest& r) { r.clear_tag(); }},
      };
  for (const auto& [name, change] : changes) {
    SCOPED_TRACE(name);
    v1::ListFeedbackRequest request = Request();
    change(request);
    request.set_page_token(token);
    ExpectRejected(request);
  }
}

TEST(PageToken, RejectsGarbage) {
  for (const std::string& garbage :
       {std::string("!!!!"), std::string("not a token"), std::string("a"), std::string("\xff\xfe"),
        std::string("YWJj"), std::string("AAAAAAAAAAA"), std::string("AAAAAAAAAAAAAAAAAAAAAAAA")}) {
    SCOPED_TRACE(garbage);
    v1::ListFeedbackRequest request = Request();
    request.set_page_token(garbage);
    ExpectRejected(request);
  }
}

TEST(PageToken, RejectsATruncatedToken) {
  v1::ListFeedbackRequest request = Request();
  const std::string token = EncodePageToken(request, "cursor-1");
  // Keep 8 characters: 6 bytes, shorter than the filter digest.
  request.set_page_token(token.substr(0, 8));
  ExpectRejected(request);
  request.set_page_token(token.substr(0, 1));
  ExpectRejected(request);
}

TEST(PageToken, RejectsATamperedDigest) {
  v1::ListFeedbackRequest request = Request();
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(EncodePageToken(request, "cursor-1"), &raw));
  raw[0] = static_cast<char>(raw[0] ^ 0x01);
  request.set_page_token(absl::WebSafeBase64Escape(raw));
  ExpectRejected(request);
}

}  // namespace page_token_test
}  // namespace
}  // namespace feedback
