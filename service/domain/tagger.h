// Tags at ingest: themes from a lexicon (with simple negation) and safeguarding phrases; and the
// practice themes of case-file audits and practice observations.
#ifndef FEEDBACK_SERVICE_DOMAIN_TAGGER_H_
#define FEEDBACK_SERVICE_DOMAIN_TAGGER_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback {

inline constexpr std::string_view kSafeguardingTag = "safeguarding";

// Immutable, so thread-safe.
class Tagger {
 public:
  // Parses a lexicon (format: service/data/default-lexicon.txt). INVALID_ARGUMENT naming
  // `source` and the line otherwise.
  [[nodiscard]] static absl::StatusOr<Tagger> Parse(std::string_view text, std::string_view source);
  // The built-in default lexicon, or the file at `path` when it is not empty.
  [[nodiscard]] static absl::StatusOr<Tagger> Load(const std::string& path);

  // Theme tags found in `text`, sorted, each once.
  std::vector<std::string> ThemeTags(std::string_view text) const;
  // Practice themes (the lexicon's [practice] section) found in `text`, sorted, each once: what
  // an audit's or observation's strengths or areas for improvement are about. Negation does not
  // apply: "no evidence of management oversight" is about management_oversight, and whether it
  // is a strength or an area for improvement is the field it was written in.
  std::vector<std::string> PracticeTags(std::string_view text) const;
  // True if `text` contains a safeguarding phrase.
  bool IsSafeguardingConcern(std::string_view text) const;
  // ThemeTags and IsSafeguardingConcern from one reading of `text`: what a submission is tagged
  // with.
  struct TextTags {
    std::vector<std::string> themes;
    bool safeguarding = false;
  };
  TextTags Tag(std::string_view text) const;

 private:
  enum class Section { kThemes, kSafeguarding, kPractice };
  // A lexicon phrase, filed under its first word (by_first_word_).
  struct Phrase {
    std::vector<std::string> rest;  // its words after the first, lower case
    Section section;
    size_t tag;  // its tag: an index into theme_tags_ or practice_tags_ (not for safeguarding)
  };
  // Inlined: a lexicon's tags fit without an allocation on every submission.
  using Flags = absl::InlinedVector<bool, 32>;
  // What a text's words have, in every section at once.
  struct Found {
    Flags themes;    // by index into theme_tags_
    Flags practice;  // by index into practice_tags_
    bool safeguarding = false;
  };
  // A word that starts one or more phrases, and the next with the same FirstWordKey.
  struct FirstWord {
    std::string word;
    std::vector<Phrase> phrases;
    uint16_t next = 0;  // 1 + its index in first_words_, or 0 for none
  };
  static constexpr size_t kFirstWordKeys = 4096;   // FirstWordKey's range
  static constexpr size_t kMaxFirstWords = 65535;  // what a uint16_t link can name

  Tagger() = default;
  // One pass over `words`, a look-up of each: most words start no phrase of the lexicon.
  Found Find(std::span<const std::string_view> words) const;
  // The phrases that `word` starts, or null: a walk of its key's chain (usually one long).
  const std::vector<Phrase>* PhrasesStartedBy(std::string_view word, uint16_t first) const;
  // The phrases filed under `word`, filed anew if need be; null if kMaxFirstWords are filed and
  // `word` is not one of them.
  std::vector<Phrase>* FileFirstWord(std::string_view word);

  std::vector<std::string> theme_tags_;     // one per [themes] line (a tag may repeat)
  std::vector<std::string> practice_tags_;  // one per [practice] line
  std::vector<FirstWord> first_words_;
  // By a word's first byte, last byte and length, mixed (FirstWordKey): 1 + the index in
  // first_words_ of a first word with that key, or 0. Most words of a text find 0 here and are
  // never compared; the key is a multiply and a shift, cheaper than the hash of the word's bytes
  // that a hash map of first words took (docs/performance.md, nineteenth pass).
  std::array<uint16_t, kFirstWordKeys> first_word_at_{};
};

// True for a theme tag: one a lexicon's [themes] section gives ("listened_to", "fair_chair").
// False for the tags the service sets by rule: the kind ("compliment", "complaint", "comment",
// "child_statement"), a complaint's state, stage and outcome ("open", "closed", "stage_1".."3",
// "upheld", "partially_upheld", "not_upheld", "withdrawn"), "safeguarding" and
// "consent_to_quote". A kiosk's published themes are its answers' theme tags (counters.h).
bool IsThemeTag(std::string_view tag);

// Lower-case words of `text`: letters and digits (other UTF-8 characters kept in words);
// apostrophes dropped ("didn't" is "didnt"); ASCII and typographic punctuation separate words.
std::vector<std::string> Words(std::string_view text);

// Words(text) as views into one lower-cased copy of the text that the list holds: how the
// tagger reads every submission, with two allocations however many words it has. The views
// point into the list, so it is neither copied nor moved.
class WordList {
 public:
  explicit WordList(std::string_view text);
  WordList(const WordList&) = delete;
  WordList& operator=(const WordList&) = delete;

  std::span<const std::string_view> words() const { return words_; }

 private:
  std::string folded_;  // the words' letters, lower case, one after another
  std::vector<std::string_view> words_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_TAGGER_H_
