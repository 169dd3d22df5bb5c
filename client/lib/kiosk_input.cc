#include "client/lib/kiosk_input.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace feedback::client {
namespace {

// A line longer than this without "\n" is handed over as it is (the kiosk then says it is too
// long), so that endless input cannot fill memory.
constexpr size_t kMaxLineBytes = size_t{64} * 1024;

// poll(2)'s timeout for `deadline`: -1 for none, else milliseconds rounded up.
int TimeoutMs(absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return -1;
  const absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  return static_cast<int>(std::min<int64_t>(
      absl::ToInt64Milliseconds(absl::Ceil(left, absl::Milliseconds(1))), 3'600'000));
}

}  // namespace

FdKioskInput::FdKioskInput(int fd, int stop_fd)
    : fd_(fd), stop_fd_(stop_fd), interactive_(isatty(fd) == 1) {}

KioskInput::Event FdKioskInput::Next(absl::Time deadline, std::string& line) {
  for (;;) {
    if (const size_t end = buffer_.find('\n'); end != std::string::npos) {
      line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      return Event::kLine;
    }
    if (buffer_.size() >= kMaxLineBytes || (closed_ && !buffer_.empty())) {
      line = std::move(buffer_);
      buffer_.clear();
      return Event::kLine;
    }
    if (closed_) return Event::kClosed;
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    const int ready = poll(fds, stop_fd_ >= 0 ? 2 : 1, TimeoutMs(deadline));
    if (ready < 0) {
      if (errno == EINTR) continue;
      closed_ = true;
      continue;
    }
    if (ready == 0) return Event::kTimeout;
    if (stop_fd_ >= 0 && fds[1].revents != 0) {
      closed_ = true;
      buffer_.clear();  // a stop is a stop: no half-typed answer is taken
      return Event::kClosed;
    }
    if (fds[0].revents == 0) continue;
    char bytes[4096];
    const ssize_t n = read(fd_, bytes, sizeof bytes);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      closed_ = true;  // EIO: the terminal went away
      continue;
    }
    if (n == 0) {
      // Ctrl-D at a terminal that is still there; anything else is the end.
      if (interactive_ && (fds[0].revents & POLLHUP) == 0) return Event::kEndOfInput;
      closed_ = true;
      continue;
    }
    buffer_.append(bytes, static_cast<size_t>(n));
  }
}

}  // namespace feedback::client
