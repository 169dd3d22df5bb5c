// UTF-8 well-formedness: one definition for the server's validation and the client's checks.
#ifndef FEEDBACK_PROTO_VOCABULARY_UTF8_H_
#define FEEDBACK_PROTO_VOCABULARY_UTF8_H_

#include <string_view>

namespace feedback {

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace feedback

#endif  // FEEDBACK_PROTO_VOCABULARY_UTF8_H_
