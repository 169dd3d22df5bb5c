// Access control through the real server: every RPC of the service, called with every role's
// token, with no token and with bad tokens, against the roles the contract and issue 5 give.
#include <map>
#include <set>
#include <string>

#include "absl/synchronization/notification.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "service/domain/access.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace access_e2e_test {

using v1::ROLE_ADMIN;
using v1::ROLE_ADVOCATE;
using v1::ROLE_AUDITOR;
using v1::ROLE_CHAIR;
using v1::ROLE_KIOSK;
using v1::ROLE_QA_MANAGER;
using v1::ROLE_REPORTER;

// Who may call what, written out from the API contract and issue 5, independently of the
// server's own table: kiosk submits only; advocate does advocacy and child statements plus
// submit; qa_manager reads feedback, complaints and alerts, approves quotes, exports; reporter
// sees summaries and approved quotes only; admin handles tokens, audit, erasure, retention and
// maintenance (and may export, as the contract says of ExportFeedback). Issue 9: QA staff and
// admin back-fill old quarters (submit, create and update referrals); only admin publishes a
// quarter.
const std::map<std::string, std::set<v1::Role>>& ExpectedAccess() {
  static const auto* expected = new std::map<std::string, std::set<v1::Role>>{
      {"SubmitFeedback", {ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"GetFeedback", {ROLE_QA_MANAGER}},
      {"ListFeedback", {ROLE_QA_MANAGER}},
      {"UpdateComplaint", {ROLE_QA_MANAGER}},
      {"GetComplaint", {ROLE_QA_MANAGER}},
      {"ListComplaints", {ROLE_QA_MANAGER}},
      {"CreateAdvocacyReferral", {ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"UpdateAdvocacyReferral", {ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"GetAdvocacyReferral", {ROLE_ADVOCATE, ROLE_QA_MANAGER}},
      {"ListAdvocacyReferrals", {ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"GetQuarterSummary", {ROLE_REPORTER, ROLE_QA_MANAGER}},
      {"ExportFeedback", {ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"WatchAlerts", {ROLE_QA_MANAGER}},
      {"AcknowledgeAlert", {ROLE_QA_MANAGER}},
      {"RetagFeedback", {ROLE_ADMIN}},
      {"VerifyCounters", {ROLE_ADMIN}},
      {"IssueToken", {ROLE_ADMIN}},
      {"ListTokens", {ROLE_ADMIN}},
      {"RevokeToken", {ROLE_ADMIN}},
      {"ListAudit", {ROLE_ADMIN}},
      {"ListQuotes", {ROLE_REPORTER, ROLE_QA_MANAGER}},
      {"ApproveQuote", {ROLE_QA_MANAGER}},
      {"WithdrawQuote", {ROLE_QA_MANAGER}},
      {"EraseFeedback", {ROLE_ADMIN}},
      {"PurgeFeedback", {ROLE_ADMIN}},
      {"SetLegalHold", {ROLE_ADMIN}},
      {"ListLegalHolds", {ROLE_ADMIN}},
      {"PublishQuarter", {ROLE_ADMIN}},
      // Issue 11: QA staff (or admin) enrol a tablet kiosk; the tablet exchanges its code with
      // no token (any caller, below); whoever collects feedback may ask for someone to talk.
      {"IssueKioskEnrolment", {ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"EnrolKiosk",
       {ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_REPORTER, ROLE_ADMIN, ROLE_AUDITOR,
        ROLE_CHAIR}},
      {"RequestTalkNow", {ROLE_KIOSK, ROLE_ADVOCATE, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Issue 13: an auditor records case-file audits and practice observations and reads them
      // back; QA staff (or admin) back-fill them, and QA staff read them. An auditor calls
      // nothing else.
      {"RecordQualityCheck", {ROLE_AUDITOR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"ListQualityChecks", {ROLE_AUDITOR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Issue 13: an independent chair records oversight outcomes and lists its own; QA staff
      // (or admin) back-fill them and list every chair's. A chair calls nothing else.
      {"RecordOversight", {ROLE_CHAIR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"ListOversights", {ROLE_CHAIR, ROLE_QA_MANAGER, ROLE_ADMIN}},
      // Issue 13: QA staff (or admin) write the report's narrative; whoever makes the report
      // (a reporter too) reads its current text. Only QA staff and admin read its history
      // (a rule on the request, not in this table).
      {"SetNarrative", {ROLE_QA_MANAGER, ROLE_ADMIN}},
      {"GetNarrative", {ROLE_QA_MANAGER, ROLE_REPORTER, ROLE_ADMIN}},
      {"CreateBackup", {ROLE_ADMIN}},
      {"ListBackups", {ROLE_ADMIN}},
      {"VerifyBackup", {ROLE_ADMIN}},
  };
  return *expected;
}

// The methods whose request is its own credential, so that they need no token: a tablet
// exchanges its one-time enrolment code for its first token. Every other method needs one.
const std::set<std::string>& ExpectedTokenless() {
  static const auto* tokenless = new std::set<std::string>{"EnrolKiosk"};
  return *tokenless;
}

std::vector<std::string> ServiceMethods() {
  std::vector<std::string> methods;
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          "feedback.v1.FeedbackService");
  for (int i = 0; i < service->method_count(); ++i) methods.push_back(service->method(i)->name());
  return methods;
}

// Calls the RPC at `path` with an empty request (valid bytes for every message) and
// `authorization` metadata (none if empty); returns the status. A stream that stays open (an
// allowed WatchAlerts) ends at the deadline.
grpc::Status CallWithAuthorization(grpc::GenericStub& stub, const std::string& path,
                                   const std::string& authorization) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  grpc::Slice empty_message("");
  grpc::ByteBuffer request(&empty_message, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request, &response, [&](grpc::Status s) {
    status = std::move(s);
    done.Notify();
  });
  done.WaitForNotification();
  return status;
}

class AccessMatrixTest : public SharedServerSuite {
 protected:
  static grpc::Status Call(const std::string& method, const std::string& authorization) {
    return CallWithAuthorization(generic_stub(), "/feedback.v1.FeedbackService/" + method,
                                 authorization);
  }
  static std::string Bearer(v1::Role role) { return "Bearer " + server().token(role); }
};

// The expectation above covers every RPC the proto declares, and nothing else: a new RPC
// fails this test until someone decides who may call it.
TEST_F(AccessMatrixTest, EveryRpcOfTheServiceHasAnExpectedSetOfRoles) {
  std::set<std::string> declared;
  for (const std::string& method : ServiceMethods()) declared.insert(method);
  std::set<std::string> expected;
  for (const auto& [method, roles] : ExpectedAccess()) expected.insert(method);
  EXPECT_EQ(declared, expected);
}

TEST_F(AccessMatrixTest, EveryRpcTimesEveryRoleIsAllowedOrDeniedAsTheContractSays) {
  for (const std::string& method : ServiceMethods()) {
    const std::set<v1::Role>& allowed = ExpectedAccess().at(method);
    for (v1::Role role : AllRoles()) {
      const grpc::Status status = Call(method, Bearer(role));
      if (allowed.contains(role)) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << " as " << RoleName(role) << ": " << status.error_message();
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << method << " as " << RoleName(role) << ": " << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << " as " << RoleName(role) << ": " << status.error_message();
        EXPECT_THAT(status.error_message(), ::testing::HasSubstr(RoleName(role)));
      }
    }
  }
}

TEST_F(AccessMatrixTest, EveryRpcRefusesAMissingOrMalformedOrUnknownToken) {
  const std::vector<std::string> bad_credentials = {
      "",                                            // no metadata at all
      "Bearer",                                      // scheme without a token
      "Bearer ",                                     // empty token
      "Basic dXNlcjpwYXNz",                          // another scheme
      server().token(ROLE_ADMIN),                    // the secret without "Bearer "
      "Bearer fbk_" + std::string(64, '0'),          // well-formed, never issued
      "Bearer " + server().token(ROLE_ADMIN) + "x",  // one character more
      "Bearer " + std::string(4000, 'A'),            // huge
  };
  for (const std::string& method : ServiceMethods()) {
    if (ExpectedTokenless().contains(method)) continue;  // below
    for (const std::string& credential : bad_credentials) {
      const grpc::Status status = Call(method, credential);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method << " with \"" << credential.substr(0, 40) << "\": " << status.error_message();
      // The refusal never repeats the secret that was sent.
      if (credential.size() > 20) {
        EXPECT_THAT(status.error_message(),
                    ::testing::Not(::testing::HasSubstr(credential.substr(7, 20))));
      }
    }
  }
}

// EnrolKiosk reads no token: with none, a bad one or a good one, the caller is admitted and
// its (empty) request is judged on its own: "code: must be set". Nothing else is tokenless.
TEST_F(AccessMatrixTest, OnlyEnrolKioskNeedsNoTokenAndItIgnoresAnyTokenSent) {
  for (const std::string& method : ServiceMethods()) {
    const grpc::Status status = Call(method, "");
    if (ExpectedTokenless().contains(method)) {
      for (const std::string& credential :
           {std::string(), std::string("Bearer fbk_nope"), Bearer(ROLE_REPORTER)}) {
        const grpc::Status tokenless = Call(method, credential);
        EXPECT_EQ(tokenless.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << method << ": " << tokenless.error_message();
        EXPECT_THAT(tokenless.error_message(), ::testing::HasSubstr("code: must be set"));
      }
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method << ": " << status.error_message();
    }
  }
}

// Health needs no token, so that load balancers and probes work.
TEST_F(AccessMatrixTest, HealthNeedsNoToken) {
  const grpc::Status status =
      CallWithAuthorization(generic_stub(), "/grpc.health.v1.Health/Check", "");
  EXPECT_TRUE(status.ok()) << status.error_message();
}

}  // namespace access_e2e_test
}  // namespace
}  // namespace feedback::testing
