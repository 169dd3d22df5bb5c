// Kiosk enrolment: one-time codes that a qa_manager or an admin issues for one tablet, and the
// exchange of a code for that tablet's kiosk token. A code is drawn from OpenSSL's CSPRNG and
// kept only as its SHA-256 (storage/layout.h, "enrolment/"); the rules of codes are in
// service/domain/enrolment_code.h. docs/security.md, "Kiosk enrolment".
#ifndef FEEDBACK_SERVICE_OPS_ENROLMENT_H_
#define FEEDBACK_SERVICE_OPS_ENROLMENT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/enrolment.pb.h"
#include "feedback/v1/feedback.pb.h"
#include "feedback/v1/wire_check.pb.h"
#include "service/domain/access.h"
#include "storage/layout.h"
#include "storage/transaction.h"

namespace feedback {

using storage::layout::kEnrolmentPrefix;

// A new code in canonical form (8 symbols of kEnrolmentAlphabet), from RAND_bytes without
// modulo bias. INTERNAL if the generator fails.
[[nodiscard]] absl::StatusOr<std::string> NewEnrolmentCode();

// "enrolment/" and the 64 hex digits of the SHA-256 of `canonical_code`.
std::string EnrolmentKey(std::string_view canonical_code);

// Checks a request to issue a code: device_name set, printable ASCII, at most 64 bytes.
// INVALID_ARGUMENT naming the field.
[[nodiscard]] absl::Status ValidateEnrolmentRequest(const v1::IssueKioskEnrolmentRequest& request);

// Stores the enrolment of `canonical_code` (new, from NewEnrolmentCode) for the request's
// device, expiring kEnrolmentCodeLifetime after `now`, with its audit entry
// (kiosk.enrolment.issue: the enrolment's id, detail the device; never the code). The result
// is what the issuer is shown: the code as displayed, the device and the expiry. ABORTED if the
// code is that of another enrolment still usable (about one chance in 10^11: issue again); a
// dead enrolment with the same code is replaced. REQUIRES: ValidateEnrolmentRequest is OK.
storage::TypedWriteOp<v1::KioskEnrolment> IssueEnrolmentOp(v1::IssueKioskEnrolmentRequest request,
                                                           std::string canonical_code,
                                                           Principal issuer, absl::Time now);

// What an exchange made: the new kiosk token (as stored, with the hash of its secret).
struct EnrolledKiosk {
  v1::internal::StoredToken token;
  std::string enrolment_id;
};

// Exchanges `canonical_code` at `now` for a new kiosk token with secret `secret`
// (NewTokenSecret) for the enrolment's device, expiring as any kiosk token does
// (kDefaultTokenLifetime), created_by the token that issued the code. In the same batch: the
// enrolment marked used (used_at, token_id) and the audit entry (kiosk.enrol, by the new token:
// ids the enrolment and the token). UNAUTHENTICATED kEnrolmentCodeNotValid for a code that was
// never issued, has expired or was used, nothing written. Two exchanges of one code run one
// after the other on the writer thread, each seeing what the one before staged: only the first
// wins.
storage::TypedWriteOp<EnrolledKiosk> EnrolKioskOp(std::string canonical_code, std::string secret,
                                                  absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_ENROLMENT_H_
