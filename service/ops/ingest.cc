#include "service/ops/ingest.h"

#include "absl/strings/ascii.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"
#include "service/domain/sha256.h"

namespace feedback {

using google::protobuf::util::TimeUtil;

std::string ContentFingerprint(const google::protobuf::Message& sent) {
  // Written into a buffer of its exact size: a string stream grows as it goes (three or four
  // copies of a submission's text), on every submission.
  std::string bytes(sent.ByteSizeLong(), '\0');
  {
    google::protobuf::io::ArrayOutputStream stream(bytes.data(), static_cast<int>(bytes.size()));
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    sent.SerializeWithCachedSizes(&coded);
  }
  return Sha256(bytes);
}

NewSubmission PrepareSubmission(v1::Feedback sent, absl::Time received_at,
                                v1::Role submitter_role) {
  absl::AsciiStrToLower(sent.mutable_submission_id());

  NewSubmission submission;
  submission.fingerprint = ContentFingerprint(sent);
  v1::Feedback& record = submission.record;
  record = std::move(sent);
  *record.mutable_received_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(received_at));
  if (!record.has_occurred_at()) *record.mutable_occurred_at() = record.received_at();
  if (record.kind() == v1::KIND_COMPLAINT) record.set_complaint_stage(v1::COMPLAINT_STAGE_1);
  record.set_submitter_role(submitter_role);
  return submission;
}

}  // namespace feedback
