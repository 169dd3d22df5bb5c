// The view of the store that one write operation gets inside a group commit.
#ifndef FEEDBACK_STORAGE_TRANSACTION_H_
#define FEEDBACK_STORAGE_TRANSACTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::storage {

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

  // Idempotency keys (layout.h), e.g. a feedback submission_id, with a value that the service
  // encodes (service/ops/replay.h): the store keeps bytes and decides nothing. nullopt if absent.
  // The value is taken over (every submission puts one): the store keeps it without a copy.
  [[nodiscard]] virtual absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(
      std::string_view key) = 0;
  [[nodiscard]] virtual absl::Status PutIdempotencyKey(std::string_view key, std::string value) = 0;

  // Everything else (referrals, complaint history, alerts...), by key; layout.h lists prefixes.
  [[nodiscard]] virtual absl::StatusOr<std::optional<std::string>> FindEntity(
      std::string_view key) = 0;
  [[nodiscard]] virtual absl::Status PutEntity(std::string_view key, std::string_view value) = 0;
  [[nodiscard]] virtual absl::Status DeleteEntity(std::string_view key) = 0;

  // Adds `delta` (may be negative) to a counter without reading it. INVALID_ARGUMENT for a key
  // that is not UTF-8 (counters are kept in pages of protobuf strings: layout.h).
  [[nodiscard]] virtual absl::Status AddToCounter(std::string_view key, int64_t delta) = 0;

  // A new id: `prefix` + 32 hex digits, the first 14 the time it was made (ids sort in the
  // order they were made), the rest random.
  virtual std::string NewId(std::string_view prefix) = 0;
};

// One write operation of a group. It reads and stages writes through the transaction; if it
// returns an error, its staged writes are rolled back and the rest of the group proceeds.
using WriteOp = absl::AnyInvocable<absl::Status(Transaction&) &&>;

// A write operation with a typed result: its value, or its error (its staged writes are then
// rolled back, as for a WriteOp). Whoever commits it hands the value on only once the group is
// durable (GroupCommitWriter::Submit, CommitOne in feedback_store.h), never through an
// out-parameter.
template <typename T>
using TypedWriteOp = absl::AnyInvocable<absl::StatusOr<T>(Transaction&) &&>;

// `op`, then `next` given op's value, in the same transaction and so in the same atomic batch:
// for writes that go with an operation, such as its audit entry. The result is op's value, or
// the first error (op's or next's). `next` does not run when op fails.
// Example:
//   TypedWriteOp<v1::Alert> audited = AndThen(std::move(acknowledge),
//       [](Transaction& txn, const v1::Alert& alert) { return AppendAudit(txn, ...); });
template <typename T>
TypedWriteOp<T> AndThen(
    TypedWriteOp<T> op,
    std::type_identity_t<absl::AnyInvocable<absl::Status(Transaction&, const T&) &&>> next) {
  return
      [op = std::move(op), next = std::move(next)](Transaction& txn) mutable -> absl::StatusOr<T> {
        absl::StatusOr<T> result = std::move(op)(txn);
        if (!result.ok()) return result;
        if (absl::Status after = std::move(next)(txn, *result); !after.ok()) return after;
        return result;
      };
}

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_TRANSACTION_H_
