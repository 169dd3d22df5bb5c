#include "service/domain/list_filters.h"

#include "absl/strings/str_cat.h"
#include "service/domain/complaints.h"

namespace feedback {

absl::Status ValidateListFilters(const v1::ListFeedbackRequest& request) {
  if (!v1::Source_IsValid(request.source())) {
    return absl::InvalidArgumentError(absl::StrCat("source: unknown value ", request.source()));
  }
  if (!v1::Kind_IsValid(request.kind())) {
    return absl::InvalidArgumentError(absl::StrCat("kind: unknown value ", request.kind()));
  }
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", request.page_size(), " is outside 0..", kMaxPageSize));
  }
  if (request.tag().size() > 64 || request.tag().find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("tag: not a tag name");
  }
  return absl::OkStatus();
}

absl::Status ValidateComplaintFilters(const v1::ListComplaintsRequest& request) {
  if (!v1::ComplaintStage_IsValid(request.stage())) {
    return absl::InvalidArgumentError(absl::StrCat("stage: unknown value ", request.stage()));
  }
  if (!v1::ComplaintOutcome_IsValid(request.outcome())) {
    return absl::InvalidArgumentError(absl::StrCat("outcome: unknown value ", request.outcome()));
  }
  return absl::OkStatus();
}

absl::Status ValidateQuarterFilter(int32_t financial_year, int32_t quarter) {
  if (quarter != 0 && financial_year == 0) {
    return absl::InvalidArgumentError("financial_year: must be set when quarter is");
  }
  if (quarter < 0 || quarter > 4) {
    return absl::InvalidArgumentError(absl::StrCat("quarter: ", quarter, " is outside 1..4"));
  }
  return absl::OkStatus();
}

absl::Status ValidateReferralFilters(const v1::ListAdvocacyReferralsRequest& request) {
  if (!v1::Meeting_IsValid(request.meeting())) {
    return absl::InvalidArgumentError(absl::StrCat("meeting: unknown value ", request.meeting()));
  }
  if (!v1::AdvocacyStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError(absl::StrCat("status: unknown value ", request.status()));
  }
  return ValidateQuarterFilter(request.financial_year(), request.quarter());
}

bool MatchesReferralFilter(const v1::AdvocacyReferral& referral,
                           const v1::ListAdvocacyReferralsRequest& request) {
  if (request.meeting() != v1::MEETING_UNSPECIFIED && referral.meeting() != request.meeting()) {
    return false;
  }
  return request.status() == v1::ADVOCACY_STATUS_UNSPECIFIED ||
         referral.status() == request.status();
}

v1::ListFeedbackRequest ComplaintPageRequest(const v1::ListComplaintsRequest& request) {
  // One tag is served by the index; the rest of the filter is applied to the page.
  v1::ListFeedbackRequest list;
  list.set_kind(v1::KIND_COMPLAINT);
  list.set_financial_year(request.financial_year());
  list.set_quarter(request.quarter());
  if (request.outcome() != v1::COMPLAINT_OUTCOME_UNSPECIFIED) {
    list.set_tag(OutcomeTag(request.outcome()));
  } else if (request.stage() != v1::COMPLAINT_STAGE_UNSPECIFIED) {
    list.set_tag(absl::StrCat("stage_", static_cast<int>(request.stage())));
  } else if (request.open_only()) {
    list.set_tag("open");
  }
  list.set_page_size(request.page_size());
  list.set_page_token(request.page_token());
  return list;
}

bool MatchesComplaintFilter(const v1::Complaint& complaint,
                            const v1::ListComplaintsRequest& request) {
  const v1::Feedback& f = complaint.feedback();
  if (request.stage() != v1::COMPLAINT_STAGE_UNSPECIFIED &&
      f.complaint_stage() != request.stage()) {
    return false;
  }
  if (request.open_only() && f.complaint_outcome() != v1::COMPLAINT_OUTCOME_UNSPECIFIED) {
    return false;
  }
  return !request.overdue_only() || complaint.overdue();
}

}  // namespace feedback
