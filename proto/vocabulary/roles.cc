#include "proto/vocabulary/roles.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "proto/vocabulary/error_text.h"

namespace feedback {

// Role names come from the enum's value names ("ROLE_QA_MANAGER" is "qa_manager"), so a role
// added to the proto is spelled, parsed and listed without touching this file.
std::string RoleName(v1::Role role) {
  const google::protobuf::EnumValueDescriptor* value =
      google::protobuf::GetEnumDescriptor<v1::Role>()->FindValueByNumber(role);
  if (value == nullptr || role == v1::ROLE_UNSPECIFIED) return "unspecified";
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, "ROLE_");
  return absl::AsciiStrToLower(std::string(name));
}

absl::StatusOr<v1::Role> ParseRole(std::string_view name, std::string_view field) {
  std::vector<std::string> spellings;
  for (v1::Role role : AllRoles()) {
    std::string spelled = RoleName(role);
    std::string dashed = spelled;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    if (name == spelled || name == dashed) return role;
    spellings.push_back(std::move(spelled));
  }
  const std::string last = spellings.back();
  spellings.pop_back();
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": unknown role ", QuoteClientValue(name), " (",
                   absl::StrJoin(spellings, ", "), " or ", last, ")"));
}

const std::vector<v1::Role>& AllRoles() {
  static const auto* roles = [] {
    auto* all = new std::vector<v1::Role>;
    const google::protobuf::EnumDescriptor* type = google::protobuf::GetEnumDescriptor<v1::Role>();
    for (int i = 0; i < type->value_count(); ++i) {
      if (type->value(i)->number() != v1::ROLE_UNSPECIFIED) {
        all->push_back(static_cast<v1::Role>(type->value(i)->number()));
      }
    }
    return all;
  }();
  return *roles;
}

}  // namespace feedback
