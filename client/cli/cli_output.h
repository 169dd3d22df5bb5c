// How feedbackctl shows results: short human lines by default, protobuf JSON with --json.
#ifndef FEEDBACK_CLIENT_CLI_CLI_OUTPUT_H_
#define FEEDBACK_CLIENT_CLI_CLI_OUTPUT_H_

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/cli/exit_codes.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/message.h"

namespace feedback::client {

// Protobuf's canonical JSON mapping, every field printed, one object per line.
std::string ToJson(const google::protobuf::Message& message);

// A block of "name: value" lines for one item, times in Europe/London.
std::string FormatFeedbackLong(const v1::Feedback& feedback, absl::TimeZone zone);
// One line for lists: local time, id, source, kind, rating, tags, the start of the text (its
// line breaks shown as \n).
std::string FormatFeedbackLine(const v1::Feedback& feedback, absl::TimeZone zone);

// Staff terminals are safe from what the public types (docs/security.md, "Staff terminals").
// While a TerminalOutput lives, everything written to std::cerr, and to std::cout until
// KeepStdoutExact(), goes through ForTerminal (client/terminal_text.h): whatever a command
// prints, a control character from the server cannot act on the terminal. feedbackctl's main()
// holds one for the whole run, so every command, present or future, gets this by default.
// Output that must stay byte-exact (a data format: --json, report csv/json/html, export; the
// kiosk's own screen control) is written to ExactStdout() instead. A field that must stay on
// its line (a list row, a note in a history line) goes through ForTerminalLine as well, so that
// a line break in it cannot make a line that looks like the program's own.
// Not thread-safe to construct, destroy or call KeepStdoutExact(); writing is.
class TerminalOutput {
 public:
  TerminalOutput();
  // Restores std::cout and std::cerr.
  ~TerminalOutput();
  TerminalOutput(const TerminalOutput&) = delete;
  TerminalOutput& operator=(const TerminalOutput&) = delete;

  // std::cout writes its bytes unchanged from now on: for --json, whose escaping already shows
  // every control character (and keeps the text exact).
  void KeepStdoutExact();

 private:
  std::streambuf* const stdout_;  // std::cout's buffer before
  std::streambuf* const stderr_;  // std::cerr's buffer before
  std::unique_ptr<std::streambuf> safe_stdout_;
  std::unique_ptr<std::streambuf> safe_stderr_;
  std::ostream exact_stdout_;
  friend std::ostream& ExactStdout();
};

// Standard output, byte for byte (std::cout when no TerminalOutput lives). Flushes std::cout
// first, so the two stay in order. Only for data formats, never for text meant to be read in a
// terminal.
std::ostream& ExactStdout();

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_OUTPUT_H_
