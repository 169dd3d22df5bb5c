#include "storage/idempotency.h"

#include "storage/layout.h"

namespace feedback::storage {

Repeat ClassifyRepeat(const IdempotencyEntry& seen, std::string_view owner,
                      std::string_view fingerprint) {
  // Ownership first: another token learns nothing about the stored submission, not even
  // whether it was erased.
  if (!seen.owner.has_value() || *seen.owner != owner) return Repeat::kNotOwner;
  if (seen.fingerprint == kErasedFingerprint) return Repeat::kErased;
  if (seen.fingerprint != fingerprint) return Repeat::kOtherContent;
  return Repeat::kDuplicate;
}

std::string EncodeIdempotencyEntry(const IdempotencyEntry& entry) {
  std::string value = entry.fingerprint + entry.id;
  if (entry.owner.has_value()) {
    value.push_back(layout::kOwnerSeparator);
    value.append(*entry.owner);
  }
  return value;
}

std::optional<IdempotencyEntry> DecodeIdempotencyEntry(std::string_view value) {
  if (value.size() <= layout::kFingerprintSize) return std::nullopt;
  IdempotencyEntry entry;
  entry.fingerprint = std::string(value.substr(0, layout::kFingerprintSize));
  std::string_view rest = value.substr(layout::kFingerprintSize);
  const size_t separator = rest.find(layout::kOwnerSeparator);
  if (separator != std::string_view::npos) {
    entry.owner = std::string(rest.substr(separator + 1));
    rest = rest.substr(0, separator);
  }
  if (rest.empty()) return std::nullopt;
  entry.id = std::string(rest);
  return entry;
}

}  // namespace feedback::storage
