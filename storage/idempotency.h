// The stored form of an idempotency entry (layout.h, family "idempotency"). Internal to storage.
#ifndef FEEDBACK_STORAGE_IDEMPOTENCY_H_
#define FEEDBACK_STORAGE_IDEMPOTENCY_H_

#include <optional>
#include <string>
#include <string_view>

#include "storage/transaction.h"

namespace feedback::storage {

// <fingerprint> <id> \0 <owner>; without an owner (nullopt), <fingerprint> <id> alone, the form
// of entries written before owners were kept. REQUIRES: fingerprint is kFingerprintSize bytes
// and id holds no NUL.
std::string EncodeIdempotencyEntry(const IdempotencyEntry& entry);
// nullopt if `value` is not an entry (too short, or an empty id).
std::optional<IdempotencyEntry> DecodeIdempotencyEntry(std::string_view value);

}  // namespace feedback::storage

#endif  // FEEDBACK_STORAGE_IDEMPOTENCY_H_
