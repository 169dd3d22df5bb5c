#include "service/domain/access.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace feedback {
namespace {

// Roles are numbered 0 to 7 (feedback.proto); a number outside 0..31 (an unknown role) has no bit.
constexpr uint32_t RoleBit(v1::Role role) {
  const auto number = static_cast<uint32_t>(role);
  return number < 32 ? uint32_t{1} << number : 0;
}

using v1::ROLE_ADMIN;
using v1::ROLE_ADVOCATE;
using v1::ROLE_AUDITOR;
using v1::ROLE_CHAIR;
using v1::ROLE_KIOSK;
using v1::ROLE_QA_MANAGER;
using v1::ROLE_REPORTER;

// THE access table. Least privilege: a role gets a method only if its work needs it.
// Rules that depend on the request as well as the method (a kiosk may not submit a child's
// statement; a reporter may not list quote candidates) are checked by the handler.
const std::map<std::string, std::vector<v1::Role>, std::less<>>& Table() {
  static const auto* table = new std::map<std::string, std::vector<v1::Role>, std::less<>>{
      // Feedback in: kiosks, advocates, and QA staff (or admin) entering letters, calls and
      // back-fills of old quarters.
      {"SubmitFeedback", {ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Raw words out: QA staff only.
      {"GetFeedback", {ROLE_QA_MANAGER}},
      {"ListFeedback", {ROLE_QA_MANAGER}},
      {"ExportFeedback", {ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"UpdateComplaint", {ROLE_QA_MANAGER}},
      {"GetComplaint", {ROLE_QA_MANAGER}},
      {"ListComplaints", {ROLE_QA_MANAGER}},
      {"WatchAlerts", {ROLE_QA_MANAGER}},
      {"AcknowledgeAlert", {ROLE_QA_MANAGER}},
      // Advocacy.
      // QA staff and admin back-fill old quarters (service/backdating.h).
      {"CreateAdvocacyReferral", {ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"UpdateAdvocacyReferral", {ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"GetAdvocacyReferral", {ROLE_ADVOCATE, ROLE_QA_MANAGER}},
      // Admin lists (audited) what it back-fills, so that `feedbackctl import` can find what
      // is already stored and link a child's statement to its referral (docs/import.md).
      {"ListAdvocacyReferrals", {ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Figures and quotes.
      {"GetQuarterSummary", {ROLE_REPORTER, ROLE_QA_MANAGER}},
      {"ListQuotes", {ROLE_REPORTER, ROLE_QA_MANAGER}},
      {"ApproveQuote", {ROLE_QA_MANAGER}},
      {"WithdrawQuote", {ROLE_QA_MANAGER}},
      // Administration.
      {"IssueToken", {ROLE_ADMIN}},
      {"ListTokens", {ROLE_ADMIN}},
      {"RevokeToken", {ROLE_ADMIN}},
      {"ListAudit", {ROLE_ADMIN}},
      {"EraseFeedback", {ROLE_ADMIN}},
      {"PurgeFeedback", {ROLE_ADMIN}},
      {"SetLegalHold", {ROLE_ADMIN}},
      {"ListLegalHolds", {ROLE_ADMIN}},
      {"RetagFeedback", {ROLE_ADMIN}},
      {"VerifyCounters", {ROLE_ADMIN}},
      // Irreversible: freezes a quarter's published figures (service/publication.h).
      {"PublishQuarter", {ROLE_ADMIN}},
      // The tablet kiosk. QA staff (or admin) enrol a tablet with a one-time code; the tablet
      // exchanges the code for its token, so EnrolKiosk needs no token (NeedsNoToken): any
      // caller, with a token of any role or none. Whoever may collect feedback may ask for
      // someone to come and talk.
      {"IssueKioskEnrolment", {ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"EnrolKiosk",
       {ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_REPORTER, ROLE_ADMIN, ROLE_AUDITOR,
        ROLE_CHAIR}},
      {"RequestTalkNow", {ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Case-file audits and practice observations: auditors record and read them; QA staff
      // and admin back-fill old quarters and list them (admin for `feedbackctl import`). Their
      // figures come through GetQuarterSummary like every other figure.
      {"RecordQualityCheck", {ROLE_AUDITOR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"ListQualityChecks", {ROLE_AUDITOR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Independent chairs' oversight outcomes: chairs record them and list their own; QA staff
      // and admin back-fill old quarters and list them all. Their figures come through
      // GetQuarterSummary; an escalation's alert through WatchAlerts like any alert.
      {"RecordOversight", {ROLE_CHAIR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"ListOversights", {ROLE_CHAIR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // The report's narrative: QA staff (and admin) write it; whoever makes the report reads
      // its current text (GetNarrative refuses a reporter the history of who wrote what).
      {"SetNarrative", {ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"GetNarrative", {ROLE_QA_MANAGER, ROLE_REPORTER, ROLE_ADMIN}},
      // Backups copy everything the store holds: the admin, who runs the server, alone.
      {"CreateBackup", {ROLE_ADMIN}},
      {"ListBackups", {ROLE_ADMIN}},
      {"VerifyBackup", {ROLE_ADMIN}},
  };
  return *table;
}

// Table() as one bit per role (bit n: the role numbered n), read by IsAllowed on every call: a
// hash and one comparison rather than a walk of the map's strings (several per call).
const absl::flat_hash_map<std::string, uint32_t>& AllowedRoleBits() {
  static const auto* bits = [] {
    auto* made = new absl::flat_hash_map<std::string, uint32_t>;
    for (const auto& [method, roles] : Table()) {
      uint32_t& set = (*made)[method];
      for (const v1::Role role : roles) set |= RoleBit(role);
    }
    return made;
  }();
  return *bits;
}

}  // namespace

Principal OfflineAdmin() { return {.token_id = "offline", .role = ROLE_ADMIN, .device_name = ""}; }

Principal Anonymous() {
  return {.token_id = "anonymous", .role = v1::ROLE_UNSPECIFIED, .device_name = ""};
}

bool NeedsNoToken(std::string_view method) { return method == "EnrolKiosk"; }

std::optional<std::vector<v1::Role>> RolesAllowed(std::string_view method) {
  auto it = Table().find(method);
  if (it == Table().end()) return std::nullopt;
  return it->second;
}

bool IsAllowed(std::string_view method, v1::Role role) {
  if (NeedsNoToken(method)) return true;
  // absl::string_view: Debian's Abseil makes none from a std one.
  const auto allowed = AllowedRoleBits().find(absl::string_view(method.data(), method.size()));
  return allowed != AllowedRoleBits().end() && (allowed->second & RoleBit(role)) != 0;
}

absl::Status CheckSubmitter(const v1::Feedback& feedback, v1::Role role) {
  if (feedback.kind() == v1::KIND_CHILD_STATEMENT && role != ROLE_ADVOCATE &&
      role != ROLE_QA_MANAGER && role != ROLE_ADMIN) {
    return absl::PermissionDeniedError(
        "feedback.kind: only an advocate token (or QA staff back-filling) may submit a child's "
        "statement");
  }
  if (feedback.source() == v1::SOURCE_ADVOCATE && role == ROLE_KIOSK) {
    return absl::PermissionDeniedError(
        "feedback.source: a kiosk token may not submit feedback as an advocate");
  }
  return absl::OkStatus();
}

std::vector<std::string> MethodsInTable() {
  std::vector<std::string> methods;
  for (const auto& [method, roles] : Table()) methods.push_back(method);
  return methods;
}

}  // namespace feedback
