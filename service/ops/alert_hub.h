// Fan-out of new safeguarding alerts to the duty staff who are watching.
#ifndef FEEDBACK_SERVICE_OPS_ALERT_HUB_H_
#define FEEDBACK_SERVICE_OPS_ALERT_HUB_H_

#include <functional>
#include <map>

#include "absl/synchronization/mutex.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

// Thread-safe. Listeners run on the publisher's thread, under the hub's lock: they must only
// queue the alert and return, and must not call the hub.
class AlertHub {
 public:
  using Listener = std::function<void(const v1::Alert&)>;
  // Called once when the hub closes (server shutdown).
  using OnClose = std::function<void()>;

  // Returns a handle for Unsubscribe. After Close(), `on_close` runs at once and 0 is returned.
  int Subscribe(Listener listener, OnClose on_close);
  void Unsubscribe(int handle);
  void Publish(const v1::Alert& alert);
  // Tells every listener the server is stopping; later subscriptions are refused.
  void Close();

 private:
  absl::Mutex mutex_;
  int next_handle_ ABSL_GUARDED_BY(mutex_) = 1;
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
  std::map<int, std::pair<Listener, OnClose>> listeners_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_ALERT_HUB_H_
