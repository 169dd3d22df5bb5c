// The quarterly report's narrative (issue 13): what SetNarrative and GetNarrative accept, where
// the report places each section (the seed's order), that an empty section is left out, that
// the title takes the server's council and division, and that narrative text is escaped in every
// format like any hostile text.
#include "service/domain/narrative.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/report/report.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/report_input.h"

namespace feedback {
namespace {
namespace narrative_test {

using ::testing::HasSubstr;
using ::testing::Not;

v1::SetNarrativeRequest ValidSet() {
  v1::SetNarrativeRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  request.set_section(v1::NARRATIVE_SECTION_NEXT_STEPS);
  request.set_text("\xE2\x80\xA2 Independent review of Leaving Care Services\n");
  request.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  return request;
}

// The error's message, or "OK".
std::string ErrorOf(const v1::SetNarrativeRequest& request) {
  const absl::Status status = ValidateSetNarrative(request);
  return status.ok() ? "OK" : std::string(status.message());
}

TEST(NarrativeValidation, AcceptsAValidRequestAndAnEmptyTextThatClearsTheSection) {
  EXPECT_EQ(ErrorOf(ValidSet()), "OK");
  v1::SetNarrativeRequest cleared = ValidSet();
  cleared.set_text("");
  EXPECT_EQ(ErrorOf(cleared), "OK");
}

TEST(NarrativeValidation, EachBadFieldIsNamed) {
  v1::SetNarrativeRequest r = ValidSet();
  r.set_financial_year(0);
  EXPECT_THAT(ErrorOf(r), HasSubstr("financial_year"));
  r = ValidSet();
  r.set_quarter(5);
  EXPECT_THAT(ErrorOf(r), HasSubstr("quarter"));
  r = ValidSet();
  r.set_section(v1::NARRATIVE_SECTION_UNSPECIFIED);
  EXPECT_THAT(ErrorOf(r), HasSubstr("section"));
  r = ValidSet();
  r.set_section(static_cast<v1::NarrativeSection>(99));
  EXPECT_THAT(ErrorOf(r), HasSubstr("section"));
  r = ValidSet();
  r.set_text("caf\xC3");
  EXPECT_THAT(ErrorOf(r), HasSubstr("text: is not valid UTF-8"));
  r = ValidSet();
  r.set_text(std::string(kMaxNarrativeBytes + 1, 'a'));
  EXPECT_THAT(ErrorOf(r), HasSubstr("text: is 16385 bytes"));
  r = ValidSet();
  r.set_text("bell\x07");
  EXPECT_THAT(ErrorOf(r), HasSubstr("text: has a control character"));
  r = ValidSet();
  r.set_submission_id("");
  EXPECT_THAT(ErrorOf(r), HasSubstr("submission_id"));
  r = ValidSet();
  r.set_submission_id("not-a-uuid");
  EXPECT_THAT(ErrorOf(r), HasSubstr("submission_id"));
}

TEST(NarrativeValidation, GetNeedsAQuarterAndAKnownSection) {
  v1::GetNarrativeRequest request;
  request.set_financial_year(2018);
  request.set_quarter(3);
  EXPECT_TRUE(ValidateGetNarrative(request).ok());
  request.set_section(static_cast<v1::NarrativeSection>(42));
  EXPECT_THAT(ValidateGetNarrative(request).message(), HasSubstr("section"));
  request.set_section(v1::NARRATIVE_SECTION_UNSPECIFIED);
  request.set_quarter(0);
  EXPECT_THAT(ValidateGetNarrative(request).message(), HasSubstr("quarter"));
}

TEST(NarrativeValidation, TitlePartsNameTheirFlag) {
  EXPECT_TRUE(ValidateTitlePart("--council-name", "Leicester City Council").ok());
  EXPECT_THAT(ValidateTitlePart("--council-name", "a\nb").message(),
              HasSubstr("--council-name: has a control character"));
  EXPECT_THAT(ValidateTitlePart("--division-title", std::string(300, 'x')).message(),
              HasSubstr("--division-title"));
}

v1::NarrativeVersion Version(v1::NarrativeSection section, std::string text) {
  v1::NarrativeVersion version;
  version.set_financial_year(2018);
  version.set_quarter(3);
  version.set_section(section);
  version.set_text(std::move(text));
  version.set_version(1);
  return version;
}

client::QuarterReportInput NarrativeInput() {
  client::QuarterReportInput input = testing::SeedInput();
  input.narrative = {
      Version(v1::NARRATIVE_SECTION_NEXT_STEPS, "NEXT-STEPS-TEXT"),
      Version(v1::NARRATIVE_SECTION_RECOMMENDATIONS, "RECOMMENDATIONS-TEXT"),
      Version(v1::NARRATIVE_SECTION_PILOT_DESCRIPTION, "PILOT-TEXT"),
      Version(v1::NARRATIVE_SECTION_EXTERNAL_REVIEW, "   \n"),  // whitespace: left out
      Version(v1::NARRATIVE_SECTION_REVIEW_OF_PREVIOUS_NEXT_STEPS, "REVIEW-TEXT"),
  };
  return input;
}

std::vector<std::string> SectionIds(const client::QuarterReport& report) {
  std::vector<std::string> ids;
  for (const client::ReportSection& s : report.sections) ids.push_back(s.id);
  return ids;
}

TEST(NarrativeReport, SectionsFollowTheSeedsOrderAndAnEmptyOneIsLeftOut) {
  const client::QuarterReport report = testing::Build(NarrativeInput());
  const std::vector<std::string> ids = SectionIds(report);
  ASSERT_GE(ids.size(), 4u);
  EXPECT_EQ(ids.front(), "review_of_previous_next_steps");
  EXPECT_EQ(ids[1], "qa_activity");
  EXPECT_EQ(ids[2], "oversight");
  EXPECT_EQ(ids[3], "participation");
  EXPECT_EQ(ids.back(), "next_steps");
  EXPECT_THAT(ids, Not(::testing::Contains("external_review")));
  EXPECT_EQ(report.sections.front().heading, "Review of Q2 Next Steps");
  EXPECT_EQ(report.sections.back().heading, "Q4 \xE2\x80\x93 Next Steps");

  const std::string md = client::RenderMarkdown(report);
  const size_t review = md.find("REVIEW-TEXT");
  const size_t audits = md.find("QA framework activity");
  const size_t pilot = md.find("PILOT-TEXT");
  const size_t advocacy = md.find("Initial Child Protection Conference");
  const size_t recommendations = md.find("### Recommendations\n\nRECOMMENDATIONS-TEXT");
  const size_t families = md.find("Feedback from Families");
  const size_t next = md.find("## Q4 \xE2\x80\x93 Next Steps\n\nNEXT-STEPS-TEXT");
  for (size_t at : {review, audits, pilot, advocacy, recommendations, families, next}) {
    ASSERT_NE(at, std::string::npos) << md;
  }
  EXPECT_LT(review, audits);
  EXPECT_LT(audits, pilot);
  EXPECT_LT(pilot, advocacy);
  EXPECT_LT(advocacy, recommendations);
  EXPECT_LT(recommendations, families);
  EXPECT_LT(families, next);
  EXPECT_THAT(md, Not(HasSubstr("External Review")));
}

TEST(NarrativeReport, WithoutNarrativeTheReportIsAsBefore) {
  const client::QuarterReport report = testing::Build(testing::SeedInput());
  EXPECT_EQ(SectionIds(report).front(), "qa_activity");
  const std::string md = client::RenderMarkdown(report);
  EXPECT_THAT(md, HasSubstr("# Feedback and participation report, 2018-19 Q3"));
  EXPECT_THAT(md, Not(HasSubstr("Next Steps")));
  EXPECT_THAT(md, Not(HasSubstr("Recommendations")));
}

TEST(NarrativeReport, TheTitleTakesTheCouncilAndDivisionWhenConfigured) {
  client::QuarterReportInput input = testing::SeedInput();
  input.council_name = "Leicester City Council";
  input.division_title = "Children\xE2\x80\x99s Social Care and Early Help Division";
  const client::QuarterReport report = testing::Build(input);
  const std::string title =
      "Leicester City Council Quarter 3 October \xE2\x80\x93 December 2018 Children\xE2\x80\x99s "
      "Social Care and Early Help Division Quality Assurance Report";
  EXPECT_EQ(report.heading, title);
  EXPECT_THAT(client::RenderMarkdown(report), HasSubstr(absl::StrCat("# ", title, "\n")));
  EXPECT_THAT(client::RenderHtml(report), HasSubstr("<h1>Leicester City Council Quarter 3"));
  EXPECT_THAT(client::RenderJson(report), HasSubstr("\"heading\": \"Leicester City Council"));
}

TEST(NarrativeReport, OneDivisionsReportSaysSoAndLeavesNothingUnsaid) {
  client::QuarterReportInput input = testing::SeedInput();
  input.service_area = v1::SERVICE_AREA_EARLY_HELP;
  const client::QuarterReport report = testing::Build(input);
  EXPECT_THAT(report.heading, HasSubstr("Early Help"));
  const std::string md = client::RenderMarkdown(report);
  EXPECT_THAT(md, HasSubstr("This report covers Early Help only"));
  EXPECT_THAT(client::RenderHtml(report), HasSubstr("This report covers Early Help only"));
  EXPECT_THAT(client::RenderJson(report), HasSubstr("SERVICE_AREA_EARLY_HELP"));
}

TEST(NarrativeReport, HostileNarrativeIsEscapedInEveryFormat) {
  client::QuarterReportInput input = testing::SeedInput();
  input.narrative = {Version(v1::NARRATIVE_SECTION_NEXT_STEPS,
                             "=HYPERLINK(\"x\")\n<script>alert(1)</script>\n# not a heading\n"
                             "\x1b[31mred"),
                     Version(v1::NARRATIVE_SECTION_RECOMMENDATIONS, "+1 | pipe")};
  const client::QuarterReport report = testing::Build(input);
  const std::string md = client::RenderMarkdown(report);
  EXPECT_THAT(md, HasSubstr("\\<script\\>"));
  EXPECT_THAT(md, HasSubstr("\\# not a heading"));
  EXPECT_THAT(md, Not(HasSubstr("\x1b")));
  EXPECT_THAT(md, HasSubstr("\\+1 \\| pipe"));
  const std::string html = client::RenderHtml(report);
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  const std::string csv = client::RenderCsv(report);
  EXPECT_THAT(csv, HasSubstr(",narrative,narrative_next_steps,"));
  EXPECT_THAT(csv, HasSubstr("\"'=HYPERLINK(\"\"x\"\")"));
  EXPECT_THAT(csv, HasSubstr("'+1 | pipe"));
  const std::string json = client::RenderJson(report);
  EXPECT_THAT(json, HasSubstr("\\u003cscript\\u003e"));
  EXPECT_THAT(json, HasSubstr("\"narrativeAfter\""));
}

}  // namespace narrative_test
}  // namespace
}  // namespace feedback
