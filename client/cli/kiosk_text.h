// What feedbackctl says about the tablet kiosk in plain words: an enrolment code as staff read it
// out, and a talk-now alert as duty staff read it in `alerts watch`. Pure; thread-safe. Every
// value that came from a client (a device name) goes through ForTerminalLine.
#ifndef FEEDBACK_CLIENT_CLI_KIOSK_TEXT_H_
#define FEEDBACK_CLIENT_CLI_KIOSK_TEXT_H_

#include <string>

#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// "CLA review", "initial child protection conference", ...; empty for MEETING_UNSPECIFIED.
std::string MeetingWords(v1::Meeting meeting);
// "social care", "early help", "youth offending"; empty for SERVICE_AREA_UNSPECIFIED.
std::string ServiceAreaWords(v1::ServiceArea area);

// The code, the device and when it expires (local time in `zone`; "(in N minutes)" from `now`),
// and what to do with it. Example:
//   Enrolment code for tablet-3:
//
//       ABCD-EFGH
//
//   It works once, and expires at 10:57 on Wednesday 2 December 2026 (in 15 minutes).
//   On the tablet, open the kiosk page (/kiosk on feedbackd's web address) and type the code.
std::string FormatEnrolment(const v1::KioskEnrolment& enrolment, absl::TimeZone zone,
                            absl::Time now);

// A talk-now alert in two lines. Example:
//   Talk now: someone at tablet-3 (CLA review, social care) asked to talk to someone, 10:42
//     alert tn_0123... (when someone has gone: feedbackctl alerts ack tn_0123... --actor NAME)
// The time is raised_at in `zone`, with its date when it is not the day of `now`.
std::string FormatTalkNowAlert(const v1::Alert& alert, absl::TimeZone zone, absl::Time now);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_KIOSK_TEXT_H_
