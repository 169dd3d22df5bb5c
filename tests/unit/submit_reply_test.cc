// SubmitReply: what a device hears back after a submission.
#include "service/ops/submit_reply.h"

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace feedback {
namespace {
namespace submit_reply_test {

using ::google::protobuf::util::MessageDifferencer;

SubmitOutcome StoredComplaint(bool duplicate) {
  SubmitOutcome outcome;
  v1::Feedback& record = outcome.record;
  record.set_id("fb_0123456789abcdef0123456789abcdef");
  record.set_submission_id("00000000-0000-4000-8000-000000000001");
  record.set_kind(v1::KIND_COMPLAINT);
  record.set_source(v1::SOURCE_FAMILY);
  record.set_text("the social worker shouted at my mum");
  record.mutable_received_at()->set_seconds(1717200000);
  record.add_tags("complaint");
  record.add_tags("upheld");
  record.set_complaint_stage(v1::COMPLAINT_STAGE_2);
  record.set_complaint_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  outcome.duplicate = duplicate;
  return outcome;
}

TEST(SubmitReply, KiosksAndAdvocatesHearOnlyTheIdsAndTheDuplicateFlag) {
  for (const v1::Role role : {v1::ROLE_KIOSK, v1::ROLE_ADVOCATE}) {
    for (const bool duplicate : {false, true}) {
      const v1::SubmitFeedbackResponse reply = SubmitReply(role, StoredComplaint(duplicate));
      v1::SubmitFeedbackResponse expected;
      expected.mutable_feedback()->set_id("fb_0123456789abcdef0123456789abcdef");
      expected.mutable_feedback()->set_submission_id("00000000-0000-4000-8000-000000000001");
      expected.set_duplicate(duplicate);
      EXPECT_TRUE(MessageDifferencer::Equals(reply, expected))
          << v1::Role_Name(role) << ": " << reply.ShortDebugString();
    }
  }
}

TEST(SubmitReply, AQaManagerWhoMayReadFeedbackHearsTheStoredRecord) {
  const SubmitOutcome outcome = StoredComplaint(true);
  const v1::SubmitFeedbackResponse reply = SubmitReply(v1::ROLE_QA_MANAGER, outcome);
  EXPECT_TRUE(reply.duplicate());
  EXPECT_TRUE(MessageDifferencer::Equals(reply.feedback(), outcome.record));
}

}  // namespace submit_reply_test
}  // namespace
}  // namespace feedback
