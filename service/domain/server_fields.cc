#include "service/domain/server_fields.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "feedback/v1/options.pb.h"

namespace feedback {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Join(const std::string& path, const std::string& name) {
  return path.empty() ? name : absl::StrCat(path, ".", name);
}

absl::Status Check(const Message& message, const std::string& path) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  // Only the fields that are set (present, non-empty, or not their proto3 default).
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string field_path = Join(path, field->name());
    if (IsServerSet(*field)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field_path, ": is assigned by the server; leave it unset"));
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (!field->is_repeated()) {
      if (absl::Status s = Check(reflection->GetMessage(message, field), field_path); !s.ok()) {
        return s;
      }
      continue;
    }
    const int size = reflection->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      const std::string element_path = absl::StrCat(field_path, "[", i, "]");
      if (absl::Status s = Check(reflection->GetRepeatedMessage(message, field, i), element_path);
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

bool IsServerSet(const FieldDescriptor& field) {
  return field.options().GetExtension(v1::server_set);
}

absl::Status CheckNoServerSetFields(const Message& request) { return Check(request, ""); }

absl::Status CheckNoServerSetFields(const Message& message, std::string_view path) {
  return Check(message, std::string(path));
}

}  // namespace feedback
