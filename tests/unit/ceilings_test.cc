// `feedbackd ceilings`' commit server: what each call writes, read back with RocksDB alone once
// the servers have stopped, by default (the request, under its submission id) and with
// --keys-per-call (that many keys a call, as a submission's record and index entries are).
#include "service/ceilings/ceilings.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/support/test_support.h"

namespace feedback::ceilings {
namespace {
namespace ceilings_test {

using ::feedback::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::string SubmissionId(int n) {
  return absl::StrCat("123e4567-e89b-42d3-a456-", absl::Dec(n, absl::kZeroPad12));
}

// `calls` submissions to the commit ceiling, each answered OK with its own feedback.
void SubmitTo(const CeilingServers& servers, int calls) {
  auto stub = v1::FeedbackService::NewStub(
      grpc::CreateChannel(servers.commit_address(), grpc::InsecureChannelCredentials()));
  for (int n = 0; n < calls; ++n) {
    v1::SubmitFeedbackRequest request;
    request.mutable_feedback()->set_submission_id(SubmissionId(n));
    request.mutable_feedback()->set_text(absl::StrCat("call ", n));
    v1::SubmitFeedbackResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub->SubmitFeedback(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.feedback().submission_id(), SubmissionId(n));
  }
}

// Every key and value in the store at `dir` (the servers that wrote it stopped).
std::map<std::string, std::string> ReadBack(const std::string& dir) {
  std::map<std::string, std::string> entries;
  rocksdb::DB* opened = nullptr;
  const rocksdb::Status status = rocksdb::DB::OpenForReadOnly(rocksdb::Options(), dir, &opened);
  EXPECT_TRUE(status.ok()) << status.ToString();
  if (!status.ok()) return entries;
  const std::unique_ptr<rocksdb::DB> db(opened);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    entries[it->key().ToString()] = it->value().ToString();
  }
  return entries;
}

TEST(CeilingsTest, TheCommitCeilingWritesEachRequestUnderItsSubmissionId) {
  TempDir dir;
  {
    absl::StatusOr<std::unique_ptr<CeilingServers>> servers = CeilingServers::Start(dir.Sub("db"));
    ASSERT_TRUE(servers.ok()) << servers.status();
    SubmitTo(**servers, 3);
  }
  const std::map<std::string, std::string> entries = ReadBack(dir.Sub("db"));
  ASSERT_THAT(entries, SizeIs(3));
  for (int n = 0; n < 3; ++n) {
    v1::SubmitFeedbackRequest stored;
    ASSERT_TRUE(stored.ParseFromString(entries.at(SubmissionId(n))));
    EXPECT_EQ(stored.feedback().text(), absl::StrCat("call ", n));
  }
}

TEST(CeilingsTest, WithKeysPerCallEachCallWritesThatManyKeys) {
  TempDir dir;
  {
    absl::StatusOr<std::unique_ptr<CeilingServers>> servers =
        CeilingServers::Start(dir.Sub("db"), 8);
    ASSERT_TRUE(servers.ok()) << servers.status();
    SubmitTo(**servers, 5);
  }
  const std::map<std::string, std::string> entries = ReadBack(dir.Sub("db"));
  EXPECT_THAT(entries, SizeIs(5 * 8));
  for (int n = 0; n < 5; ++n) {
    EXPECT_TRUE(entries.contains(SubmissionId(n))) << n;
    // The seven more keys of call n: one under each prefix, each ending with its id.
    int extra = 0;
    for (const auto& [key, value] : entries) {
      if (key != SubmissionId(n) && key.ends_with(SubmissionId(n))) {
        ++extra;
        EXPECT_TRUE(value.empty()) << key;
      }
    }
    EXPECT_EQ(extra, 7) << n;
  }
}

TEST(CeilingsTest, KeysPerCallOutsideItsRangeIsRefusedAndNothingIsMade) {
  TempDir dir;
  for (const int keys : {0, -1, kMaxKeysPerCall + 1}) {
    absl::StatusOr<std::unique_ptr<CeilingServers>> servers =
        CeilingServers::Start(dir.Sub("db"), keys);
    ASSERT_FALSE(servers.ok()) << keys;
    EXPECT_EQ(servers.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(servers.status().message(), HasSubstr("--keys-per-call"));
    EXPECT_THAT(servers.status().message(), HasSubstr(absl::StrCat(keys)));
  }
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("db")));
}

}  // namespace ceilings_test
}  // namespace
}  // namespace feedback::ceilings
