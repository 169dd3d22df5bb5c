// End-to-end: kiosk answers reach the summary and the report. A child answers at the real
// `feedbackctl kiosk` (a kiosk token), more kiosk answers and staff items are submitted with
// `feedbackctl submit`, and `summary --json`, `summary --published` and every `report` format of
// the real feedbackd show, per meeting type, how many answered, the "How was today?" ratings and
// the themes of the kiosk answers only; small counts are withheld ("c") under the default
// policy; `admin verify` agrees with every counter. The expected figures are worked out here
// from what was submitted.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "tests/support/csv.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace kiosk_report_e2e_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDash[] = "\xE2\x80\x93";

// One item as submitted, with the themes the built-in lexicon finds in its words.
struct Item {
  bool kiosk;           // submitted with a kiosk token
  std::string meeting;  // command-line spelling
  int rating;           // 0: none
  std::string text;
  std::vector<std::string> themes;
};

// What the test submits. The CLA review answers marked kiosk go through `feedbackctl kiosk`
// (all but the unrated one, which the terminal kiosk cannot give); the rest through `submit`.
const std::vector<Item>& Items() {
  static const auto* items = new std::vector<Item>{
      {true, "cla-review", 5, "They listened to me", {"listened_to"}},
      {true, "cla-review", 5, "They listened to me and it was fair", {"fair_chair", "listened_to"}},
      {true, "cla-review", 5, "They listened", {"listened_to"}},
      {true, "cla-review", 5, "I was heard", {"listened_to"}},
      {true, "cla-review", 5, "They listened to me", {"listened_to"}},
      {true, "cla-review", 5, "The chair listened", {"listened_to"}},
      {true, "cla-review", 4, "Nice biscuits", {}},
      {true, "cla-review", 1, "Too long", {}},
      {true, "cla-review", 0, "No number from me", {}},  // words, no rating
      {true, "initial-cp-conference", 3, "a clear plan", {"clear_plan"}},
      {true, "initial-cp-conference", 4, "", {}},
      // Staff and advocates: the same meeting types and words, not kiosk answers.
      {false, "cla-review", 1, "They listened", {"listened_to"}},
      {false, "cla-review", 2, "too long and unfair", {}},
      {false, "initial-cp-conference", 5, "a clear plan", {"clear_plan"}},
  };
  return *items;
}

// The exact kiosk figures of one meeting type, from Items().
struct Expected {
  int64_t answered = 0;
  std::map<int, int64_t> ratings;  // 1..5, zeros included
  std::map<std::string, int64_t> themes;
};

std::map<std::string, Expected> ExpectedKiosk() {
  std::map<std::string, Expected> expected;
  for (const Item& item : Items()) {
    if (!item.kiosk) continue;
    Expected& e = expected[item.meeting];
    for (int r = 1; r <= 5; ++r) e.ratings.try_emplace(r, 0);
    ++e.answered;
    if (item.rating > 0) ++e.ratings[item.rating];
    for (const std::string& theme : item.themes) ++e.themes[theme];
  }
  return expected;
}

std::string EnumName(const std::string& meeting) {
  std::string name = "MEETING_" + meeting;
  std::replace(name.begin(), name.end(), '-', '_');
  return absl::AsciiStrToUpper(name);
}

using KioskReportEndToEnd = ServerTest;

TEST_F(KioskReportEndToEnd, KioskAnswersReachTheSummaryAndEveryFormatOfTheReport) {
  // A child at the terminal kiosk, one answer after another (no debounce, as if one per child).
  std::string typed;
  for (const Item& item : Items()) {
    if (!item.kiosk || item.meeting != "cla-review" || item.rating == 0) continue;
    absl::StrAppend(&typed, item.rating, "\n", item.text, "\n", item.text.empty() ? "" : "n\n");
  }
  const CommandResult kiosk = RunCommand(
      {FEEDBACKCTL_PATH, "--server", server().address(), "--token-file",
       server().TokenFile(v1::ROLE_KIOSK), "--outbox", dir().Sub("outbox"), "kiosk", "--meeting",
       "cla-review", "--service-area", "social-care", "--debounce-seconds", "0"},
      typed);
  ASSERT_EQ(kiosk.exit_code, 0) << kiosk.err;
  for (const Item& item : Items()) {
    if (item.kiosk && item.meeting == "cla-review" && item.rating != 0) continue;
    std::vector<std::string> args = {"submit",
                                     "--source",
                                     "child",
                                     "--kind",
                                     item.rating >= 4 ? "compliment" : "comment",
                                     "--meeting",
                                     item.meeting,
                                     "--service-area",
                                     "social-care",
                                     "--rating",
                                     absl::StrCat(item.rating),
                                     "--text",
                                     item.text};
    const CommandResult submitted = Ctl(item.kiosk ? v1::ROLE_KIOSK : v1::ROLE_QA_MANAGER, args);
    ASSERT_EQ(submitted.exit_code, 0) << submitted.err;
  }

  // Every item is stored, with the role of the token that sent it; all in one quarter.
  const std::vector<v1::Feedback> stored = ListAllFeedback(server());
  ASSERT_EQ(stored.size(), Items().size());
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  ASSERT_OK(calendar);
  std::set<std::string> quarters;
  int kiosk_items = 0;
  for (const v1::Feedback& f : stored) {
    quarters.insert(FormatQuarter(calendar->QuarterOf(
        absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(f.occurred_at())))));
    kiosk_items += f.submitter_role() == v1::ROLE_KIOSK ? 1 : 0;
  }
  EXPECT_EQ(kiosk_items, 11);
  if (quarters.size() != 1) GTEST_SKIP() << "the items straddle a quarter's edge; run again";
  const std::string quarter = *quarters.begin();
  const std::map<std::string, Expected> expected = ExpectedKiosk();

  // `summary --json` (qa_manager: exact) has the kiosk answers' figures, and only theirs.
  const CommandResult exact = Ctl(v1::ROLE_QA_MANAGER, {"--json", "summary", "--quarter", quarter});
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  v1::QuarterSummary summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(exact.out, &summary).ok()) << exact.out;
  ASSERT_EQ(summary.kiosk_size(), 2) << summary.DebugString();
  for (const v1::KioskFigures& k : summary.kiosk()) {
    const std::string meeting =
        k.meeting() == v1::MEETING_CLA_REVIEW ? "cla-review" : "initial-cp-conference";
    SCOPED_TRACE(meeting);
    const Expected& want = expected.at(meeting);
    EXPECT_EQ(k.answered(), want.answered);
    ASSERT_EQ(k.ratings_size(), 5);
    for (const v1::RatingCount& r : k.ratings()) EXPECT_EQ(r.count(), want.ratings.at(r.rating()));
    std::map<std::string, int64_t> themes;
    for (const v1::TagCount& t : k.themes()) themes[t.tag()] = t.count();
    EXPECT_EQ(themes, want.themes);
  }
  EXPECT_EQ(summary.kiosk(0).meeting(), v1::MEETING_INITIAL_CP_CONFERENCE);

  // `admin verify` recomputes the kiosk counters from the records and finds them right.
  const CommandResult verify = Ctl({"admin", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_THAT(verify.out, HasSubstr(": 0 differences"));

  // The published form (a reporter's): every kiosk count is exact or withheld, and every count
  // of 1 to 5 is withheld. Worked out by hand for the default policy: CLA reviews answered 9
  // (shown), ratings 1 (1), 4 (1) and 5 (6, which would give the other two away) withheld,
  // listened_to 6 shown, fair_chair 1 withheld; the 2 initial CP conference answers withheld.
  const CommandResult published =
      Ctl(v1::ROLE_REPORTER, {"--json", "summary", "--quarter", quarter});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  v1::QuarterSummary form;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(published.out, &form).ok());
  const std::set<std::string> withheld(form.suppressed().begin(), form.suppressed().end());
  for (const v1::KioskFigures& k : form.kiosk()) {
    const std::string meeting =
        k.meeting() == v1::MEETING_CLA_REVIEW ? "cla-review" : "initial-cp-conference";
    const Expected& want = expected.at(meeting);
    const std::string cell = absl::StrCat("kiosk.", EnumName(meeting), ".");
    auto check = [&](const std::string& name, int64_t shown, int64_t exact_count) {
      SCOPED_TRACE(cell + name);
      if (withheld.contains(cell + name)) {
        EXPECT_EQ(shown, 0);
      } else {
        EXPECT_EQ(shown, exact_count);
        EXPECT_FALSE(exact_count >= 1 && exact_count <= 5) << "a small count is shown";
      }
    };
    check("answered", k.answered(), want.answered);
    for (const v1::RatingCount& r : k.ratings()) {
      check(absl::StrCat("rating.", r.rating()), r.count(), want.ratings.at(r.rating()));
    }
    for (const v1::TagCount& t : k.themes()) {
      check("theme." + t.tag(), t.count(), want.themes.at(t.tag()));
    }
  }
  const std::string cla = "kiosk.MEETING_CLA_REVIEW.";
  for (const char* name : {"rating.1", "rating.4", "rating.5", "theme.fair_chair"}) {
    EXPECT_TRUE(withheld.contains(cla + name)) << name;
  }
  for (const char* name : {"answered", "rating.2", "rating.3", "theme.listened_to"}) {
    EXPECT_FALSE(withheld.contains(cla + name)) << name;
  }
  EXPECT_TRUE(withheld.contains("kiosk.MEETING_INITIAL_CP_CONFERENCE.answered"));

  // `summary --published` says the same in words.
  const CommandResult text =
      Ctl(v1::ROLE_QA_MANAGER, {"summary", "--quarter", quarter, "--published"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, ::testing::ContainsRegex("kiosk cla-review +9 answered\n"));
  EXPECT_THAT(text.out, HasSubstr("    how was today? 1 very bad: c, 2 bad: 0, 3 ok: 0, 4 good: "
                                  "c, 5 very good: c\n"));
  EXPECT_THAT(text.out, HasSubstr("    themes fair_chair: c, listened_to: 6\n"));
  EXPECT_THAT(text.out, ::testing::ContainsRegex("kiosk initial-cp-conference +c answered\n"));

  // The report, in every format (a reporter gets the published form).
  const CommandResult json =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", quarter, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  google::protobuf::Struct report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &report).ok()) << json.out;
  const google::protobuf::Struct* section = nullptr;
  std::vector<std::string> ids;
  for (const auto& s : report.fields().at("sections").list_value().values()) {
    ids.push_back(s.struct_value().fields().at("id").string_value());
    if (ids.back() == "kiosk_cla_review") section = &s.struct_value();
  }
  EXPECT_EQ(absl::StrJoin(ids, ","),
            "qa_activity,oversight,participation,families,partners,kiosk_initial_cp_conference,"
            "kiosk_cla_review,all");
  ASSERT_NE(section, nullptr);
  std::map<std::string, google::protobuf::Value> figures;
  for (const auto& f : section->fields().at("figures").list_value().values()) {
    figures[f.struct_value().fields().at("measure").string_value()] =
        f.struct_value().fields().at("value");
  }
  EXPECT_EQ(figures["kiosk_cla_review_answered"].number_value(), 9);
  EXPECT_EQ(figures["kiosk_cla_review_rating_1"].string_value(), "c");
  EXPECT_EQ(figures["kiosk_cla_review_rating_2"].number_value(), 0);
  std::vector<std::string> themes;
  for (const auto& t : section->fields().at("themes").list_value().values()) {
    const auto& fields = t.struct_value().fields();
    const google::protobuf::Value& count = fields.at("count");
    themes.push_back(absl::StrCat(
        fields.at("tag").string_value(), "=",
        count.has_string_value() ? count.string_value() : absl::StrCat(count.number_value())));
  }
  EXPECT_EQ(absl::StrJoin(themes, " "), "listened_to=6 fair_chair=c");

  const CommandResult md =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", quarter, "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr(absl::StrCat("### Kiosk ", kDash, " Children Looked After\n")));
  EXPECT_THAT(md.out, HasSubstr(absl::StrCat("Kiosk ", kDash,
                                             " Children Looked After: 9 answers to "
                                             "\"How was today?\": c Very bad, 0 Bad, 0 OK, c "
                                             "Good, c Very good. Most frequent themes: listened "
                                             "to (6), fair chair (c).")));
  EXPECT_THAT(md.out, HasSubstr("| listened to | 6 |\n| fair chair | c |\n"));

  const CommandResult csv =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", quarter, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::map<std::string, std::string> values;
  for (const std::vector<std::string>& row : ParseCsv(csv.out)) {
    if (row.size() > 7) values[row[5]] = row[7];
  }
  EXPECT_EQ(values["kiosk_cla_review_answered"], "9");
  EXPECT_EQ(values["kiosk_cla_review_rating_5"], "c");
  EXPECT_EQ(values["kiosk_cla_review_theme_listened_to"], "6");
  EXPECT_EQ(values["kiosk_cla_review_theme_fair_chair"], "c");
  EXPECT_EQ(values["kiosk_initial_cp_conference_answered"], "c");

  const CommandResult html =
      Ctl(v1::ROLE_REPORTER, {"report", "--quarter", quarter, "--format", "html"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_THAT(html.out, HasSubstr("<section id=\"kiosk_cla_review\">"));
  EXPECT_THAT(html.out,
              HasSubstr("<tr><th scope=\"row\">listened to</th><td class=\"n\">6</td></tr>"));

  // The staff's words are nowhere in the kiosk figures: no kiosk theme counts them.
  EXPECT_THAT(md.out, Not(HasSubstr("listened to (7)")));
}

}  // namespace kiosk_report_e2e_test
}  // namespace
}  // namespace feedback::testing
