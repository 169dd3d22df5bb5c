// FeedbackCore: feedback items (submit, read, list, export, re-tag).
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"
#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/core/streams.h"
#include "service/domain/page_token.h"
#include "service/domain/validation.h"
#include "service/ops/backdating.h"
#include "service/ops/ingest.h"
#include "service/ops/queries.h"
#include "service/ops/submit_reply.h"

namespace feedback {
namespace {

constexpr size_t kRetagChunk = 200;

// What a submission must pass before it is written: valid, from a role that may say it, and
// dated within the role's window.
absl::Status CheckSubmission(const v1::Feedback& sent, v1::Role role, absl::Time now) {
  RETURN_IF_ERROR(ValidateSubmission(sent, now));
  RETURN_IF_ERROR(CheckSubmitter(sent, role));
  return CheckOccurredAt(sent, role, now);
}

// Re-tags every record, chunk by chunk through the writer, then replies.
class RetagJob : public std::enable_shared_from_this<RetagJob> {
 public:
  RetagJob(storage::GroupCommitWriter& writer, const Ledger& ledger, AlertHub& alerts,
           std::vector<std::string> ids, Reply<v1::RetagFeedbackResponse> reply)
      : writer_(writer),
        ledger_(ledger),
        alerts_(alerts),
        ids_(std::move(ids)),
        reply_(std::move(reply)) {}

  void Next() {
    if (next_ >= ids_.size()) {
      v1::RetagFeedbackResponse response;
      response.set_examined(static_cast<int64_t>(ids_.size()));
      response.set_changed(changed_);
      std::move(reply_)(std::move(response));
      return;
    }
    const size_t end = std::min(ids_.size(), next_ + kRetagChunk);
    std::vector<std::string> chunk(ids_.begin() + static_cast<long>(next_),
                                   ids_.begin() + static_cast<long>(end));
    next_ = end;
    writer_.Submit(ledger_.Retag(std::move(chunk), absl::Now()),
                   [self = shared_from_this()](absl::StatusOr<RetagOutcome> outcome) {
                     if (!outcome.ok()) {
                       self->Fail(outcome.status());
                       return;
                     }
                     self->changed_ += outcome->changed;
                     for (const v1::Alert& alert : outcome->alerts) self->alerts_.Publish(alert);
                     self->Next();
                   });
  }

  void Fail(absl::Status status) { std::move(reply_)(std::move(status)); }

 private:
  storage::GroupCommitWriter& writer_;
  const Ledger& ledger_;
  AlertHub& alerts_;
  const std::vector<std::string> ids_;
  Reply<v1::RetagFeedbackResponse> reply_;
  size_t next_ = 0;
  int64_t changed_ = 0;  // only on the writer thread, one chunk after another
};

}  // namespace

void FeedbackCore::SubmitFeedback(const Principal& caller, v1::SubmitFeedbackRequest request,
                                  Reply<v1::SubmitFeedbackResponse> reply) {
  if (!Permits(caller, "SubmitFeedback", reply)) return;
  const absl::Time now = absl::Now();
  if (absl::Status valid = CheckSubmission(request.feedback(), caller.role, now); !valid.ok()) {
    return std::move(reply)(valid);
  }
  NewSubmission submission =
      PrepareSubmission(std::move(*request.mutable_feedback()), now, caller.role);
  submission.owner = caller.token_id;  // only this token hears that a replay is a duplicate
  const google::protobuf::Timestamp occurred_at = submission.record.occurred_at();
  WriteThenReply(*writer_,
                 AuditFeedbackBackfill(ledger_->Submit(std::move(submission), now), occurred_at,
                                       caller, now, calendar_),
                 std::move(reply), [this, role = caller.role](SubmitOutcome& result) {
                   // The alert goes out as soon as the item is durable, before the kiosk hears
                   // back.
                   if (result.alert.has_value()) alerts_->Publish(*result.alert);
                   return SubmitReply(role, std::move(result));
                 });
}

void FeedbackCore::GetFeedback(const Principal& caller, const v1::GetFeedbackRequest& request,
                               Reply<v1::Feedback> reply) {
  if (!Permits(caller, "GetFeedback", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<v1::Feedback> record = store_->Get(request.id());
  if (!record.ok()) return std::move(reply)(record.status());
  AuditThenReply(*writer_, caller, AuditEvent("feedback.read", {request.id()}), *std::move(record),
                 std::move(reply));
}

void FeedbackCore::ListFeedback(const Principal& caller, const v1::ListFeedbackRequest& request,
                                Reply<v1::ListFeedbackResponse> reply) {
  if (!Permits(caller, "ListFeedback", reply)) return;
  absl::StatusOr<storage::ListQuery> query = ToListQuery(request, calendar_);
  if (!query.ok()) return std::move(reply)(query.status());
  absl::StatusOr<storage::ListPage> page = store_->List(*query);
  if (!page.ok()) return std::move(reply)(page.status());
  v1::ListFeedbackResponse response;
  AuditEvent event("feedback.list");
  for (v1::Feedback& item : page->items) {
    event.ids.push_back(item.id());
    *response.add_feedback() = std::move(item);
  }
  if (!page->next_cursor.empty()) {
    response.set_next_page_token(EncodePageToken(request, page->next_cursor));
  }
  if (event.ids.empty()) return std::move(reply)(std::move(response));
  AuditThenReply(*writer_, caller, std::move(event), std::move(response), std::move(reply));
}

void FeedbackCore::ExportFeedback(const Principal& caller, const v1::ExportFeedbackRequest& request,
                                  StreamSink<v1::Feedback>& sink) {
  if (!Permits(caller, "ExportFeedback", sink)) return;
  v1::ListFeedbackRequest list;
  list.set_financial_year(request.financial_year());
  list.set_quarter(request.quarter());
  absl::StatusOr<storage::ListQuery> query = ToListQuery(list, calendar_);
  if (query.ok() && request.financial_year() == 0) {
    query = absl::InvalidArgumentError("financial_year: must be set");
  }
  if (!query.ok()) return sink.Finish(query.status());
  absl::StatusOr<StreamSlot> slot = gate_->OpenStream(caller);
  if (!slot.ok()) return sink.Finish(slot.status());
  std::string quarter = request.quarter() == 0
                            ? absl::StrCat("financial_year=", request.financial_year())
                            : FormatQuarter(Quarter{request.financial_year(), request.quarter()});
  StartExport(*store_, *writer_, *tokens_, *std::move(query), caller, *std::move(slot),
              std::move(quarter), sink);
}

void FeedbackCore::RetagFeedback(const Principal& caller, const v1::RetagFeedbackRequest&,
                                 Reply<v1::RetagFeedbackResponse> reply) {
  if (!Permits(caller, "RetagFeedback", reply)) return;
  std::vector<std::string> ids;
  absl::Status scanned = store_->ScanFeedback([&](const v1::Feedback& record) {
    ids.push_back(record.id());
    return absl::OkStatus();
  });
  if (!scanned.ok()) return std::move(reply)(scanned);
  auto job =
      std::make_shared<RetagJob>(*writer_, *ledger_, *alerts_, std::move(ids), std::move(reply));
  // Re-tagging can change published counts: it is audited before it starts.
  writer_->Submit(AuditOp(caller, absl::Now(), AuditEvent("feedback.retag")),
                  [job](absl::Status status) {
                    if (!status.ok()) {
                      job->Fail(std::move(status));
                      return;
                    }
                    job->Next();
                  });
}

}  // namespace feedback
