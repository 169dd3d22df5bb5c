// Scans answer with their visitor's first error: ScanStep (storage/feedback_store.h), and the
// readers built on scans, for which an unparsable record is an error, never skipped.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/ops/audit.h"
#include "service/ops/erasure.h"
#include "service/ops/tokens.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace scan_visitor_test {

using storage::ScanStep;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ScanVisitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
        storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  void PutEntities(const std::vector<std::pair<std::string, std::string>>& entities) {
    std::vector<storage::WriteOp> ops;
    ops.push_back([&entities](storage::Transaction& txn) {
      for (const auto& [key, value] : entities) {
        if (absl::Status put = txn.PutEntity(key, value); !put.ok()) return put;
      }
      return absl::OkStatus();
    });
    const std::vector<absl::Status> committed = store_->Commit(std::move(ops));
    ASSERT_OK(committed.front());
  }

  absl::Status CommitOneAudit() {
    std::vector<storage::WriteOp> ops;
    ops.push_back(AuditOp(Principal{"tok_test", v1::ROLE_ADMIN, "test"}, absl::Now(),
                          AuditEvent("test.action")));
    return store_->Commit(std::move(ops)).front();
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::FeedbackStore> store_;
};

TEST_F(ScanVisitorTest, AVisitorsErrorEndsTheScanAndIsItsResult) {
  PutEntities({{"x/1", "one"}, {"x/2", "two"}, {"x/3", "three"}});
  std::vector<std::string> visited;
  const absl::Status scanned =
      store_->ScanEntities("x/", [&](std::string_view key, std::string_view value) {
        visited.emplace_back(key);
        if (value == "two") return absl::DataLossError(absl::StrCat(std::string(key), ": bad"));
        return absl::OkStatus();
      });
  EXPECT_EQ(scanned, absl::DataLossError("x/2: bad"));
  EXPECT_THAT(visited, ElementsAre("x/1", "x/2"));  // nothing after the error

  visited.clear();
  EXPECT_EQ(store_
                ->ScanEntitiesAfter("x/", "x/1",
                                    [&](std::string_view key, std::string_view) {
                                      visited.emplace_back(key);
                                      return absl::PermissionDeniedError("stop");
                                    })
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(visited, ElementsAre("x/2"));
}

TEST_F(ScanVisitorTest, StopEndsTheScanWithOk) {
  PutEntities({{"x/1", "one"}, {"x/2", "two"}, {"x/3", "three"}});
  std::vector<std::string> visited;
  EXPECT_OK(store_->ScanEntities("x/", [&](std::string_view key, std::string_view) -> ScanStep {
    visited.emplace_back(key);
    if (visited.size() == 2) return ScanStep::Stop();
    return absl::OkStatus();
  }));
  EXPECT_THAT(visited, ElementsAre("x/1", "x/2"));
}

TEST_F(ScanVisitorTest, AnUnparsableTokenFailsLoadingTheTokens) {
  PutEntities({{std::string(kTokenPrefix) + "tok_bad", "\xff\xff not a token"}});
  const absl::StatusOr<std::vector<v1::internal::StoredToken>> tokens = LoadTokens(*store_);
  EXPECT_EQ(tokens.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(TokenRegistry::Load(*store_).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(ScanVisitorTest, AnUnparsableHoldFailsTheListOfHolds) {
  PutEntities({{HoldKey("fb_bad"), "\xff\xff not a hold"}});
  const absl::StatusOr<std::vector<v1::LegalHold>> holds = ListHolds(*store_);
  EXPECT_EQ(holds.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(holds.status().message(), HasSubstr("hold/fb_bad"));
}

TEST_F(ScanVisitorTest, AnUnparsableAuditEntryFailsThePageButAFullPageStopsBeforeIt) {
  ASSERT_OK(CommitOneAudit());
  PutEntities({{std::string(kAuditPrefix) + "ffffffffffffffff/zzz", "\xff\xff not an entry"}});
  v1::ListAuditRequest request;
  EXPECT_EQ(ReadAudit(*store_, request).status().code(), absl::StatusCode::kDataLoss);
  // A page that is full before the bad entry stops there (ScanStep::Stop) and is served.
  request.set_page_size(1);
  absl::StatusOr<AuditPage> page = ReadAudit(*store_, request);
  ASSERT_OK(page);
  EXPECT_EQ(page->entries.size(), 1u);
  EXPECT_FALSE(page->next_page_token.empty());
}

}  // namespace scan_visitor_test
}  // namespace
}  // namespace feedback
