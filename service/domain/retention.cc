#include "service/domain/retention.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"

namespace feedback {
namespace {

constexpr int kMaxDays = 36500;  // 100 years
// The retention file's names for the records that have no Kind.
constexpr char kReferralName[] = "referral";
constexpr char kAuditName[] = "audit";
constexpr char kObservationName[] = "observation";
constexpr char kOversightName[] = "oversight";

bool IsRecordName(absl::string_view name) {
  return name == kReferralName || name == kAuditName || name == kObservationName ||
         name == kOversightName;
}

// Past `days` (if any) after `at`, at `now`.
bool IsPast(const google::protobuf::Timestamp& at, std::optional<int> days, absl::Time now) {
  if (!days.has_value()) return false;
  const absl::Time from =
      absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(at));
  return from + absl::Hours(24) * *days < now;
}

std::optional<v1::Kind> KindNamed(absl::string_view name) {
  if (name == "compliment") return v1::KIND_COMPLIMENT;
  if (name == "complaint") return v1::KIND_COMPLAINT;
  if (name == "comment") return v1::KIND_COMMENT;
  if (name == "child-statement") return v1::KIND_CHILD_STATEMENT;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<RetentionPolicy> RetentionPolicy::Parse(std::string_view text,
                                                       std::string_view source) {
  RetentionPolicy policy;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    auto error = [&](const std::string& message) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(source), " line ", line_number, ": ", message));
    };
    const std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipWhitespace());
    if (words.size() != 2) {
      return error("expected `<kind> <days>`, e.g. `complaint 2190`");
    }
    const std::optional<v1::Kind> kind = KindNamed(words[0]);
    const bool record = IsRecordName(words[0]);
    if (!kind.has_value() && !record) {
      return error(absl::StrCat("unknown kind \"", std::string(words[0]),
                                "\" (one of compliment, complaint, comment, child-statement, "
                                "referral, audit, observation, oversight)"));
    }
    int days = 0;
    if (!absl::SimpleAtoi(words[1], &days) || days < 1 || days > kMaxDays) {
      return error(absl::StrCat("days: \"", std::string(words[1]),
                                "\" is not a whole number from 1 to ", kMaxDays));
    }
    const bool listed_twice = record
                                  ? !policy.record_days_.emplace(std::string(words[0]), days).second
                                  : !policy.days_.emplace(*kind, days).second;
    if (listed_twice) {
      return error(absl::StrCat("kind \"", std::string(words[0]), "\" is listed twice"));
    }
  }
  return policy;
}

absl::StatusOr<RetentionPolicy> RetentionPolicy::Load(const std::string& path) {
  if (path.empty()) return RetentionPolicy();
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat("retention file ", path, ": cannot read"));
  }
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

std::optional<int> RetentionPolicy::DaysFor(v1::Kind kind) const {
  auto it = days_.find(kind);
  if (it == days_.end()) return std::nullopt;
  return it->second;
}

bool RetentionPolicy::IsExpired(const v1::Feedback& record, absl::Time now) const {
  return IsPast(record.occurred_at(), DaysFor(record.kind()), now);
}

std::optional<int> RetentionPolicy::RecordDays(std::string_view name) const {
  auto it = record_days_.find(name);
  if (it == record_days_.end()) return std::nullopt;
  return it->second;
}

bool RetentionPolicy::IsExpired(const v1::AdvocacyReferral& referral, absl::Time now) const {
  return IsPast(referral.referred_at(), RecordDays(kReferralName), now);
}

bool RetentionPolicy::IsExpired(const v1::QualityCheck& check, absl::Time now) const {
  const bool audit = check.activity() == v1::QA_ACTIVITY_CASE_FILE_AUDIT;
  return IsPast(check.occurred_at(), RecordDays(audit ? kAuditName : kObservationName), now);
}

bool RetentionPolicy::IsExpired(const v1::ChairOversight& oversight, absl::Time now) const {
  return IsPast(oversight.occurred_at(), RecordDays(kOversightName), now);
}

}  // namespace feedback
