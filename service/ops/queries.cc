#include "service/ops/queries.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/list_filters.h"
#include "service/domain/page_token.h"
#include "service/ops/ledger.h"
#include "service/ops/record_scan.h"

namespace feedback {

using google::protobuf::util::TimeUtil;

absl::StatusOr<storage::ListQuery> ToListQuery(const v1::ListFeedbackRequest& request,
                                               const QuarterCalendar& calendar) {
  RETURN_IF_ERROR(ValidateListFilters(request));
  storage::ListQuery query;
  if (request.financial_year() != 0 || request.quarter() != 0) {
    if (request.financial_year() == 0) {
      return absl::InvalidArgumentError("financial_year: must be set when quarter is");
    }
    // quarter unset: the whole financial year.
    const Quarter first{request.financial_year(), request.quarter() == 0 ? 1 : request.quarter()};
    RETURN_IF_ERROR(ValidateQuarter(first));
    const Quarter last{request.financial_year(), request.quarter() == 0 ? 4 : request.quarter()};
    query.from_micros = absl::ToUnixMicros(calendar.Start(first));
    query.to_micros = absl::ToUnixMicros(calendar.End(last));
  }
  query.source = request.source();
  query.kind = request.kind();
  query.tag = request.tag();
  query.limit = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  ASSIGN_OR_RETURN(query.cursor, DecodePageToken(request));
  return query;
}

absl::StatusOr<v1::Complaint> LoadComplaint(const storage::FeedbackStore& store,
                                            const ComplaintProcedure& procedure,
                                            const v1::Feedback& record, absl::Time now) {
  ASSIGN_OR_RETURN(const std::string bytes, store.GetEntity(ComplaintKey(record.id())));
  ASSIGN_OR_RETURN(v1::Complaint complaint, ParseComplaint(bytes));
  *complaint.mutable_feedback() = record;
  complaint.set_overdue(procedure.IsOverdue(complaint, now));
  return complaint;
}

absl::StatusOr<v1::ListComplaintsResponse> ListComplaints(const storage::FeedbackStore& store,
                                                          const ComplaintProcedure& procedure,
                                                          const QuarterCalendar& calendar,
                                                          const v1::ListComplaintsRequest& request,
                                                          absl::Time now) {
  const v1::ListFeedbackRequest list = ComplaintPageRequest(request);
  ASSIGN_OR_RETURN(const storage::ListQuery query, ToListQuery(list, calendar));
  ASSIGN_OR_RETURN(const storage::ListPage page, store.List(query));
  v1::ListComplaintsResponse response;
  for (const v1::Feedback& record : page.items) {
    ASSIGN_OR_RETURN(v1::Complaint complaint, LoadComplaint(store, procedure, record, now));
    if (!MatchesComplaintFilter(complaint, request)) continue;
    *response.add_complaints() = std::move(complaint);
  }
  if (!page.next_cursor.empty()) {
    response.set_next_page_token(EncodePageToken(list, page.next_cursor));
  }
  return response;
}

absl::StatusOr<v1::AdvocacyReferral> ReadReferral(const storage::FeedbackStore& store,
                                                  std::string_view id) {
  absl::StatusOr<std::string> bytes = store.GetEntity(ReferralKey(id));
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("id: no advocacy referral with id ", QuoteClientValue(id)));
  }
  // Any other error is what it is: a referral the store cannot read is not a missing one.
  if (!bytes.ok()) return bytes.status();
  v1::AdvocacyReferral referral;
  if (!referral.ParseFromString(*bytes)) return absl::DataLossError("referral does not parse");
  return referral;
}

bool RequestedSpan::Contains(const google::protobuf::Timestamp& at) const {
  const int64_t micros = TimeUtil::TimestampToMicroseconds(at);
  return micros >= from && micros < to;
}

absl::StatusOr<RequestedSpan> SpanOfRequest(const QuarterCalendar& calendar, int32_t financial_year,
                                            int32_t quarter) {
  RequestedSpan span;
  if (financial_year == 0) return span;
  // quarter unset: the whole financial year.
  const Quarter first{financial_year, quarter == 0 ? 1 : quarter};
  RETURN_IF_ERROR(ValidateQuarter(first));
  const Quarter last{financial_year, quarter == 0 ? 4 : quarter};
  span.from = absl::ToUnixMicros(calendar.Start(first));
  span.to = absl::ToUnixMicros(calendar.End(last));
  return span;
}

absl::StatusOr<v1::ListAdvocacyReferralsResponse> ListReferrals(
    const storage::FeedbackStore& store, const QuarterCalendar& calendar,
    const v1::ListAdvocacyReferralsRequest& request) {
  ASSIGN_OR_RETURN(const RequestedSpan span,
                   SpanOfRequest(calendar, request.financial_year(), request.quarter()));
  std::vector<v1::AdvocacyReferral> found;
  RETURN_IF_ERROR(ScanRecords<v1::AdvocacyReferral>(
      store, kReferralPrefix, "referral",
      [&](v1::AdvocacyReferral&& referral) -> storage::ScanStep {
        if (span.Contains(referral.referred_at()) && MatchesReferralFilter(referral, request)) {
          referral.clear_reason();
          found.push_back(std::move(referral));
        }
        return absl::OkStatus();
      }));
  SortNewestFirst(found, [](const v1::AdvocacyReferral& r) { return r.referred_at(); });
  v1::ListAdvocacyReferralsResponse response;
  for (v1::AdvocacyReferral& referral : found) *response.add_referrals() = std::move(referral);
  return response;
}

absl::StatusOr<std::vector<v1::Alert>> UnacknowledgedAlerts(const storage::FeedbackStore& store) {
  std::vector<v1::Alert> alerts;
  RETURN_IF_ERROR(store.ScanEntities(
      kAlertPrefix, [&](std::string_view key, std::string_view value) -> storage::ScanStep {
        v1::Alert alert;
        if (!alert.ParseFromString(std::string(value))) {
          // Named by its key: the value may hold a child's words.
          return absl::DataLossError(
              absl::StrCat(std::string(key), ": a stored alert does not parse"));
        }
        if (alert.acknowledged()) return absl::OkStatus();
        // A talk-now alert is about no item; any other is about the words of the item it names.
        // A chair's escalation is about a meeting: it carries no item either.
        if (alert.reason() == v1::ALERT_REASON_TALK_NOW ||
            alert.reason() == v1::ALERT_REASON_CHAIR_ESCALATION) {
          alerts.push_back(std::move(alert));
          return absl::OkStatus();
        }
        alert.set_reason(v1::ALERT_REASON_SAFEGUARDING_WORDS);  // stored before reasons were kept
        absl::StatusOr<v1::Feedback> feedback = store.Get(alert.id());
        if (feedback.ok()) {
          *alert.mutable_feedback() = *std::move(feedback);
        } else if (!absl::IsNotFound(feedback.status())) {
          return feedback.status();
        }
        alerts.push_back(std::move(alert));
        return absl::OkStatus();
      }));
  return alerts;
}

}  // namespace feedback
