#include "service/domain/quality_checks.h"

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "service/domain/list_filters.h"
#include "service/domain/server_fields.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("check.", std::string(field), ": ", std::string(problem)));
}

absl::Status CheckText(std::string_view field, const std::string& text) {
  return ValidateRecordText("check", field, text);
}

absl::Status CheckOccurredAt(const v1::QualityCheck& check, absl::Time now) {
  if (!check.has_occurred_at()) return absl::OkStatus();
  return ValidateRecordDate("check", check.occurred_at(), now,
                            "is in the future; an audit is recorded once it is done");
}

}  // namespace

absl::Status ValidateQualityCheck(const v1::QualityCheck& check, absl::Time now) {
  if (check.submission_id().empty()) return Invalid("submission_id", "must be set (a UUID)");
  if (!IsUuid(check.submission_id())) {
    return Invalid("submission_id", "must be a UUID such as 123e4567-e89b-42d3-a456-426614174000");
  }
  if (check.activity() == v1::QA_ACTIVITY_UNSPECIFIED ||
      !v1::QaActivity_IsValid(check.activity())) {
    return Invalid("activity", "must be a case-file audit or a practice observation");
  }
  if (check.service_area() == v1::SERVICE_AREA_UNSPECIFIED ||
      !v1::ServiceArea_IsValid(check.service_area())) {
    return Invalid("service_area",
                   "must be the division: early help, social care or youth offending");
  }
  if (check.grade() == v1::QA_GRADE_UNSPECIFIED || !v1::QaGrade_IsValid(check.grade())) {
    return Invalid("grade", "must be outstanding, good, requires improvement or inadequate");
  }
  if (absl::Status text = CheckText("strengths", check.strengths()); !text.ok()) return text;
  if (absl::Status text = CheckText("areas_for_improvement", check.areas_for_improvement());
      !text.ok()) {
    return text;
  }
  if (absl::Status at = CheckOccurredAt(check, now); !at.ok()) return at;
  return CheckNoServerSetFields(check, "check");
}

absl::Status ValidateQualityCheckFilters(const v1::ListQualityChecksRequest& request) {
  if (!v1::QaActivity_IsValid(request.activity())) {
    return absl::InvalidArgumentError(absl::StrCat("activity: unknown value ", request.activity()));
  }
  if (!v1::ServiceArea_IsValid(request.service_area())) {
    return absl::InvalidArgumentError(
        absl::StrCat("service_area: unknown value ", request.service_area()));
  }
  return ValidateQuarterFilter(request.financial_year(), request.quarter());
}

bool MatchesQualityCheckFilter(const v1::QualityCheck& check,
                               const v1::ListQualityChecksRequest& request) {
  if (request.activity() != v1::QA_ACTIVITY_UNSPECIFIED && check.activity() != request.activity()) {
    return false;
  }
  return request.service_area() == v1::SERVICE_AREA_UNSPECIFIED ||
         check.service_area() == request.service_area();
}

}  // namespace feedback
