// What the sender of a submission hears back (SubmitFeedbackResponse).
#ifndef FEEDBACK_SERVICE_OPS_SUBMIT_REPLY_H_
#define FEEDBACK_SERVICE_OPS_SUBMIT_REPLY_H_

#include "feedback/v1/feedback.pb.h"
#include "service/ops/ledger.h"

namespace feedback {

// The response to a submission stored (or found to be a duplicate) as `outcome`, for a caller
// of `role`. A role that may read stored feedback (GetFeedback: qa_manager) gets the record as
// stored. Any other (kiosk, advocate) gets only the record's id, its submission_id and the
// duplicate flag: what a device needs to clear its outbox and link a child's statement, never
// the server's state of the record (tags, complaint stage and outcome, received_at) nor an echo
// of its words.
v1::SubmitFeedbackResponse SubmitReply(v1::Role role, SubmitOutcome outcome);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_SUBMIT_REPLY_H_
