// The client retries only calls that are safe to repeat (client/lib/safe_to_repeat.h): against a
// server that applies a call and then loses its answer (UNAVAILABLE), IssueToken is tried once,
// so it cannot mint a second token, while a read is sent again and succeeds.
#include "client/lib/safe_to_repeat.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace safe_to_repeat_test {

// A feedbackd stand-in whose every method "applies" the call (counts its arrival) and then loses
// the first answer of each method: UNAVAILABLE, as when a connection drops after the server's
// commit. Later arrivals are answered OK (an empty response).
class AnswerLosingService final : public v1::FeedbackService::Service {
 public:
  // How many times `method` arrived.
  int Arrivals(const std::string& method) const {
    absl::MutexLock lock(&mutex_);
    const auto it = arrivals_.find(method);
    return it == arrivals_.end() ? 0 : it->second;
  }

#define FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(Method, Request, Response)                  \
  grpc::Status Method(grpc::ServerContext*, const v1::Request*, v1::Response*) override { \
    return Arrive(#Method);                                                               \
  }
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(SubmitFeedback, SubmitFeedbackRequest,
                                        SubmitFeedbackResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(GetFeedback, GetFeedbackRequest, Feedback)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListFeedback, ListFeedbackRequest, ListFeedbackResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(UpdateComplaint, UpdateComplaintRequest, Feedback)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(GetComplaint, GetComplaintRequest, Complaint)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListComplaints, ListComplaintsRequest,
                                        ListComplaintsResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(CreateAdvocacyReferral, CreateAdvocacyReferralRequest,
                                        AdvocacyReferral)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(UpdateAdvocacyReferral, UpdateAdvocacyReferralRequest,
                                        AdvocacyReferral)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(GetAdvocacyReferral, GetAdvocacyReferralRequest,
                                        AdvocacyReferral)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListAdvocacyReferrals, ListAdvocacyReferralsRequest,
                                        ListAdvocacyReferralsResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(RecordQualityCheck, RecordQualityCheckRequest, QualityCheck)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListQualityChecks, ListQualityChecksRequest,
                                        ListQualityChecksResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(GetQuarterSummary, GetQuarterSummaryRequest, QuarterSummary)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(AcknowledgeAlert, AcknowledgeAlertRequest, Alert)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(RetagFeedback, RetagFeedbackRequest, RetagFeedbackResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(VerifyCounters, VerifyCountersRequest,
                                        VerifyCountersResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(IssueToken, IssueTokenRequest, IssueTokenResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListTokens, ListTokensRequest, ListTokensResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(RevokeToken, RevokeTokenRequest, Token)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListAudit, ListAuditRequest, ListAuditResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListQuotes, ListQuotesRequest, ListQuotesResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ApproveQuote, ApproveQuoteRequest, Quote)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(WithdrawQuote, WithdrawQuoteRequest, Quote)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(EraseFeedback, EraseFeedbackRequest, EraseFeedbackResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(SetLegalHold, SetLegalHoldRequest, LegalHold)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(ListLegalHolds, ListLegalHoldsRequest,
                                        ListLegalHoldsResponse)
  FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER(PublishQuarter, PublishQuarterRequest, PublishedQuarter)
#undef FEEDBACK_APPLY_THEN_LOSE_FIRST_ANSWER
  // A dry run counted apart: it only reports.
  grpc::Status PurgeFeedback(grpc::ServerContext*, const v1::PurgeFeedbackRequest* request,
                             v1::PurgeFeedbackResponse*) override {
    return Arrive(request->dry_run() ? "PurgeFeedback(dry_run)" : "PurgeFeedback");
  }

 private:
  grpc::Status Arrive(const std::string& method) {
    absl::MutexLock lock(&mutex_);
    if (++arrivals_[method] == 1) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost after the commit");
    }
    return grpc::Status::OK;
  }

  mutable absl::Mutex mutex_;
  std::map<std::string, int> arrivals_ ABSL_GUARDED_BY(mutex_);
};

class SafeToRepeatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ClientOptions options;
    options.server = absl::StrCat("127.0.0.1:", port);
    options.timeout = absl::Seconds(5);
    options.retry.max_attempts = 3;
    // The product's backoff, kept short to keep the test fast.
    options.retry.initial_backoff = absl::Milliseconds(1);
    options.retry.max_backoff = absl::Milliseconds(4);
    client_ = std::make_unique<FeedbackClient>(options);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  AnswerLosingService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<FeedbackClient> client_;
};

TEST_F(SafeToRepeatTest, IssueTokenIsTriedOnceWhenItsAnswerIsLost) {
  v1::IssueTokenRequest request;
  request.set_role(v1::ROLE_KIOSK);
  const absl::StatusOr<v1::IssueTokenResponse> issued =
      client_->Call(&v1::FeedbackService::Stub::IssueToken, request);
  // The caller learns the call may not have been made; the server minted one token, not two.
  EXPECT_EQ(issued.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(service_.Arrivals("IssueToken"), 1);
}

TEST_F(SafeToRepeatTest, AReadIsRetriedWhenItsAnswerIsLost) {
  v1::GetFeedbackRequest request;
  request.set_id("fb_1");
  EXPECT_OK(client_->Call(&v1::FeedbackService::Stub::GetFeedback, request).status());
  EXPECT_EQ(service_.Arrivals("GetFeedback"), 2);
}

// Every unary call, as the allow-list judges it: the safe ones arrive twice and succeed, every
// other is tried once and reports UNAVAILABLE.
TEST_F(SafeToRepeatTest, OnlyTheCallsOnTheAllowListAreRetried) {
  using Stub = v1::FeedbackService::Stub;
  struct Case {
    std::string method;
    bool safe;
    std::function<absl::Status()> call;
  };
  const auto call = [this](auto method, auto request) {
    return [this, method, request] { return client_->Call(method, request).status(); };
  };
  v1::PurgeFeedbackRequest dry_run;
  dry_run.set_dry_run(true);
  const std::vector<Case> cases = {
      {"PurgeFeedback(dry_run)", true, call(&Stub::PurgeFeedback, dry_run)},
      {"GetFeedback", true, call(&Stub::GetFeedback, v1::GetFeedbackRequest())},
      {"ListFeedback", true, call(&Stub::ListFeedback, v1::ListFeedbackRequest())},
      {"GetComplaint", true, call(&Stub::GetComplaint, v1::GetComplaintRequest())},
      {"ListComplaints", true, call(&Stub::ListComplaints, v1::ListComplaintsRequest())},
      {"GetAdvocacyReferral", true,
       call(&Stub::GetAdvocacyReferral, v1::GetAdvocacyReferralRequest())},
      {"ListAdvocacyReferrals", true,
       call(&Stub::ListAdvocacyReferrals, v1::ListAdvocacyReferralsRequest())},
      {"GetQuarterSummary", true, call(&Stub::GetQuarterSummary, v1::GetQuarterSummaryRequest())},
      {"VerifyCounters", true, call(&Stub::VerifyCounters, v1::VerifyCountersRequest())},
      {"ListTokens", true, call(&Stub::ListTokens, v1::ListTokensRequest())},
      {"ListAudit", true, call(&Stub::ListAudit, v1::ListAuditRequest())},
      {"ListQuotes", true, call(&Stub::ListQuotes, v1::ListQuotesRequest())},
      {"ListLegalHolds", true, call(&Stub::ListLegalHolds, v1::ListLegalHoldsRequest())},
      {"SubmitFeedback", true, call(&Stub::SubmitFeedback, v1::SubmitFeedbackRequest())},
      {"CreateAdvocacyReferral", true,
       call(&Stub::CreateAdvocacyReferral, v1::CreateAdvocacyReferralRequest())},
      {"RecordQualityCheck", true,
       call(&Stub::RecordQualityCheck, v1::RecordQualityCheckRequest())},
      {"ListQualityChecks", true, call(&Stub::ListQualityChecks, v1::ListQualityChecksRequest())},
      {"AcknowledgeAlert", true, call(&Stub::AcknowledgeAlert, v1::AcknowledgeAlertRequest())},
      {"RevokeToken", true, call(&Stub::RevokeToken, v1::RevokeTokenRequest())},
      {"WithdrawQuote", true, call(&Stub::WithdrawQuote, v1::WithdrawQuoteRequest())},
      {"EraseFeedback", true, call(&Stub::EraseFeedback, v1::EraseFeedbackRequest())},
      {"IssueToken", false, call(&Stub::IssueToken, v1::IssueTokenRequest())},
      {"UpdateComplaint", false, call(&Stub::UpdateComplaint, v1::UpdateComplaintRequest())},
      {"UpdateAdvocacyReferral", false,
       call(&Stub::UpdateAdvocacyReferral, v1::UpdateAdvocacyReferralRequest())},
      {"ApproveQuote", false, call(&Stub::ApproveQuote, v1::ApproveQuoteRequest())},
      {"SetLegalHold", false, call(&Stub::SetLegalHold, v1::SetLegalHoldRequest())},
      {"PublishQuarter", false, call(&Stub::PublishQuarter, v1::PublishQuarterRequest())},
      {"RetagFeedback", false, call(&Stub::RetagFeedback, v1::RetagFeedbackRequest())},
      {"PurgeFeedback", false, call(&Stub::PurgeFeedback, v1::PurgeFeedbackRequest())},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method);
    const absl::Status status = c.call();
    if (c.safe) {
      EXPECT_OK(status);
      EXPECT_EQ(service_.Arrivals(c.method), 2);
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
      EXPECT_EQ(service_.Arrivals(c.method), 1);
    }
  }
}

}  // namespace safe_to_repeat_test
}  // namespace
}  // namespace feedback::client
