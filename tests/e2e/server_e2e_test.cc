// Black-box tests of the real feedbackd over a real gRPC channel.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace server_e2e_test {

v1::Feedback Compliment(const std::string& submission_id, const std::string& text) {
  v1::Feedback feedback;
  feedback.set_submission_id(submission_id);
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  feedback.set_text(text);
  return feedback;
}

grpc::Status Submit(v1::FeedbackService::Stub& stub, const v1::Feedback& feedback,
                    v1::SubmitFeedbackResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  return stub.SubmitFeedback(&context, request, response);
}

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

google::protobuf::Timestamp At(const std::string& rfc3339) {
  google::protobuf::Timestamp at;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(rfc3339, &at)) << rfc3339;
  return at;
}

grpc::Status Get(v1::FeedbackService::Stub& stub, const std::string& id, v1::Feedback* out) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::GetFeedbackRequest request;
  request.set_id(id);
  return stub.GetFeedback(&context, request, out);
}

grpc::Status ListPage(v1::FeedbackService::Stub& stub, const v1::ListFeedbackRequest& request,
                      v1::ListFeedbackResponse* out) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.ListFeedback(&context, request, out);
}

std::vector<std::string> IdsOf(const std::vector<v1::Feedback>& items) {
  std::vector<std::string> ids;
  for (const v1::Feedback& item : items) ids.push_back(item.id());
  return ids;
}

size_t CountAll(v1::FeedbackService::Stub& stub) { return ListAllFeedback(stub, {}).size(); }

// Submits `feedback` and returns the stored id; fails the test on an error.
std::string MustSubmit(v1::FeedbackService::Stub& stub, const v1::Feedback& feedback) {
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(stub, feedback, &response);
  EXPECT_TRUE(status.ok()) << feedback.text() << ": " << status.error_message();
  EXPECT_FALSE(response.duplicate());
  return response.feedback().id();
}

// Starts feedbackd directly (not through ServerProcess) so that its exit code is observable. A
// server that wrongly starts is stopped by timeout(1) after 20 s, which then exits 124.
CommandResult RunFeedbackd(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"timeout", "20", FEEDBACKD_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

using ServerEndToEnd = ServerTest;

TEST_F(ServerEndToEnd, InvalidSubmissionIsRejectedNamingTheFieldAndNothingIsStored) {
  const std::string submission_id = "6f1d2c3b-4a5f-4e60-8b7a-9c0d1e2f3a4b";
  const v1::Feedback valid = Compliment(submission_id, "The chair listened to us");

  struct Case {
    std::string name;
    std::string field;  // the message must name it
    std::function<void(v1::Feedback&)> spoil;
  };
  const std::vector<Case> cases = {
      {"rating 7", "rating", [](v1::Feedback& f) { f.set_rating(7); }},
      {"rating -1", "rating", [](v1::Feedback& f) { f.set_rating(-1); }},
      {"no submission_id", "submission_id", [](v1::Feedback& f) { f.clear_submission_id(); }},
      {"submission_id not a UUID", "submission_id",
       [](v1::Feedback& f) { f.set_submission_id("retry-1"); }},
      {"no source", "source", [](v1::Feedback& f) { f.clear_source(); }},
      {"unknown source", "source",
       [](v1::Feedback& f) { f.set_source(static_cast<v1::Source>(99)); }},
      {"no kind", "kind", [](v1::Feedback& f) { f.clear_kind(); }},
      {"unknown meeting", "meeting",
       [](v1::Feedback& f) { f.set_meeting(static_cast<v1::Meeting>(42)); }},
      {"unknown service area", "service_area",
       [](v1::Feedback& f) { f.set_service_area(static_cast<v1::ServiceArea>(17)); }},
      {"text over 8 KiB", "text", [](v1::Feedback& f) { f.set_text(std::string(8193, 'a')); }},
      {"complaint without text", "text",
       [](v1::Feedback& f) {
         f.set_kind(v1::KIND_COMPLAINT);
         f.set_text("   ");
       }},
      {"occurred_at in the future", "occurred_at",
       [](v1::Feedback& f) {
         f.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(2)));
       }},
      {"occurred_at before 2000", "occurred_at",
       [](v1::Feedback& f) { *f.mutable_occurred_at() = At("1999-12-31T23:59:59Z"); }},
      {"id set by the client", "id", [](v1::Feedback& f) { f.set_id("fb_mine"); }},
      {"received_at set by the client", "received_at",
       [](v1::Feedback& f) { *f.mutable_received_at() = At("2018-10-01T09:00:00Z"); }},
      {"tags set by the client", "tags", [](v1::Feedback& f) { f.add_tags("compliment"); }},
      {"complaint_stage set by the client", "complaint_stage",
       [](v1::Feedback& f) { f.set_complaint_stage(v1::COMPLAINT_STAGE_2); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Feedback spoiled = valid;
    c.spoil(spoiled);
    v1::SubmitFeedbackResponse response;
    const grpc::Status status = Submit(stub(), spoiled, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
  EXPECT_EQ(CountAll(stub()), 0u);

  // The failed attempts reserved nothing: the same submission_id now stores a new item.
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(stub(), valid, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(CountAll(stub()), 1u);
}

// protobuf C++ only logs when it serializes a string field that is not UTF-8, so a C++ client
// (feedbackctl --text-file with a Latin-1 file, for one) sends such text as it is.
TEST_F(ServerEndToEnd, TextThatIsNotUtf8IsInvalidArgumentNamingText) {
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(
      stub(), Compliment("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "caf\xe9 was nice"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << "code " << status.error_code() << ": " << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("text"));
  EXPECT_EQ(CountAll(stub()), 0u);
}

TEST_F(ServerEndToEnd, SubmissionsAtTheLimitsAreAccepted) {
  std::vector<v1::Feedback> accepted;
  v1::Feedback longest = Compliment(client::NewSubmissionId(), std::string(8 * 1024, 'x'));
  accepted.push_back(longest);
  v1::Feedback rating_only = Compliment(client::NewSubmissionId(), "");
  rating_only.set_rating(5);
  accepted.push_back(rating_only);
  v1::Feedback lowest = Compliment(client::NewSubmissionId(), "low");
  lowest.set_rating(1);
  accepted.push_back(lowest);
  v1::Feedback earliest = Compliment(client::NewSubmissionId(), "the first instant allowed");
  *earliest.mutable_occurred_at() = At("2000-01-01T00:00:00Z");
  accepted.push_back(earliest);
  v1::Feedback multibyte = Compliment(client::NewSubmissionId(), "");
  for (int i = 0; i < 2048; ++i) multibyte.mutable_text()->append("\xf0\x9f\x98\x80");  // 8 KiB
  accepted.push_back(multibyte);
  for (const v1::Feedback& feedback : accepted) {
    SCOPED_TRACE(feedback.text().substr(0, 40));
    const std::string id = MustSubmit(stub(), feedback);
    v1::Feedback stored;
    ASSERT_TRUE(Get(stub(), id, &stored).ok());
    EXPECT_EQ(stored.text(), feedback.text());
    EXPECT_EQ(stored.rating(), feedback.rating());
  }
  EXPECT_EQ(CountAll(stub()), accepted.size());
}

TEST_F(ServerEndToEnd, ConcurrentRetriesOfOneSubmissionStoreItOnce) {
  const v1::Feedback feedback =
      Compliment("9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "sent by a kiosk that kept retrying");
  constexpr int kRetries = 16;
  std::vector<v1::SubmitFeedbackResponse> responses(kRetries);
  std::vector<grpc::Status> statuses(kRetries);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRetries; ++i) {
    threads.emplace_back([&, i] {
      auto own_stub = server().NewStub();  // a channel of its own, as each retry would have
      statuses[i] = Submit(*own_stub, feedback, &responses[i]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  int stored = 0;
  for (int i = 0; i < kRetries; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    if (!responses[i].duplicate()) ++stored;
    EXPECT_EQ(responses[i].feedback().id(), responses[0].feedback().id());
  }
  EXPECT_EQ(stored, 1);
  EXPECT_EQ(CountAll(stub()), 1u);
}

TEST_F(ServerEndToEnd, ListFiltersBySourceKindAndTagAcrossPages) {
  struct Item {
    v1::Source source;
    v1::Kind kind;
  };
  const std::vector<Item> items = {
      {v1::SOURCE_FAMILY, v1::KIND_COMPLIMENT},      {v1::SOURCE_CHILD, v1::KIND_COMPLAINT},
      {v1::SOURCE_PARTNER_AGENCY, v1::KIND_COMMENT}, {v1::SOURCE_FAMILY, v1::KIND_COMMENT},
      {v1::SOURCE_CHILD, v1::KIND_COMPLIMENT},       {v1::SOURCE_FAMILY, v1::KIND_COMPLIMENT},
      {v1::SOURCE_CHILD, v1::KIND_COMPLAINT}};
  std::vector<std::pair<Item, std::string>> stored;
  for (size_t i = 0; i < items.size(); ++i) {
    v1::Feedback feedback = Compliment(client::NewSubmissionId(), "filter " + std::to_string(i));
    feedback.set_source(items[i].source);
    feedback.set_kind(items[i].kind);
    *feedback.mutable_occurred_at() = At("2018-10-0" + std::to_string(i + 1) + "T12:00:00Z");
    stored.emplace_back(items[i], MustSubmit(stub(), feedback));
  }
  // Expected ids, newest first, of the items `keep` selects.
  auto expected = [&stored](const std::function<bool(const Item&)>& keep) {
    std::vector<std::string> ids;
    for (auto it = stored.rbegin(); it != stored.rend(); ++it) {
      if (keep(it->first)) ids.push_back(it->second);
    }
    return ids;
  };
  for (int page_size : {0, 1, 2}) {
    SCOPED_TRACE("page_size " + std::to_string(page_size));
    v1::ListFeedbackRequest request;
    request.set_page_size(page_size);

    v1::ListFeedbackRequest by_source = request;
    by_source.set_source(v1::SOURCE_FAMILY);
    EXPECT_THAT(
        IdsOf(ListAllFeedback(stub(), by_source)),
        ElementsAreArray(expected([](const Item& i) { return i.source == v1::SOURCE_FAMILY; })));

    v1::ListFeedbackRequest by_kind = request;
    by_kind.set_kind(v1::KIND_COMMENT);
    EXPECT_THAT(
        IdsOf(ListAllFeedback(stub(), by_kind)),
        ElementsAreArray(expected([](const Item& i) { return i.kind == v1::KIND_COMMENT; })));

    v1::ListFeedbackRequest by_tag = request;
    by_tag.set_tag("compliment");
    EXPECT_THAT(
        IdsOf(ListAllFeedback(stub(), by_tag)),
        ElementsAreArray(expected([](const Item& i) { return i.kind == v1::KIND_COMPLIMENT; })));

    v1::ListFeedbackRequest both = request;
    both.set_source(v1::SOURCE_CHILD);
    both.set_kind(v1::KIND_COMPLAINT);
    both.set_financial_year(2018);
    both.set_quarter(3);
    const std::vector<v1::Feedback> complaints = ListAllFeedback(stub(), both);
    EXPECT_THAT(IdsOf(complaints), ElementsAreArray(expected([](const Item& i) {
                  return i.source == v1::SOURCE_CHILD && i.kind == v1::KIND_COMPLAINT;
                })));
    for (const v1::Feedback& complaint : complaints) {
      EXPECT_EQ(complaint.complaint_stage(), v1::COMPLAINT_STAGE_1);
      EXPECT_EQ(complaint.complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
    }
  }
}

TEST_F(ServerEndToEnd, ListRejectsBadFiltersNamingTheField) {
  for (int i = 0; i < 3; ++i) MustSubmit(stub(), Compliment(client::NewSubmissionId(), "listed"));
  v1::ListFeedbackRequest first;
  first.set_page_size(1);
  v1::ListFeedbackResponse first_page;
  ASSERT_TRUE(ListPage(stub(), first, &first_page).ok());
  ASSERT_FALSE(first_page.next_page_token().empty());

  struct Case {
    std::string name;
    std::string field;
    std::function<void(v1::ListFeedbackRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"quarter 5", "quarter",
       [](v1::ListFeedbackRequest& r) {
         r.set_financial_year(2018);
         r.set_quarter(5);
       }},
      {"quarter without year", "financial_year",
       [](v1::ListFeedbackRequest& r) { r.set_quarter(3); }},
      {"year 18", "financial_year", [](v1::ListFeedbackRequest& r) { r.set_financial_year(18); }},
      {"page_size 501", "page_size", [](v1::ListFeedbackRequest& r) { r.set_page_size(501); }},
      {"page_size -1", "page_size", [](v1::ListFeedbackRequest& r) { r.set_page_size(-1); }},
      {"unknown source", "source",
       [](v1::ListFeedbackRequest& r) { r.set_source(static_cast<v1::Source>(9)); }},
      {"unknown kind", "kind",
       [](v1::ListFeedbackRequest& r) { r.set_kind(static_cast<v1::Kind>(9)); }},
      {"garbage page_token", "page_token",
       [](v1::ListFeedbackRequest& r) { r.set_page_token("not-a-token"); }},
      {"page_token of other filters", "page_token",
       [&first_page](v1::ListFeedbackRequest& r) {
         r.set_kind(v1::KIND_COMPLIMENT);
         r.set_page_token(first_page.next_page_token());
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::ListFeedbackRequest request;
    c.spoil(request);
    v1::ListFeedbackResponse response;
    const grpc::Status status = ListPage(stub(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.field));
  }
}

TEST_F(ServerEndToEnd, RetriedSubmissionIsADuplicateWithTheSameId) {
  // A qa_manager may read stored feedback, so it hears the stored item back in full.
  v1::FeedbackService::Stub& qa = stub(v1::ROLE_QA_MANAGER);
  const v1::Feedback feedback =
      Compliment("3c9e1a55-0f4b-4d8e-9a1c-2b3d4e5f6a7b", "Thank you for explaining the plan");

  v1::SubmitFeedbackResponse first;
  ASSERT_TRUE(Submit(qa, feedback, &first).ok());
  EXPECT_FALSE(first.duplicate());
  v1::SubmitFeedbackResponse retry;
  const grpc::Status status = Submit(qa, feedback, &retry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.feedback().id(), first.feedback().id());
  EXPECT_EQ(retry.feedback().received_at().seconds(), first.feedback().received_at().seconds());
  EXPECT_EQ(retry.feedback().received_at().nanos(), first.feedback().received_at().nanos());
  EXPECT_EQ(retry.feedback().text(), feedback.text());
  EXPECT_EQ(CountAll(qa), 1u);
}

TEST_F(ServerEndToEnd, ReusedSubmissionIdWithOtherContentIsAlreadyExists) {
  const std::string submission_id = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
  const std::string id = MustSubmit(stub(), Compliment(submission_id, "First words"));

  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(stub(), Compliment(submission_id, "Other words"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("submission_id"));

  v1::Feedback stored;
  ASSERT_TRUE(Get(stub(), id, &stored).ok());
  EXPECT_EQ(stored.text(), "First words");
  EXPECT_EQ(CountAll(stub()), 1u);
}

TEST_F(ServerEndToEnd, GetOfAnUnknownIdIsNotFound) {
  MustSubmit(stub(), Compliment("0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "Present"));

  v1::Feedback out;
  EXPECT_EQ(Get(stub(), "fb_00000000000000000000000000000000", &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(stub(), "fb_doesnotexist", &out).error_code(), grpc::StatusCode::NOT_FOUND);
  const grpc::Status empty = Get(stub(), "", &out);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(empty.error_message(), HasSubstr("id"));
}

TEST_F(ServerEndToEnd, ListByQuarterUsesLondonLocalMidnightEdgesNewestFirst) {
  struct Item {
    std::string occurred_at;
    bool in_q3;  // financial_year 2018, quarter 3: Oct-Dec 2018, London time
  };
  const std::vector<Item> items = {
      {"2018-09-30T22:59:59Z", false},  // 23:59:59 BST on 30 September: Q2
      {"2018-09-30T23:00:00Z", true},   // 00:00 BST on 1 October: the first instant of Q3
      {"2018-09-30T23:30:00Z", true},   // 00:30 BST on 1 October, still September in UTC
      {"2018-11-15T12:00:00Z", true},
      {"2018-12-31T23:59:59Z", true},   // GMT: the last second of Q3
      {"2019-01-01T00:00:00Z", false},  // Q4
      {"2018-07-01T10:00:00Z", false},  // Q2
      {"2017-11-15T12:00:00Z", false},  // the same quarter a year earlier
  };
  std::map<std::string, std::string> id_of;  // occurred_at -> id
  int n = 0;
  for (const Item& item : items) {
    v1::Feedback feedback = Compliment(client::NewSubmissionId(), "item " + std::to_string(n++));
    *feedback.mutable_occurred_at() = At(item.occurred_at);
    id_of[item.occurred_at] = MustSubmit(stub(), feedback);
  }
  // Newest first: reverse chronological order of the Q3 items.
  const std::vector<std::string> expected = {
      id_of["2018-12-31T23:59:59Z"], id_of["2018-11-15T12:00:00Z"], id_of["2018-09-30T23:30:00Z"],
      id_of["2018-09-30T23:00:00Z"]};

  v1::ListFeedbackRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  const std::vector<v1::Feedback> listed = ListAllFeedback(stub(), request);
  EXPECT_THAT(IdsOf(listed), ElementsAreArray(expected));
  for (const v1::Feedback& item : listed) {
    EXPECT_TRUE(item.has_occurred_at());
    EXPECT_TRUE(item.has_received_at());
  }

  // The same quarter, one item per page.
  request.set_page_size(1);
  EXPECT_THAT(IdsOf(ListAllFeedback(stub(), request)), ElementsAreArray(expected));
}

TEST_F(ServerEndToEnd, ListByFinancialYearRunsAprilToMarchLondonTime) {
  const std::vector<std::pair<std::string, bool>> items = {
      {"2018-03-31T22:59:59Z", false},  // 23:59:59 BST on 31 March 2018: 2017-18
      {"2018-03-31T23:00:00Z", true},   // 00:00 BST on 1 April 2018
      {"2018-08-01T12:00:00Z", true},
      {"2019-03-31T22:59:59Z", true},   // 23:59:59 BST on 31 March 2019
      {"2019-03-31T23:00:00Z", false},  // 00:00 BST on 1 April 2019: 2019-20
  };
  std::vector<std::string> expected;
  int n = 0;
  for (const auto& [occurred_at, in_year] : items) {
    v1::Feedback feedback = Compliment(client::NewSubmissionId(), "year " + std::to_string(n++));
    *feedback.mutable_occurred_at() = At(occurred_at);
    const std::string id = MustSubmit(stub(), feedback);
    if (in_year) expected.insert(expected.begin(), id);  // newest first
  }
  v1::ListFeedbackRequest request;
  request.set_financial_year(2018);
  EXPECT_THAT(IdsOf(ListAllFeedback(stub(), request)), ElementsAreArray(expected));
}

TEST_F(ServerEndToEnd, PagingReturnsEveryItemExactlyOnceNewestFirst) {
  // Submitted out of order; two share an occurred_at, so order between them is by the server.
  const std::vector<std::string> times = {"2018-10-03T09:00:00Z", "2018-10-05T09:00:00Z",
                                          "2018-10-01T09:00:00Z", "2018-10-04T09:00:00Z",
                                          "2018-10-04T09:00:00Z"};
  std::vector<std::string> ids;
  for (size_t i = 0; i < times.size(); ++i) {
    v1::Feedback feedback = Compliment(client::NewSubmissionId(), "page " + std::to_string(i));
    *feedback.mutable_occurred_at() = At(times[i]);
    ids.push_back(MustSubmit(stub(), feedback));
  }

  v1::ListFeedbackRequest request;
  request.set_page_size(2);
  std::vector<v1::Feedback> seen;
  std::vector<size_t> page_sizes;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListFeedbackResponse page;
    const grpc::Status status = ListPage(stub(), request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    page_sizes.push_back(static_cast<size_t>(page.feedback_size()));
    seen.insert(seen.end(), page.feedback().begin(), page.feedback().end());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  EXPECT_THAT(page_sizes, ElementsAreArray({2u, 2u, 1u}));
  EXPECT_THAT(IdsOf(seen), UnorderedElementsAreArray(ids));
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i - 1].occurred_at().seconds(), seen[i].occurred_at().seconds())
        << "item " << i << " is newer than the one before it";
  }
  EXPECT_EQ(seen.front().id(), ids[1]);
  EXPECT_EQ(seen.back().id(), ids[2]);
}

// grpc.health.v1.Health/Check by hand: Debian ships no C++ code for health.proto, so the request
// and response are encoded here. HealthCheckRequest{service = 1}; HealthCheckResponse{status = 1},
// SERVING = 1.
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         std::string* response_bytes) {
  std::string request_bytes;
  if (!service.empty()) {
    request_bytes.push_back(0x0a);
    request_bytes.push_back(static_cast<char>(service.size()));
    request_bytes += service;
  }
  grpc::Slice request_slice(request_bytes);
  grpc::ByteBuffer request(&request_slice, 1);
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  context.set_deadline(Deadline(10));
  grpc::GenericStub generic(channel);
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&done](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  if (status.ok()) {
    grpc::Slice all;
    if (!response.DumpToSingleSlice(&all).ok()) return grpc::Status(grpc::INTERNAL, "dump");
    response_bytes->assign(reinterpret_cast<const char*>(all.begin()), all.size());
  }
  return status;
}

TEST_F(ServerEndToEnd, StandardHealthCheckReportsServing) {
  const auto channel = server().NewChannel();
  for (const std::string service : {"", "feedback.v1.FeedbackService"}) {
    SCOPED_TRACE("service \"" + service + "\"");
    std::string response;
    const grpc::Status status = HealthCheck(channel, service, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response, std::string("\x08\x01", 2)) << "status is not SERVING";
  }
  std::string response;
  EXPECT_EQ(HealthCheck(channel, "no.such.Service", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServerEndToEnd, RefusesToStartOnAnUnusableDataDir) {
  const std::string file = dir().Sub("a-file");
  std::ofstream(file) << "not a folder\n";
  // A folder under a regular file, and the regular file itself.
  for (const std::string& unusable : {file + "/data", file}) {
    SCOPED_TRACE(unusable);
    const CommandResult result = RunFeedbackd({"--listen", "127.0.0.1:0", "--data-dir", unusable});
    EXPECT_EQ(result.exit_code, 1) << "stderr: " << result.err;  // not 124 or 128 + signal
    EXPECT_THAT(result.err, HasSubstr(unusable));
    EXPECT_THAT(result.out, Not(HasSubstr("listening on")));
  }
}

TEST_F(ServerEndToEnd, RefusesToStartOnADataDirAnotherServerHolds) {
  const CommandResult result = RunFeedbackd({"--listen", "127.0.0.1:0", "--data-dir", data_dir()});
  EXPECT_EQ(result.exit_code, 1) << "stderr: " << result.err;
  EXPECT_THAT(result.err, HasSubstr(data_dir()));
  // The first server is unharmed.
  MustSubmit(stub(), Compliment(client::NewSubmissionId(), "still here"));
}

TEST_F(ServerEndToEnd, RefusesToStartOnAPortInUse) {
  const std::string address = server().address();
  const CommandResult result =
      RunFeedbackd({"--listen", address, "--data-dir", dir().Sub("other-data")});
  EXPECT_EQ(result.exit_code, 1) << "stderr: " << result.err;
  EXPECT_THAT(result.err, HasSubstr(address));
  EXPECT_THAT(result.out, Not(HasSubstr("listening on")));
  // The first server still answers on its address.
  MustSubmit(stub(), Compliment(client::NewSubmissionId(), "first server still serves"));
}

TEST_F(ServerEndToEnd, SigintStopsCleanly) {
  const std::string id = MustSubmit(stub(), Compliment(client::NewSubmissionId(), "before Ctrl-C"));
  const int wait_status = StopServer(SIGINT);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0) << wait_status;
  EXPECT_THAT(server().Stderr(), HasSubstr("SIGINT"));
  ASSERT_OK(StartServer());
  v1::Feedback stored;
  EXPECT_TRUE(Get(stub(), id, &stored).ok());
}

struct Acknowledged {
  v1::Feedback sent;
  std::string id;
};

TEST_F(ServerEndToEnd, SigtermWithCallsInFlightKeepsEveryAcknowledgedSubmission) {
  constexpr int kThreads = 6;
  constexpr int kAcksBeforeSignal = 60;
  absl::Mutex mutex;
  std::vector<Acknowledged> acknowledged;  // guarded by mutex
  std::vector<std::thread> submitters;
  std::atomic<int> errors = 0;
  const std::string address = server().address();
  const std::string kiosk_token = server().token(v1::ROLE_KIOSK);
  for (int t = 0; t < kThreads; ++t) {
    submitters.emplace_back([&, t] {
      auto kiosk = v1::FeedbackService::NewStub(ChannelWithToken(address, kiosk_token));
      for (int n = 0; n < 100000; ++n) {
        const v1::Feedback sent = Compliment(
            client::NewSubmissionId(), "sigterm t" + std::to_string(t) + " n" + std::to_string(n));
        v1::SubmitFeedbackResponse response;
        if (!Submit(*kiosk, sent, &response).ok()) {
          ++errors;
          return;  // the server is going away; the stub and channel close now
        }
        absl::MutexLock lock(&mutex);
        acknowledged.push_back({sent, response.feedback().id()});
      }
    });
  }
  bool enough = false;
  {
    absl::MutexLock lock(&mutex);
    enough = mutex.AwaitWithTimeout(
        absl::Condition(
            +[](std::vector<Acknowledged>* acks) { return acks->size() >= kAcksBeforeSignal; },
            &acknowledged),
        absl::Seconds(30));
  }
  const int wait_status = StopServer(SIGTERM);  // submitters are still submitting
  for (std::thread& submitter : submitters) submitter.join();
  ASSERT_TRUE(enough) << "only " << acknowledged.size() << " acknowledgements in 30 s";
  EXPECT_TRUE(WIFEXITED(wait_status)) << "killed by signal " << WTERMSIG(wait_status);
  EXPECT_EQ(WEXITSTATUS(wait_status), 0) << server().Stderr();
  EXPECT_EQ(errors.load(), kThreads);

  ASSERT_OK(StartServer());
  for (const Acknowledged& ack : acknowledged) {
    v1::Feedback stored;
    const grpc::Status status = Get(stub(), ack.id, &stored);
    ASSERT_TRUE(status.ok()) << ack.sent.text() << ": " << status.error_message();
    EXPECT_EQ(stored.text(), ack.sent.text());
    EXPECT_EQ(stored.submission_id(), ack.sent.submission_id());
  }
  EXPECT_GE(CountAll(stub()), acknowledged.size());
}

TEST_F(ServerEndToEnd, SubmittedFeedbackSurvivesARestart) {
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(
      stub(), Compliment("0b0e4f3a-7c4e-4c7a-9a55-1d2c3b4a5f60", "Chair was fair and inclusive"),
      &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string id = response.feedback().id();
  EXPECT_FALSE(id.empty());
  const int wait_status = StopServer(SIGTERM);  // drops stub(): an open connection holds it ~5 s
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);

  ASSERT_OK(StartServer());
  grpc::ClientContext context;
  v1::GetFeedbackRequest request;
  request.set_id(id);
  v1::Feedback stored;
  ASSERT_TRUE(stub().GetFeedback(&context, request, &stored).ok());
  EXPECT_EQ(stored.text(), "Chair was fair and inclusive");
  EXPECT_EQ(stored.source(), v1::SOURCE_FAMILY);
  EXPECT_THAT(stored.tags(), ::testing::Contains("compliment"));
}

}  // namespace server_e2e_test
}  // namespace
}  // namespace feedback::testing
