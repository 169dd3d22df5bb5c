// A small blocking HTTP/1.1 client for tests of feedbackd's HTTP door: one keep-alive connection,
// plaintext or TLS (verifying the server's certificate against a CA file), Boost.Beast.
#ifndef FEEDBACK_TESTS_SUPPORT_HTTP_CLIENT_H_
#define FEEDBACK_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace feedback::testing {

// One response. Header names in lower case; a header sent twice keeps its last value.
struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;

  // The header's value, or "" if it was not sent.
  std::string Header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? "" : it->second;
  }
};

// Not thread-safe: one request at a time.
class HttpClient {
 public:
  // Connects to `address` ("127.0.0.1:PORT"); with `ca_file`, over TLS, checking that the
  // server's certificate was signed by that CA for the host name `tls_host`.
  static absl::StatusOr<std::unique_ptr<HttpClient>> Connect(const std::string& address,
                                                             const std::string& ca_file = "",
                                                             const std::string& tls_host = "");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request on the connection and reads the response; an error if the connection
  // fails or closes first.
  absl::StatusOr<HttpReply> Send(
      const std::string& method, const std::string& target, const std::string& body = "",
      const std::vector<std::pair<std::string, std::string>>& headers = {});
  // A Connect unary call: POST /feedback.v1.FeedbackService/METHOD with a JSON body and, unless
  // `token` is empty, "Authorization: Bearer TOKEN".
  absl::StatusOr<HttpReply> Call(const std::string& method, const std::string& json,
                                 const std::string& token);
  // Writes `bytes` as they are and reads whatever comes back until the server closes (or 10 s).
  absl::StatusOr<std::string> SendRaw(const std::string& bytes);

  class Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_HTTP_CLIENT_H_
