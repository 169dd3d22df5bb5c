#include "service/ops/alert_hub.h"

namespace feedback {

int AlertHub::Subscribe(Listener listener, OnClose on_close) {
  {
    absl::MutexLock lock(&mutex_);
    if (!closed_) {
      const int handle = next_handle_++;
      listeners_.emplace(handle, std::make_pair(std::move(listener), std::move(on_close)));
      return handle;
    }
  }
  on_close();
  return 0;
}

void AlertHub::Unsubscribe(int handle) {
  absl::MutexLock lock(&mutex_);
  listeners_.erase(handle);
}

void AlertHub::Publish(const v1::Alert& alert) {
  absl::MutexLock lock(&mutex_);
  for (auto& [handle, listener] : listeners_) listener.first(alert);
}

void AlertHub::Close() {
  absl::MutexLock lock(&mutex_);
  closed_ = true;
  for (auto& [handle, listener] : listeners_) listener.second();
}

}  // namespace feedback
