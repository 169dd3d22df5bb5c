#include "service/domain/redaction.h"

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace redaction_test {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Redactor Make(const std::vector<std::string>& names = {}) {
  absl::StatusOr<Redactor> redactor = Redactor::Create(names);
  EXPECT_TRUE(redactor.ok()) << redactor.status();
  return *std::move(redactor);
}

TEST(RedactorTest, OrdinarySentencesAreLeftAsTheyAre) {
  const Redactor redactor = Make();
  for (const std::string text : {
           "The chair listened to me",
           "The chair listened to me and I felt heard.",
           "I'm glad Mum and Dad came to the ICPC on Monday, and my Nan came in December.",
           "At Christmas the Council Conference Review with my Social Worker went well.",
           "The IRO and the CLA review were fine; CP plans make sense now.",
           "Chairperson was fair and inclusive, and she challenged everyone involved.",
           "What went well\xE2\x80\xA6\xE2\x80\xA6The plans to be made to keep baby safe",
           "People at the meeting could actually hear what I think \xE2\x80\x93 I have been heard.",
           "Thank you for ringing us on New Year's Eve about the review.",
           "Q3 (October-December) was busy.",
           "We had 3 meetings in 12 weeks and 2 of them started on time.",
           "\"Thank you,\" she said. Great work!",
           "",
       }) {
    const Redaction r = redactor.Redact(text);
    EXPECT_EQ(r.text, text);
    EXPECT_THAT(r.categories, IsEmpty()) << text;
  }
}

TEST(RedactorTest, NamesFromTheListAreWholeWordsInAnyCase) {
  const Redactor redactor = Make({"Kayleigh", "Mary Ann", "  ", "Jo"});
  Redaction r = redactor.Redact("kayleigh was upset. I told KAYLEIGH's mum and Mary Ann.");
  EXPECT_EQ(r.text, "[name] was upset. I told [name]'s mum and [name].");
  EXPECT_THAT(r.categories, ElementsAre("name"));
  // Not inside other words.
  r = redactor.Redact("we enjoyed the journey");
  EXPECT_EQ(r.text, "we enjoyed the journey");
}

TEST(RedactorTest, TitlesAndCapitalisedWordsInsideASentenceAreNames) {
  const Redactor redactor = Make();
  EXPECT_EQ(redactor.Redact("Mrs Patel was kind.").text, "[name] was kind.");
  EXPECT_EQ(redactor.Redact("I met Dr. O'Brien and Mx Taylor.").text, "I met [name] and [name].");
  const Redaction r = redactor.Redact("My social worker Sarah Jones-Smith was great.");
  EXPECT_EQ(r.text, "My social worker [name] was great.");
  EXPECT_THAT(r.categories, ElementsAre("name"));
  // Acronyms are not names; a name at the start of a sentence is only caught by the list.
  EXPECT_EQ(redactor.Redact("We saw CAMHS and the GP.").text, "We saw CAMHS and the GP.");
}

TEST(RedactorTest, PhoneNumbers) {
  const Redactor redactor = Make();
  const Redaction r = redactor.Redact(
      "ring 07700 900123, 07700900123, +44 7700 900 123, (0113) 496 0000 or 020-7946-0000");
  EXPECT_EQ(r.text, "ring [phone], [phone], [phone], [phone] or [phone]");
  EXPECT_THAT(r.categories, ElementsAre("phone"));
}

TEST(RedactorTest, EmailAddresses) {
  const Redactor redactor = Make();
  const Redaction r = redactor.Redact("write to jo.bloggs+cp@example.co.uk please");
  EXPECT_EQ(r.text, "write to [email] please");
  EXPECT_THAT(r.categories, ElementsAre("email"));
}

TEST(RedactorTest, PostalAddresses) {
  const Redactor redactor = Make();
  Redaction r = redactor.Redact("we live at 12 Acacia Avenue, Leeds LS1 4DY now.");
  EXPECT_EQ(r.text, "we live at [address] now.");
  EXPECT_THAT(r.categories, ElementsAre("address"));
  r = redactor.Redact("send it to LS1 4DY or 3b Church Lane.");
  EXPECT_EQ(r.text, "send it to [address] or [address].");
  EXPECT_EQ(redactor.Redact("the office at 1 High Street").text, "the office at [address]");
}

TEST(RedactorTest, DatesOfBirthAndOtherDates) {
  const Redactor redactor = Make();
  Redaction r = redactor.Redact("he was born on 12/03/2012 and her DOB: 12 March 2012.");
  EXPECT_EQ(r.text, "he was born on [date of birth] and her DOB: [date of birth].");
  EXPECT_THAT(r.categories, ElementsAre("date"));
  r = redactor.Redact("dates 12-03-2012, 12.03.12, March 12th 2012 and 3rd of April 2010");
  EXPECT_EQ(r.text, "dates [date], [date], [date] and [date]");
  EXPECT_EQ(redactor.Redact("my date of birth is 3 May 2011").text,
            "my date of birth is [date of birth]");
}

TEST(RedactorTest, CategoriesAreListedOnceInAFixedOrder) {
  const Redactor redactor = Make();
  const Redaction r = redactor.Redact(
      "born 01/02/2010, at 4 Elm Road, mail a@b.org or 07700 900123, ask for Mr Smith and Mr "
      "Jones");
  EXPECT_THAT(r.categories, ElementsAre("name", "phone", "email", "address", "date"));
  EXPECT_THAT(r.text, Not(HasSubstr("Smith")));
  EXPECT_THAT(r.text, Not(HasSubstr("Elm")));
}

TEST(RedactorTest, ListedNamesAreLiteralTextNotPatterns) {
  const Redactor redactor = Make({"a(b", ".*", "[x", "\\"});
  EXPECT_EQ(redactor.Redact("everything here stays").text, "everything here stays");
  EXPECT_EQ(redactor.Redact("but a(b goes").text, "but [name] goes");
}

TEST(RedactorTest, HostileInputIsHandledQuickly) {
  const Redactor redactor = Make({"Kayleigh"});
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    absl::StrAppend(&text, "word Kayleigh 07700 900123 a@b.cd 12/03/2012 (((( ");
  }
  absl::StrAppend(&text, std::string(200000, 'a'), std::string(200000, '0'),
                  std::string(100000, '@'), "\xFF\xFE\xC3");
  const auto start = std::chrono::steady_clock::now();
  const Redaction r = redactor.Redact(text);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  EXPECT_THAT(r.text, Not(HasSubstr("Kayleigh")));
  EXPECT_THAT(r.text, Not(HasSubstr("900123")));
  EXPECT_THAT(r.categories, ElementsAre("name", "phone", "email", "date"));
}

TEST(RedactorTest, ParsesANamesListWithComments) {
  absl::StatusOr<Redactor> redactor =
      Redactor::Parse("# children on the pilot\nKayleigh\n  Bo # nickname\n\n", "names.txt");
  ASSERT_OK(redactor);
  EXPECT_EQ(redactor->Redact("kayleigh and bo came").text, "[name] and [name] came");
  absl::StatusOr<Redactor> bad = Redactor::Parse("ok\n\xFF\xFE\n", "names.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("names.txt: line 2"));
}

TEST(RedactorTest, LoadsAFileOrOnlyTheBuiltInRules) {
  testing::TempDir dir;
  const std::string path = dir.Sub("names.txt");
  std::ofstream(path) << "Zebedee\n";
  absl::StatusOr<Redactor> loaded = Redactor::Load(path);
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->Redact("zebedee came").text, "[name] came");
  ASSERT_OK(Redactor::Load(""));
  EXPECT_FALSE(Redactor::Load(dir.Sub("missing.txt")).ok());
}

}  // namespace redaction_test
}  // namespace
}  // namespace feedback
