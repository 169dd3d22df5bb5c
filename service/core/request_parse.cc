#include "service/core/request_parse.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "service/domain/server_fields.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

// Deeper than any request of the API nests.
constexpr int kMaxDepth = 16;

// The path of the first string field in `input` (a message of `type`, up to the stream's
// limit) that is not UTF-8, e.g. "feedback.text" (a repeated field is named without an
// index); empty if there is none, or if the bytes stop making sense first (the parser then
// refuses them). Reads the wire format with the descriptor, so it covers every message and
// every field added later.
std::string FirstNonUtf8Field(google::protobuf::io::CodedInputStream& input,
                              const google::protobuf::Descriptor& type, int depth) {
  using google::protobuf::FieldDescriptor;
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) return "";
    const FieldDescriptor* field = type.FindFieldByNumber(static_cast<int>(tag >> 3));
    uint64_t skipped = 0;
    uint32_t skipped32 = 0;
    switch (tag & 7) {
      case 0:  // varint
        if (!input.ReadVarint64(&skipped)) return "";
        break;
      case 1:  // 64-bit
        if (!input.ReadLittleEndian64(&skipped)) return "";
        break;
      case 5:  // 32-bit
        if (!input.ReadLittleEndian32(&skipped32)) return "";
        break;
      case 2: {  // length-delimited: a string, a message, bytes or a packed array
        uint32_t length = 0;
        if (!input.ReadVarint32(&length)) return "";
        if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING) {
          std::string value;
          if (!input.ReadString(&value, static_cast<int>(length))) return "";
          if (!IsValidUtf8(value)) return field->name();
        } else if (field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE &&
                   depth < kMaxDepth) {
          const auto limit = input.PushLimit(static_cast<int>(length));
          const std::string inner = FirstNonUtf8Field(input, *field->message_type(), depth + 1);
          if (!inner.empty()) return absl::StrCat(field->name(), ".", inner);
          if (input.BytesUntilLimit() != 0) return "";  // stopped inside: malformed
          input.PopLimit(limit);
        } else if (!input.Skip(static_cast<int>(length))) {
          return "";
        }
        break;
      }
      default:  // groups (not in this API) or not a wire type
        return "";
    }
  }
}

}  // namespace

absl::Status ParseRequest(std::string_view bytes, google::protobuf::Message& request) {
  request.Clear();
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  const std::string field = FirstNonUtf8Field(input, *request.GetDescriptor(), 0);
  if (!field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is not valid UTF-8 (send text encoded as UTF-8)"));
  }
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: is not a ", request.GetDescriptor()->full_name()));
  }
  // Every request of every RPC passes here: the one place fields the server sets are refused.
  return CheckNoServerSetFields(request);
}

}  // namespace feedback
