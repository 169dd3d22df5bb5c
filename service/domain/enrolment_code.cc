#include "service/domain/enrolment_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace feedback {

std::optional<char> EnrolmentSymbolOf(uint8_t random_byte) {
  constexpr unsigned kSymbols = kEnrolmentAlphabet.size();
  constexpr unsigned kUnbiased = 256 / kSymbols * kSymbols;  // 248
  if (random_byte >= kUnbiased) return std::nullopt;
  return kEnrolmentAlphabet[random_byte % kSymbols];
}

absl::StatusOr<std::string> NormaliseEnrolmentCode(std::string_view typed) {
  std::string canonical;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    canonical.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    // Longer than any code: no need to read (or echo) the rest.
    if (canonical.size() > kEnrolmentCodeLength) break;
  }
  if (canonical.empty()) return absl::InvalidArgumentError("code: must be set");
  const bool in_alphabet = canonical.find_first_not_of(kEnrolmentAlphabet) == std::string::npos;
  if (canonical.size() != kEnrolmentCodeLength || !in_alphabet) {
    return absl::InvalidArgumentError(
        absl::StrCat("code: an enrolment code is ", kEnrolmentCodeLength,
                     " letters and digits such as ABCD-EFGH (it has no 0, O, 1, I or L)"));
  }
  return canonical;
}

std::string DisplayEnrolmentCode(std::string_view canonical) {
  const size_t half = canonical.size() / 2;
  return absl::StrCat(std::string(canonical.substr(0, half)), "-",
                      std::string(canonical.substr(half)));
}

bool EnrolmentUsable(const v1::internal::StoredEnrolment& stored, absl::Time now) {
  if (stored.has_used_at()) return false;
  const absl::Time expires = absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(stored.expires_at()));
  return now < expires;
}

}  // namespace feedback
