// The offline outbox (client/outbox.h) and the client library's retry policy: items are kept
// whole or not at all, sent with their original submission_id, removed only once acknowledged,
// and kept (never dropped) when refused.
#include "client/lib/outbox.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace outbox_test {

namespace fs = std::filesystem;
using ::feedback::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string Uuid(int n) { return absl::StrFormat("00000000-0000-4000-8000-%012x", n); }

v1::Feedback Item(int n) {
  v1::Feedback feedback;
  feedback.set_submission_id(Uuid(n));
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_rating(5);
  feedback.set_text(absl::StrCat("item ", n));
  return feedback;
}

const absl::Time kQueued = absl::FromUnixSeconds(1'700'000'000);

// Files (not folders) directly in `dir`, by name.
std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A send function answering from a script of statuses (then OK), recording what it was given.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<absl::Status> script = {}) : script_(std::move(script)) {}

  SendFunction Send() {
    return [this](const v1::SubmitFeedbackRequest& request)
               -> absl::StatusOr<v1::SubmitFeedbackResponse> {
      sent_.push_back(request);
      if (calls_ < script_.size()) {
        const absl::Status status = script_[calls_++];
        if (!status.ok()) return status;
      }
      v1::SubmitFeedbackResponse response;
      *response.mutable_feedback() = request.feedback();
      response.mutable_feedback()->set_id(absl::StrCat("fb_", sent_.size()));
      response.set_duplicate(!stored_.insert(request.feedback().submission_id()).second);
      return response;
    };
  }

  std::vector<std::string> SentIds() const {
    std::vector<std::string> ids;
    for (const auto& request : sent_) ids.push_back(request.feedback().submission_id());
    return ids;
  }
  const std::vector<v1::SubmitFeedbackRequest>& sent() const { return sent_; }

 private:
  std::vector<absl::Status> script_;
  size_t calls_ = 0;
  std::vector<v1::SubmitFeedbackRequest> sent_;
  std::set<std::string> stored_;
};

TEST(Outbox, AddKeepsOneWholeFilePerItemOldestFirst) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"), "127.0.0.1:50051");
  ASSERT_OK(outbox.Add(Item(2), kQueued + absl::Seconds(1)));
  ASSERT_OK(outbox.Add(Item(1), kQueued));

  absl::StatusOr<std::vector<PendingItem>> pending = outbox.Pending();
  ASSERT_OK(pending);
  ASSERT_THAT(*pending, SizeIs(2));
  EXPECT_EQ((*pending)[0].request.feedback().submission_id(), Uuid(1));
  EXPECT_EQ((*pending)[0].request.feedback().text(), "item 1");
  EXPECT_EQ((*pending)[0].queued_at, kQueued);
  EXPECT_EQ((*pending)[1].request.feedback().submission_id(), Uuid(2));
  // Nothing but the items and the server's address; no temporary file left behind.
  EXPECT_THAT(FilesIn(dir.Sub("box")),
              ElementsAre(absl::StrCat("01700000000000000-", Uuid(1), ".pb"),
                          absl::StrCat("01700000001000000-", Uuid(2), ".pb"), "server"));

  absl::StatusOr<OutboxStatus> status = outbox.Status();
  ASSERT_OK(status);
  EXPECT_EQ(status->pending, 2);
  EXPECT_EQ(status->server, "127.0.0.1:50051");
  EXPECT_EQ(status->oldest_queued_at, kQueued);
  EXPECT_EQ(status->oldest_submission_id, Uuid(1));
  EXPECT_THAT(status->rejected, IsEmpty());
}

TEST(Outbox, ItemFilesAreReadableByTheOwnerOnly) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  absl::StatusOr<std::string> path = outbox.Add(Item(1));
  ASSERT_OK(path);
  struct stat info;
  ASSERT_EQ(stat(path->c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(dir.Sub("box").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

TEST(Outbox, AddRequiresASubmissionId) {
  TempDir dir;
  v1::Feedback feedback = Item(1);
  feedback.clear_submission_id();
  EXPECT_EQ(Outbox(dir.Sub("box")).Add(feedback).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Outbox, MissingFolderIsAnEmptyOutbox) {
  TempDir dir;
  const Outbox outbox(dir.Sub("never-created"));
  absl::StatusOr<std::vector<PendingItem>> pending = outbox.Pending();
  ASSERT_OK(pending);
  EXPECT_THAT(*pending, IsEmpty());
  ScriptedServer server;
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->sent, 0);
  EXPECT_FALSE(fs::exists(dir.Sub("never-created")));  // a flush creates nothing
}

TEST(Outbox, FlushSendsTheStoredRequestsUnchangedAndRemovesThem) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  for (int n = 1; n <= 3; ++n) ASSERT_OK(outbox.Add(Item(n), kQueued + absl::Seconds(n)));
  ScriptedServer server;
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->sent, 3);
  EXPECT_EQ(flushed->duplicates, 0);
  EXPECT_EQ(flushed->pending, 0);
  EXPECT_OK(flushed->stopped);
  EXPECT_THAT(server.SentIds(), ElementsAre(Uuid(1), Uuid(2), Uuid(3)));
  EXPECT_EQ(server.sent()[1].feedback().SerializeAsString(), Item(2).SerializeAsString());
  absl::StatusOr<std::vector<PendingItem>> pending = outbox.Pending();
  ASSERT_OK(pending);
  EXPECT_THAT(*pending, IsEmpty());
}

TEST(Outbox, UnreachableServerStopsTheFlushAndKeepsTheRest) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  for (int n = 1; n <= 3; ++n) ASSERT_OK(outbox.Add(Item(n), kQueued + absl::Seconds(n)));
  ScriptedServer server({absl::OkStatus(), absl::UnavailableError("connection refused")});
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->sent, 1);
  EXPECT_EQ(flushed->pending, 2);
  EXPECT_EQ(flushed->stopped.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(server.SentIds(), ElementsAre(Uuid(1), Uuid(2)));  // item 3 not tried

  // Next time the same items go again, with the same ids.
  ScriptedServer later;
  flushed = outbox.Flush(later.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->sent, 2);
  EXPECT_THAT(later.SentIds(), ElementsAre(Uuid(2), Uuid(3)));
}

TEST(Outbox, DuplicateAnswerCountsAsSentAndRemovesTheItem) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  ScriptedServer server;
  // The server already stored item 1 (an earlier flush was killed before removing the file).
  v1::SubmitFeedbackRequest first;
  *first.mutable_feedback() = Item(1);
  ASSERT_OK(server.Send()(first));
  ASSERT_OK(outbox.Add(Item(1)));
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->sent, 1);
  EXPECT_EQ(flushed->duplicates, 1);
  EXPECT_EQ(flushed->pending, 0);
}

TEST(Outbox, RefusedItemsAreKeptWithTheirErrorAndTheFlushGoesOn) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  for (int n = 1; n <= 4; ++n) ASSERT_OK(outbox.Add(Item(n), kQueued + absl::Seconds(n)));
  ScriptedServer server(
      {absl::InvalidArgumentError("feedback.rating: must be 0..5"),
       absl::AlreadyExistsError("submission_id: already used for different content"),
       absl::FailedPreconditionError("feedback.advocacy_referral_id: not eligible")});
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->rejected, 3);
  EXPECT_EQ(flushed->sent, 1);
  EXPECT_EQ(flushed->pending, 0);
  EXPECT_THAT(server.SentIds(), ElementsAre(Uuid(1), Uuid(2), Uuid(3), Uuid(4)));

  absl::StatusOr<OutboxStatus> status = outbox.Status();
  ASSERT_OK(status);
  EXPECT_EQ(status->pending, 0);
  ASSERT_THAT(status->rejected, SizeIs(3));
  EXPECT_EQ(status->rejected[0].submission_id, Uuid(1));
  EXPECT_EQ(status->rejected[0].error, "INVALID_ARGUMENT: feedback.rating: must be 0..5");
  EXPECT_THAT(status->rejected[1].error, HasSubstr("ALREADY_EXISTS"));
  EXPECT_THAT(status->rejected[2].error, HasSubstr("FAILED_PRECONDITION"));
  // The item itself is kept, byte for byte, for a person to look at.
  std::ifstream in(status->rejected[0].path, std::ios::binary);
  v1::SubmitFeedbackRequest kept;
  ASSERT_TRUE(kept.ParseFromIstream(&in));
  EXPECT_EQ(kept.feedback().text(), "item 1");

  // Refused items are not sent again.
  ScriptedServer later;
  ASSERT_OK(outbox.Flush(later.Send()));
  EXPECT_THAT(later.SentIds(), IsEmpty());
}

TEST(Outbox, DeniedStopsTheFlushWithoutRejecting) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  ASSERT_OK(outbox.Add(Item(1)));
  ScriptedServer server({absl::PermissionDeniedError("role reporter cannot submit")});
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->stopped.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(flushed->rejected, 0);
  EXPECT_EQ(flushed->pending, 1);
}

// What a kill -9 during Add leaves: a temporary file, perhaps cut short. It is never sent, and
// is removed once it is too old to be an Add still in progress.
TEST(Outbox, PartialTemporaryFilesAreIgnoredThenCleanedUp) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  ASSERT_OK(outbox.Add(Item(1)));
  v1::SubmitFeedbackRequest whole;
  *whole.mutable_feedback() = Item(2);
  const std::string bytes = whole.SerializeAsString();
  const std::string partial =
      dir.Sub(absl::StrCat("box/01700000000000000-", Uuid(2), ".pb.4242.0.tmp"));
  std::ofstream(partial, std::ios::binary) << bytes.substr(0, bytes.size() / 2);

  absl::StatusOr<std::vector<PendingItem>> pending = outbox.Pending();
  ASSERT_OK(pending);
  ASSERT_THAT(*pending, SizeIs(1));
  EXPECT_EQ((*pending)[0].request.feedback().submission_id(), Uuid(1));
  absl::StatusOr<OutboxStatus> status = outbox.Status();
  ASSERT_OK(status);
  EXPECT_EQ(status->pending, 1);

  // Young: maybe another process's Add in progress, so left alone.
  absl::StatusOr<int> removed = outbox.RemoveStaleTemporaries();
  ASSERT_OK(removed);
  EXPECT_EQ(*removed, 0);
  EXPECT_TRUE(fs::exists(partial));

  fs::last_write_time(partial, fs::file_time_type::clock::now() - std::chrono::minutes(5));
  ScriptedServer server;
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_THAT(server.SentIds(), ElementsAre(Uuid(1)));
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_EQ(flushed->rejected, 0);
}

TEST(Outbox, UnreadableItemIsMovedToRejectedNotDropped) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  ASSERT_OK(outbox.Add(Item(1)));
  std::ofstream(dir.Sub(absl::StrCat("box/00000000000000001-", Uuid(9), ".pb")), std::ios::binary)
      << "\xff\xff\xff not a protobuf";
  ScriptedServer server;
  absl::StatusOr<FlushResult> flushed = outbox.Flush(server.Send());
  ASSERT_OK(flushed);
  EXPECT_EQ(flushed->sent, 1);
  EXPECT_EQ(flushed->rejected, 1);
  absl::StatusOr<OutboxStatus> status = outbox.Status();
  ASSERT_OK(status);
  ASSERT_THAT(status->rejected, SizeIs(1));
  EXPECT_EQ(status->rejected[0].submission_id, Uuid(9));
  EXPECT_THAT(status->rejected[0].error, HasSubstr("DATA_LOSS"));
}

// Two flushes never interleave: while one holds the lock, another that will not wait returns at
// once, having sent nothing.
TEST(Outbox, SecondFlushDoesNotRunWhileTheFirstHoldsTheLock) {
  TempDir dir;
  const Outbox outbox(dir.Sub("box"));
  ASSERT_OK(outbox.Add(Item(1)));
  ASSERT_OK(outbox.Add(Item(2)));
  const Outbox same_folder(dir.Sub("box"));
  int inner_sends = 0;
  std::optional<FlushResult> inner;
  ScriptedServer server;
  SendFunction outer_send = [&](const v1::SubmitFeedbackRequest& request) {
    if (!inner.has_value()) {
      absl::StatusOr<FlushResult> nested = same_folder.Flush(
          [&](const v1::SubmitFeedbackRequest&) -> absl::StatusOr<v1::SubmitFeedbackResponse> {
            ++inner_sends;
            return v1::SubmitFeedbackResponse();
          },
          /*wait_for_lock=*/false);
      EXPECT_OK(nested);
      if (nested.ok()) inner = *nested;
    }
    return server.Send()(request);
  };
  absl::StatusOr<FlushResult> flushed = outbox.Flush(outer_send);
  ASSERT_OK(flushed);
  ASSERT_TRUE(inner.has_value());
  EXPECT_TRUE(inner->skipped_locked);
  EXPECT_EQ(inner_sends, 0);
  EXPECT_EQ(flushed->sent, 2);
}

TEST(Outbox, FoldersAreKeptPerServer) {
  EXPECT_EQ(OutboxDirFor("/var/box", "127.0.0.1:50051"), "/var/box/127.0.0.1_50051");
  EXPECT_EQ(OutboxDirFor("/var/box", "dns:///feedback.example:443"),
            "/var/box/dns____feedback.example_443");
  EXPECT_EQ(OutboxDirFor("/var/box", ".."), "/var/box/_");

  TempDir dir;
  ASSERT_OK(Outbox(OutboxDirFor(dir.Sub("root"), "a:1"), "a:1").Add(Item(1)));
  ASSERT_OK(Outbox(OutboxDirFor(dir.Sub("root"), "b:2"), "b:2").Add(Item(2)));
  ASSERT_OK(Outbox(OutboxDirFor(dir.Sub("root"), "b:2"), "b:2").Add(Item(3)));
  absl::StatusOr<std::vector<OutboxStatus>> all = ListOutboxes(dir.Sub("root"));
  ASSERT_OK(all);
  ASSERT_THAT(*all, SizeIs(2));
  EXPECT_EQ((*all)[0].server, "a:1");
  EXPECT_EQ((*all)[0].pending, 1);
  EXPECT_EQ((*all)[1].server, "b:2");
  EXPECT_EQ((*all)[1].pending, 2);
}

TEST(Outbox, PrepareForDeliveryStampsOnlyWhatIsMissing) {
  const absl::Time now = absl::FromUnixMicros(1'700'000'000'123'456);
  v1::Feedback fresh;
  PrepareForDelivery(fresh, now);
  EXPECT_EQ(fresh.submission_id().size(), 36u);
  EXPECT_EQ(fresh.occurred_at().seconds(), 1'700'000'000);
  EXPECT_EQ(fresh.occurred_at().nanos(), 123'456'000);

  v1::Feedback given = Item(1);
  given.mutable_occurred_at()->set_seconds(1'600'000'000);
  PrepareForDelivery(given, now);
  EXPECT_EQ(given.submission_id(), Uuid(1));
  EXPECT_EQ(given.occurred_at().seconds(), 1'600'000'000);
}

TEST(Outbox, DescribeFlushSaysWhatHappened) {
  EXPECT_EQ(DescribeFlush(FlushResult{}), "");
  FlushResult result;
  result.sent = 3;
  result.duplicates = 1;
  result.rejected = 1;
  result.pending = 2;
  result.stopped = absl::UnavailableError("down");
  EXPECT_EQ(DescribeFlush(result),
            "sent 3 queued item(s) (1 already stored); 1 rejected (see `feedbackctl outbox "
            "status`); 2 still queued");
}

// A feedbackd stand-in for the client library: answers SubmitFeedback from a script of statuses
// (then stores idempotently), recording every submission_id it was sent.
class FakeFeedbackService final : public v1::FeedbackService::Service {
 public:
  void Script(std::vector<grpc::Status> script) {
    absl::MutexLock lock(&mutex_);
    script_ = std::move(script);
  }
  std::vector<std::string> Received() const {
    absl::MutexLock lock(&mutex_);
    return received_;
  }

  grpc::Status SubmitFeedback(grpc::ServerContext*, const v1::SubmitFeedbackRequest* request,
                              v1::SubmitFeedbackResponse* response) override {
    absl::MutexLock lock(&mutex_);
    const std::string& id = request->feedback().submission_id();
    received_.push_back(id);
    if (!script_.empty()) {
      grpc::Status status = script_.front();
      script_.erase(script_.begin());
      if (!status.ok()) return status;
    }
    *response->mutable_feedback() = request->feedback();
    auto [it, inserted] = stored_.emplace(id, absl::StrCat("fb_", stored_.size() + 1));
    response->mutable_feedback()->set_id(it->second);
    response->set_duplicate(!inserted);
    return grpc::Status::OK;
  }

 private:
  mutable absl::Mutex mutex_;
  std::vector<grpc::Status> script_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::string> received_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, std::string> stored_ ABSL_GUARDED_BY(mutex_);
};

class OutboxClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }

  // Quick retries: the waits are the product's backoff, kept short to keep the test fast.
  static ClientOptions Options(const std::string& server) {
    ClientOptions options;
    options.server = server;
    options.timeout = absl::Seconds(5);
    options.retry.initial_backoff = absl::Milliseconds(1);
    options.retry.max_backoff = absl::Milliseconds(4);
    return options;
  }

  FakeFeedbackService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(OutboxClientTest, RetriesUnavailableWithTheSameSubmissionId) {
  service_.Script({grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy"),
                   grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")});
  const FeedbackClient client(Options(address()));
  v1::Feedback feedback = Item(1);
  feedback.clear_submission_id();  // the library picks one, and keeps it for every attempt
  absl::StatusOr<v1::SubmitFeedbackResponse> response = client.Submit(feedback);
  ASSERT_OK(response);
  const std::vector<std::string> received = service_.Received();
  ASSERT_THAT(received, SizeIs(3));
  EXPECT_EQ(received[0].size(), 36u);
  EXPECT_EQ(received[1], received[0]);
  EXPECT_EQ(received[2], received[0]);
  EXPECT_EQ(response->feedback().submission_id(), received[0]);
}

TEST_F(OutboxClientTest, DoesNotRetryOtherErrors) {
  service_.Script({grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "feedback.text: too long")});
  const FeedbackClient client(Options(address()));
  absl::StatusOr<v1::SubmitFeedbackResponse> response = client.Submit(Item(1));
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(service_.Received(), SizeIs(1));
}

TEST_F(OutboxClientTest, GivesUpAfterMaxAttempts) {
  service_.Script(std::vector<grpc::Status>(10, grpc::Status(grpc::StatusCode::UNAVAILABLE, "x")));
  ClientOptions options = Options(address());
  options.retry.max_attempts = 3;
  const FeedbackClient client(options);
  EXPECT_EQ(client.Submit(Item(1)).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(service_.Received(), SizeIs(3));
}

TEST(OutboxBackoff, CeilingGrowsByTheMultiplierUpToTheMaximum) {
  const RetryPolicy policy;  // 100 ms, x2, at most 2 s
  EXPECT_EQ(BackoffCeiling(policy, 1), absl::Milliseconds(100));
  EXPECT_EQ(BackoffCeiling(policy, 2), absl::Milliseconds(200));
  EXPECT_EQ(BackoffCeiling(policy, 4), absl::Milliseconds(800));
  EXPECT_EQ(BackoffCeiling(policy, 5), absl::Milliseconds(1600));
  EXPECT_EQ(BackoffCeiling(policy, 6), absl::Seconds(2));
  EXPECT_EQ(BackoffCeiling(policy, 200), absl::Seconds(2));
}

TEST_F(OutboxClientTest, SubmitOrQueueStoresWhenTheServerAnswers) {
  TempDir dir;
  const FeedbackClient client(Options(address()));
  const Outbox outbox(dir.Sub("box"));
  absl::StatusOr<Delivery> delivery = SubmitOrQueue(client, &outbox, Item(1));
  ASSERT_OK(delivery);
  ASSERT_TRUE(delivery->stored.has_value());
  EXPECT_EQ(delivery->stored->feedback().submission_id(), Uuid(1));
  EXPECT_TRUE(delivery->queued_path.empty());
  EXPECT_FALSE(fs::exists(dir.Sub("box")));
}

TEST_F(OutboxClientTest, SubmitOrQueueKeepsTheItemWhileTheServerIsDownThenFlushesItFirst) {
  TempDir dir;
  const std::string address = this->address();
  server_->Shutdown();
  server_.reset();
  const Outbox outbox(dir.Sub("box"), address);
  {
    const FeedbackClient client(Options(address));
    absl::StatusOr<Delivery> delivery = SubmitOrQueue(client, &outbox, Item(1));
    ASSERT_OK(delivery);
    EXPECT_FALSE(delivery->stored.has_value());
    EXPECT_EQ(delivery->unreachable.code(), absl::StatusCode::kUnavailable);
    EXPECT_TRUE(fs::exists(delivery->queued_path));
    // Server still down: the flush finds it unreachable, so the new item is queued at once.
    delivery = SubmitOrQueue(client, &outbox, Item(2));
    ASSERT_OK(delivery);
    EXPECT_EQ(delivery->flushed.stopped.code(), absl::StatusCode::kUnavailable);
    EXPECT_FALSE(delivery->queued_path.empty());
  }
  absl::StatusOr<OutboxStatus> status = outbox.Status();
  ASSERT_OK(status);
  EXPECT_EQ(status->pending, 2);

  // The server is back on the same address: the next submission sends the queued ones first.
  FakeFeedbackService service;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  const FeedbackClient client(Options(address));
  absl::StatusOr<Delivery> delivery = SubmitOrQueue(client, &outbox, Item(3));
  ASSERT_OK(delivery);
  ASSERT_TRUE(delivery->stored.has_value());
  EXPECT_EQ(delivery->flushed.sent, 2);
  EXPECT_THAT(service.Received(), ElementsAre(Uuid(1), Uuid(2), Uuid(3)));
  status = outbox.Status();
  ASSERT_OK(status);
  EXPECT_EQ(status->pending, 0);
  server->Shutdown();
}

TEST_F(OutboxClientTest, SubmitOrQueueWithoutAnOutboxReturnsUnreachable) {
  const std::string address = this->address();
  server_->Shutdown();
  server_.reset();
  const FeedbackClient client(Options(address));
  EXPECT_EQ(SubmitOrQueue(client, nullptr, Item(1)).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(OutboxClientTest, SubmitOrQueueReturnsRefusalsWithoutQueueing) {
  TempDir dir;
  service_.Script({grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "feedback.rating: 9")});
  const FeedbackClient client(Options(address()));
  const Outbox outbox(dir.Sub("box"));
  absl::StatusOr<Delivery> delivery = SubmitOrQueue(client, &outbox, Item(1));
  EXPECT_EQ(delivery.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(dir.Sub("box")));
}

}  // namespace outbox_test
}  // namespace
}  // namespace feedback::client
