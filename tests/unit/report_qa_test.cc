// Issue 13: the report's "QA framework activity" section (client/report/): the seed's sentences
// for case-file audits and practice observations ("There were 112 audits across the division in
// Q3 • 31 in Early Help • 63 in social care • 18 in YOS"), the grade distribution per division,
// the leading themes, in every format, first after the title; and a quarter without a check says
// so in words, with no figure. No server.
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/report/report.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/report_input.h"
#include "tests/support/test_support.h"

namespace feedback::client {
namespace {
namespace report_qa_test {

using ::feedback::testing::Build;
using ::feedback::testing::FindFigure;
using ::feedback::testing::SeedInput;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::SizeIs;

constexpr char kAuditSentence[] =
    "There were 112 audits across the division in Q3 \xE2\x80\xA2 31 in Early Help \xE2\x80\xA2 63 "
    "in social care \xE2\x80\xA2 18 in YOS";
constexpr char kObservationSentence[] =
    "There were 92 P.O.s across the division in Q3 \xE2\x80\xA2 24 in Early Help \xE2\x80\xA2 65 "
    "in "
    "social care \xE2\x80\xA2 3 in YOS";
constexpr char kNoneSentence[] =
    "No case-file audits or practice observations were recorded in 2018-19 Q3.";

// One division's checks of one activity: count, {outstanding, good, requires improvement,
// inadequate}, moderated.
void AddQa(v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area, int64_t count,
           std::vector<int64_t> grades, int64_t moderated) {
  v1::QaActivityFigures* q = s.add_qa_activity();
  q->set_activity(activity);
  q->set_service_area(area);
  q->set_count(count);
  q->set_moderated(moderated);
  const v1::QaGrade order[] = {v1::QA_GRADE_OUTSTANDING, v1::QA_GRADE_GOOD,
                               v1::QA_GRADE_REQUIRES_IMPROVEMENT, v1::QA_GRADE_INADEQUATE};
  for (size_t g = 0; g < grades.size(); ++g) {
    v1::QaGradeCount* grade = q->add_grades();
    grade->set_grade(order[g]);
    grade->set_count(grades[g]);
  }
}

void AddTheme(google::protobuf::RepeatedPtrField<v1::TagCount>* themes, const std::string& tag,
              int64_t count) {
  v1::TagCount* t = themes->Add();
  t->set_tag(tag);
  t->set_count(count);
}

constexpr auto kAudit = v1::QA_ACTIVITY_CASE_FILE_AUDIT;
constexpr auto kObservation = v1::QA_ACTIVITY_PRACTICE_OBSERVATION;
constexpr auto kEarlyHelp = v1::SERVICE_AREA_EARLY_HELP;
constexpr auto kSocialCare = v1::SERVICE_AREA_SOCIAL_CARE;
constexpr auto kYos = v1::SERVICE_AREA_YOUTH_OFFENDING;

// The seed's Q3: 112 audits (31 Early Help, 63 social care, 18 YOS) and 92 practice observations
// (24, 65, 3). The grades, moderations and themes are made up (the seed gives none); Q2 had 100
// audits and no observation.
QuarterReportInput SeedQaInput() {
  QuarterReportInput input = SeedInput();
  v1::QuarterSummary& q3 = input.summaries[2];
  AddQa(q3, kAudit, kEarlyHelp, 31, {3, 20, 7, 1}, 6);
  AddQa(q3, kAudit, kSocialCare, 63, {4, 38, 18, 3}, 12);
  AddQa(q3, kAudit, kYos, 18, {1, 12, 5, 0}, 2);
  AddQa(q3, kObservation, kEarlyHelp, 24, {2, 16, 6, 0}, 0);
  AddQa(q3, kObservation, kSocialCare, 65, {5, 40, 18, 2}, 0);
  AddQa(q3, kObservation, kYos, 3, {0, 2, 1, 0}, 0);
  v1::QaThemes* audit_themes = q3.add_qa_themes();
  audit_themes->set_activity(kAudit);
  AddTheme(audit_themes->mutable_strengths(), "wishes_and_feelings", 3);
  AddTheme(audit_themes->mutable_strengths(), "partner_agencies", 14);
  AddTheme(audit_themes->mutable_strengths(), "child_focus", 11);
  AddTheme(audit_themes->mutable_strengths(), "management_oversight", 6);
  AddTheme(audit_themes->mutable_areas_for_improvement(), "parenting_capacity", 9);
  AddTheme(audit_themes->mutable_areas_for_improvement(), "placements", 0);  // not named
  for (v1::QuarterSummary* q2 : {&input.summaries[1], q3.mutable_previous_quarter()}) {
    AddQa(*q2, kAudit, kEarlyHelp, 30, {2, 20, 8, 0}, 5);
    AddQa(*q2, kAudit, kSocialCare, 60, {3, 40, 15, 2}, 10);
    AddQa(*q2, kAudit, kYos, 10, {0, 8, 2, 0}, 1);
  }
  return input;
}

const ReportSection& QaSectionOf(const QuarterReport& report) {
  EXPECT_FALSE(report.sections.empty());
  EXPECT_EQ(report.sections.front().id, "qa_activity");
  return report.sections.front();
}

// The text from `from` (included) up to `to` (excluded), or "" if either is missing.
std::string Between(const std::string& text, std::string_view from, std::string_view to) {
  const size_t start = text.find(from);
  if (start == std::string::npos) return "";
  const size_t end = text.find(to, start);
  if (end == std::string::npos) return "";
  return text.substr(start, end - start);
}

TEST(ReportQa, IsTheFirstSectionWithTheSeedsSentences) {
  const QuarterReport report = Build(SeedQaInput());
  const ReportSection& qa = QaSectionOf(report);
  EXPECT_EQ(qa.heading, "QA framework activity");
  EXPECT_EQ(report.sections[1].id, "oversight");  // QA through Independent Chairs next
  EXPECT_EQ(report.sections[2].id, "participation");
  ASSERT_THAT(qa.statements, SizeIs(2));
  EXPECT_EQ(qa.statements[0].measure, "qa_case_file_audits_statement");
  EXPECT_EQ(qa.statements[0].text, kAuditSentence);
  EXPECT_EQ(qa.statements[1].measure, "qa_practice_observations_statement");
  EXPECT_EQ(qa.statements[1].text, kObservationSentence);
  ASSERT_THAT(qa.qa_activities, SizeIs(2));
  EXPECT_EQ(qa.qa_activities[0].heading, "Audits across the Division");
  EXPECT_EQ(qa.qa_activities[1].heading, "Practice Observations across the Division");
  EXPECT_EQ(qa.qa_activities[0].statement.text, kAuditSentence);
}

TEST(ReportQa, GradesByDivisionWithTheWholeDivisionLast) {
  const QuarterReport report = Build(SeedQaInput());
  const QaActivityBlock& audits = QaSectionOf(report).qa_activities.at(0);
  ASSERT_THAT(audits.divisions, SizeIs(3));
  const QaDivisionRow& early_help = audits.divisions[0];
  EXPECT_EQ(early_help.label, "Early Help");
  EXPECT_EQ(early_help.measure, "qa_case_file_audits_early_help");
  EXPECT_THAT(early_help.count, Optional(31));
  EXPECT_THAT(early_help.grades, ElementsAre(Optional(3), Optional(20), Optional(7), Optional(1)));
  EXPECT_THAT(early_help.moderated, Optional(6));
  EXPECT_EQ(audits.divisions[1].label, "Social care");
  EXPECT_EQ(audits.divisions[2].label, "YOS");
  EXPECT_EQ(audits.total.label, "Across the division");
  EXPECT_THAT(audits.total.count, Optional(112));
  EXPECT_THAT(audits.total.grades,
              ElementsAre(Optional(8), Optional(70), Optional(30), Optional(4)));
  EXPECT_THAT(audits.total.moderated, Optional(20));
  const QaActivityBlock& observations = QaSectionOf(report).qa_activities.at(1);
  EXPECT_THAT(observations.total.count, Optional(92));
  EXPECT_THAT(observations.divisions[2].grades,
              ElementsAre(Optional(0), Optional(2), Optional(1), Optional(0)));
}

TEST(ReportQa, LeadingThemesAreTheMostFrequentThree) {
  const QuarterReport report = Build(SeedQaInput());
  const QaActivityBlock& audits = QaSectionOf(report).qa_activities.at(0);
  ASSERT_THAT(audits.strengths, SizeIs(3));  // wishes_and_feelings (3) is the fourth
  EXPECT_EQ(audits.strengths[0].label, "partner agencies");
  EXPECT_THAT(audits.strengths[0].count, Optional(14));
  EXPECT_EQ(audits.strengths[0].measure, "qa_case_file_audits_strength_partner_agencies");
  EXPECT_EQ(audits.strengths[1].label, "child focus");
  EXPECT_EQ(audits.strengths[2].label, "management oversight");
  ASSERT_THAT(audits.areas_for_improvement, SizeIs(1));  // a theme counted 0 is not named
  EXPECT_EQ(audits.areas_for_improvement[0].measure,
            "qa_case_file_audits_improvement_parenting_capacity");
  EXPECT_THAT(QaSectionOf(report).qa_activities.at(1).strengths, IsEmpty());
}

TEST(ReportQa, FiguresHaveMachineNamesChangeAndYearToDate) {
  const QuarterReport report = Build(SeedQaInput());
  const ReportFigure* audits = FindFigure(report, "qa_case_file_audits");
  ASSERT_NE(audits, nullptr);
  EXPECT_EQ(audits->section, "qa_activity");
  EXPECT_EQ(audits->label, "Case-file audits, every division");
  EXPECT_EQ(audits->value, 112);
  EXPECT_EQ(audits->previous_quarter, 100);
  EXPECT_EQ(audits->year_to_date, 212);
  const ReportFigure* yos = FindFigure(report, "qa_case_file_audits_youth_offending");
  ASSERT_NE(yos, nullptr);
  EXPECT_EQ(yos->label, "Case-file audits \xE2\x80\x93 YOS");
  EXPECT_EQ(yos->value, 18);
  const ReportFigure* observations = FindFigure(report, "qa_practice_observations_social_care");
  ASSERT_NE(observations, nullptr);
  EXPECT_EQ(observations->value, 65);
  EXPECT_EQ(observations->previous_quarter, 0);
  // The QA figures come first, before the advocacy ones.
  EXPECT_EQ(report.figures.front().measure, "qa_case_file_audits");
}

TEST(ReportQa, AQuarterWithoutChecksSaysNoneWereRecordedAndHasNoFigure) {
  const QuarterReport report = Build(SeedInput());
  const ReportSection& qa = QaSectionOf(report);
  ASSERT_THAT(qa.statements, SizeIs(1));
  EXPECT_EQ(qa.statements[0].measure, "qa_statement");
  EXPECT_EQ(qa.statements[0].text, kNoneSentence);
  EXPECT_THAT(qa.qa_activities, IsEmpty());
  for (const ReportFigure& f : report.figures) EXPECT_NE(f.section, "qa_activity") << f.measure;

  const std::string md = RenderMarkdown(report);
  EXPECT_THAT(md, HasSubstr(absl::StrCat("\n## QA framework activity\n\n", kNoneSentence,
                                         "\n\n## QA through Independent Chairs")));
  EXPECT_THAT(md, Not(HasSubstr("0 in Early Help")));
  const std::string html = RenderHtml(report);
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<h2>QA framework activity</h2>\n<section "
                                           "id=\"qa_activity\">\n<p class=\"statement\">",
                                           kNoneSentence,
                                           "</p>\n</section>\n<h2>QA through Independent "
                                           "Chairs")));
  const std::string csv = RenderCsv(report);
  EXPECT_THAT(csv, HasSubstr(absl::StrCat("2018-19Q3,2018,3,qa_activity,statement,qa_statement,QA "
                                          "framework activity,,,,,",
                                          kNoneSentence, "\r\n")));
  EXPECT_THAT(csv, Not(HasSubstr(",qa_grade,")));
}

TEST(ReportQa, OneActivityWithoutChecksSaysSoAndTheOtherIsShown) {
  QuarterReportInput input = SeedInput();
  AddQa(input.summaries[2], kAudit, kSocialCare, 1, {0, 1, 0, 0}, 0);
  const QuarterReport report = Build(input);
  const ReportSection& qa = QaSectionOf(report);
  ASSERT_THAT(qa.statements, SizeIs(2));
  EXPECT_EQ(
      qa.statements[0].text,
      "There was 1 audit across the division in Q3 \xE2\x80\xA2 0 in Early Help \xE2\x80\xA2 1 "
      "in social care \xE2\x80\xA2 0 in YOS");
  EXPECT_EQ(qa.statements[1].text,
            "No practice observations were recorded across the division in Q3.");
  EXPECT_THAT(qa.qa_activities.at(1).divisions, IsEmpty());
  const std::string md = RenderMarkdown(report);
  EXPECT_THAT(md, HasSubstr("### Practice Observations across the Division\n\nNo practice "
                            "observations were recorded across the division in Q3.\n\n| Figure |"));
}

TEST(ReportQa, MarkdownShowsTheSectionFirstAsAReaderSeesIt) {
  const std::string md = RenderMarkdown(Build(SeedQaInput()));
  const std::string section =
      Between(md, "## QA framework activity", "## QA through Independent Chairs");
  EXPECT_EQ(
      section,
      absl::StrCat("## QA framework activity\n\n### Audits across the Division\n\n", kAuditSentence,
                   "\n\n"
                   "| Case-file audits by grade, 2018-19 Q3 | All | Outstanding | Good | Requires "
                   "improvement | Inadequate | Moderated |\n"
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                   "| Early Help | 31 | 3 | 20 | 7 | 1 | 6 |\n"
                   "| Social care | 63 | 4 | 38 | 18 | 3 | 12 |\n"
                   "| YOS | 18 | 1 | 12 | 5 | 0 | 2 |\n"
                   "| Across the division | 112 | 8 | 70 | 30 | 4 | 20 |\n\n"
                   "| Case-file audits: leading themes, 2018-19 Q3 | Checks |\n"
                   "| --- | ---: |\n"
                   "| Strength: partner agencies | 14 |\n"
                   "| Strength: child focus | 11 |\n"
                   "| Strength: management oversight | 6 |\n"
                   "| Area for improvement: parenting capacity | 9 |\n\n"
                   "### Practice Observations across the Division\n\n",
                   kObservationSentence,
                   "\n\n"
                   "| Practice observations by grade, 2018-19 Q3 | All | Outstanding | Good | "
                   "Requires improvement | Inadequate | Moderated |\n"
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
                   "| Early Help | 24 | 2 | 16 | 6 | 0 | 0 |\n"
                   "| Social care | 65 | 5 | 40 | 18 | 2 | 0 |\n"
                   "| YOS | 3 | 0 | 2 | 1 | 0 | 0 |\n"
                   "| Across the division | 92 | 7 | 58 | 25 | 2 | 0 |\n\n"
                   "| Figure | 2018-19 Q3 | Change on Q2 | Year to date |\n"
                   "| --- | ---: | --- | ---: |\n"
                   "| Case-file audits, every division | 112 | (+12 on Q2) | 212 |\n"
                   "| Case-file audits \xE2\x80\x93 Early Help | 31 | (+1 on Q2) | 61 |\n"
                   "| Case-file audits \xE2\x80\x93 Social care | 63 | (+3 on Q2) | 123 |\n"
                   "| Case-file audits \xE2\x80\x93 YOS | 18 | (+8 on Q2) | 28 |\n"
                   "| Practice observations, every division | 92 | (+92 on Q2) | 92 |\n"
                   "| Practice observations \xE2\x80\x93 Early Help | 24 | (+24 on Q2) | 24 |\n"
                   "| Practice observations \xE2\x80\x93 Social care | 65 | (+65 on Q2) | 65 |\n"
                   "| Practice observations \xE2\x80\x93 YOS | 3 | (+3 on Q2) | 3 |\n\n"));
  // First after the title and its lead: before every other section.
  EXPECT_LT(md.find("## QA framework activity"), md.find("## Participation"));
  EXPECT_LT(md.find("## QA framework activity"), md.find("## Feedback"));
}

// Outside the new section, a report is what it was: the seed quarter with QA data and without
// differ only there.
TEST(ReportQa, EverythingOutsideTheSectionIsUnchanged) {
  auto without_qa = [](const std::string& md) {
    const size_t start = md.find("\n## QA framework activity\n");
    const size_t end = md.find("\n## Participation");
    EXPECT_NE(start, std::string::npos);
    EXPECT_NE(end, std::string::npos);
    return md.substr(0, start) + md.substr(end);
  };
  // Without the QA figures' table rows, the rest is the same.
  EXPECT_EQ(without_qa(RenderMarkdown(Build(SeedQaInput()))),
            without_qa(RenderMarkdown(Build(SeedInput()))));
}

TEST(ReportQa, HtmlHasTheSectionBeforeParticipation) {
  const std::string html = RenderHtml(Build(SeedQaInput()));
  const size_t qa = html.find("<h2>QA framework activity</h2>\n<section id=\"qa_activity\">\n");
  ASSERT_NE(qa, std::string::npos);
  EXPECT_LT(qa, html.find("<h2>Participation"));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<h3>Audits across the Division</h3>\n<p "
                                           "class=\"statement\">",
                                           kAuditSentence, "</p>\n")));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("<h3>Practice Observations across the Division</h3>\n<p "
                                           "class=\"statement\">",
                                           kObservationSentence, "</p>\n")));
  EXPECT_THAT(html, HasSubstr("<caption>Case-file audits by grade, 2018-19 Q3</caption>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Requires improvement</th>"));
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">Early Help</th><td class=\"n\">31</td><td "
                              "class=\"n\">3</td><td class=\"n\">20</td><td class=\"n\">7</td><td "
                              "class=\"n\">1</td><td class=\"n\">6</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><th scope=\"row\">Strength: partner agencies</th><td "
                              "class=\"n\">14</td></tr>"));
}

TEST(ReportQa, JsonHasTheActivitiesByDivisionGradeAndTheme) {
  const std::string json = RenderJson(Build(SeedQaInput()));
  google::protobuf::Struct root;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &root).ok()) << json;
  const auto& sections = root.fields().at("sections").list_value().values();
  ASSERT_GE(sections.size(), 2);
  const auto& qa = sections[0].struct_value().fields();
  EXPECT_EQ(qa.at("id").string_value(), "qa_activity");
  EXPECT_EQ(qa.at("heading").string_value(), "QA framework activity");
  EXPECT_EQ(
      qa.at("statements").list_value().values(0).struct_value().fields().at("text").string_value(),
      kAuditSentence);
  const auto& activities = qa.at("activities").list_value().values();
  ASSERT_EQ(activities.size(), 2);
  const auto& audits = activities[0].struct_value().fields();
  EXPECT_EQ(audits.at("activity").string_value(), "QA_ACTIVITY_CASE_FILE_AUDIT");
  const auto& early_help = audits.at("divisions").list_value().values(0).struct_value().fields();
  EXPECT_EQ(early_help.at("serviceArea").string_value(), "SERVICE_AREA_EARLY_HELP");
  EXPECT_EQ(early_help.at("count").number_value(), 31);
  EXPECT_EQ(early_help.at("grades").struct_value().fields().at("QA_GRADE_GOOD").number_value(), 20);
  EXPECT_EQ(early_help.at("moderated").number_value(), 6);
  EXPECT_EQ(audits.at("total").struct_value().fields().at("count").number_value(), 112);
  EXPECT_EQ(audits.at("strengths")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("label")
                .string_value(),
            "partner agencies");
  const auto& figures = qa.at("figures").list_value().values();
  ASSERT_EQ(figures.size(), 8);
  EXPECT_EQ(figures[0].struct_value().fields().at("measure").string_value(), "qa_case_file_audits");
  EXPECT_EQ(figures[0].struct_value().fields().at("value").number_value(), 112);
  // Other sections carry no QA keys.
  EXPECT_FALSE(sections[1].struct_value().fields().contains("activities"));
}

TEST(ReportQa, CsvHasFigureGradeAndThemeRowsFirst) {
  const std::string csv = RenderCsv(Build(SeedQaInput()));
  const std::string prefix = "2018-19Q3,2018,3,qa_activity,";
  const std::string first_rows = csv.substr(csv.find("\r\n") + 2);
  EXPECT_TRUE(absl::StartsWith(first_rows,
                               absl::StrCat(prefix,
                                            "statement,qa_case_file_audits_statement,QA framework "
                                            "activity,,,,,",
                                            kAuditSentence, "\r\n")))
      << first_rows.substr(0, 300);
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(prefix,
                                          "figure,qa_case_file_audits,\"Case-file audits, every "
                                          "division\",112,100,12,212,\r\n")));
  EXPECT_THAT(csv,
              HasSubstr(absl::StrCat(prefix,
                                     "figure,qa_practice_observations_youth_offending,Practice "
                                     "observations \xE2\x80\x93 YOS,3,0,3,3,\r\n")));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(prefix,
                                          "qa_grade,qa_case_file_audits_early_help_good,Case-file "
                                          "audits \xE2\x80\x93 Early Help: Good,20,,,,\r\n")));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(
                       prefix,
                       "qa_grade,qa_case_file_audits_requires_improvement,Case-file audits "
                       "\xE2\x80\x93 Across the division: Requires improvement,30,,,,\r\n")));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(prefix,
                                          "qa_grade,qa_case_file_audits_social_care_moderated,"
                                          "Case-file audits \xE2\x80\x93 Social care: "
                                          "Moderated,12,,,,\r\n")));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(
                       prefix,
                       "qa_theme,qa_case_file_audits_strength_partner_agencies,Case-file "
                       "audits \xE2\x80\x93 Strength: partner agencies,14,,,,\r\n")));
  EXPECT_LT(csv.find(",qa_activity,"), csv.find(",participation,"));
}

TEST(ReportQa, AWithheldCountIsCInTheSentenceTheTableAndItsSums) {
  QuarterReportInput input = SeedQaInput();
  v1::QuarterSummary& q3 = input.summaries[2];
  for (v1::QaActivityFigures& q : *q3.mutable_qa_activity()) {
    if (q.activity() == kObservation && q.service_area() == kYos) {
      q.set_count(0);  // as the server sends a withheld cell
      for (v1::QaGradeCount& g : *q.mutable_grades()) g.set_count(0);
    }
  }
  for (const char* part : {"count", "grade.QA_GRADE_GOOD", "grade.QA_GRADE_REQUIRES_IMPROVEMENT"}) {
    q3.add_suppressed(
        absl::StrCat("qa.QA_ACTIVITY_PRACTICE_OBSERVATION.SERVICE_AREA_YOUTH_OFFENDING.", part));
  }
  // A withheld theme is named after every shown one (its count, 1 to 5, tells no order).
  q3.add_suppressed("qa.QA_ACTIVITY_CASE_FILE_AUDIT.strength.child_focus");
  v1::QaThemes* observed = q3.add_qa_themes();
  observed->set_activity(kObservation);
  AddTheme(observed->mutable_strengths(), "direct_work", 0);
  q3.add_suppressed("qa.QA_ACTIVITY_PRACTICE_OBSERVATION.strength.direct_work");
  const QuarterReport report = Build(input);
  const ReportSection& qa = QaSectionOf(report);
  EXPECT_EQ(
      qa.statements[1].text,
      "There were c P.O.s across the division in Q3 \xE2\x80\xA2 24 in Early Help \xE2\x80\xA2 "
      "65 in social care \xE2\x80\xA2 c in YOS");
  const ReportFigure* total = FindFigure(report, "qa_practice_observations");
  ASSERT_NE(total, nullptr);
  EXPECT_TRUE(total->value_withheld);
  EXPECT_FALSE(FindFigure(report, "qa_practice_observations_early_help")->value_withheld);
  const std::string md = RenderMarkdown(report);
  EXPECT_THAT(md, HasSubstr("| YOS | c | 0 | c | c | 0 | 0 |\n| Across the division | c | 7 | c | "
                            "c | 2 | 0 |\n"));
  EXPECT_THAT(md, HasSubstr("| Strength: partner agencies | 14 |\n| Strength: management "
                            "oversight | 6 |\n| Strength: wishes and feelings | 3 |\n"));
  EXPECT_THAT(md, HasSubstr("| Practice observations: leading themes, 2018-19 Q3 | Checks |\n| "
                            "--- | ---: |\n| Strength: direct work | c |\n"));
  EXPECT_THAT(md, HasSubstr("c: withheld to protect children's confidentiality"));
}

TEST(ReportQa, ThemeLabelsAreEscapedForTheirFormat) {
  QuarterReportInput input = SeedQaInput();
  v1::QaThemes* themes = input.summaries[2].add_qa_themes();
  themes->set_activity(kObservation);
  AddTheme(themes->mutable_strengths(), "<script>alert(1)</script>", 40);
  const QuarterReport report = Build(input);
  EXPECT_THAT(RenderHtml(report), Not(HasSubstr("<script>alert")));
  EXPECT_THAT(RenderHtml(report), HasSubstr("Strength: &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(RenderMarkdown(report), Not(HasSubstr("<script>")));
}

}  // namespace report_qa_test
}  // namespace
}  // namespace feedback::client
