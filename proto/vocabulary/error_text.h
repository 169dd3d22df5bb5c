// Values a client sent, echoed in error messages. An error may name what it refused, but never
// repeat a whole 60 kB id back, nor pass a client's control characters to a log or a terminal.
// Lives in storage (the lowest library) because the store's errors echo ids too.
#ifndef FEEDBACK_PROTO_VOCABULARY_ERROR_TEXT_H_
#define FEEDBACK_PROTO_VOCABULARY_ERROR_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace feedback {

// How much of a client's value an error message shows, in bytes.
inline constexpr size_t kMaxEchoBytes = 64;

// `value` as an error message may show it: in double quotes, at most its first kMaxEchoBytes
// bytes, C-escaped (control characters, quotes, backslashes and every byte outside printable
// ASCII as \n, \", \x1b, \xe2...), followed by "... (N bytes)" when it was cut.
// At most 4 * kMaxEchoBytes + 40 bytes long. Thread-safe.
//
// Example:
//   QuoteClientValue("fb_123")                -> "\"fb_123\""
//   QuoteClientValue("a\x1b[31m")             -> "\"a\\x1b[31m\""
//   QuoteClientValue(std::string(60000, 'x')) -> "\"xxx...x\"... (60000 bytes)" (64 x's)
std::string QuoteClientValue(std::string_view value);

// Longest error message a caller is sent, in bytes, by any door. Values a client sent are echoed
// through QuoteClientValue; this is the backstop for any message.
inline constexpr size_t kMaxErrorMessageBytes = 1024;

// `message` as a door sends it: whole if at most kMaxErrorMessageBytes long, else cut there (on
// a UTF-8 boundary, never inside a multi-byte character) and ended with "...". Thread-safe.
std::string CapErrorMessage(std::string_view message);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_ERROR_TEXT_H_
