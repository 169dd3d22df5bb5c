// Authenticate before you parse (issue 9, item 5), through the real server and raw bytes: for
// every RPC the proto declares, a caller without a token is refused before its request is
// decoded, a malformed request from an allowed caller is INVALID_ARGUMENT (naming a string field
// that is not UTF-8), and a flood of such calls does not fill the server's log.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "service/domain/access.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace admission_e2e_test {

using ::testing::HasSubstr;

// Starts with a tag of wire type 7, which no protobuf message accepts.
const std::string kGarbage = "\x0f this is not a protobuf message \xff\xfe";

const google::protobuf::ServiceDescriptor& Service() {
  return *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      "feedback.v1.FeedbackService");
}

std::string Path(const google::protobuf::MethodDescriptor& method) {
  return "/feedback.v1.FeedbackService/" + method.name();
}

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

// `field` as a length-delimited field holding `payload`, in the wire format.
std::string LengthDelimited(const google::protobuf::FieldDescriptor& field,
                            const std::string& payload) {
  std::string out;
  AppendVarint((static_cast<uint64_t>(field.number()) << 3) | 2, out);
  AppendVarint(payload.size(), out);
  return out + payload;
}

// The first string field of `type`, depth first (into message fields), as the fields leading
// to it; empty if `type` has none.
std::vector<const google::protobuf::FieldDescriptor*> FirstStringField(
    const google::protobuf::Descriptor& type, int depth = 0) {
  for (int i = 0; i < type.field_count() && depth < 4; ++i) {
    const google::protobuf::FieldDescriptor* field = type.field(i);
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) return {field};
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      std::vector<const google::protobuf::FieldDescriptor*> inner =
          FirstStringField(*field->message_type(), depth + 1);
      if (!inner.empty()) {
        inner.insert(inner.begin(), field);
        return inner;
      }
    }
  }
  return {};
}

// A request of `method` whose first string field (see FirstStringField) is not UTF-8, and in
// `name` that field's path ("feedback.text"); nullopt if the request has no string field.
std::optional<std::string> NotUtf8Request(const google::protobuf::MethodDescriptor& method,
                                          std::string* name = nullptr) {
  const std::vector<const google::protobuf::FieldDescriptor*> path =
      FirstStringField(*method.input_type());
  if (path.empty()) return std::nullopt;
  std::string bytes = "\xff\xfe not UTF-8";
  std::string dotted;
  for (auto field = path.rbegin(); field != path.rend(); ++field) {
    bytes = LengthDelimited(**field, bytes);
    dotted = dotted.empty() ? (*field)->name() : (*field)->name() + "." + dotted;
  }
  if (name != nullptr) *name = dotted;
  return bytes;
}

// The `call`th malformed request of a flood over every method in turn: each method gets garbage
// and a request with text that is not UTF-8 (when it has text) in alternate rounds.
std::string Malformed(const google::protobuf::MethodDescriptor& method, int call) {
  if ((call / method.service()->method_count()) % 2 == 0) return kGarbage;
  return NotUtf8Request(method).value_or(kGarbage);
}

class AdmissionTest : public SharedServerSuite {
 protected:
  // Sends `bytes` as the request of `method`, with `authorization` metadata (none if empty).
  static grpc::Status Send(const google::protobuf::MethodDescriptor& method,
                           const std::string& bytes, const std::string& authorization) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    absl::Notification done;
    generic_stub().UnaryCall(&context, Path(method), grpc::StubOptions(), &request, &response,
                             [&](grpc::Status s) {
                               status = std::move(s);
                               done.Notify();
                             });
    done.WaitForNotification();
    return status;
  }

  // The token of a role the access table lets call `method`.
  static std::string AllowedBearer(const google::protobuf::MethodDescriptor& method) {
    const std::optional<std::vector<v1::Role>> roles = RolesAllowed(method.name());
    EXPECT_TRUE(roles.has_value() && !roles->empty()) << method.name();
    return "Bearer " +
           server().token(roles.has_value() && !roles->empty() ? roles->front() : v1::ROLE_ADMIN);
  }
};

TEST_F(AdmissionTest, TheGarbageIsNotAMessageOfAnyRequestType) {
  for (int i = 0; i < Service().method_count(); ++i) {
    const google::protobuf::Descriptor* type = Service().method(i)->input_type();
    std::unique_ptr<google::protobuf::Message> message(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
    EXPECT_FALSE(message->ParseFromString(kGarbage)) << type->full_name();
  }
}

// A method that needs no token (EnrolKiosk: the code in its request is the credential) admits
// anyone, so its garbage is refused as garbage.
TEST_F(AdmissionTest, EveryRpcRefusesGarbageWithoutATokenAsUnauthenticated) {
  for (int i = 0; i < Service().method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *Service().method(i);
    for (const std::string& authorization : {std::string(), std::string("Bearer nonsense")}) {
      const grpc::Status status = Send(method, kGarbage, authorization);
      EXPECT_EQ(status.error_code(), NeedsNoToken(method.name())
                                         ? grpc::StatusCode::INVALID_ARGUMENT
                                         : grpc::StatusCode::UNAUTHENTICATED)
          << method.name() << " with \"" << authorization << "\": " << status.error_message();
    }
  }
}

TEST_F(AdmissionTest, EveryRpcAnswersGarbageFromAnAllowedCallerWithInvalidArgument) {
  for (int i = 0; i < Service().method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *Service().method(i);
    const grpc::Status status = Send(method, kGarbage, AllowedBearer(method));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << method.name() << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(method.input_type()->full_name()))
        << method.name();
  }
  EXPECT_TRUE(ListAllFeedback(server()).empty());
}

TEST_F(AdmissionTest, EveryRpcNamesTheStringFieldThatIsNotUtf8) {
  int checked = 0;
  for (int i = 0; i < Service().method_count(); ++i) {
    const google::protobuf::MethodDescriptor& method = *Service().method(i);
    std::string name;
    const std::optional<std::string> bytes = NotUtf8Request(method, &name);
    if (!bytes.has_value()) continue;  // nothing to name: the request has no text
    const grpc::Status status = Send(method, *bytes, AllowedBearer(method));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << method.name() << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(name + ": is not valid UTF-8")) << method.name();
    ++checked;
  }
  EXPECT_GE(checked, Service().method_count() / 2);  // most requests carry an id or a text
  EXPECT_TRUE(ListAllFeedback(server()).empty());
}

// Before, each call that failed to decode wrote a protobuf error line (about 226 bytes) to
// stderr: 2,000 calls added 450 kB.
TEST_F(AdmissionTest, AFloodOfUnauthenticatedMalformedCallsLeavesTheLogAlone) {
  const size_t before = server().Stderr().size();
  int refused = 0;
  for (int call = 0; call < 2000; ++call) {
    const google::protobuf::MethodDescriptor& method =
        *Service().method(call % Service().method_count());
    const grpc::Status status = Send(method, Malformed(method, call), "");
    // Tokenless EnrolKiosk admits the call, then refuses what does not parse.
    const grpc::StatusCode expected = NeedsNoToken(method.name())
                                          ? grpc::StatusCode::INVALID_ARGUMENT
                                          : grpc::StatusCode::UNAUTHENTICATED;
    if (status.error_code() == expected) ++refused;
  }
  EXPECT_EQ(refused, 2000);
  EXPECT_LT(server().Stderr().size() - before, 2000u) << server().Stderr().substr(before, 2000);
}

// An allowed caller's malformed requests are refused by feedbackd's own check, which names the
// field; protobuf's parser never sees the invalid UTF-8, so it logs nothing either.
TEST_F(AdmissionTest, AFloodOfMalformedCallsFromAllowedCallersLeavesTheLogAlone) {
  const size_t before = server().Stderr().size();
  int invalid_argument = 0;
  for (int call = 0; call < 1000; ++call) {
    const google::protobuf::MethodDescriptor& method =
        *Service().method(call % Service().method_count());
    const grpc::Status status = Send(method, Malformed(method, call), AllowedBearer(method));
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) ++invalid_argument;
  }
  EXPECT_EQ(invalid_argument, 1000);
  EXPECT_LT(server().Stderr().size() - before, 2000u) << server().Stderr().substr(before, 2000);
}

}  // namespace admission_e2e_test
}  // namespace
}  // namespace feedback::testing
