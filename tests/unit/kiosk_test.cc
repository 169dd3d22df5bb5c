// The kiosk's conversation (client/kiosk.h), driven line by line with an injected clock.
#include "client/lib/kiosk.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace feedback::client {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

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

  // Feeds each line at the current time; returns false if the kiosk quit.
  bool Type(const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
      if (!Session().HandleLine(line)) return false;
    }
    return true;
  }

  absl::Time now_ = kStart;
  KioskOptions options_;
  std::ostringstream out_;
  std::vector<v1::Feedback> delivered_;
  absl::Status deliver_status_;
  std::unique_ptr<KioskSession> session_;
};

TEST_F(KioskTest, AsksTheThreeQuestionsAndDeliversOneResponse) {
  Session();
  EXPECT_THAT(out_.str(), HasSubstr("How was today? 1 2 3 4 5"));
  ASSERT_TRUE(Type({"5"}));
  EXPECT_THAT(out_.str(), HasSubstr("Anything else you want to tell us? (Enter to skip)"));
  now_ += absl::Seconds(20);  // typing takes a while
  ASSERT_TRUE(Type({"The chair listened"}));
  EXPECT_THAT(out_.str(), HasSubstr("Can we quote your words in our report? y/n"));
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
  // Thanks, then a clear screen and the first question for the next person.
  const std::string out = out_.str();
  const size_t thanks = out.find("Thank you!");
  ASSERT_NE(thanks, std::string::npos);
  const size_t clear = out.find(kClearScreen, thanks);
  ASSERT_NE(clear, std::string::npos);
  EXPECT_NE(out.find(kKioskRatingPrompt, clear), std::string::npos);
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
  EXPECT_THAT(out_.str(), Not(HasSubstr("quote")));
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

  // More taps after the response, still within 3 s of the accepted press: ignored too.
  now_ = kStart + absl::Milliseconds(2999);
  ASSERT_TRUE(Type({"5", "4", "555"}));
  EXPECT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(Session().ignored_presses(), 22);

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

TEST_F(KioskTest, QuitEndsTheSessionDeliveringAStartedResponse) {
  ASSERT_TRUE(Type({"2", "cold room"}));
  EXPECT_FALSE(Type({"quit"}));
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].text(), "cold room");
  EXPECT_FALSE(delivered_[0].consent_to_quote());
}

TEST_F(KioskTest, EndOfInputDeliversAStartedResponse) {
  ASSERT_TRUE(Type({"4"}));
  Session().Finish();
  ASSERT_EQ(delivered_.size(), 1u);
  EXPECT_EQ(delivered_[0].rating(), 4);
  Session().Finish();  // nothing more to deliver
  EXPECT_EQ(delivered_.size(), 1u);
}

TEST_F(KioskTest, FailedDeliveryApologisesAndCarriesOn) {
  deliver_status_ = absl::ResourceExhaustedError("disk full");
  ASSERT_TRUE(Type({"5", ""}));
  EXPECT_THAT(out_.str(), HasSubstr("Sorry, that could not be saved"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("Thank you!")));
  EXPECT_EQ(Session().delivered(), 1);
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

}  // namespace
}  // namespace feedback::client
