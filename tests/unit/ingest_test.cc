#include "service/ops/ingest.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "service/domain/sha256.h"
#include "storage/feedback_store.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace ingest_test {

using ::testing::IsEmpty;

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

const absl::Time kReceived = Utc(2018, 10, 1, 12, 0, 0) + absl::Microseconds(250);

google::protobuf::Timestamp Stamp(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(nanos);
  return timestamp;
}

bool SameInstant(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

// A valid submission as a client sends it.
v1::Feedback Sent(v1::Kind kind = v1::KIND_COMMENT) {
  v1::Feedback feedback;
  feedback.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(kind);
  feedback.set_meeting(v1::MEETING_REVIEW_CP_CONFERENCE);
  feedback.set_service_area(v1::SERVICE_AREA_EARLY_HELP);
  feedback.set_text("The conference was explained clearly.");
  feedback.set_rating(5);
  feedback.set_consent_to_quote(true);
  *feedback.mutable_occurred_at() = Stamp(absl::ToUnixSeconds(kReceived - absl::Hours(26)));
  return feedback;
}

TEST(KindTag, NamesEachKind) {
  EXPECT_EQ(KindTag(v1::KIND_COMPLIMENT), "compliment");
  EXPECT_EQ(KindTag(v1::KIND_COMPLAINT), "complaint");
  EXPECT_EQ(KindTag(v1::KIND_COMMENT), "comment");
  EXPECT_EQ(KindTag(v1::KIND_CHILD_STATEMENT), "child_statement");
}

TEST(PrepareSubmission, SetsReceivedAt) {
  const NewSubmission prepared = PrepareSubmission(Sent(), kReceived);
  ASSERT_TRUE(prepared.record.has_received_at());
  // 2018-10-01T12:00:00.000250Z.
  EXPECT_EQ(prepared.record.received_at().seconds(), INT64_C(1538395200));
  EXPECT_EQ(prepared.record.received_at().nanos(), 250'000);
}

TEST(PrepareSubmission, KeepsAClientOccurredAt) {
  const v1::Feedback sent = Sent();
  const NewSubmission prepared = PrepareSubmission(sent, kReceived);
  EXPECT_TRUE(SameInstant(prepared.record.occurred_at(), sent.occurred_at()));
  EXPECT_FALSE(SameInstant(prepared.record.occurred_at(), prepared.record.received_at()));
}

TEST(PrepareSubmission, KeepsAClientOccurredAtWithNanos) {
  v1::Feedback sent = Sent();
  *sent.mutable_occurred_at() = Stamp(INT64_C(1538300000), 123'456'789);
  const NewSubmission prepared = PrepareSubmission(sent, kReceived);
  EXPECT_TRUE(SameInstant(prepared.record.occurred_at(), Stamp(INT64_C(1538300000), 123'456'789)));
}

TEST(PrepareSubmission, DefaultsOccurredAtToReceivedAtWhenUnset) {
  v1::Feedback sent = Sent();
  sent.clear_occurred_at();
  const NewSubmission prepared = PrepareSubmission(sent, kReceived);
  ASSERT_TRUE(prepared.record.has_occurred_at());
  EXPECT_TRUE(SameInstant(prepared.record.occurred_at(), Stamp(INT64_C(1538395200), 250'000)));
  EXPECT_TRUE(SameInstant(prepared.record.occurred_at(), prepared.record.received_at()));
}

TEST(PrepareSubmission, LowerCasesSubmissionId) {
  v1::Feedback sent = Sent();
  sent.set_submission_id("123E4567-E89B-42D3-A456-426614174ABC");
  const NewSubmission prepared = PrepareSubmission(sent, kReceived);
  EXPECT_EQ(prepared.record.submission_id(), "123e4567-e89b-42d3-a456-426614174abc");
}

TEST(PrepareSubmission, LeavesTaggingToTheLedgerWhichTagsOnceAfterTheReplayDecision) {
  // The kind tag is not set here to be overwritten later: Ledger::Submit tags a new submission
  // once, with all its tags (ledger_submit_test.cc).
  for (v1::Kind kind :
       {v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT, v1::KIND_COMMENT, v1::KIND_CHILD_STATEMENT}) {
    SCOPED_TRACE(v1::Kind_Name(kind));
    const NewSubmission prepared = PrepareSubmission(Sent(kind), kReceived);
    EXPECT_THAT(prepared.record.tags(), IsEmpty());
  }
}

TEST(PrepareSubmission, OpensComplaintsAtStage1Only) {
  const NewSubmission complaint = PrepareSubmission(Sent(v1::KIND_COMPLAINT), kReceived);
  EXPECT_EQ(complaint.record.complaint_stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_EQ(complaint.record.complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  for (v1::Kind kind : {v1::KIND_COMPLIMENT, v1::KIND_COMMENT, v1::KIND_CHILD_STATEMENT}) {
    SCOPED_TRACE(v1::Kind_Name(kind));
    const NewSubmission prepared = PrepareSubmission(Sent(kind), kReceived);
    EXPECT_EQ(prepared.record.complaint_stage(), v1::COMPLAINT_STAGE_UNSPECIFIED);
    EXPECT_EQ(prepared.record.complaint_outcome(), v1::COMPLAINT_OUTCOME_UNSPECIFIED);
  }
}

TEST(PrepareSubmission, LeavesIdForTheStore) {
  const NewSubmission prepared = PrepareSubmission(Sent(), kReceived);
  EXPECT_TRUE(prepared.record.id().empty());
}

TEST(PrepareSubmission, KeepsTheClientFields) {
  const v1::Feedback sent = Sent();
  const NewSubmission prepared = PrepareSubmission(sent, kReceived);
  EXPECT_EQ(prepared.record.source(), sent.source());
  EXPECT_EQ(prepared.record.kind(), sent.kind());
  EXPECT_EQ(prepared.record.meeting(), sent.meeting());
  EXPECT_EQ(prepared.record.service_area(), sent.service_area());
  EXPECT_EQ(prepared.record.text(), sent.text());
  EXPECT_EQ(prepared.record.rating(), sent.rating());
  EXPECT_EQ(prepared.record.consent_to_quote(), sent.consent_to_quote());
  EXPECT_EQ(prepared.record.submission_id(), sent.submission_id());
}

TEST(PrepareSubmission, FingerprintsTheClientContent) {
  const v1::Feedback sent = Sent();
  EXPECT_EQ(PrepareSubmission(sent, kReceived).fingerprint, ContentFingerprint(sent));
}

TEST(PrepareSubmission, FingerprintIgnoresSubmissionIdCase) {
  v1::Feedback upper = Sent();
  upper.set_submission_id("123E4567-E89B-42D3-A456-426614174ABC");
  v1::Feedback lower = Sent();
  lower.set_submission_id("123e4567-e89b-42d3-a456-426614174abc");
  EXPECT_EQ(PrepareSubmission(upper, kReceived).fingerprint,
            PrepareSubmission(lower, kReceived).fingerprint);
}

TEST(PrepareSubmission, FingerprintOfARetryDoesNotDependOnArrivalTime) {
  // A kiosk that leaves occurred_at unset and retries: the same content, received later.
  v1::Feedback sent = Sent();
  sent.clear_occurred_at();
  EXPECT_EQ(PrepareSubmission(sent, kReceived).fingerprint,
            PrepareSubmission(sent, kReceived + absl::Minutes(5)).fingerprint);
}

TEST(ContentFingerprint, IsASha256Digest) {
  EXPECT_EQ(ContentFingerprint(Sent()).size(), 32u);
  EXPECT_EQ(ContentFingerprint(v1::Feedback()).size(), 32u);
}

// Stores keep fingerprints (the idempotency family), so a retry after an upgrade is told from a
// conflicting reuse only if the digest is still of the same bytes: the message's deterministic
// serialization, however the service writes it out.
TEST(ContentFingerprint, IsTheSha256OfTheDeterministicSerialization) {
  v1::Feedback long_text = Sent();
  long_text.set_text(std::string(5000, 'a') + " — “quoted” ✓");
  for (const v1::Feedback& sent : {Sent(), long_text, v1::Feedback()}) {
    std::string serialized;
    {
      google::protobuf::io::StringOutputStream stream(&serialized);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      ASSERT_TRUE(sent.SerializeToCodedStream(&coded));
    }
    EXPECT_EQ(ContentFingerprint(sent), Sha256(serialized));
  }
}

TEST(ContentFingerprint, EqualForEqualContent) {
  EXPECT_EQ(ContentFingerprint(Sent()), ContentFingerprint(Sent()));
  // Built in a different order.
  v1::Feedback reordered;
  reordered.set_consent_to_quote(true);
  reordered.set_rating(5);
  *reordered.mutable_occurred_at() = Sent().occurred_at();
  reordered.set_text("The conference was explained clearly.");
  reordered.set_service_area(v1::SERVICE_AREA_EARLY_HELP);
  reordered.set_meeting(v1::MEETING_REVIEW_CP_CONFERENCE);
  reordered.set_kind(v1::KIND_COMMENT);
  reordered.set_source(v1::SOURCE_FAMILY);
  reordered.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  EXPECT_EQ(ContentFingerprint(reordered), ContentFingerprint(Sent()));
}

TEST(ContentFingerprint, DiffersWhenAnyClientFieldDiffers) {
  const std::vector<std::pair<std::string, std::function<void(v1::Feedback&)>>> changes = {
      {"submission_id",
       [](v1::Feedback& f) { f.set_submission_id("223e4567-e89b-42d3-a456-426614174000"); }},
      {"source", [](v1::Feedback& f) { f.set_source(v1::SOURCE_CHILD); }},
      {"kind", [](v1::Feedback& f) { f.set_kind(v1::KIND_COMPLIMENT); }},
      {"meeting", [](v1::Feedback& f) { f.set_meeting(v1::MEETING_CLA_REVIEW); }},
      {"meeting unset", [](v1::Feedback& f) { f.clear_meeting(); }},
      {"service_area", [](v1::Feedback& f) { f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE); }},
      {"text", [](v1::Feedback& f) { f.set_text("The conference was explained clearly!"); }},
      {"text trailing space",
       [](v1::Feedback& f) { f.set_text("The conference was explained clearly. "); }},
      {"rating", [](v1::Feedback& f) { f.set_rating(4); }},
      {"rating unset", [](v1::Feedback& f) { f.clear_rating(); }},
      {"consent_to_quote", [](v1::Feedback& f) { f.set_consent_to_quote(false); }},
      {"occurred_at seconds",
       [](v1::Feedback& f) {
         f.mutable_occurred_at()->set_seconds(f.occurred_at().seconds() + 1);
       }},
      {"occurred_at nanos", [](v1::Feedback& f) { f.mutable_occurred_at()->set_nanos(1); }},
      {"occurred_at unset", [](v1::Feedback& f) { f.clear_occurred_at(); }},
  };
  const std::string original = ContentFingerprint(Sent());
  for (const auto& [name, change] : changes) {
    SCOPED_TRACE(name);
    v1::Feedback changed = Sent();
    change(changed);
    EXPECT_NE(ContentFingerprint(changed), original);
  }
}

}  // namespace ingest_test
}  // namespace
}  // namespace feedback
