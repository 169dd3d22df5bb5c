#include "service/domain/server_fields.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "feedback/v1/options.pb.h"

namespace feedback {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The path of the first server-set field that is set in `message` ("id", "answers[2].id"),
// relative to it; nullopt if there is none. Paths are built only for the field found, since
// every request passes through here.
std::optional<std::string> FirstServerSetField(const Message& message) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  // Only the fields that are set (present, non-empty, or not their proto3 default).
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (IsServerSet(*field)) return field->name();
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (!field->is_repeated()) {
      if (std::optional<std::string> inner =
              FirstServerSetField(reflection->GetMessage(message, field))) {
        return absl::StrCat(field->name(), ".", *inner);
      }
      continue;
    }
    const int size = reflection->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      if (std::optional<std::string> inner =
              FirstServerSetField(reflection->GetRepeatedMessage(message, field, i))) {
        return absl::StrCat(field->name(), "[", i, "].", *inner);
      }
    }
  }
  return std::nullopt;
}

absl::Status Check(const Message& message, std::string_view std_path) {
  const std::optional<std::string> field = FirstServerSetField(message);
  if (!field.has_value()) return absl::OkStatus();
  const absl::string_view path(std_path.data(), std_path.size());
  return absl::InvalidArgumentError(absl::StrCat(path, path.empty() ? "" : ".", *field,
                                                 ": is assigned by the server; leave it unset"));
}

}  // namespace

bool IsServerSet(const FieldDescriptor& field) {
  return field.options().GetExtension(v1::server_set);
}

absl::Status CheckNoServerSetFields(const Message& request) { return Check(request, ""); }

absl::Status CheckNoServerSetFields(const Message& message, std::string_view path) {
  return Check(message, path);
}

}  // namespace feedback
