#include "service/domain/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "proto/vocabulary/utf8.h"
#include "service/domain/server_fields.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

const absl::Time kEarliestOccurredAt =
    absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());

absl::Status Invalid(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("feedback.", std::string(field), ": ", std::string(problem)));
}

absl::Status CheckEnum(std::string_view field, int value, bool (*is_valid)(int), bool required) {
  if (!is_valid(value)) return Invalid(field, absl::StrCat("unknown value ", value));
  if (required && value == 0) return Invalid(field, "must be set");
  return absl::OkStatus();
}

absl::Status CheckText(const v1::Feedback& feedback) {
  const std::string& text = feedback.text();
  if (text.size() > kMaxTextBytes) {
    return Invalid("text",
                   absl::StrCat(text.size(), " bytes is over the limit of ", kMaxTextBytes));
  }
  if (!IsValidUtf8(text)) return Invalid("text", "is not valid UTF-8");
  const bool blank = absl::StripAsciiWhitespace(text).empty();
  switch (feedback.kind()) {
    case v1::KIND_COMPLAINT:
    case v1::KIND_CHILD_STATEMENT:
      if (blank) return Invalid("text", "is required for this kind");
      break;
    default:
      if (blank && feedback.rating() == 0)
        return Invalid("text", "is required when there is no rating");
  }
  return absl::OkStatus();
}

absl::Status CheckOccurredAt(const v1::Feedback& feedback, absl::Time now) {
  if (!feedback.has_occurred_at()) return absl::OkStatus();
  if (!IsValidTimestamp(feedback.occurred_at())) {
    return Invalid("occurred_at", "is not a valid timestamp");
  }
  const absl::Time occurred =
      absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(feedback.occurred_at()));
  if (occurred < kEarliestOccurredAt) return Invalid("occurred_at", "is before the year 2000");
  if (occurred > now + kMaxClockSkew) {
    return Invalid("occurred_at", "is more than 10 minutes in the future; check the device clock");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidTimestamp(const google::protobuf::Timestamp& at) {
  return at.seconds() >= TimeUtil::kTimestampMinSeconds &&
         at.seconds() <= TimeUtil::kTimestampMaxSeconds && at.nanos() >= 0 &&
         at.nanos() <= 999'999'999;
}

absl::Status ValidateRecordText(std::string_view record, std::string_view field,
                                std::string_view text) {
  auto invalid = [&](std::string_view problem) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(record), ".", std::string(field), ": ", std::string(problem)));
  };
  if (!IsValidUtf8(text)) return invalid("is not valid UTF-8");
  if (text.size() > kMaxTextBytes) {
    return invalid(absl::StrCat("is ", text.size(), " bytes; at most ", kMaxTextBytes));
  }
  return absl::OkStatus();
}

absl::Status ValidateRecordDate(std::string_view record,
                                const google::protobuf::Timestamp& occurred_at, absl::Time now,
                                std::string_view future) {
  auto invalid = [&](std::string_view problem) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(record), ".occurred_at: ", std::string(problem)));
  };
  if (!IsValidTimestamp(occurred_at)) return invalid("is not a valid timestamp");
  const absl::Time at = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(occurred_at));
  if (at < kEarliestOccurredAt) return invalid("is before the year 2000");
  if (at > now + kMaxClockSkew) return invalid(future);
  return absl::OkStatus();
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-'
                      : !absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateSubmission(const v1::Feedback& feedback, absl::Time now) {
  if (feedback.submission_id().empty()) return Invalid("submission_id", "must be set (a UUID)");
  if (!IsUuid(feedback.submission_id())) {
    return Invalid("submission_id", "must be a UUID such as 123e4567-e89b-42d3-a456-426614174000");
  }
  RETURN_IF_ERROR(CheckEnum("source", feedback.source(), v1::Source_IsValid, true));
  RETURN_IF_ERROR(CheckEnum("kind", feedback.kind(), v1::Kind_IsValid, true));
  RETURN_IF_ERROR(CheckEnum("meeting", feedback.meeting(), v1::Meeting_IsValid, false));
  RETURN_IF_ERROR(
      CheckEnum("service_area", feedback.service_area(), v1::ServiceArea_IsValid, false));
  if (feedback.rating() < 0 || feedback.rating() > 5) {
    return Invalid("rating",
                   absl::StrCat(feedback.rating(), " is outside 0..5 (0 means no rating)"));
  }
  RETURN_IF_ERROR(CheckText(feedback));
  RETURN_IF_ERROR(CheckOccurredAt(feedback, now));
  return CheckNoServerSetFields(feedback, "feedback");
}

}  // namespace feedback
