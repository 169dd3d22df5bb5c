// Fields the server sets, refused in requests. A field is the server's when feedback.proto marks
// it `[(feedback.v1.server_set) = true]` (proto/feedback/v1/options.proto); this checks any
// message by reflection, so a field marked later is refused without any other change.
#ifndef FEEDBACK_SERVICE_DOMAIN_SERVER_FIELDS_H_
#define FEEDBACK_SERVICE_DOMAIN_SERVER_FIELDS_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace feedback {

// True if `field` is marked server_set.
bool IsServerSet(const google::protobuf::FieldDescriptor& field);

// The numbers of `type`'s own fields marked server_set (not those of the messages inside it),
// ascending: what a reader of the wire format looks for to know that a request may set one.
// Worked out once per type; the reference stays valid. Thread-safe.
const std::vector<int>& ServerSetFieldNumbers(const google::protobuf::Descriptor& type);

// OK unless `request` sets a field marked server_set, at any depth: in the message itself, in any
// message field that is set, in every element of repeated message fields and in map values.
// "Sets" is protobuf's: a present message or optional field, a non-empty repeated field, a
// proto3 scalar other than its default. Returns INVALID_ARGUMENT naming the first such field by
// its path, e.g. "feedback.erased_at: is assigned by the server; leave it unset" (repeated
// elements as "items[2].id"). Every RPC calls it on its request before anything else reads it.
// Thread-safe.
//
// Example:
//   v1::SubmitFeedbackRequest request;
//   request.mutable_feedback()->mutable_erased_at()->set_seconds(1);
//   CheckNoServerSetFields(request);  // INVALID_ARGUMENT "feedback.erased_at: ..."
[[nodiscard]] absl::Status CheckNoServerSetFields(const google::protobuf::Message& request);

// The same, with every path under `path` (e.g. "feedback" for a v1::Feedback on its own).
[[nodiscard]] absl::Status CheckNoServerSetFields(const google::protobuf::Message& message,
                                                  std::string_view path);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_SERVER_FIELDS_H_
