// Quote approval and withdrawal as write operations on a real store: what is stored, what is
// audited, and that a refused approval writes nothing.
#include "service/ops/quotes.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "service/ops/audit.h"
#include "service/ops/ingest.h"
#include "storage/feedback_store.h"
#include "tests/support/submissions.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace quotes_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1717243200);  // 2024-06-01T12:00:00Z

class QuoteOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
    auto redactor = Redactor::Create({});
    ASSERT_OK(redactor);
    redactor_ = std::make_unique<Redactor>(*std::move(redactor));
  }

  // Stores an item; returns its id.
  std::string Store(const std::string& text, bool consent) {
    v1::Feedback sent;
    sent.set_submission_id(absl::StrCat("00000000-0000-4000-8000-00000000000", ++submitted_));
    sent.set_source(v1::SOURCE_FAMILY);
    sent.set_kind(v1::KIND_COMPLIMENT);
    sent.set_text(text);
    sent.set_consent_to_quote(consent);
    *sent.mutable_occurred_at() = TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(kNow) - 60);
    std::vector<absl::StatusOr<SubmitOutcome>> outcomes =
        testing::CommitSubmissions(*store_, {PrepareSubmission(sent, kNow)});
    EXPECT_OK(outcomes[0]);
    return outcomes[0].ok() ? outcomes[0]->record.id() : "";
  }

  absl::StatusOr<v1::Quote> Commit(storage::TypedWriteOp<v1::Quote> op) {
    return storage::CommitOne(*store_, std::move(op));
  }

  absl::StatusOr<v1::Quote> Approve(const std::string& id, const std::string& text = "") {
    v1::ApproveQuoteRequest request;
    request.set_feedback_id(id);
    request.set_text(text);
    if (absl::Status valid = ValidateApproveQuote(request, *redactor_); !valid.ok()) return valid;
    return Commit(ApproveQuoteOp(request, *redactor_, approver_, kNow));
  }

  std::vector<v1::AuditEntry> AuditEntries() {
    absl::StatusOr<AuditPage> page = ReadAudit(*store_, v1::ListAuditRequest());
    EXPECT_OK(page);
    return page.ok() ? page->entries : std::vector<v1::AuditEntry>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::FeedbackStore> store_;
  std::unique_ptr<Redactor> redactor_;
  Principal approver_{.token_id = "tok_qa", .role = v1::ROLE_QA_MANAGER, .device_name = ""};
  int submitted_ = 0;
};

TEST_F(QuoteOpsTest, ApprovalStoresTheRedactedQuoteAndAuditsItWithoutText) {
  const std::string id = Store("Thank you Mrs Patel, ring 07700 900123.", /*consent=*/true);
  absl::StatusOr<v1::Quote> quote = Approve(id);
  ASSERT_OK(quote);
  EXPECT_EQ(quote->text(), "Thank you [name], ring [phone].");
  EXPECT_EQ(quote->status(), v1::QUOTE_STATUS_APPROVED);
  EXPECT_EQ(quote->approved_by(), "tok_qa");
  EXPECT_THAT(quote->redactions(), ElementsAre("name", "phone"));

  absl::StatusOr<std::string> stored = store_->GetEntity(QuoteKey(id));
  ASSERT_OK(stored);
  absl::StatusOr<v1::Quote> parsed = ParseQuote(*stored);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text(), quote->text());

  const std::vector<v1::AuditEntry> audit = AuditEntries();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action(), "quote.approve");
  EXPECT_THAT(audit[0].ids(), ElementsAre(id));
  EXPECT_THAT(audit[0].detail(), Not(HasSubstr("Thank")));
}

TEST_F(QuoteOpsTest, RefusedApprovalsWriteNothing) {
  const std::string unconsented = Store("The chair was kind.", /*consent=*/false);
  const std::string consented = Store("The chair was kind to my Mum.", /*consent=*/true);

  absl::StatusOr<v1::Quote> quote = Approve(unconsented);
  EXPECT_EQ(quote.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(quote.status().message(), HasSubstr("feedback_id"));
  EXPECT_EQ(Approve("fb_00000000000000000000000000000000").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Approve("").status().code(), absl::StatusCode::kInvalidArgument);
  quote = Approve(consented, "The chair was kind to Bernadette.");
  EXPECT_EQ(quote.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(quote.status().message(), HasSubstr("text"));

  EXPECT_THAT(AuditEntries(), IsEmpty());
  for (const std::string& id : {unconsented, consented}) {
    EXPECT_EQ(store_->GetEntity(QuoteKey(id)).status().code(), absl::StatusCode::kNotFound);
  }
}

TEST_F(QuoteOpsTest, AnEditedWordingReplacesTheAutomaticOneAndWithdrawalIsIdempotent) {
  const std::string id = Store("The chair, Mr Smith, was kind.", /*consent=*/true);
  absl::StatusOr<v1::Quote> quote = Approve(id, "The chair was kind.");
  ASSERT_OK(quote);
  EXPECT_EQ(quote->text(), "The chair was kind.");

  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<v1::Quote> withdrawn = Commit(WithdrawQuoteOp(id, *redactor_, approver_, kNow));
    ASSERT_OK(withdrawn);
    EXPECT_EQ(withdrawn->status(), v1::QUOTE_STATUS_CANDIDATE);
    EXPECT_EQ(withdrawn->text(), "The chair, [name], was kind.");
    EXPECT_EQ(store_->GetEntity(QuoteKey(id)).status().code(), absl::StatusCode::kNotFound);
  }
  EXPECT_EQ(
      Commit(WithdrawQuoteOp("fb_00000000000000000000000000000000", *redactor_, approver_, kNow))
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  std::vector<std::string> actions;
  for (const v1::AuditEntry& entry : AuditEntries()) actions.push_back(entry.action());
  EXPECT_THAT(actions, UnorderedElementsAre("quote.approve", "quote.withdraw", "quote.withdraw"));
}

}  // namespace quotes_test
}  // namespace
}  // namespace feedback
