// Erasure, retention purges and legal holds, as write operations (see docs/storage.md,
// "Erasure").
//
// Erasing an item removes what could identify the person or repeat their words, everywhere the
// service keeps it: the record's text, its advocacy-referral link and the child's confirmation;
// the notes and actors of its complaint case's history; the feedback copy of its alert; its
// quote approval; and the content fingerprint of its idempotency entry. It keeps every field the
// quarterly counters depend on (kind, source, meeting, service area, rating, occurred_at,
// received_at, tags, complaint stage and outcome, consent_to_quote), so published quarters do
// not change and `admin verify` stays clean. submission_id is kept: it is a random UUID the
// client chose, says nothing about the person, and is the key by which a replay of the erased
// submission is refused (FAILED_PRECONDITION) instead of being stored again. Copies in clients'
// outboxes are the clients' to delete.
#ifndef FEEDBACK_SERVICE_OPS_ERASURE_H_
#define FEEDBACK_SERVICE_OPS_ERASURE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "service/domain/access.h"
#include "storage/feedback_store.h"
#include "storage/layout.h"
#include "storage/transaction.h"
#include "storage/work_queue.h"

namespace feedback {

// True once erasure has run on `record`: erased_at set AND nothing that erasure clears is left.
// erased_at alone does not count: a store written before server-set fields were refused may
// hold an item submitted with erased_at already set, and its words must still be erasable.
bool IsErased(const v1::Feedback& record);

// Entity keys. "hold/<feedback id>" -> LegalHold (storage/layout.h). (Quote approvals, QuoteKey
// in quotes.h, are owned by the quotes feature; erasure only deletes them.)
using storage::layout::kHoldPrefix;
std::string HoldKey(std::string_view feedback_id);

// Reasons are admin-written case references ("SAR 2026-041"), audited verbatim: at most this
// many bytes, printable, one line.
inline constexpr size_t kMaxReasonBytes = 200;
// INVALID_ARGUMENT naming `reason` if it is too long or not one printable line, or (when
// `required`) empty.
[[nodiscard]] absl::Status ValidateReason(std::string_view reason, bool required);

// What one erasure left, and which keys to scrub from the files once it is durable.
struct ErasureResult {
  v1::Feedback record;            // as stored after the erasure
  v1::AdvocacyReferral referral;  // instead of `record`, for a referral id (referral_erasure.h)
  v1::QualityCheck check;         // ... for an audit or observation id (qa_record_erasure.h)
  v1::ChairOversight oversight;   // ... for a chair's oversight outcome id (likewise)
  storage::ScrubKeys scrub;
};

// The audit action of erasing `id`: referral.erase, quality_check.erase, oversight.erase, or
// feedback.erase for any other id.
std::string_view ErasureAuditAction(std::string_view id);

// EraseFeedback's answer for `id`: what is left of the record, in the field of its type.
v1::EraseFeedbackResponse ErasureResponse(std::string_view id, ErasureResult result);

// Erases feedback `id`, or by its prefix the advocacy referral ("ar_"), audit or observation
// ("qc_") or chair's oversight outcome ("co_") `id` (audit it with WithAudit). NOT_FOUND for an
// unknown id; FAILED_PRECONDITION if it is under a legal hold. Erasing an erased item changes
// nothing. Every function below takes those ids as well.
storage::TypedWriteOp<ErasureResult> EraseOp(std::string id, absl::Time now);

// What a purge did: one chunk's result, or (Add) several chunks' together.
struct PurgeResult {
  std::vector<std::string> erased;
  std::vector<std::string> held;
  storage::ScrubKeys scrub;

  void Add(const PurgeResult& chunk) {
    erased.insert(erased.end(), chunk.erased.begin(), chunk.erased.end());
    held.insert(held.end(), chunk.held.begin(), chunk.held.end());
    scrub.Add(chunk.scrub);
  }
};

// Erases the items `ids` (past retention) except those under a legal hold (listed in `held`) or
// already erased or gone (skipped), and appends a `retention.purge` audit entry listing the ones
// it erased, all in one batch. The result is this chunk's.
storage::TypedWriteOp<PurgeResult> PurgeChunkOp(std::vector<std::string> ids, Principal caller,
                                                absl::Time now);

// Places (request.hold) or releases a legal hold on an existing item, with its audit entry
// (`legal_hold.set` / `legal_hold.release`). NOT_FOUND for an unknown item. Releasing an item
// that is not held is not an error. REQUIRES: the request passed ValidateHoldRequest.
[[nodiscard]] absl::Status ValidateHoldRequest(const v1::SetLegalHoldRequest& request);
storage::TypedWriteOp<v1::LegalHold> SetHoldOp(v1::SetLegalHoldRequest request, Principal caller,
                                               absl::Time now);

// Every hold in force, in feedback id order.
[[nodiscard]] absl::StatusOr<std::vector<v1::LegalHold>> ListHolds(
    const storage::FeedbackStore& store);

// Runs FeedbackStore::Scrub on its own thread (a storage::WorkQueue, as the writer's), one
// request at a time, so that no gRPC or writer thread waits on flushes and compactions.
// Thread-safe. The destructor runs every queued request, then joins; the store must outlive it.
class Scrubber {
 public:
  using Done = absl::AnyInvocable<void(absl::Status) &&>;

  explicit Scrubber(storage::FeedbackStore* store);
  ~Scrubber();
  Scrubber(const Scrubber&) = delete;
  Scrubber& operator=(const Scrubber&) = delete;

  // Queues a scrub of `keys`; `done` runs on the scrubber thread with its result (at once, on
  // the caller's thread, when `keys` is empty).
  void Scrub(storage::ScrubKeys keys, Done done);

 private:
  struct Pending {
    storage::ScrubKeys keys;
    Done done;
  };
  // Runs on the queue's thread.
  void Run(Pending pending);

  storage::FeedbackStore* const store_;
  storage::WorkQueue<Pending> queue_;  // last: its thread uses store_
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_ERASURE_H_
