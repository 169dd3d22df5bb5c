// Kiosk enrolment codes: how they are drawn, typed and judged (service/domain/enrolment_code.h),
// and the store operations that issue one and exchange it for a kiosk token
// (service/ops/enrolment.h), on a real store, at times the test chooses.
#include "service/ops/enrolment.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/domain/enrolment_code.h"
#include "service/ops/audit.h"
#include "service/ops/tokens.h"
#include "storage/feedback_store.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace enrolment_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

const absl::Time kIssued =
    absl::FromCivil(absl::CivilSecond(2026, 12, 2, 10, 42, 0), absl::UTCTimeZone());

TEST(EnrolmentCode, TheAlphabetHasNoLookAlikes) {
  EXPECT_EQ(std::set<char>(kEnrolmentAlphabet.begin(), kEnrolmentAlphabet.end()).size(), 31u);
  for (char c : std::string("0O1IL")) {
    EXPECT_EQ(kEnrolmentAlphabet.find(c), std::string_view::npos) << c;
  }
}

// Every symbol stands for exactly 8 of the bytes 0..247, and 248..255 are drawn again: no symbol
// is likelier than another.
TEST(EnrolmentCode, RandomBytesMapToSymbolsWithoutBias) {
  std::map<char, int> bytes_per_symbol;
  for (int byte = 0; byte < 256; ++byte) {
    std::optional<char> symbol = EnrolmentSymbolOf(static_cast<uint8_t>(byte));
    if (byte >= 248) {
      EXPECT_FALSE(symbol.has_value()) << byte;
    } else {
      ASSERT_TRUE(symbol.has_value()) << byte;
      ++bytes_per_symbol[*symbol];
    }
  }
  EXPECT_EQ(bytes_per_symbol.size(), 31u);
  for (const auto& [symbol, count] : bytes_per_symbol) EXPECT_EQ(count, 8) << symbol;
}

TEST(EnrolmentCode, NewCodesAreEightSymbolsDrawnEvenly) {
  std::set<std::string> codes;
  std::map<char, int> seen;
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<std::string> code = NewEnrolmentCode();
    ASSERT_OK(code);
    EXPECT_THAT(*code, MatchesRegex("[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}"));
    codes.insert(*code);
    for (char c : *code) ++seen[c];
  }
  EXPECT_EQ(codes.size(), 1000u);  // a repeat among 1,000 of 8.5e11: about 6 in 10 million
  // 8,000 symbols: about 258 of each; 150 is more than 6 standard deviations below.
  EXPECT_EQ(seen.size(), 31u);
  for (const auto& [symbol, count] : seen) EXPECT_GT(count, 150) << symbol;
}

TEST(EnrolmentCode, IsTypedInAnyCaseWithOrWithoutTheDash) {
  for (const char* typed : {"ABCD-EFGH", "abcd-efgh", "ABCDEFGH", "abcdefgh", "AbCd-eFgH",
                            " abcd efgh ", "AB-CD-EF-GH"}) {
    absl::StatusOr<std::string> canonical = NormaliseEnrolmentCode(typed);
    ASSERT_OK(canonical);
    EXPECT_EQ(*canonical, "ABCDEFGH") << typed;
  }
  EXPECT_EQ(DisplayEnrolmentCode("ABCDEFGH"), "ABCD-EFGH");
  EXPECT_EQ(*NormaliseEnrolmentCode(DisplayEnrolmentCode("K7MN2PQ9")), "K7MN2PQ9");
}

TEST(EnrolmentCode, WhatCannotBeACodeIsRefusedNamingTheFieldWithoutEchoingIt) {
  EXPECT_EQ(NormaliseEnrolmentCode("").status().message(), "code: must be set");
  EXPECT_EQ(NormaliseEnrolmentCode(" - ").status().message(), "code: must be set");
  for (const char* typed :
       {"WXYZ-WXY", "WXYZ-WXYZJ", "WXYZ-WXY0", "WXYZ-WXYO", "WXYZ-WXY1", "WXYZ-WXYI", "WXYZ-WXYL",
        "WXYZ_WXYZ", "WXYZ-WXY\xc3\x89", "WXYZ-WXY\x1b"}) {
    absl::StatusOr<std::string> refused = NormaliseEnrolmentCode(typed);
    ASSERT_FALSE(refused.ok()) << typed;
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.status().message(), HasSubstr("code: an enrolment code is 8"));
    EXPECT_THAT(refused.status().message(), Not(HasSubstr("WXY")));
  }
}

TEST(EnrolmentCode, IsUsableOnceBeforeItsExpiry) {
  v1::internal::StoredEnrolment stored;
  *stored.mutable_expires_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kIssued + kEnrolmentCodeLifetime));
  EXPECT_TRUE(EnrolmentUsable(stored, kIssued));
  EXPECT_TRUE(EnrolmentUsable(stored, kIssued + absl::Minutes(15) - absl::Microseconds(1)));
  EXPECT_FALSE(EnrolmentUsable(stored, kIssued + absl::Minutes(15)));
  EXPECT_FALSE(EnrolmentUsable(stored, kIssued + absl::Hours(2)));
  *stored.mutable_used_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kIssued));
  EXPECT_FALSE(EnrolmentUsable(stored, kIssued));
}

class EnrolmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  // Issues `code` for tablet-3 at `at`, by a qa_manager.
  absl::StatusOr<v1::KioskEnrolment> Issue(const std::string& code, absl::Time at = kIssued) {
    v1::IssueKioskEnrolmentRequest request;
    request.set_device_name("tablet-3");
    return storage::CommitOne(*store_, IssueEnrolmentOp(request, code, kQa, at));
  }

  absl::StatusOr<EnrolledKiosk> Exchange(const std::string& code, absl::Time at) {
    return storage::CommitOne(*store_, EnrolKioskOp(code, "fbk_secret_" + code, at));
  }

  std::vector<v1::AuditEntry> Audit() {
    absl::StatusOr<AuditPage> page = ReadAudit(*store_, v1::ListAuditRequest());
    EXPECT_OK(page);
    return page.ok() ? page->entries : std::vector<v1::AuditEntry>{};
  }

  const Principal kQa{.token_id = "tok_qa", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  testing::TempDir dir_;
  std::unique_ptr<storage::FeedbackStore> store_;
};

TEST_F(EnrolmentStoreTest, IssuingKeepsOnlyTheHashOfTheCodeAndAuditsWithoutIt) {
  absl::StatusOr<v1::KioskEnrolment> issued = Issue("K7MN2PQ9");
  ASSERT_OK(issued);
  EXPECT_EQ(issued->code(), "K7MN-2PQ9");
  EXPECT_EQ(issued->device_name(), "tablet-3");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(issued->expires_at()),
            absl::ToUnixMicros(kIssued + absl::Minutes(15)));
  std::vector<std::string> keys;
  ASSERT_OK(
      store_->ScanEntities(kEnrolmentPrefix, [&](std::string_view key, std::string_view value) {
        keys.push_back(std::string(key));
        EXPECT_THAT(std::string(value), Not(HasSubstr("K7MN")));
        return absl::OkStatus();
      }));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], EnrolmentKey("K7MN2PQ9"));
  EXPECT_THAT(keys[0], MatchesRegex("enrolment/[0-9a-f]{64}"));
  const std::vector<v1::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action(), "kiosk.enrolment.issue");
  EXPECT_EQ(audit[0].actor_token_id(), "tok_qa");
  EXPECT_THAT(audit[0].ids(0), MatchesRegex("ke_[0-9a-f]{32}"));
  EXPECT_EQ(audit[0].detail(), "device=tablet-3");
  EXPECT_THAT(audit[0].SerializeAsString(), Not(HasSubstr("K7MN")));
}

TEST_F(EnrolmentStoreTest, ACodeIsExchangedOnceForAKioskTokenOfItsDevice) {
  ASSERT_OK(Issue("K7MN2PQ9"));
  const absl::Time at = kIssued + absl::Minutes(14);
  absl::StatusOr<EnrolledKiosk> enrolled = Exchange("K7MN2PQ9", at);
  ASSERT_OK(enrolled);
  const v1::Token& token = enrolled->token.token();
  EXPECT_EQ(token.role(), v1::ROLE_KIOSK);
  EXPECT_EQ(token.device_name(), "tablet-3");
  EXPECT_EQ(token.created_by(), "tok_qa");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(token.expires_at()),
            absl::ToUnixMicros(at + kDefaultTokenLifetime));
  EXPECT_EQ(enrolled->token.secret_sha256(), HashSecret("fbk_secret_K7MN2PQ9"));
  // The token is stored like any other (ListTokens, RevokeToken, the registry at start-up).
  absl::StatusOr<std::vector<v1::internal::StoredToken>> tokens = LoadTokens(*store_);
  ASSERT_OK(tokens);
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].token().id(), token.id());

  absl::StatusOr<EnrolledKiosk> again = Exchange("K7MN2PQ9", at + absl::Seconds(1));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(again.status().message(), kEnrolmentCodeNotValid);
  EXPECT_EQ(LoadTokens(*store_)->size(), 1u);

  const std::vector<v1::AuditEntry> audit = Audit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].action(), "kiosk.enrol");
  EXPECT_EQ(audit[1].actor_token_id(), token.id());
  EXPECT_EQ(audit[1].actor_device(), "tablet-3");
  EXPECT_EQ(audit[1].ids(0), audit[0].ids(0));  // the enrolment
  EXPECT_EQ(audit[1].ids(1), token.id());
  EXPECT_THAT(audit[1].SerializeAsString(), Not(HasSubstr("K7MN")));
  EXPECT_THAT(audit[1].SerializeAsString(), Not(HasSubstr("fbk_secret")));
}

TEST_F(EnrolmentStoreTest, AnExpiredOrUnknownCodeGetsTheSameRefusalAndWritesNothing) {
  ASSERT_OK(Issue("K7MN2PQ9"));
  for (const auto& [code, at] :
       std::vector<std::pair<std::string, absl::Time>>{{"K7MN2PQ9", kIssued + absl::Minutes(15)},
                                                       {"K7MN2PQ9", kIssued + absl::Hours(30)},
                                                       {"K7MN2PQA", kIssued + absl::Minutes(1)}}) {
    absl::StatusOr<EnrolledKiosk> refused = Exchange(code, at);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated) << code;
    EXPECT_EQ(refused.status().message(), kEnrolmentCodeNotValid);
  }
  EXPECT_TRUE(LoadTokens(*store_)->empty());
  EXPECT_EQ(Audit().size(), 1u);  // the issue only
}

// The exchange and the marking-used are one operation on the writer thread: two exchanges of
// one code in the same group (each sees what the one before it staged) make one token.
TEST_F(EnrolmentStoreTest, TwoExchangesOfOneCodeInOneBatchMakeOneToken) {
  ASSERT_OK(Issue("K7MN2PQ9"));
  std::vector<storage::TypedWriteOp<EnrolledKiosk>> ops;
  ops.push_back(EnrolKioskOp("K7MN2PQ9", "fbk_first", kIssued + absl::Minutes(1)));
  ops.push_back(EnrolKioskOp("K7MN2PQ9", "fbk_second", kIssued + absl::Minutes(1)));
  std::vector<absl::StatusOr<EnrolledKiosk>> results = storage::CommitAll(*store_, std::move(ops));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_OK(results[0]);
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kUnauthenticated);
  absl::StatusOr<std::vector<v1::internal::StoredToken>> tokens = LoadTokens(*store_);
  ASSERT_OK(tokens);
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].secret_sha256(), HashSecret("fbk_first"));
}

// A new code equal to a live one's is refused (the caller issues again); equal to a dead one's,
// it replaces it.
TEST_F(EnrolmentStoreTest, ACodeThatClashesWithALiveOneIsNotIssued) {
  ASSERT_OK(Issue("K7MN2PQ9"));
  EXPECT_EQ(Issue("K7MN2PQ9", kIssued + absl::Minutes(5)).status().code(),
            absl::StatusCode::kAborted);
  ASSERT_OK(Issue("K7MN2PQ9", kIssued + absl::Minutes(16)));
  EXPECT_OK(Exchange("K7MN2PQ9", kIssued + absl::Minutes(20)));
}

TEST(EnrolmentRequest, NeedsAPrintableDeviceName) {
  v1::IssueKioskEnrolmentRequest request;
  EXPECT_THAT(ValidateEnrolmentRequest(request).message(), HasSubstr("device_name: must be set"));
  request.set_device_name("tablet\x1b[2J");
  EXPECT_THAT(ValidateEnrolmentRequest(request).message(), HasSubstr("device_name:"));
  request.set_device_name(std::string(65, 'a'));
  EXPECT_THAT(ValidateEnrolmentRequest(request).message(), HasSubstr("device_name:"));
  request.set_device_name("tablet-3");
  EXPECT_OK(ValidateEnrolmentRequest(request));
}

}  // namespace enrolment_test
}  // namespace
}  // namespace feedback
