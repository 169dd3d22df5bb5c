// The tag that names an item's kind. Every item carries its kind's tag (Ledger::TagsOf), and the
// store finds by it the entry that earlier layouts of its time index kept under that tag
// (storage/layout.h), so the service and the store must spell it alike: written once, here.
#ifndef FEEDBACK_PROTO_VOCABULARY_KIND_TAG_H_
#define FEEDBACK_PROTO_VOCABULARY_KIND_TAG_H_

#include <string_view>

#include "feedback/v1/feedback.pb.h"

namespace feedback {

// "compliment", "complaint", "comment", "child_statement": the value's name without "KIND_", in
// lower case ("unspecified" for KIND_UNSPECIFIED, "" for a number the enum does not name).
std::string_view KindTag(v1::Kind kind);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_KIND_TAG_H_
