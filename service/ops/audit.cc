#include "service/ops/audit.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultAuditPage = 100;
constexpr int kMaxAuditPage = 1000;

std::string TimeKey(int64_t unix_micros) {
  return absl::StrCat(std::string(kAuditPrefix),
                      absl::StrFormat("%016x", static_cast<uint64_t>(unix_micros)), "/");
}

}  // namespace

absl::Status AppendAudit(storage::Transaction& txn, const Principal& actor, absl::Time now,
                         AuditEvent event) {
  v1::AuditEntry entry;
  const std::string key = TimeKey(absl::ToUnixMicros(now)) + txn.NewId("");
  entry.set_id(key.substr(kAuditPrefix.size()));
  *entry.mutable_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  entry.set_actor_token_id(actor.token_id);
  entry.set_actor_role(actor.role);
  entry.set_actor_device(actor.device_name);
  entry.set_action(std::move(event.action));
  for (std::string& id : event.ids) entry.add_ids(std::move(id));
  entry.set_detail(std::move(event.detail));
  return txn.PutEntity(key, entry.SerializeAsString());
}

storage::WriteOp AuditOp(Principal actor, absl::Time now, AuditEvent event) {
  return [actor = std::move(actor), now,
          event = std::move(event)](storage::Transaction& txn) mutable -> absl::Status {
    return AppendAudit(txn, actor, now, std::move(event));
  };
}

absl::StatusOr<AuditPage> ReadAudit(const storage::FeedbackStore& store,
                                    const v1::ListAuditRequest& request) {
  if (request.page_size() < 0 || request.page_size() > kMaxAuditPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: ", request.page_size(), " is outside 0..", kMaxAuditPage));
  }
  const int limit = request.page_size() == 0 ? kDefaultAuditPage : request.page_size();
  std::string after;
  if (!request.page_token().empty()) {
    if (!absl::WebSafeBase64Unescape(request.page_token(), &after) ||
        !absl::StartsWith(after, std::string(kAuditPrefix))) {
      return absl::InvalidArgumentError("page_token: not a token this server gave");
    }
  } else if (request.has_since()) {
    if (!IsValidTimestamp(request.since()) || request.since().seconds() < 0) {
      return absl::InvalidArgumentError("since: not a valid time");
    }
    // Every key of a later time sorts after "<time of since - 1µs>/~".
    after = TimeKey(TimeUtil::TimestampToMicroseconds(request.since()) - 1) + "~";
  }
  AuditPage page;
  std::string last_key;
  RETURN_IF_ERROR(store.ScanEntitiesAfter(
      kAuditPrefix, after, [&](std::string_view key, std::string_view value) -> storage::ScanStep {
        if (static_cast<int>(page.entries.size()) == limit) {
          page.next_page_token = absl::WebSafeBase64Escape(last_key);
          return storage::ScanStep::Stop();
        }
        v1::AuditEntry entry;
        if (!entry.ParseFromString(std::string(value))) {
          return absl::DataLossError("an audit entry does not parse");
        }
        last_key = std::string(key);
        if (request.action().empty() || entry.action() == request.action()) {
          page.entries.push_back(std::move(entry));
        }
        return absl::OkStatus();
      }));
  return page;
}

}  // namespace feedback
