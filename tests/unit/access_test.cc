// The access table, tokens and the Gatekeeper's limits, without a server.
#include "service/domain/access.h"

#include <algorithm>
#include <optional>
#include <set>

#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/listen_address.h"
#include "service/core/gatekeeper.h"
#include "service/ops/tokens.h"
#include "service/rpc/server.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace access_test {

using google::protobuf::util::TimeUtil;
using ::testing::AllOf;
using ::testing::HasSubstr;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 27, 10, 0, 0), absl::UTCTimeZone());

// A token of `role` in `registry`, valid for a day from kNow; returns its secret.
std::string AddToken(TokenRegistry& registry, v1::Role role, const std::string& id,
                     bool revoked = false) {
  absl::StatusOr<std::string> secret = NewTokenSecret();
  EXPECT_TRUE(secret.ok());
  v1::internal::StoredToken stored;
  stored.mutable_token()->set_id(id);
  stored.mutable_token()->set_role(role);
  *stored.mutable_token()->mutable_expires_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(kNow + absl::Hours(24)));
  if (revoked) *stored.mutable_token()->mutable_revoked_at() = TimeUtil::GetEpoch();
  stored.set_secret_sha256(HashSecret(*secret));
  registry.Put(stored);
  return *secret;
}

TEST(AccessTable, CoversExactlyTheMethodsOfTheService) {
  std::set<std::string> declared;
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "feedback.v1.FeedbackService");
  for (int i = 0; i < service->method_count(); ++i) declared.insert(service->method(i)->name());
  const std::vector<std::string> in_table = MethodsInTable();
  EXPECT_EQ(declared, std::set<std::string>(in_table.begin(), in_table.end()));
}

TEST(AccessTable, UnknownMethodsAreAllowedToNobody) {
  for (v1::Role role : AllRoles()) EXPECT_FALSE(IsAllowed("DropEverything", role));
  EXPECT_FALSE(RolesAllowed("DropEverything").has_value());
}

// IsAllowed reads the table as one bit per role: it answers exactly as the table's lists do, and
// a role number the table has never heard of (a newer client's, or a corrupt one) gets nothing.
TEST(AccessTable, IsAllowedAnswersAsTheTableListsAndRefusesUnknownRoles) {
  for (const std::string& method : MethodsInTable()) {
    const std::optional<std::vector<v1::Role>> listed = RolesAllowed(method);
    ASSERT_TRUE(listed.has_value()) << method;
    for (v1::Role role : AllRoles()) {
      const bool in_list = std::find(listed->begin(), listed->end(), role) != listed->end();
      EXPECT_EQ(IsAllowed(method, role), in_list || NeedsNoToken(method)) << method << " " << role;
    }
    if (NeedsNoToken(method)) continue;
    for (int unknown : {8, 31, 32, 33, 64, 1000, -1}) {
      EXPECT_FALSE(IsAllowed(method, static_cast<v1::Role>(unknown))) << method << " " << unknown;
    }
  }
}

// A tablet exchanges its enrolment code before it has a token: EnrolKiosk alone needs none, and
// the Gatekeeper admits any caller to it as Anonymous() without reading what was sent.
TEST(AccessTable, OnlyEnrolKioskNeedsNoTokenAndItAdmitsAnyoneAsAnonymous) {
  for (const std::string& method : MethodsInTable()) {
    EXPECT_EQ(NeedsNoToken(method), method == "EnrolKiosk") << method;
  }
  EXPECT_TRUE(IsAllowed("EnrolKiosk", v1::ROLE_UNSPECIFIED));
  EXPECT_FALSE(IsAllowed("RequestTalkNow", v1::ROLE_UNSPECIFIED));
  TokenRegistry registry;
  Gatekeeper gate(&registry, AccessLimits());
  for (const std::string authorization : {"", "Bearer fbk_nope", "Basic x"}) {
    absl::StatusOr<Principal> caller = gate.Admit(authorization, "EnrolKiosk", kNow);
    ASSERT_OK(caller);
    EXPECT_EQ(caller->token_id, "anonymous");
    EXPECT_EQ(caller->role, v1::ROLE_UNSPECIFIED);
    EXPECT_EQ(gate.Admit(authorization, "RequestTalkNow", kNow).status().code(),
              absl::StatusCode::kUnauthenticated);
  }
}

// Failed enrolment codes share one budget across the server: 3 a minute here. A good code gives
// its try back; once the budget is spent no code is tried until it refills (one every 20 s).
TEST(Gatekeeper, EnrolmentTriesAreABudgetOfFailuresThatRefills) {
  TokenRegistry registry;
  AccessLimits limits;
  limits.enrolment_failures_per_minute = 3;
  Gatekeeper gate(&registry, limits);
  for (int i = 0; i < 3; ++i) ASSERT_OK(gate.TakeEnrolmentTry(kNow));
  absl::Status spent = gate.TakeEnrolmentTry(kNow);
  EXPECT_EQ(spent.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(spent.message(), HasSubstr("at most 3 a minute"));
  gate.ReturnEnrolmentTry();  // the last one was a good code
  ASSERT_OK(gate.TakeEnrolmentTry(kNow));
  EXPECT_FALSE(gate.TakeEnrolmentTry(kNow + absl::Seconds(19)).ok());
  EXPECT_OK(gate.TakeEnrolmentTry(kNow + absl::Seconds(25)));
  EXPECT_FALSE(gate.TakeEnrolmentTry(kNow + absl::Seconds(25)).ok());
}

TEST(Roles, ParseTheContractSpellingsAndRejectOthersNamingTheField) {
  for (v1::Role role : AllRoles()) {
    absl::StatusOr<v1::Role> parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, role);
  }
  EXPECT_EQ(*ParseRole("qa-manager"), v1::ROLE_QA_MANAGER);
  absl::StatusOr<v1::Role> bad = ParseRole("root", "--role");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--role"));
}

TEST(Submitters, OnlyAnAdvocateOrQaStaffGiveAChildsStatementAndNoKioskSpeaksAsAnAdvocate) {
  v1::Feedback statement;
  statement.set_kind(v1::KIND_CHILD_STATEMENT);
  statement.set_source(v1::SOURCE_CHILD);
  // QA staff back-fill old quarters with items of any kind (issue 9).
  for (v1::Role role : {v1::ROLE_ADVOCATE, v1::ROLE_QA_MANAGER, v1::ROLE_ADMIN}) {
    EXPECT_TRUE(CheckSubmitter(statement, role).ok()) << RoleName(role);
  }
  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_REPORTER}) {
    absl::Status denied = CheckSubmitter(statement, role);
    EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(denied.message(), HasSubstr("feedback.kind"));
  }
  v1::Feedback compliment;
  compliment.set_kind(v1::KIND_COMPLIMENT);
  compliment.set_source(v1::SOURCE_ADVOCATE);
  EXPECT_TRUE(CheckSubmitter(compliment, v1::ROLE_ADVOCATE).ok());
  EXPECT_THAT(CheckSubmitter(compliment, v1::ROLE_KIOSK).message(), HasSubstr("feedback.source"));
  compliment.set_source(v1::SOURCE_FAMILY);
  EXPECT_TRUE(CheckSubmitter(compliment, v1::ROLE_KIOSK).ok());
}

TEST(TokenSecrets, AreLongRandomAndHashedToSha256) {
  absl::StatusOr<std::string> a = NewTokenSecret();
  absl::StatusOr<std::string> b = NewTokenSecret();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_THAT(*a, ::testing::MatchesRegex("fbk_[0-9a-f]{64}"));
  EXPECT_NE(*a, *b);
  EXPECT_EQ(HashSecret(*a).size(), 32u);
  EXPECT_NE(HashSecret(*a), HashSecret(*b));
  EXPECT_EQ(HashSecret(*a), HashSecret(*a));
}

TEST(TokenRegistry, AuthenticatesAValidBearerTokenToItsRole) {
  TokenRegistry registry;
  const std::string secret = AddToken(registry, v1::ROLE_KIOSK, "tok_1");
  absl::StatusOr<Principal> caller = registry.Authenticate("Bearer " + secret, kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->role, v1::ROLE_KIOSK);
  EXPECT_EQ(caller->token_id, "tok_1");
  // The scheme's name is case-insensitive (RFC 9110), as some HTTP clients send it.
  for (const std::string scheme : {"bearer ", "BEARER ", "bEaReR "}) {
    absl::StatusOr<Principal> again = registry.Authenticate(scheme + secret, kNow);
    ASSERT_TRUE(again.ok()) << scheme << again.status();
    EXPECT_EQ(again->token_id, "tok_1");
  }
}

TEST(TokenRegistry, RefusesMissingMalformedUnknownRevokedAndExpiredTokens) {
  TokenRegistry registry;
  const std::string valid = AddToken(registry, v1::ROLE_ADMIN, "tok_valid");
  const std::string revoked = AddToken(registry, v1::ROLE_ADMIN, "tok_revoked", true);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "missing"},
      {"Bearer", "expected 'Bearer <token>'"},
      {"Bearer ", "expected 'Bearer <token>'"},
      {valid, "expected 'Bearer <token>'"},
      {"Bearer fbk_nope", "unknown token"},
      {"Bearer " + revoked, "revoked"},
  };
  for (const auto& [authorization, why] : cases) {
    absl::StatusOr<Principal> caller = registry.Authenticate(authorization, kNow);
    ASSERT_FALSE(caller.ok()) << authorization;
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_THAT(caller.status().message(), HasSubstr(why));
    if (!authorization.empty()) {
      EXPECT_THAT(caller.status().message(), ::testing::Not(HasSubstr(valid)));
    }
  }
  absl::StatusOr<Principal> expired =
      registry.Authenticate("Bearer " + valid, kNow + absl::Hours(25));
  ASSERT_FALSE(expired.ok());
  EXPECT_THAT(expired.status().message(), HasSubstr("expired"));
}

TEST(Gatekeeper, DeniesARoleTheTableDoesNotAllowNamingRoleAndMethod) {
  TokenRegistry registry;
  const std::string secret = AddToken(registry, v1::ROLE_REPORTER, "tok_r");
  Gatekeeper gate(&registry, AccessLimits());
  absl::StatusOr<Principal> denied = gate.Admit("Bearer " + secret, "GetFeedback", kNow);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.status().message(), AllOf(HasSubstr("reporter"), HasSubstr("GetFeedback")));
  EXPECT_TRUE(gate.Admit("Bearer " + secret, "GetQuarterSummary", kNow).ok());
}

TEST(Gatekeeper, RateLimitsEachTokenAndRefillsOverTheMinute) {
  TokenRegistry registry;
  const std::string kiosk = AddToken(registry, v1::ROLE_KIOSK, "tok_k");
  const std::string other = AddToken(registry, v1::ROLE_KIOSK, "tok_other");
  AccessLimits limits;
  limits.calls_per_minute[v1::ROLE_KIOSK] = 3;
  Gatekeeper gate(&registry, limits);
  for (int n = 0; n < 3; ++n)
    EXPECT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow).ok());
  absl::StatusOr<Principal> over = gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  // Another token has its own allowance.
  EXPECT_TRUE(gate.Admit("Bearer " + other, "SubmitFeedback", kNow).ok());
  // A third of a minute later, one call's worth has come back, and only one.
  EXPECT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow + absl::Seconds(20)).ok());
  EXPECT_FALSE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow + absl::Seconds(20)).ok());
}

TEST(Gatekeeper, ZeroMeansUnlimited) {
  TokenRegistry registry;
  const std::string kiosk = AddToken(registry, v1::ROLE_KIOSK, "tok_k");
  AccessLimits limits;
  limits.calls_per_minute[v1::ROLE_KIOSK] = 0;
  Gatekeeper gate(&registry, limits);
  for (int n = 0; n < 1000; ++n)
    ASSERT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow).ok());
}

// What feedbackd does on SIGHUP: new rates apply to the next call, without a restart.
TEST(Gatekeeper, NewRateLimitsApplyToTheNextCall) {
  TokenRegistry registry;
  const std::string kiosk = AddToken(registry, v1::ROLE_KIOSK, "tok_k");
  AccessLimits limits;
  limits.calls_per_minute[v1::ROLE_KIOSK] = 1;
  Gatekeeper gate(&registry, limits);
  EXPECT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow).ok());
  EXPECT_FALSE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow).ok());
  gate.SetRateLimits({{v1::ROLE_KIOSK, 0}});
  for (int n = 0; n < 100; ++n) {
    ASSERT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", kNow).ok());
  }
  gate.SetRateLimits({{v1::ROLE_KIOSK, 2}});
  const absl::Time later = kNow + absl::Minutes(5);  // the bucket is full again: 2 calls
  EXPECT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", later).ok());
  EXPECT_TRUE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", later).ok());
  EXPECT_FALSE(gate.Admit("Bearer " + kiosk, "SubmitFeedback", later).ok());
}

TEST(Gatekeeper, LimitsOpenStreamsPerTokenAndInAllAndReleasesThem) {
  TokenRegistry registry;
  AccessLimits limits;
  limits.streams_per_token = 2;
  limits.streams_total = 3;
  Gatekeeper gate(&registry, limits);
  const Principal a{.token_id = "tok_a", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  const Principal b{.token_id = "tok_b", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  absl::StatusOr<StreamSlot> a1 = gate.OpenStream(a);
  absl::StatusOr<StreamSlot> a2 = gate.OpenStream(a);
  ASSERT_TRUE(a1.ok() && a2.ok());
  EXPECT_EQ(gate.OpenStream(a).status().code(), absl::StatusCode::kResourceExhausted);
  absl::StatusOr<StreamSlot> b1 = gate.OpenStream(b);
  ASSERT_TRUE(b1.ok());
  EXPECT_EQ(gate.OpenStream(b).status().code(), absl::StatusCode::kResourceExhausted);  // total
  *a1 = StreamSlot();  // closes one of a's streams
  EXPECT_TRUE(gate.OpenStream(b).ok());
}

TEST(RateLimitFlag, ParsesRoleEqualsCallsAndRejectsNonsenseNamingTheFlag) {
  AccessLimits limits;
  ASSERT_TRUE(ParseRateLimit("kiosk=12", limits).ok());
  EXPECT_EQ(limits.calls_per_minute[v1::ROLE_KIOSK], 12);
  for (const char* bad : {"kiosk", "kiosk=-1", "kiosk=lots", "superuser=3"}) {
    absl::Status status = ParseRateLimit(bad, limits);
    EXPECT_FALSE(status.ok()) << bad;
    EXPECT_THAT(status.message(), HasSubstr("--rate-limit")) << bad;
  }
}

TEST(Listen, LoopbackAddressesAreRecognised) {
  for (const char* loopback : {"127.0.0.1:50051", "localhost:1", "[::1]:50051", "127.8.9.1:0"}) {
    EXPECT_TRUE(IsLoopbackListen(loopback)) << loopback;
  }
  for (const char* open : {"0.0.0.0:50051", "[::]:50051", "10.0.0.4:1", "feedback.example:443",
                           "127.evil.example:50051"}) {
    EXPECT_FALSE(IsLoopbackListen(open)) << open;
  }
}

}  // namespace access_test
}  // namespace
}  // namespace feedback
