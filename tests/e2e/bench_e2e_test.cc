// `feedbackctl bench` against the real feedbackd: every call it counts is one the server
// answered (submissions are stored, once each), its figures hang together, failed calls are
// counted by code, and --ceilings measures the echo and group-commit ceilings through
// `feedbackd ceilings` in the same run, and --http the HTTP door beside the gRPC door.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace bench_e2e_test {

using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::HasSubstr;
using ::testing::Not;

Struct ParseJson(const std::string& text) {
  Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text, &parsed).ok()) << text;
  return parsed;
}

double Number(const Struct& object, const std::string& key) {
  const auto found = object.fields().find(key);
  EXPECT_NE(found, object.fields().end()) << "no \"" << key << "\"";
  return found == object.fields().end() ? -1 : found->second.number_value();
}

const Struct& Object(const Struct& object, const std::string& key) {
  static const Struct kEmpty;
  const auto found = object.fields().find(key);
  EXPECT_NE(found, object.fields().end()) << "no \"" << key << "\"";
  return found == object.fields().end() ? kEmpty : found->second.struct_value();
}

// The figures of one measured server: every call answered, percentiles in order.
void ExpectConsistentFigures(const Struct& figures, int calls) {
  EXPECT_EQ(Number(figures, "calls"), calls);
  EXPECT_EQ(Number(figures, "errors"), 0);
  EXPECT_GT(Number(figures, "throughput_per_s"), 0);
  EXPECT_GT(Number(figures, "p50_ms"), 0);
  EXPECT_LE(Number(figures, "p50_ms"), Number(figures, "p90_ms"));
  EXPECT_LE(Number(figures, "p90_ms"), Number(figures, "p99_ms"));
  EXPECT_LE(Number(figures, "p99_ms"), Number(figures, "p999_ms"));
  // Throughput is the calls over the run's time.
  EXPECT_NEAR(Number(figures, "throughput_per_s") * Number(figures, "seconds"), calls, 1);
}

int StoredItems(v1::FeedbackService::Stub& stub) {
  int stored = 0;
  v1::ListFeedbackRequest request;
  request.set_page_size(500);
  for (;;) {
    v1::ListFeedbackResponse page;
    grpc::ClientContext context;
    const grpc::Status status = stub.ListFeedback(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return -1;
    stored += page.feedback_size();
    if (page.next_page_token().empty()) return stored;
    request.set_page_token(page.next_page_token());
  }
}

using BenchTest = ServerTest;

TEST_F(BenchTest, SubmitStoresEveryCallItCountsOnce) {
  const CommandResult run =
      Ctl({"bench", "--mode", "submit", "--concurrency", "16", "--count", "300", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Struct result = ParseJson(run.out);
  ExpectConsistentFigures(result, 300);
  EXPECT_EQ(Number(result, "concurrency"), 16);
  EXPECT_EQ(result.fields().at("mode").string_value(), "submit");
  EXPECT_EQ(StoredItems(stub()), 300);
}

// --warmup calls are made first and stored, but not counted in the figures.
TEST_F(BenchTest, WarmUpCallsAreMadeButNotCounted) {
  const CommandResult run = Ctl({"bench", "--mode", "submit", "--concurrency", "8", "--count",
                                 "120", "--warmup", "50", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ExpectConsistentFigures(ParseJson(run.out), 120);
  EXPECT_EQ(StoredItems(stub()), 120 + 50);
}

TEST_F(BenchTest, EveryReadingModeRunsOnWhatWasSubmitted) {
  ASSERT_EQ(Ctl({"bench", "--count", "40"}).exit_code, 0);
  for (const std::string mode : {"get", "list", "summary", "mix"}) {
    const CommandResult run =
        Ctl({"bench", "--mode", mode, "--concurrency", "4", "--count", "50", "--json"});
    ASSERT_EQ(run.exit_code, 0) << mode << ": " << run.err;
    ExpectConsistentFigures(ParseJson(run.out), 50);
  }
  // The mix submitted 7 in every 10 of its calls; the reads stored nothing.
  EXPECT_EQ(StoredItems(stub()), 40 + 35);
}

// With --tag, each list call reads only items with that tag: the ids each call read (audited)
// are the first page of those items, though most stored items lack the tag.
TEST_F(BenchTest, ListWithATagReadsOnlyTheItemsThatHaveIt) {
  ASSERT_EQ(Ctl({"bench", "--count", "40"}).exit_code, 0);  // half compliments, half comments
  const CommandResult run =
      Ctl({"bench", "--mode", "list", "--tag", "compliment", "--count", "3", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ExpectConsistentFigures(ParseJson(run.out), 3);

  auto admin = server().NewStub(v1::ROLE_ADMIN);
  v1::ListAuditRequest audit_request;
  audit_request.set_action("feedback.list");
  v1::ListAuditResponse audited;
  grpc::ClientContext audit_context;
  ASSERT_TRUE(admin->ListAudit(&audit_context, audit_request, &audited).ok());
  ASSERT_EQ(audited.entries_size(), 3);

  v1::ListFeedbackRequest compliments;
  compliments.set_tag("compliment");
  compliments.set_page_size(500);
  v1::ListFeedbackResponse listed;
  grpc::ClientContext list_context;
  ASSERT_TRUE(stub().ListFeedback(&list_context, compliments, &listed).ok());
  std::vector<std::string> expected;
  for (const v1::Feedback& item : listed.feedback()) expected.push_back(item.id());
  ASSERT_THAT(expected, ::testing::SizeIs(20));
  for (const v1::AuditEntry& entry : audited.entries()) {
    EXPECT_THAT(entry.ids(), ::testing::ElementsAreArray(expected));
  }
  // The table says which list it measured, the tag shown as text even if it holds escapes.
  const CommandResult table =
      Ctl({"bench", "--mode", "list", "--tag", "compliment\x1b[2J", "--count", "2"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("2 list calls of items tagged compliment\\u001b[2J, 16 in"));
}

TEST_F(BenchTest, ATagForCallsThatDoNotListIsAUsageError) {
  const CommandResult run = Ctl({"bench", "--mode", "submit", "--tag", "compliment"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--tag"));
  EXPECT_EQ(StoredItems(stub()), 0);
}

TEST_F(BenchTest, ATableForPeopleWithErrorsNamed) {
  const CommandResult run = Ctl({"bench", "--count", "20", "--concurrency", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("20 submit calls, 2 in flight"));
  EXPECT_THAT(run.out, HasSubstr("calls/s"));
  EXPECT_THAT(run.out, HasSubstr("p99.9 ms"));
  EXPECT_THAT(run.out, ::testing::ContainsRegex("feedbackd +[0-9]+ .* none\n"));
}

TEST_F(BenchTest, GetOnAnEmptyStoreSaysWhatToRunFirst) {
  const CommandResult run = Ctl({"bench", "--mode", "get", "--count", "10"});
  EXPECT_EQ(run.exit_code, 3) << run.err;  // FAILED_PRECONDITION
  EXPECT_THAT(run.err, HasSubstr("--mode submit"));
}

TEST_F(BenchTest, AnUnknownModeIsAUsageErrorNamingTheFlag) {
  const CommandResult run = Ctl({"bench", "--mode", "write"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--mode"));
  EXPECT_THAT(run.err, HasSubstr("submit, get, list, summary, mix"));
}

using BenchErrorsTest = DeferredServerTest;

TEST_F(BenchErrorsTest, RefusedCallsAreCountedByCode) {
  // The kiosk's token is limited; the staff who count what was stored are not.
  ASSERT_OK(StartServer({.flags = {"--rate-limit", "kiosk=30"}}));
  const CommandResult run =
      Ctl(v1::ROLE_KIOSK, {"bench", "--count", "80", "--concurrency", "4", "--json"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("RESOURCE_EXHAUSTED"));
  // What the server said is shown once, with how to measure without the limit.
  EXPECT_THAT(
      run.err,
      HasSubstr("RESOURCE_EXHAUSTED: rate limit: a kiosk token may make 30 calls a minute"));
  EXPECT_THAT(run.err, HasSubstr("to measure, start a test server with --rate-limit ROLE=0"));
  const Struct result = ParseJson(run.out);
  const double refused = Number(Object(result, "errors_by_code"), "RESOURCE_EXHAUSTED");
  EXPECT_GT(refused, 0);
  EXPECT_EQ(Number(result, "errors"), refused);
  // Every call was either stored or refused.
  EXPECT_EQ(StoredItems(stub()) + refused, 80);
}

TEST_F(BenchTest, CeilingsRunInTheSameRunAndGiveRatios) {
  const CommandResult run =
      Ctl({"bench", "--count", "200", "--concurrency", "8", "--ceilings", "--feedbackd",
           FEEDBACKD_PATH, "--ceilings-dir", dir().path().string(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Struct result = ParseJson(run.out);
  ExpectConsistentFigures(result, 200);
  const Struct& ceilings = Object(result, "ceilings");
  ExpectConsistentFigures(Object(ceilings, "echo"), 200);
  ExpectConsistentFigures(Object(ceilings, "commit"), 200);
  const Struct& ratios = Object(result, "ratios");
  EXPECT_NEAR(
      Number(ratios, "throughput_to_echo"),
      Number(result, "throughput_per_s") / Number(Object(ceilings, "echo"), "throughput_per_s"),
      0.01);
  // The throughput target's measure: against whichever ceiling answered fewer calls a second.
  const double lower_ceiling = std::min(Number(Object(ceilings, "echo"), "throughput_per_s"),
                                        Number(Object(ceilings, "commit"), "throughput_per_s"));
  EXPECT_NEAR(Number(ratios, "throughput_to_min_ceiling"),
              Number(result, "throughput_per_s") / lower_ceiling, 0.01);
  EXPECT_GT(Number(ratios, "p99_to_commit"), 0);
  // A run of one round is that round: nothing by round.
  EXPECT_FALSE(result.fields().contains("by_round"));
  EXPECT_FALSE(result.fields().contains("ratio_medians"));
  // Only feedbackd stored the submissions; the ceiling's own store is gone with its process.
  EXPECT_EQ(StoredItems(stub()), 200);
  for (const auto& entry : std::filesystem::directory_iterator(dir().path())) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(HasSubstr("feedbackctl-bench")));
  }
}

// --rounds measures every server again and again, alternating which goes first: the figures at
// the top are all the rounds pooled, each round's are kept, and each ratio's median is the
// median of the rounds' own.
TEST_F(BenchTest, RoundsAlternateTheServersAndGiveEachRatiosMedian) {
  const CommandResult run =
      Ctl({"bench", "--count", "60", "--concurrency", "4", "--rounds", "3", "--ceilings",
           "--feedbackd", FEEDBACKD_PATH, "--ceilings-dir", dir().path().string(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Struct result = ParseJson(run.out);
  ExpectConsistentFigures(result, 180);
  ExpectConsistentFigures(Object(Object(result, "ceilings"), "commit"), 180);
  EXPECT_EQ(Number(result, "rounds"), 3);
  const auto& by_round = result.fields().at("by_round").list_value().values();
  ASSERT_EQ(by_round.size(), 3);
  double seconds = 0;
  std::vector<double> to_lower;
  for (const Value& round : by_round) {
    ExpectConsistentFigures(round.struct_value(), 60);
    ExpectConsistentFigures(Object(Object(round.struct_value(), "ceilings"), "echo"), 60);
    seconds += Number(round.struct_value(), "seconds");
    to_lower.push_back(Number(Object(round.struct_value(), "ratios"), "throughput_to_min_ceiling"));
  }
  EXPECT_NEAR(Number(result, "seconds"), seconds, 1e-5);  // the pooled run is the rounds' time
  std::sort(to_lower.begin(), to_lower.end());
  EXPECT_NEAR(Number(Object(result, "ratio_medians"), "throughput_to_min_ceiling"), to_lower[1],
              0.001);
  EXPECT_EQ(StoredItems(stub()), 180);  // every round's submissions, each once

  const CommandResult table =
      Ctl({"bench", "--count", "20", "--concurrency", "2", "--rounds", "2"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("in each of 2 rounds"));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("\n  1 +[0-9]+\n  2 +[0-9]+\n  median +[0-9]+"));
}

TEST_F(BenchTest, CeilingsWithoutTheServerBinarySayHowToNameIt) {
  const CommandResult run =
      Ctl({"bench", "--count", "5", "--ceilings", "--feedbackd", dir().Sub("no-such-feedbackd")});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("--feedbackd"));
  EXPECT_EQ(StoredItems(stub()), 0);  // found before any load was sent
}

// A feedbackd whose HTTP door is open too, for --http.
class BenchHttpTest : public ServerTest {
 protected:
  BenchHttpTest() : ServerTest({.flags = {"--http-listen", "127.0.0.1:0"}}) {}
};

TEST_F(BenchHttpTest, TheHttpDoorIsMeasuredBesideGrpcWithTheSameLoad) {
  const CommandResult run = Ctl({"bench", "--count", "150", "--concurrency", "8", "--http",
                                 server().http_address(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Struct result = ParseJson(run.out);
  ExpectConsistentFigures(result, 150);
  const Struct& http = Object(result, "http");
  ExpectConsistentFigures(http, 150);
  const Struct& ratios = Object(result, "ratios");
  EXPECT_NEAR(Number(ratios, "http_to_grpc"),
              Number(http, "throughput_per_s") / Number(result, "throughput_per_s"), 0.01);
  EXPECT_NEAR(Number(ratios, "http_p99_to_grpc"), Number(http, "p99_ms") / Number(result, "p99_ms"),
              0.01);
  // Each door stored its own submissions, every one once.
  EXPECT_EQ(StoredItems(stub()), 300);

  const CommandResult table =
      Ctl({"bench", "--count", "20", "--concurrency", "2", "--http", server().http_address()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr(absl::StrCat("then to ", server().http_address(), " (HTTP)")));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("http door +[0-9]+ .* none\n"));
  EXPECT_THAT(table.out, HasSubstr("Through the HTTP door feedbackd answered"));
}

// With --rounds the HTTP door is measured in every round too, with its ratio's median.
TEST_F(BenchHttpTest, RoundsMeasureTheHttpDoorEveryRound) {
  const CommandResult run = Ctl({"bench", "--count", "30", "--concurrency", "3", "--rounds", "2",
                                 "--http", server().http_address(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Struct result = ParseJson(run.out);
  ExpectConsistentFigures(Object(result, "http"), 60);
  std::vector<double> to_grpc;
  for (const Value& round : result.fields().at("by_round").list_value().values()) {
    ExpectConsistentFigures(Object(round.struct_value(), "http"), 30);
    to_grpc.push_back(Number(Object(round.struct_value(), "ratios"), "http_to_grpc"));
  }
  ASSERT_EQ(to_grpc.size(), 2);
  EXPECT_NEAR(Number(Object(result, "ratio_medians"), "http_to_grpc"),
              (to_grpc[0] + to_grpc[1]) / 2, 0.002);
  EXPECT_EQ(StoredItems(stub()), 120);  // two doors, two rounds, 30 calls each
}

// The HTTP door's refusals are counted under the gRPC code they stand for, as gRPC's are.
TEST_F(BenchHttpTest, RefusalsThroughTheHttpDoorAreCountedByCode) {
  // A reporter reads summaries and may not submit, through either door.
  const CommandResult run = Ctl(v1::ROLE_REPORTER, {"bench", "--count", "30", "--concurrency", "3",
                                                    "--http", server().http_address(), "--json"});
  EXPECT_EQ(run.exit_code, 1);
  // Each door's count is followed by what that door said.
  EXPECT_THAT(run.err, HasSubstr("30 of 30 calls to feedbackd through the HTTP door failed "
                                 "(PERMISSION_DENIED 30)\nfeedbackctl:   PERMISSION_DENIED: a "
                                 "reporter token may not call SubmitFeedback\n"));
  EXPECT_THAT(run.err, Not(HasSubstr("--rate-limit")));  // no limit was what refused them
  const Struct result = ParseJson(run.out);
  EXPECT_EQ(Number(Object(result, "errors_by_code"), "PERMISSION_DENIED"), 30);
  EXPECT_EQ(Number(Object(Object(result, "http"), "errors_by_code"), "PERMISSION_DENIED"), 30);
  EXPECT_EQ(StoredItems(stub()), 0);
}

// The bench speaks plain HTTP, so it sends the token only to a door on this machine; and it
// measures the door with submissions only. Either mistake is found before any call is made.
TEST_F(BenchHttpTest, OnlyAnHttpDoorOnThisMachineAndOnlyForSubmissions) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"bench", "--count", "5", "--http", "192.0.2.10:8080"},
           {"bench", "--count", "5", "--http", "no-port"},
           {"bench", "--count", "5", "--mode", "summary", "--http", server().http_address()},
       }) {
    const CommandResult run = Ctl(args);
    EXPECT_EQ(run.exit_code, 2) << args.back() << ": " << run.err;
    EXPECT_THAT(run.err, HasSubstr("--http")) << args.back();
  }
  EXPECT_THAT(Ctl({"bench", "--count", "5", "--http", "192.0.2.10:8080"}).err,
              HasSubstr("is not on this machine"));
  EXPECT_EQ(StoredItems(stub()), 0);
}

}  // namespace bench_e2e_test
}  // namespace
}  // namespace feedback::testing
