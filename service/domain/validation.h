// Checks of what clients send. Every error is INVALID_ARGUMENT and names the field.
#ifndef FEEDBACK_SERVICE_DOMAIN_VALIDATION_H_
#define FEEDBACK_SERVICE_DOMAIN_VALIDATION_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/utf8.h"  // IsValidUtf8, for callers that validate text

namespace feedback {

// Largest accepted `text`, in bytes of UTF-8.
inline constexpr size_t kMaxTextBytes = 8 * 1024;
// How far in the future a device clock may put `occurred_at`.
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(10);

// A submission as a client sends it, judged at server time `now`: known, specified source and
// kind; known meeting and service area; rating 0..5; text valid UTF-8 of at most kMaxTextBytes,
// present for complaints and child statements (and, for compliments and comments, present
// unless a rating is given); occurred_at (if set) from 2000 to now + kMaxClockSkew;
// submission_id a UUID; no field marked server_set (see server_fields.h) set.
[[nodiscard]] absl::Status ValidateSubmission(const v1::Feedback& feedback, absl::Time now);

// The checks a staff record's free text and date share (audits and observations, oversight
// outcomes); `record` is the record's field, named in the error ("check.strengths: ...").
// OK for `text` valid UTF-8 of at most kMaxTextBytes.
[[nodiscard]] absl::Status ValidateRecordText(std::string_view record, std::string_view field,
                                              std::string_view text);
// OK for `occurred_at` a valid timestamp from 2000 to now + kMaxClockSkew; a later one gets
// `future` (why it cannot be in the future) as its problem.
[[nodiscard]] absl::Status ValidateRecordDate(std::string_view record,
                                              const google::protobuf::Timestamp& occurred_at,
                                              absl::Time now, std::string_view future);

// True for the canonical 8-4-4-4-12 hexadecimal form (either case).
bool IsUuid(std::string_view text);

// True if `at` is within protobuf's Timestamp range with nanos in 0..999,999,999.
bool IsValidTimestamp(const google::protobuf::Timestamp& at);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_DOMAIN_VALIDATION_H_
