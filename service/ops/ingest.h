// Turning a valid submission into the record the store keeps.
#ifndef FEEDBACK_SERVICE_OPS_INGEST_H_
#define FEEDBACK_SERVICE_OPS_INGEST_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/kind_tag.h"  // KindTag: the tag every item of a kind gets

namespace feedback {

// A submission that passed validation, ready for Ledger::Submit: `record` has every server
// field set except `id` and its tags (the ledger tags it once, after the replay decision);
// `fingerprint` identifies what the client sent, for that decision; `owner` is the id of the
// token that sent it (replay.h).
struct NewSubmission {
  v1::Feedback record;
  std::string fingerprint;
  std::string owner;
};

// SHA-256 of the deterministic serialization of what the client sent: two submissions with the
// same submission_id are "the same content" exactly when their fingerprints are equal.
std::string ContentFingerprint(const google::protobuf::Message& sent);

// REQUIRES: ValidateSubmission(sent, received_at) is OK.
// The record to store: the client's fields, submission_id in lower case, received_at, occurred_at
// defaulted to received_at, Stage 1 for a complaint, and submitter_role, the role of the token
// that sent it (ROLE_KIOSK makes it a kiosk answer); no tags (the client sends none, and the
// ledger tags a new submission once). The fingerprint is of what was sent.
// `sent` is taken by value: the gRPC and HTTP doors move the request's feedback in, so the
// record is made from it without a copy of the text.
NewSubmission PrepareSubmission(v1::Feedback sent, absl::Time received_at,
                                v1::Role submitter_role = v1::ROLE_UNSPECIFIED);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_OPS_INGEST_H_
