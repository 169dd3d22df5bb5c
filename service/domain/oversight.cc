#include "service/domain/oversight.h"

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
      absl::StrCat("oversight.", std::string(field), ": ", std::string(problem)));
}

absl::Status CheckText(std::string_view field, const std::string& text) {
  return ValidateRecordText("oversight", field, text);
}

absl::Status CheckOccurredAt(const v1::ChairOversight& oversight, absl::Time now) {
  if (!oversight.has_occurred_at()) return absl::OkStatus();
  return ValidateRecordDate("oversight", oversight.occurred_at(), now,
                            "is in the future; an outcome is recorded after the meeting");
}

}  // namespace

v1::OversightGroup OversightGroupOf(v1::Meeting meeting) {
  switch (meeting) {
    case v1::MEETING_INITIAL_CP_CONFERENCE:
    case v1::MEETING_REVIEW_CP_CONFERENCE:
      return v1::OVERSIGHT_GROUP_CP_CONFERENCES;
    case v1::MEETING_CLA_REVIEW:
      return v1::OVERSIGHT_GROUP_LAC_REVIEWS;
    default:
      return v1::OVERSIGHT_GROUP_UNSPECIFIED;
  }
}

absl::Status ValidateOversight(const v1::ChairOversight& oversight, absl::Time now) {
  if (oversight.submission_id().empty()) return Invalid("submission_id", "must be set (a UUID)");
  if (!IsUuid(oversight.submission_id())) {
    return Invalid("submission_id", "must be a UUID such as 123e4567-e89b-42d3-a456-426614174000");
  }
  if (OversightGroupOf(oversight.meeting()) == v1::OVERSIGHT_GROUP_UNSPECIFIED) {
    return Invalid("meeting",
                   "must be a chaired meeting: an initial or review CP conference, or a CLA "
                   "review");
  }
  if (oversight.service_area() == v1::SERVICE_AREA_UNSPECIFIED ||
      !v1::ServiceArea_IsValid(oversight.service_area())) {
    return Invalid("service_area", "must be early help, social care or youth offending");
  }
  if (oversight.outcome() == v1::OVERSIGHT_OUTCOME_UNSPECIFIED ||
      !v1::OversightOutcome_IsValid(oversight.outcome())) {
    return Invalid("outcome", "must be an escalation, no concerns or a commendation");
  }
  if (absl::Status text = CheckText("strengths", oversight.strengths()); !text.ok()) return text;
  if (absl::Status text = CheckText("areas_for_development", oversight.areas_for_development());
      !text.ok()) {
    return text;
  }
  if (absl::Status at = CheckOccurredAt(oversight, now); !at.ok()) return at;
  return CheckNoServerSetFields(oversight, "oversight");
}

absl::Status ValidateOversightFilters(const v1::ListOversightsRequest& request) {
  if (!v1::Meeting_IsValid(request.meeting())) {
    return absl::InvalidArgumentError(absl::StrCat("meeting: unknown value ", request.meeting()));
  }
  if (!v1::OversightOutcome_IsValid(request.outcome())) {
    return absl::InvalidArgumentError(absl::StrCat("outcome: unknown value ", request.outcome()));
  }
  return ValidateQuarterFilter(request.financial_year(), request.quarter());
}

bool MatchesOversightFilter(const v1::ChairOversight& oversight,
                            const v1::ListOversightsRequest& request) {
  if (request.meeting() != v1::MEETING_UNSPECIFIED && oversight.meeting() != request.meeting()) {
    return false;
  }
  return request.outcome() == v1::OVERSIGHT_OUTCOME_UNSPECIFIED ||
         oversight.outcome() == request.outcome();
}

}  // namespace feedback
