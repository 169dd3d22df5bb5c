// Advocacy referrals have the same erase / purge / hold treatment as feedback, through the real
// server and feedbackctl: `admin erase ar_...` clears the advocate's reason and the child's
// exact age everywhere (the store's files included), keeps every published count and the age
// band, is audited, and refuses a replay of the creation; retention purges referrals past their
// period except those under a legal hold; child statements keep their link.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace referral_erasure_e2e_test {

using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using Stub = v1::FeedbackService::Stub;

constexpr int kExitInvalid = 3;  // client/cli_output.h

// The store compresses its table files, so a name may not appear in them verbatim even while it
// is stored. Each reason carries a random marker that compression leaves as it is: the files are
// searched for the marker.
constexpr char kMarkerA[] = "Kq8Zr3Vw";
constexpr char kMarkerB[] = "Jx5Tn2Wp";
constexpr char kMarkerC[] = "Hv4Ym7Qs";

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(60);
}

v1::CreateAdvocacyReferralRequest Referral(int child_age, absl::Time referred_at) {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id(client::NewSubmissionId());
  request.set_meeting(v1::MEETING_CLA_REVIEW);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  request.set_child_age(child_age);
  request.set_within_city_boundary(true);
  *request.mutable_referred_at() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromUnixSeconds(absl::ToUnixSeconds(referred_at))));
  return request;
}

grpc::Status Refer(Stub& stub, const v1::CreateAdvocacyReferralRequest& request,
                   v1::AdvocacyReferral* out) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.CreateAdvocacyReferral(&context, request, out);
}

grpc::Status Decide(Stub& stub, const std::string& id, const std::string& reason,
                    v1::AdvocacyReferral* out) {
  v1::UpdateAdvocacyReferralRequest request;
  request.set_id(id);
  request.set_status(v1::ADVOCACY_STATUS_NOT_PROGRESSED);
  request.set_reason(reason);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.UpdateAdvocacyReferral(&context, request, out);
}

v1::AdvocacyReferral GetReferral(Stub& stub, const std::string& id) {
  v1::GetAdvocacyReferralRequest request;
  request.set_id(id);
  v1::AdvocacyReferral out;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.GetAdvocacyReferral(&context, request, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

grpc::Status Submit(Stub& stub, const v1::Feedback& feedback, v1::SubmitFeedbackResponse* out) {
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.SubmitFeedback(&context, request, out);
}

v1::Feedback Statement(const std::string& referral_id, const std::string& text) {
  v1::Feedback statement;
  statement.set_submission_id(client::NewSubmissionId());
  statement.set_source(v1::SOURCE_ADVOCATE);
  statement.set_kind(v1::KIND_CHILD_STATEMENT);
  statement.set_meeting(v1::MEETING_CLA_REVIEW);
  statement.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  statement.set_text(text);
  statement.set_child_confirmed(true);
  statement.set_advocacy_referral_id(referral_id);
  return statement;
}

std::vector<v1::AuditEntry> Audit(Stub& stub, const std::string& action) {
  v1::ListAuditRequest request;
  request.set_action(action);
  v1::ListAuditResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.ListAudit(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.entries().begin(), response.entries().end()};
}

// Every figure of the quarters of `at`: exact (qa_manager) and published (reporter).
std::vector<v1::QuarterSummary> Figures(const ServerProcess& server,
                                        const std::vector<absl::Time>& at) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  EXPECT_OK(calendar);
  std::set<std::pair<int, int>> quarters;
  for (absl::Time t : at) {
    const Quarter q = calendar->QuarterOf(t);
    quarters.insert({q.financial_year, q.quarter});
  }
  std::vector<v1::QuarterSummary> figures;
  for (const auto& [year, quarter] : quarters) {
    figures.push_back(QuarterSummaryOf(*server.NewStub(v1::ROLE_QA_MANAGER), year, quarter));
    figures.push_back(QuarterSummaryOf(*server.NewStub(v1::ROLE_REPORTER), year, quarter));
  }
  return figures;
}

void ExpectSameFigures(const std::vector<v1::QuarterSummary>& before,
                       const std::vector<v1::QuarterSummary>& after) {
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(before[i], after[i]))
        << before[i].DebugString() << "\nvs\n"
        << after[i].DebugString();
  }
}

// Each test starts its server: one with a retention file.
using ReferralErasureE2eTest = DeferredServerTest;

TEST_F(ReferralErasureE2eTest, EraseClearsReasonAndAgeKeepsCountsAndLeavesTheFiles) {
  ASSERT_OK(StartServer());
  const std::string data = data_dir();
  auto advocate = server().NewStub(v1::ROLE_ADVOCATE);
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  const absl::Time referred_at = absl::Now() - absl::Hours(48);

  const v1::CreateAdvocacyReferralRequest request = Referral(11, referred_at);
  v1::AdvocacyReferral referral;
  grpc::Status status = Refer(*advocate, request, &referral);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string id = referral.id();
  status = Decide(*advocate, id,
                  absl::StrCat("Perpetua Wolstenholme's foster carer refused (", kMarkerA, ")"),
                  &referral);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::SubmitFeedbackResponse statement;
  status = Submit(*advocate, Statement(id, "I want to stay at my school"), &statement);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<v1::QuarterSummary> before = Figures(server(), {referred_at, absl::Now()});
  ASSERT_TRUE(AnyFileContains(data, kMarkerA));

  const CommandResult erased = Ctl({"admin", "erase", id, "--reason", "SAR 2026-080"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_THAT(erased.out, HasSubstr(id + ": erased at "));

  // What is left: no reason, no exact age; the band, the status and the rest as they were.
  const v1::AdvocacyReferral after = GetReferral(*advocate, id);
  EXPECT_EQ(after.reason(), "");
  EXPECT_EQ(after.child_age(), 0);
  EXPECT_EQ(after.age_band(), "10-15");
  EXPECT_TRUE(after.has_erased_at());
  EXPECT_EQ(after.status(), v1::ADVOCACY_STATUS_NOT_PROGRESSED);
  EXPECT_EQ(after.meeting(), v1::MEETING_CLA_REVIEW);
  // Published and exact figures do not move; the counters still match the stored referrals.
  ExpectSameFigures(before, Figures(server(), {referred_at, absl::Now()}));
  ExpectCountersConsistent(*admin);
  // Audited, with the case reference.
  const std::vector<v1::AuditEntry> entries = Audit(*admin, "referral.erase");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(entries[0].ids(), UnorderedElementsAre(id));
  EXPECT_EQ(entries[0].detail(), "SAR 2026-080");
  // Gone from every file of the store.
  EXPECT_FALSE(AnyFileContains(data, kMarkerA));

  // The advocate's tool replaying the creation cannot bring the age back; the decision cannot
  // be written again either.
  v1::AdvocacyReferral replay;
  status = Refer(*advocate, request, &replay);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("erased"));
  status = Decide(*advocate, id, "Perpetua again", &replay);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(GetReferral(*advocate, id).reason(), "");

  // The child's statement keeps its link, and another can still be given for the referral.
  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].advocacy_referral_id(), id);
  EXPECT_EQ(stored[0].text(), "I want to stay at my school");
  status = Submit(*advocate, Statement(id, "And keep my dog"), &statement);
  EXPECT_TRUE(status.ok()) << status.error_message();

  // Erasing again is harmless; an unknown referral is NOT_FOUND.
  const CommandResult again = Ctl({"--json", "admin", "erase", id, "--reason", "SAR 2026-080"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("\"referral\""));
  v1::EraseFeedbackRequest unknown;
  unknown.set_id("ar_0123456789abcdef0123456789abcdef");
  unknown.set_reason("SAR 1");
  v1::EraseFeedbackResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  status = admin->EraseFeedback(&context, unknown, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("referral"));
}

TEST_F(ReferralErasureE2eTest, PurgeErasesReferralsPastRetentionExceptHeldOnes) {
  ASSERT_OK(StartServer({.files = {{"--retention", "# test period\nreferral 30\n"}}}));
  const std::string data = data_dir();
  auto advocate = server().NewStub(v1::ROLE_ADVOCATE);
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  const absl::Time old_at = absl::Now() - absl::Hours(24 * 40);
  const absl::Time recent_at = absl::Now() - absl::Hours(24);

  auto refer = [&](int age, absl::Time at, const std::string& reason) {
    v1::AdvocacyReferral referral;
    grpc::Status status = Refer(*advocate, Referral(age, at), &referral);
    EXPECT_TRUE(status.ok()) << status.error_message();
    status = Decide(*advocate, referral.id(), reason, &referral);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return referral.id();
  };
  const std::string old_reason = absl::StrCat("Barnabas Quickenden left (", kMarkerA, ")");
  const std::string held_reason = absl::StrCat("Clementine Pryce is in hospital (", kMarkerB, ")");
  const std::string recent_reason = absl::StrCat("Demelza Trevithick will wait (", kMarkerC, ")");
  const std::string old = refer(8, old_at, old_reason);
  const std::string held = refer(16, old_at, held_reason);
  const std::string recent = refer(12, recent_at, recent_reason);
  const std::vector<v1::QuarterSummary> before = Figures(server(), {old_at, recent_at});

  CommandResult result = Ctl({"admin", "hold", "set", held, "--reason", "Claim 2026-9"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Ctl({"admin", "hold", "list"});
  EXPECT_THAT(result.out, HasSubstr(held));
  EXPECT_EQ(Audit(*admin, "legal_hold.set").size(), 1u);
  // A held referral cannot be erased.
  result = Ctl({"admin", "erase", held, "--reason", "SAR 2026-081"});
  EXPECT_EQ(result.exit_code, kExitInvalid);
  EXPECT_THAT(result.err, HasSubstr("legal hold"));

  result = Ctl({"admin", "purge", "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("would erase " + old));
  EXPECT_THAT(result.out, HasSubstr("held       " + held));
  EXPECT_THAT(result.out, Not(HasSubstr(recent)));
  EXPECT_EQ(GetReferral(*advocate, old).reason(), old_reason);

  result = Ctl({"admin", "purge"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("erased " + old));
  EXPECT_THAT(result.out, HasSubstr("1 erased, 1 held"));
  const v1::AdvocacyReferral purged = GetReferral(*advocate, old);
  EXPECT_EQ(purged.reason(), "");
  EXPECT_EQ(purged.child_age(), 0);
  EXPECT_EQ(purged.age_band(), "5-9");
  EXPECT_TRUE(purged.has_erased_at());
  EXPECT_EQ(GetReferral(*advocate, held).child_age(), 16);
  EXPECT_EQ(GetReferral(*advocate, recent).reason(), recent_reason);
  EXPECT_EQ(GetReferral(*advocate, held).reason(), held_reason);
  EXPECT_FALSE(AnyFileContains(data, kMarkerA));
  EXPECT_TRUE(AnyFileContains(data, kMarkerB));  // held: still stored, and found by the search
  EXPECT_TRUE(AnyFileContains(data, kMarkerC));
  ExpectSameFigures(before, Figures(server(), {old_at, recent_at}));
  ExpectCountersConsistent(*admin);
  const std::vector<v1::AuditEntry> purges = Audit(*admin, "retention.purge");
  ASSERT_EQ(purges.size(), 1u);
  EXPECT_THAT(purges[0].ids(), UnorderedElementsAre(old));

  // Released, the held referral goes at the next purge.
  result = Ctl({"admin", "hold", "release", held});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Ctl({"admin", "purge"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("erased " + held));
  EXPECT_EQ(GetReferral(*advocate, held).reason(), "");
  EXPECT_EQ(GetReferral(*advocate, held).age_band(), "16-17");
  EXPECT_FALSE(AnyFileContains(data, kMarkerB));
  ExpectSameFigures(before, Figures(server(), {old_at, recent_at}));
}

}  // namespace referral_erasure_e2e_test
}  // namespace
}  // namespace feedback::testing
