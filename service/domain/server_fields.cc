#include "service/domain/server_fields.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "feedback/v1/options.pb.h"

namespace feedback {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// What to look at in a message of one type: its fields that are marked server_set or are
// messages whose type can hold one (at any depth), in field-number order (ListFields' order, so
// the first found is the same). Made once per type: most of a request's fields are neither, and
// asking each field's options for the extension on every call cost more than the rest of the
// check (docs/performance.md).
struct Plan {
  struct Entry {
    const FieldDescriptor* field;
    bool server_set;  // IsServerSet(*field), asked once: it reads the field's options
  };
  std::vector<Entry> fields;
  std::vector<int> server_set_numbers;  // of the type's own server_set fields, ascending
};

class Plans {
 public:
  const Plan& For(const Descriptor& type) {
    // Each thread keeps the plans it used last. A request reads two or three, and the shared
    // map's reader lock is an atomic write to one cache line that every gRPC thread takes. A
    // plan, once made, stays where it is (node_hash_map) for the life of the process.
    thread_local std::array<std::pair<const Descriptor*, const Plan*>, 4> recent{};
    for (const auto& [known, plan] : recent) {
      if (known == &type) return *plan;
    }
    const Plan& plan = Find(type);
    std::move_backward(recent.begin(), recent.end() - 1, recent.end());
    recent.front() = {&type, &plan};
    return plan;
  }

 private:
  const Plan& Find(const Descriptor& type) {
    {
      absl::ReaderMutexLock lock(&mutex_);
      if (auto found = plans_.find(&type); found != plans_.end()) return found->second;
    }
    absl::MutexLock lock(&mutex_);
    return Make(type);
  }

  // Makes the plan of `type` and of every message type under it. A type that contains itself
  // (directly or not) is looked into wherever it appears: its plan is still being made when the
  // recursion reaches it again.
  const Plan& Make(const Descriptor& type) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    if (auto found = plans_.find(&type); found != plans_.end()) return found->second;
    Plan& plan = plans_[&type];  // node_hash_map: stays put while others are added
    making_.insert(&type);
    std::vector<const FieldDescriptor*> fields;
    for (int i = 0; i < type.field_count(); ++i) fields.push_back(type.field(i));
    std::sort(fields.begin(), fields.end(), [](const FieldDescriptor* a, const FieldDescriptor* b) {
      return a->number() < b->number();
    });
    for (const FieldDescriptor* field : fields) {
      const bool server_set = IsServerSet(*field);
      if (server_set || (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                         MayHoldServerSet(*field->message_type()))) {
        plan.fields.push_back({field, server_set});
      }
      if (server_set) plan.server_set_numbers.push_back(field->number());
    }
    making_.erase(&type);
    return plan;
  }

  bool MayHoldServerSet(const Descriptor& type) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return making_.contains(&type) || !Make(type).fields.empty();
  }

  absl::Mutex mutex_;
  absl::node_hash_map<const Descriptor*, Plan> plans_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_set<const Descriptor*> making_ ABSL_GUARDED_BY(mutex_);
};

Plans& AllPlans() {
  static auto* plans = new Plans();
  return *plans;
}

// True if `message` sets `field`, as Reflection::ListFields counts it.
bool IsSet(const Message& message, const Reflection& reflection, const FieldDescriptor& field) {
  return field.is_repeated() ? reflection.FieldSize(message, &field) > 0
                             : reflection.HasField(message, &field);
}

// The path of the first server-set field that is set in `message` ("id", "answers[2].id"),
// relative to it; nullopt if there is none. Paths are built only for the field found, since
// every request passes through here.
std::optional<std::string> FirstServerSetField(const Message& message) {
  const Reflection* reflection = message.GetReflection();
  for (const auto& [field, server_set] : AllPlans().For(*message.GetDescriptor()).fields) {
    if (!IsSet(message, *reflection, *field)) continue;
    if (server_set) return field->name();
    if (!field->is_repeated()) {
      if (std::optional<std::string> inner =
              FirstServerSetField(reflection->GetMessage(message, field))) {
        return absl::StrCat(field->name(), ".", *inner);
      }
      continue;
    }
    const int size = reflection->FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      if (std::optional<std::string> inner =
              FirstServerSetField(reflection->GetRepeatedMessage(message, field, i))) {
        return absl::StrCat(field->name(), "[", i, "].", *inner);
      }
    }
  }
  return std::nullopt;
}

absl::Status Check(const Message& message, std::string_view std_path) {
  const std::optional<std::string> field = FirstServerSetField(message);
  if (!field.has_value()) return absl::OkStatus();
  const absl::string_view path(std_path.data(), std_path.size());
  return absl::InvalidArgumentError(absl::StrCat(path, path.empty() ? "" : ".", *field,
                                                 ": is assigned by the server; leave it unset"));
}

}  // namespace

bool IsServerSet(const FieldDescriptor& field) {
  return field.options().GetExtension(v1::server_set);
}

const std::vector<int>& ServerSetFieldNumbers(const Descriptor& type) {
  return AllPlans().For(type).server_set_numbers;
}

absl::Status CheckNoServerSetFields(const Message& request) { return Check(request, ""); }

absl::Status CheckNoServerSetFields(const Message& message, std::string_view path) {
  return Check(message, path);
}

}  // namespace feedback
