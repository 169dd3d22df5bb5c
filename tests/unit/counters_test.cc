#include "service/ops/counters.h"

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"
#include "service/domain/complaints.h"
#include "service/domain/working_days.h"
#include "storage/feedback_store.h"
#include "storage/transaction.h"
#include "tests/support/test_support.h"

namespace feedback {
namespace {
namespace counters_test {

using ::google::protobuf::util::TimeUtil;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;

using CounterList = std::vector<std::pair<std::string, int64_t>>;

// Instants are written in UTC; quarters follow local time in Europe/London (BST = UTC+1 until
// the last Sunday of October), worked out by hand.
absl::Time Utc(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone());
}

google::protobuf::Timestamp Ts(absl::Time at) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
}

CounterBook Book() {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  EXPECT_OK(calendar);
  return CounterBook(*calendar);
}

ComplaintProcedure Procedure() {
  absl::StatusOr<WorkingDays> days = WorkingDays::Load("");
  EXPECT_OK(days);
  absl::TimeZone london;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  return ComplaintProcedure(*std::move(days), london);
}

v1::Feedback Item(v1::Kind kind, v1::Source source, v1::ServiceArea area, absl::Time occurred_at,
                  int rating = 0, std::vector<std::string> tags = {}) {
  v1::Feedback record;
  record.set_id("fb_x");
  record.set_kind(kind);
  record.set_source(source);
  record.set_service_area(area);
  record.set_meeting(v1::MEETING_CLA_REVIEW);
  record.set_text("words");
  record.set_rating(rating);
  *record.mutable_occurred_at() = Ts(occurred_at);
  *record.mutable_received_at() = Ts(occurred_at);
  for (std::string& tag : tags) record.add_tags(std::move(tag));
  return record;
}

v1::Complaint OpenComplaint(const ComplaintProcedure& procedure, v1::ServiceArea area,
                            absl::Time occurred_at) {
  return procedure.Open(
      Item(v1::KIND_COMPLAINT, v1::SOURCE_FAMILY, area, occurred_at, 0, {"complaint"}),
      occurred_at);
}

v1::Complaint Closed(const ComplaintProcedure& procedure, const v1::Complaint& complaint,
                     v1::ComplaintOutcome outcome, absl::Time at) {
  v1::UpdateComplaintRequest update;
  update.set_outcome(outcome);
  *update.mutable_effective_at() = Ts(at);
  absl::StatusOr<v1::Complaint> next = procedure.Apply(complaint, update, at + absl::Hours(1));
  EXPECT_OK(next);
  return next.ok() ? *std::move(next) : complaint;
}

v1::AdvocacyReferral Referral(v1::Meeting meeting, v1::ServiceArea area, absl::Time referred_at,
                              v1::AdvocacyStatus status = v1::ADVOCACY_STATUS_REFERRED) {
  v1::AdvocacyReferral referral;
  referral.set_id("ar_x");
  referral.set_meeting(meeting);
  referral.set_service_area(area);
  referral.set_child_age(12);
  *referral.mutable_referred_at() = Ts(referred_at);
  *referral.mutable_created_at() = Ts(referred_at);
  *referral.mutable_updated_at() = Ts(referred_at);
  referral.set_status(status);
  if (status == v1::ADVOCACY_STATUS_NOT_PROGRESSED) referral.set_reason("meeting cancelled");
  return referral;
}

void AddInto(Counters& total, const Counters& counters) {
  for (const auto& [key, value] : counters) total[key] += value;
}

CounterList ListOf(const Counters& counters) { return {counters.begin(), counters.end()}; }

int64_t ValueOf(const Counters& counters, const std::string& key) {
  const auto it = counters.find(key);
  return it == counters.end() ? 0 : it->second;
}

std::vector<std::pair<int, int64_t>> RatingsOf(const v1::QuarterSummary& summary) {
  std::vector<std::pair<int, int64_t>> ratings;
  for (const v1::RatingCount& r : summary.ratings()) ratings.emplace_back(r.rating(), r.count());
  return ratings;
}

std::vector<std::pair<std::string, int64_t>> TagsOf(const v1::QuarterSummary& summary) {
  std::vector<std::pair<std::string, int64_t>> tags;
  for (const v1::TagCount& t : summary.tags()) tags.emplace_back(t.tag(), t.count());
  return tags;
}

struct Advocacy {
  v1::Meeting meeting;
  int64_t referrals, progressed, declined, not_progressed;
  bool operator==(const Advocacy&) const = default;
};
void PrintTo(const Advocacy& a, std::ostream* os) {
  *os << "{" << v1::Meeting_Name(a.meeting) << ": " << a.referrals << " referred, " << a.progressed
      << " progressed, " << a.declined << " declined, " << a.not_progressed << " not progressed}";
}

std::vector<Advocacy> AdvocacyOf(const v1::QuarterSummary& summary) {
  std::vector<Advocacy> figures;
  for (const v1::AdvocacyFigures& f : summary.advocacy()) {
    figures.push_back(
        {f.meeting(), f.referrals(), f.progressed(), f.declined(), f.not_progressed()});
  }
  return figures;
}

TEST(CounterBook, QuarterPrefix) {
  EXPECT_EQ(CounterBook::QuarterPrefix({2018, 3}), "2018Q3/");
  EXPECT_EQ(CounterBook::QuarterPrefix({2019, 1}), "2019Q1/");
}

TEST(CounterBook, FamilyComplimentCountsInTheLocalQuarter) {
  // 23:30 UTC on 30 September 2018 is 00:30 BST on 1 October: 2018-19 Q3.
  const v1::Feedback compliment =
      Item(v1::KIND_COMPLIMENT, v1::SOURCE_FAMILY, v1::SERVICE_AREA_SOCIAL_CARE,
           Utc(2018, 9, 30, 23, 30), 5, {"compliment", "fair_chair"});
  const Counters counters = Book().OfFeedback(compliment, nullptr);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/compliments_from_families"), 1);
  for (const auto& [key, value] : counters) {
    EXPECT_TRUE(absl::StartsWith(key, "2018Q3/2/")) << key;
    EXPECT_EQ(value, 1) << key;
  }
  // Its rating and tags, read back through the summary.
  const v1::QuarterSummary summary =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_UNSPECIFIED, ListOf(counters));
  EXPECT_EQ(summary.compliments_from_families(), 1);
  EXPECT_THAT(RatingsOf(summary), ElementsAre(Pair(5, 1)));
  EXPECT_THAT(TagsOf(summary), ElementsAre(Pair("compliment", 1), Pair("fair_chair", 1)));
  // Nothing in Q2, where it would be in UTC.
  const v1::QuarterSummary q2 =
      CounterBook::Summarize({2018, 2}, v1::SERVICE_AREA_UNSPECIFIED, ListOf(counters));
  EXPECT_EQ(q2.compliments_from_families(), 0);
  EXPECT_THAT(q2.ratings(), IsEmpty());
  EXPECT_THAT(q2.tags(), IsEmpty());
}

TEST(CounterBook, EveryKindAndSourceHasItsFigure) {
  const CounterBook book = Book();
  const absl::Time at = Utc(2018, 11, 5, 12);
  const struct {
    v1::Kind kind;
    v1::Source source;
    const char* figure;
  } kCases[] = {
      {v1::KIND_COMPLIMENT, v1::SOURCE_FAMILY, "compliments_from_families"},
      {v1::KIND_COMPLIMENT, v1::SOURCE_PARTNER_AGENCY, "compliments_from_partners"},
      {v1::KIND_COMPLIMENT, v1::SOURCE_CHILD, "compliments_from_children"},
      {v1::KIND_COMPLIMENT, v1::SOURCE_ADVOCATE, "compliments_from_advocates"},
      {v1::KIND_COMMENT, v1::SOURCE_CHILD, "comments"},
      {v1::KIND_CHILD_STATEMENT, v1::SOURCE_CHILD, "child_statements"},
      {v1::KIND_COMPLAINT, v1::SOURCE_FAMILY, "complaints_received"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.figure);
    const Counters counters =
        book.OfFeedback(Item(c.kind, c.source, v1::SERVICE_AREA_EARLY_HELP, at), nullptr);
    EXPECT_THAT(counters, ElementsAre(Pair(std::string("2018Q3/1/") + c.figure, 1)));
  }
}

TEST(CounterBook, ComplaintOutcomeCountsInTheQuarterItWasDecided) {
  const ComplaintProcedure procedure = Procedure();
  // Received Thursday 1 November 2018 (Q3), due by the end of Thursday 15 November; closed on
  // 15 January 2019 (Q4), late.
  const v1::Complaint complaint = Closed(
      procedure, OpenComplaint(procedure, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2018, 11, 1, 10)),
      v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 15, 10));
  const Counters counters = Book().OfFeedback(complaint.feedback(), &complaint);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_received"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_upheld"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_closed"), 1);
  EXPECT_THAT(counters, Not(Contains(Key("2018Q4/2/complaints_closed_in_time"))));
  EXPECT_THAT(counters, Not(Contains(Key("2018Q3/2/complaints_upheld"))));
  EXPECT_THAT(counters, Not(Contains(Key("2018Q4/2/complaints_received"))));
}

TEST(CounterBook, ComplaintClosedBeforeDueIsClosedInTime) {
  const ComplaintProcedure procedure = Procedure();
  const v1::Complaint opened =
      OpenComplaint(procedure, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2018, 11, 1, 10));
  // In the last minute of the due day (Thursday 15 November, GMT).
  const v1::Complaint in_time =
      Closed(procedure, opened, v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, Utc(2018, 11, 15, 23, 59));
  const Counters counters = Book().OfFeedback(in_time.feedback(), &in_time);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_partially_upheld"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_closed"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_closed_in_time"), 1);

  // At midnight it is late.
  const v1::Complaint late =
      Closed(procedure, opened, v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, Utc(2018, 11, 16));
  const Counters late_counters = Book().OfFeedback(late.feedback(), &late);
  EXPECT_EQ(ValueOf(late_counters, "2018Q3/2/complaints_closed"), 1);
  EXPECT_EQ(ValueOf(late_counters, "2018Q3/2/complaints_closed_in_time"), 0);
}

TEST(CounterBook, EscalationCountsInTheQuarterOfTheStep) {
  const ComplaintProcedure procedure = Procedure();
  v1::Complaint complaint = Closed(
      procedure, OpenComplaint(procedure, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2018, 11, 1, 10)),
      v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2018, 11, 12, 10));
  v1::UpdateComplaintRequest escalate;
  escalate.set_stage(v1::COMPLAINT_STAGE_2);
  *escalate.mutable_effective_at() = Ts(Utc(2019, 1, 10, 10));
  absl::StatusOr<v1::Complaint> escalated =
      procedure.Apply(complaint, escalate, Utc(2019, 1, 10, 11));
  ASSERT_OK(escalated);
  const Counters counters = Book().OfFeedback(escalated->feedback(), &*escalated);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_received"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_not_upheld"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/complaints_closed"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_escalated_stage_2"), 1);
  // The stage 1 decision stays counted where it was made after the reopening.
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_closed"), 0);
}

// UpdateComplaint "moves a complaint to a stage and/or closes it": an escalation recorded
// together with its outcome is still an escalation.
TEST(CounterBook, EscalationRecordedWithItsOutcomeCountsAsAnEscalation) {
  const ComplaintProcedure procedure = Procedure();
  const v1::Complaint closed = Closed(
      procedure, OpenComplaint(procedure, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2018, 11, 1, 10)),
      v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2018, 11, 12, 10));
  v1::UpdateComplaintRequest escalate_and_close;
  escalate_and_close.set_stage(v1::COMPLAINT_STAGE_2);
  escalate_and_close.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
  *escalate_and_close.mutable_effective_at() = Ts(Utc(2019, 1, 10, 10));
  absl::StatusOr<v1::Complaint> decided =
      procedure.Apply(closed, escalate_and_close, Utc(2019, 1, 10, 11));
  ASSERT_OK(decided);
  EXPECT_EQ(decided->feedback().complaint_stage(), v1::COMPLAINT_STAGE_2);
  EXPECT_EQ(decided->feedback().complaint_outcome(), v1::COMPLAINT_OUTCOME_UPHELD);
  const Counters counters = Book().OfFeedback(decided->feedback(), &*decided);
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_upheld"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_escalated_stage_2"), 1);
}

TEST(CounterBook, ReferralAndItsProgressCountInTheReferredAtQuarter) {
  // 23:30 UTC on 31 March 2019 is 00:30 BST on 1 April: 2019-20 Q1. Progressed in July (Q2).
  v1::AdvocacyReferral referral =
      Referral(v1::MEETING_CLA_REVIEW, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2019, 3, 31, 23, 30),
               v1::ADVOCACY_STATUS_PROGRESSED);
  *referral.mutable_updated_at() = Ts(Utc(2019, 7, 5));
  const Counters counters = Book().OfReferral(referral);
  for (const auto& [key, value] : counters) {
    EXPECT_TRUE(absl::StartsWith(key, "2019Q1/2/")) << key;
    EXPECT_EQ(value, 1) << key;
  }
  const v1::QuarterSummary summary =
      CounterBook::Summarize({2019, 1}, v1::SERVICE_AREA_UNSPECIFIED, ListOf(counters));
  EXPECT_THAT(AdvocacyOf(summary), ElementsAre(Advocacy{v1::MEETING_CLA_REVIEW, 1, 1, 0, 0}));

  const Counters just_referred = Book().OfReferral(
      Referral(v1::MEETING_CLA_REVIEW, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2019, 3, 31, 23, 30)));
  EXPECT_THAT(AdvocacyOf(CounterBook::Summarize({2019, 1}, v1::SERVICE_AREA_UNSPECIFIED,
                                                ListOf(just_referred))),
              ElementsAre(Advocacy{v1::MEETING_CLA_REVIEW, 1, 0, 0, 0}));
}

// Two service areas' worth of 2018-19 Q3, with items either side of the quarter.
Counters SeveralItems() {
  const CounterBook book = Book();
  const ComplaintProcedure procedure = Procedure();
  Counters total;
  auto add_feedback = [&](const v1::Feedback& feedback) {
    AddInto(total, book.OfFeedback(feedback, nullptr));
  };
  auto add_complaint = [&](const v1::Complaint& complaint) {
    AddInto(total, book.OfFeedback(complaint.feedback(), &complaint));
  };
  auto add_referral = [&](const v1::AdvocacyReferral& referral) {
    AddInto(total, book.OfReferral(referral));
  };
  constexpr v1::ServiceArea kSocialCare = v1::SERVICE_AREA_SOCIAL_CARE;
  constexpr v1::ServiceArea kEarlyHelp = v1::SERVICE_AREA_EARLY_HELP;

  // Social care.
  add_complaint(Closed(procedure, OpenComplaint(procedure, kSocialCare, Utc(2018, 10, 10, 10)),
                       v1::COMPLAINT_OUTCOME_UPHELD, Utc(2018, 10, 19, 10)));
  add_complaint(Closed(procedure, OpenComplaint(procedure, kSocialCare, Utc(2018, 11, 1, 10)),
                       v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD, Utc(2018, 11, 14, 10)));
  add_complaint(OpenComplaint(procedure, kSocialCare, Utc(2018, 12, 3, 10)));
  add_feedback(Item(v1::KIND_COMPLIMENT, v1::SOURCE_FAMILY, kSocialCare, Utc(2018, 10, 5, 10), 5,
                    {"compliment", "fair_chair"}));
  add_feedback(Item(v1::KIND_COMPLIMENT, v1::SOURCE_CHILD, kSocialCare, Utc(2018, 11, 20, 10), 4,
                    {"compliment", "listened_to"}));
  add_referral(Referral(v1::MEETING_CLA_REVIEW, kSocialCare, Utc(2018, 11, 15, 10)));
  add_referral(Referral(v1::MEETING_CLA_REVIEW, kSocialCare, Utc(2018, 12, 1, 10),
                        v1::ADVOCACY_STATUS_DECLINED));
  add_referral(Referral(v1::MEETING_INITIAL_CP_CONFERENCE, kSocialCare, Utc(2018, 10, 15, 10),
                        v1::ADVOCACY_STATUS_PROGRESSED));
  // Early help.
  add_complaint(Closed(procedure, OpenComplaint(procedure, kEarlyHelp, Utc(2018, 10, 2, 10)),
                       v1::COMPLAINT_OUTCOME_NOT_UPHELD, Utc(2018, 10, 10, 10)));
  add_feedback(Item(v1::KIND_COMPLIMENT, v1::SOURCE_PARTNER_AGENCY, kEarlyHelp,
                    Utc(2018, 10, 8, 10), 5, {"compliment"}));
  add_referral(Referral(v1::MEETING_FAMILY_GROUP_CONFERENCE, kEarlyHelp, Utc(2018, 10, 20, 10),
                        v1::ADVOCACY_STATUS_NOT_PROGRESSED));
  // Outside the quarter: Q2 (still 30 September in London) and Q4.
  add_feedback(Item(v1::KIND_COMPLIMENT, v1::SOURCE_FAMILY, kSocialCare, Utc(2018, 9, 30, 22, 30),
                    3, {"compliment"}));
  add_complaint(OpenComplaint(procedure, kEarlyHelp, Utc(2019, 1, 2, 10)));
  add_referral(Referral(v1::MEETING_CLA_REVIEW, kSocialCare, Utc(2019, 1, 3, 10),
                        v1::ADVOCACY_STATUS_PROGRESSED));
  return total;
}

TEST(CounterBook, SummarizeAllServiceAreas) {
  const v1::QuarterSummary summary =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_UNSPECIFIED, ListOf(SeveralItems()));
  EXPECT_EQ(summary.financial_year(), 2018);
  EXPECT_EQ(summary.quarter(), 3);
  EXPECT_EQ(summary.service_area(), v1::SERVICE_AREA_UNSPECIFIED);
  EXPECT_FALSE(summary.has_previous_quarter());
  EXPECT_EQ(summary.complaints_received(), 4);
  EXPECT_EQ(summary.complaints_upheld(), 1);
  EXPECT_EQ(summary.complaints_partially_upheld(), 1);
  EXPECT_EQ(summary.complaints_not_upheld(), 1);
  EXPECT_EQ(summary.complaints_withdrawn(), 0);
  EXPECT_EQ(summary.complaints_closed(), 3);
  EXPECT_EQ(summary.complaints_closed_in_time(), 3);
  EXPECT_EQ(summary.complaints_escalated_stage_2(), 0);
  EXPECT_EQ(summary.compliments_from_families(), 1);
  EXPECT_EQ(summary.compliments_from_partners(), 1);
  EXPECT_EQ(summary.compliments_from_children(), 1);
  EXPECT_EQ(summary.compliments_from_advocates(), 0);
  EXPECT_EQ(summary.comments(), 0);
  EXPECT_THAT(AdvocacyOf(summary),
              ElementsAre(Advocacy{v1::MEETING_INITIAL_CP_CONFERENCE, 1, 1, 0, 0},
                          Advocacy{v1::MEETING_CLA_REVIEW, 2, 0, 1, 0},
                          Advocacy{v1::MEETING_FAMILY_GROUP_CONFERENCE, 1, 0, 0, 1}));
  EXPECT_THAT(RatingsOf(summary), ElementsAre(Pair(4, 1), Pair(5, 2)));
  EXPECT_THAT(TagsOf(summary), ElementsAre(Pair("complaint", 4), Pair("compliment", 3),
                                           Pair("fair_chair", 1), Pair("listened_to", 1)));
}

TEST(CounterBook, SummarizeFiltersByServiceArea) {
  const CounterList counters = ListOf(SeveralItems());
  const v1::QuarterSummary social_care =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_SOCIAL_CARE, counters);
  EXPECT_EQ(social_care.service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(social_care.complaints_received(), 3);
  EXPECT_EQ(social_care.complaints_upheld(), 1);
  EXPECT_EQ(social_care.complaints_partially_upheld(), 1);
  EXPECT_EQ(social_care.complaints_not_upheld(), 0);
  EXPECT_EQ(social_care.compliments_from_families(), 1);
  EXPECT_EQ(social_care.compliments_from_partners(), 0);
  EXPECT_EQ(social_care.compliments_from_children(), 1);
  EXPECT_THAT(AdvocacyOf(social_care),
              ElementsAre(Advocacy{v1::MEETING_INITIAL_CP_CONFERENCE, 1, 1, 0, 0},
                          Advocacy{v1::MEETING_CLA_REVIEW, 2, 0, 1, 0}));
  EXPECT_THAT(RatingsOf(social_care), ElementsAre(Pair(4, 1), Pair(5, 1)));
  EXPECT_THAT(TagsOf(social_care), ElementsAre(Pair("complaint", 3), Pair("compliment", 2),
                                               Pair("fair_chair", 1), Pair("listened_to", 1)));

  const v1::QuarterSummary early_help =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_EARLY_HELP, counters);
  EXPECT_EQ(early_help.service_area(), v1::SERVICE_AREA_EARLY_HELP);
  EXPECT_EQ(early_help.complaints_received(), 1);
  EXPECT_EQ(early_help.complaints_upheld(), 0);
  EXPECT_EQ(early_help.complaints_not_upheld(), 1);
  EXPECT_EQ(early_help.compliments_from_families(), 0);
  EXPECT_EQ(early_help.compliments_from_partners(), 1);
  EXPECT_THAT(AdvocacyOf(early_help),
              ElementsAre(Advocacy{v1::MEETING_FAMILY_GROUP_CONFERENCE, 1, 0, 0, 1}));
  EXPECT_THAT(RatingsOf(early_help), ElementsAre(Pair(5, 1)));
  EXPECT_THAT(TagsOf(early_help), ElementsAre(Pair("complaint", 1), Pair("compliment", 1)));

  const v1::QuarterSummary youth_offending =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_YOUTH_OFFENDING, counters);
  EXPECT_EQ(youth_offending.complaints_received(), 0);
  EXPECT_THAT(youth_offending.advocacy(), IsEmpty());
  EXPECT_THAT(youth_offending.ratings(), IsEmpty());
  EXPECT_THAT(youth_offending.tags(), IsEmpty());
}

TEST(CounterBook, SummarizeOtherQuarters) {
  const CounterList counters = ListOf(SeveralItems());
  const v1::QuarterSummary q2 =
      CounterBook::Summarize({2018, 2}, v1::SERVICE_AREA_UNSPECIFIED, counters);
  EXPECT_EQ(q2.compliments_from_families(), 1);
  EXPECT_THAT(RatingsOf(q2), ElementsAre(Pair(3, 1)));
  EXPECT_EQ(q2.complaints_received(), 0);
  const v1::QuarterSummary q4 =
      CounterBook::Summarize({2018, 4}, v1::SERVICE_AREA_UNSPECIFIED, counters);
  EXPECT_EQ(q4.complaints_received(), 1);
  EXPECT_EQ(q4.compliments_from_families(), 0);
  EXPECT_THAT(AdvocacyOf(q4), ElementsAre(Advocacy{v1::MEETING_CLA_REVIEW, 1, 1, 0, 0}));
}

TEST(CounterBook, SummarizeSkipsZeroCounters) {
  // Counters that went back to zero (a re-tagged or reopened item) are still stored.
  const CounterBook book = Book();
  Counters counters =
      book.OfFeedback(Item(v1::KIND_COMPLIMENT, v1::SOURCE_CHILD, v1::SERVICE_AREA_SOCIAL_CARE,
                           Utc(2018, 11, 20, 10), 4, {"compliment", "listened_to"}),
                      nullptr);
  AddInto(counters, book.OfReferral(Referral(v1::MEETING_CLA_REVIEW, v1::SERVICE_AREA_SOCIAL_CARE,
                                             Utc(2018, 11, 15, 10))));
  for (auto& [key, value] : counters) value = 0;
  AddInto(counters,
          book.OfFeedback(Item(v1::KIND_COMMENT, v1::SOURCE_FAMILY, v1::SERVICE_AREA_SOCIAL_CARE,
                               Utc(2018, 11, 21, 10), 0, {"comment"}),
                          nullptr));
  const v1::QuarterSummary summary =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_UNSPECIFIED, ListOf(counters));
  EXPECT_EQ(summary.compliments_from_children(), 0);
  EXPECT_EQ(summary.comments(), 1);
  EXPECT_THAT(summary.ratings(), IsEmpty());
  EXPECT_THAT(summary.advocacy(), IsEmpty());
  EXPECT_THAT(TagsOf(summary), ElementsAre(Pair("comment", 1)));
}

// Applies `after - before` in one committed operation.
absl::Status CommitDelta(storage::FeedbackStore& store, const Counters& before,
                         const Counters& after) {
  std::vector<storage::WriteOp> ops;
  ops.push_back([&before, &after](storage::Transaction& txn) {
    return ApplyCounterDelta(txn, before, after);
  });
  std::vector<absl::Status> results = store.Commit(std::move(ops));
  if (results.size() != 1) return absl::InternalError("Commit gave no result");
  return results[0];
}

Counters Stored(const storage::FeedbackStore& store, std::string_view prefix) {
  absl::StatusOr<CounterList> counters = store.ReadCounters(prefix);
  EXPECT_OK(counters);
  if (!counters.ok()) return {};
  return Counters(counters->begin(), counters->end());
}

// A new submission's counts go to the writer as one list of keys (Ledger::Submit); each key
// counts 1, so a key listed twice counts 2, and the list holds keys longer than a string keeps
// in place, however many.
TEST(CounterKeys, EachKeyAsAddedAndAKeyAddedTwiceCountsTwice) {
  CounterKeys keys;
  keys.Add("2018Q3/", 2, "/", "complaints_received");
  keys.Add(std::string("2018Q3/2/tag:"), "open");
  keys.Add("2018Q3/2/tag:open");
  for (int i = 0; i < 40; ++i) keys.Add("2018Q3/2/tag:a_theme_with_a_long_name_", i);
  ASSERT_EQ(keys.size(), 43u);
  EXPECT_EQ(keys[0], "2018Q3/2/complaints_received");
  EXPECT_EQ(keys[1], "2018Q3/2/tag:open");
  EXPECT_EQ(keys[42], "2018Q3/2/tag:a_theme_with_a_long_name_39");

  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
      storage::FeedbackStore::Open(storage::StoreOptions{.data_dir = dir.Sub("data")});
  ASSERT_OK(store);
  std::vector<storage::WriteOp> ops;
  ops.push_back([&keys](storage::Transaction& txn) { return AddCounts(txn, keys); });
  const std::vector<absl::Status> results = (*store)->Commit(std::move(ops));
  ASSERT_EQ(results.size(), 1u);
  ASSERT_OK(results[0]);
  const Counters stored = Stored(**store, "2018Q3/");
  EXPECT_EQ(stored.size(), 42u);
  EXPECT_EQ(ValueOf(stored, "2018Q3/2/complaints_received"), 1);
  EXPECT_EQ(ValueOf(stored, "2018Q3/2/tag:open"), 2);
  EXPECT_EQ(ValueOf(stored, "2018Q3/2/tag:a_theme_with_a_long_name_17"), 1);
}

// What a new item adds (its keys) is what its counters say, for an item with every kind of
// key: a kiosk answer's meeting figures, a rating, tags, and a complaint's decisions.
TEST(CounterBook, KeysOfAClosedComplaintFromAKioskAreItsCounters) {
  const ComplaintProcedure procedure = Procedure();
  v1::Complaint complaint = Closed(
      procedure, OpenComplaint(procedure, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2018, 11, 1, 10)),
      v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 15, 10));
  v1::Feedback& feedback = *complaint.mutable_feedback();
  feedback.set_submitter_role(v1::ROLE_KIOSK);
  feedback.set_rating(2);
  feedback.add_tags("listened_to");

  const CounterKeys keys = Book().KeysOfFeedback(feedback, &complaint);
  Counters listed;
  for (size_t i = 0; i < keys.size(); ++i) listed[std::string(keys[i])] += 1;
  const Counters counters = Book().OfFeedback(feedback, &complaint);
  EXPECT_EQ(listed, counters);
  const std::string kiosk = absl::StrCat("2018Q3/2/kiosk:", v1::MEETING_CLA_REVIEW, ":");
  EXPECT_EQ(ValueOf(counters, kiosk + "answered"), 1);
  EXPECT_EQ(ValueOf(counters, kiosk + "rating:2"), 1);
  EXPECT_EQ(ValueOf(counters, kiosk + "theme:listened_to"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/rating:2"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q3/2/tag:listened_to"), 1);
  EXPECT_EQ(ValueOf(counters, "2018Q4/2/complaints_upheld"), 1);
}

TEST(CounterDelta, StoresAfterMinusBefore) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
      storage::FeedbackStore::Open(storage::StoreOptions{.data_dir = dir.Sub("data")});
  ASSERT_OK(store);

  ASSERT_OK(CommitDelta(**store, {},
                        {{"2018Q3/2/complaints_received", 1},
                         {"2018Q3/2/tag:open", 3},
                         {"2018Q3/2/tag:stage_1", 2},
                         {"2018Q3/1/comments", 5}}));
  EXPECT_THAT(Stored(**store, "2018Q3/"),
              ElementsAre(Pair("2018Q3/1/comments", 5), Pair("2018Q3/2/complaints_received", 1),
                          Pair("2018Q3/2/tag:open", 3), Pair("2018Q3/2/tag:stage_1", 2)));

  // The same items again: open 3 -> 1, stage_1 2 -> 0, two newly closed, a Q4 outcome, and a
  // counter that only goes down.
  ASSERT_OK(CommitDelta(**store,
                        {{"2018Q3/2/complaints_received", 1},
                         {"2018Q3/2/tag:open", 3},
                         {"2018Q3/2/tag:stage_1", 2},
                         {"2018Q3/1/comments", 1}},
                        {{"2018Q3/2/complaints_received", 1},
                         {"2018Q3/2/tag:open", 1},
                         {"2018Q3/2/tag:closed", 2},
                         {"2018Q4/2/complaints_upheld", 1}}));
  const Counters q3 = Stored(**store, "2018Q3/");
  EXPECT_EQ(ValueOf(q3, "2018Q3/2/complaints_received"), 1);
  EXPECT_EQ(ValueOf(q3, "2018Q3/2/tag:open"), 1);
  EXPECT_EQ(ValueOf(q3, "2018Q3/2/tag:stage_1"), 0);
  EXPECT_EQ(ValueOf(q3, "2018Q3/2/tag:closed"), 2);
  EXPECT_EQ(ValueOf(q3, "2018Q3/1/comments"), 4);
  EXPECT_THAT(Stored(**store, "2018Q4/"), ElementsAre(Pair("2018Q4/2/complaints_upheld", 1)));

  // Back to nothing: every counter reaches zero, never below.
  ASSERT_OK(CommitDelta(**store,
                        {{"2018Q3/2/complaints_received", 1},
                         {"2018Q3/2/tag:open", 1},
                         {"2018Q3/2/tag:closed", 2},
                         {"2018Q3/1/comments", 4},
                         {"2018Q4/2/complaints_upheld", 1}},
                        {}));
  for (const auto& [key, value] : Stored(**store, "")) EXPECT_EQ(value, 0) << key;
}

TEST(CounterDelta, WithTheCountersOfAComplaintBeingClosed) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<storage::FeedbackStore>> store =
      storage::FeedbackStore::Open(storage::StoreOptions{.data_dir = dir.Sub("data")});
  ASSERT_OK(store);
  const CounterBook book = Book();
  const ComplaintProcedure procedure = Procedure();

  v1::Complaint opened =
      OpenComplaint(procedure, v1::SERVICE_AREA_SOCIAL_CARE, Utc(2018, 11, 1, 10));
  opened.mutable_feedback()->add_tags("open");
  const Counters before = book.OfFeedback(opened.feedback(), &opened);
  ASSERT_OK(CommitDelta(**store, {}, before));

  v1::Complaint closed =
      Closed(procedure, opened, v1::COMPLAINT_OUTCOME_UPHELD, Utc(2019, 1, 15, 10));
  closed.mutable_feedback()->clear_tags();
  closed.mutable_feedback()->add_tags("complaint");
  closed.mutable_feedback()->add_tags("closed");
  closed.mutable_feedback()->add_tags("upheld");
  ASSERT_OK(CommitDelta(**store, before, book.OfFeedback(closed.feedback(), &closed)));

  absl::StatusOr<CounterList> q3 = (*store)->ReadCounters(CounterBook::QuarterPrefix({2018, 3}));
  ASSERT_OK(q3);
  const v1::QuarterSummary q3_summary =
      CounterBook::Summarize({2018, 3}, v1::SERVICE_AREA_UNSPECIFIED, *q3);
  EXPECT_EQ(q3_summary.complaints_received(), 1);
  EXPECT_EQ(q3_summary.complaints_upheld(), 0);
  EXPECT_THAT(TagsOf(q3_summary),
              ElementsAre(Pair("closed", 1), Pair("complaint", 1), Pair("upheld", 1)));

  absl::StatusOr<CounterList> q4 = (*store)->ReadCounters(CounterBook::QuarterPrefix({2018, 4}));
  ASSERT_OK(q4);
  const v1::QuarterSummary q4_summary =
      CounterBook::Summarize({2018, 4}, v1::SERVICE_AREA_UNSPECIFIED, *q4);
  EXPECT_EQ(q4_summary.complaints_received(), 0);
  EXPECT_EQ(q4_summary.complaints_upheld(), 1);
  EXPECT_EQ(q4_summary.complaints_closed(), 1);
  EXPECT_EQ(q4_summary.complaints_closed_in_time(), 0);
}

}  // namespace counters_test
}  // namespace
}  // namespace feedback
