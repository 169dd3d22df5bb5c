// Text that the public typed, made safe to show on a staff member's terminal.
//
// A terminal acts on some characters instead of showing them: ESC starts sequences that retitle
// the window, clear the screen, move the cursor or (on some terminals) write files; CR and
// backspace overwrite what was already shown; C1 controls such as U+009B (CSI) do what ESC does;
// bidirectional overrides reorder the rest of the line, so "fb_1 upheld" can be made to read
// differently from what it is. ForTerminal shows each such character as a visible escape
// instead, and leaves every other character, in any script, exactly as it was.
//
// The visible form is JSON's (and JavaScript's) string escape, so it reads the same as in
// `feedbackctl --json` output (docs/security.md, "Staff terminals"):
//   \b \f \r           backspace, form feed, carriage return
//   \n \t              line feed and tab, only in LineBreaks::kShow (one-line fields)
//   \u0000..\u001f     every other C0 control, e.g. \u001b for ESC and \u0007 for BEL
//   \u007f             DEL
//   \u0080..\u009f     C1 controls (written in UTF-8 as C2 80..C2 9F), e.g. \u009b
//   \u061c \u200e \u200f \u202a..\u202e \u2066..\u2069
//                      bidirectional marks, embeddings, overrides and isolates
//   \xNN               a byte that is not part of valid UTF-8 (overlong forms, surrogates,
//                      code points above U+10FFFF, stray continuation bytes, a cut sequence)
// A backslash is not itself escaped: text that already reads "\u001b" is shown as it is, so the
// display can be ambiguous but never acts on the terminal. Use --json for the exact text.
//
// Example:
//   ForTerminal("hi\x1b]0;pwned\x07\nthere")        == "hi\\u001b]0;pwned\\u0007\nthere"
//   ForTerminal("a\nb", LineBreaks::kShow)          == "a\\nb"
//   ForTerminal("Dziękuję 🙂")                       == "Dziękuję 🙂"
#ifndef FEEDBACK_CLIENT_LIB_TERMINAL_TEXT_H_
#define FEEDBACK_CLIENT_LIB_TERMINAL_TEXT_H_

#include <mutex>
#include <streambuf>
#include <string>
#include <string_view>

namespace feedback::client {

enum class LineBreaks {
  kKeep,  // line feed and tab are written as they are: a block of text
  kShow,  // line feed and tab are shown as \n and \t: a field on one line of a list
};

// `text` with every character listed above shown as its visible escape. Pure; thread-safe.
std::string ForTerminal(std::string_view text, LineBreaks line_breaks = LineBreaks::kKeep);

// ForTerminal(text, LineBreaks::kShow): for a value that must stay on its line, so that it
// cannot start a line of its own that looks like the program's output.
std::string ForTerminalLine(std::string_view text);

// The length of the longest prefix of `text` that does not end inside a UTF-8 sequence that the
// following bytes could still complete ("\xE0\xA4" at the end is held back; "\xE0\x41" is not).
size_t CompleteUtf8Prefix(std::string_view text);

// A stream buffer that writes everything through ForTerminal(…, kKeep) to another one, so a
// whole stream (std::cout, std::cerr) is safe however its writers format their text. A UTF-8
// sequence split across two writes is held back until it is complete; what is still held when
// the buffer is destroyed is written then (as \xNN). It keeps no other buffer, so what it writes
// reaches `out` in order. Thread-safe: writers on several threads are serialised.
//
// Example:
//   TerminalSafeStreambuf safe(std::cerr.rdbuf());
//   std::streambuf* old = std::cerr.rdbuf(&safe);
//   ...
//   std::cerr.rdbuf(old);
class TerminalSafeStreambuf final : public std::streambuf {
 public:
  // `out` is borrowed and must outlive this buffer.
  explicit TerminalSafeStreambuf(std::streambuf* out);
  ~TerminalSafeStreambuf() override;
  TerminalSafeStreambuf(const TerminalSafeStreambuf&) = delete;
  TerminalSafeStreambuf& operator=(const TerminalSafeStreambuf&) = delete;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  // Writes the complete part of held_ + `bytes`; keeps an incomplete tail in held_.
  bool Write(std::string_view bytes);

  std::streambuf* const out_;
  std::mutex mutex_;
  std::string held_;  // guarded by mutex_: the start of a UTF-8 sequence not yet complete
};

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_TERMINAL_TEXT_H_
