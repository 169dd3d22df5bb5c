#include "service/ceilings/ceilings.h"

#include <unistd.h>

#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace feedback::ceilings {
namespace {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

// Appends (key, value) pairs to `db` in synced writes: one write at a time, holding every pair
// that arrived while the previous write synced.
class GroupCommitter {
 public:
  using Done = std::function<void(const grpc::Status&)>;

  explicit GroupCommitter(std::unique_ptr<rocksdb::DB> db)
      : db_(std::move(db)), thread_([this] { CommitGroups(); }) {}

  ~GroupCommitter() {
    {
      absl::MutexLock lock(&mutex_);
      stopping_ = true;
    }
    thread_.join();
  }

  // One call's writes, put in the batch with the other calls' of its group: a key and its
  // value, then keys with empty values (none by default, so the one-key ceiling allocates
  // nothing more than it did before there were any).
  struct Writes {
    std::string key;
    std::string value;
    std::vector<std::string> empty_keys;
  };

  void Append(Writes writes, Done done) {
    absl::MutexLock lock(&mutex_);
    pending_.push_back({std::move(writes), std::move(done)});
  }

 private:
  struct Pending {
    Writes writes;
    Done done;
  };

  void CommitGroups() {
    rocksdb::WriteOptions synced;
    synced.sync = true;
    for (;;) {
      std::vector<Pending> group;
      {
        absl::MutexLock lock(&mutex_);
        mutex_.Await(absl::Condition(this, &GroupCommitter::HasWorkOrStopping));
        if (pending_.empty()) return;  // stopping, nothing left
        group.swap(pending_);
      }
      rocksdb::WriteBatch batch;
      for (const Pending& each : group) {
        batch.Put(each.writes.key, each.writes.value);
        for (const std::string& key : each.writes.empty_keys) batch.Put(key, "");
      }
      const rocksdb::Status written = db_->Write(synced, &batch);
      const grpc::Status answer =
          written.ok() ? grpc::Status::OK
                       : grpc::Status(grpc::StatusCode::UNAVAILABLE, "the ceiling's write failed");
      for (Pending& each : group) each.done(answer);
    }
  }

  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return stopping_ || !pending_.empty();
  }

  std::unique_ptr<rocksdb::DB> db_;
  absl::Mutex mutex_;
  std::vector<Pending> pending_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;  // last: starts once the rest is made
};

class EchoService final : public v1::FeedbackService::CallbackService {
  ServerUnaryReactor* SubmitFeedback(CallbackServerContext* context,
                                     const v1::SubmitFeedbackRequest* request,
                                     v1::SubmitFeedbackResponse* response) override {
    *response->mutable_feedback() = request->feedback();
    ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// What one call writes: the request under its submission id, then keys_per_call - 1 more keys
// with empty values, each under a prefix of its own ("01/", "02/", ...) followed by the time and
// the submission id, as feedbackd's idempotency and time-index entries are short keys beside a
// submission's record.
GroupCommitter::Writes WritesOf(const v1::SubmitFeedbackRequest& request, int keys_per_call) {
  const std::string& id = request.feedback().submission_id();
  GroupCommitter::Writes writes{.key = id, .value = request.SerializeAsString(), .empty_keys = {}};
  if (keys_per_call > 1) {
    writes.empty_keys.reserve(keys_per_call - 1);
    const std::string suffix =
        absl::StrCat(absl::Hex(absl::ToUnixMicros(absl::Now()), absl::kZeroPad16), id);
    for (int extra = 1; extra < keys_per_call; ++extra) {
      writes.empty_keys.push_back(absl::StrCat(absl::Dec(extra, absl::kZeroPad2), "/", suffix));
    }
  }
  return writes;
}

class CommitService final : public v1::FeedbackService::CallbackService {
 public:
  CommitService(GroupCommitter* committer, int keys_per_call)
      : committer_(committer), keys_per_call_(keys_per_call) {}

 private:
  // The writes are made here, on the calling thread; the committer only appends.
  ServerUnaryReactor* SubmitFeedback(CallbackServerContext* context,
                                     const v1::SubmitFeedbackRequest* request,
                                     v1::SubmitFeedbackResponse* response) override {
    *response->mutable_feedback() = request->feedback();
    ServerUnaryReactor* reactor = context->DefaultReactor();
    committer_->Append(WritesOf(*request, keys_per_call_),
                       [reactor](const grpc::Status& status) { reactor->Finish(status); });
    return reactor;
  }

  GroupCommitter* committer_;
  const int keys_per_call_;
};

absl::StatusOr<std::unique_ptr<grpc::Server>> StartOnLoopback(grpc::Service* service, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), port);
  builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *port == 0) {
    return absl::UnavailableError("could not listen on a loopback port");
  }
  return server;
}

class Servers final : public CeilingServers {
 public:
  Servers(std::unique_ptr<rocksdb::DB> db, int keys_per_call)
      : committer_(std::move(db)), commit_service_(&committer_, keys_per_call) {}

  ~Servers() override {
    // Servers first: no call may reach the committer once it is gone.
    if (commit_server_) commit_server_->Shutdown();
    if (echo_server_) echo_server_->Shutdown();
  }

  absl::Status Start() {
    absl::StatusOr<std::unique_ptr<grpc::Server>> echo =
        StartOnLoopback(&echo_service_, &echo_port_);
    if (!echo.ok()) return echo.status();
    echo_server_ = *std::move(echo);
    absl::StatusOr<std::unique_ptr<grpc::Server>> commit =
        StartOnLoopback(&commit_service_, &commit_port_);
    if (!commit.ok()) return commit.status();
    commit_server_ = *std::move(commit);
    return absl::OkStatus();
  }

  std::string echo_address() const override { return absl::StrCat("127.0.0.1:", echo_port_); }
  std::string commit_address() const override { return absl::StrCat("127.0.0.1:", commit_port_); }

 private:
  GroupCommitter committer_;
  EchoService echo_service_;
  CommitService commit_service_;
  int echo_port_ = 0;
  int commit_port_ = 0;
  std::unique_ptr<grpc::Server> echo_server_;
  std::unique_ptr<grpc::Server> commit_server_;
};

// Returns when stdin reaches its end (or fails).
void WaitForStdinToClose() {
  char buffer[256];
  while (read(STDIN_FILENO, buffer, sizeof buffer) > 0) {
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CeilingServers>> CeilingServers::Start(const std::string& data_dir,
                                                                      int keys_per_call) {
  if (keys_per_call < 1 || keys_per_call > kMaxKeysPerCall) {
    return absl::InvalidArgumentError(
        absl::StrCat("--keys-per-call: must be 1 to ", kMaxKeysPerCall, ", not ", keys_per_call));
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* opened = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(options, data_dir, &opened);
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat("--data-dir: cannot open a store in ", data_dir, ": ", status.ToString()));
  }
  auto servers = std::make_unique<Servers>(std::unique_ptr<rocksdb::DB>(opened), keys_per_call);
  if (absl::Status started = servers->Start(); !started.ok()) return started;
  return servers;
}

void AddCeilingsCommand(CLI::App& app, int* exit_code) {
  auto data_dir = std::make_shared<std::string>();
  auto keys_per_call = std::make_shared<int>(1);
  CLI::App* command = app.add_subcommand(
      "ceilings",
      "serve the benchmark's two ceilings, a bare gRPC echo and an echo that group-commits one "
      "synced RocksDB write per call, on loopback, until stdin closes; `feedbackctl bench "
      "--ceilings` starts this itself");
  command
      ->add_option("--data-dir", *data_dir,
                   "folder for the commit ceiling's store, on the disk to be measured "
                   "(created if missing)")
      ->required();
  command->add_option(
      "--keys-per-call", *keys_per_call,
      absl::StrCat("keys each call puts in the commit ceiling's write (default 1: the request; "
                   "up to ",
                   kMaxKeysPerCall,
                   "): with 3, as many as a submission writes in feedbackd's store, its "
                   "record, its idempotency entry and its time-index entry, to tell what those "
                   "writes cost apart from the rest of the service"));
  command->callback([data_dir, keys_per_call, exit_code] {
    absl::StatusOr<std::unique_ptr<CeilingServers>> servers =
        CeilingServers::Start(*data_dir, *keys_per_call);
    if (!servers.ok()) {
      std::cerr << "feedbackd: " << servers.status().message() << std::endl;
      *exit_code = 1;
      return;
    }
    std::cout << "echo " << (*servers)->echo_address() << "\n"
              << "commit " << (*servers)->commit_address() << std::endl;
    WaitForStdinToClose();
    *exit_code = 0;
  });
}

}  // namespace feedback::ceilings
