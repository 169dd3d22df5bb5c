#include "service/rpc/wire.h"

#include <algorithm>
#include <string>
#include <vector>

#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "gtest/gtest.h"

namespace feedback {
namespace {
namespace wire_test {

using ::testing::HasSubstr;

v1::SubmitFeedbackRequest Submission(std::string text) {
  v1::SubmitFeedbackRequest request;
  request.mutable_feedback()->set_submission_id("7d0c8f4e-3b1a-4c2d-9e8f-0a1b2c3d4e5f");
  request.mutable_feedback()->set_source(v1::SOURCE_CHILD);
  request.mutable_feedback()->set_text(std::move(text));
  return request;
}

// `bytes` as gRPC may hand them over: in `pieces` slices of about equal size.
grpc::ByteBuffer InSlices(const std::string& bytes, size_t pieces) {
  std::vector<grpc::Slice> slices;
  const size_t step = (bytes.size() + pieces - 1) / pieces;
  for (size_t at = 0; at < bytes.size(); at += step) {
    slices.emplace_back(bytes.data() + at, std::min(step, bytes.size() - at));
  }
  return grpc::ByteBuffer(slices.data(), slices.size());
}

// A request is read whether it arrived in one slice (read in place) or in several.
TEST(ParseRequestFromBytes, ReadsARequestInOneSliceOrInSeveral) {
  const v1::SubmitFeedbackRequest sent = Submission("The chair listened to me.");
  const std::string bytes = sent.SerializeAsString();
  for (size_t pieces : {1, 2, 5}) {
    v1::SubmitFeedbackRequest read;
    ASSERT_TRUE(ParseRequest(InSlices(bytes, pieces), read).ok()) << pieces << " slices";
    EXPECT_EQ(read.feedback().text(), "The chair listened to me.") << pieces << " slices";
    EXPECT_EQ(read.feedback().submission_id(), sent.feedback().submission_id());
  }
}

// The refusals name the field, however the bytes were cut.
TEST(ParseRequestFromBytes, NamesTheFieldThatIsNotUtf8OrIsTheServers) {
  const std::string not_utf8 = Submission("caf\xc3 au lait").SerializeAsString();
  v1::SubmitFeedbackRequest server_set = Submission("Thank you");
  server_set.mutable_feedback()->set_id("chosen-by-the-caller");
  for (size_t pieces : {1, 3}) {
    v1::SubmitFeedbackRequest read;
    const absl::Status text = ParseRequest(InSlices(not_utf8, pieces), read);
    EXPECT_EQ(text.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(text.message(), HasSubstr("feedback.text: is not valid UTF-8"));
    const absl::Status id = ParseRequest(InSlices(server_set.SerializeAsString(), pieces), read);
    EXPECT_EQ(id.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(id.message(), HasSubstr("feedback.id: is assigned by the server"));
  }
}

TEST(ParseRequestFromBytes, NoBytesAtAllIsARefusalNamingTheRequest) {
  v1::SubmitFeedbackRequest read;
  read.mutable_feedback()->set_text("left from before");
  const absl::Status status = ParseRequest(grpc::ByteBuffer(), read);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("request: none was sent"));
  EXPECT_TRUE(read.feedback().text().empty());
}

}  // namespace wire_test
}  // namespace
}  // namespace feedback
