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

}  // namespace feedback
