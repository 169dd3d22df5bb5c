// FeedbackCore without any transport: a principal and a request in, a reply or a stream out.
// The core alone admits (token, role, rate), applies the rules that depend on the request,
// limits streams and audits reads, so every door that calls it gets them.
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/core/feedback_core.h"
#include "service/core/request_parse.h"
#include "service/ops/audit.h"
#include "service/ops/ledger.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace core_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kPatience = absl::Seconds(30);

// The reply an operation gives, waited for (it comes from the writer thread after a write).
template <typename T, typename Call>
absl::StatusOr<T> Answer(Call call) {
  struct State {
    absl::Mutex mutex;
    std::optional<absl::StatusOr<T>> result ABSL_GUARDED_BY(mutex);
  };
  auto state = std::make_shared<State>();
  call(Reply<T>([state](absl::StatusOr<T> result) {
    absl::MutexLock lock(&state->mutex);
    state->result = std::move(result);
  }));
  absl::MutexLock lock(&state->mutex);
  state->mutex.AwaitWithTimeout(
      absl::Condition(
          +[](std::optional<absl::StatusOr<T>>* r) { return r->has_value(); }, &state->result),
      kPatience);
  if (!state->result.has_value()) return absl::DeadlineExceededError("no reply");
  return *std::move(state->result);
}

// A stream's reader: records what the core sends; a send completes when the test says so.
template <typename Message>
class RecordingSink final : public StreamSink<Message> {
 public:
  using typename StreamSink<Message>::Sent;
  using typename StreamSink<Message>::Callback;

  ~RecordingSink() override { Done(); }

  void Open() override {
    absl::MutexLock lock(&mutex_);
    opened_ = true;
  }
  void Send(Message message, Sent sent) override {
    absl::MutexLock lock(&mutex_);
    messages_.push_back(std::move(message));
    pending_ = std::move(sent);
  }
  void Finish(const absl::Status& status) override {
    absl::MutexLock lock(&mutex_);
    finished_ = status;
  }
  void WhenCancelled(Callback cancelled) override {
    absl::MutexLock lock(&mutex_);
    on_cancel_ = std::move(cancelled);
  }
  void WhenDone(Callback done) override {
    absl::MutexLock lock(&mutex_);
    on_done_ = std::move(done);
  }

  // Waits until `count` messages were sent or the stream finished; returns the messages.
  std::vector<Message> AwaitMessages(size_t count) {
    absl::MutexLock lock(&mutex_);
    auto ready = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return messages_.size() >= count || finished_.has_value();
    };
    mutex_.AwaitWithTimeout(absl::Condition(&ready), kPatience);
    return messages_;
  }
  // Waits until the stream is finished; its status, or DEADLINE_EXCEEDED if it is not.
  absl::Status AwaitFinish() {
    absl::MutexLock lock(&mutex_);
    auto finished = [this]()
                        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return finished_.has_value(); };
    mutex_.AwaitWithTimeout(absl::Condition(&finished), kPatience);
    return finished_.value_or(absl::DeadlineExceededError("the stream did not finish"));
  }
  bool opened() {
    absl::MutexLock lock(&mutex_);
    return opened_;
  }
  // The reader has the last message (or, `ok` false, went away).
  void CompleteSend(bool ok) {
    Sent sent;
    {
      absl::MutexLock lock(&mutex_);
      sent = std::move(pending_);
    }
    if (sent) std::move(sent)(ok);
  }
  // The transport is finished with the stream.
  void Done() {
    Callback done;
    {
      absl::MutexLock lock(&mutex_);
      done = std::move(on_done_);
    }
    if (done) std::move(done)();
  }

 private:
  absl::Mutex mutex_;
  bool opened_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<Message> messages_ ABSL_GUARDED_BY(mutex_);
  Sent pending_ ABSL_GUARDED_BY(mutex_);
  std::optional<absl::Status> finished_ ABSL_GUARDED_BY(mutex_);
  Callback on_cancel_ ABSL_GUARDED_BY(mutex_);
  Callback on_done_ ABSL_GUARDED_BY(mutex_);
};

// A store that answers like `real`, except that reading the entity `failing_key` fails with
// `error` (a disk or RocksDB error, say): for the errors a healthy store never gives.
class FaultyStore final : public storage::FeedbackStore {
 public:
  explicit FaultyStore(storage::FeedbackStore* real) : real_(real) {}

  void FailEntity(std::string key, absl::Status error) {
    failing_key_ = std::move(key);
    error_ = std::move(error);
  }

  std::vector<absl::Status> Commit(std::vector<storage::WriteOp> ops) override {
    return real_->Commit(std::move(ops));
  }
  absl::StatusOr<v1::Feedback> Get(std::string_view id) const override { return real_->Get(id); }
  absl::StatusOr<std::string> GetEntity(std::string_view key) const override {
    if (key == failing_key_) return error_;
    return real_->GetEntity(key);
  }
  absl::Status ScanEntities(std::string_view prefix,
                            absl::FunctionRef<storage::ScanStep(std::string_view, std::string_view)>
                                visit) const override {
    return real_->ScanEntities(prefix, visit);
  }
  absl::Status ScanEntitiesAfter(
      std::string_view prefix, std::string_view after,
      absl::FunctionRef<storage::ScanStep(std::string_view, std::string_view)> visit)
      const override {
    return real_->ScanEntitiesAfter(prefix, after, visit);
  }
  absl::Status ScanFeedback(
      absl::FunctionRef<storage::ScanStep(const v1::Feedback&)> visit) const override {
    return real_->ScanFeedback(visit);
  }
  absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> ReadCounters(
      std::string_view prefix) const override {
    return real_->ReadCounters(prefix);
  }
  absl::StatusOr<storage::ListPage> List(const storage::ListQuery& query) const override {
    return real_->List(query);
  }
  absl::Status Scrub(const storage::ScrubKeys& keys) override { return real_->Scrub(keys); }

 private:
  storage::FeedbackStore* const real_;
  std::string failing_key_;
  absl::Status error_;
};

class CoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(AccessLimits()); }

  void Open(AccessLimits limits) {
    absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
    absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
    absl::StatusOr<Tagger> tagger = Tagger::Load("");
    absl::StatusOr<Redactor> redactor = Redactor::Create({});
    ASSERT_OK(calendar);
    ASSERT_OK(days);
    ASSERT_OK(tagger);
    ASSERT_OK(redactor);
    ledger_ = std::make_unique<Ledger>(*calendar, ComplaintProcedure(*days, calendar->zone()),
                                       *tagger, Eligibility());
    redactor_ = std::make_unique<Redactor>(*std::move(redactor));
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
    faulty_ = std::make_unique<FaultyStore>(store_.get());
    tokens_ = std::make_unique<TokenRegistry>();
    gate_ = std::make_unique<Gatekeeper>(tokens_.get(), std::move(limits));
    writer_ = std::make_unique<storage::GroupCommitWriter>(store_.get());
    core_ = std::make_unique<FeedbackCore>(ServiceParts{.store = faulty_.get(),
                                                        .writer = writer_.get(),
                                                        .ledger = ledger_.get(),
                                                        .alerts = &alerts_,
                                                        .gate = gate_.get(),
                                                        .tokens = tokens_.get(),
                                                        .redactor = redactor_.get()},
                                           *calendar);
  }

  // The core again on the same store, with `limits`.
  void Reopen(AccessLimits limits) {
    writer_->Stop();
    core_.reset();
    writer_.reset();
    faulty_.reset();
    store_.reset();
    Open(std::move(limits));
  }

  void TearDown() override {
    alerts_.Close();
    if (writer_ != nullptr) writer_->Stop();
    core_.reset();
  }

  // Credentials of a new token of `role`, valid for a day.
  Credentials TokenOf(v1::Role role, const std::string& id) {
    absl::StatusOr<std::string> secret = NewTokenSecret();
    EXPECT_OK(secret);
    v1::internal::StoredToken stored;
    stored.mutable_token()->set_id(id);
    stored.mutable_token()->set_role(role);
    *stored.mutable_token()->mutable_expires_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now() + absl::Hours(24)));
    stored.set_secret_sha256(HashSecret(*secret));
    tokens_->Put(stored);
    return Credentials{.authorization = "Bearer " + *secret};
  }

  static v1::SubmitFeedbackRequest Compliment(const std::string& submission_id) {
    v1::SubmitFeedbackRequest request;
    v1::Feedback& f = *request.mutable_feedback();
    f.set_submission_id(submission_id);
    f.set_source(v1::SOURCE_CHILD);
    f.set_kind(v1::KIND_COMPLIMENT);
    f.set_meeting(v1::MEETING_CLA_REVIEW);
    f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    f.set_rating(5);
    f.set_text("My social worker listened to me");
    return request;
  }

  absl::StatusOr<v1::SubmitFeedbackResponse> Submit(const Principal& caller,
                                                    const v1::SubmitFeedbackRequest& request) {
    return Answer<v1::SubmitFeedbackResponse>([&](Reply<v1::SubmitFeedbackResponse> reply) {
      core_->SubmitFeedback(caller, request, std::move(reply));
    });
  }

  // Stores `value` at entity `key` directly, as a damaged or old store might hold it.
  void PutEntity(const std::string& key, const std::string& value) {
    std::vector<storage::WriteOp> ops;
    ops.push_back([key, value](storage::Transaction& txn) { return txn.PutEntity(key, value); });
    const std::vector<absl::Status> results = store_->Commit(std::move(ops));
    ASSERT_OK(results.front());
  }

  std::vector<v1::AuditEntry> Audit(const std::string& action) {
    v1::ListAuditRequest request;
    request.set_action(action);
    absl::StatusOr<AuditPage> page = ReadAudit(*store_, request);
    EXPECT_OK(page);
    return page.ok() ? page->entries : std::vector<v1::AuditEntry>();
  }

  testing::TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Redactor> redactor_;
  std::unique_ptr<storage::FeedbackStore> store_;
  std::unique_ptr<FaultyStore> faulty_;  // store_, as the core sees it
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<Gatekeeper> gate_;
  AlertHub alerts_;
  std::unique_ptr<storage::GroupCommitWriter> writer_;
  std::unique_ptr<FeedbackCore> core_;
};

TEST_F(CoreTest, AdmitsAKioskAndStoresItsSubmission) {
  absl::StatusOr<Principal> kiosk =
      core_->Admit(TokenOf(v1::ROLE_KIOSK, "tok_kiosk"), "SubmitFeedback", absl::Now());
  ASSERT_OK(kiosk);
  absl::StatusOr<v1::SubmitFeedbackResponse> stored =
      Submit(*kiosk, Compliment("0b7e6a1c-1111-4a2b-8c3d-000000000001"));
  ASSERT_OK(stored);
  EXPECT_FALSE(stored->duplicate());
  absl::StatusOr<v1::Feedback> record = store_->Get(stored->feedback().id());
  ASSERT_OK(record);
  EXPECT_EQ(record->text(), "My social worker listened to me");
  // A kiosk hears back only the ids, never the server's state of the record.
  EXPECT_TRUE(stored->feedback().text().empty());
}

TEST_F(CoreTest, RefusesWhatTheCallersRoleMayNotDoEvenToAPrincipalThatSkippedAdmission) {
  const Credentials reporter = TokenOf(v1::ROLE_REPORTER, "tok_reporter");
  absl::StatusOr<Principal> admitted = core_->Admit(reporter, "GetFeedback", absl::Now());
  ASSERT_FALSE(admitted.ok());
  EXPECT_EQ(admitted.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(admitted.status().message()),
              HasSubstr("a reporter token may not call GetFeedback"));

  // A door that forgot to admit gets the same answer from the operation itself.
  const Principal kiosk{.token_id = "tok_kiosk", .role = v1::ROLE_KIOSK, .device_name = ""};
  v1::GetFeedbackRequest request;
  request.set_id("fb_anything");
  absl::StatusOr<v1::Feedback> read = Answer<v1::Feedback>(
      [&](Reply<v1::Feedback> reply) { core_->GetFeedback(kiosk, request, std::move(reply)); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(read.status().message()),
              HasSubstr("a kiosk token may not call GetFeedback"));
  EXPECT_THAT(Audit("feedback.read"), ::testing::IsEmpty());
}

TEST_F(CoreTest, ARefusalReadsAsEnglishForEveryRole) {
  const Credentials admin = TokenOf(v1::ROLE_ADMIN, "tok_admin");
  absl::StatusOr<Principal> admitted = core_->Admit(admin, "ListFeedback", absl::Now());
  ASSERT_FALSE(admitted.ok());
  EXPECT_EQ(admitted.status().message(), "an admin token may not call ListFeedback");
}

TEST_F(CoreTest, AppliesTheRulesThatDependOnTheRequest) {
  const Principal kiosk{.token_id = "tok_kiosk", .role = v1::ROLE_KIOSK, .device_name = ""};
  // A kiosk cannot speak as an advocate.
  v1::SubmitFeedbackRequest as_advocate = Compliment("0b7e6a1c-1111-4a2b-8c3d-000000000002");
  as_advocate.mutable_feedback()->set_source(v1::SOURCE_ADVOCATE);
  absl::StatusOr<v1::SubmitFeedbackResponse> refused = Submit(kiosk, as_advocate);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  // Invalid input is refused naming the field, and nothing is written.
  v1::SubmitFeedbackRequest bad = Compliment("not-a-uuid");
  absl::StatusOr<v1::SubmitFeedbackResponse> invalid = Submit(kiosk, bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.status().message()), HasSubstr("submission_id"));
  absl::Status any = store_->ScanFeedback([](const v1::Feedback& record) {
    ADD_FAILURE() << "stored " << record.id();
    return absl::OkStatus();
  });
  EXPECT_OK(any);
}

TEST_F(CoreTest, RateLimitsEachTokenAtAdmission) {
  AccessLimits limits;
  limits.calls_per_minute[v1::ROLE_KIOSK] = 2;
  Reopen(limits);
  const Credentials kiosk = TokenOf(v1::ROLE_KIOSK, "tok_kiosk");
  const absl::Time now = absl::Now();
  EXPECT_OK(core_->Admit(kiosk, "SubmitFeedback", now));
  EXPECT_OK(core_->Admit(kiosk, "SubmitFeedback", now));
  absl::StatusOr<Principal> third = core_->Admit(kiosk, "SubmitFeedback", now);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(third.status().message()), HasSubstr("2 calls a minute"));
}

TEST_F(CoreTest, AnswersARawReadOnlyOnceItIsAudited) {
  const Principal kiosk{.token_id = "tok_kiosk", .role = v1::ROLE_KIOSK, .device_name = ""};
  absl::StatusOr<v1::SubmitFeedbackResponse> stored =
      Submit(kiosk, Compliment("0b7e6a1c-1111-4a2b-8c3d-000000000003"));
  ASSERT_OK(stored);
  absl::StatusOr<Principal> qa =
      core_->Admit(TokenOf(v1::ROLE_QA_MANAGER, "tok_qa"), "GetFeedback", absl::Now());
  ASSERT_OK(qa);
  v1::GetFeedbackRequest request;
  request.set_id(stored->feedback().id());
  absl::StatusOr<v1::Feedback> read = Answer<v1::Feedback>(
      [&](Reply<v1::Feedback> reply) { core_->GetFeedback(*qa, request, std::move(reply)); });
  ASSERT_OK(read);
  EXPECT_EQ(read->text(), "My social worker listened to me");
  // By the time the reply came, the read was on the audit log, by id and without the words.
  const std::vector<v1::AuditEntry> entries = Audit("feedback.read");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor_token_id(), "tok_qa");
  EXPECT_THAT(entries[0].ids(), ::testing::ElementsAre(stored->feedback().id()));
  EXPECT_THAT(entries[0].detail(), Not(HasSubstr("listened")));
}

TEST_F(CoreTest, LimitsOpenStreamsPerToken) {
  const Principal qa{.token_id = "tok_qa", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  RecordingSink<v1::Alert> first;
  RecordingSink<v1::Alert> second;
  RecordingSink<v1::Alert> third;
  core_->WatchAlerts(qa, v1::WatchAlertsRequest(), first);
  core_->WatchAlerts(qa, v1::WatchAlertsRequest(), second);
  core_->WatchAlerts(qa, v1::WatchAlertsRequest(), third);
  EXPECT_TRUE(first.opened());
  EXPECT_TRUE(second.opened());
  const absl::Status refused = third.AwaitFinish();
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("this token already has 2 open"));
}

TEST_F(CoreTest, StreamsTheAlertBacklogEachAlertAuditedBeforeItIsSent) {
  v1::Alert alert;
  alert.set_id("fb_waiting");
  alert.mutable_feedback()->set_id("fb_waiting");
  PutEntity(AlertKey("fb_waiting"), alert.SerializeAsString());
  const Principal qa{.token_id = "tok_qa", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  tokens_->Put([] {
    v1::internal::StoredToken stored;
    stored.mutable_token()->set_id("tok_qa");
    stored.mutable_token()->set_role(v1::ROLE_QA_MANAGER);
    *stored.mutable_token()->mutable_expires_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now() + absl::Hours(1)));
    stored.set_secret_sha256(HashSecret("fbk_unused"));
    return stored;
  }());
  RecordingSink<v1::Alert> sink;
  core_->WatchAlerts(qa, v1::WatchAlertsRequest(), sink);
  const std::vector<v1::Alert> sent = sink.AwaitMessages(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].id(), "fb_waiting");
  const std::vector<v1::AuditEntry> entries = Audit("alert.read");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(entries[0].ids(), ::testing::ElementsAre("fb_waiting"));
  // Cancelling ends the stream.
  sink.CompleteSend(false);
  EXPECT_EQ(sink.AwaitFinish().code(), absl::StatusCode::kCancelled);
}

// Errors are never swallowed: a store that cannot be read, or a record in it that does not
// parse, is reported as what it is, never as "not found" nor skipped.

TEST_F(CoreTest, AReferralTheStoreCannotReadIsAnErrorNotNotFound) {
  const Principal advocate{.token_id = "tok_adv", .role = v1::ROLE_ADVOCATE, .device_name = ""};
  auto read = [&](const std::string& id) {
    v1::GetAdvocacyReferralRequest request;
    request.set_id(id);
    return Answer<v1::AdvocacyReferral>([&](Reply<v1::AdvocacyReferral> reply) {
      core_->GetAdvocacyReferral(advocate, request, std::move(reply));
    });
  };
  // Really absent: NOT_FOUND naming the id.
  absl::StatusOr<v1::AdvocacyReferral> absent = read("ar_absent");
  EXPECT_EQ(absent.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(absent.status().message()),
              HasSubstr("no advocacy referral with id \"ar_absent\""));
  // Present but unreadable: the store's error, so nobody concludes the referral does not exist.
  faulty_->FailEntity(ReferralKey("ar_unreadable"), absl::UnavailableError("disk on fire"));
  absl::StatusOr<v1::AdvocacyReferral> unreadable = read("ar_unreadable");
  EXPECT_EQ(unreadable.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(unreadable.status().message()), HasSubstr("disk on fire"));
}

TEST_F(CoreTest, AnAlertThatDoesNotParseEndsTheWatchAndIsLoggedWithoutItsWords) {
  constexpr char kWords[] = "Zebedee says he is scared to go home";
  // Not an Alert (a field number 0 first), with a child's words in it.
  PutEntity(AlertKey("fb_damaged"), std::string("\x07") + kWords);
  const Principal qa{.token_id = "tok_qa", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  RecordingSink<v1::Alert> sink;
  ::testing::internal::CaptureStderr();
  core_->WatchAlerts(qa, v1::WatchAlertsRequest(), sink);
  const absl::Status ended = sink.AwaitFinish();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(ended.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(ended.message()), HasSubstr("alert/fb_damaged"));
  EXPECT_THAT(std::string(ended.message()), Not(HasSubstr("Zebedee")));
  EXPECT_THAT(log, HasSubstr("alert/fb_damaged"));
  EXPECT_THAT(log, Not(HasSubstr("Zebedee")));
  EXPECT_THAT(sink.AwaitMessages(0), ::testing::IsEmpty());
}

TEST_F(CoreTest, VerificationReportsAReferralThatDoesNotParse) {
  PutEntity(ReferralKey("ar_damaged"), "\x07not a referral");
  const Principal admin{.token_id = "tok_admin", .role = v1::ROLE_ADMIN, .device_name = ""};
  absl::StatusOr<v1::VerifyCountersResponse> verified =
      Answer<v1::VerifyCountersResponse>([&](Reply<v1::VerifyCountersResponse> reply) {
        core_->VerifyCounters(admin, v1::VerifyCountersRequest(), std::move(reply));
      });
  ASSERT_FALSE(verified.ok()) << "verified with a referral it could not count";
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(verified.status().message()), HasSubstr("referral/ar_damaged"));
}

TEST(RequestParse, RefusesWithoutAnyTransportWhatEveryDoorRefuses) {
  v1::GetFeedbackRequest request;
  request.set_id("fb_\xff");
  std::string bytes;
  ASSERT_TRUE(request.SerializePartialToString(&bytes));
  v1::GetFeedbackRequest parsed;
  absl::Status not_utf8 = ParseRequest(bytes, parsed);
  EXPECT_EQ(not_utf8.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(not_utf8.message()), HasSubstr("id: is not valid UTF-8"));

  absl::Status garbage = ParseRequest("\x07garbage", parsed);
  EXPECT_EQ(garbage.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(garbage.message()),
              HasSubstr("request: is not a feedback.v1.GetFeedbackRequest"));

  v1::SubmitFeedbackRequest submit;
  submit.mutable_feedback()->add_tags("safeguarding");  // the server sets tags
  absl::Status server_set = ParseRequest(submit.SerializeAsString(), submit);
  EXPECT_EQ(server_set.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server_set.message()), HasSubstr("feedback.tags"));

  request.set_id("fb_1");
  EXPECT_OK(ParseRequest(request.SerializeAsString(), parsed));
  EXPECT_EQ(parsed.id(), "fb_1");
}

// ParseRequest skips the server_set check by reflection when its reading of the bytes saw no
// server_set field. A field sent at its default is on the wire but not set: still accepted.
TEST(RequestParse, AServerFieldSentAtItsDefaultIsAcceptedAsBefore) {
  v1::SubmitFeedbackRequest submit;
  submit.mutable_feedback()->set_text("Thank you");
  // feedback { id: "" } once more: field 1 (feedback) holding field 1 (id), both length-delimited.
  const std::string bytes = submit.SerializeAsString() + std::string("\x0a\x02\x0a\x00", 4);
  v1::SubmitFeedbackRequest parsed;
  EXPECT_OK(ParseRequest(bytes, parsed));
  EXPECT_EQ(parsed.feedback().text(), "Thank you");
  EXPECT_EQ(parsed.feedback().id(), "");
}

// Where the reading stops before the end (here at a group, which protobuf keeps as an unknown
// field), a server_set field after it is still found: after a group in the request, and after
// one inside the feedback.
TEST(RequestParse, AServerFieldAfterWhatTheReadingCannotFollowIsStillRefused) {
  v1::SubmitFeedbackRequest submit;
  submit.mutable_feedback()->set_text("Thank you");
  const std::string group = std::string("\x9b\x06\x9c\x06", 4);  // field 99: start, end group
  const std::string id_ab = std::string("\x0a\x02", 2) + "ab";   // id (field 1): "ab"
  const std::string in_feedback = std::string("\x0a\x04", 2) + id_ab;
  const std::string group_in_feedback = std::string("\x0a\x08", 2) + group + id_ab;
  for (const std::string& after : {group + in_feedback, group_in_feedback}) {
    v1::SubmitFeedbackRequest parsed;
    const absl::Status status = ParseRequest(submit.SerializeAsString() + after, parsed);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr("feedback.id: is assigned by the server"));
  }
}

}  // namespace core_test
}  // namespace
}  // namespace feedback
