// The report in Markdown (client/report/markdown.cc): the seed report's sentences, a row per figure
// in its section, and quotes that read exactly as the person wrote them, whatever Markdown they
// hold. Every expectation is computed from the input or the model. No server.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_markdown_test {

using ::feedback::testing::Build;
using ::feedback::testing::kAwkwardQuote;
using ::feedback::testing::kClaSentence;
using ::feedback::testing::kFamiliesSentence;
using ::feedback::testing::kIcpcSentence;
using ::feedback::testing::kPartnersSentence;
using ::feedback::testing::Quote;
using ::feedback::testing::SeedInput;
using ::testing::HasSubstr;

// "(+3 on Q2)", "(-2 on Q2)", "(no change on Q2)": the change column as the reader expects it.
std::string Change(int64_t now, int64_t before, const std::string& on) {
  if (now == before) return absl::StrCat("(no change on ", on, ")");
  return absl::StrCat("(", now > before ? "+" : "-", now > before ? now - before : before - now,
                      " on ", on, ")");
}

// The first character of a quoted line's text (after "> ", before a hard-break backslash) that
// Markdown would take as markup because no backslash escapes it, or "" when there is none.
std::string FirstUnescapedMarkup(std::string_view line) {
  std::string_view body = line == ">" ? "" : line.substr(2);
  if (body.ends_with("\\") && !body.ends_with("\\\\")) body.remove_suffix(1);
  size_t digits = 0;
  while (digits < body.size() && absl::ascii_isdigit(body[digits])) ++digits;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size() && absl::ascii_ispunct(body[i + 1])) {
      ++i;  // escaped
      continue;
    }
    const bool always = std::string_view("\\`*_[]<>|~&#").find(body[i]) != std::string_view::npos;
    const bool leading = i == 0 && std::string_view("+-=").find(body[i]) != std::string_view::npos;
    const bool list_number = i == digits && digits > 0 && (body[i] == '.' || body[i] == ')');
    if (always || leading || list_number) return std::string(1, body[i]);
  }
  return "";
}

// What a CommonMark reader sees of a block quote: the lines after "> ", without the hard-break
// backslash at a line's end, and with every backslash escape of ASCII punctuation undone.
std::string ReadBlockQuote(const std::vector<std::string>& lines) {
  std::vector<std::string> read;
  for (std::string line : lines) {
    if (absl::EndsWith(line, "\\") && !absl::EndsWith(line, "\\\\")) line.pop_back();
    std::string text;
    const std::string_view body = line == ">" ? "" : std::string_view(line).substr(2);
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\\' && i + 1 < body.size() && absl::ascii_ispunct(body[i + 1])) ++i;
      text += body[i];
    }
    read.push_back(text);
  }
  return absl::StrJoin(read, "\n");
}

TEST(ReportMarkdown, HasTheSeedSentencesChangesYearToDateAndQuotes) {
  const std::string md = RenderMarkdown(Build(SeedInput(
      {Quote(v1::SOURCE_FAMILY,
             "Chairperson was fair and inclusive, and she challenged everyone involved to justify "
             "their comments and suggestions.",
             100)})));
  EXPECT_THAT(md, HasSubstr("## Participation \xE2\x80\x93 Advocacy Pilot\n"));
  EXPECT_THAT(md, HasSubstr("## Feedback\n"));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("\n", kFamiliesSentence, "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("\n", kPartnersSentence, "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("- ", kIcpcSentence, "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("- ", kClaSentence, "\n")));
  EXPECT_THAT(md, HasSubstr("| Complaints received | 26 | (+3 on Q2) | 59 |\n"));
  EXPECT_THAT(md, HasSubstr("| Complaints upheld or partially upheld | 7 | (+1 on Q2) | 16 |\n"));
  EXPECT_THAT(md, HasSubstr("| Compliments from partner agencies | 4 | (+2 on Q2) | 7 |\n"));
  EXPECT_THAT(md, HasSubstr("| Complaints withdrawn | 0 | (no change on Q2) | 0 |\n"));
  EXPECT_THAT(md, HasSubstr("> Chairperson was fair and inclusive, and she challenged everyone "
                            "involved to justify their comments and suggestions.\n"));
  // The year so far, by quarter; Q4 is not reported yet.
  EXPECT_THAT(md, HasSubstr("| Q3 | 26 | 35 | 40 |\n"));
  EXPECT_THAT(md, HasSubstr("| Q4 | \xE2\x80\x93 | \xE2\x80\x93 | \xE2\x80\x93 |\n"));
}

TEST(ReportMarkdown, EscapesQuotesSoTheyStayText) {
  const std::string md =
      RenderMarkdown(Build(SeedInput({Quote(v1::SOURCE_FAMILY, kAwkwardQuote, 1)})));
  EXPECT_THAT(md, HasSubstr("> She said \"it's \\<b\\>fine\\</b\\>\" \\& \\*meant\\* it, "
                            "\\[really\\]\\\n> \\- honestly\n"));
}

TEST(ReportEscaping, Markdown) {
  EXPECT_EQ(MarkdownEscape("plain, words. (ok)!"), "plain, words. (ok)!");
  EXPECT_EQ(MarkdownEscape("a*b_c`d\\e|f~g#h"), "a\\*b\\_c\\`d\\\\e\\|f\\~g\\#h");
  EXPECT_EQ(MarkdownEscape("<script>"), "\\<script\\>");
  EXPECT_EQ(MarkdownEscape("[link](x)"), "\\[link\\](x)");
  EXPECT_EQ(MarkdownEscape("- item\n+ item\n= rule"), "\\- item\n\\+ item\n\\= rule");
  EXPECT_EQ(MarkdownEscape("1. first\n  2) second\nin 3. words"),
            "1\\. first\n  2\\) second\nin 3. words");
  EXPECT_EQ(MarkdownEscape("a - b + c"), "a - b + c");
}

TEST(ReportMarkdown, EveryFigureIsARowOfItsOwnSectionWithValueChangeAndYearToDate) {
  const QuarterReport report = Build(SeedInput());
  const std::string md = RenderMarkdown(report);
  for (size_t s = 0; s < report.sections.size(); ++s) {
    const ReportSection& section = report.sections[s];
    const size_t start = md.find(absl::StrCat(" ", section.heading, "\n"));
    ASSERT_NE(start, std::string::npos) << section.heading;
    const size_t end = s + 1 < report.sections.size()
                           ? md.find(absl::StrCat(" ", report.sections[s + 1].heading, "\n"))
                           : md.find("\n## By quarter");
    const std::string text = md.substr(start, end - start);
    for (const ReportFigure& f : report.figures) {
      if (f.section != section.id) continue;
      EXPECT_THAT(text, HasSubstr(absl::StrCat("\n| ", f.label, " | ", f.value, " | ",
                                               Change(f.value, f.previous_quarter, "Q2"), " | ",
                                               f.year_to_date, " |\n")))
          << section.id;
    }
  }
}

TEST(ReportMarkdown, AQuoteReadsExactlyAsWrittenWhateverMarkdownItHolds) {
  const std::string hostile =
      "# Not a heading\n"
      "* not a list\n"
      "1. not a list either\n"
      "[click me](http://example.invalid) and ![image](x.png)\n"
      "<script>alert(1)</script> <b>bold</b> &amp;\n"
      "`code` **strong** __strong__ ~~gone~~ | a | b |\n"
      "> not nested\n"
      "---\n"
      "+ plus = equals - minus\n"
      "C:\\path\\to\\file and 2) two";
  const std::string md = RenderMarkdown(Build(SeedInput({Quote(v1::SOURCE_FAMILY, hostile, 1)})));
  // The quote's block: from its first line to the next blank line.
  const size_t start = md.find("\n> ");
  ASSERT_NE(start, std::string::npos);
  const size_t end = md.find("\n\n", start + 1);
  const std::vector<std::string> lines =
      absl::StrSplit(md.substr(start + 1, end - start - 1), '\n');
  ASSERT_EQ(lines.size(), 10u) << "one quoted line per line of the quote";
  for (const std::string& line : lines) {
    EXPECT_TRUE(absl::StartsWith(line, "> ")) << "the quote stays in its block: " << line;
    EXPECT_EQ(FirstUnescapedMarkup(line), "") << line;
  }
  EXPECT_EQ(ReadBlockQuote(lines), hostile);
}

}  // namespace report_markdown_test
}  // namespace
}  // namespace feedback::client
