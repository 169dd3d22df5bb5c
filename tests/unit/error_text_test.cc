// What errors echo of a client's values: bounded, escaped (storage/error_text.h), and no error
// message sent to a caller is longer than kMaxErrorMessageBytes (service/grpc_status.h).
#include "proto/vocabulary/error_text.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/grpc_status.h"

namespace feedback {
namespace {
namespace error_text_test {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(QuoteClientValue, QuotesAShortValueAsItIs) {
  EXPECT_EQ(QuoteClientValue("fb_0123456789abcdef"), "\"fb_0123456789abcdef\"");
  EXPECT_EQ(QuoteClientValue(""), "\"\"");
}

TEST(QuoteClientValue, ShowsAtMost64BytesOfALongValueAndItsLength) {
  const std::string quoted = QuoteClientValue(std::string(60'000, 'x'));
  EXPECT_EQ(quoted, absl::StrCat("\"", std::string(64, 'x'), "\"... (60000 bytes)"));
  EXPECT_EQ(QuoteClientValue(std::string(64, 'y')), absl::StrCat("\"", std::string(64, 'y'), "\""));
}

TEST(QuoteClientValue, EscapesControlCharactersQuotesAndNonAsciiBytes) {
  EXPECT_EQ(QuoteClientValue("a\x1b[31mb\r\n\"\\"), R"("a\x1b[31mb\r\n\"\\")");
  // A right-to-left override (U+202E) and a C1 control (U+009B) arrive as bytes, shown as such.
  EXPECT_EQ(QuoteClientValue("\xe2\x80\xae"
                             "\xc2\x9b"),
            R"("\xe2\x80\xae\xc2\x9b")");
  // Whatever comes in, what goes out is printable ASCII and bounded.
  std::string every_byte;
  for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<char>(i));
  const std::string quoted = QuoteClientValue(every_byte + every_byte);
  EXPECT_LE(quoted.size(), 4 * kMaxEchoBytes + 40);
  for (char c : quoted) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << static_cast<int>(static_cast<unsigned char>(c));
  }
}

TEST(ToGrpcStatus, CutsAnOverlongMessageOnACharacterBoundary) {
  const std::string long_message = absl::StrCat("id: ", std::string(2000, 'x'));
  const grpc::Status status = ToGrpcStatus(absl::NotFoundError(long_message));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message().size(), kMaxErrorMessageBytes + 3);
  EXPECT_THAT(status.error_message(), EndsWith("x..."));
  // Two-byte characters straddling the limit are never cut in half.
  std::string accented = "text:";  // 5 bytes: byte 1024 is the second byte of an é
  while (accented.size() < 3000) accented += "\xc3\xa9";  // é
  const std::string cut = ToGrpcStatus(absl::InvalidArgumentError(accented)).error_message();
  EXPECT_LE(cut.size(), kMaxErrorMessageBytes + 3);
  EXPECT_THAT(cut, EndsWith("\xc3\xa9..."));
  // Short messages pass unchanged.
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("id: no feedback with id \"fb_1\"")).error_message(),
            "id: no feedback with id \"fb_1\"");
  EXPECT_THAT(ToGrpcStatus(absl::NotFoundError("short")).error_message(), Not(HasSubstr("...")));
}

}  // namespace error_text_test
}  // namespace
}  // namespace feedback
