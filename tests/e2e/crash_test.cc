// Crash tests: SIGKILL feedbackd while clients are submitting, restart it on the same data dir,
// and check that every acknowledged submission is there exactly once and nothing is half-written.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace crash_test {

constexpr int kClients = 8;
constexpr int kCycles = 3;
// SIGKILL once this many more submissions have been acknowledged in the cycle.
constexpr size_t kAcksPerCycle = 300;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

// What the test sent, by submission_id; and what the server acknowledged.
struct Ledger {
  absl::Mutex mutex;
  std::map<std::string, v1::Feedback> attempted ABSL_GUARDED_BY(mutex);
  std::map<std::string, std::string> acknowledged ABSL_GUARDED_BY(mutex);  // -> id
  size_t acks_this_cycle ABSL_GUARDED_BY(mutex) = 0;
  // The advocate token of the first start, used for every submission and retry of every cycle:
  // a retry is a duplicate only for the token that made the submission (each restart issues
  // new test tokens; the first ones stay valid in the store).
  std::string advocate_token;
};

// A stub whose calls carry the ledger's advocate token.
std::unique_ptr<v1::FeedbackService::Stub> AdvocateStub(const ServerProcess& server,
                                                        const Ledger& ledger) {
  return v1::FeedbackService::NewStub(ChannelWithToken(server.address(), ledger.advocate_token));
}

v1::Feedback NewItem(int cycle, int client, int n) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  static constexpr v1::Source kSources[] = {v1::SOURCE_CHILD, v1::SOURCE_FAMILY,
                                            v1::SOURCE_PARTNER_AGENCY, v1::SOURCE_ADVOCATE};
  static constexpr v1::Kind kKinds[] = {v1::KIND_COMPLIMENT, v1::KIND_COMMENT, v1::KIND_COMPLAINT};
  feedback.set_source(kSources[n % 4]);
  feedback.set_kind(kKinds[n % 3]);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_rating(n % 6);
  feedback.set_text(absl::StrCat("crash cycle ", cycle, " client ", client, " item ", n, " ",
                                 feedback.submission_id()));
  return feedback;
}

// Submits new items one after another until a call fails (the server was killed).
void SubmitUntilError(const ServerProcess* server, int cycle, int client, Ledger* ledger) {
  // Items come from every source, advocates' included: an advocate token may submit them all.
  auto stub = AdvocateStub(*server, *ledger);
  for (int n = 0;; ++n) {
    v1::SubmitFeedbackRequest request;
    *request.mutable_feedback() = NewItem(cycle, client, n);
    const std::string submission_id = request.feedback().submission_id();
    {
      absl::MutexLock lock(&ledger->mutex);
      ledger->attempted[submission_id] = request.feedback();
    }
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::SubmitFeedbackResponse response;
    if (!stub->SubmitFeedback(&context, request, &response).ok()) return;
    absl::MutexLock lock(&ledger->mutex);
    ledger->acknowledged[submission_id] = response.feedback().id();
    ++ledger->acks_this_cycle;
  }
}

// Every stored item, all time, following pages.
std::vector<v1::Feedback> ListEverything(v1::FeedbackService::Stub& stub) {
  std::vector<v1::Feedback> all;
  v1::ListFeedbackRequest request;
  request.set_page_size(500);
  for (;;) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::ListFeedbackResponse page;
    const grpc::Status status = stub.ListFeedback(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return all;
    all.insert(all.end(), page.feedback().begin(), page.feedback().end());
    if (page.next_page_token().empty()) return all;
    request.set_page_token(page.next_page_token());
  }
}

// The checks after a restart: acknowledged items present exactly once and intact; every stored
// item complete and one the test sent; retries of acknowledged items are duplicates.
void CheckStore(const ServerProcess& server, Ledger& ledger) {
  absl::MutexLock lock(&ledger.mutex);  // the submitters have stopped
  auto stub = server.NewStub();

  const std::vector<v1::Feedback> listed = ListEverything(*stub);
  std::map<std::string, int> seen;  // submission_id -> times listed
  for (const v1::Feedback& item : listed) {
    SCOPED_TRACE(item.ShortDebugString());
    ++seen[item.submission_id()];
    EXPECT_THAT(item.id(), ::testing::StartsWith("fb_"));
    EXPECT_FALSE(item.submission_id().empty());
    EXPECT_TRUE(item.has_received_at());
    EXPECT_TRUE(item.has_occurred_at());
    EXPECT_GT(item.tags_size(), 0);
    const auto sent = ledger.attempted.find(item.submission_id());
    ASSERT_NE(sent, ledger.attempted.end()) << "stored an item nobody sent";
    EXPECT_EQ(item.text(), sent->second.text());
    EXPECT_EQ(item.source(), sent->second.source());
    EXPECT_EQ(item.kind(), sent->second.kind());
    EXPECT_EQ(item.rating(), sent->second.rating());
    const auto acked = ledger.acknowledged.find(item.submission_id());
    if (acked != ledger.acknowledged.end()) {
      EXPECT_EQ(item.id(), acked->second);
    }
  }
  for (const auto& [submission_id, times] : seen) {
    EXPECT_EQ(times, 1) << submission_id << " is listed " << times << " times";
  }

  size_t missing = 0;
  for (const auto& [submission_id, id] : ledger.acknowledged) {
    if (!seen.contains(submission_id)) ++missing;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::GetFeedbackRequest request;
    request.set_id(id);
    v1::Feedback stored;
    const grpc::Status status = stub->GetFeedback(&context, request, &stored);
    ASSERT_TRUE(status.ok()) << "acknowledged " << id << " is gone: " << status.error_message();
    EXPECT_EQ(stored.submission_id(), submission_id);
    EXPECT_EQ(stored.text(), ledger.attempted.at(submission_id).text());
  }
  EXPECT_EQ(missing, 0u) << "acknowledged items missing from ListFeedback";

  // Retries of every acknowledged submission, from kClients threads.
  std::vector<std::pair<std::string, std::string>> acks(ledger.acknowledged.begin(),
                                                        ledger.acknowledged.end());
  std::vector<std::thread> retriers;
  absl::Mutex failures_mutex;
  std::vector<std::string> failures;
  for (int t = 0; t < kClients; ++t) {
    retriers.emplace_back([&, t] {
      auto retry_stub = AdvocateStub(server, ledger);
      for (size_t i = static_cast<size_t>(t); i < acks.size(); i += kClients) {
        const auto& [submission_id, id] = acks[i];
        grpc::ClientContext context;
        context.set_deadline(Deadline());
        v1::SubmitFeedbackRequest request;
        *request.mutable_feedback() = ledger.attempted.at(submission_id);
        v1::SubmitFeedbackResponse response;
        const grpc::Status status = retry_stub->SubmitFeedback(&context, request, &response);
        if (!status.ok() || !response.duplicate() || response.feedback().id() != id) {
          absl::MutexLock failures_lock(&failures_mutex);
          failures.push_back(absl::StrCat(submission_id, ": status ", status.error_code(), " ",
                                          status.error_message(), ", duplicate ",
                                          response.duplicate(), ", id ", response.feedback().id(),
                                          " (acknowledged as ", id, ")"));
        }
      }
    });
  }
  for (std::thread& retrier : retriers) retrier.join();
  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_EQ(ListEverything(*stub).size(), listed.size()) << "a retry stored a new item";
}

// The test starts the server of each cycle on the one store.
using CrashRecovery = DeferredServerTest;

TEST_F(CrashRecovery, AcknowledgedSubmissionsSurviveSigkillExactlyOnce) {
  Ledger ledger;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE(absl::StrCat("cycle ", cycle));
    ASSERT_OK(StartServer());
    if (cycle == 0) ledger.advocate_token = server().token(v1::ROLE_ADVOCATE);
    if (cycle > 0) {
      CheckStore(server(), ledger);
      if (HasFatalFailure()) return;
    }
    {
      absl::MutexLock lock(&ledger.mutex);
      ledger.acks_this_cycle = 0;
    }

    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back(SubmitUntilError, &server(), cycle, c, &ledger);
    }
    bool enough = false;
    {
      absl::MutexLock lock(&ledger.mutex);
      enough =
          ledger.mutex.AwaitWithTimeout(absl::Condition(
                                            +[](Ledger* l) ABSL_EXCLUSIVE_LOCKS_REQUIRED(l->mutex) {
                                              return l->acks_this_cycle >= kAcksPerCycle;
                                            },
                                            &ledger),
                                        absl::Seconds(30));
    }
    const int wait_status = StopServer(SIGKILL);  // clients are still submitting
    for (std::thread& client : clients) client.join();
    ASSERT_TRUE(enough) << "fewer than " << kAcksPerCycle << " acknowledgements in 30 s";
    EXPECT_TRUE(WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL);
  }

  ASSERT_OK(StartServer());
  CheckStore(server(), ledger);
  absl::MutexLock lock(&ledger.mutex);
  EXPECT_GE(ledger.acknowledged.size(), kCycles * kAcksPerCycle);
}

}  // namespace crash_test
}  // namespace
}  // namespace feedback::testing
