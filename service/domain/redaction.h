// Automatic redaction of quote candidates: personal names, phone numbers, e-mail and postal
// addresses, and dates (of birth), each replaced by a marker. RE2 only, so every pattern runs
// in time linear in the text, whatever the text.
//
// Example:
//   absl::StatusOr<Redactor> redactor = Redactor::Load("/etc/feedbackd/names.txt");
//   Redaction r = redactor->Redact("Ring Mrs Patel on 07700 900123");
//   // r.text == "Ring [name] on [phone]", r.categories == {"name", "phone"}
#ifndef FEEDBACK_SERVICE_DOMAIN_REDACTION_H_
#define FEEDBACK_SERVICE_DOMAIN_REDACTION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace feedback {

// Categories, as Redaction::categories and v1::Quote::redactions spell them.
inline constexpr std::string_view kRedactedName = "name";
inline constexpr std::string_view kRedactedPhone = "phone";
inline constexpr std::string_view kRedactedEmail = "email";
inline constexpr std::string_view kRedactedAddress = "address";
inline constexpr std::string_view kRedactedDate = "date";

struct Redaction {
  std::string text;  // the input with every redacted span replaced by its marker
  // What was taken out, each once, in the order name, phone, email, address, date.
  std::vector<std::string> categories;
};

// Replaces, in this order:
//   e-mail addresses                                  -> [email]
//   a date after "born (on)", "DOB", "date of birth"  -> [date of birth]
//   other dates with a year: 12/03/2012, 12-03-2012, 12.03.12, 12 March 2012,
//     March 12th 2012                                 -> [date]
//   UK phone numbers: 07700 900123, +44 7700 900123, 0113 496 0000, (020) 7946 0000
//                                                     -> [phone]
//   "<number> <Capitalised words> Street|Road|Avenue|Lane|Close|Drive|Way|Court|Place|
//     Crescent|Gardens|Terrace|..." (with a ", Town" and a postcode after it), and UK
//     postcodes such as "LS1 4DY"                     -> [address]
//   a title (Mr, Mrs, Ms, Miss, Mx, Dr) and the capitalised word after it,
//   every name of the configured list (case-insensitive, whole words), and
//   every capitalised word that does not start a sentence, is not an all-capitals acronym
//     and is not one of the built-in common capitalised words (I, Mum, Monday, March,
//     Christmas, Council, Conference, Review, Social, Worker, ...)   -> [name]
// Adjacent markers of one kind ("[name] [name]") become one.
// Immutable once made, so thread-safe; cheap to copy.
class Redactor {
 public:
  // The built-in rules plus `names` (each trimmed; empty ones ignored; matched literally).
  [[nodiscard]] static absl::StatusOr<Redactor> Create(const std::vector<std::string>& names);
  // Parses a names list: one name per line; '#' starts a comment; blank lines are ignored.
  // INVALID_ARGUMENT naming `source` and the line for a name that is not UTF-8 or too long.
  [[nodiscard]] static absl::StatusOr<Redactor> Parse(std::string_view text,
                                                      std::string_view source);
  // The names list file at `path`, or only the built-in rules when `path` is empty.
  [[nodiscard]] static absl::StatusOr<Redactor> Load(const std::string& path);

  Redaction Redact(std::string_view text) const;

 private:
  struct Patterns;
  explicit Redactor(std::shared_ptr<const Patterns> patterns) : patterns_(std::move(patterns)) {}

  std::shared_ptr<const Patterns> patterns_;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_REDACTION_H_
