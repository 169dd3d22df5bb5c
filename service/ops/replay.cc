#include "service/ops/replay.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "proto/vocabulary/status_macros.h"

namespace feedback {
namespace {

// Ends the item id of an entry and starts its owner (ids never hold a NUL).
constexpr char kOwnerSeparator = '\0';

// The entry under `key`; nullopt if absent, DATA_LOSS if it does not decode.
absl::StatusOr<std::optional<IdempotencyEntry>> FindEntry(storage::Transaction& txn,
                                                          std::string_view key) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, txn.FindIdempotencyKey(key));
  if (!value.has_value()) return std::nullopt;
  std::optional<IdempotencyEntry> entry = DecodeIdempotencyEntry(*value);
  if (!entry.has_value()) {
    return absl::DataLossError(absl::StrCat("idempotency entry of ", std::string(key)));
  }
  return entry;
}

}  // namespace

std::string EncodeIdempotencyEntry(const IdempotencyEntry& entry) {
  std::string value;
  // Sized once: made on every submission.
  value.reserve(entry.fingerprint.size() + entry.id.size() +
                (entry.owner.has_value() ? 1 + entry.owner->size() : 0));
  value.append(entry.fingerprint).append(entry.id);
  if (entry.owner.has_value()) {
    value.push_back(kOwnerSeparator);
    value.append(*entry.owner);
  }
  return value;
}

std::optional<IdempotencyEntry> DecodeIdempotencyEntry(std::string_view value) {
  if (value.size() <= kFingerprintSize) return std::nullopt;
  IdempotencyEntry entry;
  entry.fingerprint = std::string(value.substr(0, kFingerprintSize));
  std::string_view rest = value.substr(kFingerprintSize);
  const size_t separator = rest.find(kOwnerSeparator);
  if (separator != std::string_view::npos) {
    entry.owner = std::string(rest.substr(separator + 1));
    rest = rest.substr(0, separator);
  }
  if (rest.empty()) return std::nullopt;
  entry.id = std::string(rest);
  return entry;
}

Repeat ClassifyRepeat(const IdempotencyEntry& seen, std::string_view owner,
                      std::string_view fingerprint) {
  // Ownership first: another token learns nothing about the stored submission, not even
  // whether it was erased.
  if (!seen.owner.has_value() || *seen.owner != owner) return Repeat::kNotOwner;
  if (seen.fingerprint == kErasedFingerprint) return Repeat::kErased;
  if (seen.fingerprint != fingerprint) return Repeat::kOtherContent;
  return Repeat::kDuplicate;
}

absl::StatusOr<std::optional<std::string>> DecideReplay(storage::Transaction& txn,
                                                        std::string_view key,
                                                        std::string_view owner,
                                                        std::string_view fingerprint,
                                                        ReplayWords words) {
  ASSIGN_OR_RETURN(std::optional<IdempotencyEntry> seen, FindEntry(txn, key));
  if (!seen.has_value()) return std::nullopt;
  switch (ClassifyRepeat(*seen, owner, fingerprint)) {
    case Repeat::kNotOwner:
      return absl::AlreadyExistsError(kNotOwnerMessage);
    case Repeat::kErased:
      return absl::FailedPreconditionError(
          absl::StrCat("submission_id: this ", std::string(words.item), " was erased (", seen->id,
                       "); it cannot be ", std::string(words.verb), " again"));
    case Repeat::kOtherContent:
      return absl::AlreadyExistsError(absl::StrCat("submission_id: already used for a ",
                                                   std::string(words.item),
                                                   " with different content"));
    case Repeat::kDuplicate:
      break;
  }
  return std::move(seen->id);
}

absl::Status PutIdempotencyEntry(storage::Transaction& txn, std::string_view key,
                                 const IdempotencyEntry& entry) {
  return txn.PutIdempotencyKey(key, EncodeIdempotencyEntry(entry));
}

absl::Status MarkErased(storage::Transaction& txn, std::string_view key, std::string_view id) {
  ASSIGN_OR_RETURN(std::optional<IdempotencyEntry> seen, FindEntry(txn, key));
  if (!seen.has_value() || seen->id != id) return absl::OkStatus();
  seen->fingerprint = std::string(kErasedFingerprint);
  return PutIdempotencyEntry(txn, key, *seen);
}

}  // namespace feedback
