// What feedbackctl says about the tablet kiosk (client/cli/kiosk_text.h): an enrolment code and a
// talk-now alert in plain words, with a device name that cannot act on the terminal.
#include "client/cli/kiosk_text.h"

#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace feedback::client {
namespace {
namespace kiosk_text_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::TimeZone kUtc = absl::UTCTimeZone();
const absl::Time kAt = absl::FromCivil(absl::CivilSecond(2026, 12, 2, 10, 42, 0), kUtc);

google::protobuf::Timestamp At(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

v1::Alert TalkNow() {
  v1::Alert alert;
  alert.set_id("tn_0123456789abcdef0123456789abcdef");
  alert.set_reason(v1::ALERT_REASON_TALK_NOW);
  alert.set_device_name("tablet-3");
  alert.set_meeting(v1::MEETING_CLA_REVIEW);
  alert.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
  *alert.mutable_raised_at() = At(kAt);
  return alert;
}

TEST(KioskText, ATalkNowAlertIsOneSentenceAndHowToAcknowledgeIt) {
  EXPECT_EQ(FormatTalkNowAlert(TalkNow(), kUtc, kAt + absl::Minutes(1)),
            "Talk now: someone at tablet-3 (CLA review, social care) asked to talk to someone, "
            "10:42\n  alert tn_0123456789abcdef0123456789abcdef (when someone has gone: "
            "feedbackctl alerts ack tn_0123456789abcdef0123456789abcdef --actor NAME)\n");
}

TEST(KioskText, ATalkNowAlertOfAnotherDaySaysTheDateAndLeavesOutWhatIsNotKnown) {
  v1::Alert alert = TalkNow();
  alert.clear_meeting();
  alert.clear_device_name();
  EXPECT_THAT(FormatTalkNowAlert(alert, kUtc, kAt + absl::Hours(24)),
              HasSubstr("someone at a device with no name (social care) asked to talk to "
                        "someone, 10:42 on Wednesday 2 December 2026\n"));
  alert.clear_service_area();
  EXPECT_THAT(FormatTalkNowAlert(alert, kUtc, kAt),
              HasSubstr("someone at a device with no name asked to talk to someone, 10:42\n"));
}

// A device name is set by staff but shown on a duty terminal: it cannot clear the screen or start
// a line that looks like another alert.
TEST(KioskText, ADeviceNameCannotActOnTheTerminal) {
  v1::Alert alert = TalkNow();
  alert.set_device_name("tab\x1b[2J\nSAFEGUARDING ALERT fb_1");
  const std::string text = FormatTalkNowAlert(alert, kUtc, kAt);
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(text, Not(HasSubstr("\nSAFEGUARDING")));
  EXPECT_THAT(text, HasSubstr("tab\\u001b[2J\\nSAFEGUARDING ALERT fb_1 (CLA review"));
}

TEST(KioskText, AnEnrolmentSaysTheCodeTheDeviceAndWhenItExpires) {
  v1::KioskEnrolment enrolment;
  enrolment.set_code("K7MN-2PQ9");
  enrolment.set_device_name("tablet-3");
  *enrolment.mutable_expires_at() = At(kAt + absl::Minutes(15));
  EXPECT_EQ(FormatEnrolment(enrolment, kUtc, kAt),
            "Enrolment code for tablet-3:\n\n    K7MN-2PQ9\n\nIt works once, and expires at 10:57 "
            "on Wednesday 2 December 2026 (in 15 minutes).\nOn the tablet, open the kiosk page "
            "(/kiosk on feedbackd's web address) and type the code.\n");
}

TEST(KioskText, EveryMeetingAndAreaHasWords) {
  for (int m = v1::Meeting_MIN + 1; m <= v1::Meeting_MAX; ++m) {
    EXPECT_FALSE(MeetingWords(static_cast<v1::Meeting>(m)).empty()) << m;
  }
  for (int a = v1::ServiceArea_MIN + 1; a <= v1::ServiceArea_MAX; ++a) {
    EXPECT_FALSE(ServiceAreaWords(static_cast<v1::ServiceArea>(a)).empty()) << a;
  }
}

}  // namespace kiosk_text_test
}  // namespace
}  // namespace feedback::client
