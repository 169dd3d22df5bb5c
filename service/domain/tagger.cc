#include "service/domain/tagger.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace feedback {

extern const char kDefaultLexicon[];  // generated from data/default-lexicon.txt

namespace {

constexpr size_t kNegationWindow = 3;

bool IsNegation(std::string_view word) {
  // Words() drops apostrophes, so "didn't" and "didnt" are both "didnt". A hash set: a themed
  // phrase checks up to three words before it (NegatedAt), on every submission.
  static const auto* kNegations = new absl::flat_hash_set<std::string_view>{
      "not",     "no",    "never",   "nobody",  "nothing",  "hardly", "cannot",
      "without", "dont",  "didnt",   "doesnt",  "isnt",     "wasnt",  "werent",
      "arent",   "cant",  "couldnt", "wouldnt", "shouldnt", "wont",   "havent",
      "hasnt",   "hadnt", "aint",    "mustnt",  "neednt",   "mightnt"};
  return kNegations->contains(word);
}

bool NegatedAt(std::span<const std::string_view> words, size_t start) {
  for (size_t back = 1; back <= kNegationWindow && back <= start; ++back) {
    if (IsNegation(words[start - back])) return true;
  }
  return false;
}

// True if `words` continue after `start` with `rest`.
bool ContinuesWith(std::span<const std::string_view> words, size_t start,
                   const std::vector<std::string>& rest) {
  return words.size() - start - 1 >= rest.size() &&
         std::equal(rest.begin(), rest.end(), words.begin() + static_cast<long>(start) + 1);
}

// The tags in `tags` whose flag in `found` is set, sorted, each once.
std::vector<std::string> TagsFound(const std::vector<std::string>& tags,
                                   std::span<const bool> found) {
  std::vector<std::string> names;
  // Sized once, with room for the few tags a submission adds by rule (Ledger::TagsOf).
  constexpr size_t kRoomForRuleTags = 4;
  names.reserve(static_cast<size_t>(std::count(found.begin(), found.end(), true)) +
                kRoomForRuleTags);
  for (size_t i = 0; i < tags.size(); ++i) {
    if (found[i]) names.push_back(tags[i]);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool IsTagName(absl::string_view tag) {
  return !tag.empty() && tag.size() <= 64 && std::all_of(tag.begin(), tag.end(), [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

constexpr int kFirstWordKeyBits = 12;

// A word's place in Tagger::first_word_at_: its first and last bytes and its length, mixed.
// Words are never empty.
size_t FirstWordKey(std::string_view word) {
  const uint64_t mixed = (uint64_t{static_cast<unsigned char>(word.front())} << 16 |
                          uint64_t{static_cast<unsigned char>(word.back())} << 8 |
                          std::min<uint64_t>(word.size(), 255)) *
                         0x9E3779B97F4A7C15u;
  return static_cast<size_t>(mixed >> (64 - kFirstWordKeyBits));  // the top bits
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

namespace {

// What each byte is to WordList: a byte it keeps (ASCII letters and digits, lower-cased; every
// other byte from 0x80 up, as part of a UTF-8 letter), or one of the codes below. One table
// look-up per byte instead of a chain of tests: every submission's text is read this way.
enum ByteCode : unsigned char {
  kSeparates = 0,    // ASCII punctuation, spaces and controls
  kDropped = 1,      // the straight apostrophe
  kMaySeparate = 2,  // 0xC2 or 0xE2: what follows decides (WordList's constructor)
};

constexpr std::array<unsigned char, 256> MakeByteCodes() {
  std::array<unsigned char, 256> codes{};  // kSeparates
  for (int byte = '0'; byte <= '9'; ++byte) codes[byte] = static_cast<unsigned char>(byte);
  for (int byte = 'a'; byte <= 'z'; ++byte) codes[byte] = static_cast<unsigned char>(byte);
  for (int byte = 'A'; byte <= 'Z'; ++byte)
    codes[byte] = static_cast<unsigned char>(byte - 'A' + 'a');
  for (int byte = 0x80; byte <= 0xff; ++byte) codes[byte] = static_cast<unsigned char>(byte);
  codes['\''] = kDropped;
  codes[0xC2] = kMaySeparate;
  codes[0xE2] = kMaySeparate;
  return codes;
}
constexpr std::array<unsigned char, 256> kByteCodes = MakeByteCodes();

// How many bytes of `text` from `i` (a kMaySeparate byte) are one separating or dropped
// character, and whether it separates words; {0, false} if the byte is part of a letter.
struct Special {
  size_t length;
  bool separates;
};
Special SpecialAt(std::string_view text, size_t i) {
  auto byte_at = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
  if (byte_at(i) == 0xE2 && i + 2 < text.size() && byte_at(i + 1) == 0x80) {
    // U+2018 and U+2019 are apostrophes; the rest of U+2000-U+203F separate.
    return {3, byte_at(i + 2) != 0x98 && byte_at(i + 2) != 0x99};
  }
  if (byte_at(i) == 0xC2 && i + 1 < text.size() &&
      (byte_at(i + 1) == 0xA0 || byte_at(i + 1) == 0xAB || byte_at(i + 1) == 0xBB)) {
    return {2, true};
  }
  return {0, false};
}

// Copies the bytes of `word` (which holds no separator) that WordList keeps to `out`,
// lower-cased, dropping its apostrophes; returns how many it wrote. Only a word with an
// apostrophe is read again this way: the others are views of the lower-cased text as it lies.
size_t CopyKept(std::string_view word, char* out) {
  size_t length = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    const unsigned char code = kByteCodes[static_cast<unsigned char>(word[i])];
    if (code > kMaySeparate) {
      out[length++] = static_cast<char>(code);
    } else if (code == kMaySeparate) {
      const Special special = SpecialAt(word, i);
      if (special.length == 0) {
        out[length++] = word[i];
      } else {
        i += special.length - 1;  // an apostrophe: the only special a word holds
      }
    }
  }
  return length;
}

constexpr size_t kChunk = 16;

// Bit i is set if byte i of the kChunk bytes at `bytes` is not one WordList keeps as it is (an
// ASCII letter or digit, or a byte from 0x80 up other than 0xC2 and 0xE2): a separator, an
// apostrophe, or a lead byte that may start one. Writes the bytes, ASCII lower-cased, to
// `lowered`. Sixteen bytes at a time, so that a text's letters cost no branch each: the
// branches are at the bytes between words, about one in six.
uint32_t LowerChunk(const unsigned char* bytes, unsigned char* lowered) {
#if defined(__SSE2__)
  __m128i chunk;
  std::memcpy(&chunk, bytes, sizeof chunk);  // an unaligned load
  // x in [low, high] as a signed comparison: x + (128 - low) < -128 + (high - low + 1).
  auto in_range = [](__m128i x, char low, char high) {
    return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(128 - low))),
                          _mm_set1_epi8(static_cast<char>(-128 + (high - low + 1))));
  };
  const __m128i upper = in_range(chunk, 'A', 'Z');
  const __m128i lower = _mm_or_si128(chunk, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
  std::memcpy(lowered, &lower, sizeof lower);
  const __m128i high =
      _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(static_cast<char>(0xC2))),
                                    _mm_cmpeq_epi8(chunk, _mm_set1_epi8(static_cast<char>(0xE2)))),
                       _mm_cmplt_epi8(chunk, _mm_setzero_si128()));
  const __m128i kept =
      _mm_or_si128(_mm_or_si128(in_range(lower, 'a', 'z'), in_range(chunk, '0', '9')), high);
  return ~static_cast<uint32_t>(_mm_movemask_epi8(kept)) & 0xFFFF;
#else
  uint32_t others = 0;
  for (size_t i = 0; i < kChunk; ++i) {
    const unsigned char code = kByteCodes[bytes[i]];
    lowered[i] = code > kMaySeparate ? code : bytes[i];
    if (code <= kMaySeparate) others |= uint32_t{1} << i;
  }
  return others;
#endif
}

}  // namespace

WordList::WordList(std::string_view text) {
  // Apostrophes (straight or curly: U+2018, U+2019, how phones type "didn't") are dropped, so
  // "didn't", "didn’t" and "didnt" are one word and quotes around words do not stick to them.
  // Typographic punctuation and spaces separate words like ASCII punctuation: U+2000-U+203F
  // (spaces, dashes, quotes, ellipsis...), U+00A0, U+00AB and U+00BB.
  //
  // folded_ holds the text lower-cased, byte for byte (rounded up to whole chunks), then room
  // for the words that lose an apostrophe: most words are views of the first part as they lie.
  // It is never outgrown, so the views stay valid.
  const size_t chunked = (text.size() + kChunk - 1) / kChunk * kChunk;
  folded_.resize(chunked + text.size());
  words_.reserve(text.size() / 4 + 1);  // about one word in five bytes of prose
  unsigned char* const lowered = reinterpret_cast<unsigned char*>(folded_.data());
  char* compacted = folded_.data() + chunked;
  size_t word_start = 0;      // where the word being read began, in the text
  bool word_drops = false;    // it has an apostrophe to drop
  size_t consumed_until = 0;  // the end of the last two- or three-byte separator or apostrophe
  // Called at every separator, so inlined: as a call it was about a fifth of a text's tagging.
  auto end_word = [&](size_t end) __attribute__((always_inline)) {
    if (word_drops) [[unlikely]] {
      word_drops = false;
      if (end <= word_start) return;
      const size_t length = CopyKept(text.substr(word_start, end - word_start), compacted);
      if (length > 0) words_.emplace_back(compacted, length);
      compacted += length;
    } else if (end > word_start) {
      words_.emplace_back(folded_.data() + word_start, end - word_start);
    }
  };
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t base = 0; base < text.size(); base += kChunk) {
    uint32_t others;
    if (base + kChunk <= text.size()) {
      others = LowerChunk(bytes + base, lowered + base);
    } else {
      std::array<unsigned char, kChunk> last;
      last.fill(' ');
      std::copy(bytes + base, bytes + text.size(), last.begin());
      others = LowerChunk(last.data(), lowered + base);
      others &= (uint32_t{1} << (text.size() - base)) - 1;
    }
    for (; others != 0; others &= others - 1) {
      const size_t at = base + static_cast<size_t>(std::countr_zero(others));
      if (at < consumed_until) continue;  // a byte of the special character before it
      const unsigned char code = kByteCodes[bytes[at]];
      if (code == kDropped) {
        word_drops = true;
        continue;
      }
      if (code == kSeparates) {
        end_word(at);
        word_start = at + 1;
        continue;
      }
      const Special special = SpecialAt(text, at);  // kMaySeparate
      if (special.length == 0) continue;            // a letter's lead byte
      consumed_until = at + special.length;
      if (!special.separates) {
        word_drops = true;  // a curly apostrophe
        continue;
      }
      end_word(at);
      word_start = at + special.length;
    }
  }
  end_word(text.size());
}

std::vector<std::string> Words(std::string_view text) {
  const WordList list(text);
  return std::vector<std::string>(list.words().begin(), list.words().end());
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
    Section filed_in = Section::kSafeguarding;
    size_t tag_index = 0;
    if (section == kThemes || section == kPractice) {
      std::vector<std::string>& tags =
          section == kThemes ? tagger.theme_tags_ : tagger.practice_tags_;
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) return error("expected `tag: phrase, phrase, ...`");
      const absl::string_view tag = absl::StripAsciiWhitespace(line.substr(0, colon));
      if (!IsTagName(tag) || std::string_view(tag.data(), tag.size()) == kSafeguardingTag) {
        return error(absl::StrCat("\"", tag, "\" is not a tag name (a-z, 0-9, _)"));
      }
      filed_in = section == kThemes ? Section::kThemes : Section::kPractice;
      tag_index = tags.size();
      tags.emplace_back(tag);
      phrases = line.substr(colon + 1);
    }
    for (absl::string_view phrase : absl::StrSplit(phrases, ',')) {
      std::vector<std::string> words = Words(std::string_view(phrase.data(), phrase.size()));
      if (words.empty()) continue;
      std::vector<Phrase>* filed = tagger.FileFirstWord(words.front());
      if (filed == nullptr) {
        return error("the lexicon's phrases start with more than 65,535 different words");
      }
      filed->push_back(
          {.rest = {words.begin() + 1, words.end()}, .section = filed_in, .tag = tag_index});
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

std::vector<Tagger::Phrase>* Tagger::FileFirstWord(std::string_view word) {
  static_assert(kFirstWordKeys == size_t{1} << kFirstWordKeyBits, "a place for every key");
  const size_t key = FirstWordKey(word);
  size_t last = 0;  // 1 + the index of the chain's last word, or 0 while it is empty
  for (uint16_t at = first_word_at_[key]; at != 0; at = first_words_[at - 1].next) {
    if (first_words_[at - 1].word == word) return &first_words_[at - 1].phrases;
    last = at;
  }
  if (first_words_.size() == kMaxFirstWords) return nullptr;  // the default lexicon has about 100
  const auto added = static_cast<uint16_t>(first_words_.size() + 1);
  first_words_.push_back({.word = std::string(word), .phrases = {}, .next = 0});
  (last == 0 ? first_word_at_[key] : first_words_[last - 1].next) = added;
  return &first_words_.back().phrases;
}

const std::vector<Tagger::Phrase>* Tagger::PhrasesStartedBy(std::string_view word,
                                                            uint16_t first) const {
  for (uint16_t at = first; at != 0;) {
    const FirstWord& filed = first_words_[at - 1];
    if (filed.word == word) return &filed.phrases;
    at = filed.next;
  }
  return nullptr;
}

Tagger::Found Tagger::Find(std::span<const std::string_view> words) const {
  Found found{.themes = Flags(theme_tags_.size()), .practice = Flags(practice_tags_.size())};
  // First the words that may start a phrase, without a branch on each (most of a text's words
  // fail the test, in an order no CPU can predict); then a look-up of each of those.
  struct Candidate {
    uint32_t start;  // its index in `words`
    uint16_t first;  // first_word_at_ of its key
  };
  absl::InlinedVector<Candidate, 256> candidates(words.size());
  size_t candidate_count = 0;
  for (size_t start = 0; start < words.size(); ++start) {
    const uint16_t first = first_word_at_[FirstWordKey(words[start])];
    candidates[candidate_count] = {static_cast<uint32_t>(start), first};
    candidate_count += first != 0 ? 1 : 0;
  }
  for (size_t candidate = 0; candidate < candidate_count; ++candidate) {
    const size_t start = candidates[candidate].start;
    const std::vector<Phrase>* phrases =
        PhrasesStartedBy(words[start], candidates[candidate].first);
    if (phrases == nullptr) continue;
    for (const Phrase& phrase : *phrases) {
      if (!ContinuesWith(words, start, phrase.rest)) continue;
      switch (phrase.section) {
        case Section::kThemes:
          if (!found.themes[phrase.tag] && !NegatedAt(words, start))
            found.themes[phrase.tag] = true;
          break;
        case Section::kSafeguarding:
          found.safeguarding = true;
          break;
        case Section::kPractice:
          found.practice[phrase.tag] = true;
          break;
      }
    }
  }
  return found;
}

std::vector<std::string> Tagger::ThemeTags(std::string_view text) const {
  return TagsFound(theme_tags_, Find(WordList(text).words()).themes);
}

std::vector<std::string> Tagger::PracticeTags(std::string_view text) const {
  return TagsFound(practice_tags_, Find(WordList(text).words()).practice);
}

bool Tagger::IsSafeguardingConcern(std::string_view text) const {
  return Find(WordList(text).words()).safeguarding;
}

Tagger::TextTags Tagger::Tag(std::string_view text) const {
  const Found found = Find(WordList(text).words());
  return {.themes = TagsFound(theme_tags_, found.themes), .safeguarding = found.safeguarding};
}

}  // namespace feedback
