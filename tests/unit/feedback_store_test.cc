// FeedbackStore (RocksDB): storing, reading back, idempotency, atomic indexing and listing.
#include "storage/feedback_store.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/table_properties.h"
#include "service/domain/validation.h"
#include "service/ops/ingest.h"
#include "storage/group_commit_writer.h"
#include "storage/layout.h"
#include "storage/transaction.h"
#include "tests/support/submissions.h"
#include "tests/support/test_support.h"

namespace feedback::storage {
namespace {
namespace feedback_store_test {

using ::feedback::testing::CommitSubmissions;
using ::feedback::testing::StoreSubmissionOp;
using ::feedback::testing::TempDir;
using ::google::protobuf::util::MessageDifferencer;
using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::UnorderedElementsAreArray;

absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                         absl::UTCTimeZone());
}

// Server time of every submission in these tests; every occurred_at used is before it.
const absl::Time kNow = Utc(2024, 6, 1, 12);
// A convenient occurred_at origin.
const absl::Time kBase = Utc(2024, 1, 1);

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

// A distinct, valid submission_id for each n.
std::string Uuid(int n) { return absl::StrFormat("00000000-0000-4000-8000-%012x", n); }

// A valid submission as a client sends it.
v1::Feedback Sent(int n, absl::Time occurred_at, v1::Source source = v1::SOURCE_CHILD,
                  v1::Kind kind = v1::KIND_COMMENT) {
  v1::Feedback sent;
  sent.set_submission_id(Uuid(n));
  sent.set_source(source);
  sent.set_kind(kind);
  sent.set_meeting(v1::MEETING_CLA_REVIEW);
  sent.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  sent.set_text(absl::StrCat("feedback number ", n));
  sent.set_rating(4);
  *sent.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(Micros(occurred_at));
  return sent;
}

// What the service hands the store for `sent`, received at kNow (or `received_at`), with the
// kind tag the ledger would give it (these tests store records without the ledger).
NewSubmission Prepare(const v1::Feedback& sent, absl::Time received_at = kNow) {
  EXPECT_OK(ValidateSubmission(sent, received_at));
  NewSubmission submission = PrepareSubmission(sent, received_at);
  submission.record.add_tags(std::string(KindTag(sent.kind())));
  return submission;
}

std::vector<NewSubmission> One(NewSubmission submission) {
  std::vector<NewSubmission> group;
  group.push_back(std::move(submission));
  return group;
}

bool IsRecordId(std::string_view id) {
  if (id.size() != 3 + 32 || !id.starts_with("fb_")) return false;
  return std::all_of(id.begin() + 3, id.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
  });
}

::testing::AssertionResult SameRecord(const v1::Feedback& actual, const v1::Feedback& expected) {
  if (MessageDifferencer::Equals(actual, expected)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\nactual:   " << actual.ShortDebugString()
                                       << "\nexpected: " << expected.ShortDebugString();
}

std::vector<std::string> Ids(const std::vector<v1::Feedback>& records) {
  std::vector<std::string> ids;
  for (const v1::Feedback& record : records) ids.push_back(record.id());
  return ids;
}

int64_t OccurredMicros(const v1::Feedback& record) {
  return TimeUtil::TimestampToMicroseconds(record.occurred_at());
}

// The records of `all` that `query`'s filters and bounds select, in List order (newest first,
// ties by id as the index orders them).
std::vector<std::string> ExpectedIds(const std::vector<v1::Feedback>& all, const ListQuery& query) {
  std::vector<v1::Feedback> selected;
  for (const v1::Feedback& record : all) {
    const int64_t at = OccurredMicros(record);
    if (at < query.from_micros || at >= query.to_micros) continue;
    if (query.source != v1::SOURCE_UNSPECIFIED && record.source() != query.source) continue;
    if (query.kind != v1::KIND_UNSPECIFIED && record.kind() != query.kind) continue;
    if (!query.tag.empty() &&
        std::find(record.tags().begin(), record.tags().end(), query.tag) == record.tags().end()) {
      continue;
    }
    selected.push_back(record);
  }
  std::sort(selected.begin(), selected.end(), [](const v1::Feedback& a, const v1::Feedback& b) {
    if (OccurredMicros(a) != OccurredMicros(b)) return OccurredMicros(a) > OccurredMicros(b);
    return a.id() < b.id();
  });
  return Ids(selected);
}

// Every record `query` selects, following next_cursor page by page. `page_sizes` (optional)
// receives the size of each page.
std::vector<v1::Feedback> ListAll(const FeedbackStore& store, ListQuery query,
                                  std::vector<size_t>* page_sizes = nullptr) {
  std::vector<v1::Feedback> all;
  for (int pages = 0; pages < 10'000; ++pages) {
    absl::StatusOr<ListPage> page = store.List(query);
    EXPECT_OK(page);
    if (!page.ok()) return all;
    if (page_sizes != nullptr) page_sizes->push_back(page->items.size());
    all.insert(all.end(), page->items.begin(), page->items.end());
    if (page->next_cursor.empty()) return all;
    query.cursor = page->next_cursor;
  }
  ADD_FAILURE() << "List never returned an empty next_cursor";
  return all;
}

ListQuery AllTime(int limit = 1000) {
  ListQuery query;
  query.limit = limit;
  return query;
}

// Collects the results of GroupCommitWriter submissions; WaitFor blocks until n have arrived.
class ResultCollector {
 public:
  GroupCommitWriter::Done<SubmitOutcome> Callback() {
    return [this](absl::StatusOr<SubmitOutcome> result) {
      absl::MutexLock lock(&mutex_);
      results_.push_back(std::move(result));
    };
  }

  std::vector<absl::StatusOr<SubmitOutcome>> WaitFor(size_t n) {
    absl::MutexLock lock(&mutex_);
    wanted_ = n;
    mutex_.Await(absl::Condition(
        +[](ResultCollector* self) { return self->results_.size() >= self->wanted_; }, this));
    return results_;
  }

 private:
  absl::Mutex mutex_;
  std::vector<absl::StatusOr<SubmitOutcome>> results_;
  size_t wanted_ = 0;
};

// Runs body(i) for i in [0, threads) on that many threads, released together.
template <typename Body>
void RunConcurrently(int threads, Body body) {
  absl::Notification go;
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&go, &body, i] {
      go.WaitForNotification();
      body(i);
    });
  }
  go.Notify();
  for (std::thread& worker : workers) worker.join();
}

class FeedbackStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }

  void Open() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
        FeedbackStore::Open(StoreOptions{.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  // Commits `group` as one group; every item must be new.
  std::vector<v1::Feedback> CommitNew(std::vector<NewSubmission> group) {
    const size_t size = group.size();
    std::vector<absl::StatusOr<SubmitOutcome>> results =
        CommitSubmissions(*store_, std::move(group));
    EXPECT_EQ(results.size(), size);
    std::vector<v1::Feedback> records;
    for (absl::StatusOr<SubmitOutcome>& result : results) {
      EXPECT_OK(result);
      if (!result.ok()) continue;
      EXPECT_FALSE(result->duplicate) << result->record.ShortDebugString();
      records.push_back(std::move(result->record));
    }
    return records;
  }

  absl::StatusOr<SubmitOutcome> CommitOne(NewSubmission submission) {
    std::vector<absl::StatusOr<SubmitOutcome>> results =
        CommitSubmissions(*store_, One(std::move(submission)));
    EXPECT_EQ(results.size(), 1u);
    if (results.size() != 1) return absl::InternalError("CommitSubmissions: wrong result count");
    return std::move(results[0]);
  }

  size_t Count() const { return ListAll(*store_, AllTime()).size(); }

  TempDir dir_;
  std::unique_ptr<FeedbackStore> store_;
};

// ----------------------------------------------------------------------------------------------
// Storing and reading back

TEST_F(FeedbackStoreTest, CommitGroupStoresRecordsReadableWithGet) {
  const v1::Feedback first_sent = Sent(1, kBase, v1::SOURCE_FAMILY, v1::KIND_COMPLAINT);
  const v1::Feedback second_sent = Sent(2, kBase + absl::Hours(1));
  std::vector<NewSubmission> group;
  group.push_back(Prepare(first_sent));
  group.push_back(Prepare(second_sent));
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), 2u);

  for (const v1::Feedback& record : stored) {
    EXPECT_TRUE(IsRecordId(record.id())) << record.id();
    absl::StatusOr<v1::Feedback> read = store_->Get(record.id());
    ASSERT_OK(read);
    EXPECT_TRUE(SameRecord(*read, record));
  }
  EXPECT_NE(stored[0].id(), stored[1].id());

  // The stored record is what PrepareSubmission made, plus the id.
  v1::Feedback expected = Prepare(first_sent).record;
  expected.set_id(stored[0].id());
  EXPECT_TRUE(SameRecord(stored[0], expected));
  EXPECT_EQ(stored[0].complaint_stage(), v1::COMPLAINT_STAGE_1);
  EXPECT_THAT(stored[0].tags(), ::testing::ElementsAre("complaint"));
  EXPECT_EQ(stored[1].text(), second_sent.text());
}

// Ids sort in the order they were made, within a group and across groups (a new record's key
// is then the newest of its family), and keep their form: the prefix and 32 hex digits.
TEST_F(FeedbackStoreTest, IdsSortInTheOrderTheyWereMade) {
  std::vector<std::string> ids;
  for (int group = 0; group < 3; ++group) {
    std::vector<WriteOp> ops;
    for (int op = 0; op < 50; ++op) {
      ops.push_back([&ids](Transaction& txn) {
        ids.push_back(txn.NewId(layout::kRecordIdPrefix));
        return absl::OkStatus();
      });
    }
    for (const absl::Status& result : store_->Commit(std::move(ops))) ASSERT_OK(result);
  }
  ASSERT_EQ(ids.size(), 150u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  for (const std::string& id : ids) {
    EXPECT_THAT(id, MatchesRegex("fb_[0-9a-f]{32}"));
  }
  // The first 14 hex digits are when it was made, in Unix µs: about now.
  const int64_t made_micros = std::stoll(ids.back().substr(3, 14), nullptr, 16);
  EXPECT_LE(absl::AbsDuration(absl::FromUnixMicros(made_micros) - absl::Now()), absl::Minutes(1));
}

TEST_F(FeedbackStoreTest, GetOfAnUnknownIdIsNotFound) {
  ASSERT_OK(CommitOne(Prepare(Sent(1, kBase))));
  EXPECT_EQ(store_->Get("fb_00000000000000000000000000000000").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Get(Uuid(1)).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FeedbackStoreTest, AnEmptyGroupWritesNothing) {
  EXPECT_THAT(CommitSubmissions(*store_, {}), IsEmpty());
  EXPECT_EQ(Count(), 0u);
}

TEST_F(FeedbackStoreTest, ReopenKeepsRecordsAndTheIdempotencyIndex) {
  std::vector<v1::Feedback> sent;
  std::vector<NewSubmission> group;
  for (int i = 0; i < 5; ++i) {
    sent.push_back(Sent(i, kBase + absl::Minutes(i), v1::SOURCE_PARTNER_AGENCY));
    group.push_back(Prepare(sent.back()));
  }
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), 5u);
  const std::vector<std::string> listed_before = Ids(ListAll(*store_, AllTime()));

  ASSERT_NO_FATAL_FAILURE(Open());  // destroys the old store first

  for (const v1::Feedback& record : stored) {
    absl::StatusOr<v1::Feedback> read = store_->Get(record.id());
    ASSERT_OK(read);
    EXPECT_TRUE(SameRecord(*read, record));
  }
  EXPECT_THAT(Ids(ListAll(*store_, AllTime())), ElementsAreArray(listed_before));
  ListQuery by_source = AllTime();
  by_source.source = v1::SOURCE_PARTNER_AGENCY;
  EXPECT_THAT(Ids(ListAll(*store_, by_source)), ElementsAreArray(listed_before));

  // Same content again, received later: the original record, nothing written.
  absl::StatusOr<SubmitOutcome> again = CommitOne(Prepare(sent[2], kNow + absl::Hours(1)));
  ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate);
  EXPECT_TRUE(SameRecord(again->record, stored[2]));

  // Same submission_id, other content: refused.
  v1::Feedback changed = sent[3];
  changed.set_text("something else");
  EXPECT_EQ(CommitOne(Prepare(changed)).status().code(), absl::StatusCode::kAlreadyExists);

  EXPECT_EQ(Count(), 5u);
}

// ----------------------------------------------------------------------------------------------
// Idempotency

TEST_F(FeedbackStoreTest, SameSubmissionAgainInALaterGroupIsADuplicate) {
  const v1::Feedback sent = Sent(7, kBase);
  absl::StatusOr<SubmitOutcome> first = CommitOne(Prepare(sent));
  ASSERT_OK(first);
  EXPECT_FALSE(first->duplicate);

  absl::StatusOr<SubmitOutcome> second = CommitOne(Prepare(sent, kNow + absl::Seconds(5)));
  ASSERT_OK(second);
  EXPECT_TRUE(second->duplicate);
  EXPECT_TRUE(SameRecord(second->record, first->record));  // the first one, received_at included

  // The submission_id is case-insensitive (the ingest lower-cases it).
  v1::Feedback upper = sent;
  upper.set_submission_id(absl::AsciiStrToUpper(sent.submission_id()));
  absl::StatusOr<SubmitOutcome> third = CommitOne(Prepare(upper));
  ASSERT_OK(third);
  EXPECT_TRUE(third->duplicate);
  EXPECT_EQ(third->record.id(), first->record.id());

  EXPECT_EQ(Count(), 1u);
}

TEST_F(FeedbackStoreTest, SameSubmissionIdWithOtherContentInALaterGroupIsAlreadyExists) {
  const v1::Feedback sent = Sent(7, kBase);
  absl::StatusOr<SubmitOutcome> first = CommitOne(Prepare(sent));
  ASSERT_OK(first);

  v1::Feedback other_text = sent;
  other_text.set_text("a different text");
  EXPECT_EQ(CommitOne(Prepare(other_text)).status().code(), absl::StatusCode::kAlreadyExists);
  v1::Feedback other_time = sent;
  *other_time.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(Micros(kBase) + 1);
  EXPECT_EQ(CommitOne(Prepare(other_time)).status().code(), absl::StatusCode::kAlreadyExists);

  absl::StatusOr<v1::Feedback> stored = store_->Get(first->record.id());
  ASSERT_OK(stored);
  EXPECT_TRUE(SameRecord(*stored, first->record));
  EXPECT_EQ(Count(), 1u);
}

TEST_F(FeedbackStoreTest, RepeatsWithinOneGroupAreDecidedAgainstTheFirstOfTheGroup) {
  const v1::Feedback a = Sent(1, kBase);
  v1::Feedback a_changed = a;
  a_changed.set_text("changed");
  const v1::Feedback b = Sent(2, kBase + absl::Minutes(1));

  std::vector<NewSubmission> group;
  group.push_back(Prepare(a));
  group.push_back(Prepare(a));
  group.push_back(Prepare(b));
  group.push_back(Prepare(a_changed));
  group.push_back(Prepare(b));
  std::vector<absl::StatusOr<SubmitOutcome>> results = CommitSubmissions(*store_, std::move(group));
  ASSERT_EQ(results.size(), 5u);

  ASSERT_OK(results[0]);
  EXPECT_FALSE(results[0]->duplicate);
  ASSERT_OK(results[1]);
  EXPECT_TRUE(results[1]->duplicate);
  EXPECT_TRUE(SameRecord(results[1]->record, results[0]->record));
  ASSERT_OK(results[2]);
  EXPECT_FALSE(results[2]->duplicate);
  EXPECT_EQ(results[3].status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_OK(results[4]);
  EXPECT_TRUE(results[4]->duplicate);
  EXPECT_EQ(results[4]->record.id(), results[2]->record.id());

  const std::vector<v1::Feedback> listed = ListAll(*store_, AllTime());
  EXPECT_THAT(Ids(listed),
              UnorderedElementsAreArray({results[0]->record.id(), results[2]->record.id()}));
  absl::StatusOr<v1::Feedback> stored_a = store_->Get(results[0]->record.id());
  ASSERT_OK(stored_a);
  EXPECT_EQ(stored_a->text(), a.text());
}

TEST_F(FeedbackStoreTest, AConflictFirstInAGroupDoesNotStopALaterIdenticalRepeat) {
  const v1::Feedback a = Sent(1, kBase);
  absl::StatusOr<SubmitOutcome> first = CommitOne(Prepare(a));
  ASSERT_OK(first);
  v1::Feedback a_changed = a;
  a_changed.set_text("changed");

  std::vector<NewSubmission> group;
  group.push_back(Prepare(a_changed));
  group.push_back(Prepare(a));
  std::vector<absl::StatusOr<SubmitOutcome>> results = CommitSubmissions(*store_, std::move(group));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_OK(results[1]);
  EXPECT_TRUE(results[1]->duplicate);
  EXPECT_EQ(results[1]->record.id(), first->record.id());
  EXPECT_EQ(Count(), 1u);
}

// ----------------------------------------------------------------------------------------------
// Concurrency

TEST_F(FeedbackStoreTest, ConcurrentWriterSubmitsOfOneSubmissionStoreOneRecord) {
  constexpr int kThreads = 16;
  ResultCollector collector;  // outlives the writer
  GroupCommitWriter writer(store_.get());
  const v1::Feedback sent = Sent(42, kBase);
  std::vector<NewSubmission> submissions;
  for (int i = 0; i < kThreads; ++i) submissions.push_back(Prepare(sent));

  RunConcurrently(kThreads, [&](int i) {
    writer.Submit(StoreSubmissionOp(std::move(submissions[i])), collector.Callback());
  });
  const std::vector<absl::StatusOr<SubmitOutcome>> results = collector.WaitFor(kThreads);

  ASSERT_EQ(results.size(), static_cast<size_t>(kThreads));
  int fresh = 0;
  std::set<std::string> ids;
  for (const absl::StatusOr<SubmitOutcome>& result : results) {
    ASSERT_OK(result);
    if (!result->duplicate) ++fresh;
    ids.insert(result->record.id());
  }
  EXPECT_EQ(fresh, 1);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_THAT(Ids(ListAll(*store_, AllTime())), ElementsAreArray(ids));
}

TEST_F(FeedbackStoreTest, ConcurrentWriterSubmitsOfOneIdWithDifferentTextsStoreOnlyOne) {
  constexpr int kThreads = 16;
  ResultCollector collector;  // outlives the writer
  GroupCommitWriter writer(store_.get());
  std::vector<NewSubmission> submissions;
  for (int i = 0; i < kThreads; ++i) {
    v1::Feedback sent = Sent(42, kBase);
    sent.set_text(absl::StrCat("version ", i));
    submissions.push_back(Prepare(sent));
  }

  RunConcurrently(kThreads, [&](int i) {
    writer.Submit(StoreSubmissionOp(std::move(submissions[i])), collector.Callback());
  });
  const std::vector<absl::StatusOr<SubmitOutcome>> results = collector.WaitFor(kThreads);

  ASSERT_EQ(results.size(), static_cast<size_t>(kThreads));
  std::vector<v1::Feedback> accepted;
  int already_exists = 0;
  for (const absl::StatusOr<SubmitOutcome>& result : results) {
    if (result.ok()) {
      EXPECT_FALSE(result->duplicate);
      accepted.push_back(result->record);
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kAlreadyExists) << result.status();
      ++already_exists;
    }
  }
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(already_exists, kThreads - 1);
  const std::vector<v1::Feedback> listed = ListAll(*store_, AllTime());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(SameRecord(listed[0], accepted[0]));
}

TEST_F(FeedbackStoreTest, ConcurrentCommitGroupCallsOfOneSubmissionStoreOneRecord) {
  constexpr int kThreads = 8;
  const v1::Feedback sent = Sent(9, kBase);
  v1::Feedback changed = sent;
  changed.set_text("changed");
  // Each thread commits the submission twice in its group, and odd threads add a conflicting
  // version and an unrelated new item.
  std::vector<std::vector<NewSubmission>> groups(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    groups[i].push_back(Prepare(sent));
    if (i % 2 == 1) groups[i].push_back(Prepare(changed));
    groups[i].push_back(Prepare(sent));
    if (i % 2 == 1) groups[i].push_back(Prepare(Sent(100 + i, kBase + absl::Minutes(i))));
  }
  std::vector<std::vector<absl::StatusOr<SubmitOutcome>>> results(kThreads);

  RunConcurrently(kThreads,
                  [&](int i) { results[i] = CommitSubmissions(*store_, std::move(groups[i])); });

  int fresh = 0;
  std::set<std::string> ids;
  std::set<std::string> others;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_EQ(results[i].size(), i % 2 == 1 ? 4u : 2u);
    for (size_t k : {size_t{0}, i % 2 == 1 ? size_t{2} : size_t{1}}) {
      ASSERT_OK(results[i][k]);
      if (!results[i][k]->duplicate) ++fresh;
      ids.insert(results[i][k]->record.id());
    }
    if (i % 2 == 1) {
      EXPECT_EQ(results[i][1].status().code(), absl::StatusCode::kAlreadyExists);
      ASSERT_OK(results[i][3]);
      EXPECT_FALSE(results[i][3]->duplicate);
      others.insert(results[i][3]->record.id());
    }
  }
  EXPECT_EQ(fresh, 1);
  ASSERT_EQ(ids.size(), 1u);
  others.insert(*ids.begin());
  EXPECT_THAT(Ids(ListAll(*store_, AllTime())), UnorderedElementsAreArray(others));
}

// ----------------------------------------------------------------------------------------------
// Atomic groups: each record is written together with all its index entries.

TEST_F(FeedbackStoreTest, EveryRecordOfAGroupIsListedByEveryDimension) {
  struct Spec {
    v1::Source source;
    v1::Kind kind;
    std::vector<std::string> extra_tags;
  };
  const std::vector<Spec> specs = {
      {v1::SOURCE_CHILD, v1::KIND_COMPLIMENT, {"alpha"}},
      {v1::SOURCE_FAMILY, v1::KIND_COMPLAINT, {"alpha", "beta"}},
      {v1::SOURCE_PARTNER_AGENCY, v1::KIND_COMMENT, {}},
      {v1::SOURCE_ADVOCATE, v1::KIND_CHILD_STATEMENT, {"beta", "with space", "ünïcode"}},
      {v1::SOURCE_CHILD, v1::KIND_COMPLAINT, {"beta"}},
  };
  std::vector<NewSubmission> group;
  for (size_t i = 0; i < specs.size(); ++i) {
    NewSubmission submission = Prepare(
        Sent(static_cast<int>(i), kBase + absl::Minutes(i), specs[i].source, specs[i].kind));
    for (const std::string& tag : specs[i].extra_tags) submission.record.add_tags(tag);
    group.push_back(std::move(submission));
  }
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), specs.size());

  const std::vector<std::string> all = Ids(ListAll(*store_, AllTime()));
  for (const v1::Feedback& record : stored) {
    SCOPED_TRACE(record.ShortDebugString());
    EXPECT_THAT(all, ::testing::Contains(record.id()));
    ListQuery by_source = AllTime();
    by_source.source = record.source();
    EXPECT_THAT(Ids(ListAll(*store_, by_source)), ::testing::Contains(record.id()));
    ListQuery by_kind = AllTime();
    by_kind.kind = record.kind();
    EXPECT_THAT(Ids(ListAll(*store_, by_kind)), ::testing::Contains(record.id()));
    ASSERT_GE(record.tags_size(), 1);
    for (const std::string& tag : record.tags()) {
      ListQuery by_tag = AllTime();
      by_tag.tag = tag;
      EXPECT_THAT(Ids(ListAll(*store_, by_tag)), ::testing::Contains(record.id())) << tag;
      ListQuery by_everything = by_tag;
      by_everything.source = record.source();
      by_everything.kind = record.kind();
      EXPECT_THAT(Ids(ListAll(*store_, by_everything)), ::testing::Contains(record.id())) << tag;
    }
  }
  EXPECT_THAT(all, UnorderedElementsAreArray(Ids(stored)));
}

TEST_F(FeedbackStoreTest, AGroupWithConflictsStillStoresAndIndexesItsValidItems) {
  const v1::Feedback existing = Sent(1, kBase);
  absl::StatusOr<SubmitOutcome> first = CommitOne(Prepare(existing));
  ASSERT_OK(first);
  v1::Feedback conflicting = existing;
  conflicting.set_text("conflict");

  std::vector<NewSubmission> group;
  group.push_back(Prepare(Sent(2, kBase + absl::Minutes(2), v1::SOURCE_FAMILY)));
  group.push_back(Prepare(conflicting));
  group.push_back(
      Prepare(Sent(3, kBase + absl::Minutes(3), v1::SOURCE_ADVOCATE, v1::KIND_CHILD_STATEMENT)));
  group.push_back(Prepare(existing));
  std::vector<absl::StatusOr<SubmitOutcome>> results = CommitSubmissions(*store_, std::move(group));
  ASSERT_EQ(results.size(), 4u);
  ASSERT_OK(results[0]);
  EXPECT_FALSE(results[0]->duplicate);
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_OK(results[2]);
  EXPECT_FALSE(results[2]->duplicate);
  ASSERT_OK(results[3]);
  EXPECT_TRUE(results[3]->duplicate);
  EXPECT_EQ(results[3]->record.id(), first->record.id());

  EXPECT_THAT(
      Ids(ListAll(*store_, AllTime())),
      ElementsAreArray({results[2]->record.id(), results[0]->record.id(), first->record.id()}));
  for (size_t i : {size_t{0}, size_t{2}}) {
    const v1::Feedback& record = results[i]->record;
    absl::StatusOr<v1::Feedback> read = store_->Get(record.id());
    ASSERT_OK(read);
    EXPECT_TRUE(SameRecord(*read, record));
    ListQuery query = AllTime();
    query.source = record.source();
    query.kind = record.kind();
    query.tag = KindTag(record.kind());
    EXPECT_THAT(Ids(ListAll(*store_, query)), ElementsAreArray({record.id()}));
  }
}

TEST_F(FeedbackStoreTest, AFailedOperationOfAGroupIsRolledBackAndInvisibleToLaterOnes) {
  const v1::Feedback a = Sent(1, kBase);
  const v1::Feedback b = Sent(2, kBase + absl::Minutes(1));
  v1::Feedback b_changed = b;
  b_changed.set_text("changed");
  std::vector<TypedWriteOp<SubmitOutcome>> ops;
  ops.push_back(StoreSubmissionOp(Prepare(a)));
  // Stages b completely, then fails: none of it may be written or seen by the next op.
  std::string b_failed_id;
  ops.push_back([&b_failed_id, op = StoreSubmissionOp(Prepare(b))](
                    Transaction& txn) mutable -> absl::StatusOr<SubmitOutcome> {
    absl::StatusOr<SubmitOutcome> staged = std::move(op)(txn);
    if (!staged.ok()) return staged;
    b_failed_id = staged->record.id();
    return absl::AbortedError("fails after staging");
  });
  ops.push_back(StoreSubmissionOp(Prepare(b_changed)));
  std::vector<absl::StatusOr<SubmitOutcome>> results = CommitAll(*store_, std::move(ops));

  ASSERT_EQ(results.size(), 3u);
  ASSERT_OK(results[0]);
  EXPECT_EQ(results[1].status().code(), absl::StatusCode::kAborted);
  ASSERT_OK(results[2]);
  const SubmitOutcome& outcome_a = *results[0];
  const SubmitOutcome& outcome_b = *results[2];
  EXPECT_FALSE(outcome_b.duplicate);  // b's idempotency key was rolled back
  EXPECT_EQ(outcome_b.record.text(), "changed");
  ASSERT_TRUE(IsRecordId(b_failed_id));
  EXPECT_EQ(store_->Get(b_failed_id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Ids(ListAll(*store_, AllTime())),
              ElementsAreArray({outcome_b.record.id(), outcome_a.record.id()}));
  ListQuery by_tag = AllTime();
  by_tag.tag = "comment";
  EXPECT_THAT(Ids(ListAll(*store_, by_tag)),
              ElementsAreArray({outcome_b.record.id(), outcome_a.record.id()}));
}

// A failed op may overwrite or delete what an earlier op of its group staged: the ops after it
// read, and the group writes, the earlier op's values.
TEST_F(FeedbackStoreTest, AFailedOpThatOverwroteAnEarlierOpsWritesLeavesThemAsTheyWere) {
  std::vector<WriteOp> setup;
  setup.push_back([](Transaction& txn) { return txn.PutEntity("e:kept", "stored"); });
  const std::vector<absl::Status> set_up = store_->Commit(std::move(setup));
  ASSERT_EQ(set_up.size(), 1u);
  ASSERT_OK(set_up[0]);

  std::optional<std::string> seen_staged, seen_kept, seen_new;
  std::vector<WriteOp> ops;
  ops.push_back([](Transaction& txn) { return txn.PutEntity("e:staged", "first"); });
  ops.push_back([](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.PutEntity("e:staged", "second"));
    RETURN_IF_ERROR(txn.PutEntity("e:staged", "third"));
    RETURN_IF_ERROR(txn.DeleteEntity("e:kept"));
    RETURN_IF_ERROR(txn.PutEntity("e:new", "never"));
    return absl::AbortedError("fails after staging");
  });
  ops.push_back([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(seen_staged, txn.FindEntity("e:staged"));
    ASSIGN_OR_RETURN(seen_kept, txn.FindEntity("e:kept"));
    ASSIGN_OR_RETURN(seen_new, txn.FindEntity("e:new"));
    return absl::OkStatus();
  });
  const std::vector<absl::Status> results = store_->Commit(std::move(ops));

  ASSERT_EQ(results.size(), 3u);
  EXPECT_OK(results[0]);
  EXPECT_EQ(results[1].code(), absl::StatusCode::kAborted);
  EXPECT_OK(results[2]);
  EXPECT_EQ(seen_staged, "first");
  EXPECT_EQ(seen_kept, "stored");
  EXPECT_EQ(seen_new, std::nullopt);
  EXPECT_EQ(store_->GetEntity("e:staged").value_or("absent"), "first");
  EXPECT_EQ(store_->GetEntity("e:kept").value_or("absent"), "stored");
  EXPECT_EQ(store_->GetEntity("e:new").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FeedbackStoreTest, CountersOfAGroupAddUpAndAFailedOpCountsNothing) {
  std::vector<WriteOp> ops;
  ops.push_back([](Transaction& txn) { return txn.AddToCounter("c:a", 2); });
  ops.push_back([](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.AddToCounter("c:a", 100));
    RETURN_IF_ERROR(txn.AddToCounter("c:failed", 1));
    return absl::AbortedError("fails after counting");
  });
  ops.push_back([](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.AddToCounter("c:a", 3));
    RETURN_IF_ERROR(txn.AddToCounter("c:b", -1));
    return txn.AddToCounter("c:zero", 5);
  });
  ops.push_back([](Transaction& txn) { return txn.AddToCounter("c:zero", -5); });
  const std::vector<absl::Status> results = store_->Commit(std::move(ops));
  ASSERT_EQ(results.size(), 4u);
  EXPECT_OK(results[0]);
  EXPECT_EQ(results[1].code(), absl::StatusCode::kAborted);
  EXPECT_OK(results[2]);
  EXPECT_OK(results[3]);
  // A second group adds to what the first stored.
  std::vector<WriteOp> more;
  more.push_back([](Transaction& txn) { return txn.AddToCounter("c:b", 4); });
  const std::vector<absl::Status> more_results = store_->Commit(std::move(more));
  ASSERT_OK(more_results.front());

  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> counters =
      store_->ReadCounters("c:");
  ASSERT_OK(counters);
  // c:zero summed to nothing within the group, so nothing of it was written.
  EXPECT_THAT(*counters, UnorderedElementsAreArray(
                             std::vector<std::pair<std::string, int64_t>>{{"c:a", 5}, {"c:b", 3}}));
}

// A store that opens again reads each counter's total from the disk the first time it adds to
// it, and goes on from there.
TEST_F(FeedbackStoreTest, CountersAddToWhatWasStoredBeforeAReopen) {
  auto add = [&](std::string key, int64_t delta) {
    std::vector<WriteOp> ops;
    ops.push_back([key, delta](Transaction& txn) { return txn.AddToCounter(key, delta); });
    const std::vector<absl::Status> results = store_->Commit(std::move(ops));
    ASSERT_EQ(results.size(), 1u);
    ASSERT_OK(results.front());
  };
  ASSERT_NO_FATAL_FAILURE(add("c:a", 7));
  ASSERT_NO_FATAL_FAILURE(add("c:a", 1));
  ASSERT_NO_FATAL_FAILURE(Open());  // destroys the old store first
  ASSERT_NO_FATAL_FAILURE(add("c:a", 2));
  ASSERT_NO_FATAL_FAILURE(add("c:b", 4));
  ASSERT_NO_FATAL_FAILURE(Open());
  ASSERT_NO_FATAL_FAILURE(add("c:b", -1));

  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> counters =
      store_->ReadCounters("c:");
  ASSERT_OK(counters);
  EXPECT_THAT(*counters, UnorderedElementsAreArray(std::vector<std::pair<std::string, int64_t>>{
                             {"c:a", 10}, {"c:b", 3}}));
}

// An op that reads record `id` (as the group has it so far), gives it `tags` and stores it
// again; with `fail`, it then fails.
WriteOp Retag(const std::string& id, std::vector<std::string> tags, bool fail = false) {
  return [id, tags = std::move(tags), fail](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<v1::Feedback> previous, txn.FindFeedback(id));
    if (!previous.has_value()) return absl::NotFoundError(id);
    v1::Feedback next = *previous;
    next.clear_tags();
    for (const std::string& tag : tags) next.add_tags(tag);
    RETURN_IF_ERROR(txn.PutFeedback(next, &*previous));
    return fail ? absl::AbortedError("fails after retagging") : absl::OkStatus();
  };
}

TEST_F(FeedbackStoreTest, ARecordRetaggedTwiceInOneGroupIsListedUnderItsLastTagsOnly) {
  absl::StatusOr<SubmitOutcome> stored = CommitOne(Prepare(Sent(1, kBase)));
  ASSERT_OK(stored);
  const std::string id = stored->record.id();
  std::vector<WriteOp> ops;
  ops.push_back(Retag(id, {"comment", "first_theme"}));
  ops.push_back(Retag(id, {"comment", "last_theme"}));
  // Had its writes stayed, this one would have taken the record out of "comment".
  ops.push_back(Retag(id, {"rolled_back_theme"}, /*fail=*/true));
  const std::vector<absl::Status> results = store_->Commit(std::move(ops));
  ASSERT_EQ(results.size(), 3u);
  ASSERT_OK(results[0]);
  ASSERT_OK(results[1]);
  EXPECT_EQ(results[2].code(), absl::StatusCode::kAborted);

  absl::StatusOr<v1::Feedback> read = store_->Get(id);
  ASSERT_OK(read);
  EXPECT_THAT(read->tags(), ElementsAreArray({"comment", "last_theme"}));
  const auto listed_by_tag = [this](std::string tag) {
    ListQuery query = AllTime();
    query.tag = std::move(tag);
    return Ids(ListAll(*store_, query));
  };
  EXPECT_THAT(listed_by_tag("last_theme"), ElementsAreArray({id}));
  // Each retag deletes the entries of the version before it and puts its own, in that order.
  EXPECT_THAT(listed_by_tag("comment"), ElementsAreArray({id}));
  EXPECT_THAT(listed_by_tag("first_theme"), IsEmpty());
  EXPECT_THAT(listed_by_tag("rolled_back_theme"), IsEmpty());
  EXPECT_THAT(Ids(ListAll(*store_, AllTime())), ElementsAreArray({id}));
}

// ----------------------------------------------------------------------------------------------
// List

TEST_F(FeedbackStoreTest, ListIsNewestOccurredAtFirst) {
  // Committed out of time order, over several groups.
  const std::vector<int> minutes = {30, 5, 50, 0, 45, 10, 59, 20, 1, 35};
  std::vector<NewSubmission> group;
  for (size_t i = 0; i < minutes.size(); ++i) {
    group.push_back(Prepare(Sent(static_cast<int>(i), kBase + absl::Minutes(minutes[i]))));
    if (group.size() == 3) CommitNew(std::exchange(group, {}));
  }
  CommitNew(std::move(group));

  const std::vector<v1::Feedback> listed = ListAll(*store_, AllTime());
  ASSERT_EQ(listed.size(), minutes.size());
  for (size_t i = 1; i < listed.size(); ++i) {
    EXPECT_GT(OccurredMicros(listed[i - 1]), OccurredMicros(listed[i])) << i;
  }
  EXPECT_EQ(OccurredMicros(listed.front()), Micros(kBase + absl::Minutes(59)));
  EXPECT_EQ(OccurredMicros(listed.back()), Micros(kBase));
}

TEST_F(FeedbackStoreTest, ListRespectsTimeBoundsToTheMicrosecond) {
  const absl::Time from = kBase + absl::Hours(5);
  const absl::Time to = from + absl::Seconds(1);
  const absl::Duration us = absl::Microseconds(1);
  const std::vector<absl::Time> times = {from - us, from, from + us, to - us, to, to + us};
  std::vector<NewSubmission> group;
  for (size_t i = 0; i < times.size(); ++i) {
    group.push_back(Prepare(Sent(static_cast<int>(i), times[i])));
  }
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), times.size());

  auto listed_times = [&](int64_t from_micros, int64_t to_micros) {
    ListQuery query = AllTime();
    query.from_micros = from_micros;
    query.to_micros = to_micros;
    std::vector<int64_t> result;
    for (const v1::Feedback& record : ListAll(*store_, query)) {
      result.push_back(OccurredMicros(record));
    }
    return result;
  };
  using ::testing::ElementsAre;
  EXPECT_THAT(listed_times(Micros(from), Micros(to)),
              ElementsAre(Micros(to - us), Micros(from + us), Micros(from)));
  EXPECT_THAT(listed_times(Micros(from), Micros(from) + 1), ElementsAre(Micros(from)));
  EXPECT_THAT(listed_times(Micros(from), Micros(from)), IsEmpty());
  EXPECT_THAT(listed_times(Micros(to), Micros(from)), IsEmpty());
  EXPECT_THAT(listed_times(Micros(to), std::numeric_limits<int64_t>::max()),
              ElementsAre(Micros(to + us), Micros(to)));
  EXPECT_THAT(listed_times(std::numeric_limits<int64_t>::min(), Micros(from)),
              ElementsAre(Micros(from - us)));
  EXPECT_THAT(listed_times(Micros(from - us), Micros(to + us) + 1), ::testing::SizeIs(6));

  // The same bounds through a filtered dimension.
  ListQuery by_tag = AllTime();
  by_tag.tag = "comment";
  by_tag.from_micros = Micros(from);
  by_tag.to_micros = Micros(to);
  EXPECT_THAT(ListAll(*store_, by_tag), ::testing::SizeIs(3));
}

// [from, to) with to = the smallest int64 is empty whatever `from` is.
TEST_F(FeedbackStoreTest, ListOfARangeEndingAtTheMinimumTimeIsEmpty) {
  ASSERT_OK(CommitOne(Prepare(Sent(1, kBase))));
  ListQuery query = AllTime();
  query.to_micros = std::numeric_limits<int64_t>::min();
  absl::StatusOr<ListPage> page = store_->List(query);
  ASSERT_OK(page);
  EXPECT_THAT(Ids(page->items), IsEmpty());
}

class FeedbackStoreFilterTest : public FeedbackStoreTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FeedbackStoreTest::SetUp());
    constexpr v1::Source kSources[] = {v1::SOURCE_CHILD, v1::SOURCE_FAMILY,
                                       v1::SOURCE_PARTNER_AGENCY, v1::SOURCE_ADVOCATE};
    constexpr v1::Kind kKinds[] = {v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT, v1::KIND_COMMENT,
                                   v1::KIND_CHILD_STATEMENT};
    // 40 items: every source x kind pair, "even" tagged on every other one, times interleaved
    // so that each filter's matches are spread over the whole range; committed in 4 groups.
    std::vector<NewSubmission> group;
    for (int i = 0; i < 40; ++i) {
      NewSubmission submission = Prepare(
          Sent(i, kBase + absl::Minutes((i * 7) % 40), kSources[i % 4], kKinds[(i / 4) % 4]));
      if (i % 2 == 0) submission.record.add_tags("even");
      // Another kind's tag as a theme (a lexicon may name one so): listed by that tag with the
      // items of that kind.
      if (i % 5 == 1 && submission.record.kind() != v1::KIND_COMPLIMENT) {
        submission.record.add_tags("compliment");
      }
      group.push_back(std::move(submission));
      if (group.size() == 10) {
        std::vector<v1::Feedback> stored = CommitNew(std::exchange(group, {}));
        all_.insert(all_.end(), stored.begin(), stored.end());
      }
    }
    ASSERT_EQ(all_.size(), 40u);
  }

  std::vector<v1::Feedback> all_;
};

TEST_F(FeedbackStoreFilterTest, FiltersBySourceKindAndTagCombined) {
  const v1::Source sources[] = {v1::SOURCE_UNSPECIFIED, v1::SOURCE_CHILD, v1::SOURCE_ADVOCATE};
  const v1::Kind kinds[] = {v1::KIND_UNSPECIFIED, v1::KIND_COMPLAINT, v1::KIND_COMMENT};
  const std::string tags[] = {"", "even", "complaint", "compliment", "no-such-tag"};
  for (v1::Source source : sources) {
    for (v1::Kind kind : kinds) {
      for (const std::string& tag : tags) {
        for (int64_t from :
             {std::numeric_limits<int64_t>::min(), Micros(kBase + absl::Minutes(10))}) {
          ListQuery query = AllTime();
          query.source = source;
          query.kind = kind;
          query.tag = tag;
          query.from_micros = from;
          SCOPED_TRACE(
              absl::StrCat("source=", source, " kind=", kind, " tag=", tag, " from=", from));
          const std::vector<std::string> expected = ExpectedIds(all_, query);
          EXPECT_THAT(Ids(ListAll(*store_, query)), ElementsAreArray(expected));
          query.limit = 2;  // also page through filtered results
          EXPECT_THAT(Ids(ListAll(*store_, query)), ElementsAreArray(expected));
        }
      }
    }
  }
  // Sanity: the data set exercises non-trivial combinations.
  ListQuery query = AllTime();
  query.source = v1::SOURCE_CHILD;
  query.kind = v1::KIND_COMPLAINT;
  query.tag = "even";
  EXPECT_THAT(ExpectedIds(all_, query), ::testing::SizeIs(::testing::Gt(0u)));
  query = AllTime();
  query.tag = "compliment";
  query.kind = v1::KIND_COMMENT;
  EXPECT_THAT(ExpectedIds(all_, query), ::testing::SizeIs(::testing::Gt(0u)));
}

TEST_F(FeedbackStoreFilterTest, PagesConcatenateToTheFullListWithoutGapsOrRepeats) {
  const std::vector<std::string> full = ExpectedIds(all_, AllTime());
  ASSERT_EQ(full.size(), 40u);
  for (int limit : {1, 3, 7, 10, 39, 40, 41, 500}) {
    SCOPED_TRACE(absl::StrCat("limit=", limit));
    std::vector<size_t> page_sizes;
    const std::vector<v1::Feedback> listed = ListAll(*store_, AllTime(limit), &page_sizes);
    EXPECT_THAT(Ids(listed), ElementsAreArray(full));
    // Full pages until the last, which is the only one with an empty next_cursor (ListAll stops
    // there); no trailing empty page when the count is a multiple of the limit.
    const size_t pages = (full.size() + limit - 1) / limit;
    ASSERT_EQ(page_sizes.size(), pages);
    for (size_t i = 0; i + 1 < pages; ++i) EXPECT_EQ(page_sizes[i], static_cast<size_t>(limit));
    EXPECT_EQ(page_sizes.back(), full.size() - (pages - 1) * limit);
  }
}

// The time index is read from the memtable and from the tables a flush wrote, one dimension at
// a time: with half the items flushed (the store reopened: a clean close flushes) and half in
// the memtable, spread over the same times, every filter still lists exactly its items, newest
// first, page after page, and dimensions that sort next to each other do not leak into each
// other's lists.
TEST_F(FeedbackStoreTest, ListsReadFlushedAndUnflushedEntriesOfEachDimensionTogether) {
  constexpr v1::Source kSources[] = {v1::SOURCE_CHILD, v1::SOURCE_FAMILY, v1::SOURCE_ADVOCATE};
  constexpr v1::Kind kKinds[] = {v1::KIND_COMPLIMENT, v1::KIND_COMPLAINT, v1::KIND_COMMENT};
  const std::string kTags[] = {"a", "ab", "b"};  // "a" and "ab": neighbouring dimensions
  std::vector<v1::Feedback> all;
  std::vector<NewSubmission> group;
  for (int i = 0; i < 60; ++i) {
    NewSubmission submission =
        Prepare(Sent(i, kBase + absl::Minutes((i * 7) % 60), kSources[i % 3], kKinds[(i / 3) % 3]));
    submission.record.add_tags(kTags[i % 3]);
    if (i % 4 == 0) submission.record.add_tags(kTags[(i + 1) % 3]);
    group.push_back(std::move(submission));
    if (group.size() < 15) continue;
    std::vector<v1::Feedback> stored = CommitNew(std::exchange(group, {}));
    all.insert(all.end(), stored.begin(), stored.end());
    if (all.size() == 30) {
      ASSERT_NO_FATAL_FAILURE(Open());  // the first 30 go to tables
    }
  }
  ASSERT_EQ(all.size(), 60u);
  std::vector<ListQuery> queries = {AllTime(3)};
  auto add_query = [&] { return &queries.emplace_back(AllTime(3)); };
  for (v1::Source source : kSources) add_query()->source = source;
  for (v1::Kind kind : kKinds) add_query()->kind = kind;
  for (const std::string& tag : kTags) add_query()->tag = tag;
  ListQuery bounded = AllTime(3);
  bounded.tag = "ab";
  bounded.from_micros = Micros(kBase + absl::Minutes(10));
  bounded.to_micros = Micros(kBase + absl::Minutes(50));
  queries.push_back(bounded);
  for (const ListQuery& query : queries) {
    SCOPED_TRACE(absl::StrCat("source=", query.source, " kind=", query.kind, " tag=", query.tag,
                              " from=", query.from_micros));
    const std::vector<std::string> expected = ExpectedIds(all, query);
    ASSERT_THAT(expected, ::testing::SizeIs(::testing::Gt(3u)));
    EXPECT_THAT(Ids(ListAll(*store_, query)), ElementsAreArray(expected));
  }
}

TEST_F(FeedbackStoreTest, PagingThroughItemsWithTheSameOccurredAtMissesNone) {
  std::vector<NewSubmission> group;
  for (int i = 0; i < 12; ++i) group.push_back(Prepare(Sent(i, kBase)));
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), 12u);
  std::vector<size_t> page_sizes;
  EXPECT_THAT(Ids(ListAll(*store_, AllTime(5), &page_sizes)),
              UnorderedElementsAreArray(Ids(stored)));
  EXPECT_THAT(page_sizes, ::testing::ElementsAre(5u, 5u, 2u));
}

TEST_F(FeedbackStoreTest, ACursorIgnoresNewerItemsAndFindsOlderOnesCommittedBetweenPages) {
  // Items at minutes 10..19; pages of 4.
  std::vector<NewSubmission> group;
  for (int m = 10; m < 20; ++m) group.push_back(Prepare(Sent(m, kBase + absl::Minutes(m))));
  std::vector<v1::Feedback> all = CommitNew(std::move(group));
  ASSERT_EQ(all.size(), 10u);

  absl::StatusOr<ListPage> first = store_->List(AllTime(4));
  ASSERT_OK(first);
  ASSERT_EQ(first->items.size(), 4u);  // minutes 19, 18, 17, 16
  ASSERT_FALSE(first->next_cursor.empty());
  EXPECT_EQ(OccurredMicros(first->items.back()), Micros(kBase + absl::Minutes(16)));

  // Between pages: newer items (after the cursor's position in time, including one between
  // already-returned items) and older ones (one between pending items, one before them all).
  std::vector<NewSubmission> between;
  between.push_back(Prepare(Sent(100, kBase + absl::Minutes(30))));
  between.push_back(Prepare(Sent(101, kBase + absl::Minutes(17) + absl::Seconds(30))));
  between.push_back(Prepare(Sent(102, kBase + absl::Minutes(16) + absl::Microseconds(1))));
  between.push_back(Prepare(Sent(103, kBase + absl::Minutes(14) + absl::Seconds(30))));
  between.push_back(Prepare(Sent(104, kBase + absl::Minutes(1))));
  between.push_back(Prepare(Sent(105, kBase + absl::Minutes(16) - absl::Microseconds(1))));
  const std::vector<v1::Feedback> added = CommitNew(std::move(between));
  ASSERT_EQ(added.size(), 6u);

  ListQuery rest = AllTime(4);
  rest.cursor = first->next_cursor;
  std::vector<int64_t> rest_times;
  for (const v1::Feedback& record : ListAll(*store_, rest)) {
    rest_times.push_back(OccurredMicros(record));
  }
  EXPECT_THAT(rest_times, ::testing::ElementsAre(
                              Micros(kBase + absl::Minutes(16) - absl::Microseconds(1)),
                              Micros(kBase + absl::Minutes(15)),
                              Micros(kBase + absl::Minutes(14) + absl::Seconds(30)),
                              Micros(kBase + absl::Minutes(14)), Micros(kBase + absl::Minutes(13)),
                              Micros(kBase + absl::Minutes(12)), Micros(kBase + absl::Minutes(11)),
                              Micros(kBase + absl::Minutes(10)), Micros(kBase + absl::Minutes(1))));
}

TEST_F(FeedbackStoreTest, TheLastPageHasAnEmptyNextCursor) {
  std::vector<NewSubmission> group;
  for (int i = 0; i < 3; ++i) group.push_back(Prepare(Sent(i, kBase + absl::Minutes(i))));
  ASSERT_EQ(CommitNew(std::move(group)).size(), 3u);

  absl::StatusOr<ListPage> exact = store_->List(AllTime(3));
  ASSERT_OK(exact);
  EXPECT_EQ(exact->items.size(), 3u);
  EXPECT_EQ(exact->next_cursor, "");

  absl::StatusOr<ListPage> first = store_->List(AllTime(2));
  ASSERT_OK(first);
  ASSERT_NE(first->next_cursor, "");
  ListQuery second_query = AllTime(2);
  second_query.cursor = first->next_cursor;
  absl::StatusOr<ListPage> second = store_->List(second_query);
  ASSERT_OK(second);
  EXPECT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->next_cursor, "");

  ListQuery none = AllTime(2);
  none.kind = v1::KIND_COMPLAINT;
  absl::StatusOr<ListPage> empty = store_->List(none);
  ASSERT_OK(empty);
  EXPECT_THAT(empty->items, IsEmpty());
  EXPECT_EQ(empty->next_cursor, "");
}

TEST_F(FeedbackStoreTest, ListRejectsAShortGarbageCursor) {
  ASSERT_OK(CommitOne(Prepare(Sent(1, kBase))));
  ListQuery query = AllTime();
  query.cursor = "abc";
  EXPECT_EQ(store_->List(query).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FeedbackStoreTest, ListRejectsALongGarbageCursor) {
  ASSERT_OK(CommitOne(Prepare(Sent(1, kBase))));
  absl::StatusOr<ListPage> real = store_->List(AllTime(1));
  ASSERT_OK(real);
  ASSERT_EQ(real->next_cursor, "");

  // Not cursors this store produced: it produces <8-byte inverted time><"fb_" + 32 hex>.
  for (const std::string& garbage : {std::string("this is not a page cursor"),
                                     std::string(8 + 35, 'x'), std::string(8 + 35, '\0')}) {
    ListQuery query = AllTime();
    query.cursor = garbage;
    absl::StatusOr<ListPage> page = store_->List(query);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << "cursor of " << garbage.size() << " bytes: "
        << (page.ok() ? absl::StrCat("OK with ", page->items.size(), " items")
                      : page.status().ToString());
  }
}

// ----------------------------------------------------------------------------------------------
// The time index's entries on disk, read and written past the store (closed meanwhile).

// Opens the store's files in `data_dir` with RocksDB alone, every family with default options.
struct RawStore {
  explicit RawStore(const std::string& data_dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies({}, data_dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* opened = nullptr;
    const rocksdb::Status status =
        rocksdb::DB::Open(rocksdb::DBOptions(), data_dir, families, &handles, &opened);
    EXPECT_TRUE(status.ok()) << status.ToString();
    db.reset(opened);
    for (size_t i = 0; i < handles.size(); ++i) {
      if (names[i] == layout::kTimeIndexFamily) time_index = handles[i];
      if (names[i] == layout::kRecordsFamily) records = handles[i];
    }
  }
  ~RawStore() {
    if (db == nullptr) return;
    EXPECT_TRUE(db->Flush(rocksdb::FlushOptions(), handles).ok());
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    }
    EXPECT_TRUE(db->Close().ok());
  }

  std::vector<std::string> TimeIndexKeys() const {
    std::vector<std::string> keys;
    if (time_index == nullptr) return keys;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), time_index));
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
    EXPECT_TRUE(it->status().ok());
    return keys;
  }

  // The compression each table file of `family` names ("LZ4", "Snappy"), by file.
  std::map<std::string, std::string> TableCompressions(rocksdb::ColumnFamilyHandle* family) const {
    rocksdb::TablePropertiesCollection tables;
    EXPECT_TRUE(db->GetPropertiesOfAllTables(family, &tables).ok());
    std::map<std::string, std::string> compressions;
    for (const auto& [file, properties] : tables) compressions[file] = properties->compression_name;
    return compressions;
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle* time_index = nullptr;
  rocksdb::ColumnFamilyHandle* records = nullptr;
  std::unique_ptr<rocksdb::DB> db;
};

std::string IndexSuffix(const v1::Feedback& record) {
  return layout::InvertedTime(OccurredMicros(record)) + record.id();
}

std::string EntryKey(const v1::Feedback& record) {
  return layout::DimensionKind(record.kind()) + IndexSuffix(record);
}

// One entry an item, under its kind, whose value holds the item's source and tags: a list by
// source or tag filters on it, reading only the records it returns (the filter tests show the
// lists). Until 2026-12-05 a typical submission had six entries, one per source and tag.
TEST_F(FeedbackStoreTest, AnItemHasOneEntryUnderItsKindHoldingItsSourceAndTags) {
  NewSubmission submission =
      Prepare(Sent(1, kBase, v1::SOURCE_FAMILY, v1::KIND_COMPLAINT));  // tagged "complaint"
  submission.record.add_tags("listened_to");
  const std::vector<v1::Feedback> stored = CommitNew(One(std::move(submission)));
  ASSERT_EQ(stored.size(), 1u);
  ASSERT_THAT(stored[0].tags(), ElementsAreArray({"complaint", "listened_to"}));
  store_.reset();

  RawStore raw(dir_.Sub("data"));
  EXPECT_THAT(raw.TimeIndexKeys(), ElementsAreArray({EntryKey(stored[0])}));
  std::string value;
  ASSERT_TRUE(
      raw.db->Get(rocksdb::ReadOptions(), raw.time_index, EntryKey(stored[0]), &value).ok());
  const std::optional<layout::Facets> facets = layout::DecodeFacets(value);
  ASSERT_TRUE(facets.has_value()) << absl::CHexEscape(value);
  EXPECT_EQ(facets->source, v1::SOURCE_FAMILY);
  EXPECT_THAT(facets->TagList(), ElementsAreArray({"complaint", "listened_to"}));
}

// Stores of earlier layouts hold, for each item, entries for every item ("A"), its source and
// each of its tags, and an entry under its kind with no facets. Lists show each item once all
// the same, filtered by its record, and a change to an item leaves it only its one entry.
TEST_F(FeedbackStoreTest, AStoreOfEarlierLayoutsListsEachItemOnceAndAChangeDeletesItsOldEntries) {
  std::vector<NewSubmission> group;
  group.push_back(Prepare(Sent(1, kBase, v1::SOURCE_FAMILY, v1::KIND_COMPLAINT)));
  group.push_back(Prepare(Sent(2, kBase + absl::Minutes(1), v1::SOURCE_CHILD, v1::KIND_COMMENT)));
  group.push_back(
      Prepare(Sent(3, kBase + absl::Minutes(2), v1::SOURCE_CHILD, v1::KIND_COMPLIMENT)));
  group[1].record.add_tags("listened_to");
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), 3u);
  store_.reset();
  const auto legacy_keys = [](const v1::Feedback& record) {
    std::vector<std::string> keys = {
        layout::DimensionAll() + IndexSuffix(record),
        layout::DimensionSource(record.source()) + IndexSuffix(record)};
    for (const std::string& tag : record.tags()) {
      keys.push_back(layout::DimensionTag(tag) + IndexSuffix(record));
    }
    return keys;
  };
  {
    RawStore raw(dir_.Sub("data"));
    for (const v1::Feedback& record : stored) {
      ASSERT_TRUE(raw.db->Put(rocksdb::WriteOptions(), raw.time_index, EntryKey(record), "").ok());
      for (const std::string& key : legacy_keys(record)) {
        ASSERT_TRUE(raw.db->Put(rocksdb::WriteOptions(), raw.time_index, key, "").ok());
      }
    }
  }
  ASSERT_NO_FATAL_FAILURE(Open());

  const std::vector<std::string> newest_first = {stored[2].id(), stored[1].id(), stored[0].id()};
  EXPECT_THAT(Ids(ListAll(*store_, AllTime())), ElementsAreArray(newest_first));
  EXPECT_THAT(Ids(ListAll(*store_, AllTime(/*limit=*/1))), ElementsAreArray(newest_first));
  for (const int limit : {1, 1000}) {  // within a page and across pages
    for (const v1::Feedback& record : stored) {
      ListQuery by_kind_tag = AllTime(limit);
      by_kind_tag.tag = std::string(KindTag(record.kind()));
      EXPECT_THAT(Ids(ListAll(*store_, by_kind_tag)), ElementsAreArray({record.id()}))
          << by_kind_tag.tag << ", pages of " << limit;
    }
    ListQuery by_source = AllTime(limit);
    by_source.source = v1::SOURCE_CHILD;
    EXPECT_THAT(Ids(ListAll(*store_, by_source)),
                ElementsAreArray({stored[2].id(), stored[1].id()}));
    ListQuery by_tag = AllTime(limit);
    by_tag.tag = "listened_to";
    EXPECT_THAT(Ids(ListAll(*store_, by_tag)), ElementsAreArray({stored[1].id()}));
  }

  const std::vector<absl::Status> retagged = store_->Commit([&] {
    std::vector<WriteOp> ops;
    ops.push_back(Retag(stored[0].id(), {"complaint", "upheld"}));
    return ops;
  }());
  ASSERT_EQ(retagged.size(), 1u);
  ASSERT_OK(retagged[0]);
  ListQuery upheld = AllTime();
  upheld.tag = "upheld";
  EXPECT_THAT(Ids(ListAll(*store_, upheld)), ElementsAreArray({stored[0].id()}));
  store_.reset();

  RawStore raw(dir_.Sub("data"));
  const std::vector<std::string> keys = raw.TimeIndexKeys();
  for (const std::string& key : legacy_keys(stored[0])) {
    EXPECT_THAT(keys, ::testing::Not(::testing::Contains(key))) << absl::CHexEscape(key);
  }
  for (const std::string& key : legacy_keys(stored[1])) {
    EXPECT_THAT(keys, ::testing::Contains(key)) << absl::CHexEscape(key);  // unchanged: kept
  }
  std::string value;
  ASSERT_TRUE(
      raw.db->Get(rocksdb::ReadOptions(), raw.time_index, EntryKey(stored[0]), &value).ok());
  const std::optional<layout::Facets> facets = layout::DecodeFacets(value);
  ASSERT_TRUE(facets.has_value());
  EXPECT_THAT(facets->TagList(), ElementsAreArray({"complaint", "upheld"}));
}

// The store's tables are compressed with LZ4, which RocksDB advises over its default, Snappy.
// Every store written before 2026-12-06 has Snappy's tables: with one of those beside the
// store's own, the store still reads every record.
TEST_F(FeedbackStoreTest, TablesAreWrittenWithLz4AndASnappyTableStillReads) {
  std::vector<NewSubmission> group;
  group.push_back(Prepare(Sent(1, kBase)));
  group.push_back(Prepare(Sent(2, kBase + absl::Minutes(1))));
  const std::vector<v1::Feedback> stored = CommitNew(std::move(group));
  ASSERT_EQ(stored.size(), 2u);
  store_.reset();  // a clean close flushes every family
  {
    RawStore raw(dir_.Sub("data"));
    ASSERT_NE(raw.records, nullptr);
    const std::map<std::string, std::string> written = raw.TableCompressions(raw.records);
    ASSERT_FALSE(written.empty());
    for (const auto& [file, compression] : written) EXPECT_EQ(compression, "LZ4") << file;
    // The second record again, in a table of RocksDB's defaults.
    std::string value;
    ASSERT_TRUE(raw.db->Get(rocksdb::ReadOptions(), raw.records, stored[1].id(), &value).ok());
    ASSERT_TRUE(raw.db->Put(rocksdb::WriteOptions(), raw.records, stored[1].id(), value).ok());
    ASSERT_TRUE(raw.db->Flush(rocksdb::FlushOptions(), raw.records).ok());
    int snappy_tables = 0;
    for (const auto& [file, compression] : raw.TableCompressions(raw.records)) {
      snappy_tables += compression == "Snappy" ? 1 : 0;
    }
    EXPECT_EQ(snappy_tables, 1);
  }
  ASSERT_NO_FATAL_FAILURE(Open());
  for (const v1::Feedback& record : stored) {
    absl::StatusOr<v1::Feedback> read = store_->Get(record.id());
    ASSERT_OK(read);
    EXPECT_TRUE(SameRecord(*read, record)) << record.id();
  }
}

// An entry's value is the item's source byte, then each tag ended by \0; any other value (an
// earlier layout's empty one, or one cut short) holds no facets, and a list reads the record.
TEST(TimeIndexLayout, FacetsDecodeToTheSourceAndTagsTheyWereMadeFrom) {
  const std::string value = layout::EncodeFacets(v1::SOURCE_ADVOCATE, {"complaint", "", "a b"});
  const std::optional<layout::Facets> facets = layout::DecodeFacets(value);
  ASSERT_TRUE(facets.has_value());
  EXPECT_EQ(facets->source, v1::SOURCE_ADVOCATE);
  EXPECT_THAT(facets->TagList(), ElementsAreArray({"complaint", "", "a b"}));
  for (const std::string_view tag : {"complaint", "", "a b"}) EXPECT_TRUE(facets->HasTag(tag));
  for (const std::string_view not_a_tag : {"complain", "a b c", "a", "b", "omplaint"}) {
    EXPECT_FALSE(facets->HasTag(not_a_tag)) << not_a_tag;
  }
  const std::optional<layout::Facets> untagged =
      layout::DecodeFacets(layout::EncodeFacets(200, {}));
  ASSERT_TRUE(untagged.has_value());
  EXPECT_EQ(untagged->source, 200);
  EXPECT_THAT(untagged->TagList(), IsEmpty());
  EXPECT_FALSE(layout::DecodeFacets("").has_value());
  EXPECT_FALSE(layout::DecodeFacets(value.substr(0, value.size() - 1)).has_value());
}

// ----------------------------------------------------------------------------------------------
// Open

// The time index's prefix extractor (a memtable skip list per dimension) is this length.
TEST(TimeIndexLayout, DimensionLengthIsTheLengthOfTheDimensionAKeyStartsWith) {
  const std::string suffix = layout::InvertedTime(Micros(kBase)) + "fb_0123456789abcdef";
  for (const std::string& dimension :
       {layout::DimensionAll(), layout::DimensionSource(v1::SOURCE_FAMILY),
        layout::DimensionKind(v1::KIND_COMPLAINT), layout::DimensionTag("listened_to"),
        layout::DimensionTag("a")}) {
    EXPECT_EQ(layout::DimensionLength(dimension + suffix), dimension.size())
        << absl::CHexEscape(dimension);
  }
  for (const std::string& not_a_key :
       {std::string(), std::string("S"), std::string("Tno_end"), std::string("Z") + suffix}) {
    EXPECT_EQ(layout::DimensionLength(not_a_key), 0u) << absl::CHexEscape(not_a_key);
  }
}

TEST(FeedbackStoreOpen, FailsForADataDirThatIsARegularFile) {
  TempDir dir;
  const std::string file = dir.Sub("plain-file");
  std::ofstream(file) << "not a database\n";
  absl::StatusOr<std::unique_ptr<FeedbackStore>> store =
      FeedbackStore::Open(StoreOptions{.data_dir = file});
  EXPECT_FALSE(store.ok());
  absl::StatusOr<std::unique_ptr<FeedbackStore>> below =
      FeedbackStore::Open(StoreOptions{.data_dir = file + "/data"});
  EXPECT_FALSE(below.ok());
}

TEST(FeedbackStoreOpen, FailsForAnEmptyDataDir) {
  EXPECT_EQ(FeedbackStore::Open(StoreOptions{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FeedbackStoreOpen, FailsWhileTheSameDirIsOpenInThisProcess) {
  TempDir dir;
  const StoreOptions options{.data_dir = dir.Sub("nested/data")};
  absl::StatusOr<std::unique_ptr<FeedbackStore>> first = FeedbackStore::Open(options);
  ASSERT_OK(first);
  absl::StatusOr<std::unique_ptr<FeedbackStore>> second = FeedbackStore::Open(options);
  EXPECT_FALSE(second.ok());
  // The first store is unaffected, and the dir opens again once it is closed.
  const std::vector<absl::StatusOr<SubmitOutcome>> committed =
      CommitSubmissions(**first, One(Prepare(Sent(1, kBase))));
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_OK(committed.front());
  first->reset();
  absl::StatusOr<std::unique_ptr<FeedbackStore>> third = FeedbackStore::Open(options);
  ASSERT_OK(third);
  EXPECT_EQ(ListAll(**third, AllTime()).size(), 1u);
}

}  // namespace feedback_store_test
}  // namespace
}  // namespace feedback::storage
