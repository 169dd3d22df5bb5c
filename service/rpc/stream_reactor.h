// The gRPC side of a server stream: a write reactor that is the StreamSink the core writes to
// (service/core/stream_sink.h). One per stream call; it deletes itself when gRPC is done.
#ifndef FEEDBACK_SERVICE_RPC_STREAM_REACTOR_H_
#define FEEDBACK_SERVICE_RPC_STREAM_REACTOR_H_

#include <functional>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_callback.h"
#include "proto/vocabulary/grpc_status.h"
#include "service/core/stream_sink.h"

namespace feedback {

template <typename Message>
class StreamReactor final : public grpc::ServerWriteReactor<Message>, public StreamSink<Message> {
 public:
  using typename StreamSink<Message>::Sent;
  using typename StreamSink<Message>::Callback;
  // Told the stream's status when it finishes (for the metrics and the log). May be empty.
  using Finished = std::function<void(const absl::Status&)>;

  explicit StreamReactor(Finished finished = {}) : finished_(std::move(finished)) {}

  // StreamSink
  void Open() override { this->StartSendInitialMetadata(); }
  void Send(Message message, Sent sent) override {
    {
      absl::MutexLock lock(&mutex_);
      message_ = std::move(message);
      sent_ = std::move(sent);
    }
    this->StartWrite(&message_);
  }
  void Finish(const absl::Status& status) override {
    if (finished_) finished_(status);
    grpc::ServerWriteReactor<Message>::Finish(ToGrpcStatus(status));
  }
  void WhenCancelled(Callback cancelled) override {
    {
      absl::MutexLock lock(&mutex_);
      if (!cancelled_) {
        on_cancel_ = std::move(cancelled);
        return;
      }
    }
    std::move(cancelled)();
  }
  void WhenDone(Callback done) override {
    absl::MutexLock lock(&mutex_);
    on_done_ = std::move(done);
  }

  // grpc::ServerWriteReactor
  void OnWriteDone(bool ok) override {
    Sent sent;
    {
      absl::MutexLock lock(&mutex_);
      sent = std::move(sent_);
    }
    if (sent) std::move(sent)(ok);
  }
  void OnCancel() override {
    Callback cancelled;
    {
      absl::MutexLock lock(&mutex_);
      cancelled_ = true;
      cancelled = std::move(on_cancel_);
    }
    if (cancelled) std::move(cancelled)();
  }
  void OnDone() override {
    Callback done;
    {
      absl::MutexLock lock(&mutex_);
      done = std::move(on_done_);
    }
    if (done) std::move(done)();
    delete this;
  }

 private:
  const Finished finished_;
  absl::Mutex mutex_;
  Message message_;  // the one being written; set before StartWrite, read by gRPC until done
  Sent sent_ ABSL_GUARDED_BY(mutex_);
  Callback on_cancel_ ABSL_GUARDED_BY(mutex_);
  Callback on_done_ ABSL_GUARDED_BY(mutex_);
  bool cancelled_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_STREAM_REACTOR_H_
