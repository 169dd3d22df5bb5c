#include "service/rpc/feedback_service.h"

#include <deque>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/grpc_status.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/page_token.h"
#include "service/domain/validation.h"
#include "service/ops/backdating.h"
#include "service/ops/ingest.h"
#include "service/ops/submit_reply.h"
#include "service/rpc/rpc_support.h"
#include "service/rpc/wire.h"

namespace feedback {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr size_t kRetagChunk = 200;

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

const DisclosurePolicy& DefaultDisclosure() {
  static const auto* policy = new DisclosurePolicy();
  return *policy;
}

absl::StatusOr<Quarter> QuarterOfRequest(int financial_year, int quarter) {
  const Quarter q{financial_year, quarter};
  RETURN_IF_ERROR(ValidateQuarter(q));
  return q;
}

// Streams alerts to one watcher: first every unacknowledged one, then each new one.
// Each alert carries a child's or family's words, so each is audited before it is sent.
class AlertWatch final : public grpc::ServerWriteReactor<v1::Alert> {
 public:
  AlertWatch(AlertHub& hub, const storage::FeedbackStore& store, storage::GroupCommitWriter& writer,
             const TokenRegistry& tokens, Principal caller, StreamSlot slot)
      : hub_(hub),
        writer_(writer),
        tokens_(tokens),
        caller_(std::move(caller)),
        slot_(std::move(slot)) {
    // Headers go out at once, so a watcher knows it is subscribed before any alert arrives.
    StartSendInitialMetadata();
    // Subscribe before reading the backlog, so that nothing raised in between is missed.
    handle_ = hub_.Subscribe(
        [this](const v1::Alert& alert) { AuditThenEnqueue(alert); },
        [this] {
          Close(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
        });
    absl::Status backlog =
        store.ScanEntities(kAlertPrefix, [&](std::string_view key, std::string_view value) {
          v1::Alert alert;
          if (!alert.ParseFromString(std::string(value))) {
            return absl::DataLossError(absl::StrCat(std::string(key), " does not parse"));
          }
          if (alert.acknowledged()) return absl::OkStatus();
          ASSIGN_OR_RETURN(*alert.mutable_feedback(), store.Get(alert.id()));
          AuditThenEnqueue(alert);
          return absl::OkStatus();
        });
    if (!backlog.ok()) Close(ToGrpcStatus(backlog));
  }

  void OnWriteDone(bool ok) override {
    absl::MutexLock lock(&mutex_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher went away"));
      return;
    }
    queue_.pop_front();
    WriteNextLocked();
  }

  void OnCancel() override { Close(grpc::Status::CANCELLED); }

  void OnDone() override {
    hub_.Unsubscribe(handle_);
    // Audit writes still in flight hold a reference; the last one deletes.
    Release();
  }

 private:
  void AuditThenEnqueue(const v1::Alert& alert) {
    {
      absl::MutexLock lock(&mutex_);
      if (finished_ || !sent_.insert(alert.id()).second) return;
      // A token revoked (or expired) while the watch is open gets no more children's words.
      if (absl::Status valid = tokens_.CheckStillValid(caller_.token_id, absl::Now());
          !valid.ok()) {
        FinishLocked(ToGrpcStatus(valid));
        return;
      }
      ++references_;
    }
    writer_.Submit(AuditOp(caller_, absl::Now(), AuditEvent("alert.read", {alert.id()})),
                   [this, alert](absl::Status status) {
                     {
                       absl::MutexLock lock(&mutex_);
                       if (!status.ok()) {
                         FinishLocked(ToGrpcStatus(status));
                       } else if (!finished_) {
                         queue_.push_back(alert);
                         WriteNextLocked();
                       }
                     }
                     Release();
                   });
  }

  void Release() {
    bool last = false;
    {
      absl::MutexLock lock(&mutex_);
      last = --references_ == 0;
    }
    if (last) delete this;
  }

  void Close(const grpc::Status& status) {
    absl::MutexLock lock(&mutex_);
    FinishLocked(status);
  }

  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (writing_ || finished_ || queue_.empty()) return;
    writing_ = true;
    StartWrite(&queue_.front());
  }

  void FinishLocked(const grpc::Status& status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  AlertHub& hub_;
  storage::GroupCommitWriter& writer_;
  const TokenRegistry& tokens_;
  const Principal caller_;
  StreamSlot slot_;
  int handle_ = 0;
  absl::Mutex mutex_;
  int references_ ABSL_GUARDED_BY(mutex_) = 1;           // gRPC's, until OnDone
  std::deque<v1::Alert> queue_ ABSL_GUARDED_BY(mutex_);  // front() is being written
  std::set<std::string> sent_ ABSL_GUARDED_BY(mutex_);
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
};

// Streams a quarter's items one page of the time index at a time, so the quarter is never held
// in memory and a slow reader holds back the reads (gRPC flow control).
// Each page's ids are audited, durably, before the page is sent.
class ExportStream final : public grpc::ServerWriteReactor<v1::Feedback> {
 public:
  ExportStream(const storage::FeedbackStore& store, storage::GroupCommitWriter& writer,
               const TokenRegistry& tokens, storage::ListQuery query, Principal caller,
               StreamSlot slot, std::string quarter)
      : store_(store),
        writer_(writer),
        tokens_(tokens),
        query_(std::move(query)),
        caller_(std::move(caller)),
        slot_(std::move(slot)),
        quarter_(std::move(quarter)) {
    NextPage();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the reader went away"));
      return;
    }
    ++next_;
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  static constexpr int kPageSize = 200;

  void NextPage() {
    // A token revoked (or expired) during the export gets no further page.
    if (absl::Status valid = tokens_.CheckStillValid(caller_.token_id, absl::Now()); !valid.ok()) {
      Finish(ToGrpcStatus(valid));
      return;
    }
    query_.limit = kPageSize;
    absl::StatusOr<storage::ListPage> page = store_.List(query_);
    if (!page.ok()) {
      Finish(ToGrpcStatus(page.status()));
      return;
    }
    page_ = *std::move(page);
    next_ = 0;
    query_.cursor = page_.next_cursor;
    if (page_.items.empty()) {
      WriteNext();
      return;
    }
    AuditEvent event("feedback.export", {}, quarter_);
    for (const v1::Feedback& item : page_.items) event.ids.push_back(item.id());
    // The writer calls back on its own thread; the stream is not done until Finish, so `this`
    // is alive.
    writer_.Submit(AuditOp(caller_, absl::Now(), std::move(event)), [this](absl::Status status) {
      if (status.ok()) {
        WriteNext();
      } else {
        Finish(ToGrpcStatus(status));
      }
    });
  }

  void WriteNext() {
    if (next_ < page_.items.size()) {
      StartWrite(&page_.items[next_]);
    } else if (!page_.next_cursor.empty()) {
      NextPage();
    } else {
      Finish(grpc::Status::OK);
    }
  }

  const storage::FeedbackStore& store_;
  storage::GroupCommitWriter& writer_;
  const TokenRegistry& tokens_;
  storage::ListQuery query_;
  const Principal caller_;
  StreamSlot slot_;
  const std::string quarter_;
  storage::ListPage page_;
  size_t next_ = 0;
};

// Re-tags every record, chunk by chunk through the writer, then finishes the call.
class RetagJob : public std::enable_shared_from_this<RetagJob> {
 public:
  RetagJob(grpc::ServerUnaryReactor* reactor, v1::RetagFeedbackResponse* response,
           storage::GroupCommitWriter& writer, const Ledger& ledger, AlertHub& alerts,
           std::vector<std::string> ids)
      : reactor_(reactor),
        response_(response),
        writer_(writer),
        ledger_(ledger),
        alerts_(alerts),
        ids_(std::move(ids)) {}

  void Next() {
    if (next_ >= ids_.size()) {
      response_->set_examined(static_cast<int64_t>(ids_.size()));
      response_->set_changed(changed_);
      reactor_->Finish(grpc::Status::OK);
      return;
    }
    const size_t end = std::min(ids_.size(), next_ + kRetagChunk);
    std::vector<std::string> chunk(ids_.begin() + static_cast<long>(next_),
                                   ids_.begin() + static_cast<long>(end));
    next_ = end;
    writer_.Submit(ledger_.Retag(std::move(chunk), absl::Now()),
                   [self = shared_from_this()](absl::StatusOr<RetagOutcome> outcome) {
                     if (!outcome.ok()) {
                       self->reactor_->Finish(ToGrpcStatus(outcome.status()));
                       return;
                     }
                     self->changed_ += outcome->changed;
                     for (const v1::Alert& alert : outcome->alerts) self->alerts_.Publish(alert);
                     self->Next();
                   });
  }

 private:
  grpc::ServerUnaryReactor* const reactor_;
  v1::RetagFeedbackResponse* const response_;
  storage::GroupCommitWriter& writer_;
  const Ledger& ledger_;
  AlertHub& alerts_;
  const std::vector<std::string> ids_;
  size_t next_ = 0;
  int64_t changed_ = 0;  // only on the writer thread, one chunk after another
};

}  // namespace

FeedbackServiceImpl::FeedbackServiceImpl(ServiceParts parts, QuarterCalendar calendar)
    : store_(parts.store),
      writer_(parts.writer),
      ledger_(parts.ledger),
      alerts_(parts.alerts),
      gate_(parts.gate),
      tokens_(parts.tokens),
      disclosure_(parts.disclosure),
      redactor_(parts.redactor),
      calendar_(calendar),
      retention_(parts.retention),
      figures_(std::make_unique<QuarterFigures>(
          *parts.store, parts.disclosure != nullptr ? *parts.disclosure : DefaultDisclosure(),
          calendar)),
      scrubber_(std::make_unique<Scrubber>(parts.store)) {
  ServeEveryMethodAdmitFirst();
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::SubmitFeedback(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* raw_request,
                                                              grpc::ByteBuffer* raw_response) {
  absl::StatusOr<Principal> caller = Admit(context, "SubmitFeedback");
  if (!caller.ok()) return FinishNow(context, caller.status());
  const absl::Time now = absl::Now();
  v1::SubmitFeedbackRequest request;
  if (absl::Status parsed = ParseSubmitRequest(*raw_request, request); !parsed.ok()) {
    return FinishNow(context, parsed);
  }
  if (absl::Status valid = ValidateSubmission(request.feedback(), now); !valid.ok()) {
    return FinishNow(context, valid);
  }
  if (absl::Status allowed = CheckSubmitter(request.feedback(), caller->role); !allowed.ok()) {
    return FinishNow(context, allowed);
  }
  if (absl::Status dated = CheckOccurredAt(request.feedback(), caller->role, now); !dated.ok()) {
    return FinishNow(context, dated);
  }
  NewSubmission submission = PrepareSubmission(request.feedback(), now);
  submission.owner = caller->token_id;  // only this token hears that a replay is a duplicate
  return WriteThenFinish(context, *writer_,
                         AuditFeedbackBackfill(ledger_->Submit(std::move(submission), now),
                                               request.feedback(), *caller, now, calendar_),
                         [this, raw_response, role = caller->role](SubmitOutcome& result) {
                           // The alert goes out as soon as the item is durable, before the kiosk
                           // hears back.
                           if (result.alert.has_value()) alerts_->Publish(*result.alert);
                           *raw_response = ToByteBuffer(SubmitReply(role, std::move(result)));
                         });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::GetFeedback(grpc::CallbackServerContext* context,
                                                           Principal caller,
                                                           const v1::GetFeedbackRequest* request,
                                                           v1::Feedback* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<v1::Feedback> record = store_->Get(request->id());
  if (!record.ok()) return FinishNow(context, record.status());
  *response = *std::move(record);
  return AuditThenFinish(context, *writer_, std::move(caller),
                         AuditEvent("feedback.read", {request->id()}));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListFeedback(grpc::CallbackServerContext* context,
                                                            Principal caller,
                                                            const v1::ListFeedbackRequest* request,
                                                            v1::ListFeedbackResponse* response) {
  absl::StatusOr<storage::ListQuery> query = ToListQuery(*request);
  if (!query.ok()) return FinishNow(context, query.status());
  absl::StatusOr<storage::ListPage> page = store_->List(*query);
  if (!page.ok()) return FinishNow(context, page.status());
  AuditEvent event("feedback.list");
  for (v1::Feedback& item : page->items) {
    event.ids.push_back(item.id());
    *response->add_feedback() = std::move(item);
  }
  if (!page->next_cursor.empty()) {
    response->set_next_page_token(EncodePageToken(*request, page->next_cursor));
  }
  if (event.ids.empty()) return FinishNow(context, absl::OkStatus());
  return AuditThenFinish(context, *writer_, std::move(caller), std::move(event));
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
    ASSIGN_OR_RETURN(
        const Quarter first,
        QuarterOfRequest(request.financial_year(), request.quarter() == 0 ? 1 : request.quarter()));
    const Quarter last{request.financial_year(), request.quarter() == 0 ? 4 : request.quarter()};
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

grpc::ServerUnaryReactor* FeedbackServiceImpl::UpdateComplaint(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::UpdateComplaintRequest* request, v1::Feedback* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<v1::Complaint> op =
      WithAudit(ledger_->UpdateComplaint(*request, now), std::move(caller), now,
                AuditEvent("complaint.update", {request->id()}));
  return WriteThenFinish(context, *writer_, std::move(op), [response](v1::Complaint& complaint) {
    *response = std::move(*complaint.mutable_feedback());
  });
}

absl::StatusOr<v1::Complaint> FeedbackServiceImpl::LoadComplaint(const v1::Feedback& record) const {
  ASSIGN_OR_RETURN(const std::string bytes, store_->GetEntity(ComplaintKey(record.id())));
  ASSIGN_OR_RETURN(v1::Complaint complaint, ParseComplaint(bytes));
  *complaint.mutable_feedback() = record;
  complaint.set_overdue(ledger_->procedure().IsOverdue(complaint, absl::Now()));
  return complaint;
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::GetComplaint(grpc::CallbackServerContext* context,
                                                            Principal caller,
                                                            const v1::GetComplaintRequest* request,
                                                            v1::Complaint* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<v1::Feedback> record = store_->Get(request->id());
  if (!record.ok()) return FinishNow(context, record.status());
  if (record->kind() != v1::KIND_COMPLAINT) {
    return FinishNow(context, absl::NotFoundError(absl::StrCat("id: no complaint with id ",
                                                               QuoteClientValue(request->id()))));
  }
  absl::StatusOr<v1::Complaint> complaint = LoadComplaint(*record);
  if (!complaint.ok()) return FinishNow(context, complaint.status());
  *response = *std::move(complaint);
  return AuditThenFinish(context, *writer_, std::move(caller),
                         AuditEvent("complaint.read", {request->id()}));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListComplaints(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::ListComplaintsRequest* request, v1::ListComplaintsResponse* response) {
  if (!v1::ComplaintStage_IsValid(request->stage())) {
    return FinishNow(context, absl::InvalidArgumentError(
                                  absl::StrCat("stage: unknown value ", request->stage())));
  }
  if (!v1::ComplaintOutcome_IsValid(request->outcome())) {
    return FinishNow(context, absl::InvalidArgumentError(
                                  absl::StrCat("outcome: unknown value ", request->outcome())));
  }
  // One tag is served by the index; the rest of the filter is applied to the page.
  v1::ListFeedbackRequest list;
  list.set_kind(v1::KIND_COMPLAINT);
  if (request->outcome() != v1::COMPLAINT_OUTCOME_UNSPECIFIED) {
    list.set_tag(OutcomeTag(request->outcome()));
  } else if (request->stage() != v1::COMPLAINT_STAGE_UNSPECIFIED) {
    list.set_tag(absl::StrCat("stage_", static_cast<int>(request->stage())));
  } else if (request->open_only()) {
    list.set_tag("open");
  }
  list.set_page_size(request->page_size());
  list.set_page_token(request->page_token());
  absl::StatusOr<storage::ListQuery> query = ToListQuery(list);
  if (!query.ok()) return FinishNow(context, query.status());
  absl::StatusOr<storage::ListPage> page = store_->List(*query);
  if (!page.ok()) return FinishNow(context, page.status());
  for (const v1::Feedback& record : page->items) {
    absl::StatusOr<v1::Complaint> complaint = LoadComplaint(record);
    if (!complaint.ok()) return FinishNow(context, complaint.status());
    const v1::Feedback& f = complaint->feedback();
    if (request->stage() != v1::COMPLAINT_STAGE_UNSPECIFIED &&
        f.complaint_stage() != request->stage())
      continue;
    if (request->open_only() && f.complaint_outcome() != v1::COMPLAINT_OUTCOME_UNSPECIFIED)
      continue;
    if (request->overdue_only() && !complaint->overdue()) continue;
    *response->add_complaints() = *std::move(complaint);
  }
  if (!page->next_cursor.empty())
    response->set_next_page_token(EncodePageToken(list, page->next_cursor));
  AuditEvent event("complaint.list");
  for (const v1::Complaint& complaint : response->complaints()) {
    event.ids.push_back(complaint.feedback().id());
  }
  if (event.ids.empty()) return FinishNow(context, absl::OkStatus());
  return AuditThenFinish(context, *writer_, std::move(caller), std::move(event));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::CreateAdvocacyReferral(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::CreateAdvocacyReferralRequest* request, v1::AdvocacyReferral* response) {
  const absl::Time now = absl::Now();
  if (absl::Status valid = ValidateReferralRequest(*request, now); !valid.ok()) {
    return FinishNow(context, valid);
  }
  if (absl::Status dated = CheckReferredAt(*request, caller.role, now); !dated.ok()) {
    return FinishNow(context, dated);
  }
  // Audited with the id the referral gets, in the same batch.
  storage::TypedWriteOp<v1::AdvocacyReferral> op = storage::AndThen(
      ledger_->CreateReferral(*request, now, caller.token_id),
      [caller, now](storage::Transaction& txn, const v1::AdvocacyReferral& referral) {
        return AppendAudit(txn, caller, now, AuditEvent("referral.create", {referral.id()}));
      });
  return WriteThenFinish(
      context, *writer_, AuditReferralBackfill(std::move(op), *request, caller, now, calendar_),
      [response](v1::AdvocacyReferral& referral) { *response = std::move(referral); });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::UpdateAdvocacyReferral(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::UpdateAdvocacyReferralRequest* request, v1::AdvocacyReferral* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<v1::AdvocacyReferral> op =
      GuardReferralUpdate(WithAudit(ledger_->UpdateReferral(*request, now), caller, now,
                                    AuditEvent("referral.update", {request->id()})),
                          request->id(), caller, now, calendar_);
  return WriteThenFinish(
      context, *writer_, std::move(op),
      [response](v1::AdvocacyReferral& referral) { *response = std::move(referral); });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::GetAdvocacyReferral(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::GetAdvocacyReferralRequest* request, v1::AdvocacyReferral* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  absl::StatusOr<std::string> bytes = store_->GetEntity(ReferralKey(request->id()));
  if (!bytes.ok()) {
    return FinishNow(context, absl::NotFoundError(absl::StrCat("id: no advocacy referral with id ",
                                                               QuoteClientValue(request->id()))));
  }
  if (!response->ParseFromString(*bytes))
    return FinishNow(context, absl::DataLossError("referral does not parse"));
  // A referral's reason is an advocate's words about a child.
  return AuditThenFinish(context, *writer_, std::move(caller),
                         AuditEvent("referral.read", {request->id()}));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::GetQuarterSummary(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::GetQuarterSummaryRequest* request, v1::QuarterSummary* response) {
  absl::StatusOr<Quarter> quarter = QuarterOfRequest(request->financial_year(), request->quarter());
  if (!quarter.ok()) return FinishNow(context, quarter.status());
  if (!v1::ServiceArea_IsValid(request->service_area())) {
    return FinishNow(context, absl::InvalidArgumentError("service_area: unknown value"));
  }
  // Exact counts are for internal QA only: QA staff get them unless they ask for the published
  // form; every other caller (a reporter, or any role later allowed here) gets the published
  // form, which for a published quarter is its frozen figures (service/publication.h).
  const bool published = request->published() || caller.role != v1::ROLE_QA_MANAGER;
  absl::StatusOr<v1::QuarterSummary> summary =
      figures_->Get(*quarter, request->service_area(), published);
  if (!summary.ok()) return FinishNow(context, summary.status());
  *response = *std::move(summary);
  return FinishNow(context, absl::OkStatus());
}

grpc::ServerWriteReactor<v1::Feedback>* FeedbackServiceImpl::ExportFeedback(
    grpc::CallbackServerContext* /*context*/, Principal caller,
    const v1::ExportFeedbackRequest* request) {
  v1::ListFeedbackRequest list;
  list.set_financial_year(request->financial_year());
  list.set_quarter(request->quarter());
  absl::StatusOr<storage::ListQuery> query = ToListQuery(list);
  if (query.ok() && request->financial_year() == 0) {
    query = absl::InvalidArgumentError("financial_year: must be set");
  }
  if (!query.ok()) return RefuseStream<v1::Feedback>(query.status());
  absl::StatusOr<StreamSlot> slot = gate_->OpenStream(caller);
  if (!slot.ok()) return RefuseStream<v1::Feedback>(slot.status());
  const std::string quarter =
      request->quarter() == 0
          ? absl::StrCat("financial_year=", request->financial_year())
          : FormatQuarter(Quarter{request->financial_year(), request->quarter()});
  return new ExportStream(*store_, *writer_, *tokens_, *std::move(query), std::move(caller),
                          *std::move(slot), quarter);
}

grpc::ServerWriteReactor<v1::Alert>* FeedbackServiceImpl::WatchAlerts(
    grpc::CallbackServerContext* /*context*/, Principal caller, const v1::WatchAlertsRequest*) {
  absl::StatusOr<StreamSlot> slot = gate_->OpenStream(caller);
  if (!slot.ok()) return RefuseStream<v1::Alert>(slot.status());
  return new AlertWatch(*alerts_, *store_, *writer_, *tokens_, std::move(caller), *std::move(slot));
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::AcknowledgeAlert(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::AcknowledgeAlertRequest* request, v1::Alert* response) {
  if (request->id().empty())
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<v1::Alert> op =
      WithAudit(ledger_->AcknowledgeAlert(*request, now), std::move(caller), now,
                AuditEvent("alert.acknowledge", {request->id()}));
  return WriteThenFinish(context, *writer_, std::move(op),
                         [response](v1::Alert& alert) { *response = std::move(alert); });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::RetagFeedback(grpc::CallbackServerContext* context,
                                                             Principal caller,
                                                             const v1::RetagFeedbackRequest*,
                                                             v1::RetagFeedbackResponse* response) {
  std::vector<std::string> ids;
  absl::Status scanned = store_->ScanFeedback([&](const v1::Feedback& record) {
    ids.push_back(record.id());
    return absl::OkStatus();
  });
  if (!scanned.ok()) return FinishNow(context, scanned);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto job =
      std::make_shared<RetagJob>(reactor, response, *writer_, *ledger_, *alerts_, std::move(ids));
  // Re-tagging can change published counts: it is audited before it starts.
  writer_->Submit(AuditOp(std::move(caller), absl::Now(), AuditEvent("feedback.retag")),
                  [job, reactor](absl::Status status) {
                    if (!status.ok()) {
                      reactor->Finish(ToGrpcStatus(status));
                      return;
                    }
                    job->Next();
                  });
  return reactor;
}

absl::Status FeedbackServiceImpl::Verify(v1::VerifyCountersResponse& response) const {
  Counters recomputed;
  auto add = [&recomputed](const Counters& counters) {
    for (const auto& [key, value] : counters) recomputed[key] += value;
  };
  RETURN_IF_ERROR(store_->ScanFeedback([&](const v1::Feedback& record) {
    response.set_records_examined(response.records_examined() + 1);
    if (record.kind() != v1::KIND_COMPLAINT) {
      add(ledger_->counters().OfFeedback(record, nullptr));
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(const v1::Complaint complaint, LoadComplaint(record));
    add(ledger_->counters().OfFeedback(record, &complaint));
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(
      store_->ScanEntities(kReferralPrefix, [&](std::string_view key, std::string_view value) {
        v1::AdvocacyReferral referral;
        if (!referral.ParseFromString(std::string(value))) {
          return absl::DataLossError(absl::StrCat(std::string(key), " does not parse"));
        }
        add(ledger_->counters().OfReferral(referral));
        response.set_records_examined(response.records_examined() + 1);
        return absl::OkStatus();
      }));
  ASSIGN_OR_RETURN(auto stored, store_->ReadCounters(""));
  Counters stored_map(stored.begin(), stored.end());
  std::set<std::string> keys;
  for (const auto& [key, value] : stored_map) keys.insert(key);
  for (const auto& [key, value] : recomputed) keys.insert(key);
  for (const std::string& key : keys) {
    const int64_t have = stored_map.contains(key) ? stored_map[key] : 0;
    const int64_t want = recomputed.contains(key) ? recomputed[key] : 0;
    if (have != want) {
      v1::CounterDifference* difference = response.add_differences();
      difference->set_key(key);
      difference->set_stored(have);
      difference->set_recomputed(want);
    }
  }
  response.set_counters_checked(static_cast<int64_t>(keys.size()));
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::VerifyCounters(
    grpc::CallbackServerContext* context, Principal /*caller*/, const v1::VerifyCountersRequest*,
    v1::VerifyCountersResponse* response) {
  return FinishNow(context, Verify(*response));
}

}  // namespace feedback
