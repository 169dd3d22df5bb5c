// Fields the server sets are refused in every request: each field marked server_set, reached
// from any RPC's request message, is refused by name.
#include "service/domain/server_fields.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace server_fields_test {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A way from a request message to a field marked server_set: the fields to step through, the
// marked field last.
using FieldPath = std::vector<const FieldDescriptor*>;

// Every path from `type` to a server_set field, through message fields (singular and repeated),
// never entering a message type already on the way (QuarterSummary holds a QuarterSummary).
void CollectServerSetPaths(const Descriptor& type, FieldPath& way,
                           std::set<const Descriptor*>& entered, std::vector<FieldPath>& out) {
  entered.insert(&type);
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    way.push_back(field);
    if (IsServerSet(*field)) {
      out.push_back(way);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               !entered.contains(field->message_type())) {
      CollectServerSetPaths(*field->message_type(), way, entered, out);
    }
    way.pop_back();
  }
  entered.erase(&type);
}

// Gives `field` of `message` a value that is not its default, so that protobuf counts it as set.
void SetToSomething(Message& message, const FieldDescriptor& field) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  if (field.is_repeated()) {
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->AddString(&message, &field, "x");
        return;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        reflection->AddMessage(&message, &field);
        return;
      case FieldDescriptor::CPPTYPE_ENUM:
        reflection->AddEnumValue(&message, &field, 1);
        return;
      default:
        FAIL() << "no test value for repeated " << field.full_name();
    }
  }
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(&message, &field, "x");
      return;
    case FieldDescriptor::CPPTYPE_INT32:
      reflection->SetInt32(&message, &field, 1);
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      reflection->SetInt64(&message, &field, 1);
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      reflection->SetBool(&message, &field, true);
      return;
    case FieldDescriptor::CPPTYPE_ENUM:
      reflection->SetEnumValue(&message, &field, 1);
      return;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      reflection->MutableMessage(&message, &field);  // present, even if empty
      return;
    default:
      FAIL() << "no test value for " << field.full_name();
  }
}

// Builds the request along `path` (one element in each repeated field on the way) and sets the
// marked field at its end. Returns the path as the error should name it.
std::string SetAlong(Message& request, const FieldPath& path) {
  Message* at = &request;
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const FieldDescriptor* step = path[i];
    if (step->is_repeated()) {
      at = at->GetReflection()->AddMessage(at, step);
      names.push_back(absl::StrCat(step->name(), "[0]"));
    } else {
      at = at->GetReflection()->MutableMessage(at, step);
      names.push_back(step->name());
    }
  }
  SetToSomething(*at, *path.back());
  names.push_back(path.back()->name());
  return absl::StrJoin(names, ".");
}

const google::protobuf::ServiceDescriptor& Service() {
  return *google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      v1::FeedbackService::service_full_name());
}

TEST(ServerSetFields, EveryMarkedFieldInEveryRequestIsRefusedByName) {
  const google::protobuf::ServiceDescriptor& service = Service();
  ASSERT_EQ(service.full_name(), "feedback.v1.FeedbackService");
  ASSERT_GT(service.method_count(), 0);
  std::set<std::string> refused;
  for (int m = 0; m < service.method_count(); ++m) {
    const Descriptor* input = service.method(m)->input_type();
    const Message* prototype = MessageFactory::generated_factory()->GetPrototype(input);
    ASSERT_NE(prototype, nullptr) << input->full_name();

    // The request as a well-behaved client sends it passes.
    std::unique_ptr<Message> empty(prototype->New());
    EXPECT_OK(CheckNoServerSetFields(*empty));

    FieldPath way;
    std::set<const Descriptor*> entered;
    std::vector<FieldPath> paths;
    CollectServerSetPaths(*input, way, entered, paths);
    for (const FieldPath& path : paths) {
      std::unique_ptr<Message> request(prototype->New());
      const std::string name = SetAlong(*request, path);
      const absl::Status status = CheckNoServerSetFields(*request);
      SCOPED_TRACE(absl::StrCat(service.method(m)->name(), ": ", name));
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
      EXPECT_THAT(status.message(), HasSubstr(absl::StrCat(name, ": is assigned by the server")));
      refused.insert(absl::StrCat(service.method(m)->name(), " ", name));
    }
  }
  // The walk reached the fields that matter today (and is not vacuous).
  for (const char* expected :
       {"SubmitFeedback feedback.id", "SubmitFeedback feedback.received_at",
        "SubmitFeedback feedback.tags", "SubmitFeedback feedback.complaint_stage",
        "SubmitFeedback feedback.complaint_outcome", "SubmitFeedback feedback.erased_at"}) {
    EXPECT_TRUE(refused.contains(expected)) << expected;
  }
}

// What the server fills in on the entities it returns is marked, so it can never come from a
// client. (A new server-set field must be marked to be refused: this pins the known ones.)
TEST(ServerSetFields, TheServersFieldsOfStoredEntitiesAreMarked) {
  const std::vector<std::pair<const Descriptor*, std::vector<std::string>>> marked = {
      {v1::Feedback::descriptor(),
       {"id", "received_at", "tags", "complaint_stage", "complaint_outcome", "erased_at",
        "submitter_role"}},
      {v1::AdvocacyReferral::descriptor(), {"id", "updated_at", "created_at"}},
      {v1::ComplaintEvent::descriptor(), {"recorded_at"}},
      {v1::Token::descriptor(), {"id", "created_at", "revoked_at", "created_by"}},
      {v1::Quote::descriptor(), {"redactions", "approved_by", "approved_at"}},
      {v1::Alert::descriptor(),
       {"raised_at", "acknowledged_at", "reason", "device_name", "meeting", "service_area"}},
      {v1::KioskEnrolment::descriptor(), {"code", "expires_at"}},
  };
  for (const auto& [type, names] : marked) {
    for (const std::string& name : names) {
      const FieldDescriptor* field = type->FindFieldByName(name);
      ASSERT_NE(field, nullptr) << type->full_name() << "." << name;
      EXPECT_TRUE(IsServerSet(*field)) << field->full_name();
    }
  }
  // What a client gives is not marked.
  for (const char* name : {"submission_id", "text", "occurred_at", "kind", "source"}) {
    EXPECT_FALSE(IsServerSet(*v1::Feedback::descriptor()->FindFieldByName(name))) << name;
  }
}

TEST(ServerSetFields, ErasedAtInASubmissionIsRefusedNamingIt) {
  v1::SubmitFeedbackRequest request;
  request.mutable_feedback()->set_text("I was listened to");
  request.mutable_feedback()->mutable_erased_at()->set_seconds(1'700'000'000);
  const absl::Status status = CheckNoServerSetFields(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "feedback.erased_at: is assigned by the server; leave it unset");
  // An empty Timestamp is still present: set, and refused.
  request.mutable_feedback()->mutable_erased_at()->Clear();
  EXPECT_EQ(CheckNoServerSetFields(request).code(), absl::StatusCode::kInvalidArgument);
}

// Of two server-set fields set, the one with the lower field number is named, however the
// fields were set; and a type's fields are looked at afresh for each message, so what one
// request set does not carry over to the next.
TEST(ServerSetFields, TheFirstFieldByNumberIsNamedAndNothingCarriesOver) {
  v1::SubmitFeedbackRequest request;
  request.mutable_feedback()->set_submitter_role(v1::ROLE_KIOSK);
  request.mutable_feedback()->mutable_received_at()->set_seconds(1);
  request.mutable_feedback()->set_id("f-1");
  EXPECT_THAT(CheckNoServerSetFields(request).message(),
              HasSubstr("feedback.id: is assigned by the server"));
  request.mutable_feedback()->clear_id();
  EXPECT_THAT(CheckNoServerSetFields(request).message(),
              HasSubstr("feedback.received_at: is assigned by the server"));
  request.mutable_feedback()->clear_received_at();
  EXPECT_THAT(CheckNoServerSetFields(request).message(),
              HasSubstr("feedback.submitter_role: is assigned by the server"));
  request.mutable_feedback()->clear_submitter_role();
  EXPECT_OK(CheckNoServerSetFields(request));
}

TEST(ServerSetFields, RepeatedMessagesAreCheckedElementByElementWithTheirIndex) {
  v1::ListComplaintsResponse response;  // not a request, but it nests repeated entities
  response.add_complaints()->mutable_feedback()->set_text("fine");
  response.add_complaints()->add_history()->mutable_effective_at()->set_seconds(1);
  EXPECT_OK(CheckNoServerSetFields(response));
  response.mutable_complaints(1)->add_history()->mutable_recorded_at()->set_seconds(1);
  const absl::Status status = CheckNoServerSetFields(response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("complaints[1].history[1].recorded_at:"));
}

TEST(ServerSetFields, APathPrefixNamesTheFieldUnderIt) {
  v1::Feedback feedback;
  feedback.add_tags("praise");
  EXPECT_THAT(CheckNoServerSetFields(feedback, "feedback").message(),
              HasSubstr("feedback.tags: is assigned by the server"));
  EXPECT_THAT(CheckNoServerSetFields(feedback).message(),
              HasSubstr("tags: is assigned by the server"));
  v1::Feedback clean;
  clean.set_text("ok");
  clean.mutable_occurred_at()->set_seconds(1);
  EXPECT_OK(CheckNoServerSetFields(clean, "feedback"));
  EXPECT_THAT(std::string(CheckNoServerSetFields(clean).message()), IsEmpty());
}

}  // namespace server_fields_test
}  // namespace
}  // namespace feedback
