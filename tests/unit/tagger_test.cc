#include "service/domain/tagger.h"

#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace tagger_test {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The built-in lexicon (service/data/default-lexicon.txt).
Tagger Default() {
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  EXPECT_OK(tagger);
  return *std::move(tagger);
}

TEST(Tagger, DefaultLexiconLoads) { ASSERT_OK(Tagger::Load("")); }

TEST(Tagger, FairChair) {
  EXPECT_THAT(Default().ThemeTags("Chairperson was fair and inclusive"), ElementsAre("fair_chair"));
}

TEST(Tagger, HeardIsListenedTo) {
  const std::vector<std::string> tags = Default().ThemeTags(
      "People at the meeting could actually hear what I think \xE2\x80\x93 I have been heard");
  EXPECT_THAT(tags, Contains("listened_to"));
}

TEST(Tagger, ThemeTagsAreSortedAndUnique) {
  // listened and listen (listened_to), respected and fair (fair_chair), "what i think"
  // (views_of_child): each tag once, in order.
  EXPECT_THAT(Default().ThemeTags("They listened, they listened again; what I think was respected "
                                  "and it was fair. They listen."),
              ElementsAre("fair_chair", "listened_to", "views_of_child"));
}

TEST(Tagger, NegatedListenIsNotListenedTo) {
  EXPECT_THAT(Default().ThemeTags("They did not listen to me"), Not(Contains("listened_to")));
  EXPECT_THAT(Default().ThemeTags("Nobody would listen"), Not(Contains("listened_to")));
}

TEST(Tagger, ContractedNegationIsNotListenedTo) {
  EXPECT_THAT(Default().ThemeTags("They didn't listen"), Not(Contains("listened_to")));
  // A phone's curly apostrophe (U+2019).
  EXPECT_THAT(Default().ThemeTags("They didn\xE2\x80\x99t listen"), Not(Contains("listened_to")));
  EXPECT_THAT(Default().ThemeTags("The chair wasn't fair"), Not(Contains("fair_chair")));
}

TEST(Tagger, NegationReachesOnlyThreeWordsBack) {
  // "not" is four words before "listened".
  EXPECT_THAT(Default().ThemeTags("I was not sure but everyone listened"), Contains("listened_to"));
  // A negated occurrence does not hide an unnegated one.
  EXPECT_THAT(Default().ThemeTags("They did not listen at first, then the chair listened"),
              Contains("listened_to"));
}

TEST(Tagger, MatchesWholeWordsOnly) {
  EXPECT_THAT(Default().ThemeTags("We met at the fairground"), IsEmpty());
  EXPECT_THAT(Default().ThemeTags("The listener took notes"), Not(Contains("listened_to")));
  EXPECT_THAT(Default().ThemeTags("It was unfair"), Not(Contains("fair_chair")));
}

TEST(Tagger, IgnoresCaseAndAsciiPunctuation) {
  EXPECT_THAT(Default().ThemeTags("THE CHAIR WAS FAIR!"), Contains("fair_chair"));
  EXPECT_THAT(Default().ThemeTags("\"Fair.\""), Contains("fair_chair"));
  EXPECT_THAT(Default().ThemeTags("(Safety-plan) was shared"), Contains("safety_plan_shared"));
}

TEST(Tagger, SafetyPlanShared) {
  EXPECT_THAT(Default().ThemeTags("feel that getting the safety plan a bit before has been a "
                                  "positive way today"),
              Contains("safety_plan_shared"));
}

TEST(Tagger, NoThemesInNeutralText) {
  EXPECT_THAT(Default().ThemeTags("The room was cold."), IsEmpty());
  EXPECT_THAT(Default().ThemeTags(""), IsEmpty());
}

TEST(Tagger, SafeguardingPhrases) {
  const Tagger tagger = Default();
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I am scared to go home"));
  EXPECT_TRUE(tagger.IsSafeguardingConcern("he hurts me"));
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I don't feel safe"));
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I don\xE2\x80\x99t feel safe"));
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I DO NOT FEEL SAFE at my dad's."));
  EXPECT_TRUE(tagger.IsSafeguardingConcern("Sometimes I want to die."));
}

TEST(Tagger, NoSafeguardingConcernInSafeText) {
  const Tagger tagger = Default();
  EXPECT_FALSE(tagger.IsSafeguardingConcern("I feel safe now"));
  EXPECT_FALSE(tagger.IsSafeguardingConcern("The chair was fair and listened to me."));
  EXPECT_FALSE(tagger.IsSafeguardingConcern(""));
}

// Children's words are often quoted, and phones type curly quotes, dashes and ellipses. The
// lexicon promises that "matching ignores case and punctuation", and a safeguarding phrase that
// is missed does not reach duty staff.
TEST(Tagger, TypographicPunctuationIsIgnoredLikeAsciiPunctuation) {
  const Tagger tagger = Default();
  // U+201C and U+201D around the words.
  EXPECT_TRUE(tagger.IsSafeguardingConcern("\xE2\x80\x9CHe hurts me\xE2\x80\x9D"));
  // U+2026 HORIZONTAL ELLIPSIS straight after the phrase.
  EXPECT_TRUE(tagger.IsSafeguardingConcern("he hurts me\xE2\x80\xA6"));
  // U+2014 EM DASH without spaces.
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I am scared to go home\xE2\x80\x94he shouts"));
  EXPECT_THAT(tagger.ThemeTags("The chair was \xE2\x80\x9C"
                               "fair\xE2\x80\x9D"),
              Contains("fair_chair"));
}

// Quoted words: a child's own words are often written inside single quotes, ASCII or curly
// (U+2018 ... U+2019).
TEST(Tagger, SingleQuotesAroundWordsAreIgnored) {
  const Tagger tagger = Default();
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I told her 'he hurts me'"));
  EXPECT_TRUE(tagger.IsSafeguardingConcern("I told her \xE2\x80\x98he hurts me\xE2\x80\x99"));
  EXPECT_THAT(tagger.ThemeTags("The chair was 'fair'"), Contains("fair_chair"));
}

// Children often type contractions without the apostrophe; the apostrophe is punctuation too.
TEST(Tagger, ContractionWithoutApostropheIsStillASafeguardingConcern) {
  EXPECT_TRUE(Default().IsSafeguardingConcern("i dont feel safe at home"));
}

TEST(Tagger, WordsAreLowerCaseAndSplitOnPunctuation) {
  EXPECT_THAT(Words("The CHAIR, at-all! (2019)"), ElementsAre("the", "chair", "at", "all", "2019"));
  // A curly apostrophe is the same as a straight one.
  EXPECT_EQ(Words("I didn\xE2\x80\x99t"), Words("I didn't"));
  EXPECT_EQ(Words("I didn't").size(), 2u);
  // Letters beyond ASCII stay in their words.
  EXPECT_THAT(Words("Zo\xC3\xAB said"), ElementsAre("zo\xC3\xAB", "said"));
  EXPECT_THAT(Words("  "), IsEmpty());
}

// The two lead bytes that may start a separator (0xC2, 0xE2) are letters when what follows
// makes them one: "½" (C2 BD) and "€" (E2 82 AC) stay in their words, while a no-break space
// (C2 A0), guillemets (C2 AB, C2 BB) and U+2000-U+203F separate, and a sequence cut short by the
// end of the text keeps its bytes.
TEST(Tagger, LeadBytesOfSeparatorsAreLettersUnlessTheySeparate) {
  EXPECT_THAT(Words("1\xC2\xBD hours"), ElementsAre("1\xC2\xBD", "hours"));
  EXPECT_THAT(Words("5\xE2\x82\xAC each"), ElementsAre("5\xE2\x82\xAC", "each"));
  EXPECT_THAT(Words("no\xC2\xA0one \xC2\xABkind\xC2\xBB"), ElementsAre("no", "one", "kind"));
  EXPECT_THAT(Words("wait\xE2\x80\xA6what"), ElementsAre("wait", "what"));
  EXPECT_THAT(Words("end\xE2\x80"), ElementsAre("end\xE2\x80"));
  EXPECT_THAT(Words("end\xC2"), ElementsAre("end\xC2"));
  EXPECT_THAT(Words("\xE2\x80\x98quoted\xE2\x80\x99 'too'"), ElementsAre("quoted", "too"));
}

TEST(Tagger, CustomLexiconViaParse) {
  absl::StatusOr<Tagger> tagger = Tagger::Parse(
      "# a test lexicon\n"
      "[themes]\n"
      "food: pizza, ice cream\n"
      "kind_staff: kind\n"
      "\n"
      "[safeguarding]\n"
      "no dinner\n"
      "locked out, cold at night\n",
      "custom.txt");
  ASSERT_OK(tagger);
  EXPECT_THAT(tagger->ThemeTags("We had Ice Cream and the staff were kind"),
              ElementsAre("food", "kind_staff"));
  EXPECT_THAT(tagger->ThemeTags("There was no pizza"), IsEmpty());
  // The default lexicon's themes are not there.
  EXPECT_THAT(tagger->ThemeTags("The chair was fair and listened"), IsEmpty());
  EXPECT_TRUE(tagger->IsSafeguardingConcern("I was locked out"));
  EXPECT_TRUE(tagger->IsSafeguardingConcern("There was no dinner again"));
  EXPECT_FALSE(tagger->IsSafeguardingConcern("he hurts me"));
}

// The lexicon is looked up by each word of the text: phrases that start with the same word, in
// different sections or on two lines of one tag, are each found, and a phrase cut short by the
// end of the text is not.
TEST(Tagger, PhrasesThatShareAFirstWordAreEachFound) {
  absl::StatusOr<Tagger> tagger = Tagger::Parse(
      "[themes]\n"
      "felt_safe: feel safe\n"
      "heard: feel heard\n"
      "heard: listened\n"
      "[safeguarding]\n"
      "feel scared\n"
      "[practice]\n"
      "voice_of_child: feel heard\n",
      "shared.txt");
  ASSERT_OK(tagger);
  const Tagger::TextTags tags = tagger->Tag("I feel scared but I feel safe here and I feel heard");
  EXPECT_THAT(tags.themes, ElementsAre("felt_safe", "heard"));
  EXPECT_TRUE(tags.safeguarding);
  EXPECT_THAT(tagger->PracticeTags("I feel heard"), ElementsAre("voice_of_child"));
  // "heard" is on two lines: found once.
  EXPECT_THAT(tagger->Tag("They listened so I feel heard").themes, ElementsAre("heard"));
  // Negation applies to themes only, as ThemeTags and IsSafeguardingConcern have it.
  const Tagger::TextTags negated = tagger->Tag("I do not feel safe and I feel scared");
  EXPECT_THAT(negated.themes, IsEmpty());
  EXPECT_TRUE(negated.safeguarding);
  // A phrase's first word as the text's last is not the phrase.
  EXPECT_THAT(tagger->Tag("Did I feel").themes, IsEmpty());
  EXPECT_FALSE(tagger->Tag("Did I feel").safeguarding);
}

// What a submission is tagged with (Tag) is what ThemeTags and IsSafeguardingConcern find.
TEST(Tagger, TagAgreesWithThemeTagsAndIsSafeguardingConcern) {
  const Tagger tagger = Default();
  for (const char* text :
       {"The chair was fair and listened to me", "I don\xE2\x80\x99t feel safe at home",
        "They did not listen", "", "I am scared to go home but the chair was fair",
        "(Safety-plan) was shared"}) {
    const Tagger::TextTags tags = tagger.Tag(text);
    EXPECT_EQ(tags.themes, tagger.ThemeTags(text)) << text;
    EXPECT_EQ(tags.safeguarding, tagger.IsSafeguardingConcern(text)) << text;
  }
}

// U+00A0 (no-break space) and guillemets separate words like spaces; apostrophes do not.
TEST(Tagger, NoBreakSpacesAndGuillemetsSeparateWords) {
  EXPECT_THAT(Words("fair\xC2\xA0"
                    "chair \xC2\xABheard\xC2\xBB"),
              ElementsAre("fair", "chair", "heard"));
  EXPECT_THAT(Words("\xE2\x80\x98quoted\xE2\x80\x99 \xE2\x80\x94 dash"),
              ElementsAre("quoted", "dash"));
}

TEST(Tagger, LoadReadsAFile) {
  testing::TempDir dir;
  const std::string path = dir.Sub("lexicon.txt");
  {
    std::ofstream out(path);
    out << "[themes]\nfood: pizza\n[safeguarding]\nno dinner\n";
  }
  absl::StatusOr<Tagger> tagger = Tagger::Load(path);
  ASSERT_OK(tagger);
  EXPECT_THAT(tagger->ThemeTags("pizza!"), ElementsAre("food"));

  absl::StatusOr<Tagger> missing = Tagger::Load(dir.Sub("absent.txt"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("absent.txt"));
}

TEST(Tagger, ParseErrorsNameTheLine) {
  const struct {
    const char* text;
    const char* line;
  } kCases[] = {
      // A theme before any section.
      {"# lexicon\nfood: pizza\n[themes]\n", "line 2"},
      // Bad tag names.
      {"[themes]\nfood: pizza\nIce-Cream: ice cream\n", "line 3"},
      {"[themes]\nbig food: pizza\n", "line 2"},
      {"[themes]\nsafeguarding: hurts me\n", "line 2"},
      {"[themes]\n: pizza\n", "line 2"},
      // Missing colon.
      {"[themes]\n\nfood pizza\n", "line 3"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<Tagger> tagger = Tagger::Parse(c.text, "lexicon.txt");
    ASSERT_FALSE(tagger.ok());
    EXPECT_EQ(tagger.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(tagger.status().message(), AllOf(HasSubstr("lexicon.txt"), HasSubstr(c.line)));
  }
}

// A lexicon of many first words, all with one first letter and a few lengths, finds each of them
// and nothing else (Find turns words away by their first byte, last byte and length before it
// looks them up).
TEST(Tagger, EveryFirstWordOfALargeLexiconIsFound) {
  std::string lexicon = "[themes]\n";
  for (int i = 0; i < 500; ++i)
    lexicon += "t" + std::to_string(i) + ": w" + std::to_string(i) + "\n";
  absl::StatusOr<Tagger> tagger = Tagger::Parse(lexicon, "lexicon.txt");
  ASSERT_OK(tagger);
  for (int i = 0; i < 500; ++i) {
    EXPECT_THAT(tagger->ThemeTags("said w" + std::to_string(i) + " twice"),
                ElementsAre("t" + std::to_string(i)));
  }
  EXPECT_THAT(tagger->ThemeTags("w500 w-1 x1 t1 w"), IsEmpty());
}

// The tagger files a first word under its first and last letters and its length: words alike in
// all three ("cat", "cot", "cut") share a place and must still each find only their own phrases.
TEST(Tagger, FirstWordsWithTheSameEndsAndLengthAreToldApart) {
  absl::StatusOr<Tagger> tagger =
      Tagger::Parse("[themes]\ncats: cat\ncots: cot nap\n[safeguarding]\ncut me\n", "lexicon.txt");
  ASSERT_OK(tagger);
  EXPECT_THAT(tagger->ThemeTags("a cat and a cot nap"), ElementsAre("cats", "cots"));
  EXPECT_THAT(tagger->ThemeTags("a cot, then a cut"), IsEmpty());
  EXPECT_THAT(tagger->ThemeTags("cit cet cct"), IsEmpty());
  EXPECT_TRUE(tagger->IsSafeguardingConcern("they cut me"));
  EXPECT_FALSE(tagger->IsSafeguardingConcern("they cat me, cot me"));
}

// The tagger links first words with 16-bit numbers: a lexicon with more is refused, not misread.
TEST(Tagger, ALexiconOfMoreFirstWordsThanItCanNumberIsRefused) {
  // Word i in four letters, base 26, so that words differ in their first and last letters.
  auto word = [](int i) {
    std::string letters(4, 'a');
    for (char& letter : letters) letter = static_cast<char>('a' + i % 26), i /= 26;
    return letters;
  };
  std::string lexicon = "[themes]\nmany: ";
  for (int i = 0; i < 65535; ++i) absl::StrAppend(&lexicon, word(i), ", ");
  absl::StatusOr<Tagger> full = Tagger::Parse(lexicon + word(0) + " again", "lexicon.txt");
  ASSERT_OK(full);
  EXPECT_THAT(full->ThemeTags("then " + word(65534)), ElementsAre("many"));
  absl::StatusOr<Tagger> over = Tagger::Parse(lexicon + word(65535), "lexicon.txt");
  EXPECT_EQ(over.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(over.status().message(),
              AllOf(HasSubstr("lexicon.txt line 2"), HasSubstr("more than 65,535")));
}

// The words of `text` read one byte at a time, by the rules WordList's header gives: what
// WordList, which reads sixteen bytes at a time, must agree with.
std::vector<std::string> WordsByteByByte(std::string_view text) {
  std::vector<std::string> words(1);
  auto byte_at = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char byte = byte_at(i);
    if (byte == '\'') continue;  // dropped
    if (byte == 0xE2 && i + 2 < text.size() && byte_at(i + 1) == 0x80) {
      const bool apostrophe = byte_at(i + 2) == 0x98 || byte_at(i + 2) == 0x99;
      i += 2;
      if (apostrophe) continue;
      words.emplace_back();  // U+2000-U+203F separate
      continue;
    }
    if (byte == 0xC2 && i + 1 < text.size() &&
        (byte_at(i + 1) == 0xA0 || byte_at(i + 1) == 0xAB || byte_at(i + 1) == 0xBB)) {
      ++i;
      words.emplace_back();
      continue;
    }
    if (absl::ascii_isalnum(byte) || byte >= 0x80) {
      words.back().push_back(static_cast<char>(absl::ascii_tolower(byte)));
    } else {
      words.emplace_back();
    }
  }
  std::erase_if(words, [](const std::string& word) { return word.empty(); });
  return words;
}

// WordList reads sixteen bytes at a time and goes back over a word that had an apostrophe; a word
// across two chunks, a special character split by a chunk's end, or a text that ends mid-chunk
// must read as they do byte by byte. Texts of every length to 80 bytes, of the bytes that decide
// a word's end, at random (seeded).
TEST(Tagger, WordsAgreeWithAByteByByteReading) {
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           "7",
                                           " ",
                                           ".",
                                           "'",
                                           "\xE2\x80\x99",
                                           "\xE2\x80\x98",
                                           "\xE2\x80\x94",
                                           "\xE2\x80",
                                           "\xE2",
                                           "\xE2\x82\xAC",
                                           "\xC2\xA0",
                                           "\xC2\xBD",
                                           "\xC2",
                                           "\x80",
                                           "\xC3\xAB",
                                           "didn't",
                                           "Listen",
                                           "\n",
                                           "-"};
  std::mt19937 random(2026);
  for (int trial = 0; trial < 4000; ++trial) {
    std::string text;
    const size_t length = static_cast<size_t>(trial % 81);
    while (text.size() < length) text += pieces[random() % pieces.size()];
    EXPECT_EQ(Words(text), WordsByteByByte(text)) << "text: " << absl::CEscape(text);
  }
}

}  // namespace tagger_test
}  // namespace
}  // namespace feedback
