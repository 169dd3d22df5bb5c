#include "service/domain/redaction.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

constexpr size_t kMaxNameBytes = 200;

// A capitalised word: a capital letter, then letters (with ' ’ or - inside, "O'Neil").
constexpr char kCapWord[] = R"(\p{Lu}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*)";

constexpr char kMonth[] =
    "(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";

// Dates with a year, case-insensitive.
std::string DatePattern() {
  return absl::StrCat(
      R"((?i:\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b|)",
      R"(\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)", kMonth, R"(\b\.?,?\s+\d{4}\b|)", R"(\b)", kMonth,
      R"(\b\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b))");
}

std::string DateOfBirthPattern() {
  return absl::StrCat(
      R"((?i)(\b(?:born(?:\s+(?:on|in))?|d\.?o\.?b\.?|date\s+of\s+birth)\s*(?:is\s+|was\s+)?)",
      R"([:\-–]?\s*)(?:)", DatePattern(), R"(|(?i:\b)", kMonth, R"(\b\.?,?\s+\d{4}\b)))");
}

constexpr char kPostcode[] = R"(\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b)";

// A town's name: a capital letter, then lower-case letters (so not the postcode after it).
constexpr char kTownWord[] = R"(\p{Lu}\p{Ll}[\p{Ll}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*)";

std::string StreetPattern() {
  return absl::StrCat(R"(\b\d{1,4}[A-Za-z]?,?\s+(?:)", kCapWord, R"(\s+){1,3})",
                      "(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Place|"
                      "Pl|Crescent|Cres|Gardens|Gdns|Terrace|Grove|Walk|Row|Square|Mews|Rise|View|"
                      R"(Green|Park|Hill)\b(?:,\s*)",
                      kTownWord, R"((?:\s+)", kTownWord, R"()?)?(?:,?\s*)", kPostcode, ")?");
}

constexpr char kEmail[] = R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})";

// UK numbers: 0 or +44 (optionally "(0)"), an area or mobile prefix, then two groups.
constexpr char kPhone[] = R"((?:\+44\s?(?:\(0\)\s?)?|\(0|\b0)\d{2,4}\)?(?:[\s\-]?\d{3,4}){2}\b)";

std::string TitledNamePattern() {
  return absl::StrCat(R"(\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)", kCapWord);
}

// A word, for the capitalised-name heuristic.
constexpr char kWord[] =
    R"([\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’\-][\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*)";

// Capitalised words that are not names. Lower case; possessive 's is stripped before lookup.
constexpr const char* kCommonCapitalised[] = {
    // Pronouns and words that often start a quoted sentence.
    "i", "i'm", "i've", "i'd", "i'll", "a", "an", "the", "and", "but", "or", "so", "if", "when",
    "what", "why", "how", "who", "where", "we", "you", "they", "he", "she", "it", "my", "our",
    "your", "their", "his", "her", "this", "that", "there", "these", "those", "thank", "thanks",
    "please", "yes", "no", "not", "all", "very", "good", "great", "ok", "okay", "in", "on", "at",
    "to", "for", "of", "with", "everyone", "everybody", "nobody", "someone", "well", "also",
    // Days, months, festivals, languages.
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "xmas", "easter", "eid", "diwali", "ramadan", "hanukkah",
    "halloween", "new", "year", "eve", "day", "bank", "holiday", "holidays", "english", "british",
    "welsh", "scottish", "irish", "polish", "urdu", "punjabi", "arabic", "romanian", "bengali",
    "somali", "kurdish", "god", "allah", "jesus",
    // Family.
    "mum", "mummy", "mam", "mom", "mother", "dad", "daddy", "father", "nan", "nana", "nanna",
    "nanny", "gran", "granny", "grandma", "grandad", "granddad", "grandpa", "grandmother",
    "grandfather", "auntie", "aunty", "aunt", "uncle", "sister", "brother", "baby", "sir",
    // Services, meetings and people in them.
    "council", "city", "county", "conference", "conferences", "review", "reviews", "social",
    "services", "service", "worker", "workers", "work", "care", "carer", "carers", "foster",
    "fostering", "children", "child", "children's", "young", "people", "person", "protection",
    "plan", "plans", "core", "group", "groups", "family", "families", "court", "team", "early",
    "help", "independent", "reviewing", "officer", "officers", "chair", "chairperson", "advocate",
    "advocates", "advocacy", "looked", "after", "initial", "meeting", "meetings", "health",
    "visitor", "nurse", "school", "schools", "college", "nursery", "police", "hospital", "doctor",
    "youth", "offending", "local", "authority", "contact", "centre", "center", "head", "teacher",
    "safeguarding", "lead", "manager", "quality", "assurance", "hub", "duty", "assessment", "panel",
    "education", "virtual", "personal", "pathway", "leaving", "support", "housing", "home",
    "residential", "respite", "unit", "partner", "partners", "agency", "agencies", "probation",
    "mental", "disability", "disabilities", "special", "needs", "interpreter", "zoom", "teams",
    "skype", "whatsapp", "facebook", "internet", "google", "email", "e-mail", "text", "phone",
    "ofsted", "government"};

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Start of the code point before byte `i` (REQUIRES: i > 0).
size_t PreviousCodePoint(std::string_view text, size_t i) {
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && IsContinuationByte(text[j])) --j;
  return j;
}

// End of the code point at byte `i` (REQUIRES: i < text.size()).
size_t NextCodePointEnd(std::string_view text, size_t i) {
  size_t j = i + 1;
  while (j < text.size() && j - i < 4 && IsContinuationByte(text[j])) ++j;
  return j;
}

re2::StringPiece Piece(std::string_view text) { return re2::StringPiece(text.data(), text.size()); }

}  // namespace

struct Redactor::Patterns {
  static RE2::Options Options(bool case_sensitive = true) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(case_sensitive);
    options.set_max_mem(64 << 20);
    return options;
  }

  explicit Patterns(const std::string& names_alternation)
      : email(kEmail, Options()),
        date_of_birth(DateOfBirthPattern(), Options()),
        date(DatePattern(), Options()),
        phone(kPhone, Options()),
        street(StreetPattern(), Options()),
        postcode(kPostcode, Options()),
        titled_name(TitledNamePattern(), Options()),
        listed_names(names_alternation.empty() ? R"([^\x00-\x{10FFFF}])" : names_alternation,
                     Options(false)),
        has_names(!names_alternation.empty()),
        word(kWord, Options()),
        word_char(R"([\p{L}\p{M}\p{N}_])", Options()),
        capital(R"(\p{Lu})", Options()),
        acronym(R"([\p{Lu}\p{N}'’\-]+)", Options()),
        digit(R"(\p{N})", Options()),
        repeated_names(R"(\[name\](?:[ \t]+\[name\])+)", Options()),
        repeated_addresses(R"(\[address\](?:,?[ \t]+\[address\])+)", Options()),
        common(std::begin(kCommonCapitalised), std::end(kCommonCapitalised)) {}

  absl::Status Check() const {
    for (const RE2* re :
         {&email, &date_of_birth, &date, &phone, &street, &postcode, &titled_name, &listed_names,
          &word, &word_char, &capital, &acronym, &digit, &repeated_names, &repeated_addresses}) {
      if (!re->ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("redaction pattern does not compile: ", re->error()));
      }
    }
    return absl::OkStatus();
  }

  const RE2 email, date_of_birth, date, phone, street, postcode, titled_name, listed_names;
  const bool has_names;
  const RE2 word, word_char, capital, acronym, digit, repeated_names, repeated_addresses;
  const absl::flat_hash_set<std::string> common;
};

namespace {

// Rebuilds `text` with every match of `re` that `accept(begin, end)` accepts replaced by
// `marker`. A rejected match is searched past from its next code point (`skip_rejected` false)
// or from its end. Returns whether anything was replaced.
template <typename Accept>
bool ReplaceAccepted(std::string& text, const RE2& re, std::string_view marker, bool skip_rejected,
                     Accept accept) {
  std::string out;
  const re2::StringPiece input = Piece(text);
  size_t copied = 0;
  size_t search = 0;
  bool replaced = false;
  re2::StringPiece match;
  while (search < text.size() && re.Match(input, search, text.size(), RE2::UNANCHORED, &match, 1)) {
    const size_t begin = static_cast<size_t>(match.data() - text.data());
    const size_t end = begin + match.size();
    if (match.empty()) {
      search = NextCodePointEnd(text, begin);
    } else if (accept(begin, end)) {
      out.append(text, copied, begin - copied);
      out.append(marker);
      copied = search = end;
      replaced = true;
    } else {
      search = skip_rejected ? end : NextCodePointEnd(text, begin);
    }
  }
  if (!replaced) return false;
  out.append(text, copied, std::string::npos);
  text = std::move(out);
  return true;
}

}  // namespace

absl::StatusOr<Redactor> Redactor::Create(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) {
    const std::string trimmed(absl::StripAsciiWhitespace(name));
    if (!trimmed.empty()) quoted.push_back(RE2::QuoteMeta(trimmed));
  }
  // Longest first, so that "Mary Ann" wins over "Mary".
  std::sort(quoted.begin(), quoted.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  quoted.erase(std::unique(quoted.begin(), quoted.end()), quoted.end());
  const std::string alternation =
      quoted.empty() ? "" : absl::StrCat("(?:", absl::StrJoin(quoted, "|"), ")");
  auto patterns = std::make_shared<const Patterns>(alternation);
  if (absl::Status status = patterns->Check(); !status.ok()) return status;
  return Redactor(std::move(patterns));
}

absl::StatusOr<Redactor> Redactor::Parse(std::string_view text, std::string_view source) {
  std::vector<std::string> names;
  int line_number = 0;
  for (absl::string_view raw : absl::StrSplit(std::string(text), '\n')) {
    ++line_number;
    const std::string line(absl::StripAsciiWhitespace(raw.substr(0, raw.find('#'))));
    if (line.empty()) continue;
    if (!IsValidUtf8(line) || line.size() > kMaxNameBytes) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(source), ": line ", line_number,
                                                     ": not a name (UTF-8, at most ", kMaxNameBytes,
                                                     " bytes)"));
    }
    names.push_back(line);
  }
  return Create(names);
}

absl::StatusOr<Redactor> Redactor::Load(const std::string& path) {
  if (path.empty()) return Create({});
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat("redaction names file ", path, ": cannot read"));
  std::stringstream contents;
  contents << in.rdbuf();
  return Parse(contents.str(), absl::StrCat("redaction names file ", path));
}

Redaction Redactor::Redact(std::string_view input) const {
  const Patterns& p = *patterns_;
  std::string text(input);
  bool name = false, phone = false, email = false, address = false, date = false;

  email = RE2::GlobalReplace(&text, p.email, "[email]") > 0;
  date = RE2::GlobalReplace(&text, p.date_of_birth, R"(\1[date of birth])") > 0;
  date = (RE2::GlobalReplace(&text, p.date, "[date]") > 0) || date;
  phone = RE2::GlobalReplace(&text, p.phone, "[phone]") > 0;
  address = RE2::GlobalReplace(&text, p.street, "[address]") > 0;
  address = (RE2::GlobalReplace(&text, p.postcode, "[address]") > 0) || address;
  name = RE2::GlobalReplace(&text, p.titled_name, "[name]") > 0;

  auto is_word_char = [&](std::string_view code_point) {
    return RE2::FullMatch(Piece(code_point), p.word_char);
  };
  if (p.has_names) {
    name = ReplaceAccepted(
               text, p.listed_names, "[name]", /*skip_rejected=*/false,
               [&](size_t begin, size_t end) {
                 if (begin > 0) {
                   const size_t before = PreviousCodePoint(text, begin);
                   if (is_word_char(std::string_view(text).substr(before, begin - before))) {
                     return false;
                   }
                 }
                 if (end < text.size()) {
                   const size_t after = NextCodePointEnd(text, end);
                   if (is_word_char(std::string_view(text).substr(end, after - end))) {
                     return false;
                   }
                 }
                 return true;
               }) ||
           name;
  }

  // True if the word at `begin` starts a sentence: nothing but spaces, brackets and opening
  // quotes between it and the start of the text or the end of a sentence.
  auto starts_sentence = [&](size_t begin) {
    size_t i = begin;
    while (i > 0) {
      const size_t before = PreviousCodePoint(text, i);
      const std::string_view c = std::string_view(text).substr(before, i - before);
      if (c == " " || c == "\t" || c == "\u00A0" || c == "(") {
        i = before;
        continue;
      }
      return c == "." || c == "!" || c == "?" || c == ":" || c == "\n" || c == "\r" ||
             c == "\u2026" || c == "\"" || c == "'" || c == "\u201C" || c == "\u2018";
    }
    return true;
  };
  // A capitalised part of a word that is neither an acronym nor a common capitalised word.
  auto is_name_part = [&](absl::string_view part) {
    const re2::StringPiece piece(part.data(), part.size());
    if (!p.capital.Match(piece, 0, piece.size(), RE2::ANCHOR_START, nullptr, 0)) return false;
    if (RE2::FullMatch(piece, p.acronym)) return false;
    std::string key =
        absl::AsciiStrToLower(absl::StrReplaceAll(std::string(part), {{"\u2019", "'"}}));
    if (absl::EndsWith(key, "'s")) key.resize(key.size() - 2);
    return !p.common.contains(key);
  };
  auto is_name = [&](size_t begin, size_t end) {
    const std::string word = text.substr(begin, end - begin);
    if (RE2::PartialMatch(word, p.digit) || starts_sentence(begin)) return false;
    // "Anne-Marie" is a name; "October-December" is not.
    for (absl::string_view part : absl::StrSplit(word, '-')) {
      if (is_name_part(part)) return true;
    }
    return false;
  };
  name = ReplaceAccepted(text, p.word, "[name]", /*skip_rejected=*/true, is_name) || name;

  if (name) RE2::GlobalReplace(&text, p.repeated_names, "[name]");
  if (address) RE2::GlobalReplace(&text, p.repeated_addresses, "[address]");

  Redaction result;
  result.text = std::move(text);
  for (const auto& [found, category] :
       {std::pair{name, kRedactedName}, std::pair{phone, kRedactedPhone},
        std::pair{email, kRedactedEmail}, std::pair{address, kRedactedAddress},
        std::pair{date, kRedactedDate}}) {
    if (found) result.categories.emplace_back(category);
  }
  return result;
}

}  // namespace feedback
