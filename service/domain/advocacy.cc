#include "service/domain/advocacy.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "service/domain/validation.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kMaxChildAge = 25;  // care leavers are supported up to 25
constexpr size_t kMaxReasonBytes = 1024;

absl::Time ToTime(const google::protobuf::Timestamp& at) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at));
}

std::string Describe(const EligibilityRule& rule) {
  std::string limits;
  if (rule.min_age > 0 || rule.max_age > 0) {
    absl::StrAppend(&limits, "ages ", rule.min_age, "-", rule.max_age == 0 ? 99 : rule.max_age);
  }
  if (rule.within_city_boundary_required) {
    absl::StrAppend(&limits, limits.empty() ? "" : ", ", "within the city boundary");
  }
  return absl::StrCat("rule \"", rule.name, "\" (", limits, ")");
}

absl::StatusOr<EligibilityRule> ParseRule(absl::string_view line, absl::TimeZone zone) {
  EligibilityRule rule;
  bool has_from = false;
  for (absl::string_view word : absl::StrSplit(line, ' ', absl::SkipWhitespace())) {
    const size_t equals = word.find('=');
    if (equals == absl::string_view::npos)
      return absl::InvalidArgumentError(absl::StrCat("\"", word, "\" is not key=value"));
    const absl::string_view key = word.substr(0, equals), value = word.substr(equals + 1);
    absl::CivilDay day;
    if (key == "from" && absl::ParseCivilTime(value, &day)) {
      rule.from = absl::FromCivil(day, zone);
      has_from = true;
    } else if (key == "min_age" && absl::SimpleAtoi(value, &rule.min_age)) {
    } else if (key == "max_age" && absl::SimpleAtoi(value, &rule.max_age)) {
    } else if (key == "within_city_boundary" && (value == "required" || value == "any")) {
      rule.within_city_boundary_required = value == "required";
    } else if (key == "name" && !value.empty()) {
      rule.name = std::string(value);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("\"", word, "\" is not understood"));
    }
  }
  if (!has_from) return absl::InvalidArgumentError("from=YYYY-MM-DD is required");
  if (rule.name.empty()) rule.name = absl::FormatCivilTime(absl::ToCivilDay(rule.from, zone));
  return rule;
}

}  // namespace

absl::StatusOr<Eligibility> Eligibility::Parse(std::string_view text, std::string_view source,
                                               absl::TimeZone zone) {
  Eligibility eligibility;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    absl::StatusOr<EligibilityRule> rule = ParseRule(line, zone);
    if (!rule.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(source), " line ", line_number, ": ", rule.status().message()));
    }
    eligibility.rules_.push_back(*std::move(rule));
  }
  std::sort(eligibility.rules_.begin(), eligibility.rules_.end(),
            [](const EligibilityRule& a, const EligibilityRule& b) { return a.from < b.from; });
  return eligibility;
}

absl::StatusOr<Eligibility> Eligibility::Load(const std::string& path, absl::TimeZone zone) {
  if (path.empty()) return Eligibility();
  std::ifstream in(path);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat("eligibility file ", path, ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path, zone);
}

absl::Status Eligibility::Check(const v1::AdvocacyReferral& referral) const {
  const absl::Time at = ToTime(referral.referred_at());
  const EligibilityRule* in_force = nullptr;
  for (const EligibilityRule& rule : rules_) {
    if (rule.from <= at) in_force = &rule;
  }
  if (in_force == nullptr) return absl::OkStatus();
  const int age = referral.child_age();
  if ((in_force->min_age > 0 && age < in_force->min_age) ||
      (in_force->max_age > 0 && age > in_force->max_age)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "child_age: ", age, " is outside the advocacy eligibility ", Describe(*in_force)));
  }
  if (in_force->within_city_boundary_required && !referral.within_city_boundary()) {
    return absl::FailedPreconditionError(
        absl::StrCat("within_city_boundary: the advocacy eligibility ", Describe(*in_force),
                     " takes only children living within the city boundary"));
  }
  return absl::OkStatus();
}

absl::Status ValidateReferralRequest(const v1::CreateAdvocacyReferralRequest& request,
                                     absl::Time now) {
  if (!IsUuid(request.submission_id())) {
    return absl::InvalidArgumentError("submission_id: must be a UUID");
  }
  if (!v1::Meeting_IsValid(request.meeting()) || request.meeting() == v1::MEETING_UNSPECIFIED) {
    return absl::InvalidArgumentError("meeting: must be set to a known meeting");
  }
  if (!v1::ServiceArea_IsValid(request.service_area())) {
    return absl::InvalidArgumentError(
        absl::StrCat("service_area: unknown value ", request.service_area()));
  }
  if (request.child_age() < 1 || request.child_age() > kMaxChildAge) {
    return absl::InvalidArgumentError(
        absl::StrCat("child_age: ", request.child_age(), " is outside 1..", kMaxChildAge));
  }
  if (request.has_referred_at()) {
    const google::protobuf::Timestamp& at = request.referred_at();
    // In range before it is converted: a huge seconds value would wrap around to another time.
    if (!IsValidTimestamp(at) || at.seconds() < 946684800) {
      return absl::InvalidArgumentError("referred_at: must be a time from the year 2000");
    }
    if (ToTime(at) > now + kMaxClockSkew) {
      return absl::InvalidArgumentError("referred_at: is more than 10 minutes in the future");
    }
  }
  return absl::OkStatus();
}

v1::AdvocacyReferral NewReferral(const v1::CreateAdvocacyReferralRequest& request, absl::Time now) {
  v1::AdvocacyReferral referral;
  referral.set_submission_id(absl::AsciiStrToLower(request.submission_id()));
  referral.set_meeting(request.meeting());
  referral.set_child_age(request.child_age());
  referral.set_within_city_boundary(request.within_city_boundary());
  referral.set_service_area(request.service_area());
  *referral.mutable_created_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  *referral.mutable_referred_at() =
      request.has_referred_at() ? request.referred_at() : referral.created_at();
  *referral.mutable_updated_at() = referral.created_at();
  referral.set_status(v1::ADVOCACY_STATUS_REFERRED);
  return referral;
}

absl::StatusOr<v1::AdvocacyReferral> ApplyReferralUpdate(
    const v1::AdvocacyReferral& current, const v1::UpdateAdvocacyReferralRequest& update,
    absl::Time now) {
  const v1::AdvocacyStatus status = update.status();
  if (status != v1::ADVOCACY_STATUS_PROGRESSED && status != v1::ADVOCACY_STATUS_DECLINED &&
      status != v1::ADVOCACY_STATUS_NOT_PROGRESSED) {
    return absl::InvalidArgumentError("status: must be progressed, declined or not_progressed");
  }
  if (update.reason().size() > kMaxReasonBytes || !IsValidUtf8(update.reason())) {
    return absl::InvalidArgumentError("reason: must be valid UTF-8 of at most 1 KiB");
  }
  if (status == v1::ADVOCACY_STATUS_NOT_PROGRESSED &&
      absl::StripAsciiWhitespace(update.reason()).empty()) {
    return absl::InvalidArgumentError("reason: is required when a referral is not progressed");
  }
  if (current.has_erased_at()) {
    // A new reason would be an advocate's words about the child again.
    return absl::FailedPreconditionError(
        absl::StrCat("id: ", current.id(), " was erased; the referral cannot change"));
  }
  if (current.status() != v1::ADVOCACY_STATUS_REFERRED) {
    if (current.status() == status && current.reason() == update.reason()) return current;  // retry
    return absl::FailedPreconditionError(absl::StrCat("status: the referral is already ",
                                                      v1::AdvocacyStatus_Name(current.status()),
                                                      "; a decided referral is not changed"));
  }
  v1::AdvocacyReferral next = current;
  next.set_status(status);
  next.set_reason(update.reason());
  *next.mutable_updated_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  return next;
}

}  // namespace feedback
