// Case-file audits and practice observations as pure rules: what an auditor may record, the
// practice themes of what they wrote, and how a quarter's checks become its figures.
#include "service/domain/quality_checks.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/tagger.h"
#include "service/ops/counters.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace quality_checks_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2018, 12, 20, 12, 0, 0), absl::UTCTimeZone());

google::protobuf::Timestamp Ts(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

v1::QualityCheck Audit(v1::ServiceArea division, v1::QaGrade grade) {
  v1::QualityCheck check;
  check.set_submission_id("123e4567-e89b-42d3-a456-426614174000");
  check.set_activity(v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  check.set_service_area(division);
  check.set_grade(grade);
  *check.mutable_occurred_at() = Ts(kNow - absl::Hours(24 * 30));  // 20 November 2018: Q3
  return check;
}

TEST(QualityCheckValidation, AnAuditWithDivisionGradeAndIdIsAccepted) {
  EXPECT_OK(ValidateQualityCheck(Audit(v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_GOOD), kNow));
}

TEST(QualityCheckValidation, EachMissingOrBadFieldIsRefusedNamingIt) {
  struct Case {
    std::string field;
    void (*spoil)(v1::QualityCheck&);
  };
  const std::vector<Case> cases = {
      {"check.submission_id", [](v1::QualityCheck& c) { c.clear_submission_id(); }},
      {"check.submission_id", [](v1::QualityCheck& c) { c.set_submission_id("audit-1"); }},
      {"check.activity", [](v1::QualityCheck& c) { c.clear_activity(); }},
      {"check.activity",
       [](v1::QualityCheck& c) { c.set_activity(static_cast<v1::QaActivity>(9)); }},
      {"check.service_area", [](v1::QualityCheck& c) { c.clear_service_area(); }},
      {"check.grade", [](v1::QualityCheck& c) { c.clear_grade(); }},
      {"check.grade", [](v1::QualityCheck& c) { c.set_grade(static_cast<v1::QaGrade>(7)); }},
      {"check.strengths", [](v1::QualityCheck& c) { c.set_strengths("\xff\xfe"); }},
      {"check.areas_for_improvement",
       [](v1::QualityCheck& c) { c.set_areas_for_improvement(std::string(9000, 'a')); }},
      {"check.occurred_at",
       [](v1::QualityCheck& c) { *c.mutable_occurred_at() = Ts(kNow + absl::Hours(2)); }},
      {"check.occurred_at",
       [](v1::QualityCheck& c) { *c.mutable_occurred_at() = Ts(absl::UnixEpoch()); }},
      {"check.id", [](v1::QualityCheck& c) { c.set_id("qc_chosen_by_the_client"); }},
      {"check.recorded_by", [](v1::QualityCheck& c) { c.set_recorded_by("tok_someone_else"); }},
  };
  for (const Case& c : cases) {
    v1::QualityCheck check = Audit(v1::SERVICE_AREA_SOCIAL_CARE, v1::QA_GRADE_GOOD);
    c.spoil(check);
    const absl::Status status = ValidateQualityCheck(check, kNow);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(status.message(), HasSubstr(c.field + ":"));
  }
}

TEST(QualityCheckFilters, AQuarterNeedsItsYearAndUnknownValuesAreRefused) {
  v1::ListQualityChecksRequest request;
  request.set_quarter(3);
  EXPECT_THAT(ValidateQualityCheckFilters(request).message(), HasSubstr("financial_year"));
  request.set_financial_year(2018);
  EXPECT_OK(ValidateQualityCheckFilters(request));
  request.set_activity(static_cast<v1::QaActivity>(5));
  EXPECT_THAT(ValidateQualityCheckFilters(request).message(), HasSubstr("activity"));
}

TEST(QualityCheckFilters, UnsetFiltersMatchEveryCheck) {
  const v1::QualityCheck audit = Audit(v1::SERVICE_AREA_YOUTH_OFFENDING, v1::QA_GRADE_GOOD);
  v1::ListQualityChecksRequest request;
  EXPECT_TRUE(MatchesQualityCheckFilter(audit, request));
  request.set_service_area(v1::SERVICE_AREA_EARLY_HELP);
  EXPECT_FALSE(MatchesQualityCheckFilter(audit, request));
  request.set_service_area(v1::SERVICE_AREA_YOUTH_OFFENDING);
  request.set_activity(v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
  EXPECT_FALSE(MatchesQualityCheckFilter(audit, request));
}

TEST(PracticeThemes, TheSeedsAuditAnalysisFindsItsThemesWhateverTheNegation) {
  absl::StatusOr<Tagger> tagger = Tagger::Load("");
  ASSERT_OK(tagger);
  EXPECT_THAT(tagger->PracticeTags("Good evidence of partner agencies input into assessments"),
              ElementsAre("assessment", "partner_agencies"));
  // In an area for improvement, "no evidence of" is still about management oversight.
  EXPECT_THAT(tagger->PracticeTags("No evidence of management oversight"),
              ElementsAre("management_oversight"));
  EXPECT_THAT(tagger->PracticeTags("Evidence of the use of Signs of Safety"),
              ElementsAre("signs_of_safety"));
  EXPECT_THAT(tagger->PracticeTags("The weather was fine"), IsEmpty());
  // Feedback themes and practice themes are apart: a practice word tags no feedback.
  EXPECT_THAT(tagger->ThemeTags("Good evidence of management oversight"), IsEmpty());
}

TEST(PracticeThemes, ALexiconMayHaveNoPracticeSectionAndThenFindsNone) {
  absl::StatusOr<Tagger> tagger = Tagger::Parse("[themes]\nfair_chair: fair\n", "test");
  ASSERT_OK(tagger);
  EXPECT_THAT(tagger->PracticeTags("management oversight"), IsEmpty());
  absl::StatusOr<Tagger> bad = Tagger::Parse("[practice]\nnot a tag: x\n", "test lexicon");
  EXPECT_THAT(bad.status().message(), HasSubstr("test lexicon line 2"));
}

// The summary of `checks`' counters, for 2018-19 Q3 and `area`.
v1::QuarterSummary SummaryOf(const std::vector<v1::QualityCheck>& checks,
                             v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED) {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  EXPECT_OK(calendar);
  const CounterBook book(*calendar);
  Counters all;
  for (const v1::QualityCheck& check : checks) {
    for (const auto& [key, value] : book.OfQualityCheck(check)) all[key] += value;
  }
  return CounterBook::Summarize({2018, 3}, area, {all.begin(), all.end()});
}

// The seed's Q3: 112 audits (31 in Early Help, 63 in social care, 18 in YOS) and 92 practice
// observations (24, 65, 3).
std::vector<v1::QualityCheck> SeedQuarterChecks() {
  std::vector<v1::QualityCheck> checks;
  auto add = [&](v1::QaActivity activity, v1::ServiceArea division, int count) {
    for (int i = 0; i < count; ++i) {
      v1::QualityCheck check =
          Audit(division, i % 4 == 0 ? v1::QA_GRADE_REQUIRES_IMPROVEMENT : v1::QA_GRADE_GOOD);
      check.set_activity(activity);
      check.set_moderated(i < 2);
      if (i == 0) check.add_strength_themes("partner_agencies");
      if (i < 3) check.add_improvement_themes("management_oversight");
      checks.push_back(std::move(check));
    }
  };
  add(v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::SERVICE_AREA_EARLY_HELP, 31);
  add(v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::SERVICE_AREA_SOCIAL_CARE, 63);
  add(v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::SERVICE_AREA_YOUTH_OFFENDING, 18);
  add(v1::QA_ACTIVITY_PRACTICE_OBSERVATION, v1::SERVICE_AREA_EARLY_HELP, 24);
  add(v1::QA_ACTIVITY_PRACTICE_OBSERVATION, v1::SERVICE_AREA_SOCIAL_CARE, 65);
  add(v1::QA_ACTIVITY_PRACTICE_OBSERVATION, v1::SERVICE_AREA_YOUTH_OFFENDING, 3);
  return checks;
}

TEST(QualityCheckFigures, TheSeedQuarterCountsEachActivityByDivisionWithEveryGrade) {
  const v1::QuarterSummary summary = SummaryOf(SeedQuarterChecks());
  ASSERT_EQ(summary.qa_activity_size(), 6);
  std::vector<std::pair<std::string, int64_t>> counts;
  for (const v1::QaActivityFigures& figures : summary.qa_activity()) {
    counts.emplace_back(absl::StrCat(v1::QaActivity_Name(figures.activity()), " ",
                                     v1::ServiceArea_Name(figures.service_area())),
                        figures.count());
    int64_t graded = 0;
    ASSERT_EQ(figures.grades_size(), 4);  // best first, zeros included
    EXPECT_EQ(figures.grades(0).grade(), v1::QA_GRADE_OUTSTANDING);
    EXPECT_EQ(figures.grades(0).count(), 0);
    EXPECT_EQ(figures.grades(3).grade(), v1::QA_GRADE_INADEQUATE);
    for (const v1::QaGradeCount& grade : figures.grades()) graded += grade.count();
    EXPECT_EQ(graded, figures.count());
    EXPECT_EQ(figures.moderated(), std::min<int64_t>(2, figures.count()));
  }
  using P = std::pair<std::string, int64_t>;
  EXPECT_THAT(counts,
              ElementsAre(P("QA_ACTIVITY_CASE_FILE_AUDIT SERVICE_AREA_EARLY_HELP", 31),
                          P("QA_ACTIVITY_CASE_FILE_AUDIT SERVICE_AREA_SOCIAL_CARE", 63),
                          P("QA_ACTIVITY_CASE_FILE_AUDIT SERVICE_AREA_YOUTH_OFFENDING", 18),
                          P("QA_ACTIVITY_PRACTICE_OBSERVATION SERVICE_AREA_EARLY_HELP", 24),
                          P("QA_ACTIVITY_PRACTICE_OBSERVATION SERVICE_AREA_SOCIAL_CARE", 65),
                          P("QA_ACTIVITY_PRACTICE_OBSERVATION SERVICE_AREA_YOUTH_OFFENDING", 3)));
  // 31 Early Help audits: every fourth (8) requires improvement, the rest (23) good.
  EXPECT_EQ(summary.qa_activity(0).grades(1).count(), 23);
  EXPECT_EQ(summary.qa_activity(0).grades(2).count(), 8);
  // Themes by activity, across divisions: one strength and three areas per division.
  ASSERT_EQ(summary.qa_themes_size(), 2);
  EXPECT_EQ(summary.qa_themes(0).activity(), v1::QA_ACTIVITY_CASE_FILE_AUDIT);
  ASSERT_EQ(summary.qa_themes(0).strengths_size(), 1);
  EXPECT_EQ(summary.qa_themes(0).strengths(0).tag(), "partner_agencies");
  EXPECT_EQ(summary.qa_themes(0).strengths(0).count(), 3);
  ASSERT_EQ(summary.qa_themes(0).areas_for_improvement_size(), 1);
  EXPECT_EQ(summary.qa_themes(0).areas_for_improvement(0).count(), 9);
}

TEST(QualityCheckFigures, ADivisionsSummaryHasOnlyItsOwnChecks) {
  const v1::QuarterSummary summary =
      SummaryOf(SeedQuarterChecks(), v1::SERVICE_AREA_YOUTH_OFFENDING);
  ASSERT_EQ(summary.qa_activity_size(), 2);
  EXPECT_EQ(summary.qa_activity(0).count(), 18);
  EXPECT_EQ(summary.qa_activity(1).count(), 3);
}

TEST(QualityCheckFigures, ACheckCountsInTheQuarterItWasMadeNotWhenItWasRecorded) {
  v1::QualityCheck september = Audit(v1::SERVICE_AREA_EARLY_HELP, v1::QA_GRADE_GOOD);
  // 30 September 2018, 23:30 in London (22:30 UTC): the last hour of Q2.
  *september.mutable_occurred_at() =
      Ts(absl::FromCivil(absl::CivilSecond(2018, 9, 30, 22, 30, 0), absl::UTCTimeZone()));
  EXPECT_THAT(SummaryOf({september}).qa_activity(), IsEmpty());
}

}  // namespace quality_checks_test
}  // namespace
}  // namespace feedback
