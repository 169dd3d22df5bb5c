// A clean stop (SIGTERM, `systemctl stop`) flushes the store, so the next start has no
// write-ahead log to replay: after 200,000 submissions that replay took 5 to 8 s before it
// listened, and 0.2 to 0.3 s once flushed (docs/performance.md). A crash (SIGKILL) leaves the log,
// which the start replays: nothing acknowledged depends on the flush.
#include <signal.h>

#include <string>
#include <vector>

#include "client/bench/load.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace clean_stop_e2e_test {

constexpr int kSubmissions = 40;

void Submit(v1::FeedbackService::Stub& stub, int count) {
  for (int n = 0; n < count; ++n) {
    v1::SubmitFeedbackResponse response;
    grpc::ClientContext context;
    const grpc::Status status =
        stub.SubmitFeedback(&context, client::bench::BenchSubmission(n), &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
}

// Opens the stopped store read-only, which replays its write-ahead log into memory as a start
// does, and returns how many entries that put there, over every column family.
int64_t EntriesReplayedFromTheLog(const std::string& data_dir) {
  std::vector<std::string> names;
  const rocksdb::Status listed = rocksdb::DB::ListColumnFamilies({}, data_dir, &names);
  EXPECT_TRUE(listed.ok()) << listed.ToString();
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened =
      rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), data_dir, families, &handles, &db);
  EXPECT_TRUE(opened.ok()) << opened.ToString();
  if (!opened.ok()) return -1;
  int64_t entries = 0;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    for (const char* property :
         {"rocksdb.num-entries-active-mem-table", "rocksdb.num-entries-imm-mem-tables"}) {
      uint64_t in_memory = 0;
      EXPECT_TRUE(db->GetIntProperty(handle, property, &in_memory)) << property;
      entries += static_cast<int64_t>(in_memory);
    }
    EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  delete db;
  return entries;
}

using CleanStopTest = ServerTest;

TEST_F(CleanStopTest, LeavesNoWriteAheadLogToReplay) {
  Submit(stub(), kSubmissions);
  ASSERT_EQ(StopServer(SIGTERM), 0);
  EXPECT_EQ(EntriesReplayedFromTheLog(data_dir()), 0);
  // Everything is still there for the next start.
  ASSERT_OK(StartServer());
  v1::ListFeedbackRequest request;
  request.set_page_size(100);
  v1::ListFeedbackResponse listed;
  grpc::ClientContext context;
  ASSERT_TRUE(stub().ListFeedback(&context, request, &listed).ok());
  EXPECT_EQ(listed.feedback_size(), kSubmissions);
}

// The check above can see a log to replay: a crash leaves one.
TEST_F(CleanStopTest, ACrashLeavesTheLogToReplay) {
  Submit(stub(), kSubmissions);
  StopServer(SIGKILL);
  EXPECT_GT(EntriesReplayedFromTheLog(data_dir()), 0);
}

}  // namespace clean_stop_e2e_test
}  // namespace
}  // namespace feedback::testing
