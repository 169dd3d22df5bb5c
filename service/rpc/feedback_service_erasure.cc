// Handlers for erasure, retention and legal holds. The write operations are in erasure.cc.
//
// An erasure or purge answers only once its batch is durable AND the old values have been
// scrubbed from the store's files (Scrubber, off the gRPC and writer threads): when the caller
// hears OK, the text is gone from the disk, not just from the API.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "service/ops/referral_erasure.h"
#include "service/rpc/feedback_service.h"
#include "service/rpc/rpc_support.h"

namespace feedback {
namespace {

constexpr size_t kPurgeChunk = 200;

// Erases the expired items chunk by chunk through the writer (so that submissions keep flowing
// between chunks), then scrubs every erased key from the files at once and finishes the call.
class PurgeJob : public std::enable_shared_from_this<PurgeJob> {
 public:
  PurgeJob(grpc::ServerUnaryReactor* reactor, v1::PurgeFeedbackResponse* response,
           storage::GroupCommitWriter& writer, Scrubber& scrubber, Principal caller,
           std::vector<std::string> ids)
      : reactor_(reactor),
        response_(response),
        writer_(writer),
        scrubber_(scrubber),
        caller_(std::move(caller)),
        ids_(std::move(ids)) {}

  // At least one chunk runs, so that even a purge that erases nothing is audited.
  void Next() {
    if (started_ && next_ >= ids_.size()) {
      Finish();
      return;
    }
    started_ = true;
    const size_t end = std::min(ids_.size(), next_ + kPurgeChunk);
    std::vector<std::string> chunk(ids_.begin() + static_cast<long>(next_),
                                   ids_.begin() + static_cast<long>(end));
    next_ = end;
    writer_.Submit(PurgeChunkOp(std::move(chunk), caller_, absl::Now()),
                   [self = shared_from_this()](absl::StatusOr<PurgeResult> chunk_result) {
                     if (!chunk_result.ok()) {
                       self->Finish(chunk_result.status());
                       return;
                     }
                     self->result_.Add(*chunk_result);
                     self->Next();
                   });
  }

 private:
  // Scrubs what the chunks so far erased, even when a chunk failed, then finishes with `failed`
  // or else the scrub's result.
  void Finish(absl::Status failed = absl::OkStatus()) {
    for (const std::string& id : result_.erased) response_->add_erased(id);
    for (const std::string& id : result_.held) response_->add_held(id);
    scrubber_.Scrub(std::move(result_.scrub),
                    [self = shared_from_this(), failed](absl::Status scrubbed) {
                      self->reactor_->Finish(ToGrpcStatus(failed.ok() ? scrubbed : failed));
                    });
  }

  grpc::ServerUnaryReactor* const reactor_;
  v1::PurgeFeedbackResponse* const response_;
  storage::GroupCommitWriter& writer_;
  Scrubber& scrubber_;
  const Principal caller_;
  const std::vector<std::string> ids_;
  size_t next_ = 0;
  bool started_ = false;
  PurgeResult result_;  // of the chunks so far; only on the writer thread, one after another
};

}  // namespace

grpc::ServerUnaryReactor* FeedbackServiceImpl::EraseFeedback(
    grpc::CallbackServerContext* context, Principal caller, const v1::EraseFeedbackRequest* request,
    v1::EraseFeedbackResponse* response) {
  if (request->id().empty()) {
    return FinishNow(context, absl::InvalidArgumentError("id: must be set"));
  }
  if (absl::Status valid = ValidateReason(request->reason(), /*required=*/true); !valid.ok()) {
    return FinishNow(context, valid);
  }
  const absl::Time now = absl::Now();
  const bool referral = IsReferralId(request->id());
  storage::TypedWriteOp<ErasureResult> op =
      WithAudit(EraseOp(request->id(), now), std::move(caller), now,
                AuditEvent(referral ? "referral.erase" : "feedback.erase", {request->id()},
                           request->reason()));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  writer_->Submit(
      std::move(op), [this, reactor, response, referral](absl::StatusOr<ErasureResult> result) {
        if (!result.ok()) {
          reactor->Finish(ToGrpcStatus(result.status()));
          return;
        }
        storage::ScrubKeys scrub = std::move(result->scrub);
        scrubber_->Scrub(std::move(scrub), [reactor, response, referral,
                                            erased = *std::move(result)](absl::Status scrubbed) {
          if (scrubbed.ok() && referral) {
            *response->mutable_referral() = erased.referral;
          } else if (scrubbed.ok()) {
            *response->mutable_feedback() = erased.record;
          }
          reactor->Finish(ToGrpcStatus(scrubbed));
        });
      });
  return reactor;
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::PurgeFeedback(
    grpc::CallbackServerContext* context, Principal caller, const v1::PurgeFeedbackRequest* request,
    v1::PurgeFeedbackResponse* response) {
  const absl::Time now = absl::Now();
  std::set<std::string> held;
  absl::Status listed =
      store_->ScanEntities(kHoldPrefix, [&held](std::string_view key, std::string_view) {
        held.insert(std::string(key.substr(kHoldPrefix.size())));
        return absl::OkStatus();
      });
  if (!listed.ok()) return FinishNow(context, listed);
  int64_t examined = 0;
  std::vector<std::string> expired;
  absl::Status scanned = store_->ScanFeedback([&](const v1::Feedback& record) {
    ++examined;
    if (IsErased(record) || retention_ == nullptr || !retention_->IsExpired(record, now)) {
      return absl::OkStatus();
    }
    if (held.contains(record.id())) {
      response->add_held(record.id());
    } else {
      expired.push_back(record.id());
    }
    return absl::OkStatus();
  });
  if (!scanned.ok()) return FinishNow(context, scanned);
  // Advocacy referrals (a child's age, an advocate's reason) have their own period.
  scanned = store_->ScanEntities(kReferralPrefix, [&](std::string_view, std::string_view value) {
    ++examined;
    v1::AdvocacyReferral referral;
    if (!referral.ParseFromString(std::string(value))) {
      return absl::DataLossError("referral does not parse");
    }
    if (referral.has_erased_at() || retention_ == nullptr ||
        !retention_->IsExpired(referral, now)) {
      return absl::OkStatus();
    }
    if (held.contains(referral.id())) {
      response->add_held(referral.id());
    } else {
      expired.push_back(referral.id());
    }
    return absl::OkStatus();
  });
  if (!scanned.ok()) return FinishNow(context, scanned);
  response->set_examined(examined);
  if (request->dry_run()) {
    for (const std::string& id : expired) response->add_erased(id);
    return AuditThenFinish(
        context, *writer_, std::move(caller),
        AuditEvent("retention.purge.dry_run", {},
                   absl::StrCat("would erase ", expired.size(), ", held ", response->held_size(),
                                ", examined ", examined)));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::make_shared<PurgeJob>(reactor, response, *writer_, *scrubber_, std::move(caller),
                             std::move(expired))
      ->Next();
  return reactor;
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::SetLegalHold(grpc::CallbackServerContext* context,
                                                            Principal caller,
                                                            const v1::SetLegalHoldRequest* request,
                                                            v1::LegalHold* response) {
  if (absl::Status valid = ValidateHoldRequest(*request); !valid.ok()) {
    return FinishNow(context, valid);
  }
  return WriteThenFinish(context, *writer_, SetHoldOp(*request, std::move(caller), absl::Now()),
                         [response](v1::LegalHold& hold) { *response = std::move(hold); });
}

grpc::ServerUnaryReactor* FeedbackServiceImpl::ListLegalHolds(
    grpc::CallbackServerContext* context, Principal /*caller*/, const v1::ListLegalHoldsRequest*,
    v1::ListLegalHoldsResponse* response) {
  absl::StatusOr<std::vector<v1::LegalHold>> holds = ListHolds(*store_);
  if (!holds.ok()) return FinishNow(context, holds.status());
  for (v1::LegalHold& hold : *holds) *response->add_holds() = std::move(hold);
  return FinishNow(context, absl::OkStatus());
}

}  // namespace feedback
