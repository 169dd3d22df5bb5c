#include "service/domain/narrative.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(problem)));
}

absl::Status CheckQuarter(int32_t financial_year, int32_t quarter) {
  if (financial_year < 2000 || financial_year > 2100) {
    return Invalid("financial_year",
                   absl::StrCat(financial_year, " is outside 2000..2100 (2018 for 2018-19)"));
  }
  if (quarter < 1 || quarter > 4) {
    return Invalid("quarter", absl::StrCat(quarter, " is outside 1..4"));
  }
  return absl::OkStatus();
}

// The first control character of `text` other than those `allowed`, or npos.
size_t FirstControl(std::string_view text, std::string_view allowed) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 || c == 0x7f) && allowed.find(static_cast<char>(c)) == std::string_view::npos) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

absl::Status ValidateSetNarrative(const v1::SetNarrativeRequest& request) {
  if (absl::Status quarter = CheckQuarter(request.financial_year(), request.quarter());
      !quarter.ok()) {
    return quarter;
  }
  if (request.section() == v1::NARRATIVE_SECTION_UNSPECIFIED ||
      !v1::NarrativeSection_IsValid(request.section())) {
    return Invalid("section",
                   "must be a narrative section: review of the previous next steps, external "
                   "review, pilot description, recommendations or next steps");
  }
  if (!IsValidUtf8(request.text())) return Invalid("text", "is not valid UTF-8");
  if (request.text().size() > kMaxNarrativeBytes) {
    return Invalid(
        "text", absl::StrCat("is ", request.text().size(), " bytes; at most ", kMaxNarrativeBytes));
  }
  if (size_t at = FirstControl(request.text(), "\n\t"); at != std::string_view::npos) {
    return Invalid("text", absl::StrCat("has a control character at byte ", at,
                                        " (only newlines and tabs are allowed)"));
  }
  if (request.submission_id().empty()) return Invalid("submission_id", "must be set (a UUID)");
  if (!IsUuid(request.submission_id())) {
    return Invalid("submission_id", "must be a UUID such as 123e4567-e89b-42d3-a456-426614174000");
  }
  return absl::OkStatus();
}

absl::Status ValidateGetNarrative(const v1::GetNarrativeRequest& request) {
  if (absl::Status quarter = CheckQuarter(request.financial_year(), request.quarter());
      !quarter.ok()) {
    return quarter;
  }
  if (!v1::NarrativeSection_IsValid(request.section())) {
    return Invalid("section", absl::StrCat("unknown value ", request.section()));
  }
  return absl::OkStatus();
}

absl::Status ValidateTitlePart(const std::string& flag, const std::string& text) {
  if (!IsValidUtf8(text)) return Invalid(flag, "is not valid UTF-8");
  if (text.size() > kMaxTitlePartBytes) {
    return Invalid(flag, absl::StrCat("is ", text.size(), " bytes; at most ", kMaxTitlePartBytes));
  }
  if (FirstControl(text, "") != std::string_view::npos) {
    return Invalid(flag, "has a control character");
  }
  return absl::OkStatus();
}

}  // namespace feedback
