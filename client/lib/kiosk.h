// The kiosk: "How was today?" on a terminal tablet in a meeting room, one person after another.
//
// The conversation, one line of input per answer:
//   How was today? 1 2 3 4 5                            a rating, 1..5
//   Anything else you want to tell us? (Enter to skip)  an optional comment
//   Can we quote your words in our report? y/n          only asked when there is a comment
// then the response is delivered (feedbackctl: into the offline outbox, then sent), a thank-you
// is shown, the screen is cleared and the first question asked again for the next person.
//
// Stored as: source from the options (default child); kind compliment for a rating of 4 or 5,
// comment for 1..3 (a low rating is not a complaint: complaints start a statutory procedure
// and need words, so staff raise them separately); meeting and service area from the options;
// occurred_at the moment the rating was pressed; a new submission_id per response.
//
// Repeated presses: a rating pressed within `debounce` of the previous accepted rating press is
// ignored, at whichever question it arrives, so a child tapping "5" twenty times gives one
// response and never a comment of "5". A line of one digit repeated ("555") is one press of it.
#ifndef FEEDBACK_CLIENT_LIB_KIOSK_H_
#define FEEDBACK_CLIENT_LIB_KIOSK_H_

#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// The prompts, exactly as shown.
inline constexpr std::string_view kKioskRatingPrompt = "How was today? 1 2 3 4 5";
inline constexpr std::string_view kKioskCommentPrompt =
    "Anything else you want to tell us? (Enter to skip)";
inline constexpr std::string_view kKioskConsentPrompt =
    "Can we quote your words in our report? y/n";
// ANSI: clear the screen and move the cursor home.
inline constexpr std::string_view kClearScreen = "\x1b[2J\x1b[H";

struct KioskOptions {
  // Who the responses are from. Default: SOURCE_CHILD.
  v1::Source source = v1::SOURCE_CHILD;
  // The meeting and service area every response is about. Default: unspecified.
  v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
  v1::ServiceArea service_area = v1::SERVICE_AREA_UNSPECIFIED;
  // Rating presses this soon after the previous accepted one are ignored; zero: none are.
  // Default: 3 s.
  absl::Duration debounce = absl::Seconds(3);
  // The time now; tests inject a fake. Default: absl::Now.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Clear the screen after each response. Default: true.
  bool clear_screen = true;
};

// The kind a kiosk response is stored as: KIND_COMPLIMENT for a rating of 4 or 5, else
// KIND_COMMENT.
v1::Kind KioskKind(int rating);

// Receives each finished response (a new submission_id set). An error is shown to the person
// as "could not be saved, please tell a member of staff"; the kiosk carries on.
using KioskDeliver = std::function<absl::Status(const v1::Feedback&)>;

// The conversation's state machine. Writes prompts to `out`; reads nothing itself. Not
// thread-safe; `out` and the deliver function must outlive it.
// Example:
//   KioskSession kiosk(options, std::cout, deliver);
//   kiosk.Start();
//   for (std::string line; std::getline(std::cin, line) && kiosk.HandleLine(line);) {}
//   kiosk.Finish();
class KioskSession {
 public:
  KioskSession(KioskOptions options, std::ostream& out, KioskDeliver deliver);
  KioskSession(const KioskSession&) = delete;
  KioskSession& operator=(const KioskSession&) = delete;

  // Clears the screen and asks the first question.
  void Start();
  // Handles one line of input (its trailing "\r" and surrounding blanks ignored). Returns false
  // after "quit" (any question; a response with a rating so far is delivered first).
  bool HandleLine(std::string_view line);
  // End of input: a response with a rating so far is delivered (without consent to quote).
  void Finish();

  // Responses handed to the deliver function (successfully or not).
  int delivered() const { return delivered_; }
  // Rating presses ignored as repeats.
  int ignored_presses() const { return ignored_; }

 private:
  enum class Step { kRating, kComment, kConsent };

  void Ask();
  // Hands the response over, thanks the person, and (if `ask_next`) clears the screen and asks
  // the first question again.
  void Deliver(bool consent, bool ask_next = true);

  KioskOptions options_;
  std::ostream& out_;
  KioskDeliver deliver_;
  Step step_ = Step::kRating;
  int rating_ = 0;
  std::string comment_;
  absl::Time pressed_at_;
  std::optional<absl::Time> last_press_;
  int delivered_ = 0;
  int ignored_ = 0;
};

// Runs a session on `in` until end of input or "quit"; returns the number of responses
// delivered.
int RunKiosk(std::istream& in, std::ostream& out, KioskOptions options, KioskDeliver deliver);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_KIOSK_H_
