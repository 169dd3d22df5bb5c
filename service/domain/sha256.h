// SHA-256, the one digest the service takes: of token secrets (stored hashed), of submissions
// (their fingerprint, which tells a replay from a conflicting reuse of a submission id) and of
// list filters (bound into page tokens).
#ifndef FEEDBACK_SERVICE_DOMAIN_SHA256_H_
#define FEEDBACK_SERVICE_DOMAIN_SHA256_H_

#include <string>
#include <string_view>

namespace feedback {

inline constexpr size_t kSha256Size = 32;

// The 32 raw bytes of the SHA-256 digest of `bytes`.
std::string Sha256(std::string_view bytes);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_SHA256_H_
