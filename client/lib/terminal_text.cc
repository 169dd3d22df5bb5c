#include "client/lib/terminal_text.h"

#include <cstdio>

namespace feedback::client {
namespace {

constexpr int kIncomplete = -1;
constexpr int kInvalid = 0;

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length of the UTF-8 sequence at the start of `s` (1..4); kInvalid if its first byte does
// not start a valid sequence; kIncomplete if `s` ends before a sequence that is valid so far is
// complete. Strict (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
int SequenceLength(std::string_view s, char32_t* code_point) {
  const auto byte = [&s](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  int length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range allowed for the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
    if (lead == 0xED) high = 0x9F;  // surrogates U+D800..U+DFFF
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong below U+10000
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return kInvalid;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  char32_t value = lead & (0xFF >> (length + 1));
  for (int i = 1; i < length; ++i) {
    if (static_cast<size_t>(i) >= s.size()) return kIncomplete;
    const unsigned char next = byte(i);
    if (i == 1 ? (next < low || next > high) : !IsContinuation(next)) return kInvalid;
    value = (value << 6) | (next & 0x3F);
  }
  *code_point = value;
  return length;
}

// Bidirectional formatting characters: ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI.
bool IsBidiControl(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

void AppendUnicodeEscape(char32_t c, std::string& out) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
  out += buffer;
}

void AppendByteEscape(unsigned char byte, std::string& out) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
  out += buffer;
}

// Appends the one-byte character `c` (below U+0080) as shown.
void AppendAscii(char c, LineBreaks line_breaks, std::string& out) {
  switch (c) {
    case '\n':
      out += line_breaks == LineBreaks::kKeep ? "\n" : "\\n";
      return;
    case '\t':
      out += line_breaks == LineBreaks::kKeep ? "\t" : "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default:
      break;
  }
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
    AppendUnicodeEscape(static_cast<unsigned char>(c), out);
  } else {
    out += c;
  }
}

}  // namespace

std::string ForTerminal(std::string_view text, LineBreaks line_breaks) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t c = 0;
    const int length = SequenceLength(text.substr(i), &c);
    if (length <= 0) {  // invalid, or cut off by the end of the text
      AppendByteEscape(static_cast<unsigned char>(text[i]), out);
      ++i;
      continue;
    }
    if (length == 1) {
      AppendAscii(text[i], line_breaks, out);
    } else if (c <= 0x9F || IsBidiControl(c)) {  // C1 (length 2, so c >= 0x80) or bidi
      AppendUnicodeEscape(c, out);
    } else {
      out.append(text.substr(i, static_cast<size_t>(length)));
    }
    i += static_cast<size_t>(length);
  }
  return out;
}

std::string ForTerminalLine(std::string_view text) { return ForTerminal(text, LineBreaks::kShow); }

size_t CompleteUtf8Prefix(std::string_view text) {
  // A sequence is at most 4 bytes, so only a lead byte among the last 3 can be waiting.
  const size_t from = text.size() > 3 ? text.size() - 3 : 0;
  for (size_t start = from; start < text.size(); ++start) {
    char32_t ignored = 0;
    if (SequenceLength(text.substr(start), &ignored) == kIncomplete) return start;
  }
  return text.size();
}

TerminalSafeStreambuf::TerminalSafeStreambuf(std::streambuf* out) : out_(out) {}

TerminalSafeStreambuf::~TerminalSafeStreambuf() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (held_.empty()) return;
  const std::string shown = ForTerminal(held_);
  out_->sputn(shown.data(), static_cast<std::streamsize>(shown.size()));
  out_->pubsync();
}

bool TerminalSafeStreambuf::Write(std::string_view bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  held_.append(bytes);
  const size_t complete = CompleteUtf8Prefix(held_);
  const std::string shown = ForTerminal(std::string_view(held_).substr(0, complete));
  held_.erase(0, complete);
  return out_->sputn(shown.data(), static_cast<std::streamsize>(shown.size())) ==
         static_cast<std::streamsize>(shown.size());
}

TerminalSafeStreambuf::int_type TerminalSafeStreambuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char byte = traits_type::to_char_type(c);
  return Write(std::string_view(&byte, 1)) ? c : traits_type::eof();
}

std::streamsize TerminalSafeStreambuf::xsputn(const char* s, std::streamsize n) {
  if (n <= 0) return 0;
  return Write(std::string_view(s, static_cast<size_t>(n))) ? n : 0;
}

int TerminalSafeStreambuf::sync() { return out_->pubsync(); }

}  // namespace feedback::client
