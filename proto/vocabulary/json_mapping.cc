#include "proto/vocabulary/json_mapping.h"

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/type.pb.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace feedback {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::Enum;
using google::protobuf::Message;
using google::protobuf::Type;
using google::protobuf::util::Status;
using google::protobuf::util::TypeResolver;

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

// What the conversions never read is left out of a kept description, since copying it out is
// most of what resolving a type costs them: a field's options (each packed as an Any) and the
// file a type or enum comes from (source_context). They read a type's own options (map_entry,
// message_set_wire_format), which stay. JsonMappingTest checks the output is the library's.
void LeaveOutUnread(Type& type) {
  for (google::protobuf::Field& field : *type.mutable_fields()) field.clear_options();
  type.clear_source_context();
}
void LeaveOutUnread(Enum& enum_type) { enum_type.clear_source_context(); }

// The generated pool's resolver, each description it makes kept for the next call. A type's
// description never changes while the process runs: the generated pool is fixed at build time.
// A URL it cannot resolve is not kept, and fails again each time.
class KeepingTypeResolver final : public TypeResolver {
 public:
  KeepingTypeResolver()
      : describer_(google::protobuf::util::NewTypeResolverForDescriptorPool(
            kTypeUrlPrefix, DescriptorPool::generated_pool())) {}

  Status ResolveMessageType(const std::string& type_url, Type* type) override {
    return Resolve(type_url, types_, *type, &TypeResolver::ResolveMessageType);
  }

  Status ResolveEnumType(const std::string& type_url, Enum* enum_type) override {
    return Resolve(type_url, enums_, *enum_type, &TypeResolver::ResolveEnumType);
  }

 private:
  template <typename Description>
  using Kept = absl::node_hash_map<std::string, Description>;

  template <typename Description>
  Status Resolve(const std::string& type_url, Kept<Description>& kept, Description& out,
                 Status (TypeResolver::*describe)(const std::string&, Description*)) {
    {
      absl::ReaderMutexLock lock(&mutex_);
      if (auto found = kept.find(type_url); found != kept.end()) {
        out = found->second;
        return Status();
      }
    }
    Description made;
    Status described = (describer_.get()->*describe)(type_url, &made);
    if (!described.ok()) return described;
    LeaveOutUnread(made);
    absl::MutexLock lock(&mutex_);
    out = kept.try_emplace(type_url, std::move(made)).first->second;
    return Status();
  }

  const std::unique_ptr<TypeResolver> describer_;
  absl::Mutex mutex_;
  Kept<Type> types_ ABSL_GUARDED_BY(mutex_);
  Kept<Enum> enums_ ABSL_GUARDED_BY(mutex_);
};

TypeResolver& GeneratedTypes() {
  static auto* resolver = new KeepingTypeResolver();
  return *resolver;
}

bool IsGenerated(const Message& message) {
  return message.GetDescriptor()->file()->pool() == DescriptorPool::generated_pool();
}

std::string TypeUrl(const Message& message) {
  return absl::StrCat(kTypeUrlPrefix, "/", message.GetDescriptor()->full_name());
}

}  // namespace

Status JsonToMessage(std::string_view json, Message& message,
                     const google::protobuf::util::JsonParseOptions& options) {
  const google::protobuf::StringPiece input(json.data(), json.size());
  if (!IsGenerated(message)) {
    return google::protobuf::util::JsonStringToMessage(input, &message, options);
  }
  std::string binary;
  Status converted = google::protobuf::util::JsonToBinaryString(&GeneratedTypes(), TypeUrl(message),
                                                                input, &binary, options);
  if (!converted.ok()) return converted;
  if (!message.ParseFromString(binary)) {
    // JsonStringToMessage's words for the same failure.
    return google::protobuf::util::InvalidArgumentError(
        "JSON transcoder produced invalid protobuf output.");
  }
  return Status();
}

Status MessageToJson(const Message& message, std::string& json,
                     const google::protobuf::util::JsonPrintOptions& options) {
  if (!IsGenerated(message)) {
    return google::protobuf::util::MessageToJsonString(message, &json, options);
  }
  return google::protobuf::util::BinaryToJsonString(&GeneratedTypes(), TypeUrl(message),
                                                    message.SerializeAsString(), &json, options);
}

}  // namespace feedback
