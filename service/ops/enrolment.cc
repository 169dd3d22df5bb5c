#include "service/ops/enrolment.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/enrolment_code.h"
#include "service/ops/audit.h"
#include "service/ops/tokens.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

absl::StatusOr<std::optional<v1::internal::StoredEnrolment>> FindEnrolment(
    storage::Transaction& txn, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(key));
  if (!bytes.has_value()) return std::nullopt;
  v1::internal::StoredEnrolment stored;
  if (!stored.ParseFromString(*bytes)) {
    return absl::DataLossError("a stored enrolment does not parse");
  }
  return stored;
}

}  // namespace

absl::StatusOr<std::string> NewEnrolmentCode() {
  std::string code;
  while (code.size() < kEnrolmentCodeLength) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
      return absl::InternalError("the system's random number generator failed");
    }
    for (unsigned char byte : bytes) {
      std::optional<char> symbol = EnrolmentSymbolOf(byte);
      if (symbol.has_value() && code.size() < kEnrolmentCodeLength) code.push_back(*symbol);
    }
    OPENSSL_cleanse(bytes, sizeof bytes);
  }
  return code;
}

std::string EnrolmentKey(std::string_view canonical_code) {
  return absl::StrCat(std::string(kEnrolmentPrefix),
                      absl::BytesToHexString(HashSecret(canonical_code)));
}

absl::Status ValidateEnrolmentRequest(const v1::IssueKioskEnrolmentRequest& request) {
  if (request.device_name().empty()) {
    return absl::InvalidArgumentError(
        "device_name: must be set: the name of the tablet, e.g. tablet-3");
  }
  v1::IssueTokenRequest token;
  token.set_role(v1::ROLE_KIOSK);
  token.set_device_name(request.device_name());
  return ValidateIssueRequest(token, absl::UnixEpoch());
}

storage::TypedWriteOp<v1::KioskEnrolment> IssueEnrolmentOp(v1::IssueKioskEnrolmentRequest request,
                                                           std::string canonical_code,
                                                           Principal issuer, absl::Time now) {
  return [request = std::move(request), code = std::move(canonical_code),
          issuer = std::move(issuer),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::KioskEnrolment> {
    const std::string key = EnrolmentKey(code);
    ASSIGN_OR_RETURN(std::optional<v1::internal::StoredEnrolment> existing,
                     FindEnrolment(txn, key));
    if (existing.has_value() && EnrolmentUsable(*existing, now)) {
      return absl::AbortedError("the new enrolment code clashed with a live one; issue it again");
    }
    v1::internal::StoredEnrolment stored;
    stored.set_id(txn.NewId(storage::layout::kEnrolmentIdPrefix));
    stored.set_device_name(request.device_name());
    *stored.mutable_created_at() = ToTimestamp(now);
    *stored.mutable_expires_at() = ToTimestamp(now + kEnrolmentCodeLifetime);
    stored.set_created_by(issuer.token_id);
    RETURN_IF_ERROR(txn.PutEntity(key, stored.SerializeAsString()));
    RETURN_IF_ERROR(AppendAudit(txn, issuer, now,
                                AuditEvent("kiosk.enrolment.issue", {stored.id()},
                                           absl::StrCat("device=", stored.device_name()))));
    v1::KioskEnrolment enrolment;
    enrolment.set_code(DisplayEnrolmentCode(code));
    enrolment.set_device_name(stored.device_name());
    *enrolment.mutable_expires_at() = stored.expires_at();
    return enrolment;
  };
}

storage::TypedWriteOp<EnrolledKiosk> EnrolKioskOp(std::string canonical_code, std::string secret,
                                                  absl::Time now) {
  return [code = std::move(canonical_code), secret = std::move(secret),
          now](storage::Transaction& txn) -> absl::StatusOr<EnrolledKiosk> {
    const std::string key = EnrolmentKey(code);
    ASSIGN_OR_RETURN(std::optional<v1::internal::StoredEnrolment> stored, FindEnrolment(txn, key));
    if (!stored.has_value() || !EnrolmentUsable(*stored, now)) {
      return absl::UnauthenticatedError(kEnrolmentCodeNotValid);
    }
    v1::IssueTokenRequest request;
    request.set_role(v1::ROLE_KIOSK);
    request.set_device_name(stored->device_name());
    ASSIGN_OR_RETURN(v1::internal::StoredToken token,
                     StageNewToken(txn, request, secret, stored->created_by(), now));
    *stored->mutable_used_at() = ToTimestamp(now);
    stored->set_token_id(token.token().id());
    RETURN_IF_ERROR(txn.PutEntity(key, stored->SerializeAsString()));
    const Principal kiosk{.token_id = token.token().id(),
                          .role = v1::ROLE_KIOSK,
                          .device_name = stored->device_name()};
    RETURN_IF_ERROR(AppendAudit(txn, kiosk, now,
                                AuditEvent("kiosk.enrol", {stored->id(), token.token().id()},
                                           absl::StrCat("issued_by=", stored->created_by()))));
    return EnrolledKiosk{.token = std::move(token), .enrolment_id = stored->id()};
  };
}

}  // namespace feedback
