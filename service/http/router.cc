#include "service/http/router.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/json_mapping.h"
#include "service/core/log.h"
#include "service/core/request_parse.h"
#include "service/http/connect_methods.h"
#include "service/http/connect_status.h"

namespace feedback::http {
namespace {

enum class Encoding { kJson, kProto };

HttpResponse Plain(int status, std::string_view text) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Cache-Control", "no-cache"}};
  response.body = absl::StrCat(std::string(text), "\n");
  return response;
}

// A Connect error: the status Connect gives its code (or `http_status` for a refusal of the
// HTTP exchange itself: 405, 413, 415) and the JSON body. RPC answers are never cached.
HttpResponse ConnectError(const absl::Status& status, int http_status = 0) {
  HttpResponse response;
  response.status = http_status != 0 ? http_status : HttpStatusOf(status.code());
  response.headers = {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
  response.body = ConnectErrorJson(status);
  return response;
}

HttpResponse ConnectAnswer(const google::protobuf::Message& message, Encoding encoding) {
  HttpResponse response;
  response.headers = {
      {"Content-Type", encoding == Encoding::kJson ? "application/json" : "application/proto"},
      {"Cache-Control", "no-store"}};
  if (encoding == Encoding::kProto) {
    if (message.SerializeToString(&response.body)) return response;
  } else {
    google::protobuf::util::JsonPrintOptions options;  // lowerCamelCase names, defaults omitted
    if (MessageToJson(message, response.body, options).ok()) {
      return response;
    }
  }
  return ConnectError(absl::InternalError(
      absl::StrCat("response: a ", message.GetDescriptor()->full_name(), " could not be encoded")));
}

// Respond with a response made now (a refusal, a file): still handed to the connection's thread.
void Answer(Respond& respond, HttpResponse response) {
  std::move(respond)([response = std::move(response)]() mutable { return std::move(response); });
}

// The media type of a Content-Type header, lower case, without parameters.
std::string MediaType(std::string_view content_type) {
  const std::string type(content_type.substr(0, content_type.find(';')));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

// Why `name` is not served over HTTP: a streaming RPC of the service, or no RPC at all.
HttpResponse NotServed(std::string_view name) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "feedback.v1.FeedbackService");
  const google::protobuf::MethodDescriptor* method =
      service == nullptr ? nullptr : service->FindMethodByName(std::string(name));
  if (method != nullptr && (method->server_streaming() || method->client_streaming())) {
    return ConnectError(absl::UnimplementedError(absl::StrCat(
        std::string(name),
        " is a streaming RPC: the HTTP door serves only unary calls (Connect unary JSON); "
        "call it over gRPC")));
  }
  if (method != nullptr) {
    return ConnectError(absl::UnimplementedError(
        absl::StrCat(std::string(name), " is not served over HTTP; call it over gRPC")));
  }
  return ConnectError(absl::UnimplementedError(absl::StrCat("no method ", QuoteClientValue(name),
                                                            " in feedback.v1.FeedbackService")),
                      404);
}

// `respond`, counting the answer in `metrics` when it is made: the method (a name of the
// service, never what the client sent), the HTTP status and the time since now.
Respond Recorded(Metrics* metrics, std::string_view method, Respond respond) {
  return [metrics, method, began = absl::Now(),
          respond = std::move(respond)](MakeResponse make) mutable {
    std::move(respond)([metrics, method, began, make = std::move(make)]() mutable {
      HttpResponse response = std::move(make)();
      const std::string code = absl::StrCat(response.status);
      const absl::Duration took = absl::Now() - began;
      const std::string request_id = NewRequestId();
      response.headers.emplace_back("X-Request-Id", request_id);
      if (metrics != nullptr) metrics->RecordCall("http", method, code, took);
      LogCall("http", method, code, took, request_id);
      return response;
    });
  };
}

}  // namespace

Router::Router(FeedbackCore* core, const StaticFiles* files, Metrics* metrics)
    : core_(core), files_(files), metrics_(metrics) {}

const std::vector<std::pair<std::string, std::string>>& Router::SecurityHeaders() {
  static const auto* const headers = new std::vector<std::pair<std::string, std::string>>{
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
  };
  return *headers;
}

void Router::Handle(HttpRequest request, Respond respond) {
  Respond secured = [respond = std::move(respond)](MakeResponse make) mutable {
    std::move(respond)([make = std::move(make)]() mutable {
      HttpResponse response = std::move(make)();
      const auto& security = SecurityHeaders();
      response.headers.insert(response.headers.end(), security.begin(), security.end());
      return response;
    });
  };
  const std::string_view target = request.target;
  const std::string path(target.substr(0, target.find('?')));
  if (path.starts_with(kRpcPrefix)) {
    HandleRpc(std::string_view(path).substr(kRpcPrefix.size()), std::move(request),
              std::move(secured));
    return;
  }
  if (path == "/kiosk") {
    if (request.method != "GET" && request.method != "HEAD") {
      HttpResponse refused = Plain(405, "Method not allowed");
      refused.headers.emplace_back("Allow", "GET, HEAD");
      return Answer(secured, std::move(refused));
    }
    HttpResponse moved = Plain(302, "Found: /kiosk/");
    moved.headers.emplace_back("Location", "/kiosk/");
    moved.omit_body = request.method == "HEAD";
    return Answer(secured, std::move(moved));
  }
  if (path.starts_with("/kiosk/")) {
    HandleKiosk(std::string_view(path).substr(7), request, std::move(secured));
    return;
  }
  Answer(secured, Plain(404, "Not found"));
}

void Router::HandleKiosk(std::string_view path, const HttpRequest& request, Respond respond) {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse refused = Plain(405, "Method not allowed");
    refused.headers.emplace_back("Allow", "GET, HEAD");
    return Answer(respond, std::move(refused));
  }
  std::string name(path);
  if (name.empty() || name.ends_with('/')) name += "index.html";
  const StaticFile* file = files_->Find(name);
  if (file == nullptr) return Answer(respond, Plain(404, "Not found"));
  HttpResponse response;
  // Revalidated on every use (cheaply, by ETag): a kiosk never runs yesterday's page after an
  // upgrade, and its service worker decides what works offline.
  response.headers = {{"Content-Type", std::string(file->content_type)},
                      {"Cache-Control", "no-cache"},
                      {"ETag", file->etag}};
  if (request.if_none_match == file->etag) {
    response.status = 304;
  } else {
    response.body = std::string(file->contents);
    response.omit_body = request.method == "HEAD";
  }
  Answer(respond, std::move(response));
}

void Router::HandleRpc(std::string_view method_name, HttpRequest request, Respond respond) {
  const auto& methods = ConnectMethods();
  auto found = methods.find(std::string(method_name));
  if (found == methods.end()) return Answer(respond, NotServed(method_name));
  const ConnectMethod& method = found->second;
  respond = Recorded(metrics_, found->first, std::move(respond));
  if (request.method != "POST") {
    HttpResponse refused = ConnectError(
        absl::UnimplementedError(absl::StrCat(
            QuoteClientValue(request.method),
            ": a call is a POST with a JSON body (Connect unary), e.g. curl -X POST -H "
            "'Content-Type: application/json' --data '{...}'")),
        405);
    refused.headers.emplace_back("Allow", "POST");
    return Answer(respond, std::move(refused));
  }
  const std::string media = MediaType(request.content_type);
  if (media != "application/json" && media != "application/proto") {
    return Answer(respond, ConnectError(absl::InvalidArgumentError(
                                            absl::StrCat("Content-Type: ", QuoteClientValue(media),
                                                         " is not served; send application/json")),
                                        415));
  }
  const Encoding encoding = media == "application/json" ? Encoding::kJson : Encoding::kProto;
  if (!request.connect_protocol_version.empty() && request.connect_protocol_version != "1") {
    return Answer(
        respond,
        ConnectError(absl::InvalidArgumentError(absl::StrCat(
            "Connect-Protocol-Version: ", QuoteClientValue(request.connect_protocol_version),
            " is not served; send 1"))));
  }
  // As the gRPC door: the caller is admitted before a byte of the body is parsed.
  const std::vector<std::string_view> authorization(request.authorization.begin(),
                                                    request.authorization.end());
  absl::StatusOr<Credentials> credentials = ReadCredentials(authorization);
  absl::StatusOr<Principal> caller = credentials.ok()
                                         ? core_->Admit(*credentials, method_name, absl::Now())
                                         : absl::StatusOr<Principal>(credentials.status());
  if (!caller.ok()) return Answer(respond, ConnectError(caller.status()));
  std::unique_ptr<google::protobuf::Message> parsed = method.new_request();
  const absl::Status read = encoding == Encoding::kJson ? ParseJsonRequest(request.body, *parsed)
                                                        : ParseRequest(request.body, *parsed);
  if (!read.ok()) return Answer(respond, ConnectError(read));
  {
    absl::MutexLock lock(&mutex_);
    ++core_calls_;
  }
  method.call(*core_, *caller, *parsed,
              [this, encoding, respond = std::move(respond)](
                  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> result) mutable {
                std::move(respond)([encoding, result = std::move(result)]() mutable {
                  return result.ok() ? ConnectAnswer(**result, encoding)
                                     : ConnectError(result.status());
                });
                absl::MutexLock lock(&mutex_);
                --core_calls_;
              });
}

void Router::WaitForCoreReplies() {
  absl::MutexLock lock(&mutex_);
  mutex_.Await(absl::Condition(
      +[](int* calls) { return *calls == 0; }, &core_calls_));
}

}  // namespace feedback::http
