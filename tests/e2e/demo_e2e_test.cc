// End-to-end: `feedbackctl demo load` against a real feedbackd puts the seed dataset
// (client/demo/seed_dataset.h) into a fresh store: its planned figures for 2018-19 Q2-Q4, the
// seed's quotes approved, every token it issued revoked; a store that holds records, or a token
// that is not an admin's, is refused and nothing is written.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/seed_dataset.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace demo_e2e_test {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using Stub = v1::FeedbackService::Stub;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

// The figures the seed plans (see SeedDataset::Planned): the summary without the unplanned ones.
v1::QuarterSummary PlannedPart(v1::QuarterSummary summary) {
  summary.clear_tags();
  summary.clear_qa_themes();
  summary.clear_oversight_strengths();
  summary.clear_oversight_areas_for_development();
  summary.clear_previous_quarter();
  return summary;
}

std::string Differences(const google::protobuf::Message& want,
                        const google::protobuf::Message& got) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  return differencer.Compare(want, got) ? "" : report;
}

int64_t RecordsIn(Stub& admin) {
  v1::VerifyCountersResponse response;
  const grpc::Status status =
      admin.VerifyCounters(Context().get(), v1::VerifyCountersRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.records_examined();
}

// Every token ever issued, revoked ones too.
std::vector<v1::Token> Tokens(Stub& admin) {
  v1::ListTokensRequest request;
  request.set_include_revoked(true);
  v1::ListTokensResponse response;
  const grpc::Status status = admin.ListTokens(Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.tokens().begin(), response.tokens().end()};
}

class DemoLoadEndToEnd : public ServerTest {
 protected:
  CommandResult DemoLoad(v1::Role role, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"demo", "load"};
    args.insert(args.end(), more.begin(), more.end());
    return RunCommand(server().Ctl(role, args));
  }
};

TEST_F(DemoLoadEndToEnd, LoadsTheSeedsPlannedQuartersAndRefusesASecondLoad) {
  const size_t tokens_before = Tokens(stub(v1::ROLE_ADMIN)).size();
  const CommandResult loaded = DemoLoad(v1::ROLE_ADMIN);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  EXPECT_THAT(loaded.err, HasSubstr("demo: advocacy referrals"));
  EXPECT_THAT(loaded.out, HasSubstr("demo: loaded 2018-19 Q2-Q4"));
  EXPECT_THAT(loaded.out, HasSubstr("next: feedbackctl report --quarter 2018-19Q3"));

  // The planned figures: the same generator, run on a store of the test's own.
  absl::StatusOr<std::unique_ptr<ServerProcess>> other = StartOtherServer("planned");
  ASSERT_OK(other);
  absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(**other);
  ASSERT_OK(seed);
  for (int quarter : {2, 3, 4}) {
    SCOPED_TRACE(quarter);
    const v1::QuarterSummary got =
        PlannedPart(QuarterSummaryOf(stub(v1::ROLE_QA_MANAGER), 2018, quarter));
    EXPECT_EQ(Differences(seed->Planned(2018, quarter), got), "");
  }
  EXPECT_EQ(QuarterSummaryOf(stub(v1::ROLE_QA_MANAGER), 2018, 3).complaints_received(), 26);
  ExpectCountersConsistent(stub(v1::ROLE_ADMIN));

  // The seed's quotes are approved: a reporter sees every one of them.
  v1::ListQuotesRequest quotes;
  quotes.set_financial_year(2018);
  quotes.set_quarter(3);
  v1::ListQuotesResponse approved;
  ASSERT_TRUE(stub(v1::ROLE_REPORTER).ListQuotes(Context().get(), quotes, &approved).ok());
  EXPECT_EQ(static_cast<size_t>(approved.quotes_size()), seed->quote_ids.size());

  // Every token the load issued is revoked.
  const std::vector<v1::Token> tokens = Tokens(stub(v1::ROLE_ADMIN));
  ASSERT_GT(tokens.size(), tokens_before);
  for (const v1::Token& token : tokens) {
    if (token.device_name() != "feedbackctl demo load") continue;
    EXPECT_TRUE(token.has_revoked_at()) << token.id();
  }

  // A second load is refused, and writes nothing: no record, no token.
  const int64_t records = RecordsIn(stub(v1::ROLE_ADMIN));
  const CommandResult again = DemoLoad(v1::ROLE_ADMIN);
  EXPECT_EQ(again.exit_code, 3) << again.out << again.err;  // kExitInvalid: FAILED_PRECONDITION
  EXPECT_THAT(again.err, HasSubstr("already holds"));
  EXPECT_THAT(again.err, HasSubstr("nothing was written"));
  EXPECT_THAT(again.out, IsEmpty());
  EXPECT_EQ(RecordsIn(stub(v1::ROLE_ADMIN)), records);
  EXPECT_EQ(Tokens(stub(v1::ROLE_ADMIN)).size(), tokens.size());
}

TEST_F(DemoLoadEndToEnd, ANonAdminTokenIsRefusedAndNothingIsWritten) {
  for (v1::Role role : {v1::ROLE_QA_MANAGER, v1::ROLE_REPORTER}) {
    SCOPED_TRACE(v1::Role_Name(role));
    const CommandResult refused = DemoLoad(role);
    EXPECT_EQ(refused.exit_code, 7) << refused.out << refused.err;  // kExitDenied
    EXPECT_THAT(refused.err, HasSubstr("PERMISSION_DENIED"));
  }
  EXPECT_EQ(RecordsIn(stub(v1::ROLE_ADMIN)), 0);
}

TEST_F(DemoLoadEndToEnd, JsonGivesAMachineReadableSummary) {
  const CommandResult loaded = DemoLoad(v1::ROLE_ADMIN, {"--json"});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  google::protobuf::Struct summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(loaded.out, &summary).ok()) << loaded.out;
  const auto& fields = summary.fields();
  ASSERT_TRUE(fields.contains("feedback"));
  EXPECT_EQ(static_cast<int64_t>(fields.at("feedback").number_value()),
            static_cast<int64_t>(ListAllFeedback(server()).size()));
  ASSERT_TRUE(fields.contains("next"));
  EXPECT_EQ(fields.at("next").string_value(), "feedbackctl report --quarter 2018-19Q3");
}

}  // namespace demo_e2e_test
}  // namespace
}  // namespace feedback::testing
