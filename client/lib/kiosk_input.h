// The kiosk's input from a file descriptor: the terminal a person types at, or a pipe or file.
#ifndef FEEDBACK_CLIENT_LIB_KIOSK_INPUT_H_
#define FEEDBACK_CLIENT_LIB_KIOSK_INPUT_H_

#include <string>

#include "absl/time/time.h"
#include "client/lib/kiosk.h"

namespace feedback::client {

// Lines read from `fd` with poll(2), so that the kiosk can wait for a line and for time at once
// (the thank-you's pause, the waiting mark). Ends of input:
//   * at a terminal, Ctrl-D at the start of a line is kEndOfInput (the terminal stays open, and
//     more lines may follow); a hang-up or a read error is kClosed;
//   * on a pipe or file, the end of the data is kClosed (after any last line without "\n").
// A stop request, `stop_fd` becoming readable (a signal handler writes to a pipe), is kClosed
// at once, whatever input is pending. Not thread-safe; borrows both descriptors.
class FdKioskInput final : public KioskInput {
 public:
  // `stop_fd`: -1 for none.
  explicit FdKioskInput(int fd, int stop_fd = -1);
  FdKioskInput(const FdKioskInput&) = delete;
  FdKioskInput& operator=(const FdKioskInput&) = delete;

  Event Next(absl::Time deadline, std::string& line) override;

  // True when `fd` is a terminal.
  bool interactive() const { return interactive_; }

 private:
  const int fd_;
  const int stop_fd_;
  const bool interactive_;
  std::string buffer_;  // read, not yet returned
  bool closed_ = false;
};

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_KIOSK_INPUT_H_
