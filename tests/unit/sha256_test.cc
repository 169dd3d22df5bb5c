#include "service/domain/sha256.h"

#include <string>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace feedback {
namespace {
namespace sha256_test {

std::string HexSha256(const std::string& bytes) { return absl::BytesToHexString(Sha256(bytes)); }

// The test vectors of FIPS 180-2, appendix B, and the digest of nothing.
TEST(Sha256, GivesThePublishedDigests) {
  EXPECT_EQ(HexSha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexSha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexSha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(HexSha256(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, HashesEveryByteIncludingNuls) {
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(Sha256(with_nul).size(), kSha256Size);
  EXPECT_NE(Sha256(with_nul), Sha256("a"));
  EXPECT_NE(Sha256(with_nul), Sha256("ab"));
}

}  // namespace sha256_test
}  // namespace
}  // namespace feedback
