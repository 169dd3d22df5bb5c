#include "client/lib/kiosk.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/utf8.h"

namespace feedback::client {
namespace {

// The server's limit on text (feedback.proto: at most 8 KiB).
constexpr size_t kMaxCommentBytes = size_t{8} * 1024;

// ANSI: save the cursor, go to the first line and erase it; restore the cursor.
constexpr std::string_view kToFirstLine =
    "\x1b"
    "7\x1b[1;1H\x1b[2K";
constexpr std::string_view kBackToCursor =
    "\x1b"
    "8";

// 1..5 for a line that is one rating digit, or the same digit repeated (a key held or tapped
// several times before Enter); nullopt otherwise.
std::optional<int> RatingPress(std::string_view line) {
  if (line.empty() || line[0] < '1' || line[0] > '5') return std::nullopt;
  for (char c : line) {
    if (c != line[0]) return std::nullopt;
  }
  return line[0] - '0';
}

std::string_view Stripped(std::string_view raw) {
  const absl::string_view stripped =
      absl::StripAsciiWhitespace(absl::string_view(raw.data(), raw.size()));
  return std::string_view(stripped.data(), stripped.size());
}

std::string Lower(std::string_view text) {
  return absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
}

// The lines of a stream; its end closes the kiosk. Never times out.
class StreamKioskInput final : public KioskInput {
 public:
  explicit StreamKioskInput(std::istream& in) : in_(in) {}
  Event Next(absl::Time, std::string& line) override {
    return std::getline(in_, line) ? Event::kLine : Event::kClosed;
  }

 private:
  std::istream& in_;
};

}  // namespace

std::string_view KioskRatingWords(int rating) {
  static constexpr std::string_view kWords[] = {"Very bad", "Bad", "OK", "Good", "Very good"};
  return rating >= 1 && rating <= 5 ? kWords[rating - 1] : std::string_view();
}

v1::Kind KioskKind(int rating) { return rating >= 4 ? v1::KIND_COMPLIMENT : v1::KIND_COMMENT; }

KioskSession::KioskSession(KioskOptions options, std::ostream& out, KioskDeliver deliver)
    : options_(std::move(options)), out_(out), deliver_(std::move(deliver)) {}

void KioskSession::Start() { NextPerson(); }

std::string KioskSession::WaitingLine() {
  if (!options_.waiting) {
    shown_waiting_.reset();
    return "";
  }
  const int waiting = options_.waiting();
  shown_waiting_ = waiting;
  return waiting > 0 ? absl::StrCat(std::string(kKioskWaitingMark), waiting) : "";
}

void KioskSession::NextPerson() {
  step_ = Step::kRating;
  rating_ = 0;
  comment_.clear();
  if (options_.clear_screen) out_ << kClearScreen;
  // The mark's line first, so that Tick can rewrite it in place.
  out_ << WaitingLine() << "\n\n"
       << kKioskRatingPrompt << "\n\n  " << kKioskRatingChoices << "\n\n"
       << kKioskRatingHint << std::endl;
}

void KioskSession::AskAgain() {
  switch (step_) {
    case Step::kRating:
    case Step::kThanks:
    case Step::kStaff:
      NextPerson();
      break;
    case Step::kComment:
      out_ << "\n" << kKioskCommentPrompt << std::endl;
      break;
    case Step::kConsent:
      out_ << "\n" << kKioskConsentPrompt << std::endl;
      break;
  }
}

bool KioskSession::HandleLine(std::string_view raw) {
  const std::string_view line = Stripped(raw);
  const absl::Time now = options_.clock();
  if (step_ == Step::kStaff) {
    if (Lower(line) == kKioskExitPhrase) {
      Finish();
      closed_ = true;
      return false;
    }
    step_ = before_staff_;
    AskAgain();
    return true;
  }
  const std::optional<int> press = RatingPress(line);
  if (press.has_value() && last_press_.has_value() && now - *last_press_ < options_.debounce) {
    ++ignored_;  // the same person tapping again
    return true;
  }
  if (step_ == Step::kThanks) {
    NextPerson();
    if (!press.has_value()) return true;  // Enter: the next person's first question
    // A rating pressed at the thank-you is the next person's answer to it.
  }
  switch (step_) {
    case Step::kRating:
      if (!press.has_value()) {
        NextPerson();
        out_ << "\nPlease choose a number from 1 to 5." << std::endl;
        return true;
      }
      rating_ = *press;
      pressed_at_ = now;
      last_press_ = now;
      comment_.clear();
      step_ = Step::kComment;
      AskAgain();
      return true;
    case Step::kComment:
      if (!IsValidUtf8(line) || line.size() > kMaxCommentBytes) {
        out_ << "\nSorry, that could not be read (or is too long). Please try again." << std::endl;
        AskAgain();
        return true;
      }
      comment_ = std::string(line);
      if (comment_.empty()) {
        Deliver(/*consent=*/false);  // nothing to share, so nothing to ask
        return true;
      }
      step_ = Step::kConsent;
      AskAgain();
      return true;
    case Step::kConsent: {
      const std::string answer = Lower(line);
      if (answer == "y" || answer == "yes") {
        Deliver(/*consent=*/true);
      } else if (answer == "n" || answer == "no") {
        Deliver(/*consent=*/false);
      } else {
        AskAgain();
      }
      return true;
    }
    case Step::kThanks:
    case Step::kStaff:
      break;
  }
  return true;
}

void KioskSession::HandleEndOfInput() {
  if (closed_) return;
  if (step_ == Step::kStaff) {  // Ctrl-D again: back to where it was
    step_ = before_staff_;
    AskAgain();
    return;
  }
  before_staff_ = step_;
  step_ = Step::kStaff;
  out_ << "\n" << kKioskStaffPrompt << std::endl;
}

void KioskSession::Tick() {
  if (closed_) return;
  if (step_ == Step::kThanks) {
    if (options_.clock() >= thanks_until_) NextPerson();
    return;
  }
  if (step_ != Step::kRating || !options_.clear_screen || !shown_waiting_.has_value()) return;
  const int waiting = options_.waiting();
  if (waiting == *shown_waiting_) return;
  shown_waiting_ = waiting;
  // Rewrites the first line only: whatever the person has typed so far stays where it is.
  out_ << kToFirstLine
       << (waiting > 0 ? absl::StrCat(std::string(kKioskWaitingMark), waiting) : std::string())
       << kBackToCursor << std::flush;
}

absl::Time KioskSession::NextDeadline() const {
  if (closed_) return absl::InfiniteFuture();
  if (step_ == Step::kThanks) return thanks_until_;
  if (step_ == Step::kRating && options_.clear_screen && shown_waiting_.has_value()) {
    return options_.clock() + options_.waiting_refresh;
  }
  return absl::InfiniteFuture();
}

void KioskSession::Finish() {
  if (closed_) return;
  if (rating_ > 0) Deliver(/*consent=*/false, /*show_thanks=*/false);
}

void KioskSession::Deliver(bool consent, bool show_thanks) {
  v1::Feedback feedback;
  feedback.set_submission_id(NewSubmissionId());
  feedback.set_source(options_.source);
  feedback.set_kind(KioskKind(rating_));
  feedback.set_meeting(options_.meeting);
  feedback.set_service_area(options_.service_area);
  feedback.set_rating(rating_);
  feedback.set_text(comment_);
  feedback.set_consent_to_quote(consent && !comment_.empty());
  *feedback.mutable_occurred_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(pressed_at_));
  ++delivered_;
  const absl::Status status = deliver_(feedback);
  rating_ = 0;
  comment_.clear();
  step_ = Step::kRating;
  if (!show_thanks) return;
  // The thank-you (or the apology) fills the screen, and the answer is gone from it.
  step_ = Step::kThanks;
  thanks_until_ = options_.clock() + options_.thank_you_pause;
  if (options_.clear_screen) out_ << kClearScreen;
  out_ << "\n\n  " << (status.ok() ? kKioskThankYou : kKioskNotSaved) << "\n\n  "
       << kKioskNextPerson << std::endl;
}

int RunKiosk(KioskInput& input, std::ostream& out, KioskOptions options, KioskDeliver deliver) {
  KioskSession session(std::move(options), out, std::move(deliver));
  session.Start();
  for (;;) {
    std::string line;
    switch (input.Next(session.NextDeadline(), line)) {
      case KioskInput::Event::kLine:
        if (!session.HandleLine(line)) return session.delivered();
        break;
      case KioskInput::Event::kTimeout:
        session.Tick();
        break;
      case KioskInput::Event::kEndOfInput:
        session.HandleEndOfInput();
        break;
      case KioskInput::Event::kClosed:
        session.Finish();
        return session.delivered();
    }
  }
}

int RunKiosk(std::istream& in, std::ostream& out, KioskOptions options, KioskDeliver deliver) {
  StreamKioskInput input(in);
  return RunKiosk(input, out, std::move(options), std::move(deliver));
}

}  // namespace feedback::client
