// End-to-end: a stored record that does not parse (a damaged disk, a store written by a newer
// program) is an error wherever a scan meets it, never skipped: `admin verify` and an alert
// watch's backlog end with DATA_LOSS naming the record, instead of answering without it.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace unparsable_record_e2e_test {

using ::testing::HasSubstr;

// Field 1 with wire type 7, which does not exist: no message parses from it.
const std::string kGarbage = "\x0f this is not a protobuf message \xff\xfe";

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

class UnparsableRecordTest : public ::testing::Test {
 protected:
  // Writes kGarbage at entity `key` straight into the (not yet served) store, then starts
  // feedbackd on it.
  void StartWithGarbageAt(const std::string& key) {
    {
      absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
          storage::FeedbackStore::Open({.data_dir = dir_.Sub("data")});
      ASSERT_OK(store);
      std::vector<storage::WriteOp> ops;
      ops.push_back([&key](storage::Transaction& txn) { return txn.PutEntity(key, kGarbage); });
      const std::vector<absl::Status> committed = (*store)->Commit(std::move(ops));
      ASSERT_OK(committed.front());
    }
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(dir_.Sub("data"));
    ASSERT_OK(server);
    server_ = *std::move(server);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(UnparsableRecordTest, VerifyCountersFailsOnAReferralThatDoesNotParse) {
  const std::string key = "referral/ar_0123456789abcdef0123456789abcdef";
  ASSERT_NO_FATAL_FAILURE(StartWithGarbageAt(key));
  auto admin = server_->NewStub(v1::ROLE_ADMIN);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  v1::VerifyCountersResponse response;
  const grpc::Status status =
      admin->VerifyCounters(&context, v1::VerifyCountersRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(key));
}

TEST_F(UnparsableRecordTest, AnAlertWatchEndsOnAnAlertThatDoesNotParse) {
  const std::string key = "alert/fb_0123456789abcdef0123456789abcdef";
  ASSERT_NO_FATAL_FAILURE(StartWithGarbageAt(key));
  auto qa = server_->NewStub(v1::ROLE_QA_MANAGER);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  auto watch = qa->WatchAlerts(&context, v1::WatchAlertsRequest());
  v1::Alert alert;
  EXPECT_FALSE(watch->Read(&alert)) << "sent: " << alert.ShortDebugString();
  const grpc::Status status = watch->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(key));
}

}  // namespace unparsable_record_e2e_test
}  // namespace
}  // namespace feedback::testing
