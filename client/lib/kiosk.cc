#include "client/lib/kiosk.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "client/lib/feedback_client.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/utf8.h"

namespace feedback::client {
namespace {

// The server's limit on text (feedback.proto: at most 8 KiB).
constexpr size_t kMaxCommentBytes = size_t{8} * 1024;

// 1..5 for a line that is one rating digit, or the same digit repeated (a key held or tapped
// several times before Enter); nullopt otherwise.
std::optional<int> RatingPress(std::string_view line) {
  if (line.empty() || line[0] < '1' || line[0] > '5') return std::nullopt;
  for (char c : line) {
    if (c != line[0]) return std::nullopt;
  }
  return line[0] - '0';
}

}  // namespace

v1::Kind KioskKind(int rating) { return rating >= 4 ? v1::KIND_COMPLIMENT : v1::KIND_COMMENT; }

KioskSession::KioskSession(KioskOptions options, std::ostream& out, KioskDeliver deliver)
    : options_(std::move(options)), out_(out), deliver_(std::move(deliver)) {}

void KioskSession::Start() {
  if (options_.clear_screen) out_ << kClearScreen;
  Ask();
}

void KioskSession::Ask() {
  switch (step_) {
    case Step::kRating:
      out_ << kKioskRatingPrompt << std::endl;
      break;
    case Step::kComment:
      out_ << kKioskCommentPrompt << std::endl;
      break;
    case Step::kConsent:
      out_ << kKioskConsentPrompt << std::endl;
      break;
  }
}

bool KioskSession::HandleLine(std::string_view raw) {
  const absl::string_view stripped =
      absl::StripAsciiWhitespace(absl::string_view(raw.data(), raw.size()));
  const std::string_view line(stripped.data(), stripped.size());
  const absl::Time now = options_.clock();
  if (absl::AsciiStrToLower(stripped) == "quit") {
    Finish();
    return false;
  }
  const std::optional<int> press = RatingPress(line);
  if (press.has_value() && last_press_.has_value() && now - *last_press_ < options_.debounce) {
    ++ignored_;  // the same person tapping again
    return true;
  }
  switch (step_) {
    case Step::kRating:
      if (!press.has_value()) {
        out_ << "Please choose a number from 1 to 5." << std::endl;
        Ask();
        return true;
      }
      rating_ = *press;
      pressed_at_ = now;
      last_press_ = now;
      comment_.clear();
      step_ = Step::kComment;
      Ask();
      return true;
    case Step::kComment:
      if (!IsValidUtf8(line) || line.size() > kMaxCommentBytes) {
        out_ << "Sorry, that could not be read (or is too long). Please try again." << std::endl;
        Ask();
        return true;
      }
      comment_ = std::string(line);
      if (comment_.empty()) {
        Deliver(/*consent=*/false);  // nothing to quote, so nothing to ask
        return true;
      }
      step_ = Step::kConsent;
      Ask();
      return true;
    case Step::kConsent: {
      const std::string answer = absl::AsciiStrToLower(stripped);
      if (answer == "y" || answer == "yes") {
        Deliver(/*consent=*/true);
      } else if (answer == "n" || answer == "no") {
        Deliver(/*consent=*/false);
      } else {
        Ask();
      }
      return true;
    }
  }
  return true;
}

void KioskSession::Finish() {
  if (step_ != Step::kRating) Deliver(/*consent=*/false, /*ask_next=*/false);
}

void KioskSession::Deliver(bool consent, bool ask_next) {
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
  step_ = Step::kRating;
  rating_ = 0;
  comment_.clear();
  if (status.ok()) {
    out_ << "Thank you!" << std::endl;
  } else {
    out_ << "Sorry, that could not be saved. Please tell a member of staff." << std::endl;
  }
  if (!ask_next) return;
  if (options_.clear_screen) out_ << kClearScreen;
  Ask();
}

int RunKiosk(std::istream& in, std::ostream& out, KioskOptions options, KioskDeliver deliver) {
  KioskSession session(std::move(options), out, std::move(deliver));
  session.Start();
  bool more = true;
  for (std::string line; more && std::getline(in, line);) more = session.HandleLine(line);
  if (more) session.Finish();
  return session.delivered();
}

}  // namespace feedback::client
