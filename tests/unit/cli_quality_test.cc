// Issue 13: `feedbackctl audit record|list` and `observation record|list` (client/cli/
// cli_quality.cc) against an in-process stand-in for feedbackd: what each command sends, and what
// the person at the terminal sees. The flags are parsed by feedbackctl's own command line.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/cli/cli_app.h"
#include "client/cli/cli_common.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace cli_quality_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;

// Records what arrives and answers as feedbackd would: a recorded check with an id, or the list
// it was given.
class QualityCheckService final : public v1::FeedbackService::Service {
 public:
  grpc::Status RecordQualityCheck(grpc::ServerContext*,
                                  const v1::RecordQualityCheckRequest* request,
                                  v1::QualityCheck* response) override {
    absl::MutexLock lock(&mutex_);
    recorded_.push_back(*request);
    *response = request->check();
    response->set_id("qc_0123456789abcdef0123456789abcdef");
    if (!response->has_occurred_at()) *response->mutable_occurred_at() = TimeUtil::GetCurrentTime();
    return grpc::Status::OK;
  }
  grpc::Status ListQualityChecks(grpc::ServerContext*, const v1::ListQualityChecksRequest* request,
                                 v1::ListQualityChecksResponse* response) override {
    absl::MutexLock lock(&mutex_);
    listed_.push_back(*request);
    *response = list_;
    return grpc::Status::OK;
  }

  std::vector<v1::RecordQualityCheckRequest> Recorded() const {
    absl::MutexLock lock(&mutex_);
    return recorded_;
  }
  std::vector<v1::ListQualityChecksRequest> Listed() const {
    absl::MutexLock lock(&mutex_);
    return listed_;
  }
  void SetList(v1::ListQualityChecksResponse list) {
    absl::MutexLock lock(&mutex_);
    list_ = std::move(list);
  }

 private:
  mutable absl::Mutex mutex_;
  std::vector<v1::RecordQualityCheckRequest> recorded_ ABSL_GUARDED_BY(mutex_);
  std::vector<v1::ListQualityChecksRequest> listed_ ABSL_GUARDED_BY(mutex_);
  v1::ListQualityChecksResponse list_ ABSL_GUARDED_BY(mutex_);
};

struct Ran {
  int exit_code = -1;
  std::string out, err;
};

// The seconds of `day` at 00:00 in Europe/London.
int64_t LondonMidnight(absl::CivilDay day) {
  return absl::ToUnixSeconds(absl::FromCivil(day, LocalZone()));
}

class CliQualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  // feedbackctl `args` against the stand-in, as its main() would run them (without main's
  // terminal filter: the output is what the command wrote).
  Ran Feedbackctl(std::vector<std::string> args) {
    CLI::App app{"feedbackctl"};
    CliContext context;
    AddFeedbackctl(app, context);
    args.push_back("--server");
    args.push_back(absl::StrCat("127.0.0.1:", port_));
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
    Ran run;
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    try {
      app.parse(reversed);
      run.exit_code = context.exit_code;
    } catch (const CLI::ParseError& error) {
      run.exit_code = kExitUsage;
      run.err = error.what();
    }
    run.out = ::testing::internal::GetCapturedStdout();
    run.err += ::testing::internal::GetCapturedStderr();
    return run;
  }

  QualityCheckService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(CliQualityTest, AuditRecordSendsACaseFileAuditAndPrintsItsId) {
  const Ran run = Feedbackctl({"audit", "record", "--division", "social-care", "--grade",
                               "requires-improvement", "--date", "2018-11-02", "--moderated",
                               "--strengths", "Good evidence of partner agencies", "--areas",
                               "Assessment of parenting capacity"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "qc_0123456789abcdef0123456789abcdef\n");
  EXPECT_THAT(run.err, HasSubstr("recorded a case-file audit of 2018-11-02: social-care, "
                                 "requires-improvement, moderated"));
  ASSERT_EQ(service_.Recorded().size(), 1);
  const v1::QualityCheck check = service_.Recorded()[0].check();
  EXPECT_EQ(check.activity(), v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  EXPECT_EQ(check.service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(check.grade(), v1::QA_GRADE_REQUIRES_IMPROVEMENT);
  EXPECT_TRUE(check.moderated());
  EXPECT_EQ(check.strengths(), "Good evidence of partner agencies");
  EXPECT_EQ(check.areas_for_improvement(), "Assessment of parenting capacity");
  // A day is that day in Europe/London: midnight GMT in November.
  EXPECT_EQ(check.occurred_at().seconds(), LondonMidnight(absl::CivilDay(2018, 11, 2)));
  EXPECT_EQ(TimeUtil::ToString(check.occurred_at()), "2018-11-02T00:00:00Z");
  // A fresh idempotency key (a version 4 UUID) when none is given.
  EXPECT_THAT(check.submission_id(),
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}

TEST_F(CliQualityTest, ObservationRecordSendsAPracticeObservation) {
  const Ran run = Feedbackctl({"observation", "record", "--division", "early-help", "--grade",
                               "outstanding", "--date", "2018-07-02", "--submission-id",
                               "9b2f1c4e-0d3a-4e5b-8c6d-7e8f9a0b1c2d"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "qc_0123456789abcdef0123456789abcdef\n");
  EXPECT_THAT(run.err, HasSubstr("recorded a practice observation of 2018-07-02: early-help, "
                                 "outstanding, not moderated"));
  ASSERT_EQ(service_.Recorded().size(), 1);
  const v1::QualityCheck check = service_.Recorded()[0].check();
  EXPECT_EQ(check.activity(), v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
  EXPECT_EQ(check.service_area(), v1::SERVICE_AREA_EARLY_HELP);
  EXPECT_EQ(check.grade(), v1::QA_GRADE_OUTSTANDING);
  EXPECT_FALSE(check.moderated());
  EXPECT_EQ(check.submission_id(), "9b2f1c4e-0d3a-4e5b-8c6d-7e8f9a0b1c2d");
  // Midnight in London in July is 23:00 UTC the day before (BST).
  EXPECT_EQ(TimeUtil::ToString(check.occurred_at()), "2018-07-01T23:00:00Z");
}

TEST_F(CliQualityTest, RecordTakesAnRfc3339TimeAndDefaultsToTheServersNow) {
  ASSERT_EQ(Feedbackctl({"audit", "record", "--division", "youth-offending", "--grade",
                         "inadequate", "--date", "2018-11-02T14:30:00Z"})
                .exit_code,
            kExitOk);
  ASSERT_EQ(Feedbackctl({"audit", "record", "--division", "youth-offending", "--grade", "good"})
                .exit_code,
            kExitOk);
  ASSERT_EQ(service_.Recorded().size(), 2);
  EXPECT_EQ(TimeUtil::ToString(service_.Recorded()[0].check().occurred_at()),
            "2018-11-02T14:30:00Z");
  EXPECT_FALSE(service_.Recorded()[1].check().has_occurred_at());
}

TEST_F(CliQualityTest, BadFlagsAreUsageErrorsAndSendNothing) {
  const Ran grade =
      Feedbackctl({"audit", "record", "--division", "social-care", "--grade", "excellent"});
  EXPECT_EQ(grade.exit_code, kExitUsage);
  EXPECT_THAT(grade.err, HasSubstr("--grade"));
  EXPECT_THAT(grade.err, HasSubstr("requires-improvement"));  // the choices are listed
  const Ran date = Feedbackctl(
      {"audit", "record", "--division", "social-care", "--grade", "good", "--date", "2018-02-30"});
  EXPECT_EQ(date.exit_code, kExitUsage);
  EXPECT_THAT(date.err, HasSubstr("--date: \"2018-02-30\" is neither a day such as 2018-11-02"));
  const Ran missing = Feedbackctl({"observation", "record", "--grade", "good"});
  EXPECT_EQ(missing.exit_code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("--division"));
  EXPECT_THAT(service_.Recorded(), IsEmpty());
}

TEST_F(CliQualityTest, JsonPrintsTheRecordedCheck) {
  const Ran run = Feedbackctl(
      {"observation", "record", "--division", "social-care", "--grade", "good", "--json"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_THAT(run.out, HasSubstr("\"id\":\"qc_0123456789abcdef0123456789abcdef\""));
  EXPECT_THAT(run.out, HasSubstr("\"activity\":\"QA_ACTIVITY_PRACTICE_OBSERVATION\""));
  EXPECT_THAT(run.err, Not(HasSubstr("recorded a")));  // --json prints no note
}

v1::QualityCheck Listed(const std::string& id, absl::CivilDay day, v1::ServiceArea area,
                        v1::QaGrade grade, bool moderated) {
  v1::QualityCheck check;
  check.set_id(id);
  check.set_activity(v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  check.set_service_area(area);
  check.set_grade(grade);
  check.set_moderated(moderated);
  check.mutable_occurred_at()->set_seconds(LondonMidnight(day) + 3600);
  check.set_strengths("never shown in the table");
  return check;
}

TEST_F(CliQualityTest, AuditListFiltersAndPrintsATable) {
  v1::ListQualityChecksResponse list;
  *list.add_checks() = Listed("qc_2", absl::CivilDay(2018, 12, 5), v1::SERVICE_AREA_EARLY_HELP,
                              v1::QA_GRADE_REQUIRES_IMPROVEMENT, true);
  *list.add_checks() = Listed("qc_1", absl::CivilDay(2018, 10, 1), v1::SERVICE_AREA_EARLY_HELP,
                              v1::QA_GRADE_GOOD, false);
  service_.SetList(list);
  const Ran run =
      Feedbackctl({"audit", "list", "--quarter", "2018-19Q3", "--division", "early-help"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out,
            "date        division         grade                 moderated  id\n"
            "2018-12-05  early-help       requires-improvement  yes        qc_2\n"
            "2018-10-01  early-help       good                  no         qc_1\n");
  ASSERT_EQ(service_.Listed().size(), 1);
  const v1::ListQualityChecksRequest request = service_.Listed()[0];
  EXPECT_EQ(request.activity(), v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  EXPECT_EQ(request.financial_year(), 2018);
  EXPECT_EQ(request.quarter(), 3);
  EXPECT_EQ(request.service_area(), v1::SERVICE_AREA_EARLY_HELP);
}

TEST_F(CliQualityTest, ObservationListAsksForObservationsAndSaysWhenThereAreNone) {
  const Ran run = Feedbackctl({"observation", "list"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("no practice observations matched"));
  ASSERT_EQ(service_.Listed().size(), 1);
  EXPECT_EQ(service_.Listed()[0].activity(), v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
  EXPECT_EQ(service_.Listed()[0].quarter(), 0);  // all time
  EXPECT_EQ(service_.Listed()[0].service_area(), v1::SERVICE_AREA_UNSPECIFIED);
}

TEST_F(CliQualityTest, AnIdFromTheServerCannotBreakItsLine) {
  v1::ListQualityChecksResponse list;
  *list.add_checks() = Listed("qc_1\nFAKE  line", absl::CivilDay(2018, 12, 5),
                              v1::SERVICE_AREA_SOCIAL_CARE, v1::QA_GRADE_GOOD, false);
  service_.SetList(list);
  const Ran run = Feedbackctl({"audit", "list"});
  ASSERT_EQ(run.exit_code, kExitOk) << run.err;
  EXPECT_THAT(run.out, Not(HasSubstr("\nFAKE")));
  EXPECT_THAT(run.out, Not(HasSubstr("never shown")));
}

TEST(ParseDayOrTimeFlag, ADayIsMidnightInLondonAndATimeIsRfc3339) {
  google::protobuf::Timestamp at;
  ASSERT_OK(ParseDayOrTimeFlag("date", "2019-03-31", &at));  // the day the clocks go forward
  EXPECT_EQ(TimeUtil::ToString(at), "2019-03-31T00:00:00Z");
  ASSERT_OK(ParseDayOrTimeFlag("date", "2019-04-01", &at));
  EXPECT_EQ(TimeUtil::ToString(at), "2019-03-31T23:00:00Z");
  ASSERT_OK(ParseDayOrTimeFlag("date", "2018-11-02T14:30:00+01:00", &at));
  EXPECT_EQ(TimeUtil::ToString(at), "2018-11-02T13:30:00Z");
  google::protobuf::Timestamp untouched;
  ASSERT_OK(ParseDayOrTimeFlag("date", "", &untouched));
  EXPECT_FALSE(untouched.seconds() != 0 || untouched.nanos() != 0);
  for (const char* bad : {"2018-13-01", "02/11/2018", "yesterday", "2018-11-2"}) {
    const absl::Status status = ParseDayOrTimeFlag("date", bad, &at);
    EXPECT_TRUE(IsUsageError(status)) << bad;
    EXPECT_THAT(std::string(status.message()), HasSubstr("--date")) << bad;
  }
}

}  // namespace cli_quality_test
}  // namespace
}  // namespace feedback::client
