#include "proto/vocabulary/error_text.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace feedback {

std::string QuoteClientValue(std::string_view value) {
  const std::string_view shown = value.substr(0, kMaxEchoBytes);
  std::string quoted =
      absl::StrCat("\"", absl::CHexEscape(absl::string_view(shown.data(), shown.size())), "\"");
  if (shown.size() < value.size()) absl::StrAppend(&quoted, "... (", value.size(), " bytes)");
  return quoted;
}

std::string CapErrorMessage(std::string_view message) {
  if (message.size() <= kMaxErrorMessageBytes) return std::string(message);
  size_t cut = kMaxErrorMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xc0) == 0x80) --cut;
  return std::string(message.substr(0, cut)) + "...";
}

}  // namespace feedback
