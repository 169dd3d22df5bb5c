// Idempotency is not an oracle: a repeat of a submission_id is answered only to the token that
// made it (ClassifyRepeat, service/ops/replay.h), entries keep their owner on disk, and entries
// written before owners were kept belong to nobody.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/ops/ingest.h"
#include "service/ops/replay.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/submissions.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace idempotency_owner_test {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;

constexpr char kOwner[] = "tok_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
constexpr char kOther[] = "tok_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

const absl::Time kNow = absl::FromCivil(absl::CivilDay(2024, 6, 1), absl::UTCTimeZone());

std::string Fingerprint(char c) { return std::string(32, c); }

IdempotencyEntry Entry(std::string fingerprint, std::optional<std::string> owner) {
  return IdempotencyEntry{std::move(fingerprint), "fb_0123456789abcdef0123456789abcdef",
                          std::move(owner)};
}

TEST(ClassifyRepeat, OnlyTheOwnerHearsADuplicate) {
  const IdempotencyEntry seen = Entry(Fingerprint('x'), kOwner);
  EXPECT_EQ(ClassifyRepeat(seen, kOwner, Fingerprint('x')), Repeat::kDuplicate);
  EXPECT_EQ(ClassifyRepeat(seen, kOwner, Fingerprint('y')), Repeat::kOtherContent);
  // Another token learns nothing: the same answer whether its guess of the content is right.
  EXPECT_EQ(ClassifyRepeat(seen, kOther, Fingerprint('x')), Repeat::kNotOwner);
  EXPECT_EQ(ClassifyRepeat(seen, kOther, Fingerprint('y')), Repeat::kNotOwner);
  EXPECT_EQ(ClassifyRepeat(seen, "", Fingerprint('x')), Repeat::kNotOwner);
}

TEST(ClassifyRepeat, AnErasedSubmissionIsRefusedToItsOwnerAndHiddenFromOthers) {
  const IdempotencyEntry seen = Entry(std::string(kErasedFingerprint), kOwner);
  EXPECT_EQ(ClassifyRepeat(seen, kOwner, Fingerprint('x')), Repeat::kErased);
  EXPECT_EQ(ClassifyRepeat(seen, kOther, Fingerprint('x')), Repeat::kNotOwner);
}

TEST(ClassifyRepeat, AnEntryWithoutAnOwnerBelongsToNobody) {
  for (const std::string& fingerprint : {Fingerprint('x'), std::string(kErasedFingerprint)}) {
    const IdempotencyEntry seen = Entry(fingerprint, std::nullopt);
    for (const std::string owner : {kOwner, kOther, ""}) {
      EXPECT_EQ(ClassifyRepeat(seen, owner, Fingerprint('x')), Repeat::kNotOwner) << owner;
    }
  }
}

TEST(IdempotencyEncoding, KeepsTheOwnerAndReadsEntriesWrittenBeforeOwners) {
  const IdempotencyEntry owned = Entry(Fingerprint('\0'), kOwner);
  std::optional<IdempotencyEntry> decoded = DecodeIdempotencyEntry(EncodeIdempotencyEntry(owned));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->fingerprint, owned.fingerprint);
  EXPECT_EQ(decoded->id, owned.id);
  EXPECT_THAT(decoded->owner, Optional(std::string(kOwner)));

  // The form written before owners were kept: fingerprint and id only.
  const std::string legacy = Fingerprint('f') + "fb_0123456789abcdef0123456789abcdef";
  decoded = DecodeIdempotencyEntry(legacy);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->id, "fb_0123456789abcdef0123456789abcdef");
  EXPECT_EQ(decoded->owner, std::nullopt);
  EXPECT_EQ(EncodeIdempotencyEntry(*decoded), legacy);

  EXPECT_EQ(DecodeIdempotencyEntry(Fingerprint('f')), std::nullopt);  // no id
  EXPECT_EQ(DecodeIdempotencyEntry(Fingerprint('f') + std::string(1, '\0') + kOwner), std::nullopt);
}

class OwnedSubmissionTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
        FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  static v1::Feedback Sent(const std::string& text) {
    v1::Feedback sent;
    sent.set_submission_id("00000000-0000-4000-8000-000000000001");
    sent.set_source(v1::SOURCE_CHILD);
    sent.set_kind(v1::KIND_COMPLAINT);
    sent.set_meeting(v1::MEETING_CLA_REVIEW);
    sent.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    sent.set_text(text);
    return sent;
  }

  absl::StatusOr<SubmitOutcome> Submit(const v1::Feedback& sent, std::string owner) {
    NewSubmission submission = PrepareSubmission(sent, kNow);
    submission.owner = std::move(owner);
    std::vector<NewSubmission> group;
    group.push_back(std::move(submission));
    return std::move(feedback::testing::CommitSubmissions(*store_, std::move(group)).front());
  }

  size_t Count() {
    size_t count = 0;
    EXPECT_OK(store_->ScanFeedback([&count](const v1::Feedback&) {
      ++count;
      return absl::OkStatus();
    }));
    return count;
  }

  feedback::testing::TempDir dir_;
  std::unique_ptr<FeedbackStore> store_;
};

TEST_F(OwnedSubmissionTest, AnotherTokensReplayIsAlreadyExistsWhateverItGuessed) {
  const v1::Feedback sent = Sent("I am scared of my stepdad");
  absl::StatusOr<SubmitOutcome> first = Submit(sent, kOwner);
  ASSERT_OK(first);

  absl::StatusOr<SubmitOutcome> right_guess = Submit(sent, kOther);
  absl::StatusOr<SubmitOutcome> wrong_guess = Submit(Sent("something else"), kOther);
  EXPECT_EQ(right_guess.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(right_guess.status(), wrong_guess.status());  // same code, same message
  EXPECT_THAT(right_guess.status().message(), Not(HasSubstr(first->record.id())));

  // Its owner still hears the duplicate, also after a reopen (the owner is on disk).
  ASSERT_NO_FATAL_FAILURE(Open());
  absl::StatusOr<SubmitOutcome> retry = Submit(sent, kOwner);
  ASSERT_OK(retry);
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->record.id(), first->record.id());
  EXPECT_EQ(Count(), 1u);
}

TEST_F(OwnedSubmissionTest, AnEntryWrittenBeforeOwnersWereKeptIsAlreadyExistsForEveryone) {
  const v1::Feedback sent = Sent("we were not listened to");
  absl::StatusOr<SubmitOutcome> first = Submit(sent, kOwner);
  ASSERT_OK(first);
  // Rewrite the entry in the old form (no owner), as a store from before this change has it.
  std::vector<WriteOp> ops;
  ops.push_back([&](Transaction& txn) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> seen = txn.FindIdempotencyKey(sent.submission_id());
    if (!seen.ok()) return seen.status();
    std::optional<IdempotencyEntry> legacy = DecodeIdempotencyEntry(seen->value_or(""));
    if (!legacy.has_value()) return absl::DataLossError("no idempotency entry");
    legacy->owner.reset();
    return txn.PutIdempotencyKey(sent.submission_id(), EncodeIdempotencyEntry(*legacy));
  });
  const std::vector<absl::Status> rewritten = store_->Commit(std::move(ops));
  ASSERT_OK(rewritten.front());

  for (const std::string owner : {kOwner, kOther, ""}) {
    EXPECT_EQ(Submit(sent, owner).status().code(), absl::StatusCode::kAlreadyExists) << owner;
  }
  EXPECT_EQ(Count(), 1u);
}

}  // namespace idempotency_owner_test
}  // namespace
}  // namespace feedback::storage
