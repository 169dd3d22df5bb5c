#include "service/domain/validation.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace validation_test {

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

// Server time for every test.
const absl::Time kNow = Utc(2018, 10, 1, 12, 0, 0);

void SetTimestamp(google::protobuf::Timestamp* timestamp, absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp->set_seconds(seconds);
  timestamp->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
}

// A submission that passes: every client field set, no server field.
v1::Feedback Valid() {
  v1::Feedback feedback;
  feedback.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  feedback.set_source(v1::SOURCE_CHILD);
  feedback.set_kind(v1::KIND_COMMENT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  feedback.set_text("My social worker listened to me.");
  feedback.set_rating(4);
  feedback.set_consent_to_quote(true);
  SetTimestamp(feedback.mutable_occurred_at(), kNow - absl::Hours(1));
  return feedback;
}

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// True if `message` contains `field` as a whole word (so "id" is not found in "submission_id").
bool NamesField(std::string_view message, std::string_view field) {
  for (size_t at = message.find(field); at != std::string_view::npos;
       at = message.find(field, at + 1)) {
    const size_t end = at + field.size();
    if ((at == 0 || !IsIdentifierChar(message[at - 1])) &&
        (end == message.size() || !IsIdentifierChar(message[end]))) {
      return true;
    }
  }
  return false;
}

// Expects INVALID_ARGUMENT with a message naming `field`.
void ExpectInvalid(const v1::Feedback& feedback, std::string_view field) {
  const absl::Status status = ValidateSubmission(feedback, kNow);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::string message(status.message());
  EXPECT_TRUE(NamesField(message, field)) << "message does not name " << field << ": " << message;
}

TEST(ValidateSubmission, AcceptsTheBaseline) {
  EXPECT_EQ(ValidateSubmission(Valid(), kNow), absl::OkStatus());
}

TEST(ValidateSubmission, AcceptsEveryKnownSourceAndKind) {
  for (v1::Source source :
       {v1::SOURCE_CHILD, v1::SOURCE_FAMILY, v1::SOURCE_PARTNER_AGENCY, v1::SOURCE_ADVOCATE}) {
    for (v1::Kind kind :
         {v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT, v1::KIND_COMMENT, v1::KIND_CHILD_STATEMENT}) {
      v1::Feedback feedback = Valid();
      feedback.set_source(source);
      feedback.set_kind(kind);
      EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
    }
  }
}

TEST(ValidateSubmission, AcceptsUnsetOptionalFields) {
  v1::Feedback feedback = Valid();
  feedback.clear_meeting();
  feedback.clear_service_area();
  feedback.clear_occurred_at();
  feedback.clear_rating();
  feedback.clear_consent_to_quote();
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
}

TEST(ValidateSubmission, RejectsUnspecifiedSource) {
  v1::Feedback feedback = Valid();
  feedback.set_source(v1::SOURCE_UNSPECIFIED);
  ExpectInvalid(feedback, "source");
}

TEST(ValidateSubmission, RejectsUnspecifiedKind) {
  v1::Feedback feedback = Valid();
  feedback.set_kind(v1::KIND_UNSPECIFIED);
  ExpectInvalid(feedback, "kind");
}

TEST(ValidateSubmission, RejectsUnknownEnumNumbers) {
  {
    v1::Feedback feedback = Valid();
    feedback.set_source(static_cast<v1::Source>(99));
    ExpectInvalid(feedback, "source");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.set_kind(static_cast<v1::Kind>(99));
    ExpectInvalid(feedback, "kind");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.set_meeting(static_cast<v1::Meeting>(99));
    ExpectInvalid(feedback, "meeting");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.set_service_area(static_cast<v1::ServiceArea>(99));
    ExpectInvalid(feedback, "service_area");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.set_source(static_cast<v1::Source>(-1));
    ExpectInvalid(feedback, "source");
  }
}

TEST(ValidateSubmission, RejectsRatingOutside0To5) {
  for (int rating : {-1, 6, 100}) {
    SCOPED_TRACE(rating);
    v1::Feedback feedback = Valid();
    feedback.set_rating(rating);
    ExpectInvalid(feedback, "rating");
  }
  for (int rating : {0, 1, 5}) {
    v1::Feedback feedback = Valid();
    feedback.set_rating(rating);
    EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  }
}

TEST(ValidateSubmission, RequiresTextForComplaintsAndChildStatements) {
  for (v1::Kind kind : {v1::KIND_COMPLAINT, v1::KIND_CHILD_STATEMENT}) {
    for (const char* text : {"", " ", "  \t\r\n "}) {
      SCOPED_TRACE(absl::StrCat(v1::Kind_Name(kind), " \"", text, "\""));
      v1::Feedback feedback = Valid();
      feedback.set_kind(kind);
      feedback.set_text(text);
      feedback.set_rating(3);  // a rating does not replace the text
      ExpectInvalid(feedback, "text");
    }
  }
}

TEST(ValidateSubmission, RequiresTextOrRatingForComplimentsAndComments) {
  for (v1::Kind kind : {v1::KIND_COMPLIMENT, v1::KIND_COMMENT}) {
    for (const char* text : {"", "   "}) {
      SCOPED_TRACE(absl::StrCat(v1::Kind_Name(kind), " \"", text, "\""));
      v1::Feedback feedback = Valid();
      feedback.set_kind(kind);
      feedback.set_text(text);
      feedback.set_rating(0);
      ExpectInvalid(feedback, "text");
    }
  }
}

TEST(ValidateSubmission, AcceptsComplimentWithRatingAndNoText) {
  v1::Feedback feedback = Valid();
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.clear_text();
  feedback.set_rating(4);
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
}

TEST(ValidateSubmission, AcceptsCommentWithTextAndNoRating) {
  v1::Feedback feedback = Valid();
  feedback.set_kind(v1::KIND_COMMENT);
  feedback.set_rating(0);
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
}

TEST(ValidateSubmission, LimitsTextTo8192Bytes) {
  v1::Feedback feedback = Valid();
  feedback.set_text(std::string(8192, 'a'));
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  feedback.set_text(std::string(8193, 'a'));
  ExpectInvalid(feedback, "text");
}

TEST(ValidateSubmission, CountsTheLimitInBytesNotCharacters) {
  std::string text;
  for (int i = 0; i < 4096; ++i) text += "\xC3\xA9";  // U+00E9, two bytes
  ASSERT_EQ(text.size(), 8192u);
  v1::Feedback feedback = Valid();
  feedback.set_text(text);
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  feedback.set_text(text + "a");
  ExpectInvalid(feedback, "text");
}

TEST(ValidateSubmission, RejectsInvalidUtf8Text) {
  for (std::string_view bad : {
           std::string_view("ok \x80 ok"),        // lone continuation byte
           std::string_view("caf\xC3"),           // truncated two-byte sequence at the end
           std::string_view("\xE2\x82 euro"),     // truncated three-byte sequence
           std::string_view("\xC0\xAF"),          // overlong '/'
           std::string_view("\xED\xA0\x80"),      // UTF-16 surrogate U+D800
           std::string_view("\xF4\x90\x80\x80"),  // U+110000, past U+10FFFF
       }) {
    SCOPED_TRACE(absl::CEscape(std::string(bad)));
    v1::Feedback feedback = Valid();
    feedback.set_text(std::string(bad));
    ExpectInvalid(feedback, "text");
  }
}

TEST(ValidateSubmission, AcceptsValidMultiByteText) {
  for (std::string_view good : {
           std::string_view("caf\xC3\xA9"),                 // café
           std::string_view("great \xF0\x9F\x98\x80"),      // U+1F600 emoji
           std::string_view("Diolch yn fawr, gw\xC5\xB5"),  // Welsh ŵ (U+0175)
           std::string_view("\xE2\x82\xAC 5"),              // €
       }) {
    SCOPED_TRACE(absl::CEscape(std::string(good)));
    v1::Feedback feedback = Valid();
    feedback.set_text(std::string(good));
    EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  }
}

TEST(ValidateSubmission, AllowsTenMinutesOfClockSkew) {
  v1::Feedback feedback = Valid();
  SetTimestamp(feedback.mutable_occurred_at(), kNow + absl::Minutes(9));
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  SetTimestamp(feedback.mutable_occurred_at(), kNow + absl::Minutes(10));
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  SetTimestamp(feedback.mutable_occurred_at(), kNow + absl::Minutes(11));
  ExpectInvalid(feedback, "occurred_at");
  SetTimestamp(feedback.mutable_occurred_at(), kNow + absl::Minutes(10) + absl::Seconds(1));
  ExpectInvalid(feedback, "occurred_at");
}

TEST(ValidateSubmission, RejectsOccurredAtBefore2000) {
  v1::Feedback feedback = Valid();
  SetTimestamp(feedback.mutable_occurred_at(), Utc(1999, 12, 31, 23, 59, 59));
  ExpectInvalid(feedback, "occurred_at");
  SetTimestamp(feedback.mutable_occurred_at(), Utc(2000, 1, 1) - absl::Nanoseconds(1));
  ExpectInvalid(feedback, "occurred_at");
  SetTimestamp(feedback.mutable_occurred_at(), Utc(1970, 1, 1));
  ExpectInvalid(feedback, "occurred_at");
  SetTimestamp(feedback.mutable_occurred_at(), Utc(2000, 1, 1));
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
}

TEST(ValidateSubmission, RejectsMalformedOccurredAt) {
  for (int32_t nanos : {-1, 1'000'000'000, 2'000'000'000}) {
    SCOPED_TRACE(nanos);
    v1::Feedback feedback = Valid();
    feedback.mutable_occurred_at()->set_nanos(nanos);
    ExpectInvalid(feedback, "occurred_at");
  }
  v1::Feedback feedback = Valid();
  feedback.mutable_occurred_at()->set_nanos(999'999'999);
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
  // Seconds outside the Timestamp range (years 1..9999).
  feedback.mutable_occurred_at()->set_seconds(INT64_C(253402300800));
  ExpectInvalid(feedback, "occurred_at");
  feedback.mutable_occurred_at()->set_seconds(INT64_MIN);
  ExpectInvalid(feedback, "occurred_at");
}

TEST(ValidateSubmission, RequiresAUuidSubmissionId) {
  for (const char* bad : {
           "",
           "not-a-uuid",
           "123e4567-e89b-42d3-a456-42661417400",    // 35 characters
           "123e4567-e89b-42d3-a456-4266141740000",  // 37 characters
           "123e4567-e89b-42d3-a456-42661417400g",   // non-hex
           "123e4567e89b-42d3-a456-4266141740000",   // dash moved
           "{23e4567-e89b-42d3-a456-42661417400}",
       }) {
    SCOPED_TRACE(bad);
    v1::Feedback feedback = Valid();
    feedback.set_submission_id(bad);
    ExpectInvalid(feedback, "submission_id");
  }
}

TEST(ValidateSubmission, AcceptsAnUppercaseUuid) {
  v1::Feedback feedback = Valid();
  feedback.set_submission_id("123E4567-E89B-42D3-A456-426614174000");
  EXPECT_EQ(ValidateSubmission(feedback, kNow), absl::OkStatus());
}

TEST(ValidateSubmission, RejectsServerAssignedFields) {
  {
    v1::Feedback feedback = Valid();
    feedback.set_id("fb-1");
    ExpectInvalid(feedback, "id");
  }
  {
    v1::Feedback feedback = Valid();
    SetTimestamp(feedback.mutable_received_at(), kNow);
    ExpectInvalid(feedback, "received_at");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.mutable_received_at();  // present, even at the epoch
    ExpectInvalid(feedback, "received_at");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.add_tags("comment");
    ExpectInvalid(feedback, "tags");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.set_kind(v1::KIND_COMPLAINT);
    feedback.set_complaint_stage(v1::COMPLAINT_STAGE_1);
    ExpectInvalid(feedback, "complaint_stage");
  }
  {
    v1::Feedback feedback = Valid();
    feedback.set_kind(v1::KIND_COMPLAINT);
    feedback.set_complaint_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
    ExpectInvalid(feedback, "complaint_outcome");
  }
}

TEST(IsUuid, AcceptsTheCanonicalFormInEitherCase) {
  EXPECT_TRUE(IsUuid("123e4567-e89b-42d3-a456-426614174000"));
  EXPECT_TRUE(IsUuid("123E4567-E89B-42D3-A456-426614174000"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(IsUuid("ffffffff-FFFF-ffff-FFFF-ffffffffffff"));
}

TEST(IsUuid, RejectsOtherForms) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a456-42661417400"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a456-4266141740000"));
  EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a456-42661417400z"));
  EXPECT_FALSE(IsUuid("123e4567e89b42d3a456426614174000"));       // no dashes
  EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a456_426614174000"));   // wrong separator
  EXPECT_FALSE(IsUuid("123e4567-e89b-42d3-a4566-42661417400"));   // dash moved
  EXPECT_FALSE(IsUuid("{123e4567-e89b-42d3-a456-42661417400}"));  // braces
  EXPECT_FALSE(IsUuid(" 123e4567-e89b-42d3-a456-42661417400"));   // leading space
  EXPECT_FALSE(IsUuid(std::string_view("123e4567-e89b-42d3-a456-42661417400\0", 36)));
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8(std::string_view("nul \0 inside", 12)));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));
  EXPECT_TRUE(IsValidUtf8("gw\xC5\xB5"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));          // U+0080, smallest two-byte
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));      // U+0800, smallest three-byte
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));  // U+10000, smallest four-byte
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the largest
}

TEST(IsValidUtf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\x80"));                  // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("a\xBF"));                 // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xC3"));                  // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));              // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));          // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xC3 a"));                // truncated by ASCII
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));              // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));              // overlong U+007F
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));          // overlong three-byte
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));      // overlong four-byte
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));          // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));          // surrogate U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));      // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));      // lead byte past F4
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // five-byte form
  EXPECT_FALSE(IsValidUtf8("\xFE"));                  // never valid
  EXPECT_FALSE(IsValidUtf8("\xFF"));                  // never valid
}

// ASCII is read eight bytes at a time: a malformed or a well-formed sequence is judged the same
// wherever it falls in or across those eight-byte steps, and after any length of ASCII.
TEST(IsValidUtf8, JudgesASequenceTheSameAtEveryOffsetInLongText) {
  const std::vector<std::string> malformed = {
      "\x80", "\xC3", "\xC3 a", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"};
  const std::vector<std::string> well_formed = {"caf\xC3\xA9", "\xE2\x80\x99", "\xF0\x9F\x98\x80",
                                                "\xF4\x8F\xBF\xBF"};
  for (size_t before = 0; before <= 17; ++before) {
    for (size_t after : {size_t{0}, size_t{3}, size_t{9}}) {
      const std::string head(before, 'a');
      const std::string tail(after, 'z');
      for (const std::string& bad : malformed) {
        EXPECT_FALSE(IsValidUtf8(head + bad + tail)) << before << " + " << after;
      }
      for (const std::string& good : well_formed) {
        EXPECT_TRUE(IsValidUtf8(head + good + tail + good + head)) << before << " + " << after;
      }
    }
  }
}

}  // namespace validation_test
}  // namespace
}  // namespace feedback
