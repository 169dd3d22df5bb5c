#include "service/feedback_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "service/grpc_status.h"
#include "service/ingest.h"
#include "service/page_token.h"
#include "service/validation.h"
#include "storage/status_macros.h"

namespace feedback {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

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

}  // namespace

FeedbackServiceImpl::FeedbackServiceImpl(storage::FeedbackStore* store,
                                         storage::GroupCommitWriter* writer,
                                         QuarterCalendar calendar)
    : store_(store), writer_(writer), calendar_(calendar) {}

grpc::ServerUnaryReactor* FeedbackServiceImpl::SubmitFeedback(
    grpc::CallbackServerContext* context, const v1::SubmitFeedbackRequest* request,
    v1::SubmitFeedbackResponse* response) {
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateSubmission(request->feedback(), now); !valid.ok()) {
    return FinishNow(context, valid);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // Finished on the writer thread once the batch holding this submission is synced.
  writer_->Submit(PrepareSubmission(request->feedback(), now),
                  [reactor, response](absl::StatusOr<storage::SubmitOutcome> outcome) {
                    if (outcome.ok()) {
                      *response->mutable_feedback() = std::move(outcome->record);
                      response->set_duplicate(outcome->duplicate);
                    }
                    reactor->Finish(ToGrpcStatus(outcome.status()));
                  });
  return reactor;
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::GetFeedback(grpc::CallbackServerContext* context,
                                                           const v1::GetFeedbackRequest* request,
                                                           v1::Feedback* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<v1::Feedback> record = store_->Get(request->id());
  if (record.ok()) *response = std::move(*record);
  return FinishNow(context, record.status());
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListFeedback(grpc::CallbackServerContext* context,
                                                            const v1::ListFeedbackRequest* request,
                                                            v1::ListFeedbackResponse* response) {
  absl::StatusOr<storage::ListQuery> query = ToListQuery(*request);
  if (!query.ok()) return FinishNow(context, query.status());
  absl::StatusOr<storage::ListPage> page = store_->List(*query);
  if (!page.ok()) return FinishNow(context, page.status());
  for (v1::Feedback& item : page->items) *response->add_feedback() = std::move(item);
  if (!page->next_cursor.empty()) {
    response->set_next_page_token(EncodePageToken(*request, page->next_cursor));
  }
  return FinishNow(context, absl::OkStatus());
}

absl::StatusOr<storage::ListQuery> FeedbackServiceImpl::ToListQuery(
    const v1::ListFeedbackRequest& request) const {
  RETURN_IF_ERROR(ValidateListFilters(request));
  storage::ListQuery query;
  if (request.financial_year() != 0 || request.quarter() != 0) {
    if (request.financial_year() == 0) {
      return absl::InvalidArgumentError("financial_year: must be set when quarter is");
    }
    // quarter unset: the whole financial year.
    const Quarter first{request.financial_year(), request.quarter() == 0 ? 1 : request.quarter()};
    const Quarter last{request.financial_year(), request.quarter() == 0 ? 4 : request.quarter()};
    RETURN_IF_ERROR(ValidateQuarter(first));
    RETURN_IF_ERROR(ValidateQuarter(last));
    query.from_micros = absl::ToUnixMicros(calendar_.Start(first));
    query.to_micros = absl::ToUnixMicros(calendar_.End(last));
  }
  query.source = request.source();
  query.kind = request.kind();
  query.tag = request.tag();
  query.limit = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  ASSIGN_OR_RETURN(query.cursor, DecodePageToken(request));
  return query;
}

}  // namespace feedback
