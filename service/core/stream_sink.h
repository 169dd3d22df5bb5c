// Where a server stream's messages go (ExportFeedback, WatchAlerts): each door implements it
// (gRPC: StreamReactor, service/rpc/stream_reactor.h), and the core writes to it.
#ifndef FEEDBACK_SERVICE_CORE_STREAM_SINK_H_
#define FEEDBACK_SERVICE_CORE_STREAM_SINK_H_

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"

namespace feedback {

// The core calls Open, Send and Finish from any thread but never two at once, sends one message
// at a time (the next only once the last one's `sent` has run), calls Finish exactly once and
// nothing after it. The sink calls back on its own threads, never from inside one of these
// calls, so the core may hold its lock while it calls them.
template <typename Message>
class StreamSink {
 public:
  using Sent = absl::AnyInvocable<void(bool ok) &&>;
  using Callback = absl::AnyInvocable<void() &&>;

  virtual ~StreamSink() = default;

  // Tells the reader that the stream is set up, before any message (gRPC: sends the headers),
  // so that a watcher knows it will hear of everything that happens from then on.
  virtual void Open() = 0;
  // Sends `message`. `sent(true)` runs once it is written; `sent(false)` if the reader has gone
  // (the stream should then be finished).
  virtual void Send(Message message, Sent sent) = 0;
  // Ends the stream with `status` (OK: everything was sent).
  virtual void Finish(const absl::Status& status) = 0;
  // `cancelled` runs once if the reader goes away or the call is cancelled (at once if that has
  // happened already); the stream must still be finished.
  virtual void WhenCancelled(Callback cancelled) = 0;
  // `done` runs once the transport is finished with the stream (after Finish and after every
  // `sent`); the sink is gone by then. For releasing what the stream held.
  virtual void WhenDone(Callback done) = 0;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_STREAM_SINK_H_
