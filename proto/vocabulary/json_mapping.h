// protobuf's JSON mapping (google/protobuf/util/json_util.h), with the type descriptions it
// works from made once per type instead of once per call.
//
// JsonStringToMessage and MessageToJsonString describe every message and enum type a
// conversion meets (a google.protobuf.Type made from the descriptors, each field's options
// packed into it) anew on every call: on the HTTP door that was most of a submission's cost,
// about 40 µs to read its JSON and 35 to write its reply (docs/performance.md). These are the
// same conversions (JsonToBinaryString, BinaryToJsonString) given a TypeResolver that keeps
// each description it has made. Thread-safe.
#ifndef FEEDBACK_SERVICE_CORE_JSON_MAPPING_H_
#define FEEDBACK_SERVICE_CORE_JSON_MAPPING_H_

#include <string>
#include <string_view>

#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace feedback {

// As google::protobuf::util::JsonStringToMessage(json, &message, options): the same result and
// the same errors.
google::protobuf::util::Status JsonToMessage(
    std::string_view json, google::protobuf::Message& message,
    const google::protobuf::util::JsonParseOptions& options);

// As google::protobuf::util::MessageToJsonString(message, &json, options).
google::protobuf::util::Status MessageToJson(
    const google::protobuf::Message& message, std::string& json,
    const google::protobuf::util::JsonPrintOptions& options);

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_JSON_MAPPING_H_
