// The tablet kiosk's operations in FeedbackCore, without a transport, on a real store and at
// times the test sets (ServiceParts::clock): enrolment codes expire, are used once and are
// rate-limited when wrong; "talk to someone now" raises one alert, carrying no one's identity.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/core/feedback_core.h"
#include "service/ops/audit.h"
#include "service/ops/ledger.h"
#include "service/ops/queries.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace kiosk_core_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr absl::Duration kPatience = absl::Seconds(30);
constexpr char kRequestId[] = "5d0f4c2a-9b1e-4f57-8a63-2c7e1d9b0a44";

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

class KioskCoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(AccessLimits()); }

  void Open(AccessLimits limits) {
    absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
    absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
    absl::StatusOr<Tagger> tagger = Tagger::Load("");
    ASSERT_OK(calendar);
    ASSERT_OK(days);
    ASSERT_OK(tagger);
    ledger_ = std::make_unique<Ledger>(*calendar, ComplaintProcedure(*days, calendar->zone()),
                                       *tagger, Eligibility());
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<TokenRegistry>> tokens = TokenRegistry::Load(*store_);
    ASSERT_OK(tokens);
    tokens_ = *std::move(tokens);
    gate_ = std::make_unique<Gatekeeper>(tokens_.get(), std::move(limits));
    writer_ = std::make_unique<storage::GroupCommitWriter>(store_.get());
    alerts_ = std::make_unique<AlertHub>();
    core_ = std::make_unique<FeedbackCore>(ServiceParts{.store = store_.get(),
                                                        .writer = writer_.get(),
                                                        .ledger = ledger_.get(),
                                                        .alerts = alerts_.get(),
                                                        .gate = gate_.get(),
                                                        .tokens = tokens_.get(),
                                                        .clock =
                                                            [this] {
                                                              absl::MutexLock lock(&clock_mutex_);
                                                              return now_;
                                                            }},
                                           *calendar);
    alerts_->Subscribe(
        [this](const v1::Alert& alert) {
          absl::MutexLock lock(&published_mutex_);
          published_.push_back(alert);
        },
        [] {});
  }

  // The server stops and starts again on the same store, with `limits`.
  void Restart(AccessLimits limits = AccessLimits()) {
    alerts_->Close();
    writer_->Stop();
    core_.reset();
    writer_.reset();
    gate_.reset();
    tokens_.reset();
    store_.reset();
    Open(std::move(limits));
  }

  void TearDown() override {
    if (alerts_ != nullptr) alerts_->Close();
    if (writer_ != nullptr) writer_->Stop();
    core_.reset();
  }

  void SetNow(absl::Time now) {
    absl::MutexLock lock(&clock_mutex_);
    now_ = now;
  }
  absl::Time Now() {
    absl::MutexLock lock(&clock_mutex_);
    return now_;
  }

  std::vector<v1::Alert> Published() {
    absl::MutexLock lock(&published_mutex_);
    return published_;
  }

  // A token of `role` for `device`, stored and known to the registry; its principal.
  Principal TokenOf(v1::Role role, const std::string& id, const std::string& device = "") {
    v1::internal::StoredToken stored;
    stored.mutable_token()->set_id(id);
    stored.mutable_token()->set_role(role);
    stored.mutable_token()->set_device_name(device);
    *stored.mutable_token()->mutable_expires_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now() + absl::Hours(24)));
    stored.set_secret_sha256(HashSecret("fbk_" + id));
    tokens_->Put(stored);
    return Principal{.token_id = id, .role = role, .device_name = device};
  }

  absl::StatusOr<v1::KioskEnrolment> Issue(const Principal& caller, const std::string& device) {
    v1::IssueKioskEnrolmentRequest request;
    request.set_device_name(device);
    return Answer<v1::KioskEnrolment>([&](Reply<v1::KioskEnrolment> reply) {
      core_->IssueKioskEnrolment(caller, request, std::move(reply));
    });
  }

  // EnrolKiosk as a door calls it: the caller admitted with no token, then the operation.
  absl::StatusOr<v1::EnrolKioskResponse> Enrol(const std::string& code) {
    absl::StatusOr<Principal> caller = core_->Admit(Credentials{}, "EnrolKiosk", absl::Now());
    if (!caller.ok()) return caller.status();
    v1::EnrolKioskRequest request;
    request.set_code(code);
    return Answer<v1::EnrolKioskResponse>([&](Reply<v1::EnrolKioskResponse> reply) {
      core_->EnrolKiosk(*caller, request, std::move(reply));
    });
  }

  absl::StatusOr<v1::Alert> TalkNow(const Principal& caller, const std::string& request_id,
                                    std::optional<absl::Time> requested_at = std::nullopt) {
    v1::RequestTalkNowRequest request;
    request.set_request_id(request_id);
    request.set_meeting(v1::MEETING_CLA_REVIEW);
    request.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
    if (requested_at.has_value()) {
      *request.mutable_requested_at() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*requested_at));
    }
    return Answer<v1::Alert>(
        [&](Reply<v1::Alert> reply) { core_->RequestTalkNow(caller, request, std::move(reply)); });
  }

  std::vector<v1::AuditEntry> Audit(const std::string& action) {
    v1::ListAuditRequest request;
    request.set_action(action);
    absl::StatusOr<AuditPage> page = ReadAudit(*store_, request);
    EXPECT_OK(page);
    return page.ok() ? page->entries : std::vector<v1::AuditEntry>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<storage::FeedbackStore> store_;
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<Gatekeeper> gate_;
  std::unique_ptr<storage::GroupCommitWriter> writer_;
  std::unique_ptr<AlertHub> alerts_;
  std::unique_ptr<FeedbackCore> core_;
  absl::Mutex clock_mutex_;
  absl::Time now_ ABSL_GUARDED_BY(clock_mutex_) = absl::FromCivil(absl::CivilSecond(2026, 12, 2, 10,
                                                                                    42, 0),
                                                                  absl::UTCTimeZone());
  absl::Mutex published_mutex_;
  std::vector<v1::Alert> published_ ABSL_GUARDED_BY(published_mutex_);
};

TEST_F(KioskCoreTest, QaStaffIssueACodeThatATabletExchangesOnceForAKioskToken) {
  const Principal qa = TokenOf(v1::ROLE_QA_MANAGER, "tok_qa");
  absl::StatusOr<v1::KioskEnrolment> issued = Issue(qa, "tablet-3");
  ASSERT_OK(issued);
  EXPECT_THAT(issued->code(), MatchesRegex("[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}"));
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(issued->expires_at()),
            absl::ToUnixMicros(Now() + absl::Minutes(15)));

  // Typed in lower case without the dash, as staff may.
  std::string typed = absl::AsciiStrToLower(issued->code());
  typed.erase(4, 1);
  absl::StatusOr<v1::EnrolKioskResponse> enrolled = Enrol(typed);
  ASSERT_OK(enrolled);
  EXPECT_EQ(enrolled->device_name(), "tablet-3");
  EXPECT_EQ(enrolled->token().role(), v1::ROLE_KIOSK);
  EXPECT_EQ(enrolled->token().created_by(), "tok_qa");
  EXPECT_THAT(enrolled->secret(), MatchesRegex("fbk_[0-9a-f]{64}"));

  // The new token is admitted at once, as a kiosk: it may submit and may not read.
  const Credentials kiosk{.authorization = "Bearer " + enrolled->secret()};
  absl::StatusOr<Principal> submitter = core_->Admit(kiosk, "SubmitFeedback", absl::Now());
  ASSERT_OK(submitter);
  EXPECT_EQ(submitter->device_name, "tablet-3");
  EXPECT_EQ(core_->Admit(kiosk, "ListFeedback", absl::Now()).status().code(),
            absl::StatusCode::kPermissionDenied);

  absl::StatusOr<v1::EnrolKioskResponse> again = Enrol(issued->code());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(again.status().message(), HasSubstr("enrolment code is not valid"));

  // Audited: the issue by the qa_manager, the exchange by the new token; never the code.
  const std::vector<v1::AuditEntry> issues = Audit("kiosk.enrolment.issue");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].actor_token_id(), "tok_qa");
  const std::vector<v1::AuditEntry> enrols = Audit("kiosk.enrol");
  ASSERT_EQ(enrols.size(), 1u);
  EXPECT_EQ(enrols[0].actor_token_id(), enrolled->token().id());
  const std::string canonical = absl::StrReplaceAll(issued->code(), {{"-", ""}});
  for (const v1::AuditEntry& entry : Audit("")) {
    EXPECT_THAT(entry.SerializeAsString(), ::testing::Not(HasSubstr(canonical)));
    EXPECT_THAT(entry.SerializeAsString(), ::testing::Not(HasSubstr(enrolled->secret())));
  }

  // The token survives a restart, like any other.
  Restart();
  EXPECT_OK(core_->Admit(kiosk, "SubmitFeedback", absl::Now()));
}

TEST_F(KioskCoreTest, ACodeExpiresFifteenMinutesAfterIssue) {
  const Principal admin = TokenOf(v1::ROLE_ADMIN, "tok_admin");
  const absl::Time issued_at = Now();
  absl::StatusOr<v1::KioskEnrolment> late = Issue(admin, "tablet-3");
  absl::StatusOr<v1::KioskEnrolment> in_time = Issue(admin, "tablet-4");
  ASSERT_OK(late);
  ASSERT_OK(in_time);
  SetNow(issued_at + absl::Minutes(15) - absl::Seconds(1));
  EXPECT_OK(Enrol(in_time->code()));
  SetNow(issued_at + absl::Minutes(15));
  absl::StatusOr<v1::EnrolKioskResponse> expired = Enrol(late->code());
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  // The same words for expired, used and never issued: a guess learns nothing.
  EXPECT_EQ(expired.status().message(), Enrol(in_time->code()).status().message());
  EXPECT_EQ(expired.status().message(), Enrol("ZZZZ-ZZZZ").status().message());
}

TEST_F(KioskCoreTest, OnlyQaStaffAndAdminIssueCodes) {
  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_ADVOCATE, v1::ROLE_REPORTER}) {
    const Principal caller = TokenOf(role, "tok_" + RoleName(role));
    absl::StatusOr<v1::KioskEnrolment> refused = Issue(caller, "tablet-3");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied) << RoleName(role);
  }
  std::vector<std::string> keys;
  ASSERT_OK(store_->ScanEntities("enrolment/", [&](std::string_view key, std::string_view) {
    keys.push_back(std::string(key));
    return absl::OkStatus();
  }));
  EXPECT_TRUE(keys.empty());
}

// At most N wrong codes a minute across the server (3 here); then every code is refused, the
// right one too, until the allowance comes back (one every 20 s). Good codes spend nothing.
TEST_F(KioskCoreTest, WrongCodesAreLimitedAcrossTheServerThenEveryCodeWaits) {
  AccessLimits limits;
  limits.enrolment_failures_per_minute = 3;
  Restart(limits);
  const Principal qa = TokenOf(v1::ROLE_QA_MANAGER, "tok_qa");
  for (int i = 0; i < 5; ++i) ASSERT_OK(Enrol(Issue(qa, "tablet-" + std::to_string(i))->code()));
  absl::StatusOr<v1::KioskEnrolment> issued = Issue(qa, "tablet-9");
  ASSERT_OK(issued);
  for (const char* wrong : {"ZZZZ-ZZZ2", "ZZZZ-ZZZ3", "ZZZZ-ZZZ4"}) {
    EXPECT_EQ(Enrol(wrong).status().code(), absl::StatusCode::kUnauthenticated) << wrong;
  }
  absl::StatusOr<v1::EnrolKioskResponse> waiting = Enrol(issued->code());
  EXPECT_EQ(waiting.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(waiting.status().message(), HasSubstr("at most 3 a minute"));
  // What cannot be a code costs nothing, and is still answered as such.
  EXPECT_EQ(Enrol("not a code").status().code(), absl::StatusCode::kInvalidArgument);
  SetNow(Now() + absl::Seconds(21));
  EXPECT_OK(Enrol(issued->code()));
}

TEST_F(KioskCoreTest, TalkNowRaisesOneAlertWithTheDeviceMeetingAndTimeOnly) {
  const Principal kiosk = TokenOf(v1::ROLE_KIOSK, "tok_kiosk", "tablet-3");
  const absl::Time asked = Now() - absl::Minutes(2);
  absl::StatusOr<v1::Alert> alert = TalkNow(kiosk, kRequestId, asked);
  ASSERT_OK(alert);
  EXPECT_THAT(alert->id(), MatchesRegex("tn_[0-9a-f]{32}"));
  EXPECT_EQ(alert->reason(), v1::ALERT_REASON_TALK_NOW);
  EXPECT_EQ(alert->device_name(), "tablet-3");
  EXPECT_EQ(alert->meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(alert->service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(alert->raised_at()), absl::ToUnixMicros(asked));
  EXPECT_FALSE(alert->has_feedback());
  EXPECT_FALSE(alert->acknowledged());
  const std::vector<v1::Alert> published = Published();
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].SerializeAsString(), alert->SerializeAsString());

  // The same request again (a retry after a lost answer): the same alert, nothing new raised.
  absl::StatusOr<v1::Alert> again = TalkNow(kiosk, kRequestId, asked);
  ASSERT_OK(again);
  EXPECT_EQ(again->id(), alert->id());
  EXPECT_EQ(Published().size(), 1u);
  // Another request under that id, or another device with it: refused, naming request_id.
  EXPECT_THAT(TalkNow(kiosk, kRequestId).status().message(), HasSubstr("request_id:"));
  const Principal other = TokenOf(v1::ROLE_KIOSK, "tok_other", "tablet-4");
  EXPECT_EQ(TalkNow(other, kRequestId, asked).status().code(), absl::StatusCode::kAlreadyExists);

  const std::vector<v1::AuditEntry> audit = Audit("alert.talk_now");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor_token_id(), "tok_kiosk");
  EXPECT_EQ(audit[0].actor_device(), "tablet-3");
  EXPECT_EQ(audit[0].ids(0), alert->id());
}

TEST_F(KioskCoreTest, ATalkNowAlertStaysInTheBacklogUntilAcknowledgedAcrossARestart) {
  const Principal kiosk = TokenOf(v1::ROLE_KIOSK, "tok_kiosk", "tablet-3");
  absl::StatusOr<v1::Alert> alert = TalkNow(kiosk, kRequestId);
  ASSERT_OK(alert);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(alert->raised_at()), absl::ToUnixMicros(Now()));
  Restart();
  absl::StatusOr<std::vector<v1::Alert>> backlog = UnacknowledgedAlerts(*store_);
  ASSERT_OK(backlog);
  ASSERT_EQ(backlog->size(), 1u);
  EXPECT_EQ((*backlog)[0].SerializeAsString(), alert->SerializeAsString());

  const Principal qa = TokenOf(v1::ROLE_QA_MANAGER, "tok_qa");
  v1::AcknowledgeAlertRequest ack;
  ack.set_id(alert->id());
  ack.set_actor("Chair, room 2");
  absl::StatusOr<v1::Alert> acknowledged = Answer<v1::Alert>(
      [&](Reply<v1::Alert> reply) { core_->AcknowledgeAlert(qa, ack, std::move(reply)); });
  ASSERT_OK(acknowledged);
  EXPECT_TRUE(acknowledged->acknowledged());
  EXPECT_EQ(acknowledged->acknowledged_by(), "Chair, room 2");
  EXPECT_EQ(acknowledged->device_name(), "tablet-3");
  EXPECT_TRUE(UnacknowledgedAlerts(*store_)->empty());
  // A repeat after acknowledgement answers the alert as it stands, and raises nothing.
  absl::StatusOr<v1::Alert> again = TalkNow(kiosk, kRequestId);
  ASSERT_OK(again);
  EXPECT_TRUE(again->acknowledged());
  EXPECT_EQ(Published().size(), 1u);  // the first, before the restart; the repeat raised none
}

TEST_F(KioskCoreTest, TalkNowRequestsAreCheckedNamingTheField) {
  const Principal kiosk = TokenOf(v1::ROLE_KIOSK, "tok_kiosk", "tablet-3");
  EXPECT_THAT(TalkNow(kiosk, "").status().message(), HasSubstr("request_id: must be set"));
  EXPECT_THAT(TalkNow(kiosk, "not-a-uuid").status().message(), HasSubstr("request_id:"));
  absl::StatusOr<v1::Alert> future = TalkNow(kiosk, kRequestId, Now() + absl::Minutes(11));
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(future.status().message(), HasSubstr("requested_at:"));
  // A clock a little ahead is taken as now.
  absl::StatusOr<v1::Alert> ahead = TalkNow(kiosk, kRequestId, Now() + absl::Minutes(3));
  ASSERT_OK(ahead);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(ahead->raised_at()), absl::ToUnixMicros(Now()));
  const Principal reporter = TokenOf(v1::ROLE_REPORTER, "tok_reporter");
  EXPECT_EQ(TalkNow(reporter, "6d0f4c2a-9b1e-4f57-8a63-2c7e1d9b0a44").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Published().size(), 1u);
}

}  // namespace kiosk_core_test
}  // namespace
}  // namespace feedback
