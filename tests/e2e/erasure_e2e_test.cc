// Erasure, retention purges and legal holds through the real server and feedbackctl: what an
// erased item still shows, that the published figures do not move, that the words leave the
// data dir, and who may do it.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace erasure_e2e_test {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using Stub = v1::FeedbackService::Stub;

constexpr char kWords[] = "Ottoline Brackenbury thinks her social worker never listens";
constexpr char kNote[] = "Called Ottoline's grandmother Wilhelmina about the complaint";
constexpr int kExitInvalid = 3;  // client/cli_output.h

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(60);
}

google::protobuf::Timestamp At(const std::string& rfc3339) {
  google::protobuf::Timestamp at;
  EXPECT_TRUE(google::protobuf::util::TimeUtil::FromString(rfc3339, &at)) << rfc3339;
  return at;
}

v1::Feedback Item(const std::string& submission_id, v1::Kind kind, const std::string& occurred,
                  const std::string& text) {
  v1::Feedback f;
  f.set_submission_id(submission_id);
  f.set_source(v1::SOURCE_FAMILY);
  f.set_kind(kind);
  f.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  f.set_rating(2);
  f.set_text(text);
  *f.mutable_occurred_at() = At(occurred);
  return f;
}

grpc::Status Submit(Stub& stub, const v1::Feedback& feedback, v1::SubmitFeedbackResponse* out) {
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.SubmitFeedback(&context, request, out);
}

std::string MustSubmit(Stub& stub, const v1::Feedback& feedback) {
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(stub, feedback, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.feedback().id();
}

grpc::Status Erase(Stub& stub, const std::string& id, const std::string& reason,
                   v1::EraseFeedbackResponse* out) {
  v1::EraseFeedbackRequest request;
  request.set_id(id);
  request.set_reason(reason);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  return stub.EraseFeedback(&context, request, out);
}

v1::Feedback Get(Stub& stub, const std::string& id) {
  v1::GetFeedbackRequest request;
  request.set_id(id);
  v1::Feedback out;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.GetFeedback(&context, request, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

std::vector<v1::AuditEntry> Audit(Stub& stub, const std::string& action) {
  v1::ListAuditRequest request;
  request.set_action(action);
  v1::ListAuditResponse response;
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  const grpc::Status status = stub.ListAudit(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.entries().begin(), response.entries().end()};
}

// Each test starts its server: most with a retention file.
using ErasureE2eTest = DeferredServerTest;

TEST_F(ErasureE2eTest, ErasedComplaintKeepsItsCountsAndLosesItsWordsEverywhere) {
  ASSERT_OK(StartServer());
  const std::string data = data_dir();
  auto staff = server().NewStub();
  auto admin = server().NewStub(v1::ROLE_ADMIN);

  const v1::Feedback sent = Item("5d0c6f7e-2222-4b3c-9d4e-000000000001", v1::KIND_COMPLAINT,
                                 "2024-05-14T10:00:00Z", kWords);
  const std::string id = MustSubmit(*staff, sent);
  ASSERT_FALSE(id.empty());
  v1::UpdateComplaintRequest update;
  update.set_id(id);
  update.set_note(kNote);
  update.set_actor("Tobias Fenwick-Hale");
  update.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  {
    v1::Feedback updated;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status status = staff->UpdateComplaint(&context, update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const v1::QuarterSummary before = QuarterSummaryOf(*staff, 2024, 1);
  ASSERT_GT(before.ByteSizeLong(), 0u);
  const v1::Feedback stored = Get(*staff, id);
  ASSERT_EQ(stored.text(), kWords);
  ASSERT_TRUE(AnyFileContains(data, "Ottoline Brackenbury"));
  ASSERT_TRUE(AnyFileContains(data, "Wilhelmina"));

  v1::EraseFeedbackResponse erased;
  const grpc::Status status = Erase(*admin, id, "SAR 2026-041", &erased);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(erased.feedback().id(), id);
  EXPECT_EQ(erased.feedback().text(), "");
  EXPECT_TRUE(erased.feedback().has_erased_at());

  // What anyone reading it now sees: the item, its counted fields, no words.
  const v1::Feedback after = Get(*staff, id);
  EXPECT_EQ(after.text(), "");
  EXPECT_TRUE(after.has_erased_at());
  EXPECT_EQ(after.kind(), v1::KIND_COMPLAINT);
  EXPECT_EQ(after.complaint_outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  EXPECT_THAT(after.tags(), ::testing::ElementsAreArray(stored.tags()));
  {
    v1::GetComplaintRequest request;
    request.set_id(id);
    v1::Complaint complaint;
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    const grpc::Status got = staff->GetComplaint(&context, request, &complaint);
    ASSERT_TRUE(got.ok()) << got.error_message();
    EXPECT_EQ(complaint.feedback().text(), "");
    ASSERT_GE(complaint.history_size(), 2);
    for (const v1::ComplaintEvent& event : complaint.history()) {
      EXPECT_EQ(event.note(), "");
      EXPECT_EQ(event.actor(), "");
    }
  }
  // The published quarter has not moved, and the counters still match the records.
  const v1::QuarterSummary summary_after = QuarterSummaryOf(*staff, 2024, 1);
  EXPECT_TRUE(MessageDifferencer::Equals(before, summary_after)) << before.DebugString() << "\nvs\n"
                                                                 << summary_after.DebugString();
  ExpectCountersConsistent(*staff);
  // Audited with the case reference.
  const std::vector<v1::AuditEntry> entries = Audit(*admin, "feedback.erase");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(entries[0].ids(), UnorderedElementsAre(id));
  EXPECT_EQ(entries[0].detail(), "SAR 2026-041");
  EXPECT_EQ(entries[0].actor_role(), v1::ROLE_ADMIN);
  // Gone from every file of the store, not only from the API.
  EXPECT_FALSE(AnyFileContains(data, "Ottoline Brackenbury"));
  EXPECT_FALSE(AnyFileContains(data, "Wilhelmina"));
  EXPECT_FALSE(AnyFileContains(data, "Tobias Fenwick-Hale"));

  // A kiosk replaying the same submission cannot bring the words back.
  v1::SubmitFeedbackResponse replay;
  const grpc::Status replayed = Submit(*staff, sent, &replay);
  EXPECT_EQ(replayed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(replayed.error_message(), HasSubstr("erased"));
  EXPECT_EQ(Get(*staff, id).text(), "");
  EXPECT_EQ(ListAllFeedback(server()).size(), 1u);

  // Erasing again is harmless; a bad reason or id is refused, naming the field.
  EXPECT_TRUE(Erase(*admin, id, "SAR 2026-041", &erased).ok());
  EXPECT_EQ(Erase(*admin, id, "", &erased).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status long_reason = Erase(*admin, id, std::string(500, 'x'), &erased);
  EXPECT_EQ(long_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(long_reason.error_message(), HasSubstr("reason"));
  EXPECT_EQ(Erase(*admin, "fb_0123456789abcdef0123456789abcdef", "SAR 1", &erased).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ErasureE2eTest, ABadRetentionFileStopsTheServerNamingTheLine) {
  const absl::Status started =
      StartServer({.files = {{"--retention", "# periods\ncomplaint seven-years\n"}}});
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(started.message(), HasSubstr("retention.txt line 2: days"));
}

TEST_F(ErasureE2eTest, OnlyAdminsMayEraseHoldOrPurge) {
  ASSERT_OK(StartServer({.files = {{"--retention", "comment 365\n"}}}));
  auto staff = server().NewStub();
  const std::string id = MustSubmit(*staff, Item("5d0c6f7e-2222-4b3c-9d4e-000000000002",
                                                 v1::KIND_COMMENT, "2019-06-01T10:00:00Z", kWords));
  for (v1::Role role :
       {v1::ROLE_KIOSK, v1::ROLE_ADVOCATE, v1::ROLE_QA_MANAGER, v1::ROLE_REPORTER}) {
    auto as_role = server().NewStub(role);
    v1::EraseFeedbackResponse erased;
    EXPECT_EQ(Erase(*as_role, id, "SAR 1", &erased).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << v1::Role_Name(role);
    {
      v1::PurgeFeedbackRequest request;
      v1::PurgeFeedbackResponse response;
      grpc::ClientContext context;
      EXPECT_EQ(as_role->PurgeFeedback(&context, request, &response).error_code(),
                grpc::StatusCode::PERMISSION_DENIED);
    }
    {
      v1::SetLegalHoldRequest request;
      request.set_id(id);
      request.set_hold(true);
      request.set_reason("Claim 1");
      v1::LegalHold response;
      grpc::ClientContext context;
      EXPECT_EQ(as_role->SetLegalHold(&context, request, &response).error_code(),
                grpc::StatusCode::PERMISSION_DENIED);
    }
    {
      v1::ListLegalHoldsResponse response;
      grpc::ClientContext context;
      EXPECT_EQ(
          as_role->ListLegalHolds(&context, v1::ListLegalHoldsRequest(), &response).error_code(),
          grpc::StatusCode::PERMISSION_DENIED);
    }
  }
  const v1::Feedback after = Get(*staff, id);
  EXPECT_EQ(after.text(), kWords);
  EXPECT_FALSE(after.has_erased_at());
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  EXPECT_THAT(Audit(*admin, "feedback.erase"), IsEmpty());
  EXPECT_THAT(Audit(*admin, "retention.purge"), IsEmpty());
  EXPECT_THAT(Audit(*admin, "legal_hold.set"), IsEmpty());
}

TEST_F(ErasureE2eTest, PurgeErasesWhatIsPastRetentionExceptHeldItems) {
  ASSERT_OK(
      StartServer({.files = {{"--retention", "# test periods\ncomplaint 365\ncomment 365\n"}}}));
  const std::string data = data_dir();
  auto staff = server().NewStub();
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  const std::string old_comment =
      MustSubmit(*staff, Item("5d0c6f7e-2222-4b3c-9d4e-000000000011", v1::KIND_COMMENT,
                              "2019-06-01T10:00:00Z", "Quintessa Albarn found the room cold"));
  const std::string old_complaint =
      MustSubmit(*staff, Item("5d0c6f7e-2222-4b3c-9d4e-000000000012", v1::KIND_COMPLAINT,
                              "2019-07-01T10:00:00Z", "Barnaby Quelch was not invited"));
  const std::string held =
      MustSubmit(*staff, Item("5d0c6f7e-2222-4b3c-9d4e-000000000013", v1::KIND_COMPLAINT,
                              "2019-08-01T10:00:00Z", "Cressida Vantongeren wants a review"));
  const std::string old_compliment =  // no retention period for compliments: kept forever
      MustSubmit(*staff, Item("5d0c6f7e-2222-4b3c-9d4e-000000000014", v1::KIND_COMPLIMENT,
                              "2019-08-01T10:00:00Z", "Thank you from Desmond"));
  const std::string ten_days_ago =
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() - absl::Hours(240), absl::UTCTimeZone());
  const std::string recent =
      MustSubmit(*staff, Item("5d0c6f7e-2222-4b3c-9d4e-000000000015", v1::KIND_COMMENT,
                              ten_days_ago, "Ezekiel Marchbanks liked the new form"));
  const v1::QuarterSummary summary_2019 = QuarterSummaryOf(*staff, 2019, 2);

  CommandResult hold = Ctl({"admin", "hold", "set", held, "--reason", "Claim 2026-7"});
  ASSERT_EQ(hold.exit_code, 0) << hold.err;
  CommandResult holds = Ctl({"admin", "hold", "list"});
  ASSERT_EQ(holds.exit_code, 0) << holds.err;
  EXPECT_THAT(holds.out, HasSubstr(held));
  EXPECT_THAT(holds.out, HasSubstr("Claim 2026-7"));

  // A held item cannot be erased.
  CommandResult refused = Ctl({"admin", "erase", held, "--reason", "SAR 2026-050"});
  EXPECT_EQ(refused.exit_code, kExitInvalid);
  EXPECT_THAT(refused.err, HasSubstr("legal hold"));
  EXPECT_EQ(Get(*staff, held).text(), "Cressida Vantongeren wants a review");

  // The dry run lists the old items and changes nothing.
  CommandResult dry = Ctl({"admin", "purge", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("would erase " + old_comment));
  EXPECT_THAT(dry.out, HasSubstr("would erase " + old_complaint));
  EXPECT_THAT(dry.out, HasSubstr("held       " + held));
  EXPECT_THAT(dry.out, ::testing::Not(HasSubstr(recent)));
  EXPECT_THAT(dry.out, ::testing::Not(HasSubstr(old_compliment)));
  EXPECT_THAT(dry.out, HasSubstr("2 would be erased, 1 held, 5 examined"));
  for (const std::string& id : {old_comment, old_complaint, held, old_compliment, recent}) {
    EXPECT_FALSE(Get(*staff, id).has_erased_at()) << id;
  }
  EXPECT_EQ(Get(*staff, old_comment).text(), "Quintessa Albarn found the room cold");
  ASSERT_EQ(Audit(*admin, "retention.purge.dry_run").size(), 1u);

  // The purge itself, as JSON.
  CommandResult purge = Ctl({"--json", "admin", "purge"});
  ASSERT_EQ(purge.exit_code, 0) << purge.err;
  EXPECT_THAT(purge.out, HasSubstr(old_comment));
  EXPECT_THAT(purge.out, HasSubstr(old_complaint));
  EXPECT_THAT(purge.out, HasSubstr("\"held\""));
  EXPECT_EQ(Get(*staff, old_comment).text(), "");
  EXPECT_TRUE(Get(*staff, old_comment).has_erased_at());
  EXPECT_EQ(Get(*staff, old_complaint).text(), "");
  EXPECT_EQ(Get(*staff, held).text(), "Cressida Vantongeren wants a review");
  EXPECT_EQ(Get(*staff, old_compliment).text(), "Thank you from Desmond");
  EXPECT_EQ(Get(*staff, recent).text(), "Ezekiel Marchbanks liked the new form");
  EXPECT_FALSE(AnyFileContains(data, "Quintessa Albarn"));
  EXPECT_FALSE(AnyFileContains(data, "Barnaby Quelch"));
  EXPECT_TRUE(AnyFileContains(data, "Cressida Vantongeren"));
  EXPECT_TRUE(MessageDifferencer::Equals(summary_2019, QuarterSummaryOf(*staff, 2019, 2)));
  ExpectCountersConsistent(*staff);
  const std::vector<v1::AuditEntry> purges = Audit(*admin, "retention.purge");
  ASSERT_EQ(purges.size(), 1u);
  EXPECT_THAT(purges[0].ids(), UnorderedElementsAre(old_comment, old_complaint));
  EXPECT_EQ(Audit(*admin, "legal_hold.set").size(), 1u);

  // Released, the held item goes at the next purge.
  CommandResult release = Ctl({"admin", "hold", "release", held});
  ASSERT_EQ(release.exit_code, 0) << release.err;
  EXPECT_EQ(Audit(*admin, "legal_hold.release").size(), 1u);
  CommandResult again = Ctl({"admin", "purge"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("erased " + held));
  EXPECT_THAT(again.out, HasSubstr("1 erased, 0 held"));
  EXPECT_EQ(Get(*staff, held).text(), "");
  EXPECT_FALSE(AnyFileContains(data, "Cressida Vantongeren"));

  // The erase command itself.
  CommandResult erase = Ctl({"admin", "erase", recent, "--reason", "SAR 2026-051"});
  ASSERT_EQ(erase.exit_code, 0) << erase.err;
  EXPECT_THAT(erase.out, HasSubstr(recent + ": erased at "));
  EXPECT_EQ(Get(*staff, recent).text(), "");
}

}  // namespace erasure_e2e_test
}  // namespace
}  // namespace feedback::testing
