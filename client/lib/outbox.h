// The offline outbox: submissions that could not reach the server, kept on the device's disk
// until they can be sent, with their original submission_id, so the server stores each once.
//
// On-disk layout of one outbox folder (one folder per server address, see OutboxDirFor):
//   server                          the address these items are for, as given to --server
//   <queued>-<submission_id>.pb     one pending item: a serialized v1::SubmitFeedbackRequest;
//                                   <queued> is the queue time in Unix microseconds, zero-padded
//                                   to 17 digits, so names sort oldest first
//   *.tmp                           an item being written; never read, and removed by a later
//                                   Open/Flush once older than a minute (a crash left it)
//   rejected/<name>.pb              an item the server refused for good, kept, never dropped,
//   rejected/<name>.error           with the server's answer beside it ("CODE: message")
//   .lock                           flock()ed by a flush, so two flushes never interleave
// Items are written to a temporary name, fsynced, renamed into place and the folder fsynced, so
// a crash or power cut leaves either no item or a whole one. Files are created 0600, folders
// 0700: they hold what children and families said. An outbox folder (or its rejected/) found
// more open is made 0700 by the next Add or Flush.
#ifndef FEEDBACK_CLIENT_LIB_OUTBOX_H_
#define FEEDBACK_CLIENT_LIB_OUTBOX_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// The outbox root when --outbox is not given: $FEEDBACK_OUTBOX if set and not empty, else
// $HOME/.local/state/feedbackctl/outbox. FAILED_PRECONDITION when neither can be found.
absl::StatusOr<std::string> DefaultOutboxRoot();

// The folder under `root` for items bound for `server`: root/<server with every character other
// than [A-Za-z0-9.-] replaced by '_'>, e.g. root/127.0.0.1_50051. Items queued for one server are
// only ever sent to that server (never, say, a kiosk's items to a test server).
std::string OutboxDirFor(const std::string& root, const std::string& server);

class Outbox;

// The outbox for items bound for `server`: OutboxDirFor(root, server), with `root` empty meaning
// DefaultOutboxRoot(). Fails only if `root` is empty and no default can be found.
[[nodiscard]] absl::StatusOr<Outbox> OutboxForServer(const std::string& root,
                                                     const std::string& server);

// A pending item, as read from its file.
struct PendingItem {
  std::string path;
  absl::Time queued_at;
  v1::SubmitFeedbackRequest request;
};

// An item the server refused for good (INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION), or
// a file that could not be read as an item.
struct RejectedItem {
  std::string path;           // rejected/<name>.pb
  std::string submission_id;  // from the file name
  std::string error;          // "CODE: message"
};

// What `outbox status` shows for one folder.
struct OutboxStatus {
  std::string dir;
  std::string server;  // from the `server` file; empty if nothing was ever queued
  int pending = 0;
  std::optional<absl::Time> oldest_queued_at;  // unset when nothing is pending
  std::string oldest_submission_id;
  std::vector<RejectedItem> rejected;  // oldest first
};

// What one flush did.
struct FlushResult {
  int sent = 0;        // acknowledged by the server (duplicates included) and removed
  int duplicates = 0;  // of those, the server already held
  int rejected = 0;    // moved to rejected/ by this flush
  int pending = 0;     // still in the outbox afterwards
  // Another flush held the lock and the caller chose not to wait: nothing was attempted.
  bool skipped_locked = false;
  // Why the flush stopped before the last item: UNAVAILABLE / DEADLINE_EXCEEDED (the server is
  // unreachable), UNAUTHENTICATED / PERMISSION_DENIED (the token), or any other error the server
  // gave that is not a rejection. The item it was sending stays pending. OK otherwise.
  absl::Status stopped;
};

// A one-line account for people of what a flush did, e.g. "sent 3 queued item(s) (1 already
// stored); 1 rejected (see `feedbackctl outbox status`); 2 still queued"; empty when it did
// nothing.
std::string DescribeFlush(const FlushResult& result);

// Sends one stored request; the server's answer, as FeedbackClient::Submit gives it.
using SendFunction =
    std::function<absl::StatusOr<v1::SubmitFeedbackResponse>(const v1::SubmitFeedbackRequest&)>;

// One outbox folder. Holds no file open between calls, so any number of Outbox objects, threads
// and processes may use one folder at once: Add never blocks, flushes exclude each other with an
// flock, and Status reads without locking (a concurrent flush may make it slightly stale).
// Thread-safe (stateless apart from its path).
class Outbox {
 public:
  // `dir`: the folder (created, with its parents, by the first Add). `server`: the address the
  // items are for, recorded in dir/server by Add; may be empty.
  explicit Outbox(std::string dir, std::string server = "");

  const std::string& dir() const { return dir_; }

  // Stores `feedback` durably (fsynced file and folder) before returning; returns its path. The
  // request is kept byte for byte: a flush sends exactly what is stored, so the caller must store
  // exactly what it may already have sent (see PrepareForDelivery).
  // REQUIRES: feedback.submission_id() is not empty.
  [[nodiscard]] absl::StatusOr<std::string> Add(const v1::Feedback& feedback,
                                                absl::Time queued_at = absl::Now()) const;

  // The pending items, oldest first (an empty list if the folder does not exist). A file that
  // cannot be parsed is skipped here; Flush moves it to rejected/.
  [[nodiscard]] absl::StatusOr<std::vector<PendingItem>> Pending() const;

  [[nodiscard]] absl::StatusOr<OutboxStatus> Status() const;

  // Sends every pending item, oldest first, with `send`, under the folder's lock:
  //   OK (stored, or duplicate = true): the file is removed, only now;
  //   INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION: moved to rejected/ with the error;
  //   anything else: the flush stops there (FlushResult::stopped), the item stays pending.
  // With `wait_for_lock` false, returns at once (skipped_locked) if another flush is running.
  // Also removes stale *.tmp files. Returns an error only if the folder cannot be read or written.
  [[nodiscard]] absl::StatusOr<FlushResult> Flush(const SendFunction& send,
                                                  bool wait_for_lock = true) const;
  // Flush through `client` (its deadline and retry policy apply to each item).
  [[nodiscard]] absl::StatusOr<FlushResult> Flush(const FeedbackClient& client,
                                                  bool wait_for_lock = true) const;

  // Removes *.tmp files last written more than `min_age` ago (an Add cut short by a crash);
  // younger ones may be an Add in progress in another process. Returns how many were removed.
  [[nodiscard]] absl::StatusOr<int> RemoveStaleTemporaries(
      absl::Duration min_age = absl::Minutes(1)) const;

 private:
  std::string dir_;
  std::string server_;
};

// Every outbox folder under `root` (those holding a `server` file), with its status. An empty
// list if `root` does not exist.
[[nodiscard]] absl::StatusOr<std::vector<OutboxStatus>> ListOutboxes(const std::string& root);

// Gives `feedback` a new submission_id if it has none, and occurred_at = `now` (to the
// microsecond) if unset, before the first attempt: an item sent later from the outbox then has
// the same content as any attempt that may have reached the server, and still belongs to the
// quarter in which it was given.
void PrepareForDelivery(v1::Feedback& feedback, absl::Time now = absl::Now());

// How SubmitOrQueue delivered an item.
struct Delivery {
  // The server's answer, when it stored the item (or already held it).
  std::optional<v1::SubmitFeedbackResponse> stored;
  // When the server could not be reached: the item's file in the outbox, and why.
  std::string queued_path;
  absl::Status unreachable;
  // What the automatic flush of earlier items did first; flush_error if the outbox could not
  // be read (the new item was still sent).
  FlushResult flushed;
  absl::Status flush_error;
};

// The library's one way to submit without ever losing an item. First flushes `outbox` (best
// effort: not waiting if another flush runs). Then sends `feedback` with `client` (its retry
// policy applies), unless that flush just found the server unreachable; if the server cannot be
// reached (UNAVAILABLE / DEADLINE_EXCEEDED after the retries), stores the item in `outbox` and
// reports it queued. Any other error from the server is returned as is (nothing queued). If the
// item can be neither sent nor queued, returns the send error with the outbox's error appended.
// `outbox` may be null (no outbox could be found): then unreachable errors are returned as is.
// `feedback` is sent as given except for a missing submission_id; call PrepareForDelivery first.
[[nodiscard]] absl::StatusOr<Delivery> SubmitOrQueue(const FeedbackClient& client,
                                                     const Outbox* outbox, v1::Feedback feedback);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_OUTBOX_H_
