// End-to-end: small-number suppression of published figures (docs/disclosure.md) through the
// real feedbackd and feedbackctl. Children referred for advocacy at CLA reviews in 2018-19 Q3:
// 3 aged 5-9 and 12 aged 10-15, so the 5-9 band is a small number and, with the meeting's
// total of 15 published, the 10-15 band would give it away and is withheld too.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace disclosure_e2e_test {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using Stub = v1::FeedbackService::Stub;

constexpr char kBand59[] = "advocacy.MEETING_CLA_REVIEW.age_band.5-9";
constexpr char kBand1015[] = "advocacy.MEETING_CLA_REVIEW.age_band.10-15";
constexpr char kBand1617[] = "advocacy.MEETING_CLA_REVIEW.age_band.16-17";

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

grpc::Status Refer(Stub& stub, v1::Meeting meeting, int child_age, const std::string& at) {
  v1::CreateAdvocacyReferralRequest request;
  request.set_submission_id(client::NewSubmissionId());
  request.set_meeting(meeting);
  request.set_child_age(child_age);
  request.set_within_city_boundary(true);
  request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  if (!google::protobuf::util::TimeUtil::FromString(at, request.mutable_referred_at())) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad time " + at);
  }
  v1::AdvocacyReferral referral;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.CreateAdvocacyReferral(&context, request, &referral);
}

absl::StatusOr<v1::QuarterSummary> Summary(Stub& stub, bool published) {
  v1::GetQuarterSummaryRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  request.set_published(published);
  v1::QuarterSummary summary;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.GetQuarterSummary(&context, request, &summary);
  if (!status.ok()) return client::FromGrpcStatus(status);
  return summary;
}

// A meeting's age bands as {band: referrals}.
std::map<std::string, int64_t> BandsOf(const v1::QuarterSummary& summary, v1::Meeting meeting) {
  std::map<std::string, int64_t> bands;
  for (const v1::AdvocacyFigures& a : summary.advocacy()) {
    if (a.meeting() != meeting) continue;
    for (const v1::AgeBandCount& band : a.age_bands()) bands[band.band()] = band.referrals();
  }
  return bands;
}

int64_t ReferralsOf(const v1::QuarterSummary& summary, v1::Meeting meeting) {
  for (const v1::AdvocacyFigures& a : summary.advocacy()) {
    if (a.meeting() == meeting) return a.referrals();
  }
  return -1;
}

// One server holding the referrals, shared by the tests (they only read).
class DisclosureEndToEnd : public SharedServerSuite {
 protected:
  static void SetUpTestSuite() {
    SharedServerSuite::SetUpTestSuite();
    std::vector<std::pair<int, int>> q3_cla = {{7, 3}, {12, 12}};  // {age, how many}
    auto refer = [&](v1::Meeting meeting, int age, int count, const std::string& at) {
      for (int i = 0; i < count && suite_status().ok(); ++i) {
        const grpc::Status status = Refer(stub(), meeting, age, at);
        if (!status.ok()) FailSuite(client::FromGrpcStatus(status));
      }
    };
    for (const auto& [age, count] : q3_cla) {
      refer(v1::MEETING_CLA_REVIEW, age, count, "2018-11-05T10:00:00Z");
    }
    refer(v1::MEETING_INITIAL_CP_CONFERENCE, 14, 20, "2018-12-03T10:00:00Z");
    // The quarter before: 2 aged 16 and 9 aged 13 at CLA reviews.
    refer(v1::MEETING_CLA_REVIEW, 16, 2, "2018-08-01T10:00:00Z");
    refer(v1::MEETING_CLA_REVIEW, 13, 9, "2018-08-01T10:00:00Z");
  }
};

TEST_F(DisclosureEndToEnd, AReporterGetsSmallAgeBandsWithheldWithSecondarySuppression) {
  std::unique_ptr<Stub> reporter = server().NewStub(v1::ROLE_REPORTER);
  // A reporter gets the published form whether or not it asks for it.
  for (bool published : {false, true}) {
    absl::StatusOr<v1::QuarterSummary> summary = Summary(*reporter, published);
    ASSERT_OK(summary);
    EXPECT_THAT(summary->suppressed(), UnorderedElementsAre(kBand59, kBand1015));
    const std::map<std::string, int64_t> cla = BandsOf(*summary, v1::MEETING_CLA_REVIEW);
    EXPECT_EQ(cla.at("5-9"), 0);
    EXPECT_EQ(cla.at("10-15"), 0);
    EXPECT_EQ(cla.at("0-4"), 0);
    // The headline figure stays: 15 referrals, shared by two withheld bands.
    EXPECT_EQ(ReferralsOf(*summary, v1::MEETING_CLA_REVIEW), 15);
    // A band of 20 with nothing small beside it is shown.
    EXPECT_EQ(BandsOf(*summary, v1::MEETING_INITIAL_CP_CONFERENCE).at("10-15"), 20);
    EXPECT_EQ(ReferralsOf(*summary, v1::MEETING_INITIAL_CP_CONFERENCE), 20);
    // The previous quarter is published the same way.
    EXPECT_THAT(summary->previous_quarter().suppressed(),
                UnorderedElementsAre(kBand1617, kBand1015));
    EXPECT_EQ(ReferralsOf(summary->previous_quarter(), v1::MEETING_CLA_REVIEW), 11);
  }
}

TEST_F(DisclosureEndToEnd, AQaManagerSeesExactCountsUnlessAskingForThePublishedForm) {
  std::unique_ptr<Stub> qa = server().NewStub(v1::ROLE_QA_MANAGER);
  absl::StatusOr<v1::QuarterSummary> exact = Summary(*qa, /*published=*/false);
  ASSERT_OK(exact);
  EXPECT_THAT(exact->suppressed(), IsEmpty());
  EXPECT_EQ(BandsOf(*exact, v1::MEETING_CLA_REVIEW).at("5-9"), 3);
  EXPECT_EQ(BandsOf(*exact, v1::MEETING_CLA_REVIEW).at("10-15"), 12);
  EXPECT_THAT(exact->previous_quarter().suppressed(), IsEmpty());
  EXPECT_EQ(BandsOf(exact->previous_quarter(), v1::MEETING_CLA_REVIEW).at("16-17"), 2);

  absl::StatusOr<v1::QuarterSummary> published = Summary(*qa, /*published=*/true);
  ASSERT_OK(published);
  EXPECT_THAT(published->suppressed(), UnorderedElementsAre(kBand59, kBand1015));
  EXPECT_EQ(BandsOf(*published, v1::MEETING_CLA_REVIEW).at("5-9"), 0);
}

TEST_F(DisclosureEndToEnd, ReportShowsWithheldBandsAsCUnlessAQaManagerAsksForExact) {
  const CommandResult md =
      Ctl(v1::ROLE_QA_MANAGER, {"report", "--quarter", "2018-19Q3", "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("| Children Looked After | 0 | c | c | 0 | 0 |"));
  EXPECT_THAT(md.out, HasSubstr("| Initial Child Protection Conference | 0 | 0 | 20 | 0 | 0 |"));
  EXPECT_THAT(md.out, HasSubstr("c: withheld"));
  EXPECT_THAT(md.out, HasSubstr("Advocacy for Children Looked After \xE2\x80\x93 15 Referrals"));

  const CommandResult exact =
      Ctl(v1::ROLE_QA_MANAGER, {"report", "--quarter", "2018-19Q3", "--format", "md", "--exact"});
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  EXPECT_THAT(exact.out, HasSubstr("| Children Looked After | 0 | 3 | 12 | 0 | 0 |"));
  EXPECT_THAT(exact.out, Not(HasSubstr("c: withheld")));

  const CommandResult csv =
      Ctl(v1::ROLE_QA_MANAGER, {"report", "--quarter", "2018-19Q3", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::map<std::string, std::string> bands;  // measure -> value
  for (const std::vector<std::string>& row : ParseCsv(csv.out)) {
    if (row.size() > 7 && row[4] == "age_band") bands[row[5]] = row[7];
  }
  EXPECT_EQ(bands["advocacy_cla_review_age_5_9"], "c");
  EXPECT_EQ(bands["advocacy_cla_review_age_10_15"], "c");
  EXPECT_EQ(bands["advocacy_cla_review_age_16_17"], "0");
  EXPECT_EQ(bands["advocacy_initial_cp_conference_age_10_15"], "20");
}

TEST_F(DisclosureEndToEnd, SummaryCommandShowsCForAReporter) {
  const CommandResult summary = Ctl({"summary", "--quarter", "2018-19Q3"});
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_THAT(summary.out, HasSubstr("5-9: c, 10-15: c"));
  const CommandResult exact = Ctl(v1::ROLE_QA_MANAGER, {"summary", "--quarter", "2018-19Q3"});
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  EXPECT_THAT(exact.out, HasSubstr("5-9: 3, 10-15: 12"));
}

TEST_F(DisclosureEndToEnd, CountersStayConsistentWithTheReferrals) {
  std::unique_ptr<Stub> staff = server().NewStub();
  v1::VerifyCountersResponse verify;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = staff->VerifyCounters(&context, v1::VerifyCountersRequest(), &verify);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(verify.differences_size(), 0) << verify.DebugString();
  EXPECT_EQ(verify.records_examined(), 3 + 12 + 20 + 2 + 9);
  const CommandResult cli = Ctl({"admin", "verify"});
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_THAT(cli.out, HasSubstr(": 0 differences"));
}

using DisclosurePolicyEndToEnd = DeferredServerTest;

TEST_F(DisclosurePolicyEndToEnd, APolicyFileChangesWhatIsWithheldAndABadOneStopsTheServer) {
  const std::string policy = FileFor("--disclosure-policy");
  absl::StatusOr<std::unique_ptr<ServerProcess>> bad = StartOtherServer(
      "bad", {.files = {{"--disclosure-policy",
                         "# this authority publishes age bands\nshow advocacy.age_band\n"
                         "suppress advocacy.ages\n"}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr(absl::StrCat(policy, ":3: ")));

  ASSERT_OK(StartServer({.files = {{"--disclosure-policy",
                                    "# this authority publishes age bands\n"
                                    "show advocacy.age_band\n"}}}));
  ASSERT_TRUE(Refer(stub(), v1::MEETING_CLA_REVIEW, 7, "2018-11-05T10:00:00Z").ok());
  absl::StatusOr<v1::QuarterSummary> summary = Summary(stub(v1::ROLE_REPORTER), /*published=*/true);
  ASSERT_OK(summary);
  EXPECT_THAT(summary->suppressed(), IsEmpty());
  EXPECT_EQ(BandsOf(*summary, v1::MEETING_CLA_REVIEW).at("5-9"), 1);
}

}  // namespace disclosure_e2e_test
}  // namespace
}  // namespace feedback::testing
