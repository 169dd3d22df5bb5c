// Staff terminals are safe from what the public types (client/terminal_text.h): every control
// character a terminal acts on is shown as a visible escape, every other character (in any
// script) is left alone, invalid UTF-8 is shown byte by byte, and nothing is lost. Also the
// stream buffer and TerminalOutput that put it under all of feedbackctl's human output, and the
// Markdown report, which is read in terminals too. No server.
#include "client/lib/terminal_text.h"

#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/cli_output.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace terminal_text_test {

using ::testing::HasSubstr;
using ::testing::Not;

// UTF-8 of one code point (the test's own encoder, independent of the code under test).
std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// What a terminal must never receive from the server's text: C0 controls but line feed and tab,
// DEL, C1 controls (as UTF-8), and bidirectional formatting characters. Returns a description of
// the first one found in `shown`, or "" if there is none.
std::string FirstActiveCharacter(std::string_view shown, bool allow_line_breaks) {
  for (size_t i = 0; i < shown.size(); ++i) {
    const auto byte = static_cast<unsigned char>(shown[i]);
    if ((byte < 0x20 && !(allow_line_breaks && (byte == '\n' || byte == '\t'))) || byte == 0x7F) {
      return absl::StrFormat("byte 0x%02x at %d", byte, i);
    }
  }
  for (char32_t c = 0x80; c <= 0x9F; ++c) {
    if (shown.find(Utf8(c)) != std::string_view::npos) {
      return absl::StrFormat("U+%04X", static_cast<unsigned>(c));
    }
  }
  for (char32_t c : {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                     0x2068, 0x2069}) {
    if (shown.find(Utf8(c)) != std::string_view::npos) {
      return absl::StrFormat("U+%04X", static_cast<unsigned>(c));
    }
  }
  return "";
}

// True if `text` is valid UTF-8 (strict: no overlong forms, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char lead = b(0);
    size_t n = lead < 0x80   ? 1
               : lead < 0xC2 ? 0
               : lead < 0xE0 ? 2
               : lead < 0xF0 ? 3
               : lead < 0xF5 ? 4
                             : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((b(k) & 0xC0) != 0x80) return false;
    }
    if ((lead == 0xE0 && b(1) < 0xA0) || (lead == 0xED && b(1) > 0x9F) ||
        (lead == 0xF0 && b(1) < 0x90) || (lead == 0xF4 && b(1) > 0x8F)) {
      return false;
    }
    i += n;
  }
  return true;
}

// Reverses the escapes of ForTerminal for a text that held no backslash of its own.
std::string Unescape(std::string_view shown) {
  std::string out;
  for (size_t i = 0; i < shown.size(); ++i) {
    if (shown[i] != '\\') {
      out += shown[i];
      continue;
    }
    const char kind = shown[++i];
    switch (kind) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'x':
        out += static_cast<char>(std::stoi(std::string(shown.substr(i + 1, 2)), nullptr, 16));
        i += 2;
        break;
      case 'u':
        out += Utf8(
            static_cast<char32_t>(std::stoi(std::string(shown.substr(i + 1, 4)), nullptr, 16)));
        i += 4;
        break;
      default:
        ADD_FAILURE() << "unknown escape \\" << kind;
    }
  }
  return out;
}

TEST(TerminalText, LeavesPrintableTextInEveryScriptAlone) {
  for (const std::string& text : {
           std::string("The chair made sure we were heard. 100% (really) \\ back/slash ~ {x}"),
           std::string("Zażółć gęślą jaźń. Dziękuję bardzo!"),  // Polish
           std::string("આભાર, મને સાંભળવામાં આવ્યો"),               // Gujarati
           std::string("شكراً لكم، שלום"),  // Arabic and Hebrew, right to left by themselves
           std::string("ありがとう 谢谢 감사합니다"),
           std::string(
               "🙂 👍🏽 👨‍👩‍👧 🏳️‍🌈"),  // emoji with skin tone, ZWJ
                                                                    // sequences, variation selector
           std::string("e\xCC\x81 caf\xC3\xA9 \xC2\xA0nbsp \xE2\x80\x93 dash \xE2\x80\xAF narrow"),
       }) {
    EXPECT_EQ(ForTerminal(text), text);
    EXPECT_EQ(ForTerminalLine(text), text);
  }
}

TEST(TerminalText, KeepsLineFeedAndTabInABlockAndShowsThemOnOneLine) {
  EXPECT_EQ(ForTerminal("one\n\ttwo\n"), "one\n\ttwo\n");
  EXPECT_EQ(ForTerminal("one\n\ttwo\n", LineBreaks::kShow), "one\\n\\ttwo\\n");
  EXPECT_EQ(ForTerminalLine("one\n\ttwo"), "one\\n\\ttwo");
}

TEST(TerminalText, ShowsEveryOtherC0ControlAndDel) {
  const std::vector<std::pair<char, std::string>> named = {
      {'\b', "\\b"}, {'\f', "\\f"}, {'\r', "\\r"}};
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\n' || c == '\t') continue;
    std::string expected = absl::StrFormat("\\u%04x", c);
    for (const auto& [byte, name] : named) {
      if (byte == c) expected = name;
    }
    const std::string text = absl::StrCat("a", std::string(1, static_cast<char>(c)), "b");
    EXPECT_EQ(ForTerminal(text), absl::StrCat("a", expected, "b")) << "control " << c;
    EXPECT_EQ(ForTerminalLine(text), absl::StrCat("a", expected, "b")) << "control " << c;
  }
  EXPECT_EQ(ForTerminal("a\x7f"
                        "b"),
            "a\\u007fb");
  EXPECT_EQ(ForTerminal(std::string("nul\0here", 8)), "nul\\u0000here");
}

TEST(TerminalText, ShowsEveryC1Control) {
  for (char32_t c = 0x80; c <= 0x9F; ++c) {
    EXPECT_EQ(ForTerminal(absl::StrCat("a", Utf8(c), "b")),
              absl::StrCat("a", absl::StrFormat("\\u%04x", static_cast<unsigned>(c)), "b"))
        << static_cast<unsigned>(c);
  }
  // The character after them is text.
  EXPECT_EQ(ForTerminal(Utf8(0xA0)), Utf8(0xA0));
}

TEST(TerminalText, ShowsBidirectionalFormattingCharacters) {
  for (char32_t c : {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
                     0x2068, 0x2069}) {
    EXPECT_EQ(
        ForTerminal(absl::StrCat("fb_1 ", Utf8(c), "dleheld")),
        absl::StrCat("fb_1 ", absl::StrFormat("\\u%04x", static_cast<unsigned>(c)), "dleheld"))
        << static_cast<unsigned>(c);
  }
  // Their neighbours (joiners, separators, narrow space) are ordinary text here.
  for (char32_t c : {0x061B, 0x200C, 0x200D, 0x2010, 0x2029, 0x202F, 0x2065, 0x206A}) {
    EXPECT_EQ(ForTerminal(Utf8(c)), Utf8(c)) << static_cast<unsigned>(c);
  }
}

TEST(TerminalText, ShowsInvalidUtf8ByteByByte) {
  EXPECT_EQ(ForTerminal("a\x80"
                        "b"),
            "a\\x80b");  // a lone continuation byte
  EXPECT_EQ(ForTerminal("\x9b"
                        "2J"),
            "\\x9b2J");                                                // 8-bit CSI, not UTF-8
  EXPECT_EQ(ForTerminal("\xC0\xAF"), "\\xc0\\xaf");                    // overlong "/"
  EXPECT_EQ(ForTerminal("\xC1\xBF"), "\\xc1\\xbf");                    // overlong DEL
  EXPECT_EQ(ForTerminal("\xE0\x80\xAF"), "\\xe0\\x80\\xaf");           // overlong, three bytes
  EXPECT_EQ(ForTerminal("\xED\xA0\x80"), "\\xed\\xa0\\x80");           // a UTF-16 surrogate
  EXPECT_EQ(ForTerminal("\xF4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(ForTerminal("\xF5\xFE\xFF"), "\\xf5\\xfe\\xff");
  EXPECT_EQ(ForTerminal("cut \xE0\xAA"), "cut \\xe0\\xaa");  // a sequence cut by the end
  EXPECT_EQ(ForTerminal("\xE0\xAA"
                        "A\xE0\xAA\xAD"),
            "\\xe0\\xaaA\xE0\xAA\xAD");  // then a valid one
  // An overlong ESC must not slip through as ESC.
  EXPECT_EQ(ForTerminal("\xC0\x9B"), "\\xc0\\x9b");
}

TEST(TerminalText, NeutralisesTheAttacksAStaffTerminalMeets) {
  // Window title (OSC), clear screen (CSI), overwrite by carriage return and backspace,
  // right-to-left override, C1 CSI, DEL, all in one text.
  const std::string attack =
      "ok\x1b]0;pwned\x07 \x1b[2J fine\rBAD \b\b\b \xE2\x80\xAE"
      "dleheld \xC2\x9B"
      "31m x\x7f";
  EXPECT_EQ(ForTerminal(attack),
            "ok\\u001b]0;pwned\\u0007 \\u001b[2J fine\\rBAD \\b\\b\\b \\u202edleheld \\u009b31m "
            "x\\u007f");
  EXPECT_EQ(FirstActiveCharacter(ForTerminal(attack), true), "");
}

TEST(TerminalText, IsIdempotent) {
  const std::string mixed =
      "Dziękuję\x1b[31m\n\tred\r\xE2\x80\xAE\xC2\x85\xFF \\u001b already escaped";
  EXPECT_EQ(ForTerminal(ForTerminal(mixed)), ForTerminal(mixed));
  EXPECT_EQ(ForTerminalLine(ForTerminalLine(mixed)), ForTerminalLine(mixed));
}

// Any bytes at all: the result is valid UTF-8 with nothing a terminal acts on, and (for a text
// without backslashes of its own) the escapes give back exactly the bytes that went in.
TEST(TerminalText, AnyBytesComeOutSafeValidAndReversible) {
  std::mt19937 random(20181001);
  // Bytes weighted towards the awkward ones, and whole characters of every kind.
  const std::vector<std::string> pieces = {
      "a",          " ",        "\n",         "\t",         "\r",
      "\b",         "\x1b",     "\x07",       "\x7f",       std::string(1, '\0'),
      "\x80",       "\xC2",     "\xE0",       "\xED",       "\xF0",
      "\xF4",       "\xFF",     "\xA0",       "\xBF",       "\x9B",
      Utf8(0x85),   Utf8(0x9B), Utf8(0x202E), Utf8(0x2066), Utf8(0x061C),
      Utf8(0x200F), "ż",        "આ",          "🙂",       "\xE2\x80\x8D"};
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const int length = std::uniform_int_distribution<int>(0, 24)(random);
    for (int i = 0; i < length; ++i) {
      if (random() % 3 == 0) {
        text += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
      } else {
        text += pieces[random() % pieces.size()];
      }
    }
    if (text.find('\\') != std::string::npos) continue;
    for (LineBreaks mode : {LineBreaks::kKeep, LineBreaks::kShow}) {
      const std::string shown = ForTerminal(text, mode);
      ASSERT_EQ(FirstActiveCharacter(shown, mode == LineBreaks::kKeep), "")
          << absl::CHexEscape(text) << " -> " << absl::CHexEscape(shown);
      ASSERT_TRUE(IsValidUtf8(shown)) << absl::CHexEscape(text);
      ASSERT_EQ(Unescape(shown), text) << absl::CHexEscape(text) << " -> " << shown;
      if (IsValidUtf8(text) && FirstActiveCharacter(text, mode == LineBreaks::kKeep).empty()) {
        ASSERT_EQ(shown, text) << "changed a safe text: " << absl::CHexEscape(text);
      }
    }
  }
}

TEST(TerminalText, CompleteUtf8PrefixHoldsBackOnlyACutSequence) {
  EXPECT_EQ(CompleteUtf8Prefix(""), 0u);
  EXPECT_EQ(CompleteUtf8Prefix("abc"), 3u);
  EXPECT_EQ(CompleteUtf8Prefix("ab\xC5"), 2u);         // first byte of ż
  EXPECT_EQ(CompleteUtf8Prefix("ab\xC5\xBC"), 4u);     // ż
  EXPECT_EQ(CompleteUtf8Prefix("a\xF0\x9F\x99"), 1u);  // three bytes of 🙂
  EXPECT_EQ(CompleteUtf8Prefix("a\xF0\x9F\x99\x82"), 5u);
  EXPECT_EQ(CompleteUtf8Prefix("a\xE0\x41"), 3u);  // cannot be completed: invalid now
  EXPECT_EQ(CompleteUtf8Prefix("a\xE0\x80"), 3u);  // overlong: invalid now
  EXPECT_EQ(CompleteUtf8Prefix("a\x80"), 2u);      // stray continuation: invalid now
}

TEST(TerminalSafeStreambuf, GivesTheSameTextHoweverTheWritesAreCut) {
  const std::string text =
      "Dziękuję \xE2\x80\xAE\x1b]0;x\x07 🙂 \xC2\x9B\xE0\xAA\xAD\xFF end\r\n\xF0\x9F";
  for (size_t cut = 1; cut <= text.size(); ++cut) {
    std::ostringstream sink;
    {
      TerminalSafeStreambuf safe(sink.rdbuf());
      std::ostream out(&safe);
      for (size_t at = 0; at < text.size(); at += cut) out << text.substr(at, cut);
      out.flush();
    }
    EXPECT_EQ(sink.str(), ForTerminal(text)) << "writes of " << cut << " bytes";
  }
  // One character at a time, through overflow().
  std::ostringstream sink;
  {
    TerminalSafeStreambuf safe(sink.rdbuf());
    std::ostream out(&safe);
    for (char c : text) out.put(c);
  }
  EXPECT_EQ(sink.str(), ForTerminal(text));
}

// feedbackctl's main() holds a TerminalOutput: std::cout and std::cerr show escapes, the exact
// stream keeps the bytes, and --json keeps std::cout exact.
TEST(TerminalOutput, NeutralisesStandardStreamsButNotTheExactOne) {
  std::ostringstream out, err;
  std::streambuf* const real_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* const real_err = std::cerr.rdbuf(err.rdbuf());
  {
    TerminalOutput terminal;
    std::cout << "text: \x1b[2J\xE2\x80\xAE\n";
    std::cerr << "error: \x1b]0;pwned\x07\n";
    ExactStdout() << "{\"csv\":\"a\r\n\"}\n";
    std::cout << "after\x7f\n";
    terminal.KeepStdoutExact();
    std::cout << "json \x1b\n";
  }
  std::cout.rdbuf(real_out);
  std::cerr.rdbuf(real_err);
  EXPECT_EQ(out.str(), "text: \\u001b[2J\\u202e\n{\"csv\":\"a\r\n\"}\nafter\\u007f\njson \x1b\n");
  EXPECT_EQ(err.str(), "error: \\u001b]0;pwned\\u0007\n");
}

TEST(TerminalOutput, ListRowsShowTheLineBreaksOfTheText) {
  v1::Feedback f;
  f.set_id("fb_1");
  f.set_text("first\n2018-10-01 00:00:00 BST  fb_fake  child  compliment\x1b[2J");
  const std::string line = FormatFeedbackLine(f, absl::UTCTimeZone());
  EXPECT_THAT(line, Not(HasSubstr("\n")));
  EXPECT_THAT(line, HasSubstr("first\\n2018-10-01"));
  EXPECT_EQ(FirstActiveCharacter(line, false), "");
}

TEST(TerminalOutput, ALongItemIndentsEveryLineOfTheWords) {
  v1::Feedback f;
  f.set_id("fb_1");
  f.set_text("I am scared\nSAFEGUARDING ALERT fb_fake\nid:             fb_fake");
  const std::string shown = FormatFeedbackLong(f, absl::UTCTimeZone());
  EXPECT_THAT(shown, HasSubstr("text:\n  I am scared\n  SAFEGUARDING ALERT fb_fake\n  id:"));
}

// The Markdown report: escaped for Markdown first, then for the terminal, so neither markup nor
// a control character gets through, and every escape reads literally when rendered.
TEST(TerminalReport, MarkdownShowsControlCharactersAndEscapesMarkup) {
  QuarterReportInput input;
  v1::QuarterSummary q1;
  q1.set_financial_year(2018);
  q1.set_quarter(1);
  input.summaries = {q1};
  ReportQuote quote;
  quote.id = "fb_1";
  quote.source = v1::SOURCE_FAMILY;
  quote.kind = v1::KIND_COMPLIMENT;
  quote.text =
      "Good\x1b]0;pwned\x07 \x1b[2J\rBAD\b \xE2\x80\xAE"
      "dleheld \xC2\x9B x\x7f <script>x</script>";
  input.quotes = {quote};
  absl::StatusOr<QuarterReport> report = BuildQuarterReport(input);
  ASSERT_OK(report);
  const std::string md = RenderMarkdown(*report);
  EXPECT_EQ(FirstActiveCharacter(md, true), "");
  EXPECT_THAT(md, HasSubstr("> Good\\u001b\\]0;pwned\\u0007 \\u001b\\[2J\\\n> BAD\\b "
                            "\\u202edleheld \\u009b x\\u007f \\<script\\>x\\</script\\>\n"));
  // The same through RenderReport, as feedbackctl prints it.
  EXPECT_EQ(RenderReport(*report, ReportFormat::kMarkdown), md);
}

}  // namespace terminal_text_test
}  // namespace
}  // namespace feedback::client
