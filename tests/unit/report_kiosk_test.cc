// The report's kiosk sections (client/report/): one per meeting type with kiosk answers, under
// "Feedback" after the partner agencies, with its sentence, figures (answers and "How was
// today?" ratings, with change and year to date) and most frequent themes, in every format,
// withheld counts as "c"; none at all when no kiosk was used. Expectations are computed here
// from the input, not read back from the model. No server.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/csv.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_kiosk_test {

using ::feedback::testing::Build;
using ::feedback::testing::FindFigure;
using ::feedback::testing::ParseCsv;
using ::feedback::testing::SeedInput;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kDash[] = "\xE2\x80\x93";  // –
constexpr char kCla[] = "kiosk.MEETING_CLA_REVIEW.";
constexpr char kIcpc[] = "kiosk.MEETING_INITIAL_CP_CONFERENCE.";

// Kiosk figures of `meeting` added to `s` as the server's published form has them: ratings
// 1..5 and themes {tag, count}; a count of -1 is withheld (0 in the figures, named in
// `suppressed`).
void AddKiosk(v1::QuarterSummary& s, v1::Meeting meeting, int64_t answered,
              const std::vector<int64_t>& ratings,
              const std::vector<std::pair<std::string, int64_t>>& themes) {
  const std::string cell = absl::StrCat("kiosk.", v1::Meeting_Name(meeting), ".");
  v1::KioskFigures* k = s.add_kiosk();
  k->set_meeting(meeting);
  auto value = [&](int64_t n, const std::string& name) {
    if (n >= 0) return n;
    s.add_suppressed(cell + name);
    return int64_t{0};
  };
  k->set_answered(value(answered, "answered"));
  for (size_t i = 0; i < ratings.size(); ++i) {
    v1::RatingCount* r = k->add_ratings();
    r->set_rating(static_cast<int>(i) + 1);
    r->set_count(value(ratings[i], absl::StrCat("rating.", i + 1)));
  }
  for (const auto& [tag, count] : themes) {
    v1::TagCount* t = k->add_themes();
    t->set_tag(tag);
    t->set_count(value(count, "theme." + tag));
  }
}

// The seed's 2018-19 Q1..Q3 with kiosk answers: CLA reviews in Q2 and Q3 (and so in Q3's
// previous quarter), initial CP conferences in Q3 only, everything small withheld.
QuarterReportInput KioskInput() {
  QuarterReportInput input = SeedInput();
  for (v1::QuarterSummary* q2 :
       {&input.summaries[1], input.summaries[2].mutable_previous_quarter()}) {
    AddKiosk(*q2, v1::MEETING_CLA_REVIEW, 10, {0, 1, 2, 3, 4}, {{"listened_to", 7}});
  }
  AddKiosk(input.summaries[2], v1::MEETING_INITIAL_CP_CONFERENCE, -1, {0, 0, 0, -1, -1},
           {{"clear_plan", -1}});
  AddKiosk(input.summaries[2], v1::MEETING_CLA_REVIEW, 12, {-1, 0, -1, 3, 6},
           {{"clear_plan", 6},
            {"communication", -1},
            {"fair_chair", -1},
            {"listened_to", 8},
            {"support", 7},
            {"views_of_child", -1}});
  return input;
}

std::vector<std::string> SectionIds(const QuarterReport& report) {
  std::vector<std::string> ids;
  for (const ReportSection& s : report.sections) ids.push_back(s.id);
  return ids;
}

const ReportSection& Section(const QuarterReport& report, const std::string& id) {
  for (const ReportSection& s : report.sections) {
    if (s.id == id) return s;
  }
  ADD_FAILURE() << "no section " << id;
  return report.sections.front();
}

// The CLA sentence, written out by hand: ratings 1..5, then up to five themes, shown counts
// largest first, then withheld ones by name (views_of_child is the sixth).
std::string ClaSentence() {
  return absl::StrCat("Kiosk ", kDash,
                      " Children Looked After: 12 answers to \"How was today?\": c Very bad, 0 "
                      "Bad, c OK, 3 Good, 6 Very good. Most frequent themes: listened to (8), "
                      "support (7), clear plan (6), communication (c), fair chair (c).");
}

TEST(ReportKiosk, ASectionPerMeetingTypeSitsWithTheFeedback) {
  const QuarterReport report = Build(KioskInput());
  EXPECT_THAT(SectionIds(report),
              ElementsAre("qa_activity", "oversight", "participation", "families", "partners",
                          "kiosk_initial_cp_conference", "kiosk_cla_review", "all"));
  const ReportSection& cla = Section(report, "kiosk_cla_review");
  EXPECT_EQ(cla.heading, absl::StrCat("Kiosk ", kDash, " Children Looked After"));
  EXPECT_EQ(cla.group, "Feedback");
  ASSERT_TRUE(cla.kiosk_meeting.has_value());
  EXPECT_EQ(*cla.kiosk_meeting, v1::MEETING_CLA_REVIEW);
  ASSERT_EQ(cla.statements.size(), 1u);
  EXPECT_EQ(cla.statements[0].measure, "kiosk_cla_review_statement");
  EXPECT_EQ(cla.statements[0].text, ClaSentence());
  EXPECT_EQ(Section(report, "kiosk_initial_cp_conference").statements[0].text,
            absl::StrCat("Kiosk ", kDash,
                         " Initial Child Protection Conference: c answers to \"How was today?\": "
                         "0 Very bad, 0 Bad, 0 OK, c Good, c Very good. Most frequent themes: "
                         "clear plan (c)."));
  // No other section changed.
  EXPECT_FALSE(Section(report, "families").kiosk_meeting.has_value());
  EXPECT_TRUE(Section(report, "families").kiosk_themes.empty());
}

TEST(ReportKiosk, FiguresHaveChangeAndYearToDateWithheldWhereAnyPartIs) {
  const QuarterReport report = Build(KioskInput());
  const ReportFigure* answered = FindFigure(report, "kiosk_cla_review_answered");
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->section, "kiosk_cla_review");
  EXPECT_EQ(answered->label, absl::StrCat("Kiosk answers ", kDash, " Children Looked After"));
  EXPECT_EQ(answered->value, 12);
  EXPECT_EQ(answered->previous_quarter, 10);
  EXPECT_EQ(answered->change(), 2);
  EXPECT_EQ(answered->year_to_date, 0 + 10 + 12);
  EXPECT_THAT(answered->by_quarter, ElementsAre(0, 10, 12));

  const ReportFigure* very_bad = FindFigure(report, "kiosk_cla_review_rating_1");
  ASSERT_NE(very_bad, nullptr);
  EXPECT_EQ(very_bad->label,
            absl::StrCat("How was today? 1 Very bad ", kDash, " Children Looked After"));
  EXPECT_TRUE(very_bad->value_withheld);
  EXPECT_FALSE(very_bad->previous_quarter_withheld);
  EXPECT_TRUE(very_bad->change_withheld());
  EXPECT_TRUE(very_bad->year_to_date_withheld);
  const ReportFigure* very_good = FindFigure(report, "kiosk_cla_review_rating_5");
  ASSERT_NE(very_good, nullptr);
  EXPECT_EQ(very_good->value, 6);
  EXPECT_EQ(very_good->previous_quarter, 4);
  EXPECT_EQ(very_good->year_to_date, 4 + 6);
  EXPECT_TRUE(FindFigure(report, "kiosk_initial_cp_conference_answered")->value_withheld);

  // Kiosk figures come after the partners' and before "all" (the report's order).
  const auto index = [&](const std::string& measure) {
    return std::find_if(report.figures.begin(), report.figures.end(),
                        [&](const ReportFigure& f) { return f.measure == measure; }) -
           report.figures.begin();
  };
  EXPECT_LT(index("compliments_from_partners"), index("kiosk_initial_cp_conference_answered"));
  EXPECT_LT(index("kiosk_cla_review_rating_5"), index("compliments_total"));
}

TEST(ReportKiosk, TheMostFrequentThemesAreShownCountsFirstThenWithheldOnesByName) {
  const QuarterReport report = Build(KioskInput());
  std::vector<std::string> themes;
  for (const KioskTheme& t : Section(report, "kiosk_cla_review").kiosk_themes) {
    themes.push_back(
        absl::StrCat(t.label, "=", t.count ? absl::StrCat(*t.count) : "c", " ", t.measure));
  }
  EXPECT_THAT(themes, ElementsAre("listened to=8 kiosk_cla_review_theme_listened_to",
                                  "support=7 kiosk_cla_review_theme_support",
                                  "clear plan=6 kiosk_cla_review_theme_clear_plan",
                                  "communication=c kiosk_cla_review_theme_communication",
                                  "fair chair=c kiosk_cla_review_theme_fair_chair"));
}

TEST(ReportKiosk, MarkdownHasTheSectionItsTableAndItsThemes) {
  const std::string md = RenderMarkdown(Build(KioskInput()));
  const size_t partners = md.find("### Feedback from Partner Agencies");
  const size_t icpc = md.find(absl::StrCat("### Kiosk ", kDash, " Initial Child Protection"));
  const size_t cla = md.find(absl::StrCat("### Kiosk ", kDash, " Children Looked After"));
  const size_t all = md.find("## All feedback");
  ASSERT_NE(cla, std::string::npos) << md;
  EXPECT_LT(partners, icpc);
  EXPECT_LT(icpc, cla);
  EXPECT_LT(cla, all);
  // One "Feedback" heading for families, partners and kiosks.
  EXPECT_EQ(md.find("## Feedback\n"), md.rfind("## Feedback\n"));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("\n", ClaSentence(), "\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("| Kiosk answers ", kDash,
                                         " Children Looked After | 12 | (+2 on Q2) | 22 |\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("| How was today? 1 Very bad ", kDash,
                                         " Children Looked After | c | c | c |\n")));
  EXPECT_THAT(md, HasSubstr("| Most frequent themes, 2018-19 Q3 | Answers |\n| --- | ---: |\n"
                            "| listened to | 8 |\n| support | 7 |\n| clear plan | 6 |\n"
                            "| communication | c |\n| fair chair | c |\n"));
  EXPECT_THAT(md, HasSubstr("c: withheld"));
}

TEST(ReportKiosk, CsvHasTheStatementFiguresAndThemeRows) {
  const std::vector<std::vector<std::string>> rows = ParseCsv(RenderCsv(Build(KioskInput())));
  std::vector<std::string> cla;  // row_type measure value
  for (const std::vector<std::string>& row : rows) {
    ASSERT_EQ(row.size(), 12u);
    if (row[3] == "kiosk_cla_review") cla.push_back(absl::StrCat(row[4], " ", row[5], " ", row[7]));
  }
  EXPECT_THAT(
      cla, ElementsAre("statement kiosk_cla_review_statement ",
                       "figure kiosk_cla_review_answered 12", "figure kiosk_cla_review_rating_1 c",
                       "figure kiosk_cla_review_rating_2 0", "figure kiosk_cla_review_rating_3 c",
                       "figure kiosk_cla_review_rating_4 3", "figure kiosk_cla_review_rating_5 6",
                       "kiosk_theme kiosk_cla_review_theme_listened_to 8",
                       "kiosk_theme kiosk_cla_review_theme_support 7",
                       "kiosk_theme kiosk_cla_review_theme_clear_plan 6",
                       "kiosk_theme kiosk_cla_review_theme_communication c",
                       "kiosk_theme kiosk_cla_review_theme_fair_chair c"));
  for (const std::vector<std::string>& row : rows) {
    if (row[5] == "kiosk_cla_review_theme_support") {
      EXPECT_EQ(row[6], absl::StrCat("Kiosk theme ", kDash, " Children Looked After: support"));
      EXPECT_EQ(row[8] + row[9] + row[10] + row[11], "");
    }
    if (row[5] == "kiosk_cla_review_answered") {
      EXPECT_EQ(row[8], "10");
      EXPECT_EQ(row[9], "2");
      EXPECT_EQ(row[10], "22");
    }
    if (row[5] == "kiosk_cla_review_statement") {
      EXPECT_EQ(row[11], ClaSentence());
    }
  }
}

TEST(ReportKiosk, JsonKioskSectionsHaveTheirMeetingAndThemes) {
  const std::string json = RenderJson(Build(KioskInput()));
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  const auto& sections = parsed.fields().at("sections").list_value().values();
  ASSERT_EQ(sections.size(), 8);  // the QA framework's and the chairs' sections first (issue 13)
  const auto& cla = sections[6].struct_value().fields();
  EXPECT_EQ(cla.at("id").string_value(), "kiosk_cla_review");
  EXPECT_EQ(cla.at("meeting").string_value(), "MEETING_CLA_REVIEW");
  EXPECT_EQ(cla.at("group").string_value(), "Feedback");
  const auto& themes = cla.at("themes").list_value().values();
  ASSERT_EQ(themes.size(), 5);
  EXPECT_EQ(themes[0].struct_value().fields().at("tag").string_value(), "listened_to");
  EXPECT_EQ(themes[0].struct_value().fields().at("count").number_value(), 8);
  EXPECT_EQ(themes[4].struct_value().fields().at("label").string_value(), "fair chair");
  EXPECT_EQ(themes[4].struct_value().fields().at("count").string_value(), "c");
  const auto& figures = cla.at("figures").list_value().values();
  ASSERT_EQ(figures.size(), 6);
  EXPECT_EQ(figures[0].struct_value().fields().at("yearToDate").number_value(), 22);
  EXPECT_EQ(figures[1].struct_value().fields().at("value").string_value(), "c");
  // Other sections carry no kiosk keys.
  EXPECT_FALSE(sections[3].struct_value().fields().contains("meeting"));
  EXPECT_FALSE(sections[3].struct_value().fields().contains("themes"));
  // The server's withheld names are passed on.
  bool listed = false;
  for (const auto& name : parsed.fields().at("suppressed").list_value().values()) {
    listed = listed || name.string_value() == absl::StrCat(kCla, "theme.fair_chair");
  }
  EXPECT_TRUE(listed);
}

TEST(ReportKiosk, HtmlHasTheSectionAndEscapesItsText) {
  QuarterReportInput input = KioskInput();
  // A lexicon is the authority's own file: a theme name is text like any other.
  AddKiosk(input.summaries[2], v1::MEETING_OTHER, 9, {0, 0, 0, 0, 9}, {{"<b>bold</b>", 9}});
  const std::string html = RenderHtml(Build(input));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<h3>Kiosk ", kDash,
                                           " Children Looked After</h3>\n"
                                           "<section id=\"kiosk_cla_review\">\n")));
  EXPECT_THAT(html, HasSubstr("<p class=\"statement\">Kiosk "));
  EXPECT_THAT(html, HasSubstr("to &quot;How was today?&quot;"));
  EXPECT_THAT(html, HasSubstr("<table class=\"kiosk-themes\">\n<caption>Most frequent themes, "
                              "2018-19 Q3</caption>"));
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">listened to</th><td class=\"n\">8</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">fair chair</th><td class=\"n\">c</td></tr>"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;bold&lt;/b&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<b>bold")));
}

TEST(ReportKiosk, WithoutKioskAnswersNoFormatMentionsAKiosk) {
  const QuarterReport report = Build(SeedInput());
  EXPECT_THAT(SectionIds(report), ElementsAre("qa_activity", "oversight", "participation",
                                              "families", "partners", "all"));
  for (const std::string& text :
       {RenderMarkdown(report), RenderCsv(report), RenderJson(report), RenderHtml(report)}) {
    EXPECT_THAT(text, Not(HasSubstr("Kiosk")));
    EXPECT_THAT(text, Not(HasSubstr("kiosk")));
  }
}

// A published quarter's kiosk figures and themes that changed later are noted, never folded in.
TEST(ReportKiosk, LateKioskAnswersAreNotedAfterPublication) {
  QuarterReportInput input = KioskInput();
  v1::QuarterSummary& q3 = input.summaries[2];
  q3.mutable_published_at()->set_seconds(1547510400);  // 2019-01-15
  v1::LateRevision* answered = q3.add_late_revisions();
  answered->set_figure(absl::StrCat(kCla, "answered"));
  answered->set_count(1);
  v1::LateRevision* theme = q3.add_late_revisions();
  theme->set_figure(absl::StrCat(kIcpc, "theme.clear_plan"));
  theme->set_withheld(true);
  const QuarterReport report = Build(input);
  std::vector<std::string> notes;
  for (const LateRevisionNote& note : report.late_revisions) {
    notes.push_back(absl::StrCat(note.section, " ", note.measure, ": ", note.text));
  }
  EXPECT_THAT(notes,
              ElementsAre(absl::StrCat("kiosk_cla_review kiosk_cla_review_answered: 2018-19 Q3 ",
                                       kDash, " Kiosk answers ", kDash,
                                       " Children Looked After: 1 more after publication"),
                          absl::StrCat("kiosk_initial_cp_conference "
                                       "kiosk_initial_cp_conference_theme_clear_plan: 2018-19 Q3 ",
                                       kDash, " Kiosk theme ", kDash,
                                       " Initial Child Protection Conference: clear plan: c more "
                                       "after publication")));
  EXPECT_THAT(RenderMarkdown(report),
              HasSubstr(absl::StrCat("- ", notes[0].substr(notes[0].find(": ") + 2), "\n")));
}

}  // namespace report_kiosk_test
}  // namespace
}  // namespace feedback::client
