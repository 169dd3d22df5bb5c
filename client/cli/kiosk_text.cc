#include "client/cli/kiosk_text.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "client/lib/terminal_text.h"

namespace feedback::client {
namespace {

absl::Time ToTime(const google::protobuf::Timestamp& at) {
  return absl::FromUnixSeconds(at.seconds()) + absl::Nanoseconds(at.nanos());
}

// "Wednesday 2 December 2026" (no padding of the day).
std::string LongDate(absl::Time at, absl::TimeZone zone) {
  return absl::StrCat(absl::FormatTime("%A ", at, zone), absl::ToCivilDay(at, zone).day(),
                      absl::FormatTime(" %B %Y", at, zone));
}

}  // namespace

std::string MeetingWords(v1::Meeting meeting) {
  switch (meeting) {
    case v1::MEETING_INITIAL_CP_CONFERENCE:
      return "initial child protection conference";
    case v1::MEETING_REVIEW_CP_CONFERENCE:
      return "review child protection conference";
    case v1::MEETING_CLA_REVIEW:
      return "CLA review";
    case v1::MEETING_CIN_REVIEW:
      return "child in need review";
    case v1::MEETING_EARLY_HELP_REVIEW:
      return "early help review";
    case v1::MEETING_FAMILY_GROUP_CONFERENCE:
      return "family group conference";
    case v1::MEETING_OTHER:
      return "other meeting";
    default:
      return "";
  }
}

std::string ServiceAreaWords(v1::ServiceArea area) {
  switch (area) {
    case v1::SERVICE_AREA_EARLY_HELP:
      return "early help";
    case v1::SERVICE_AREA_SOCIAL_CARE:
      return "social care";
    case v1::SERVICE_AREA_YOUTH_OFFENDING:
      return "youth offending";
    default:
      return "";
  }
}

std::string FormatEnrolment(const v1::KioskEnrolment& enrolment, absl::TimeZone zone,
                            absl::Time now) {
  const absl::Time expires = ToTime(enrolment.expires_at());
  const int64_t minutes = std::max<int64_t>(0, std::llround(absl::ToDoubleMinutes(expires - now)));
  return absl::StrCat(
      "Enrolment code for ", ForTerminalLine(enrolment.device_name()), ":\n\n    ",
      ForTerminalLine(enrolment.code()), "\n\nIt works once, and expires at ",
      absl::FormatTime("%H:%M", expires, zone), " on ", LongDate(expires, zone), " (in ", minutes,
      minutes == 1 ? " minute" : " minutes",
      ").\nOn the tablet, open the kiosk page (/kiosk on feedbackd's web address) and type the "
      "code.\n");
}

std::string FormatTalkNowAlert(const v1::Alert& alert, absl::TimeZone zone, absl::Time now) {
  std::string where = alert.device_name().empty() ? std::string("a device with no name")
                                                  : ForTerminalLine(alert.device_name());
  const std::string meeting = MeetingWords(alert.meeting());
  const std::string area = ServiceAreaWords(alert.service_area());
  if (!meeting.empty() || !area.empty()) {
    absl::StrAppend(&where, " (", meeting, !meeting.empty() && !area.empty() ? ", " : "", area,
                    ")");
  }
  const absl::Time raised = ToTime(alert.raised_at());
  std::string when = absl::FormatTime("%H:%M", raised, zone);
  if (absl::ToCivilDay(raised, zone) != absl::ToCivilDay(now, zone)) {
    absl::StrAppend(&when, " on ", LongDate(raised, zone));
  }
  const std::string id = ForTerminalLine(alert.id());
  return absl::StrCat("Talk now: someone at ", where, " asked to talk to someone, ", when,
                      "\n  alert ", id, " (when someone has gone: feedbackctl alerts ack ", id,
                      " --actor NAME)\n");
}

}  // namespace feedback::client
