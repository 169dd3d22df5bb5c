#include "proto/vocabulary/enum_flags.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace feedback::client {
namespace {

// "MEETING_" for Meeting: everything before UNSPECIFIED in the zero value's name.
std::string PrefixOf(const google::protobuf::EnumDescriptor* type) {
  const std::string& zero = type->FindValueByNumber(0)->name();
  return zero.substr(0, zero.size() - std::string_view("UNSPECIFIED").size());
}

// Other names the division uses for a value, as its people write them: the seed report says
// "YOS" and "LAC reviews", and everyone says ICPC and RCPC. Accepted on input, never printed.
struct EnumAlias {
  std::string_view enum_name;
  std::string_view alias;
  std::string_view spelling;
};
constexpr EnumAlias kEnumAliases[] = {
    {"feedback.v1.ServiceArea", "yos", "youth-offending"},
    {"feedback.v1.Meeting", "icpc", "initial-cp-conference"},
    {"feedback.v1.Meeting", "rcpc", "review-cp-conference"},
    {"feedback.v1.Meeting", "lac-review", "cla-review"},
};

// The canonical spelling `text` stands for in `type` (itself when it is no alias).
std::string_view Unalias(const google::protobuf::EnumDescriptor* type, std::string_view text) {
  for (const EnumAlias& alias : kEnumAliases) {
    if (alias.enum_name == type->full_name() && alias.alias == text) return alias.spelling;
  }
  return text;
}

}  // namespace

std::string FormatEnumFlag(const google::protobuf::EnumDescriptor* type, int number) {
  if (number == 0) return "";
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  const std::string name = value->name().substr(PrefixOf(type).size());
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", "-"}});
}

std::vector<std::string> EnumFlagSpellings(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> spellings;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() != 0)
      spellings.push_back(FormatEnumFlag(type, type->value(i)->number()));
  }
  return spellings;
}

absl::StatusOr<int> ParseEnumFlag(const google::protobuf::EnumDescriptor* type,
                                  std::string_view flag, std::string_view text) {
  const std::string_view spelling = Unalias(type, text);
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    if (number != 0 && FormatEnumFlag(type, number) == spelling) return number;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--", std::string(flag), ": \"", std::string(text),
                   "\" is not one of: ", absl::StrJoin(EnumFlagSpellings(type), ", ")));
}

}  // namespace feedback::client
