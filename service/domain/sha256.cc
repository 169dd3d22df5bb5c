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

// A digest context for this thread, made once: EVP_Digest makes and frees one (and takes a
// reference on the algorithm) on every call, and a submission takes two digests
// (docs/performance.md, eighth pass).
EVP_MD_CTX* ThreadDigestContext() {
  struct Owned {
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    ~Owned() { EVP_MD_CTX_free(context); }
  };
  thread_local Owned owned;
  return owned.context;
}

bool DigestWithThreadContext(std::string_view bytes, unsigned char* out) {
  const EVP_MD* algorithm = Sha256Algorithm();
  EVP_MD_CTX* context = ThreadDigestContext();
  unsigned int size = 0;
  return algorithm != nullptr && context != nullptr &&
         EVP_DigestInit_ex2(context, algorithm, nullptr) == 1 &&
         EVP_DigestUpdate(context, bytes.data(), bytes.size()) == 1 &&
         EVP_DigestFinal_ex(context, out, &size) == 1 && size == kSha256Size;
}

}  // namespace

std::string Sha256(std::string_view bytes) {
  static_assert(kSha256Size == SHA256_DIGEST_LENGTH);
  std::string digest(kSha256Size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(digest.data());
  if (!DigestWithThreadContext(bytes, out)) {
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
  }
  return digest;
}

}  // namespace feedback
