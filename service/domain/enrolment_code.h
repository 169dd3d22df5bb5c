// Kiosk enrolment codes as people read and type them: the alphabet, the canonical form, the
// displayed form, and when a stored code may still be exchanged. Pure; thread-safe.
//
// A code is 8 characters from an alphabet without the look-alikes 0/O, 1/I/L: 31 symbols, so
// 31^8 (about 8.5 x 10^11) codes. It is shown as "ABCD-EFGH" and accepted in any case, with or
// without the dash (and spaces), so "abcd efgh" is the same code.
//
// Example:
//   NormaliseEnrolmentCode("abcd-efgh")  == "ABCDEFGH"
//   DisplayEnrolmentCode("ABCDEFGH")     == "ABCD-EFGH"
//   NormaliseEnrolmentCode("ABCD-EFG0")  -> INVALID_ARGUMENT "code: ..."
#ifndef FEEDBACK_SERVICE_DOMAIN_ENROLMENT_CODE_H_
#define FEEDBACK_SERVICE_DOMAIN_ENROLMENT_CODE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/enrolment.pb.h"

namespace feedback {

// Upper-case letters without I, L and O, then the digits 2 to 9.
inline constexpr std::string_view kEnrolmentAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
static_assert(kEnrolmentAlphabet.size() == 31);
inline constexpr size_t kEnrolmentCodeLength = 8;
// How long a code may be exchanged after it is issued.
inline constexpr absl::Duration kEnrolmentCodeLifetime = absl::Minutes(15);

// The same refusal for a wrong, an expired and a used code, so that a guess learns nothing.
inline constexpr char kEnrolmentCodeNotValid[] =
    "enrolment code is not valid: check it, or ask for a new one (a code works once, for 15 "
    "minutes)";

// The symbol a random byte stands for, without bias: bytes 0..247 (8 x 31) map to
// kEnrolmentAlphabet[byte % 31]; nullopt for 248..255, which the caller discards and draws
// again.
std::optional<char> EnrolmentSymbolOf(uint8_t random_byte);

// The canonical form of a typed code: dashes and spaces removed, letters upper-cased; it must
// then be kEnrolmentCodeLength characters of kEnrolmentAlphabet. INVALID_ARGUMENT "code: ..."
// otherwise (empty: "code: must be set").
[[nodiscard]] absl::StatusOr<std::string> NormaliseEnrolmentCode(std::string_view typed);

// "ABCD-EFGH" for the canonical "ABCDEFGH". REQUIRES: `canonical` is a canonical code.
std::string DisplayEnrolmentCode(std::string_view canonical);

// True if `stored` may be exchanged at `now`: never used, and `now` is before its expiry.
bool EnrolmentUsable(const v1::internal::StoredEnrolment& stored, absl::Time now);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_ENROLMENT_CODE_H_
