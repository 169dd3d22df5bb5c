// Who may call what: the one table of RPCs and the roles allowed to call them.
#ifndef FEEDBACK_SERVICE_DOMAIN_ACCESS_H_
#define FEEDBACK_SERVICE_DOMAIN_ACCESS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/roles.h"

namespace feedback {

// The caller of an RPC, as its token says.
struct Principal {
  std::string token_id;  // "offline" for the command line on a stopped server's store
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::string device_name;
};

// The principal of the command line working directly on a stopped server's store.
Principal OfflineAdmin();

// The principal of a call to a method that needs no token (NeedsNoToken): token id
// "anonymous", no role, no device.
Principal Anonymous();

// True for a method whose request carries its own credential, so that it needs no token:
// EnrolKiosk (a one-time enrolment code). The Gatekeeper admits any caller to it as
// Anonymous(), without reading its token; what limits it is its own (docs/security.md).
bool NeedsNoToken(std::string_view method);

// The roles that may call `method` (the RPC's name, e.g. "GetFeedback"); nullopt for a method
// the table does not know, which nobody may call. Health and reflection are not in it: they
// need no token. A method that needs no token lists every role.
std::optional<std::vector<v1::Role>> RolesAllowed(std::string_view method);

// True if `role` may call `method`; for a method that needs no token, true for any role,
// including ROLE_UNSPECIFIED (Anonymous()).
bool IsAllowed(std::string_view method, v1::Role role);

// The rules of SubmitFeedback that depend on what is submitted as well as who submits it: only
// an advocate (or QA staff back-filling: qa_manager, admin) gives a child's statement, and a
// kiosk cannot speak as an advocate. How far back each role may date an item:
// service/backdating.h.
// PERMISSION_DENIED naming the field.
[[nodiscard]] absl::Status CheckSubmitter(const v1::Feedback& feedback, v1::Role role);

// Every method in the table, for the tests that hold it against the proto.
std::vector<std::string> MethodsInTable();

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_ACCESS_H_
