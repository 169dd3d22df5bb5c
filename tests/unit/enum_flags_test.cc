#include "proto/vocabulary/enum_flags.h"

#include "feedback/v1/feedback.pb.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace enum_flags_test {

using google::protobuf::GetEnumDescriptor;

TEST(EnumFlags, SpellsValuesAsTheContractSays) {
  EXPECT_EQ(FormatEnumFlag(GetEnumDescriptor<v1::Meeting>(), v1::MEETING_CLA_REVIEW), "cla-review");
  EXPECT_EQ(FormatEnumFlag(GetEnumDescriptor<v1::ServiceArea>(), v1::SERVICE_AREA_SOCIAL_CARE),
            "social-care");
  EXPECT_EQ(FormatEnumFlag(GetEnumDescriptor<v1::Source>(), v1::SOURCE_PARTNER_AGENCY),
            "partner-agency");
  EXPECT_EQ(FormatEnumFlag(GetEnumDescriptor<v1::Kind>(), v1::KIND_CHILD_STATEMENT),
            "child-statement");
}

TEST(EnumFlags, ParsesEverySpellingBackToItsValue) {
  for (const auto* type :
       {GetEnumDescriptor<v1::Source>(), GetEnumDescriptor<v1::Kind>(),
        GetEnumDescriptor<v1::Meeting>(), GetEnumDescriptor<v1::ServiceArea>()}) {
    for (int i = 1; i < type->value_count(); ++i) {
      const int number = type->value(i)->number();
      absl::StatusOr<int> parsed = ParseEnumFlag(type, "x", FormatEnumFlag(type, number));
      ASSERT_OK(parsed);
      EXPECT_EQ(*parsed, number);
    }
  }
}

TEST(EnumFlags, RejectsUnknownAndUnspecifiedSpellingsNamingTheFlag) {
  const auto* meeting = GetEnumDescriptor<v1::Meeting>();
  for (const char* text : {"unspecified", "CLA_REVIEW", "cla_review", "", "lac", "yos"}) {
    absl::StatusOr<int> parsed = ParseEnumFlag(meeting, "meeting", text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find("--meeting"), std::string::npos);
    EXPECT_NE(parsed.status().message().find("cla-review"), std::string::npos);
  }
}

// The names the division's own report uses ("YOS", "LAC reviews") and everyone's ICPC and RCPC.
TEST(EnumFlags, AcceptsTheDivisionsOwnNamesForAFewValues) {
  const auto* area = GetEnumDescriptor<v1::ServiceArea>();
  const auto* meeting = GetEnumDescriptor<v1::Meeting>();
  EXPECT_EQ(ParseEnumFlag(area, "division", "yos").value_or(0), v1::SERVICE_AREA_YOUTH_OFFENDING);
  EXPECT_EQ(ParseEnumFlag(meeting, "meeting", "icpc").value_or(0),
            v1::MEETING_INITIAL_CP_CONFERENCE);
  EXPECT_EQ(ParseEnumFlag(meeting, "meeting", "rcpc").value_or(0),
            v1::MEETING_REVIEW_CP_CONFERENCE);
  EXPECT_EQ(ParseEnumFlag(meeting, "meeting", "lac-review").value_or(0), v1::MEETING_CLA_REVIEW);
  // An alias belongs to its own enum, and the error still lists the spellings printed.
  absl::StatusOr<int> wrong_enum = ParseEnumFlag(area, "service-area", "icpc");
  EXPECT_EQ(wrong_enum.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong_enum.status().message().find("youth-offending"), std::string::npos);
  EXPECT_EQ(wrong_enum.status().message().find("yos"), std::string::npos);
}

}  // namespace enum_flags_test
}  // namespace
}  // namespace feedback::client
