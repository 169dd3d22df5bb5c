// The kiosk's conversation (client/lib/kiosk.h), driven line by line with an injected clock: no
// test waits for real time to pass.
#include "client/lib/kiosk.h"

#include <deque>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace feedback::client {
namespace {
namespace kiosk_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

// What a screen must never show: the words of the network and the outbox.
void ExpectNothingTechnical(const std::string& screen) {
  for (const char* word :
       {"outbox", "server", "UNAVAILABLE", "connect", "error", "queued", "pending", "token"}) {
    EXPECT_THAT(screen, Not(HasSubstr(word))) << word;
  }
}

// A kiosk with a hand-moved clock, collecting what it delivers.
class KioskTest : public ::testing::Test {
 protected:
  KioskTest() {
    options_.meeting = v1::MEETING_CLA_REVIEW;
    options_.service_area = v1::SERVICE_AREA_SOCIAL_CARE;
    options_.clock = [this] { return now_; };
  }

  KioskSession& Session() {
    if (session_ == nullptr) {
      session_ = std::make_unique<KioskSession>(options_, out_, [this](const v1::Feedback& f) {
        delivered_.push_back(f);
        return deliver_status_;
      });
      session_->Start();
    }
    return *session_;
  }

  // Feeds each line at the current time; returns false if the kiosk closed.
  bool Type(const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
      if (!Session().HandleLine(line)) return false;
    }
    return true;
  }

  // What was written since the last call.
  std::string NewOutput() {
    const std::string all = out_.str();
    std::string fresh = all.substr(seen_);
    seen_ = all.size();
    return fresh;
  }

  absl::Time now_ = kStart;
  KioskOptions options_;
  std::ostringstream out_;
  size_t seen_ = 0;
  std::vector<v1::Feedback> delivered_;
  absl::Status deliver_status_;
  std::unique_ptr<KioskSession> session_;
};

TEST_F(KioskTest, AsksTheThreeQuestionsAndDeliversOneResponse) {
  Session();
  const std::string first = NewOutput();
  EXPECT_THAT(first, HasSubstr(kClearScreen));
  EXPECT_THAT(first, HasSubstr("How was today?"));
  ASSERT_TRUE(Type({"5"}));
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskCommentPrompt));
  now_ += absl::Seconds(20);  // typing takes a while
  ASSERT_TRUE(Type({"The chair listened"}));
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskConsentPrompt));
  ASSERT_TRUE(Type({"y"}));

  ASSERT_EQ(delivered_.size(), 1u);
  const v1::Feedback& f = delivered_[0];
  EXPECT_EQ(f.rating(), 5);
  EXPECT_EQ(f.kind(), v1::KIND_COMPLIMENT);
  EXPECT_EQ(f.source(), v1::SOURCE_CHILD);
  EXPECT_EQ(f.meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(f.service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(f.text(), "The chair listened");
  EXPECT_TRUE(f.consent_to_quote());
  EXPECT_EQ(f.submission_id().size(), 36u);
  // When the rating was pressed, not when the answers were finished.
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(f.occurred_at()), absl::ToUnixMicros(kStart));
}

TEST_F(KioskTest, TheRatingShowsWordsWithTheNumbersAndConsentIsInPlainWords) {
  Session();
  const std::string screen = NewOutput();
  for (const char* choice : {"1 Very bad", "2 Bad", "3 OK", "4 Good", "5 Very good"}) {
    EXPECT_THAT(screen, HasSubstr(choice));
  }
  EXPECT_THAT(screen, HasSubstr(kKioskRatingHint));
  EXPECT_EQ(KioskRatingWords(1), "Very bad");
  EXPECT_EQ(KioskRatingWords(5), "Very good");
  EXPECT_EQ(KioskRatingWords(6), "");
  ASSERT_TRUE(Type({"4", "kind people"}));
  const std::string consent = NewOutput();
  EXPECT_THAT(consent, HasSubstr("Can we share what you wrote, without your name?"));
  EXPECT_THAT(consent, Not(HasSubstr("quote")));
}

// The thank-you fills the screen (the answer is gone from it) and stays until the next person
// presses Enter or the pause has passed, whichever comes first.
TEST_F(KioskTest, TheThankYouStaysUntilEnterOrThePause) {
  options_.thank_you_pause = absl::Seconds(5);
  ASSERT_TRUE(Type({"5", "my words"}));
  NewOutput();
  ASSERT_TRUE(Type({"n"}));
  const std::string thanks = NewOutput();
  ASSERT_THAT(thanks, HasSubstr(kKioskThankYou));
  // The screen is cleared first, so what was typed at the questions is no longer on it ...
  EXPECT_TRUE(thanks.starts_with(kClearScreen)) << thanks;
  // ... and nothing follows the thank-you yet.
  EXPECT_EQ(thanks.find(kKioskRatingPrompt, thanks.find(kKioskThankYou)), std::string::npos);
  EXPECT_EQ(Session().NextDeadline(), kStart + absl::Seconds(5));

  now_ = kStart + absl::Seconds(4);
  Session().Tick();
  EXPECT_EQ(NewOutput(), "") << "the thank-you went before its pause";
  now_ = kStart + absl::Seconds(5);
  Session().Tick();
  const std::string next = NewOutput();
  EXPECT_THAT(next, HasSubstr(kClearScreen));
  EXPECT_THAT(next, HasSubstr(kKioskRatingPrompt));

  // Enter ends it at once.
  ASSERT_TRUE(Type({"4", ""}));
  ASSERT_THAT(NewOutput(), HasSubstr(kKioskThankYou));
  ASSERT_TRUE(Type({""}));
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskRatingPrompt));
  EXPECT_EQ(delivered_.size(), 2u);
}

TEST_F(KioskTest, ARatingPressedAtTheThankYouIsTheNextPersonsAnswer) {
  options_.debounce = absl::ZeroDuration();
  ASSERT_TRUE(Type({"2", ""}));
  ASSERT_TRUE(Type({"4", ""}));
  ASSERT_EQ(delivered_.size(), 2u);
  EXPECT_EQ(delivered_[1].rating(), 4);
}

TEST_F(KioskTest, RatingsOfThreeOrLessAreCommentsAndFourOrMoreCompliments) {
  options_.debounce = absl::ZeroDuration();
  for (int rating = 1; rating <= 5; ++rating) {
    ASSERT_TRUE(Type({std::to_string(rating), ""}));
  }
  ASSERT_EQ(delivered_.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(delivered_[i].rating(), i + 1);
    EXPECT_EQ(delivered_[i].kind(), i + 1 >= 4 ? v1::KIND_COMPLIMENT : v1::KIND_COMMENT);
  }
  EXPECT_EQ(KioskKind(3), v1::KIND_COMMENT);
  EXPECT_EQ(KioskKind(4), v1::KIND_COMPLIMENT);
}

TEST_F(KioskTest, SkippedCommentSkipsTheConsentQuestion) {
  ASSERT_TRUE(Type({"3", "  "}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "");
  EXPECT_FALSE(delivered_[0].consent_to_quote());
  EXPECT_THAT(out_.str(), Not(HasSubstr(kKioskConsentPrompt)));
}

TEST_F(KioskTest, NoMeansNoConsentAndOtherAnswersAskAgain) {
  ASSERT_TRUE(Type({"2", "Too long", "maybe"}));
  EXPECT_TRUE(delivered_.empty());
  ASSERT_TRUE(Type({"N"}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_FALSE(delivered_[0].consent_to_quote());
  EXPECT_EQ(delivered_[0].text(), "Too long");
}

// A child tapping "5" twenty times is one response, and the taps never become its comment.
TEST_F(KioskTest, RepeatedPressesWithinTheDebounceAreIgnored) {
  ASSERT_TRUE(Type({"5"}));
  for (int i = 0; i < 19; ++i) {
    now_ += absl::Milliseconds(100);
    ASSERT_TRUE(Type({"5"}));
  }
  EXPECT_EQ(Session().ignored_presses(), 19);
  EXPECT_TRUE(delivered_.empty());  // still at the comment question
  ASSERT_TRUE(Type({""}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "");

  // More taps after the response, still within 3 s of the accepted press: ignored too, and
  // the thank-you stays.
  now_ = kStart + absl::Milliseconds(2999);
  NewOutput();
  ASSERT_TRUE(Type({"5", "4", "555"}));
  EXPECT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(Session().ignored_presses(), 22);
  EXPECT_EQ(NewOutput(), "");

  // From 3 s on, a press is the next person's rating.
  now_ = kStart + absl::Seconds(3);
  ASSERT_TRUE(Type({"4", ""}));
  ASSERT_EQ(delivered_.size(), 2u);
  EXPECT_EQ(delivered_[1].rating(), 4);
}

TEST_F(KioskTest, WordsWithinTheDebounceAreStillTaken) {
  ASSERT_TRUE(Type({"5", "kind people", "y"}));  // all at the same instant
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "kind people");
}

TEST_F(KioskTest, ZeroDebounceTakesEveryPress) {
  options_.debounce = absl::ZeroDuration();
  ASSERT_TRUE(Type({"5", "5", "y"}));  // the second 5 is the comment
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "5");
}

TEST_F(KioskTest, RepeatedDigitOnOneLineIsOnePress) {
  ASSERT_TRUE(Type({"44444", ""}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].rating(), 4);
}

TEST_F(KioskTest, AnythingButARatingAsksAgain) {
  ASSERT_TRUE(Type({"", "0", "6", "45", "great", "x"}));
  EXPECT_TRUE(delivered_.empty());
  EXPECT_THAT(out_.str(), HasSubstr("Please choose a number from 1 to 5."));
  ASSERT_TRUE(Type({"1\r", ""}));  // a terminal's carriage return is ignored
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].rating(), 1);
}

TEST_F(KioskTest, TextThatIsNotUtf8IsAskedForAgain) {
  ASSERT_TRUE(Type({"5", "caf\xe9"}));
  EXPECT_THAT(out_.str(), HasSubstr("could not be read"));
  ASSERT_TRUE(Type({"caf\xc3\xa9", "n"}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "caf\xc3\xa9");
}

// A respondent cannot leave: "quit" (or "exit", or the exit phrase itself) is just words.
TEST_F(KioskTest, NoWordEndsTheKioskForARespondent) {
  options_.debounce = absl::ZeroDuration();
  ASSERT_TRUE(Type({"quit", "exit", std::string(kKioskExitPhrase)}));
  EXPECT_FALSE(Session().closed());
  ASSERT_TRUE(Type({"2", "quit", "n"}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "quit");
  ASSERT_TRUE(Type({"", "3", std::string(kKioskExitPhrase), "n"}));
  ASSERT_EQ(delivered_.size(), 2u);
  EXPECT_EQ(delivered_[1].text(), kKioskExitPhrase);
  EXPECT_FALSE(Session().closed());
}

// Staff close it: Ctrl-D (end of input at a terminal), then the exit phrase. Anything else, or
// Ctrl-D again, goes back to the question where it was.
TEST_F(KioskTest, StaffCloseItWithEndOfInputAndTheExitPhrase) {
  ASSERT_TRUE(Type({"2", "cold room"}));  // at the consent question
  NewOutput();
  Session().HandleEndOfInput();
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskStaffPrompt));
  EXPECT_THAT(out_.str(), Not(HasSubstr(kKioskExitPhrase)));  // the phrase is not on screen
  ASSERT_TRUE(Type({"let me out"}));
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskConsentPrompt));  // back where it was
  Session().HandleEndOfInput();
  Session().HandleEndOfInput();
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskConsentPrompt));
  EXPECT_TRUE(delivered_.empty());

  Session().HandleEndOfInput();
  EXPECT_FALSE(Type({"  Close Kiosk "}));
  EXPECT_TRUE(Session().closed());
  // The response in progress is kept, without consent to share.
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "cold room");
  EXPECT_FALSE(delivered_[0].consent_to_quote());
}

TEST_F(KioskTest, EndOfInputForGoodDeliversAStartedResponse) {
  ASSERT_TRUE(Type({"4"}));
  Session().Finish();
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].rating(), 4);
  Session().Finish();  // nothing more to deliver
  EXPECT_EQ(delivered_.size(), 1u);
}

TEST_F(KioskTest, FailedDeliveryApologisesWithoutTechnicalWordsAndCarriesOn) {
  deliver_status_ = absl::UnavailableError("failed to connect to the outbox server: token error");
  ASSERT_TRUE(Type({"5", ""}));
  const std::string screen = out_.str();
  EXPECT_THAT(screen, HasSubstr(kKioskNotSaved));
  EXPECT_THAT(screen, Not(HasSubstr(kKioskThankYou)));
  ExpectNothingTechnical(screen);
  EXPECT_EQ(Session().delivered(), 1);
  ASSERT_TRUE(Type({""}));
  EXPECT_THAT(NewOutput(), HasSubstr(kKioskRatingPrompt));
}

// "answers waiting to be sent: N" on the first line of the question screen, brought up to date
// in place while the kiosk waits (nothing else is written), and gone when nothing waits.
TEST_F(KioskTest, TheWaitingMarkIsSmallAndKeptUpToDate) {
  int waiting = 2;
  options_.waiting = [&waiting] { return waiting; };
  options_.waiting_refresh = absl::Seconds(2);
  Session();
  const std::string screen = NewOutput();
  EXPECT_THAT(screen,
              HasSubstr(std::string(kClearScreen) + std::string(kKioskWaitingMark) + "2\n"));
  ExpectNothingTechnical(screen);
  EXPECT_EQ(Session().NextDeadline(), kStart + absl::Seconds(2));

  now_ += absl::Seconds(2);
  Session().Tick();
  EXPECT_EQ(NewOutput(), "") << "nothing changed, nothing written";
  waiting = 0;  // sent while the kiosk sat idle
  now_ += absl::Seconds(2);
  Session().Tick();
  // Save the cursor, rewrite the first line (now empty), restore the cursor.
  EXPECT_EQ(NewOutput(),
            "\x1b"
            "7\x1b[1;1H\x1b[2K\x1b"
            "8");

  // The next question screen shows no mark.
  ASSERT_TRUE(Type({"3", ""}));
  ASSERT_TRUE(Type({""}));
  const std::string next = NewOutput();
  EXPECT_THAT(next, Not(HasSubstr(kKioskWaitingMark)));
  EXPECT_THAT(next, HasSubstr(kKioskRatingPrompt));
}

TEST_F(KioskTest, WithoutAWaitingCountThereIsNoMarkAndNothingToWaitFor) {
  Session();
  EXPECT_THAT(out_.str(), Not(HasSubstr(kKioskWaitingMark)));
  EXPECT_EQ(Session().NextDeadline(), absl::InfiniteFuture());
}

// Input that says when time passes, for RunKiosk: each step is a line, a timeout (the clock
// jumps to the deadline the kiosk asked for), an end of input or the close.
class ScriptedInput final : public KioskInput {
 public:
  ScriptedInput(absl::Time& now, std::deque<std::pair<Event, std::string>> script)
      : now_(now), script_(std::move(script)) {}
  Event Next(absl::Time deadline, std::string& line) override {
    deadlines.push_back(deadline);
    if (script_.empty()) return Event::kClosed;
    auto [event, text] = script_.front();
    script_.pop_front();
    if (event == Event::kTimeout) now_ = deadline;
    line = text;
    return event;
  }
  std::vector<absl::Time> deadlines;

 private:
  absl::Time& now_;
  std::deque<std::pair<Event, std::string>> script_;
};

TEST(KioskRun, WaitsForLinesAndTimeAndClosesOnTheExitPhrase) {
  using Event = KioskInput::Event;
  absl::Time now = kStart;
  ScriptedInput input(now, {{Event::kLine, "5"},
                            {Event::kLine, ""},
                            {Event::kTimeout, ""},  // the thank-you's pause passes
                            {Event::kLine, "2"},
                            {Event::kEndOfInput, ""},
                            {Event::kLine, std::string(kKioskExitPhrase)},
                            {Event::kLine, "4"}});  // never read
  std::ostringstream out;
  std::vector<v1::Feedback> delivered;
  KioskOptions options;
  options.clock = [&now] { return now; };
  options.thank_you_pause = absl::Seconds(7);
  const int count = RunKiosk(input, out, options, [&](const v1::Feedback& f) {
    delivered.push_back(f);
    return absl::OkStatus();
  });
  EXPECT_EQ(count, 2);
  ASSERT_EQ(delivered.size(), 2u);
  EXPECT_EQ(delivered[0].rating(), 5);
  EXPECT_EQ(delivered[1].rating(), 2);  // in progress when staff closed it
  // The runner asked to be woken at the end of the thank-you.
  ASSERT_GE(input.deadlines.size(), 3u);
  EXPECT_EQ(input.deadlines[2], kStart + absl::Seconds(7));
  EXPECT_EQ(now, kStart + absl::Seconds(7));
}

TEST(KioskRun, ReadsLinesUntilEndOfInput) {
  std::istringstream in("5\n5\n5\nThe chair listened\ny\n5\n5\n");
  std::ostringstream out;
  std::vector<v1::Feedback> delivered;
  KioskOptions options;
  options.clock = [] { return kStart; };
  const int count = RunKiosk(in, out, options, [&](const v1::Feedback& f) {
    delivered.push_back(f);
    return absl::OkStatus();
  });
  EXPECT_EQ(count, 1);
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].text(), "The chair listened");
  EXPECT_TRUE(delivered[0].consent_to_quote());
}

}  // namespace kiosk_test
}  // namespace
}  // namespace feedback::client
