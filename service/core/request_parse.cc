#include "service/core/request_parse.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/util/json_util.h"
#include "proto/vocabulary/error_text.h"
#include "proto/vocabulary/json_mapping.h"
#include "service/domain/server_fields.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

// Deeper than any request of the API nests.
constexpr int kMaxDepth = 16;

// The path of the first string field in `input` (reading `bytes`; a message of `type`, up to the
// stream's limit) that is not UTF-8, e.g. "feedback.text" (a repeated field is named without an
// index); empty if there is none, or if the bytes stop making sense first (the parser then
// refuses them). Reads the wire format with the descriptor, so it covers every message and
// every field added later.
//
// Sets `may_set_server_field` when a field marked server_set is on the wire at any depth, or
// when the reading stops before the end (bytes it cannot read, a group, a message nested
// deeper than kMaxDepth), since a server_set field may then be in what it did not read. Left
// false, no such field can be set: protobuf sets a field only from its number on the wire.
std::string FirstNonUtf8Field(std::string_view bytes, google::protobuf::io::CodedInputStream& input,
                              const google::protobuf::Descriptor& type, int depth,
                              bool& may_set_server_field) {
  using google::protobuf::FieldDescriptor;
  const std::vector<int>& server_set = ServerSetFieldNumbers(type);
  auto stopped = [&may_set_server_field] {
    may_set_server_field = true;
    return std::string();
  };
  while (true) {
    const uint32_t tag = input.ReadTag();
    // The end, or a tag it cannot read: the caller tells them apart (ParseRequest by the end of
    // the bytes, a message's reader by its limit).
    if (tag == 0) return "";
    const int number = static_cast<int>(tag >> 3);
    if (std::binary_search(server_set.begin(), server_set.end(), number)) {
      may_set_server_field = true;
    }
    const FieldDescriptor* field = type.FindFieldByNumber(number);
    uint64_t skipped = 0;
    uint32_t skipped32 = 0;
    switch (tag & 7) {
      case 0:  // varint
        if (!input.ReadVarint64(&skipped)) return stopped();
        break;
      case 1:  // 64-bit
        if (!input.ReadLittleEndian64(&skipped)) return stopped();
        break;
      case 5:  // 32-bit
        if (!input.ReadLittleEndian32(&skipped32)) return stopped();
        break;
      case 2: {  // length-delimited: a string, a message, bytes or a packed array
        uint32_t length = 0;
        if (!input.ReadVarint32(&length)) return stopped();
        if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING) {
          // Checked where it lies in `bytes` (the stream reads them): no copy.
          const int at = input.CurrentPosition();
          if (!input.Skip(static_cast<int>(length))) return stopped();
          if (!IsValidUtf8(bytes.substr(static_cast<size_t>(at), length))) return field->name();
        } else if (field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE) {
          if (depth >= kMaxDepth) {  // not read, so it may hold a server_set field
            may_set_server_field = true;
            if (!input.Skip(static_cast<int>(length))) return stopped();
            break;
          }
          const auto limit = input.PushLimit(static_cast<int>(length));
          const std::string inner = FirstNonUtf8Field(bytes, input, *field->message_type(),
                                                      depth + 1, may_set_server_field);
          if (!inner.empty()) return absl::StrCat(field->name(), ".", inner);
          if (input.BytesUntilLimit() != 0) return stopped();  // stopped inside: malformed
          input.PopLimit(limit);
        } else if (!input.Skip(static_cast<int>(length))) {
          return stopped();
        }
        break;
      }
      default:  // groups (not in this API) or not a wire type
        return stopped();
    }
  }
}

// The field at `path` (proto field names joined by dots, e.g. "feedback.rating") under `type`;
// nullptr if there is none.
const google::protobuf::FieldDescriptor* FieldAt(const google::protobuf::Descriptor& type,
                                                 std::string_view path) {
  const google::protobuf::Descriptor* message = &type;
  const google::protobuf::FieldDescriptor* field = nullptr;
  for (std::string_view rest = path; message != nullptr;) {
    const size_t dot = rest.find('.');
    const std::string name(rest.substr(0, dot));
    field = message->FindFieldByName(name);
    if (field == nullptr) field = message->FindFieldByCamelcaseName(name);
    if (field == nullptr || dot == std::string_view::npos) return field;
    message = field->message_type();
    rest.remove_prefix(dot + 1);
  }
  return nullptr;
}

// What a JSON value for `field` must be, for "<path>: is not ...".
std::string ExpectedValue(const google::protobuf::FieldDescriptor* field) {
  using google::protobuf::FieldDescriptor;
  if (field == nullptr) return "is not a value of the right kind";
  if (field->is_map() || (field->is_repeated() && field->type() != FieldDescriptor::TYPE_MESSAGE)) {
    return "is not a JSON array of values of the right kind";
  }
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM:
      return absl::StrCat(
          "is not a value of ", field->enum_type()->full_name(), " (e.g. \"",
          field->enum_type()->value(field->enum_type()->value_count() > 1 ? 1 : 0)->name(), "\")");
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->message_type()->full_name() == "google.protobuf.Timestamp") {
        return "is not an RFC 3339 time such as \"2026-12-02T10:00:00Z\"";
      }
      return absl::StrCat("is not a JSON object (a ", field->message_type()->full_name(), ")");
    case FieldDescriptor::CPPTYPE_BOOL:
      return "is not true or false";
    case FieldDescriptor::CPPTYPE_STRING:
      return "is not a string";
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return "is not a number";
    default:
      return "is not a whole number in range";
  }
}

// Protobuf's JSON parser says what it refused in its own words, with the client's text (and,
// for a syntax error, a copy of the line it stopped in). This keeps the field it names and says
// the rest in ours.
absl::Status JsonError(std::string_view reason, const google::protobuf::Descriptor& type) {
  // "(feedback) ratin: Cannot find field." or, at the top level, "ratin: Cannot find field."
  constexpr std::string_view kUnknown = ": Cannot find field.";
  if (reason.ends_with(kUnknown)) {
    std::string_view where = reason.substr(0, reason.size() - kUnknown.size());
    std::string_view path;
    if (where.starts_with("(")) {
      const size_t close = where.find(") ");
      if (close != std::string_view::npos) {
        path = where.substr(1, close - 1);
        where.remove_prefix(close + 2);
      }
    }
    const google::protobuf::Descriptor* parent = &type;
    if (!path.empty()) {
      const google::protobuf::FieldDescriptor* field = FieldAt(type, path);
      parent = field == nullptr ? nullptr : field->message_type();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        path.empty() ? "request" : std::string(path), ": unknown field ", QuoteClientValue(where),
        parent == nullptr ? "" : absl::StrCat(" (not a field of ", parent->full_name(), ")")));
  }
  // "(feedback.rating): invalid value "four" for type TYPE_INT32"
  if (reason.starts_with("(")) {
    const size_t close = reason.find("):");
    if (close != std::string_view::npos) {
      const std::string_view path = reason.substr(1, close - 1);
      return absl::InvalidArgumentError(absl::StrCat(path.empty() ? "request" : std::string(path),
                                                     ": ", ExpectedValue(FieldAt(type, path))));
    }
  }
  // A syntax error: the first line is the parser's reason; the lines after it quote the body.
  std::string said(reason.substr(0, reason.find('\n')));
  if (said.starts_with(": ")) said.erase(0, 2);
  std::string shown;
  for (char c : said.substr(0, 120)) shown.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return absl::InvalidArgumentError(absl::StrCat("request: is not valid JSON: ", shown));
}

}  // namespace

absl::Status ParseRequest(std::string_view bytes, google::protobuf::Message& request) {
  request.Clear();
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  bool may_set_server_field = false;
  const std::string field =
      FirstNonUtf8Field(bytes, input, *request.GetDescriptor(), 0, may_set_server_field);
  if (!field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": is not valid UTF-8 (send text encoded as UTF-8)"));
  }
  // A zero tag or a bad one ends the reading as the end of the bytes does.
  if (input.CurrentPosition() != static_cast<int>(bytes.size())) may_set_server_field = true;
  if (!request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("request: is not a ", request.GetDescriptor()->full_name()));
  }
  // Every request of every RPC passes here: where every door refuses fields the server sets.
  // The check asks protobuf's reflection about each field (0.35 µs of a submission's 0.94 here
  // on its own, more in the server: docs/performance.md, eighteenth pass), so it runs only when
  // the reading above saw such a field or could not read it all.
  if (!may_set_server_field) return absl::OkStatus();
  return CheckNoServerSetFields(request);
}

absl::Status ParseJsonRequest(std::string_view json, google::protobuf::Message& request) {
  request.Clear();
  if (!IsValidUtf8(json)) {
    return absl::InvalidArgumentError("request: is not valid UTF-8 (send JSON encoded as UTF-8)");
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = JsonToMessage(json, request, options);
  if (!parsed.ok()) {
    request.Clear();
    const auto message = parsed.message();
    return JsonError(std::string_view(message.data(), message.size()), *request.GetDescriptor());
  }
  return CheckNoServerSetFields(request);
}

}  // namespace feedback
