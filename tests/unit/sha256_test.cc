#include "service/domain/sha256.h"

#include <string>
#include <thread>
#include <vector>

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

// Each thread reuses one digest context: a digest must not carry anything over from the one
// before, on that thread or another.
TEST(Sha256, ADigestIsTheSameAfterOthersOnThisThreadAndOnOtherThreads) {
  const std::string abc = HexSha256("abc");
  const std::string long_input = HexSha256(std::string(10'000, 'x'));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (HexSha256(std::string(10'000, 'x')) != long_input) ++mismatches[t];
        if (HexSha256("abc") != abc) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(mismatches.size(), 0));
  EXPECT_EQ(abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace sha256_test
}  // namespace
}  // namespace feedback
