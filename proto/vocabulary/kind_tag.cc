#include "proto/vocabulary/kind_tag.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"

namespace feedback {
namespace {

// Every value of v1::Kind and its tag, in declaration order; spelled once, on first use.
const std::vector<std::pair<v1::Kind, std::string>>& KindTags() {
  static const auto* const tags = [] {
    constexpr std::string_view kPrefix = "KIND_";
    auto* made = new std::vector<std::pair<v1::Kind, std::string>>();
    const google::protobuf::EnumDescriptor* kinds = v1::Kind_descriptor();
    for (int i = 0; i < kinds->value_count(); ++i) {
      std::string name = kinds->value(i)->name();
      if (name.starts_with(kPrefix)) name.erase(0, kPrefix.size());
      made->emplace_back(static_cast<v1::Kind>(kinds->value(i)->number()),
                         absl::AsciiStrToLower(name));
    }
    return made;
  }();
  return *tags;
}

}  // namespace

std::string_view KindTag(v1::Kind kind) {
  for (const auto& [each, tag] : KindTags()) {
    if (each == kind) return tag;
  }
  return {};
}

}  // namespace feedback
