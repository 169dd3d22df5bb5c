// The on-disk layout of the feedback store, in one place. docs/storage.md explains it in prose.
//
// Column families:
//   records      id -> feedback.v1.Feedback (serialized)
//   time_index   <dimension> <be64(~occurred_at_micros)> <id> -> <facets> (newest first in key
//                order); <facets>: the item's source byte, then each of its tags and a \0
//   idempotency  <idempotency key> -> <sha256 fingerprint, 32 bytes> <id> [\0 <owner token id>]
//                (entries written before owners were kept end after <id>). The store keeps the
//                value as bytes; service/ops/replay.h encodes it and decides what a replay gets.
//   entities     <entity prefix><id...> -> serialized message (the prefixes below)
//   counter_pages  <financial year>Q<quarter>/<service area>/ -> internal.CounterPage: the
//                totals of that quarter's and area's figures (the rest of each counter's key;
//                service/ops/counters.h names them), the page put whole by each group that
//                changes one of them
//   counters     empty: stores of earlier layouts (to 2026-12-06) held a key a counter here,
//                <financial year>Q<quarter>/<service area>/<figure> -> little-endian int64, the
//                total (before 2026-12-04 also merges of deltas, which Int64Add sums). Opening
//                such a store moves them into pages, in one synced write.
//
// An item has one time_index entry, under its kind: <dimension> is "K" + kind byte. A list reads
// the entries of its kind, or of every kind, and skips those whose facets do not match its
// source and tag without reading their records. Stores of earlier layouts (to 2026-12-05) also
// hold entries under "S" + source byte, "T" + tag + "\0" and "A" (every item), which no list
// reads and a change to the item deletes, and their "K" entries' values are empty: a list reads
// the record of such an entry to filter it.
#ifndef FEEDBACK_STORAGE_LAYOUT_H_
#define FEEDBACK_STORAGE_LAYOUT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace feedback::storage::layout {

inline constexpr std::string_view kRecordsFamily = "records";
inline constexpr std::string_view kTimeIndexFamily = "time_index";
inline constexpr std::string_view kIdempotencyFamily = "idempotency";
inline constexpr std::string_view kEntitiesFamily = "entities";
inline constexpr std::string_view kCountersFamily = "counters";
inline constexpr std::string_view kCounterPagesFamily = "counter_pages";

// A counter's key as its page's key (everything up to its last "/", that "/" included; empty if
// it has none) and its figure (the rest).
struct CounterKeyParts {
  std::string_view page;
  std::string_view figure;
};
CounterKeyParts SplitCounterKey(std::string_view key);

// Name of the merge operator of the counters family (RocksDB checks it on reopen).
inline constexpr std::string_view kCounterMergeOperator = "feedback.Int64Add";

inline constexpr char kDimensionKind = 'K';
// Dimensions of earlier layouts' entries, read no more.
inline constexpr char kDimensionAll = 'A';
inline constexpr char kDimensionSource = 'S';
inline constexpr char kDimensionTag = 'T';

// The length of the <dimension> a time_index key starts with; 0 if it starts with none.
size_t DimensionLength(std::string_view time_index_key);

// Length of the part of a time_index key after its dimension: be64 inverted time + id.
// Page cursors are this suffix.
inline constexpr size_t kInvertedTimeSize = 8;

// Feedback record ids: "fb_" and 32 lower-case hex digits (14 of the time it was made, in Unix
// µs, then 18 random: ids sort in the order they were made; Transaction::NewId).
inline constexpr std::string_view kRecordIdPrefix = "fb_";
inline constexpr size_t kRecordIdSize = 3 + 32;
// Other ids made by Transaction::NewId: the same form with their own prefix.
inline constexpr std::string_view kReferralIdPrefix = "ar_";      // advocacy referrals
inline constexpr std::string_view kTokenIdPrefix = "tok_";        // access tokens
inline constexpr std::string_view kEnrolmentIdPrefix = "ke_";     // kiosk enrolment codes
inline constexpr std::string_view kTalkNowIdPrefix = "tn_";       // talk-now alerts
inline constexpr std::string_view kQualityCheckIdPrefix = "qc_";  // audits and observations
inline constexpr std::string_view kOversightIdPrefix = "co_";     // chairs' oversight outcomes

// Idempotency keys: a feedback submission's submission_id (lower case) as it is, a referral's
// creation this prefix and its submission_id.
inline constexpr std::string_view kReferralSubmissionPrefix = "referral:";
// ...and a talk-now request's: this prefix and its request_id (lower case).
inline constexpr std::string_view kTalkNowRequestPrefix = "talk_now:";
// ...and a quality check's: this prefix and its submission_id (lower case).
inline constexpr std::string_view kQualityCheckSubmissionPrefix = "quality_check:";
// ...and a chair's oversight outcome's: this prefix and its submission_id (lower case).
inline constexpr std::string_view kOversightSubmissionPrefix = "oversight:";
// ...and a narrative version's: this prefix and its submission_id (lower case).
inline constexpr std::string_view kNarrativeSubmissionPrefix = "narrative:";

// Entity keys: the prefix, then the id it names. Values are serialized feedback.v1 messages.
//   complaint/<feedback id>   Complaint: the case of a complaint, without its feedback
//   referral/<referral id>    AdvocacyReferral
//   alert/<feedback id>       Alert (a talk-now alert: alert/tn_<32 hex digits>)
//   hold/<item id>            LegalHold (the item: a feedback or a referral id)
//   quote/<feedback id>       Quote, as approved
//   token/<token id>          internal.StoredToken
//   published/<2018Q3>        internal.StoredPublication
//   audit/<16 hex digits of Unix micros>/<random>   AuditEntry (key order is time order)
//   enrolment/<64 hex digits: SHA-256 of the code>  internal.StoredEnrolment (never the code)
//   quality_check/<check id>  QualityCheck (a case-file audit or practice observation)
//   oversight/<oversight id>  ChairOversight (an independent chair's outcome after a meeting)
//   narrative/<2018Q3>/<section: 2 digits>/<version: 8 digits>  NarrativeVersion (the report's
//                             narrative, append-only: key order is section order, then versions)
inline constexpr std::string_view kComplaintPrefix = "complaint/";
inline constexpr std::string_view kReferralPrefix = "referral/";
inline constexpr std::string_view kAlertPrefix = "alert/";
inline constexpr std::string_view kHoldPrefix = "hold/";
inline constexpr std::string_view kQuotePrefix = "quote/";
inline constexpr std::string_view kTokenPrefix = "token/";
inline constexpr std::string_view kPublishedPrefix = "published/";
inline constexpr std::string_view kAuditPrefix = "audit/";
inline constexpr std::string_view kEnrolmentPrefix = "enrolment/";
inline constexpr std::string_view kQualityCheckPrefix = "quality_check/";
inline constexpr std::string_view kOversightPrefix = "oversight/";
inline constexpr std::string_view kNarrativePrefix = "narrative/";

// True if `cursor` has the form of a time_index suffix: inverted time, then a record id.
bool IsCursor(std::string_view cursor);

std::string DimensionAll();
std::string DimensionSource(int source);
std::string DimensionKind(int kind);
std::string DimensionTag(std::string_view tag);

// A time_index entry's value: the item's source and tags (see the family's layout above).
std::string EncodeFacets(int source, const std::vector<std::string_view>& tags);
// Decoded in place: a list reads one for every entry it passes, so this allocates nothing.
struct Facets {
  int source = 0;
  std::string_view tags;  // into the value decoded: each tag, then a \0

  bool HasTag(std::string_view tag) const;
  std::vector<std::string_view> TagList() const;
};
// Empty for a value that holds no facets: an earlier layout's, or one not well formed.
std::optional<Facets> DecodeFacets(std::string_view value);

// Big-endian ~micros, so that newer items sort first.
std::string InvertedTime(int64_t unix_micros);

}  // namespace feedback::storage::layout

#endif  // FEEDBACK_STORAGE_LAYOUT_H_
