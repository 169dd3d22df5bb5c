#include "service/domain/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace feedback {
namespace {

// OpenSSL 3's one-shot SHA256() looks the algorithm up in its provider tables on every call
// (EVP_MD_fetch), and on a submission's path that look-up cost more than hashing a token or a
// submission. Fetched once here; null only if no provider offers SHA-256.
const EVP_MD* Sha256Algorithm() {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

}  // namespace

std::string Sha256(std::string_view bytes) {
  static_assert(kSha256Size == SHA256_DIGEST_LENGTH);
  std::string digest(kSha256Size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(digest.data());
  const EVP_MD* algorithm = Sha256Algorithm();
  unsigned int size = 0;
  if (algorithm == nullptr ||
      EVP_Digest(bytes.data(), bytes.size(), out, &size, algorithm, nullptr) != 1) {
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
  }
  return digest;
}

}  // namespace feedback
