// `feedbackctl import` through the real binaries (issue 13, item 5, docs/import.md): a quarter of
// every type exported from one store, imported into a fresh one and exported again gives the
// same records and the same links; a second run stores nothing; a file with one bad row writes
// nothing and names the row; --dry-run writes nothing; a kiosk or reporter token is refused.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace import_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;
using Stub = v1::FeedbackService::Stub;

constexpr char kQuarter[] = "2018-19Q3";
const std::vector<std::string> kTypes = {"referrals", "feedback",     "complaint-steps",
                                         "audits",    "observations", "oversight"};

google::protobuf::Timestamp Day(int month, int day) {
  const int year = 2018;
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(
      absl::FromCivil(absl::CivilSecond(year, month, day, 10, 0, 0), absl::UTCTimeZone())));
}

template <typename Request, typename Response>
Response Must(Stub& stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  Response response;
  const grpc::Status status = (stub.*method)(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response;
}

// A quarter of every type, with a child's statement linked to its referral and a complaint
// escalated and closed, entered by QA staff (back-filling).
void LoadQuarter(Stub& qa) {
  v1::CreateAdvocacyReferralRequest referral;
  referral.set_submission_id(client::NewSubmissionId());
  referral.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
  referral.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  referral.set_child_age(12);
  referral.set_within_city_boundary(true);
  *referral.mutable_referred_at() = Day(10, 4);
  const v1::AdvocacyReferral made = Must(qa, &Stub::CreateAdvocacyReferral, referral);
  referral.set_submission_id(client::NewSubmissionId());
  referral.set_child_age(9);
  *referral.mutable_referred_at() = Day(10, 11);
  const v1::AdvocacyReferral declined = Must(qa, &Stub::CreateAdvocacyReferral, referral);
  v1::UpdateAdvocacyReferralRequest update;
  update.set_id(declined.id());
  update.set_status(v1::ADVOCACY_STATUS_NOT_PROGRESSED);
  update.set_reason("Child chose to speak, for themself");
  Must(qa, &Stub::UpdateAdvocacyReferral, update);

  auto submit = [&](v1::Feedback f) {
    f.set_submission_id(client::NewSubmissionId());
    v1::SubmitFeedbackRequest request;
    *request.mutable_feedback() = f;
    return Must(qa, &Stub::SubmitFeedback, request).feedback();
  };
  v1::Feedback f;
  f.set_source(v1::SOURCE_FAMILY);
  f.set_kind(v1::KIND_COMPLIMENT);
  f.set_meeting(v1::MEETING_CLA_REVIEW);
  f.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  f.set_rating(5);
  f.set_consent_to_quote(true);
  f.set_text("=1+1, \"quoted\"\nand a second line");
  *f.mutable_occurred_at() = Day(11, 2);
  submit(f);
  f.set_source(v1::SOURCE_PARTNER_AGENCY);
  f.set_kind(v1::KIND_COMPLAINT);
  f.set_rating(0);
  f.set_consent_to_quote(false);
  f.set_text("The report came late");
  *f.mutable_occurred_at() = Day(11, 9);
  const v1::Feedback complaint = submit(f);
  f.set_source(v1::SOURCE_CHILD);
  f.set_kind(v1::KIND_CHILD_STATEMENT);
  f.set_advocacy_referral_id(made.id());
  f.set_child_confirmed(true);
  f.set_text("I want to see my brother more");
  *f.mutable_occurred_at() = Day(10, 20);
  submit(f);

  v1::UpdateComplaintRequest step;
  step.set_id(complaint.id());
  step.set_stage(v1::COMPLAINT_STAGE_2);
  step.set_actor("Team manager");
  step.set_note("Asked for stage 2");
  *step.mutable_effective_at() = Day(11, 20);
  Must(qa, &Stub::UpdateComplaint, step);
  step.set_outcome(v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD);
  step.set_note("");
  *step.mutable_effective_at() = Day(12, 14);
  Must(qa, &Stub::UpdateComplaint, step);

  for (v1::QaActivity activity :
       {v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::QA_ACTIVITY_PRACTICE_OBSERVATION}) {
    v1::RecordQualityCheckRequest check;
    check.mutable_check()->set_submission_id(client::NewSubmissionId());
    check.mutable_check()->set_activity(activity);
    check.mutable_check()->set_service_area(v1::SERVICE_AREA_EARLY_HELP);
    check.mutable_check()->set_grade(v1::QA_GRADE_GOOD);
    check.mutable_check()->set_moderated(true);
    check.mutable_check()->set_strengths("Child's voice is clear throughout");
    *check.mutable_check()->mutable_occurred_at() = Day(10, 15);
    Must(qa, &Stub::RecordQualityCheck, check);
  }
  v1::RecordOversightRequest oversight;
  oversight.mutable_oversight()->set_submission_id(client::NewSubmissionId());
  oversight.mutable_oversight()->set_meeting(v1::MEETING_CLA_REVIEW);
  oversight.mutable_oversight()->set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  oversight.mutable_oversight()->set_outcome(v1::OVERSIGHT_OUTCOME_COMMENDATION);
  oversight.mutable_oversight()->set_strengths("Excellent life story work");
  *oversight.mutable_oversight()->mutable_occurred_at() = Day(10, 20);
  Must(qa, &Stub::RecordOversight, oversight);
}

// The rows of an export CSV without the columns that name one store (ids, times of recording),
// sorted: what must be the same in every store that holds the same records.
std::vector<std::string> Comparable(const std::string& csv) {
  static const std::set<std::string> kStoreOwn = {
      "id",          "received_at", "recorded_at",  "created_at",   "updated_at",
      "recorded_by", "alert_id",    "alert_due_at", "complaint_id", "advocacy_referral_id"};
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  std::vector<std::string> out;
  if (rows.empty()) return out;
  for (size_t r = 1; r < rows.size(); ++r) {
    std::vector<std::string> kept;
    for (size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) {
      if (!kStoreOwn.contains(rows[0][c])) kept.push_back(rows[0][c] + "=" + rows[r][c]);
    }
    out.push_back(absl::StrJoin(kept, "|"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Each row of a feedback export CSV as "submission_id>advocacy_referral_submission_id", sorted.
std::vector<std::string> Linked(const std::string& csv) {
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv);
  std::vector<std::string> out;
  if (rows.empty()) return out;
  const auto column = [&](const std::string& name) {
    return std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin();
  };
  const auto id = column("submission_id");
  const auto link = column("advocacy_referral_submission_id");
  for (size_t r = 1; r < rows.size(); ++r) {
    out.push_back(absl::StrCat(rows[r].at(id), ">", rows[r].at(link)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Import : public ServerTest {
 protected:
  CommandResult Export(const ServerProcess& server, const std::string& type) {
    return RunCommand(server.Ctl(
        v1::ROLE_QA_MANAGER, {"export", "--quarter", kQuarter, "--type", type, "--format", "csv"}));
  }
  CommandResult ImportFile(const ServerProcess& server, const std::string& file,
                           const std::string& type, v1::Role role = v1::ROLE_QA_MANAGER,
                           bool dry_run = false) {
    std::vector<std::string> args = {"import", file, "--type", type};
    if (dry_run) args.push_back("--dry-run");
    return RunCommand(server.Ctl(role, args));
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir().Sub(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  int FeedbackCount(Stub& stub) {
    v1::ListFeedbackRequest request;
    request.set_page_size(500);
    return Must(stub, &Stub::ListFeedback, request).feedback_size();
  }
};

TEST_F(Import, AQuarterOfEveryTypeRoundTripsIntoAFreshStoreWithItsLinksAndASecondRunStoresNothing) {
  LoadQuarter(stub(v1::ROLE_QA_MANAGER));
  absl::StatusOr<std::unique_ptr<ServerProcess>> fresh = StartOtherServer("fresh");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  const std::map<std::string, int> expected_rows = {{"referrals", 2},       {"feedback", 3},
                                                    {"complaint-steps", 3}, {"audits", 1},
                                                    {"observations", 1},    {"oversight", 1}};
  std::map<std::string, std::string> exported;
  for (const std::string& type : kTypes) {
    SCOPED_TRACE(type);
    const CommandResult out = Export(server(), type);
    ASSERT_EQ(out.exit_code, 0) << out.err;
    exported[type] = out.out;
    ASSERT_EQ(ParseCsv(out.out).size(), static_cast<size_t>(expected_rows.at(type) + 1)) << out.out;
    const std::string file = Write(type + ".csv", out.out);
    const CommandResult imported = ImportFile(**fresh, file, type);
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    // The received step of a complaint comes with the complaint itself.
    const int stored = type == "complaint-steps" ? 1 : 0;
    EXPECT_THAT(imported.out, HasSubstr(absl::StrCat(expected_rows.at(type),
                                                     " rows: ", expected_rows.at(type) - stored,
                                                     " new, ", stored, " already stored")));
    EXPECT_THAT(imported.err, Not(HasSubstr("importing [")));  // no bar without a terminal
  }
  for (const std::string& type : kTypes) {
    SCOPED_TRACE(type);
    const CommandResult again = Export(**fresh, type);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(Comparable(again.out), Comparable(exported[type]));
  }
  // The child's statement links to the fresh store's copy of its referral.
  const std::vector<std::vector<std::string>> rows = ParseCsv(Export(**fresh, "feedback").out);
  int linked = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r][4] != "child") continue;
    ++linked;
    v1::GetAdvocacyReferralRequest get;
    get.set_id(rows[r][13]);
    EXPECT_EQ(Must(*(*fresh)->NewStub(v1::ROLE_QA_MANAGER), &Stub::GetAdvocacyReferral, get)
                  .submission_id(),
              rows[r][16]);
  }
  EXPECT_EQ(linked, 1);

  for (const std::string& type : kTypes) {
    SCOPED_TRACE(type);
    const CommandResult rerun = ImportFile(**fresh, dir().Sub(type + ".csv"), type);
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_THAT(rerun.out, HasSubstr(absl::StrCat(" rows: 0 new, ", expected_rows.at(type),
                                                  " already stored")));
  }
  EXPECT_EQ(FeedbackCount(*(*fresh)->NewStub(v1::ROLE_QA_MANAGER)), 3);
}

// Importing is back-filling, which admin may do too: every type but the complaint steps (QA
// staff's decisions) round-trips with an admin token, links included; the steps are refused
// with a word on the token they need, and nothing of them is written.
TEST_F(Import, AnAdminTokenImportsEveryTypeButComplaintStepsWhichNeedQaStaff) {
  LoadQuarter(stub(v1::ROLE_QA_MANAGER));
  absl::StatusOr<std::unique_ptr<ServerProcess>> fresh = StartOtherServer("fresh-admin");
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  for (const std::string& type : kTypes) {
    SCOPED_TRACE(type);
    const CommandResult out = Export(server(), type);
    ASSERT_EQ(out.exit_code, 0) << out.err;
    const std::string file = Write("admin-" + type + ".csv", out.out);
    const CommandResult imported = ImportFile(**fresh, file, type, v1::ROLE_ADMIN);
    if (type == "complaint-steps") {
      EXPECT_EQ(imported.exit_code, 7) << imported.err;
      EXPECT_THAT(imported.err, HasSubstr("complaint-steps needs a qa_manager token"));
      continue;
    }
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_THAT(imported.out, HasSubstr(" new, 0 already stored"));
    const CommandResult again = Export(**fresh, type);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    // The feedback export carries each complaint's current stage, which the refused steps
    // would have moved on; that file is compared by its rows' submission ids and links.
    if (type == "feedback") {
      EXPECT_EQ(Linked(again.out), Linked(out.out));
    } else {
      EXPECT_EQ(Comparable(again.out), Comparable(out.out));
    }
  }
  // The complaint is stored (with the feedback), but none of its later steps.
  v1::ListComplaintsRequest request;
  const v1::ListComplaintsResponse complaints =
      Must(*(*fresh)->NewStub(v1::ROLE_QA_MANAGER), &Stub::ListComplaints, request);
  ASSERT_EQ(complaints.complaints_size(), 1);
  EXPECT_EQ(complaints.complaints(0).history_size(), 1);
  // Admin's lists are audited like anyone's.
  const CommandResult audit =
      RunCommand((*fresh)->Ctl(v1::ROLE_ADMIN, {"admin", "audit", "--action", "referral.list"}));
  EXPECT_THAT(audit.out, HasSubstr("referral.list"));
}

TEST_F(Import, OneBadRowWritesNothingAndEveryBadRowIsNamedByLineAndColumn) {
  const std::string file =
      Write("feedback.csv",
            "occurred_at,source,kind,meeting,rating,text\r\n"
            "2018-11-02T10:00:00Z,family,compliment,cla-review,5,\"Fair, and kind\"\r\n"
            "2018-11-03T10:00:00Z,family,compliment,cla reveiw,5,Good\r\n"
            "2018-11-04T10:00:00Z,family,compliment,icpc,9,\"two\nlines\"\r\n"
            "2018-11-05T10:00:00Z,family,\x1b[31mcompliment,icpc,4,ok\r\n");
  const CommandResult result = ImportFile(server(), file, "feedback");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("feedback.csv:3: column \"meeting\": \"cla reveiw\" is not "
                                    "one of: initial-cp-conference"));
  EXPECT_THAT(result.err, HasSubstr("feedback.csv:4: column \"rating\": \"9\""));
  EXPECT_THAT(result.err, HasSubstr("feedback.csv:6: column \"kind\": \"\\u001b[31mcompliment\""));
  EXPECT_THAT(result.err, Not(HasSubstr("\x1b")));
  EXPECT_THAT(result.err, HasSubstr("nothing was written"));
  EXPECT_EQ(FeedbackCount(stub(v1::ROLE_QA_MANAGER)), 0);

  const CommandResult header = ImportFile(
      server(), Write("h.csv", "occurred_at,sorce,kind\r\n2018-11-02T10:00:00Z,family,comment\r\n"),
      "feedback");
  EXPECT_EQ(header.exit_code, 2);
  EXPECT_THAT(header.err, HasSubstr("unknown column \"sorce\""));
  EXPECT_THAT(header.err, HasSubstr("missing column \"source\""));
}

TEST_F(Import, DryRunWritesNothingAndKioskAndReporterTokensAreRefused) {
  const std::string file = Write("good.csv",
                                 "occurred_at,source,kind,rating,text\r\n"
                                 "2018-11-02T10:00:00Z,family,compliment,5,Kind\r\n"
                                 "2018-11-02T10:00:00Z,family,compliment,5,Kind\r\n");
  const CommandResult dry = ImportFile(server(), file, "feedback", v1::ROLE_QA_MANAGER, true);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("2 rows are valid"));
  EXPECT_THAT(dry.out, HasSubstr("Nothing was written"));
  EXPECT_EQ(FeedbackCount(stub(v1::ROLE_QA_MANAGER)), 0);

  for (v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_REPORTER}) {
    const CommandResult refused = ImportFile(server(), file, "feedback", role);
    EXPECT_EQ(refused.exit_code, 7) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("import needs a qa_manager or admin token"));
  }
  EXPECT_EQ(FeedbackCount(stub(v1::ROLE_QA_MANAGER)), 0);

  // Two identical rows without submission ids stay two records, and a second run adds none.
  const CommandResult first = ImportFile(server(), file, "feedback");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("2 rows: 2 new, 0 already stored"));
  const CommandResult second = ImportFile(server(), file, "feedback");
  EXPECT_THAT(second.out, HasSubstr("2 rows: 0 new, 2 already stored"));
  EXPECT_EQ(FeedbackCount(stub(v1::ROLE_QA_MANAGER)), 2);
}

}  // namespace import_e2e_test
}  // namespace
}  // namespace feedback::testing
