// Role names as the API contract spells them, shared by the server and the command line.
#ifndef FEEDBACK_PROTO_VOCABULARY_ROLES_H_
#define FEEDBACK_PROTO_VOCABULARY_ROLES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// "kiosk", "advocate", "qa_manager", "reporter", "admin" (the contract's spelling).
std::string RoleName(v1::Role role);
// The inverse of RoleName; also accepts "qa-manager". INVALID_ARGUMENT naming `field`.
absl::StatusOr<v1::Role> ParseRole(std::string_view name, std::string_view field = "role");
// Every role, in order.
const std::vector<v1::Role>& AllRoles();

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_ROLES_H_
