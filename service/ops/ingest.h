// Turning a valid submission into the record the store keeps.
#ifndef FEEDBACK_SERVICE_OPS_INGEST_H_
#define FEEDBACK_SERVICE_OPS_INGEST_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "storage/feedback_store.h"

namespace feedback {

// The tag every item of this kind gets at ingest: "compliment", "complaint", "comment",
// "child_statement".
std::string KindTag(v1::Kind kind);

// SHA-256 of the deterministic serialization of what the client sent: two submissions with the
// same submission_id are "the same content" exactly when their fingerprints are equal.
std::string ContentFingerprint(const google::protobuf::Message& sent);

// REQUIRES: ValidateSubmission(sent, received_at) is OK.
// The record to store: the client's fields, submission_id in lower case, received_at, occurred_at
// defaulted to received_at, the kind tag, and Stage 1 for a complaint.
storage::NewSubmission PrepareSubmission(const v1::Feedback& sent, absl::Time received_at);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_INGEST_H_
