// Idempotency: what a create operation remembers under its idempotency key (a feedback
// submission_id, or "referral:" + a referral's submission_id; storage/layout.h), and the replay
// decision a repeat of that key gets. The store keeps the entry as bytes; every rule about it
// is here: fingerprints, owners, and the marker an erasure leaves.
//
// A create operation asks first (DecideReplay), before anything else about the item is decided
// or computed: only a new key goes on to be checked, tagged and stored, with its entry
// (PutIdempotencyEntry). A repeat from the token that made the item, with the same content,
// is answered with the stored item and writes nothing.
#ifndef FEEDBACK_SERVICE_OPS_REPLAY_H_
#define FEEDBACK_SERVICE_OPS_REPLAY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "service/domain/sha256.h"
#include "storage/transaction.h"

namespace feedback {

// What an idempotency key remembers: who the first submission was, what it said, and who sent
// it.
struct IdempotencyEntry {
  std::string fingerprint;  // kFingerprintSize bytes (SHA-256 of what was sent)
  std::string id;           // the record it created
  // The id of the token that made the submission; only it may hear that a replay is a
  // duplicate. nullopt: an entry written before owners were kept, which nobody owns.
  std::optional<std::string> owner;
};

inline constexpr size_t kFingerprintSize = kSha256Size;

// The fingerprint an erased submission's idempotency entry is given in place of the hash of its
// content (which could confirm a guess of the erased text). A replay of that submission_id is
// refused (FAILED_PRECONDITION) rather than stored again. 32 bytes that SHA-256 will not produce.
inline constexpr std::string_view kErasedFingerprint = "feedbackd erased this submission";
static_assert(kErasedFingerprint.size() == kFingerprintSize);

// The stored form (storage/layout.h, family "idempotency"): <fingerprint> <id> \0 <owner>;
// without an owner (nullopt), <fingerprint> <id> alone, the form of entries written before
// owners were kept. REQUIRES: fingerprint is kFingerprintSize bytes and id holds no NUL.
std::string EncodeIdempotencyEntry(const IdempotencyEntry& entry);
// nullopt if `value` is not an entry (too short, or an empty id).
std::optional<IdempotencyEntry> DecodeIdempotencyEntry(std::string_view value);

// How a key seen before (`seen`) answers a new attempt by `owner` with `fingerprint`.
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

// How the errors of DecideReplay name what is created: {"submission", "stored"} gives
// "this submission was erased (...); it cannot be stored again".
struct ReplayWords {
  std::string_view item;
  std::string_view verb;
};
inline constexpr ReplayWords kSubmissionWords{"submission", "stored"};
inline constexpr ReplayWords kReferralWords{"referral", "made"};

// The replay decision of an attempt by `owner` to create something with content `fingerprint`
// under idempotency key `key`:
//   nullopt      the key is unused: go on, and PutIdempotencyEntry once the item has its id;
//   an id        the owner sent the same content before: the answer is the stored item `id`,
//                and nothing is written;
//   an error     ALREADY_EXISTS (another token: kNotOwnerMessage; the owner, other content) or
//                FAILED_PRECONDITION (the owner, an erased item); DATA_LOSS for an entry that
//                does not decode.
// Keys staged earlier in the same group count (read-your-writes).
[[nodiscard]] absl::StatusOr<std::optional<std::string>> DecideReplay(storage::Transaction& txn,
                                                                      std::string_view key,
                                                                      std::string_view owner,
                                                                      std::string_view fingerprint,
                                                                      ReplayWords words);

// Stages `entry` under `key`.
[[nodiscard]] absl::Status PutIdempotencyEntry(storage::Transaction& txn, std::string_view key,
                                               const IdempotencyEntry& entry);

// Erasure's part: if `key`'s entry points at item `id`, stages it again with kErasedFingerprint
// in place of the content's (owner and id kept), so that a replay is refused without the
// fingerprint confirming a guess of the erased words. Anything else is left as it is.
[[nodiscard]] absl::Status MarkErased(storage::Transaction& txn, std::string_view key,
                                      std::string_view id);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_REPLAY_H_
