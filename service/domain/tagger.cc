#include "service/domain/tagger.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace feedback {

extern const char kDefaultLexicon[];  // generated from data/default-lexicon.txt

namespace {

constexpr size_t kNegationWindow = 3;

bool IsNegation(const std::string& word) {
  // Words() drops apostrophes, so "didn't" and "didnt" are both "didnt".
  static const std::set<std::string, std::less<>> kNegations = {
      "not",     "no",    "never",   "nobody",  "nothing",  "hardly", "cannot",
      "without", "dont",  "didnt",   "doesnt",  "isnt",     "wasnt",  "werent",
      "arent",   "cant",  "couldnt", "wouldnt", "shouldnt", "wont",   "havent",
      "hasnt",   "hadnt", "aint",    "mustnt",  "neednt",   "mightnt"};
  return kNegations.contains(word);
}

// Start positions of `phrase` in `words`.
std::vector<size_t> Occurrences(const std::vector<std::string>& words,
                                const std::vector<std::string>& phrase) {
  std::vector<size_t> starts;
  if (phrase.empty() || phrase.size() > words.size()) return starts;
  for (size_t i = 0; i + phrase.size() <= words.size(); ++i) {
    if (std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<long>(i))) {
      starts.push_back(i);
    }
  }
  return starts;
}

// A text's words, with the set of words it has: a phrase whose first word is not in the text is
// ruled out by one look-up, without a scan (most of the lexicon, for most texts).
class TextWords {
 public:
  explicit TextWords(std::string_view text)
      : words_(Words(text)), present_(words_.begin(), words_.end()) {}
  TextWords(const TextWords&) = delete;  // present_ views words_
  TextWords& operator=(const TextWords&) = delete;

  const std::vector<std::string>& words() const { return words_; }
  std::vector<size_t> Occurrences(const std::vector<std::string>& phrase) const {
    if (phrase.empty() || !present_.contains(phrase.front())) return {};
    return feedback::Occurrences(words_, phrase);
  }

 private:
  const std::vector<std::string> words_;
  const absl::flat_hash_set<std::string_view> present_;
};

bool NegatedAt(const std::vector<std::string>& words, size_t start) {
  for (size_t back = 1; back <= kNegationWindow && back <= start; ++back) {
    if (IsNegation(words[start - back])) return true;
  }
  return false;
}

bool IsTagName(absl::string_view tag) {
  return !tag.empty() && tag.size() <= 64 && std::all_of(tag.begin(), tag.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

bool IsThemeTag(std::string_view tag) {
  static const auto* kRuleTags = new std::set<std::string, std::less<>>{
      // The kinds (KindTag, service/ops/ingest.h).
      "compliment", "complaint", "comment", "child_statement",
      // A complaint's state, stage and outcome (ComplaintTags, complaints.h).
      "open", "closed", "stage_1", "stage_2", "stage_3", "upheld", "partially_upheld", "not_upheld",
      "withdrawn",
      // Set by rule at ingest (Ledger::TagsOf).
      std::string(kSafeguardingTag), "consent_to_quote"};
  return !tag.empty() && !kRuleTags->contains(tag);
}

std::vector<std::string> Words(std::string_view text) {
  // Curly apostrophes (U+2019) are how phones type "didn't".
  // Apostrophes (straight or curly) are dropped, so "didn't", "didn’t" and "didnt" are one word
  // and quotes around words do not stick to them. Typographic punctuation and spaces separate
  // words like ASCII punctuation: U+2000-U+203F (spaces, dashes, quotes, ellipsis...), U+00A0,
  // U+00AB and U+00BB.
  const std::string plain =
      absl::StrReplaceAll(absl::string_view(text.data(), text.size()), {{"\xE2\x80\x98", ""},
                                                                        {"\xE2\x80\x99", ""},
                                                                        {"'", ""},
                                                                        {"\xC2\xA0", " "},
                                                                        {"\xC2\xAB", " "},
                                                                        {"\xC2\xBB", " "}});
  std::vector<std::string> words;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < plain.size(); ++i) {
    const auto byte = static_cast<unsigned char>(plain[i]);
    if (byte == 0xE2 && i + 2 < plain.size() && static_cast<unsigned char>(plain[i + 1]) == 0x80) {
      end_word();  // U+2000-U+203F
      i += 2;
    } else if (absl::ascii_isalnum(byte) || byte >= 0x80) {
      word.push_back(static_cast<char>(absl::ascii_tolower(byte)));
    } else {
      end_word();
    }
  }
  end_word();
  return words;
}

absl::StatusOr<Tagger> Tagger::Parse(std::string_view text, std::string_view source) {
  Tagger tagger;
  enum { kNone, kThemes, kSafeguarding, kPractice } section = kNone;
  int line_number = 0;
  auto error = [&](std::string_view problem) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(source), " line ", line_number, ": ", std::string(problem)));
  };
  for (absl::string_view line : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (line == "[themes]") {
      section = kThemes;
      continue;
    }
    if (line == "[safeguarding]") {
      section = kSafeguarding;
      continue;
    }
    if (line == "[practice]") {
      section = kPractice;
      continue;
    }
    if (section == kNone) return error("expected [themes], [safeguarding] or [practice] first");
    absl::string_view phrases = line;
    std::vector<Phrase>* into = &tagger.safeguarding_;
    if (section == kThemes || section == kPractice) {
      std::vector<Theme>& themes = section == kThemes ? tagger.themes_ : tagger.practice_;
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) return error("expected `tag: phrase, phrase, ...`");
      const absl::string_view tag = absl::StripAsciiWhitespace(line.substr(0, colon));
      if (!IsTagName(tag) || std::string_view(tag.data(), tag.size()) == kSafeguardingTag) {
        return error(absl::StrCat("\"", tag, "\" is not a tag name (a-z, 0-9, _)"));
      }
      themes.push_back(Theme{std::string(tag), {}});
      into = &themes.back().phrases;
      phrases = line.substr(colon + 1);
    }
    for (absl::string_view phrase : absl::StrSplit(phrases, ',')) {
      std::vector<std::string> words = Words(std::string(phrase));
      if (!words.empty()) into->push_back(std::move(words));
    }
  }
  return tagger;
}

absl::StatusOr<Tagger> Tagger::Load(const std::string& path) {
  if (path.empty()) return Parse(kDefaultLexicon, "built-in lexicon");
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("lexicon file ", path, ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

std::vector<std::string> Tagger::ThemeTags(std::string_view text) const {
  const TextWords words(text);
  std::set<std::string> tags;
  for (const Theme& theme : themes_) {
    for (const Phrase& phrase : theme.phrases) {
      const std::vector<size_t> starts = words.Occurrences(phrase);
      if (std::any_of(starts.begin(), starts.end(),
                      [&](size_t start) { return !NegatedAt(words.words(), start); })) {
        tags.insert(theme.tag);
        break;
      }
    }
  }
  return {tags.begin(), tags.end()};
}

std::vector<std::string> Tagger::PracticeTags(std::string_view text) const {
  const TextWords words(text);
  std::set<std::string> tags;
  for (const Theme& theme : practice_) {
    if (std::any_of(theme.phrases.begin(), theme.phrases.end(),
                    [&](const Phrase& phrase) { return !words.Occurrences(phrase).empty(); })) {
      tags.insert(theme.tag);
    }
  }
  return {tags.begin(), tags.end()};
}

bool Tagger::IsSafeguardingConcern(std::string_view text) const {
  const TextWords words(text);
  return std::any_of(safeguarding_.begin(), safeguarding_.end(),
                     [&](const Phrase& phrase) { return !words.Occurrences(phrase).empty(); });
}

}  // namespace feedback
