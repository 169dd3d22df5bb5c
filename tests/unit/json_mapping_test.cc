#include "proto/vocabulary/json_mapping.h"

#include <string>
#include <thread>
#include <vector>

#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace feedback {
namespace {
namespace json_mapping_test {

using google::protobuf::util::JsonParseOptions;
using google::protobuf::util::JsonPrintOptions;

// A stored item with a field of every kind the API's JSON carries: strings, enums, numbers,
// booleans, timestamps, a repeated string, and text that JSON must escape.
v1::SubmitFeedbackResponse StoredItem() {
  v1::SubmitFeedbackResponse response;
  v1::Feedback& item = *response.mutable_feedback();
  item.set_id("r-0123456789abcdef");
  item.set_submission_id("7d0c8f4e-3b1a-4c2d-9e8f-0a1b2c3d4e5f");
  item.set_source(v1::SOURCE_CHILD);
  item.set_kind(v1::KIND_COMPLAINT);
  item.set_meeting(v1::MEETING_CLA_REVIEW);
  item.set_rating(4);
  item.set_text(
      "They said \"we'll see\" \xE2\x80\x94 then nothing.\n<script>alert(1)</script>\t\x01");
  item.set_consent_to_quote(true);
  item.mutable_occurred_at()->set_seconds(1'544'000'000);
  item.mutable_occurred_at()->set_nanos(123'000'000);
  item.mutable_received_at()->set_seconds(1'544'000'100);
  item.add_tags("complaint");
  item.add_tags("listened_to");
  item.set_complaint_stage(v1::COMPLAINT_STAGE_1);
  item.set_submitter_role(v1::ROLE_KIOSK);
  response.set_duplicate(true);
  return response;
}

std::string LibraryJson(const google::protobuf::Message& message, const JsonPrintOptions& options) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json, options).ok());
  return json;
}

TEST(JsonMappingTest, WritesWhatTheLibraryWrites) {
  JsonPrintOptions snake_case;
  snake_case.preserve_proto_field_names = true;
  JsonPrintOptions with_defaults;
  with_defaults.always_print_primitive_fields = true;
  with_defaults.always_print_enums_as_ints = true;
  for (const JsonPrintOptions& options : {JsonPrintOptions(), snake_case, with_defaults}) {
    // Twice: the second conversion works from the descriptions the first one kept.
    for (int pass = 0; pass < 2; ++pass) {
      std::string json;
      ASSERT_TRUE(MessageToJson(StoredItem(), json, options).ok());
      EXPECT_EQ(json, LibraryJson(StoredItem(), options));
      EXPECT_NE(json.find("listened_to"), std::string::npos) << json;
    }
  }
  std::string empty;
  ASSERT_TRUE(MessageToJson(v1::SubmitFeedbackResponse(), empty, JsonPrintOptions()).ok());
  EXPECT_EQ(empty, "{}");
}

TEST(JsonMappingTest, ReadsWhatTheLibraryReads) {
  const std::string json = LibraryJson(StoredItem(), JsonPrintOptions());
  for (int pass = 0; pass < 2; ++pass) {
    v1::SubmitFeedbackResponse read;
    ASSERT_TRUE(JsonToMessage(json, read, JsonParseOptions()).ok());
    EXPECT_EQ(read.SerializeAsString(), StoredItem().SerializeAsString());
  }
  // Field names as written in the .proto, and enums by number, are JSON the mapping accepts.
  v1::SubmitFeedbackRequest request;
  ASSERT_TRUE(
      JsonToMessage(R"({"feedback": {"submission_id": "a", "source": 1, "kind": "KIND_COMMENT",
                "occurredAt": "2018-12-05T09:00:00Z"}})",
                    request, JsonParseOptions())
          .ok());
  EXPECT_EQ(request.feedback().submission_id(), "a");
  EXPECT_EQ(request.feedback().source(), 1);
  EXPECT_EQ(request.feedback().kind(), v1::KIND_COMMENT);
  EXPECT_EQ(request.feedback().occurred_at().seconds(), 1'544'000'400);
}

// What the HTTP door answers a bad request with is the library's message: the same, word for
// word, as it was before the descriptions were kept.
TEST(JsonMappingTest, RefusesWhatTheLibraryRefusesInItsWords) {
  JsonParseOptions strict;
  strict.ignore_unknown_fields = false;
  JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  for (const std::string bad : {
           R"({"feedback": {"colour": "blue"}})",
           R"({"feedback": {"source": "SOURCE_DRAGON"}})",
           R"({"feedback": {"rating": "four"}})",
           R"({"feedback": {"occurredAt": "yesterday"}})",
           R"({"feedback": {"tags": "not a list"}})",
           R"({"feedback": {"text": 7}})",
           R"({"feedback": )",
           R"([1, 2])",
           "",
       }) {
    for (const JsonParseOptions& options : {strict, lenient}) {
      v1::SubmitFeedbackRequest ours;
      v1::SubmitFeedbackRequest theirs;
      const auto ours_status = JsonToMessage(bad, ours, options);
      const auto theirs_status = google::protobuf::util::JsonStringToMessage(bad, &theirs, options);
      EXPECT_EQ(ours_status.ok(), theirs_status.ok()) << bad;
      EXPECT_EQ(ours_status.code(), theirs_status.code()) << bad;
      EXPECT_EQ(ours_status.message(), theirs_status.message()) << bad;
      if (ours_status.ok()) {
        EXPECT_EQ(ours.SerializeAsString(), theirs.SerializeAsString()) << bad;
      }
    }
  }
}

TEST(JsonMappingTest, ConvertsOnManyThreadsAtOnce) {
  const std::string expected = LibraryJson(StoredItem(), JsonPrintOptions());
  std::vector<std::thread> threads;
  std::vector<int> matched(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string json;
        v1::SubmitFeedbackResponse read;
        if (MessageToJson(StoredItem(), json, JsonPrintOptions()).ok() && json == expected &&
            JsonToMessage(json, read, JsonParseOptions()).ok() &&
            read.SerializeAsString() == StoredItem().SerializeAsString()) {
          ++matched[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(matched, std::vector<int>(4, 200));
}

}  // namespace json_mapping_test
}  // namespace
}  // namespace feedback
