// Command-line spelling of the API's enums: the value name without the enum's prefix, in lower
// case with dashes. MEETING_CLA_REVIEW is "cla-review", SERVICE_AREA_SOCIAL_CARE "social-care".
#ifndef FEEDBACK_PROTO_VOCABULARY_ENUM_FLAGS_H_
#define FEEDBACK_PROTO_VOCABULARY_ENUM_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace feedback::client {

// The number of the value spelled `text` in `type`; INVALID_ARGUMENT naming `flag` and listing
// the accepted spellings otherwise. The *_UNSPECIFIED value is never accepted. A few names the
// division uses are accepted too: "yos" (youth-offending), "icpc", "rcpc" and "lac-review".
[[nodiscard]] absl::StatusOr<int> ParseEnumFlag(const google::protobuf::EnumDescriptor* type,
                                                std::string_view flag, std::string_view text);

// The spelling of `number` in `type` ("" for UNSPECIFIED, the number for an unknown value).
std::string FormatEnumFlag(const google::protobuf::EnumDescriptor* type, int number);

// Every accepted spelling of `type`, in declaration order.
std::vector<std::string> EnumFlagSpellings(const google::protobuf::EnumDescriptor* type);

}  // namespace feedback::client

#endif  // FEEDBACK_PROTO_VOCABULARY_ENUM_FLAGS_H_
