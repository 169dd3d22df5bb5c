// The kiosk: "How was today?" on a staff laptop's terminal in a meeting room, one person after
// another (the tablet kiosk is client/web/).
//
// The screens, one line of input per answer:
//   How was today?                                        a rating, 1..5, shown with its words:
//     1 Very bad   2 Bad   3 OK   4 Good   5 Very good
//   Is there anything else you want to tell us? ...       an optional comment
//   Can we share what you wrote, without your name? ...   only asked when there is a comment
// then the response is delivered (feedbackctl: into the offline outbox, then sent) and a
// thank-you fills the screen until the next person presses Enter (a rating pressed there is the
// next person's) or `thank_you_pause` passes; then the first question is asked again on a clear
// screen, so the next person never sees the previous answer.
//
// Nothing technical is ever written here: outbox and connection messages belong in the staff
// log (feedbackctl kiosk). The one mark of the network is a small "answers waiting to be sent: N"
// line at the top of the first question's screen, kept up to date while the kiosk waits.
//
// Nobody leaves by typing a word. End of input at a terminal (Ctrl-D) shows a staff prompt:
// the exit phrase (kKioskExitPhrase) closes the kiosk; anything else (or Ctrl-D again) goes back
// to the question. Input that ends for good (a pipe or file, a closed terminal) or a stop
// request (feedbackctl: SIGTERM or SIGHUP) ends it too. A response with a rating so far is
// delivered (without consent to share) when the kiosk closes.
//
// Stored as: source from the options (default child); kind compliment for a rating of 4 or 5,
// comment for 1..3 (a low rating is not a complaint: complaints start a statutory procedure
// and need words, so staff raise them separately); meeting and service area from the options;
// occurred_at the moment the rating was pressed; a new submission_id per response.
//
// Repeated presses: a rating pressed within `debounce` of the previous accepted rating press is
// ignored, at whichever screen it arrives, so a child tapping "5" twenty times gives one
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

// The words on the screens, exactly as shown.
inline constexpr std::string_view kKioskRatingPrompt = "How was today?";
inline constexpr std::string_view kKioskRatingChoices =
    "1 Very bad    2 Bad    3 OK    4 Good    5 Very good";
inline constexpr std::string_view kKioskRatingHint = "Type a number, then press Enter.";
inline constexpr std::string_view kKioskCommentPrompt =
    "Is there anything else you want to tell us? Type it and press Enter, or just press Enter "
    "to skip.";
inline constexpr std::string_view kKioskConsentPrompt =
    "Can we share what you wrote, without your name? Type y for yes or n for no, then press "
    "Enter.";
inline constexpr std::string_view kKioskThankYou = "Thank you! We have your answer.";
inline constexpr std::string_view kKioskNextPerson = "Press Enter for the next person.";
inline constexpr std::string_view kKioskNotSaved =
    "Sorry, that could not be saved. Please tell a member of staff.";
// The mark, followed by the number.
inline constexpr std::string_view kKioskWaitingMark = "answers waiting to be sent: ";
inline constexpr std::string_view kKioskStaffPrompt =
    "Staff only: type the exit phrase and press Enter to close the kiosk. Press Enter to go "
    "back.";
// What closes the kiosk at the staff prompt (any case, surrounding blanks ignored). In the
// README, not on the screen.
inline constexpr std::string_view kKioskExitPhrase = "close kiosk";
// ANSI: clear the screen and move the cursor home.
inline constexpr std::string_view kClearScreen = "\x1b[2J\x1b[H";

// The words of a "How was today?" rating, on the kiosk and in the report: 1 "Very bad",
// 2 "Bad", 3 "OK", 4 "Good", 5 "Very good"; "" for anything else.
std::string_view KioskRatingWords(int rating);

struct KioskOptions {
  // Who the responses are from. Default: SOURCE_CHILD.
  v1::Source source = v1::SOURCE_CHILD;
  // The meeting and service area every response is about. Default: unspecified.
  v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
  v1::ServiceArea service_area = v1::SERVICE_AREA_UNSPECIFIED;
  // Rating presses this soon after the previous accepted one are ignored; zero: none are.
  // Default: 3 s.
  absl::Duration debounce = absl::Seconds(3);
  // How long the thank-you stays when nobody presses Enter. Default: 5 s.
  absl::Duration thank_you_pause = absl::Seconds(5);
  // How many answers wait to be sent (the outbox), for the mark; null: no mark. Called on the
  // session's thread. Default: null.
  std::function<int()> waiting;
  // How often the mark is brought up to date while the kiosk waits. Default: 2 s.
  absl::Duration waiting_refresh = absl::Seconds(2);
  // The time now; tests inject a fake. Default: absl::Now.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Clear the screen for each new screen (and keep the mark up to date in place). Default: true.
  bool clear_screen = true;
};

// The kind a kiosk response is stored as: KIND_COMPLIMENT for a rating of 4 or 5, else
// KIND_COMMENT.
v1::Kind KioskKind(int rating);

// Receives each finished response (a new submission_id set). An error is shown to the person
// as kKioskNotSaved; the kiosk carries on.
using KioskDeliver = std::function<absl::Status(const v1::Feedback&)>;

// The conversation's state machine. Writes its screens to `out`; reads nothing itself, and
// never waits: a runner (RunKiosk) feeds it lines, ends of input and the passing of time.
// Not thread-safe; `out` and the deliver function must outlive it.
// Example:
//   KioskSession kiosk(options, std::cout, deliver);
//   kiosk.Start();
//   ... kiosk.HandleLine(line) for each line; kiosk.Tick() at kiosk.NextDeadline() ...
//   kiosk.Finish();
class KioskSession {
 public:
  KioskSession(KioskOptions options, std::ostream& out, KioskDeliver deliver);
  KioskSession(const KioskSession&) = delete;
  KioskSession& operator=(const KioskSession&) = delete;

  // Clears the screen and asks the first question.
  void Start();
  // Handles one line of input (its trailing "\r" and surrounding blanks ignored). Returns false
  // once the exit phrase was typed at the staff prompt (the kiosk is then finished).
  bool HandleLine(std::string_view line);
  // End of input at a terminal (Ctrl-D): shows the staff prompt; at the staff prompt, goes back.
  void HandleEndOfInput();
  // Lets time pass (options.clock): ends the thank-you after its pause, and brings the mark up
  // to date. Call it when NextDeadline() is reached; calling it earlier does no harm.
  void Tick();
  // When Tick() is next needed: the end of the thank-you, or the next refresh of the mark;
  // absl::InfiniteFuture() when nothing is waited for.
  absl::Time NextDeadline() const;
  // The kiosk closes: a response with a rating so far is delivered (without consent).
  void Finish();

  // Responses handed to the deliver function (successfully or not).
  int delivered() const { return delivered_; }
  // Rating presses ignored as repeats.
  int ignored_presses() const { return ignored_; }
  // True once the exit phrase closed it (HandleLine returned false).
  bool closed() const { return closed_; }

 private:
  enum class Step { kRating, kComment, kConsent, kThanks, kStaff };

  // The first question's screen, for the next person.
  void NextPerson();
  void AskAgain();
  // The mark's line: kKioskWaitingMark and the number, or "" when nothing waits.
  std::string WaitingLine();
  // Hands the response over and shows the thank-you (or the apology) until the next person.
  void Deliver(bool consent, bool show_thanks = true);

  KioskOptions options_;
  std::ostream& out_;
  KioskDeliver deliver_;
  Step step_ = Step::kRating;
  Step before_staff_ = Step::kRating;  // where the staff prompt goes back to
  int rating_ = 0;                     // 0: no rating yet
  std::string comment_;
  absl::Time pressed_at_;
  std::optional<absl::Time> last_press_;
  absl::Time thanks_until_;
  std::optional<int> shown_waiting_;  // the number the mark shows (first question's screen)
  int delivered_ = 0;
  int ignored_ = 0;
  bool closed_ = false;
};

// Where a kiosk's lines come from.
class KioskInput {
 public:
  enum class Event {
    kLine,        // a line (without its "\n")
    kTimeout,     // the deadline passed first
    kEndOfInput,  // Ctrl-D at a terminal: more may follow
    kClosed,      // no more input will come (a pipe or file ended, the terminal went, a stop)
  };
  virtual ~KioskInput() = default;
  // Waits for the next line, until `deadline` at most (absl::InfiniteFuture(): no limit).
  // `line` is set for kLine.
  virtual Event Next(absl::Time deadline, std::string& line) = 0;
};

// Runs a session on `input` until it is closed or the exit phrase is typed (see KioskSession);
// returns the number of responses delivered.
int RunKiosk(KioskInput& input, std::ostream& out, KioskOptions options, KioskDeliver deliver);
// The same on the lines of `in`, whose end closes the kiosk; time never passes between lines
// (a thank-you ends with the next line). For scripts and tests.
int RunKiosk(std::istream& in, std::ostream& out, KioskOptions options, KioskDeliver deliver);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_LIB_KIOSK_H_
