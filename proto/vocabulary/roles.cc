#include "proto/vocabulary/roles.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/error_text.h"

namespace feedback {

using v1::ROLE_ADMIN;
using v1::ROLE_ADVOCATE;
using v1::ROLE_KIOSK;
using v1::ROLE_QA_MANAGER;
using v1::ROLE_REPORTER;

std::string RoleName(v1::Role role) {
  switch (role) {
    case ROLE_KIOSK:
      return "kiosk";
    case ROLE_ADVOCATE:
      return "advocate";
    case ROLE_QA_MANAGER:
      return "qa_manager";
    case ROLE_REPORTER:
      return "reporter";
    case ROLE_ADMIN:
      return "admin";
    default:
      return "unspecified";
  }
}

absl::StatusOr<v1::Role> ParseRole(std::string_view name, std::string_view field) {
  for (v1::Role role : AllRoles()) {
    std::string spelled = RoleName(role);
    std::string dashed = spelled;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    if (name == spelled || name == dashed) return role;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": unknown role ", QuoteClientValue(name),
                   " (kiosk, advocate, qa_manager, reporter or admin)"));
}

const std::vector<v1::Role>& AllRoles() {
  static const auto* roles = new std::vector<v1::Role>{ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER,
                                                       ROLE_REPORTER, ROLE_ADMIN};
  return *roles;
}

}  // namespace feedback
