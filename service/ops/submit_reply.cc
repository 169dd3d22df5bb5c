#include "service/ops/submit_reply.h"

#include <utility>

#include "service/domain/access.h"

namespace feedback {

v1::SubmitFeedbackResponse SubmitReply(v1::Role role, SubmitOutcome outcome) {
  v1::SubmitFeedbackResponse response;
  response.set_duplicate(outcome.duplicate);
  if (IsAllowed("GetFeedback", role)) {
    *response.mutable_feedback() = std::move(outcome.record);
    return response;
  }
  response.mutable_feedback()->set_id(outcome.record.id());
  response.mutable_feedback()->set_submission_id(outcome.record.submission_id());
  return response;
}

}  // namespace feedback
