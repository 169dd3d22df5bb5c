#include "service/domain/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "service/domain/sha256.h"

namespace feedback {
namespace {

constexpr size_t kFilterDigestSize = 8;

// Identifies the filters (not the page size or token), so a token cannot be replayed against a
// different query and silently skip items.
std::string FilterDigest(const v1::ListFeedbackRequest& request) {
  const std::string filters =
      absl::StrCat(request.financial_year(), "/", request.quarter(), "/", request.source(), "/",
                   request.kind(), "/", request.tag());
  return Sha256(filters).substr(0, kFilterDigestSize);
}

}  // namespace

std::string EncodePageToken(const v1::ListFeedbackRequest& request, std::string_view cursor) {
  return absl::WebSafeBase64Escape(absl::StrCat(FilterDigest(request), std::string(cursor)));
}

absl::StatusOr<std::string> DecodePageToken(const v1::ListFeedbackRequest& request) {
  if (request.page_token().empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(request.page_token(), &raw) || raw.size() <= kFilterDigestSize) {
    return absl::InvalidArgumentError("page_token: not a token this server issued");
  }
  if (raw.substr(0, kFilterDigestSize) != FilterDigest(request)) {
    return absl::InvalidArgumentError(
        "page_token: issued for different filters; repeat the filters of the first page");
  }
  return raw.substr(kFilterDigestSize);
}

}  // namespace feedback
