// Issue 9, items 1 and 8, through the real binaries: fields the server sets cannot come from a
// client; errors echo little; a TLS key that is not the certificate's is named at start-up; the
// store's files are private whatever the umask; `admin token issue --out` writes a private file.
#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/domain/server_fields.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace hardening_e2e_test {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Stub = v1::FeedbackService::Stub;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

v1::Feedback KioskComplaint(const std::string& text) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(v1::KIND_COMPLAINT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  feedback.set_text(text);
  return feedback;
}

grpc::Status Submit(Stub& stub, const v1::Feedback& feedback,
                    v1::SubmitFeedbackResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  return stub.SubmitFeedback(&context, request, response);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

// Every file under `dir` (recursively) whose mode lets anyone but its owner in.
std::vector<std::string> FilesOthersCanReach(const std::string& dir) {
  std::vector<std::string> loose;
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const mode_t mode = ModeOf(entry.path().string());
    if ((mode & 077) != 0) loose.push_back(absl::StrFormat("%s %04o", entry.path().string(), mode));
  }
  EXPECT_GT(files, 3u) << "no store in " << dir;
  return loose;
}

// Sets the umask of this test process (and so of the binaries it starts) for one scope.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

// --- Item 1: server-set fields -----------------------------------------------------------------

using ServerSetFieldsE2e = ServerTest;

// The attack of issue 9: an item submitted "already erased" escaped erasure and purges. Now it
// is refused by name, and nothing is stored.
TEST_F(ServerSetFieldsE2e, AKioskSubmissionAlreadyErasedIsRefusedAndNothingIsStored) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);

  v1::Feedback erased = KioskComplaint("My social worker read my diary out at the meeting");
  erased.mutable_erased_at()->set_seconds(1'500'000'000);
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = Submit(*kiosk, erased, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(status.error_message(),
            "feedback.erased_at: is assigned by the server; leave it unset");
  EXPECT_THAT(ListAllFeedback(server()), IsEmpty());

  // Every other field the server sets is refused the same way.
  v1::Feedback with_id = KioskComplaint("words");
  with_id.set_id("fb_chosen_by_the_client");
  EXPECT_THAT(Submit(*kiosk, with_id, &response).error_message(), HasSubstr("feedback.id:"));
  v1::Feedback closed = KioskComplaint("words");
  closed.set_complaint_outcome(v1::COMPLAINT_OUTCOME_NOT_UPHELD);
  EXPECT_THAT(Submit(*kiosk, closed, &response).error_message(),
              HasSubstr("feedback.complaint_outcome:"));
  EXPECT_THAT(ListAllFeedback(server()), IsEmpty());

  // The same item without the field is stored, and erasure then works on it.
  erased.clear_erased_at();
  ASSERT_TRUE(Submit(*kiosk, erased, &response).ok());
  EXPECT_FALSE(response.feedback().has_erased_at());
}

// Every field that the server filled in on an item, through its whole life (stored, tagged,
// complaint closed, erased), is marked server_set, so a client can set none of them. Only
// occurred_at, which a client may give and the server defaults, is not.
TEST_F(ServerSetFieldsE2e, EveryFieldTheServerFillsInOnAnItemIsMarked) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  auto staff = server().NewStub();
  auto admin = server().NewStub(v1::ROLE_ADMIN);

  const v1::Feedback sent = KioskComplaint("Nobody told me the meeting had moved");
  v1::SubmitFeedbackResponse submitted;
  ASSERT_TRUE(Submit(*kiosk, sent, &submitted).ok());
  const std::string id = submitted.feedback().id();
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::UpdateComplaintRequest update;
    update.set_id(id);
    update.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
    v1::Feedback updated;
    ASSERT_TRUE(staff->UpdateComplaint(&context, update, &updated).ok());
  }
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::EraseFeedbackRequest erase;
    erase.set_id(id);
    erase.set_reason("SAR 2026-041");
    v1::EraseFeedbackResponse erased;
    ASSERT_TRUE(admin->EraseFeedback(&context, erase, &erased).ok());
  }
  v1::Feedback stored;
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::GetFeedbackRequest get;
    get.set_id(id);
    ASSERT_TRUE(staff->GetFeedback(&context, get, &stored).ok());
  }
  ASSERT_TRUE(stored.has_erased_at());

  std::vector<const google::protobuf::FieldDescriptor*> sent_fields;
  sent.GetReflection()->ListFields(sent, &sent_fields);
  std::vector<const google::protobuf::FieldDescriptor*> stored_fields;
  stored.GetReflection()->ListFields(stored, &stored_fields);
  std::vector<std::string> filled_in;
  for (const google::protobuf::FieldDescriptor* field : stored_fields) {
    if (std::find(sent_fields.begin(), sent_fields.end(), field) != sent_fields.end()) continue;
    if (field->name() == "occurred_at") continue;
    filled_in.push_back(field->name());
    EXPECT_TRUE(IsServerSet(*field)) << field->full_name() << " is set by the server, not marked";
  }
  // The walk saw the fields of issue 9 (it is not vacuous).
  for (const char* name :
       {"id", "received_at", "tags", "complaint_stage", "complaint_outcome", "erased_at"}) {
    EXPECT_THAT(filled_in, ::testing::Contains(name));
  }
}

// --- Item 8: errors echo little ----------------------------------------------------------------

using ErrorEchoE2e = ServerTest;

// A 60 kB id sent to every RPC that names an id in its errors comes back as at most 64 bytes of
// it, escaped, and the length; control characters in an id are never echoed raw.
TEST_F(ErrorEchoE2e, AnIdIsEchoedBoundedAndEscaped) {
  auto staff = server().NewStub();
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  const std::string huge(60'000, 'x');
  const std::string escapes = "fb_\x1b]0;owned\x07\r\n";

  auto calls = [&](const std::string& id) {
    std::vector<std::pair<std::string, grpc::Status>> results;
    auto call = [&](const char* name, auto method, Stub& stub, auto request, auto response) {
      grpc::ClientContext context;
      context.set_deadline(Deadline());
      results.emplace_back(name, (stub.*method)(&context, request, &response));
    };
    v1::GetFeedbackRequest get;
    get.set_id(id);
    call("GetFeedback", &Stub::GetFeedback, *staff, get, v1::Feedback());
    v1::GetComplaintRequest complaint;
    complaint.set_id(id);
    call("GetComplaint", &Stub::GetComplaint, *staff, complaint, v1::Complaint());
    v1::UpdateComplaintRequest update;
    update.set_id(id);
    update.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
    call("UpdateComplaint", &Stub::UpdateComplaint, *staff, update, v1::Feedback());
    v1::GetAdvocacyReferralRequest referral;
    referral.set_id(id);
    call("GetAdvocacyReferral", &Stub::GetAdvocacyReferral, *staff, referral,
         v1::AdvocacyReferral());
    v1::UpdateAdvocacyReferralRequest update_referral;
    update_referral.set_id(id);
    update_referral.set_status(v1::ADVOCACY_STATUS_PROGRESSED);
    call("UpdateAdvocacyReferral", &Stub::UpdateAdvocacyReferral, *staff, update_referral,
         v1::AdvocacyReferral());
    v1::AcknowledgeAlertRequest alert;
    alert.set_id(id);
    call("AcknowledgeAlert", &Stub::AcknowledgeAlert, *staff, alert, v1::Alert());
    v1::EraseFeedbackRequest erase;
    erase.set_id(id);
    erase.set_reason("SAR 2026-041");
    call("EraseFeedback", &Stub::EraseFeedback, *admin, erase, v1::EraseFeedbackResponse());
    v1::RevokeTokenRequest revoke;
    revoke.set_id(id);
    call("RevokeToken", &Stub::RevokeToken, *admin, revoke, v1::Token());
    return results;
  };

  for (const auto& [name, status] : calls(huge)) {
    SCOPED_TRACE(name);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
    EXPECT_LT(status.error_message().size(), 400u);
    EXPECT_THAT(status.error_message(),
                AllOf(HasSubstr(absl::StrCat("\"", std::string(64, 'x'), "\"... (60000 bytes)")),
                      Not(HasSubstr(std::string(65, 'x')))));
  }
  for (const auto& [name, status] : calls(escapes)) {
    SCOPED_TRACE(name);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(R"("fb_\x1b]0;owned\x07\r\n")"));
    for (char c : status.error_message()) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << name;
  }
}

// --- Item 8: a TLS key that is not the certificate's ------------------------------------------

// The certificates are made, and wrong keys tried, before the server starts.
using TlsKeyE2e = DeferredServerTest;

TEST_F(TlsKeyE2e, AKeyThatIsNotTheCertificatesIsNamedNotReportedAsAPortInUse) {
  ASSERT_OK(MakeTestCertificates(dir()));
  const std::string cert = TlsFile("server.pem");
  const std::string wrong_key = TlsFile("client.key");  // a real key, of another cert

  const CommandResult refused =
      RunCommand({FEEDBACKD_PATH, "--listen", "127.0.0.1:0", "--data-dir", data_dir(), "--tls-cert",
                  cert, "--tls-key", wrong_key});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, AllOf(HasSubstr("--tls-key"), HasSubstr(wrong_key),
                                 HasSubstr("is not the private key of the certificate in "
                                           "--tls-cert"),
                                 HasSubstr(cert)));
  EXPECT_THAT(refused.err, Not(HasSubstr("port")));

  // A file that holds no key at all is named as such.
  const CommandResult not_a_key =
      RunCommand({FEEDBACKD_PATH, "--listen", "127.0.0.1:0", "--data-dir", data_dir(), "--tls-cert",
                  cert, "--tls-key", cert});
  EXPECT_EQ(not_a_key.exit_code, 1);
  EXPECT_THAT(not_a_key.err, AllOf(HasSubstr("--tls-key"), HasSubstr("no unencrypted PEM "
                                                                     "private key")));

  // The right pair still serves.
  EXPECT_OK(StartServer({.tls = true}));
}

// --- Item 8: the store's files are private whatever the umask ----------------------------------

// The store is made by the offline token issue (under the user's umask, here 022), then served
// by feedbackd: after a submission, no file in it is open to group or others.
// The umask is set before the server (and its offline token issue) starts.
using StoreFilesE2e = DeferredServerTest;

TEST_F(StoreFilesE2e, EveryFileOfANewStoreIsPrivateAfterASubmission) {
  ScopedUmask usual(022);
  ASSERT_OK(StartServer());
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  v1::SubmitFeedbackResponse response;
  ASSERT_TRUE(Submit(*kiosk, KioskComplaint("They listened to me"), &response).ok());
  ASSERT_EQ(StopServer(SIGTERM), 0);
  EXPECT_THAT(FilesOthersCanReach(data_dir()), IsEmpty());
  EXPECT_EQ(ModeOf(data_dir()), 0700u);

  // A store made by the offline token issue alone is private too.
  const CommandResult issued = RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role",
                                           "admin", "--data-dir", dir().Sub("offline")});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_THAT(FilesOthersCanReach(dir().Sub("offline")), IsEmpty());
}

// --- Item 8: admin token issue --out -----------------------------------------------------------

// The server starts after an offline issue where the test makes one.
class TokenOutE2e : public DeferredServerTest {
 protected:
  // The tokens feedbackctl lists, through the admin token.
  int TokenCount() {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::ListTokensResponse tokens;
    EXPECT_TRUE(stub(v1::ROLE_ADMIN).ListTokens(&context, v1::ListTokensRequest(), &tokens).ok());
    return tokens.tokens_size();
  }

  ScopedUmask usual_{022};  // the umask that left `| tail -n 1 > var/qa.token` readable by all
};

TEST_F(TokenOutE2e, OfflineIssueWritesTheTokenToAPrivateFileThatWorks) {
  const std::string data = data_dir();
  const std::string out = dir().Sub("qa.token");
  const CommandResult issued =
      RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role", "qa_manager", "--device",
                  "QA laptop", "--data-dir", data, "--out", out});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_EQ(ModeOf(out), 0600u);
  const std::string contents = ReadAll(out);
  ASSERT_THAT(contents, ::testing::MatchesRegex("fbk_[0-9a-f]{64}\n"));
  const std::string secret = contents.substr(0, contents.size() - 1);
  EXPECT_THAT(issued.out, AllOf(HasSubstr("qa_manager"), HasSubstr(out), Not(HasSubstr(secret))));

  // The token works: a qa_manager call with it succeeds.
  ASSERT_OK(StartServer());
  const CommandResult listed =
      RunCommand({FEEDBACKCTL_PATH, "--server", server().address(), "--token-file", out, "list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
}

TEST_F(TokenOutE2e, OnlineIssueWritesTheTokenToAPrivateFileAndNeverOverwritesOne) {
  ASSERT_OK(StartServer());
  const std::string out = dir().Sub("kiosk.token");
  const CommandResult issued =
      Ctl({"admin", "token", "issue", "--role", "kiosk", "--device", "tablet-1", "--out", out});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  EXPECT_EQ(ModeOf(out), 0600u);
  const std::string contents = ReadAll(out);
  ASSERT_THAT(contents, ::testing::MatchesRegex("fbk_[0-9a-f]{64}\n"));
  EXPECT_THAT(issued.out, Not(HasSubstr(contents.substr(0, contents.size() - 1))));

  // The kiosk token submits.
  auto kiosk = ChannelWithToken(server().address(), contents.substr(0, contents.size() - 1));
  v1::SubmitFeedbackResponse response;
  const grpc::Status submitted =
      Submit(*v1::FeedbackService::NewStub(kiosk), KioskComplaint("Thank you"), &response);
  EXPECT_TRUE(submitted.ok()) << submitted.error_message();

  // Again to the same file: refused before any token is issued; the file is untouched.
  const int tokens_before = TokenCount();
  const CommandResult again =
      Ctl({"admin", "token", "issue", "--role", "kiosk", "--device", "tablet-2", "--out", out});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, AllOf(HasSubstr("--out"), HasSubstr(out), HasSubstr("already exists")));
  EXPECT_EQ(ReadAll(out), contents);
  EXPECT_EQ(TokenCount(), tokens_before);
}

}  // namespace hardening_e2e_test
}  // namespace
}  // namespace feedback::testing
