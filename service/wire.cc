#include "service/wire.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "feedback/v1/wire_check.pb.h"
#include "service/validation.h"

namespace feedback {
namespace {

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// The first string field of the request that is not UTF-8, e.g. "feedback.text".
std::string FirstNonUtf8Field(const std::string& bytes) {
  v1::internal::SubmitFeedbackRequestBytes raw;
  if (!raw.ParseFromString(bytes)) return "";
  const v1::internal::FeedbackBytes& f = raw.feedback();
  if (!IsValidUtf8(f.text())) return "feedback.text";
  if (!IsValidUtf8(f.submission_id())) return "feedback.submission_id";
  if (!IsValidUtf8(f.id())) return "feedback.id";
  if (!IsValidUtf8(f.advocacy_referral_id())) return "feedback.advocacy_referral_id";
  for (const std::string& tag : f.tags()) {
    if (!IsValidUtf8(tag)) return "feedback.tags";
  }
  return "";
}

}  // namespace

absl::Status ParseSubmitRequest(const grpc::ByteBuffer& buffer,
                                v1::SubmitFeedbackRequest& request) {
  const std::string bytes = Flatten(buffer);
  if (request.ParseFromString(bytes)) return absl::OkStatus();
  const std::string field = FirstNonUtf8Field(bytes);
  if (!field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is not valid UTF-8 (send text encoded as UTF-8)"));
  }
  return absl::InvalidArgumentError("request: is not a feedback.v1.SubmitFeedbackRequest");
}

grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message) {
  grpc::Slice slice(message.SerializeAsString());
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace feedback
