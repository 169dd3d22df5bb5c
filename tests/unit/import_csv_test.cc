// The import's CSV reader and row checks (client/report/import_csv.h): RFC 4180 records read one
// at a time with the line each starts on; a header with unknown or missing columns named; each
// bad cell named by column with a reason; export rows read back as the same records. No server.
#include "client/report/import_csv.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/report/export_csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace feedback::client {
namespace {
namespace import_csv_test {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every record of `text` with its line, or the reader's error.
struct ReadResult {
  std::vector<std::vector<std::string>> records;
  std::vector<int> lines;
  std::string error;
};

ReadResult ReadAll(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  ReadResult result;
  std::vector<std::string> fields;
  int line = 0;
  for (;;) {
    absl::StatusOr<bool> got = reader.Next(fields, line);
    if (!got.ok()) {
      result.error = std::string(got.status().message());
      return result;
    }
    if (!*got) return result;
    result.records.push_back(fields);
    result.lines.push_back(line);
  }
}

TEST(ImportCsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaksAndLinesAreCounted) {
  const ReadResult r =
      ReadAll("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"one\r\ntwo\nthree\"\r\nlast,,\n");
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_THAT(r.records[1], ElementsAre("x, y", "say \"hi\"", "one\r\ntwo\nthree"));
  EXPECT_THAT(r.records[2], ElementsAre("last", "", ""));
  EXPECT_THAT(r.lines, ElementsAre(1, 2, 5));
}

TEST(ImportCsvReader, BrokenFilesAreErrorsNamingTheLine) {
  EXPECT_THAT(ReadAll("a,b\n\"open,b\nc,d\n").error, HasSubstr("starts on line 2"));
  EXPECT_THAT(ReadAll("a,b\n\"x\"y,b\n").error, HasSubstr("line 2: field 1 has text after"));
  EXPECT_THAT(ReadAll("a,b\nok,\xff\xfe\n").error, HasSubstr("line 2: field 2 is not valid UTF-8"));
}

ImportHeader FeedbackHeader() {
  absl::StatusOr<ImportHeader> header =
      CheckImportHeader(ImportType::kFeedback, ExportColumns(ImportType::kFeedback));
  EXPECT_TRUE(header.ok()) << header.status();
  return *header;
}

TEST(ImportCsvHeader, UnknownRepeatedAndMissingColumnsAreAllNamed) {
  absl::StatusOr<ImportHeader> header =
      CheckImportHeader(ImportType::kFeedback, {"source", "sorce", "text", "text"});
  ASSERT_FALSE(header.ok());
  const std::string message(header.status().message());
  EXPECT_THAT(message, HasSubstr("unknown column \"sorce\""));
  EXPECT_THAT(message, HasSubstr("column \"text\" appears twice"));
  EXPECT_THAT(message, HasSubstr("missing column \"occurred_at\""));
  EXPECT_THAT(message, HasSubstr("missing column \"kind\""));
  // Hostile header text cannot reach the terminal raw.
  absl::StatusOr<ImportHeader> hostile =
      CheckImportHeader(ImportType::kOversight, {"\x1b]0;pwned\x07"});
  ASSERT_FALSE(hostile.ok());
  EXPECT_FALSE(absl::StrContains(hostile.status().message(), "\x1b"));
  EXPECT_THAT(std::string(hostile.status().message()), HasSubstr("\\u001b]0;pwned\\u0007"));
}

TEST(ImportCsvRow, AnExportedFeedbackRowReadsBackAsTheSameSubmission) {
  v1::Feedback f;
  f.set_id("fb_1");
  f.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  f.set_source(v1::SOURCE_FAMILY);
  f.set_kind(v1::KIND_COMPLAINT);
  f.set_meeting(v1::MEETING_CLA_REVIEW);
  f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  f.set_rating(4);
  f.set_consent_to_quote(true);
  f.mutable_occurred_at()->set_seconds(1538350200);
  f.set_text("=1+1, \"quoted\"\nsecond line");
  std::istringstream in(absl::StrCat(kExportCsvHeader, "\r\n", ExportCsvRow(f)));
  CsvReader reader(in);
  std::vector<std::string> fields;
  int line = 0;
  ASSERT_TRUE(*reader.Next(fields, line));
  ASSERT_TRUE(*reader.Next(fields, line));
  absl::StatusOr<ImportRow> row = ParseImportRow(ImportType::kFeedback, FeedbackHeader(), fields);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->original_id, "fb_1");
  EXPECT_EQ(row->submission_id, f.submission_id());
  EXPECT_EQ(row->feedback.source(), v1::SOURCE_FAMILY);
  EXPECT_EQ(row->feedback.kind(), v1::KIND_COMPLAINT);
  EXPECT_EQ(row->feedback.meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(row->feedback.rating(), 4);
  EXPECT_TRUE(row->feedback.consent_to_quote());
  EXPECT_EQ(row->feedback.occurred_at().seconds(), 1538350200);
  EXPECT_EQ(row->feedback.text(), f.text());  // the ' export put before "=" is gone again
}

TEST(ImportCsvRow, EveryBadCellIsNamedByColumnWithItsValueAndWhy) {
  const ImportHeader header = FeedbackHeader();
  std::vector<std::string> fields(header.width);
  fields[header.index.at("occurred_at")] = "yesterday";
  fields[header.index.at("source")] = "family";
  fields[header.index.at("kind")] = "compliment";
  fields[header.index.at("meeting")] = "cla reveiw";
  fields[header.index.at("rating")] = "7";
  fields[header.index.at("consent_to_quote")] = "yes";
  fields[header.index.at("submission_id")] = "not-a-uuid";
  absl::StatusOr<ImportRow> row = ParseImportRow(ImportType::kFeedback, header, fields);
  ASSERT_FALSE(row.ok());
  const std::string message(row.status().message());
  EXPECT_THAT(message, HasSubstr("column \"occurred_at\": \"yesterday\" is not a time"));
  EXPECT_THAT(message, HasSubstr("column \"meeting\": \"cla reveiw\" is not one of: "
                                 "initial-cp-conference"));
  EXPECT_THAT(message, HasSubstr("column \"rating\": \"7\" is not a whole number from 1 to 5"));
  EXPECT_THAT(message, HasSubstr("column \"consent_to_quote\": \"yes\" is not true or false"));
  EXPECT_THAT(message, HasSubstr("column \"submission_id\": \"not-a-uuid\" is not a UUID"));

  fields.assign(header.width, "");
  fields[header.index.at("kind")] = "compliment";
  row = ParseImportRow(ImportType::kFeedback, header, fields);
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(std::string(row.status().message()), HasSubstr("column \"source\": is empty"));
  EXPECT_THAT(std::string(row.status().message()), HasSubstr("column \"occurred_at\": is empty"));

  fields.pop_back();
  row = ParseImportRow(ImportType::kFeedback, header, fields);
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(std::string(row.status().message()), HasSubstr("fields; the header has"));
}

TEST(ImportCsvRow, OtherTypesCheckTheirOwnRules) {
  absl::StatusOr<ImportHeader> header =
      CheckImportHeader(ImportType::kOversight, {"meeting", "occurred_at", "outcome"});
  ASSERT_TRUE(header.ok()) << header.status();
  absl::StatusOr<ImportRow> row = ParseImportRow(
      ImportType::kOversight, *header, {"cin-review", "2018-11-02T10:00:00Z", "escalation"});
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(std::string(row.status().message()),
              HasSubstr("column \"meeting\": \"cin-review\" is not a meeting a chair oversees"));

  header =
      CheckImportHeader(ImportType::kAudits, {"activity", "service_area", "occurred_at", "grade"});
  ASSERT_TRUE(header.ok()) << header.status();
  row = ParseImportRow(ImportType::kAudits, *header,
                       {"practice-observation", "yos", "2018-11-02T10:00:00Z", "good"});
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(std::string(row.status().message()),
              HasSubstr("does not belong in an import of --type audits"));

  header = CheckImportHeader(ImportType::kReferrals,
                             {"referred_at", "meeting", "child_age", "status", "reason"});
  ASSERT_TRUE(header.ok()) << header.status();
  row = ParseImportRow(ImportType::kReferrals, *header,
                       {"2018-11-02T10:00:00Z", "icpc", "40", "not-progressed", ""});
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(std::string(row.status().message()),
              HasSubstr("column \"child_age\": \"40\" is not a whole number from 1 to 25"));
  EXPECT_THAT(std::string(row.status().message()), HasSubstr("column \"reason\": is empty"));
}

TEST(ImportCsvRow, DerivedSubmissionIdsAreStableUuidsThatTellRowsApart) {
  const std::vector<std::string> a = {"2018-11-02T10:00:00Z", "family", "compliment"};
  const std::vector<std::string> b = {"2018-11-02T10:00:00Z", "family", "comment"};
  const std::string id = DeriveSubmissionId(ImportType::kFeedback, a, 0);
  EXPECT_EQ(id, DeriveSubmissionId(ImportType::kFeedback, a, 0));
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '8');                                          // version nibble: custom
  EXPECT_NE(id, DeriveSubmissionId(ImportType::kFeedback, a, 1));  // an identical second row
  EXPECT_NE(id, DeriveSubmissionId(ImportType::kFeedback, b, 0));
  EXPECT_NE(id, DeriveSubmissionId(ImportType::kOversight, a, 0));
}

}  // namespace import_csv_test
}  // namespace
}  // namespace feedback::client
