// The view of the store that one write operation gets inside a group commit.
#ifndef FEEDBACK_STORAGE_TRANSACTION_H_
#define FEEDBACK_STORAGE_TRANSACTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::storage {

// What an idempotency key remembers: who the first submission was, what it said, and who sent
// it.
struct IdempotencyEntry {
  std::string fingerprint;  // 32 bytes (SHA-256)
  std::string id;           // the record it created
  // The id of the token that made the submission; only it may hear that a replay is a
  // duplicate. nullopt: an entry written before owners were kept, which nobody owns.
  std::optional<std::string> owner;
};

// The fingerprint an erased submission's idempotency entry is given in place of the hash of its
// content (which could confirm a guess of the erased text). A replay of that submission_id is
// refused (FAILED_PRECONDITION) rather than stored again. 32 bytes that SHA-256 will not produce.
inline constexpr std::string_view kErasedFingerprint = "feedbackd erased this submission";
static_assert(kErasedFingerprint.size() == 32);

// How a submission_id seen before (`seen`) answers a new attempt by `owner` with `fingerprint`.
enum class Repeat {
  kDuplicate,     // the owner, the same content: the stored item, nothing written
  kNotOwner,      // another token, or an entry nobody owns: ALREADY_EXISTS, and nothing else
                  // (not whether the content matched, nor whether the item was erased)
  kErased,        // the owner, an erased submission: FAILED_PRECONDITION
  kOtherContent,  // the owner, other content: ALREADY_EXISTS
};
Repeat ClassifyRepeat(const IdempotencyEntry& seen, std::string_view owner,
                      std::string_view fingerprint);

// The ALREADY_EXISTS message of Repeat::kNotOwner, the same whatever was sent.
inline constexpr char kNotOwnerMessage[] =
    "submission_id: already used; a submission_id is answered only to the token that made it";

// Reads see the store plus every write staged earlier in the same group (read-your-writes), so
// operations in one group are decided in order exactly as if committed one by one. Nothing is
// visible to other readers until the whole group is synced. Used only on the writer thread;
// not thread-safe.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // nullopt if absent.
  [[nodiscard]] virtual absl::StatusOr<std::optional<v1::Feedback>> FindFeedback(
      std::string_view id) = 0;
  // Stores `record` (REQUIRES: id and occurred_at set) and its time-index entries. `previous`
  // is the stored version being replaced, whose index entries are removed; nullptr for new.
  [[nodiscard]] virtual absl::Status PutFeedback(const v1::Feedback& record,
                                                 const v1::Feedback* previous) = 0;

  // Idempotency keys, e.g. a feedback submission_id.
  [[nodiscard]] virtual absl::StatusOr<std::optional<IdempotencyEntry>> FindIdempotencyKey(
      std::string_view key) = 0;
  [[nodiscard]] virtual absl::Status PutIdempotencyKey(std::string_view key,
                                                       const IdempotencyEntry& entry) = 0;

  // Everything else (referrals, complaint history, alerts...), by key; layout.h lists prefixes.
  [[nodiscard]] virtual absl::StatusOr<std::optional<std::string>> FindEntity(
      std::string_view key) = 0;
  [[nodiscard]] virtual absl::Status PutEntity(std::string_view key, std::string_view value) = 0;
  [[nodiscard]] virtual absl::Status DeleteEntity(std::string_view key) = 0;

  // Adds `delta` (may be negative) to a counter without reading it.
  [[nodiscard]] virtual absl::Status AddToCounter(std::string_view key, int64_t delta) = 0;

  // A new random id: `prefix` + 32 hex digits.
  virtual std::string NewId(std::string_view prefix) = 0;
};

// One write operation of a group. It reads and stages writes through the transaction; if it
// returns an error, its staged writes are rolled back and the rest of the group proceeds.
using WriteOp = absl::AnyInvocable<absl::Status(Transaction&) &&>;

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_TRANSACTION_H_
