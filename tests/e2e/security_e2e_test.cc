// Hostile inputs and the security controls of issue 5, through the real server: each refusal
// has the right code and stores nothing; tokens, revocation, audit, limits and TLS.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace security_e2e_test {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::chrono::system_clock::time_point Deadline(int seconds = 30) {
  return std::chrono::system_clock::now() + std::chrono::seconds(seconds);
}

v1::Feedback KioskCompliment(const std::string& text) {
  v1::Feedback feedback;
  feedback.set_submission_id(client::NewSubmissionId());
  feedback.set_source(v1::SOURCE_FAMILY);
  feedback.set_kind(v1::KIND_COMPLIMENT);
  feedback.set_meeting(v1::MEETING_CLA_REVIEW);
  feedback.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  feedback.set_text(text);
  return feedback;
}

grpc::Status Submit(v1::FeedbackService::Stub& stub, const v1::Feedback& feedback,
                    v1::SubmitFeedbackResponse* response = nullptr) {
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::SubmitFeedbackRequest request;
  *request.mutable_feedback() = feedback;
  v1::SubmitFeedbackResponse ignored;
  return stub.SubmitFeedback(&context, request, response == nullptr ? &ignored : response);
}

std::vector<v1::AuditEntry> AuditLog(const ServerProcess& server, const std::string& action) {
  auto admin = server.NewStub(v1::ROLE_ADMIN);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::ListAuditRequest request;
  request.set_action(action);
  request.set_page_size(1000);
  v1::ListAuditResponse response;
  const grpc::Status status = admin->ListAudit(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.entries().begin(), response.entries().end()};
}

// Every byte of every file under `dir`, concatenated.
std::string AllBytesUnder(const std::string& dir) {
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream contents;
    contents << in.rdbuf();
    all += contents.str();
  }
  return all;
}

class SecurityTest : public ServerTest {
 protected:
  size_t Stored() { return ListAllFeedback(server()).size(); }

  // A new token of `role` for `device`, issued through the server with the admin token.
  v1::IssueTokenResponse Issue(v1::Role role, const std::string& device = "") {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::IssueTokenRequest request;
    request.set_role(role);
    request.set_device_name(device);
    v1::IssueTokenResponse issued;
    const grpc::Status status = stub(v1::ROLE_ADMIN).IssueToken(&context, request, &issued);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return issued;
  }

  // Revokes the token `id` with the admin token; the token as stored afterwards.
  v1::Token Revoke(const std::string& id) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::RevokeTokenRequest request;
    request.set_id(id);
    v1::Token revoked;
    const grpc::Status status = stub(v1::ROLE_ADMIN).RevokeToken(&context, request, &revoked);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return revoked;
  }
};

TEST_F(SecurityTest, OversizeMessageIsResourceExhaustedAndNothingIsStored) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  const grpc::Status status = Submit(*kiosk, KioskCompliment(std::string(200 * 1024, 'x')));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(SecurityTest, TextThatIsNotUtf8IsRefusedNamingTheFieldAndNothingIsStored) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  const grpc::Status status = Submit(*kiosk, KioskCompliment("caf\xe9 \xff\xfe"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("feedback.text"));
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(SecurityTest, SubmissionWithABadTokenIsUnauthenticatedAndNothingIsStored) {
  for (const std::string& token :
       {std::string("fbk_") + std::string(64, 'f'), std::string("not a token"), std::string()}) {
    auto stub = v1::FeedbackService::NewStub(ChannelWithToken(server().address(), token));
    const grpc::Status status = Submit(*stub, KioskCompliment("The chair listened"));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << token;
  }
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(SecurityTest, KioskCannotSubmitAChildsStatementOrReadAnything) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  v1::Feedback statement = KioskCompliment("I want to live with my nan");
  statement.set_kind(v1::KIND_CHILD_STATEMENT);
  statement.set_source(v1::SOURCE_CHILD);
  const grpc::Status submitted = Submit(*kiosk, statement);
  EXPECT_EQ(submitted.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(submitted.error_message(), HasSubstr("feedback.kind"));

  v1::SubmitFeedbackResponse stored;
  ASSERT_TRUE(Submit(*kiosk, KioskCompliment("The chair listened"), &stored).ok());
  grpc::ClientContext context;
  v1::GetFeedbackRequest get;
  get.set_id(stored.feedback().id());
  v1::Feedback read;
  EXPECT_EQ(kiosk->GetFeedback(&context, get, &read).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(SecurityTest, ReplayedSubmissionWithAlteredContentIsAlreadyExistsAndTheFirstStands) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  v1::Feedback first = KioskCompliment("The chair listened to my mum");
  ASSERT_TRUE(Submit(*kiosk, first).ok());
  v1::Feedback altered = first;
  altered.set_text("The chair did not listen at all");
  altered.set_kind(v1::KIND_COMPLAINT);
  const grpc::Status status = Submit(*kiosk, altered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text(), first.text());
  EXPECT_EQ(stored[0].kind(), v1::KIND_COMPLIMENT);
}

TEST_F(SecurityTest, KioskOverItsRateIsResourceExhaustedAndTheExtraIsNotStored) {
  ASSERT_EQ(StopServer(SIGTERM), 0);
  ASSERT_OK(StartServer({.flags = {"--rate-limit", "kiosk=5"}}));
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  for (int n = 0; n < 5; ++n) {
    const grpc::Status status = Submit(*kiosk, KioskCompliment("thank you " + std::to_string(n)));
    ASSERT_TRUE(status.ok()) << n << ": " << status.error_message();
  }
  const grpc::Status over = Submit(*kiosk, KioskCompliment("one too many"));
  EXPECT_EQ(over.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(over.error_message(), HasSubstr("rate limit"));
  EXPECT_EQ(ListAllFeedback(server()).size(), 5u);
  // Another kiosk has its own allowance.
  auto other = server().NewStub(v1::ROLE_ADVOCATE);
  EXPECT_TRUE(Submit(*other, KioskCompliment("from the advocate")).ok());
}

TEST_F(SecurityTest, StreamsPastTheLimitPerTokenAreResourceExhausted) {
  ASSERT_EQ(StopServer(SIGTERM), 0);
  ASSERT_OK(StartServer({.flags = {"--max-streams-per-token", "1"}}));
  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  // The first watch is open once the server has sent its headers.
  grpc::ClientContext first_context;
  auto first = qa->WatchAlerts(&first_context, v1::WatchAlertsRequest());
  first->WaitForInitialMetadata();
  grpc::ClientContext second_context;
  second_context.set_deadline(Deadline());
  auto second = qa->WatchAlerts(&second_context, v1::WatchAlertsRequest());
  v1::Alert alert;
  EXPECT_FALSE(second->Read(&alert));
  const grpc::Status status = second->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  first_context.TryCancel();
  first->Finish();
}

TEST_F(SecurityTest, RevokedTokenIsRefusedOnItsNextCall) {
  const v1::IssueTokenResponse issued = Issue(v1::ROLE_KIOSK, "tablet-7");
  EXPECT_THAT(issued.secret(), ::testing::StartsWith("fbk_"));
  EXPECT_GE(issued.secret().size(), 4u + 32u);  // at least 128 bits as hex

  auto tablet = v1::FeedbackService::NewStub(ChannelWithToken(server().address(), issued.secret()));
  ASSERT_TRUE(Submit(*tablet, KioskCompliment("before revocation")).ok());

  EXPECT_TRUE(Revoke(issued.token().id()).has_revoked_at());

  const grpc::Status after = Submit(*tablet, KioskCompliment("after revocation"));
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(after.error_message(), HasSubstr("revoked"));
  EXPECT_EQ(Stored(), 1u);

  // Revocation survives a restart: it is stored, not just remembered.
  ASSERT_EQ(StopServer(SIGTERM), 0);
  ASSERT_OK(StartServer());
  tablet = v1::FeedbackService::NewStub(ChannelWithToken(server().address(), issued.secret()));
  EXPECT_EQ(Submit(*tablet, KioskCompliment("after restart")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// A lost laptop's open alert watch gets no more children's words once its token is revoked.
TEST_F(SecurityTest, RevokingATokenEndsItsOpenAlertWatchBeforeTheNextAlert) {
  const v1::IssueTokenResponse issued = Issue(v1::ROLE_QA_MANAGER, "duty laptop");
  auto laptop = v1::FeedbackService::NewStub(ChannelWithToken(server().address(), issued.secret()));
  grpc::ClientContext watch_context;
  auto watch = laptop->WatchAlerts(&watch_context, v1::WatchAlertsRequest());
  watch->WaitForInitialMetadata();

  ASSERT_TRUE(Revoke(issued.token().id()).has_revoked_at());

  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  v1::Feedback scared = KioskCompliment("I am scared to go home");
  scared.set_kind(v1::KIND_COMMENT);
  ASSERT_TRUE(Submit(*kiosk, scared).ok());
  v1::Alert alert;
  EXPECT_FALSE(watch->Read(&alert)) << "sent to a revoked token: " << alert.id();
  const grpc::Status ended = watch->Finish();
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::UNAUTHENTICATED) << ended.error_message();
  EXPECT_THAT(ended.error_message(), HasSubstr("revoked"));
  EXPECT_TRUE(AuditLog(server(), "alert.read").empty());
}

// The store's files hold children's words: only the server's user may reach them. (The folder
// is private; feedbackd's own files are private too, whatever the umask.)
TEST_F(SecurityTest, TheStoreIsReadableByTheServersUserOnly) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  ASSERT_TRUE(Submit(*kiosk, KioskCompliment("The chair listened")).ok());
  ASSERT_EQ(StopServer(SIGTERM), 0);
  const auto group_or_others =
      std::filesystem::perms::group_all | std::filesystem::perms::others_all;
  EXPECT_EQ(std::filesystem::status(data_dir()).permissions() & group_or_others,
            std::filesystem::perms::none);
  const std::string log = data_dir() + "/LOG";  // written by feedbackd itself
  EXPECT_EQ(std::filesystem::status(log).permissions() & group_or_others,
            std::filesystem::perms::none);
}

TEST_F(SecurityTest, TokenRequestsWithBadFieldsAreRefusedNamingTheField) {
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  auto issue = [&](const v1::IssueTokenRequest& request) {
    grpc::ClientContext context;
    v1::IssueTokenResponse response;
    return admin->IssueToken(&context, request, &response);
  };
  v1::IssueTokenRequest no_role;
  EXPECT_THAT(issue(no_role).error_message(), HasSubstr("role"));
  v1::IssueTokenRequest past;
  past.set_role(v1::ROLE_KIOSK);
  past.mutable_expires_at()->set_seconds(1000);
  const grpc::Status expired = issue(past);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(expired.error_message(), HasSubstr("expires_at"));
  v1::IssueTokenRequest control_characters;
  control_characters.set_role(v1::ROLE_KIOSK);
  control_characters.set_device_name("tablet\n\x1b[31m");
  EXPECT_THAT(issue(control_characters).error_message(), HasSubstr("device_name"));
}

// Secrets are stored only as hashes: no file of the store holds one.
TEST_F(SecurityTest, NoTokenSecretIsWrittenToTheStore) {
  const v1::IssueTokenResponse issued = Issue(v1::ROLE_REPORTER);
  ASSERT_FALSE(issued.secret().empty());
  ASSERT_EQ(StopServer(SIGTERM), 0);  // everything flushed and closed
  const std::string bytes = AllBytesUnder(data_dir());
  EXPECT_THAT(bytes, Not(HasSubstr(issued.secret())));
  EXPECT_THAT(bytes, Not(HasSubstr(server().token(v1::ROLE_ADMIN))));
  EXPECT_THAT(bytes, HasSubstr(issued.token().id()));  // the store was really read
}

TEST_F(SecurityTest, ReadsOfRawFeedbackAndChangesAreAuditedWithoutTheWords) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  v1::Feedback complaint = KioskCompliment("Nobody told me the meeting had moved");
  complaint.set_kind(v1::KIND_COMPLAINT);
  v1::SubmitFeedbackResponse stored;
  ASSERT_TRUE(Submit(*kiosk, complaint, &stored).ok());
  const std::string id = stored.feedback().id();

  auto qa = server().NewStub(v1::ROLE_QA_MANAGER);
  {
    grpc::ClientContext context;
    v1::GetFeedbackRequest get;
    get.set_id(id);
    v1::Feedback read;
    ASSERT_TRUE(qa->GetFeedback(&context, get, &read).ok());
  }
  {
    grpc::ClientContext context;
    v1::UpdateComplaintRequest update;
    update.set_id(id);
    update.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
    update.set_note("Apology sent to the family");
    v1::Feedback updated;
    ASSERT_TRUE(qa->UpdateComplaint(&context, update, &updated).ok());
  }
  const std::vector<v1::AuditEntry> reads = AuditLog(server(), "feedback.read");
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_THAT(reads[0].ids(), ::testing::ElementsAre(id));
  EXPECT_EQ(reads[0].actor_role(), v1::ROLE_QA_MANAGER);
  EXPECT_THAT(reads[0].actor_token_id(), ::testing::StartsWith("tok_"));
  EXPECT_EQ(reads[0].actor_device(), "test-qa_manager");
  const std::vector<v1::AuditEntry> changes = AuditLog(server(), "complaint.update");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_THAT(changes[0].ids(), ::testing::ElementsAre(id));
  // The log holds ids, never the words or the note.
  for (const v1::AuditEntry& entry : AuditLog(server(), "")) {
    EXPECT_THAT(entry.DebugString(),
                AllOf(Not(HasSubstr("meeting had moved")), Not(HasSubstr("Apology"))));
  }
  // A refused read is not data returned, and is not logged as one.
  grpc::ClientContext context;
  v1::GetFeedbackRequest get;
  get.set_id(id);
  v1::Feedback read;
  EXPECT_FALSE(kiosk->GetFeedback(&context, get, &read).ok());
  EXPECT_EQ(AuditLog(server(), "feedback.read").size(), 1u);
}

TEST_F(SecurityTest, ExportIsAuditedPageByPageWithTheIdsSent) {
  auto kiosk = server().NewStub(v1::ROLE_KIOSK);
  std::set<std::string> ids;
  for (int n = 0; n < 3; ++n) {
    v1::SubmitFeedbackResponse stored;
    ASSERT_TRUE(Submit(*kiosk, KioskCompliment("thanks " + std::to_string(n)), &stored).ok());
    ids.insert(stored.feedback().id());
  }
  auto admin = server().NewStub(v1::ROLE_ADMIN);
  grpc::ClientContext context;
  v1::ExportFeedbackRequest request;
  const absl::Time now = absl::Now();
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  const absl::CivilMonth month(absl::ToCivilMonth(now, london));
  const int fy =
      month.month() >= 4 ? static_cast<int>(month.year()) : static_cast<int>(month.year()) - 1;
  request.set_financial_year(fy);
  auto reader = admin->ExportFeedback(&context, request);
  std::set<std::string> exported;
  for (v1::Feedback item; reader->Read(&item);) exported.insert(item.id());
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(exported, ids);
  std::set<std::string> audited;
  for (const v1::AuditEntry& entry : AuditLog(server(), "feedback.export")) {
    EXPECT_EQ(entry.actor_role(), v1::ROLE_ADMIN);
    audited.insert(entry.ids().begin(), entry.ids().end());
  }
  EXPECT_EQ(audited, ids);
}

// --- The command line --------------------------------------------------------------------------

// The server starts only after the offline issue has made the store.
using TokenCommandLine = DeferredServerTest;

TEST_F(TokenCommandLine, IssueOfflinePrintsTheTokenAloneOnTheLastLineAndItWorks) {
  const CommandResult issued =
      RunCommand({FEEDBACKD_PATH, "admin", "token", "issue", "--role", "admin", "--device",
                  "ops laptop", "--data-dir", data_dir()});
  ASSERT_EQ(issued.exit_code, 0) << issued.err;
  std::string out = issued.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  const std::string token = out.substr(out.rfind('\n') + 1);
  EXPECT_THAT(token, ::testing::MatchesRegex("fbk_[0-9a-f]{64}"));

  // While the server holds the store, offline issue is refused and says what to do.
  ASSERT_OK(StartServer());
  const CommandResult refused = RunCommand(
      {FEEDBACKD_PATH, "admin", "token", "issue", "--role", "kiosk", "--data-dir", data_dir()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("feedbackctl --server"));

  // The offline token administers the running server.
  const std::string token_file = dir().Sub("ops.token");
  std::ofstream(token_file) << token << "\n";
  const CommandResult kiosk =
      RunCommand({FEEDBACKCTL_PATH, "--server", server().address(), "--token-file", token_file,
                  "admin", "token", "issue", "--role", "kiosk", "--device", "tablet-1"});
  ASSERT_EQ(kiosk.exit_code, 0) << kiosk.err;
  const CommandResult listed = RunCommand({FEEDBACKCTL_PATH, "--server", server().address(),
                                           "--token-file", token_file, "admin", "token", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, AllOf(HasSubstr("ops laptop"), HasSubstr("tablet-1"), HasSubstr("kiosk"),
                                Not(HasSubstr("fbk_"))));
  const CommandResult audit = RunCommand({FEEDBACKCTL_PATH, "--server", server().address(),
                                          "--token-file", token_file, "admin", "audit"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out,
              AllOf(HasSubstr("token.issue"), HasSubstr("role=kiosk"), HasSubstr("offline")));

  // Without a token the CLI exits with its "denied" code.
  const CommandResult anonymous =
      RunCommand({FEEDBACKCTL_PATH, "--server", server().address(), "admin", "token", "list"});
  EXPECT_EQ(anonymous.exit_code, 7) << anonymous.err;
  EXPECT_THAT(anonymous.err, HasSubstr("UNAUTHENTICATED"));
}

// --- Transport ---------------------------------------------------------------------------------

TEST(Transport, TheClientWillNotSendATokenInPlainTextOffThisMachine) {
  TempDir dir;
  const std::string token_file = dir.Sub("token");
  std::ofstream(token_file) << "fbk_" << std::string(64, 'a') << "\n";
  const CommandResult refused =
      RunCommand({FEEDBACKCTL_PATH, "--server", "feedback.example.org:50051", "--token-file",
                  token_file, "--timeout", "1", "summary", "--quarter", "2018-19Q3"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;  // a bad command line: add --tls-ca
  EXPECT_THAT(refused.err, AllOf(HasSubstr("--server"), HasSubstr("--tls-ca")));
}

TEST(Transport, RefusesPlaintextOffLoopbackUnlessAllowedAndSaysWhy) {
  TempDir dir;
  const CommandResult refused =
      RunCommand({FEEDBACKD_PATH, "--listen", "0.0.0.0:0", "--data-dir", dir.Sub("data")});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, AllOf(HasSubstr("without TLS"), HasSubstr("--tls-cert"),
                                 HasSubstr("--allow-insecure")));
}

class TlsTest : public DeferredServerTest {
 protected:
  // `feedbackctl summary` with the reporter token, over TLS with `tls_flags`.
  CommandResult Summary(std::vector<std::string> tls_flags) {
    std::vector<std::string> args = std::move(tls_flags);
    args.insert(args.end(), {"--timeout", "5", "summary", "--quarter", "2018-19Q3"});
    return Ctl(v1::ROLE_REPORTER, args);
  }
};

TEST_F(TlsTest, ClientWithTheCaConnectsAndAPlaintextClientCannot) {
  ASSERT_OK(StartServer({.tls = true}));
  const CommandResult secure = Summary({"--tls-ca", TlsFile("ca.pem")});
  EXPECT_EQ(secure.exit_code, 0) << secure.err;
  EXPECT_THAT(secure.out, HasSubstr("2018-19Q3 summary"));
  const CommandResult plaintext = Summary({});
  EXPECT_EQ(plaintext.exit_code, 6) << plaintext.err;  // unavailable: no TLS handshake
}

TEST_F(TlsTest, MutualTlsRequiresAClientCertificateSignedByTheCa) {
  ASSERT_OK(StartServer({.tls = true, .client_certificates = true}));
  const CommandResult without = Summary({"--tls-ca", TlsFile("ca.pem")});
  EXPECT_EQ(without.exit_code, 6) << without.err;
  const CommandResult with = Summary({"--tls-ca", TlsFile("ca.pem"), "--tls-cert",
                                      TlsFile("client.pem"), "--tls-key", TlsFile("client.key")});
  EXPECT_EQ(with.exit_code, 0) << with.err;
}

TEST_F(TlsTest, TlsOnANonLoopbackAddressIsAllowed) {
  ASSERT_OK(StartServer({.tls = true, .flags = {"--listen", "0.0.0.0:0"}}));
}

}  // namespace security_e2e_test
}  // namespace
}  // namespace feedback::testing
