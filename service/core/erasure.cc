// FeedbackCore: erasure, retention and legal holds. The write operations are in
// service/ops/erasure.cc.
//
// An erasure or purge answers only once its batch is durable AND the old values have been
// scrubbed from the store's files (Scrubber, off the transport and writer threads): when the
// caller hears OK, the text is gone from the disk, not just from the API.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/ops/purge_plan.h"
#include "service/ops/referral_erasure.h"

namespace feedback {
namespace {

constexpr size_t kPurgeChunk = 200;

// Erases the expired items chunk by chunk through the writer (so that submissions keep flowing
// between chunks), then scrubs every erased key from the files at once and replies.
class PurgeJob : public std::enable_shared_from_this<PurgeJob> {
 public:
  PurgeJob(storage::GroupCommitWriter& writer, Scrubber& scrubber, Principal caller, PurgePlan plan,
           Reply<v1::PurgeFeedbackResponse> reply)
      : writer_(writer),
        scrubber_(scrubber),
        caller_(std::move(caller)),
        plan_(std::move(plan)),
        reply_(std::move(reply)) {}

  // At least one chunk runs, so that even a purge that erases nothing is audited.
  void Next() {
    const std::vector<std::string>& ids = plan_.expired;
    if (started_ && next_ >= ids.size()) {
      Finish();
      return;
    }
    started_ = true;
    const size_t end = std::min(ids.size(), next_ + kPurgeChunk);
    std::vector<std::string> chunk(ids.begin() + static_cast<long>(next_),
                                   ids.begin() + static_cast<long>(end));
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
  // Scrubs what the chunks so far erased, even when a chunk failed, then replies with `failed`
  // or else the scrub's result.
  void Finish(absl::Status failed = absl::OkStatus()) {
    v1::PurgeFeedbackResponse response;
    response.set_examined(plan_.examined);
    for (const std::string& id : plan_.held) response.add_held(id);
    for (const std::string& id : result_.erased) response.add_erased(id);
    for (const std::string& id : result_.held) response.add_held(id);
    scrubber_.Scrub(std::move(result_.scrub),
                    [self = shared_from_this(), response = std::move(response),
                     failed](absl::Status scrubbed) mutable {
                      absl::Status status = failed.ok() ? scrubbed : failed;
                      if (status.ok()) {
                        std::move(self->reply_)(std::move(response));
                      } else {
                        std::move(self->reply_)(std::move(status));
                      }
                    });
  }

  storage::GroupCommitWriter& writer_;
  Scrubber& scrubber_;
  const Principal caller_;
  const PurgePlan plan_;
  Reply<v1::PurgeFeedbackResponse> reply_;
  size_t next_ = 0;
  bool started_ = false;
  PurgeResult result_;  // of the chunks so far; only on the writer thread, one after another
};

}  // namespace

void FeedbackCore::EraseFeedback(const Principal& caller, const v1::EraseFeedbackRequest& request,
                                 Reply<v1::EraseFeedbackResponse> reply) {
  if (!Permits(caller, "EraseFeedback", reply)) return;
  if (request.id().empty()) return std::move(reply)(absl::InvalidArgumentError("id: must be set"));
  if (absl::Status valid = ValidateReason(request.reason(), /*required=*/true); !valid.ok()) {
    return std::move(reply)(valid);
  }
  const absl::Time now = absl::Now();
  storage::TypedWriteOp<ErasureResult> op = WithAudit(
      EraseOp(request.id(), now), caller, now,
      AuditEvent(std::string(ErasureAuditAction(request.id())), {request.id()}, request.reason()));
  writer_->Submit(std::move(op), [this, reply = std::move(reply),
                                  id = request.id()](absl::StatusOr<ErasureResult> result) mutable {
    if (!result.ok()) {
      std::move(reply)(result.status());
      return;
    }
    storage::ScrubKeys scrub = std::move(result->scrub);
    scrubber_->Scrub(std::move(scrub),
                     [reply = std::move(reply), id = std::move(id),
                      erased = *std::move(result)](absl::Status scrubbed) mutable {
                       if (!scrubbed.ok()) {
                         std::move(reply)(std::move(scrubbed));
                         return;
                       }
                       std::move(reply)(ErasureResponse(id, std::move(erased)));
                     });
  });
}

void FeedbackCore::PurgeFeedback(const Principal& caller, const v1::PurgeFeedbackRequest& request,
                                 Reply<v1::PurgeFeedbackResponse> reply) {
  if (!Permits(caller, "PurgeFeedback", reply)) return;
  absl::StatusOr<PurgePlan> plan = PlanPurge(*store_, retention_, absl::Now());
  if (!plan.ok()) return std::move(reply)(plan.status());
  if (request.dry_run()) {
    v1::PurgeFeedbackResponse response;
    response.set_examined(plan->examined);
    for (const std::string& id : plan->held) response.add_held(id);
    for (const std::string& id : plan->expired) response.add_erased(id);
    AuditEvent event("retention.purge.dry_run", {},
                     absl::StrCat("would erase ", plan->expired.size(), ", held ",
                                  plan->held.size(), ", examined ", plan->examined));
    return AuditThenReply(*writer_, caller, std::move(event), std::move(response),
                          std::move(reply));
  }
  std::make_shared<PurgeJob>(*writer_, *scrubber_, caller, *std::move(plan), std::move(reply))
      ->Next();
}

void FeedbackCore::SetLegalHold(const Principal& caller, const v1::SetLegalHoldRequest& request,
                                Reply<v1::LegalHold> reply) {
  if (!Permits(caller, "SetLegalHold", reply)) return;
  if (absl::Status valid = ValidateHoldRequest(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  WriteThenReply(*writer_, SetHoldOp(request, caller, absl::Now()), std::move(reply),
                 [](v1::LegalHold& hold) { return std::move(hold); });
}

void FeedbackCore::ListLegalHolds(const Principal& caller, const v1::ListLegalHoldsRequest&,
                                  Reply<v1::ListLegalHoldsResponse> reply) {
  if (!Permits(caller, "ListLegalHolds", reply)) return;
  absl::StatusOr<std::vector<v1::LegalHold>> holds = ListHolds(*store_);
  if (!holds.ok()) return std::move(reply)(holds.status());
  v1::ListLegalHoldsResponse response;
  for (v1::LegalHold& hold : *holds) *response.add_holds() = std::move(hold);
  std::move(reply)(std::move(response));
}

}  // namespace feedback
