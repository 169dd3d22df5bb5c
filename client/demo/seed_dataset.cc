#include "client/demo/seed_dataset.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "proto/vocabulary/status_macros.h"

namespace feedback::demo {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kYear = 2018;  // every planned quarter is in financial year 2018-19

// --- The plan -------------------------------------------------------------------------------

// One UpdateComplaint: escalate to a stage, or close with an outcome, or extend.
struct Step {
  const char* at;  // effective_at
  int quarter;     // its quarter of 2018-19
  v1::ComplaintStage escalate_to = v1::COMPLAINT_STAGE_UNSPECIFIED;
  v1::ComplaintOutcome outcome = v1::COMPLAINT_OUTCOME_UNSPECIFIED;
  bool extend = false;
  // A closing after the stage's due date. Worked out by hand from the statutory working days
  // (stage 1: 10, extended 20; stage 2: 25) and England's bank holidays; the due day itself is
  // in time.
  bool late = false;
};

struct ComplaintPlan {
  const char* at;  // occurred_at
  int quarter;
  v1::ServiceArea area;
  std::vector<Step> steps;
  const char* text = nullptr;  // default: one of kComplaintTexts
};

constexpr auto kSc = v1::SERVICE_AREA_SOCIAL_CARE;
constexpr auto kEh = v1::SERVICE_AREA_EARLY_HELP;
constexpr auto kUpheld = v1::COMPLAINT_OUTCOME_UPHELD;
constexpr auto kPartly = v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD;
constexpr auto kNotUpheld = v1::COMPLAINT_OUTCOME_NOT_UPHELD;
constexpr auto kWithdrawn = v1::COMPLAINT_OUTCOME_WITHDRAWN;
constexpr auto kNone = v1::COMPLAINT_OUTCOME_UNSPECIFIED;
constexpr auto kStay = v1::COMPLAINT_STAGE_UNSPECIFIED;
constexpr auto kStage2 = v1::COMPLAINT_STAGE_2;
constexpr auto kStage3 = v1::COMPLAINT_STAGE_3;

Step Close(const char* at, int quarter, v1::ComplaintOutcome outcome) {
  return {at, quarter, kStay, outcome, false, false};
}
Step CloseLate(const char* at, int quarter, v1::ComplaintOutcome outcome) {
  return {at, quarter, kStay, outcome, false, true};
}
Step Escalate(const char* at, int quarter, v1::ComplaintStage stage) {
  return {at, quarter, stage, kNone, false, false};
}
// Escalates and records the new stage's outcome in one UpdateComplaint.
Step EscalateAndClose(const char* at, int quarter, v1::ComplaintStage stage,
                      v1::ComplaintOutcome outcome) {
  return {at, quarter, stage, outcome, false, false};
}
Step Extend(const char* at, int quarter) { return {at, quarter, kStay, kNone, true, false}; }

// 26 in Q3: 4 upheld and 3 partially upheld (7, all decided in Q3), 7 not upheld, 4 withdrawn
// (one at 23:59:59 GMT on 31 December, still Q3), 1 not upheld in January and 1 upheld at
// midnight on 1 January (both Q4 decisions), and 6 still open (4 at stage 1, one at stage 2, one
// at stage 3). Plus Q2 and Q4 noise; two Q2 complaints are decided in Q3, one of them at 00:30
// BST on 1 October.
std::vector<ComplaintPlan> Complaints() {
  return {
      // Q2 noise.
      {"2018-07-05T10:00:00Z", 2, kSc, {Close("2018-07-19T15:00:00Z", 2, kUpheld)}},
      {"2018-08-14T09:30:00Z", 2, kEh, {Close("2018-08-28T11:00:00Z", 2, kNotUpheld)}},
      {"2018-09-03T13:00:00Z", 2, kSc, {Close("2018-09-17T16:30:00Z", 2, kPartly)}},
      {"2018-09-20T08:45:00Z", 2, kSc, {Close("2018-10-03T10:00:00Z", 3, kWithdrawn)}},
      {"2018-09-25T14:10:00Z", 2, kEh, {Close("2018-09-30T23:30:00Z", 3, kNotUpheld)}},
      // Q3: upheld.
      {"2018-10-02T09:15:00Z", 3, kSc, {Close("2018-10-12T15:00:00Z", 3, kUpheld)}},
      {"2018-10-09T11:00:00Z", 3, kEh, {Close("2018-10-22T16:00:00Z", 3, kUpheld)}},
      {"2018-10-30T10:30:00Z",
       3,
       kSc,
       {Extend("2018-11-08T12:00:00Z", 3), Close("2018-11-26T14:00:00Z", 3, kUpheld)}},
      {"2018-11-05T14:00:00Z",
       3,
       kSc,
       {Escalate("2018-11-20T09:00:00Z", 3, kStage2), Close("2018-12-14T12:00:00Z", 3, kUpheld)}},
      // Q3: partially upheld (the last after a stage 1 "not upheld" and escalation).
      {"2018-10-15T10:00:00Z", 3, kEh, {Close("2018-10-26T15:30:00Z", 3, kPartly)}},
      {"2018-11-12T09:45:00Z", 3, kSc, {Close("2018-11-23T13:00:00Z", 3, kPartly)}},
      {"2018-10-04T13:20:00Z",
       3,
       kSc,
       {Close("2018-10-17T10:00:00Z", 3, kNotUpheld), Escalate("2018-10-25T09:30:00Z", 3, kStage2),
        CloseLate("2018-12-07T16:00:00Z", 3, kPartly)},
       "The chair would not let my partner finish speaking at the conference."},
      // Q3: not upheld (the last at stage 2 too).
      {"2018-10-01T08:30:00Z", 3, kSc, {Close("2018-10-11T14:00:00Z", 3, kNotUpheld)}},
      {"2018-10-18T15:40:00Z", 3, kEh, {Close("2018-10-31T10:15:00Z", 3, kNotUpheld)}},
      {"2018-11-01T10:05:00Z", 3, kSc, {Close("2018-11-14T11:45:00Z", 3, kNotUpheld)}},
      {"2018-11-19T12:30:00Z", 3, kEh, {Close("2018-11-30T09:00:00Z", 3, kNotUpheld)}},
      {"2018-11-27T09:00:00Z", 3, kSc, {Close("2018-12-10T15:00:00Z", 3, kNotUpheld)}},
      {"2018-12-03T11:20:00Z", 3, kSc, {Close("2018-12-17T16:45:00Z", 3, kNotUpheld)}},
      {"2018-10-08T10:10:00Z",
       3,
       kSc,
       {Close("2018-10-19T12:00:00Z", 3, kNotUpheld), Escalate("2018-11-01T09:00:00Z", 3, kStage2),
        CloseLate("2018-12-12T14:30:00Z", 3, kNotUpheld)}},
      // Q3: withdrawn.
      {"2018-10-22T13:00:00Z", 3, kEh, {Close("2018-10-29T10:00:00Z", 3, kWithdrawn)}},
      {"2018-11-07T09:50:00Z", 3, kSc, {Close("2018-11-09T11:00:00Z", 3, kWithdrawn)}},
      {"2018-12-05T14:15:00Z", 3, kSc, {Close("2018-12-11T10:30:00Z", 3, kWithdrawn)}},
      // Q3: received in December, decided in January (the outcome counts in Q4).
      {"2018-12-10T10:00:00Z", 3, kSc, {CloseLate("2019-01-09T15:00:00Z", 4, kNotUpheld)}},
      // Q3: still open.
      {"2018-10-24T11:30:00Z", 3, kSc, {}},
      {"2018-11-15T16:00:00Z", 3, kEh, {}},
      {"2018-12-06T09:10:00Z", 3, kSc, {Extend("2018-12-14T10:00:00Z", 3)}},
      {"2018-12-13T10:40:00Z", 3, kSc, {}},
      {"2018-12-20T15:25:00Z", 3, kEh, {Close("2019-01-01T00:00:00Z", 4, kUpheld)}},
      {"2018-12-28T12:00:00Z", 3, kSc, {Close("2018-12-31T23:59:59Z", 3, kWithdrawn)}},
      {"2018-11-09T09:00:00Z",
       3,
       kSc,
       {Close("2018-11-21T10:00:00Z", 3, kNotUpheld),
        Escalate("2018-11-30T09:30:00Z", 3, kStage2)}},
      {"2018-10-05T08:00:00Z",
       3,
       kSc,
       {Close("2018-10-16T09:00:00Z", 3, kNotUpheld), Escalate("2018-10-23T10:00:00Z", 3, kStage2),
        CloseLate("2018-11-29T15:00:00Z", 3, kNotUpheld),
        Escalate("2018-12-06T11:00:00Z", 3, kStage3)}},
      // Q4 noise.
      {"2019-01-08T09:30:00Z", 4, kSc, {Close("2019-01-22T14:00:00Z", 4, kUpheld)}},
      {"2019-02-04T11:00:00Z",
       4,
       kEh,
       {Close("2019-02-15T10:00:00Z", 4, kNotUpheld),
        EscalateAndClose("2019-03-01T10:00:00Z", 4, kStage2, kPartly)}},
      {"2019-02-18T10:20:00Z", 4, kSc, {Close("2019-03-04T16:00:00Z", 4, kNotUpheld)}},
      {"2019-03-11T13:45:00Z", 4, kEh, {Close("2019-03-15T09:15:00Z", 4, kWithdrawn)}},
  };
}

constexpr std::array<const char*, 8> kComplaintTexts = {
    "We were not told the date of the conference until the day before.",
    "The assessment has mistakes about our family history that were never corrected.",
    "Our social worker changed four times in six months.",
    "We asked for the minutes of the meeting and never received them.",
    "The early help worker missed two appointments without letting us know.",
    "The report was shared with the school before we had a chance to read it.",
    "Contact with our grandchildren was cancelled at short notice twice.",
    "Nobody explained why the plan changed after the core group meeting.",
};

// One item that is not a complaint.
struct ItemPlan {
  const char* at;
  int quarter;
  v1::Source source;
  v1::Kind kind;
  v1::Meeting meeting;
  v1::ServiceArea area;
  std::string text;
  int rating = 0;
  bool consent_to_quote = false;
};

constexpr std::array<const char*, 10> kFamilyComplimentTexts = {
    "Thank you for explaining what would happen at the meeting.",
    "The social worker returned my calls the same day.",
    "We felt supported by the family support worker.",
    "The review was well organised and started on time.",
    "The interpreter made it possible for us to take part properly.",
    "Our worker kept us informed between visits.",
    "Thank you for taking our worries about school seriously.",
    "The reports arrived in good time for us to read them.",
    "Staff were polite and patient with all our questions.",
    "The early help worker helped us set up a routine that works.",
};

// 26 dates in Q3 for the family compliments that are neither quotes nor edge items.
constexpr std::array<const char*, 26> kQ3ComplimentDates = {
    "2018-10-02T14:00:00Z", "2018-10-04T10:30:00Z", "2018-10-08T16:15:00Z", "2018-10-10T11:00:00Z",
    "2018-10-12T09:45:00Z", "2018-10-16T13:30:00Z", "2018-10-19T15:00:00Z", "2018-10-23T10:00:00Z",
    "2018-10-26T12:20:00Z", "2018-10-30T14:40:00Z", "2018-11-02T09:10:00Z", "2018-11-06T11:50:00Z",
    "2018-11-08T15:30:00Z", "2018-11-13T10:00:00Z", "2018-11-16T13:00:00Z", "2018-11-20T16:45:00Z",
    "2018-11-23T09:30:00Z", "2018-11-27T12:00:00Z", "2018-11-30T14:10:00Z", "2018-12-04T10:20:00Z",
    "2018-12-07T15:50:00Z", "2018-12-11T11:15:00Z", "2018-12-14T09:40:00Z", "2018-12-18T13:25:00Z",
    "2018-12-20T16:00:00Z", "2018-12-27T10:45:00Z",
};

constexpr v1::Meeting kIcpc = v1::MEETING_INITIAL_CP_CONFERENCE;
constexpr v1::Meeting kCla = v1::MEETING_CLA_REVIEW;

std::vector<ItemPlan> Items() {
  constexpr auto kFamily = v1::SOURCE_FAMILY;
  constexpr auto kPartner = v1::SOURCE_PARTNER_AGENCY;
  constexpr auto kChild = v1::SOURCE_CHILD;
  constexpr auto kCompliment = v1::KIND_COMPLIMENT;
  constexpr auto kComment = v1::KIND_COMMENT;
  constexpr auto kRcpc = v1::MEETING_REVIEW_CP_CONFERENCE;
  constexpr auto kCin = v1::MEETING_CIN_REVIEW;
  constexpr auto kEhr = v1::MEETING_EARLY_HELP_REVIEW;
  std::vector<ItemPlan> items = {
      // Q2 noise: 6 family compliments (one on the last second of Q2, one about the chair),
      // 2 partner, 1 child; 3 rated comments.
      {"2018-07-10T10:00:00Z", 2, kFamily, kCompliment, kRcpc, kSc,
       "The chair kept the review conference calm and on track."},
      {"2018-07-24T14:30:00Z", 2, kFamily, kCompliment, kEhr, kEh,
       "The early help worker helped us set up a routine that works."},
      {"2018-08-07T11:15:00Z", 2, kFamily, kCompliment, kCin, kSc,
       "Our worker kept us informed between visits."},
      {"2018-08-21T09:00:00Z", 2, kFamily, kCompliment, kIcpc, kSc,
       "Thank you for explaining what would happen at the meeting."},
      {"2018-09-12T15:45:00Z", 2, kFamily, kCompliment, kCla, kSc,
       "Staff were polite and patient with all our questions."},
      {"2018-09-30T22:59:59Z", 2, kFamily, kCompliment, kRcpc, kSc,
       "Thank you for sending the conference notes before the weekend."},
      {"2018-07-17T12:00:00Z", 2, kPartner, kCompliment, kIcpc, kSc,
       "The conference started on time and the report was shared in advance."},
      {"2018-09-05T10:30:00Z", 2, kPartner, kCompliment, kCin, kSc,
       "Good joint working with the school nurse throughout."},
      {"2018-08-15T16:00:00Z", 2, kChild, kCompliment, kCla, kSc,
       "My social worker helped me choose where to sit in my review."},
      {"2018-07-31T13:00:00Z", 2, kChild, kComment, kCla, kSc,
       "The room was too hot but people were nice.", 4},
      {"2018-08-29T10:10:00Z", 2, kFamily, kComment, kEhr, kEh,
       "The meeting was long and we did not get a break.", 2},
      {"2018-09-18T14:20:00Z", 2, kFamily, kComment, kCin, kSc, "", 5},
      // Q3: the first hour of Q3 (00:30 BST on 1 October) and the last second (GMT).
      {"2018-09-30T23:30:00Z", 3, kFamily, kCompliment, kIcpc, kSc,
       "Thank you for staying late to finish the conference paperwork with us."},
      {"2018-12-31T23:59:59Z", 3, kFamily, kCompliment, kCla, kSc,
       "Thank you for ringing us on New Year's Eve about the review."},
      // Q3: the family quotes.
      {"2018-10-17T11:00:00Z", 3, kFamily, kCompliment, kIcpc, kSc, std::string(kFamilyQuotes[0]),
       0, true},
      {"2018-11-14T15:30:00Z", 3, kFamily, kCompliment, kIcpc, kSc, std::string(kFamilyQuotes[1]),
       0, true},
      {"2018-12-05T12:00:00Z", 3, kFamily, kCompliment, kIcpc, kSc, std::string(kFamilyQuotes[2]),
       0, true},
      // Q3: the partner quotes: four compliments, and the fifth a rated comment.
      {"2018-10-11T10:00:00Z", 3, kPartner, kCompliment, kIcpc, kSc, std::string(kPartnerQuotes[0]),
       0, true},
      {"2018-10-25T14:00:00Z", 3, kPartner, kCompliment, kCla, kSc, std::string(kPartnerQuotes[1]),
       0, true},
      {"2018-11-21T11:30:00Z", 3, kPartner, kCompliment, kIcpc, kSc, std::string(kPartnerQuotes[2]),
       0, true},
      {"2018-12-12T09:45:00Z", 3, kPartner, kCompliment, kCla, kSc, std::string(kPartnerQuotes[3]),
       0, true},
      {"2018-12-19T16:10:00Z", 3, kPartner, kComment, kIcpc, kSc, std::string(kPartnerQuotes[4]), 5,
       true},
      // Q3: a child's compliment and two rated comments from children.
      {"2018-11-28T16:30:00Z", 3, kChild, kCompliment, kCla, kSc,
       "My advocate helped me get ready for my review."},
      {"2018-10-29T17:00:00Z", 3, kChild, kComment, kCla, kSc,
       "I liked that the review was at my school.", 4},
      {"2018-12-03T16:40:00Z", 3, kChild, kComment, kIcpc, kSc,
       "There were a lot of people I did not know.", 3},
      // Q4 noise: 5 family compliments (the first at midnight GMT on 1 January), 1 partner;
      // 2 rated comments.
      {"2019-01-01T00:00:00Z", 4, kFamily, kCompliment, kCla, kSc,
       "Thank you for the New Year visit, it meant a lot to the children."},
      {"2019-01-16T10:30:00Z", 4, kFamily, kCompliment, kEhr, kEh,
       "We felt supported by the family support worker."},
      {"2019-02-06T14:00:00Z", 4, kFamily, kCompliment, kIcpc, kSc,
       "The reports arrived in good time for us to read them."},
      {"2019-02-27T11:20:00Z", 4, kFamily, kCompliment, kCin, kSc,
       "The social worker returned my calls the same day."},
      {"2019-03-20T15:10:00Z", 4, kFamily, kCompliment, kRcpc, kSc,
       "Thank you for taking our worries about school seriously."},
      {"2019-03-07T09:00:00Z", 4, kPartner, kCompliment, kCla, kSc,
       "Thorough and well evidenced review paperwork."},
      {"2019-01-24T16:00:00Z", 4, kChild, kComment, kCla, kSc,
       "I got to say what I wanted about contact.", 5},
      {"2019-03-13T12:45:00Z", 4, kFamily, kComment, kEhr, kEh,
       "It was hard to find parking near the centre.", 3},
  };
  // Q3: 26 more family compliments; every fourth for early help.
  for (size_t i = 0; i < kQ3ComplimentDates.size(); ++i) {
    const bool early_help = i % 4 == 3;
    items.push_back({kQ3ComplimentDates[i], 3, kFamily, kCompliment,
                     early_help ? kEhr : (i % 2 == 0 ? kIcpc : kCla), early_help ? kEh : kSc,
                     kFamilyComplimentTexts[i % kFamilyComplimentTexts.size()]});
  }
  return items;
}

// Advocacy referrals: P progressed, D declined, N not progressed (with a reason), R left referred.
struct ReferralBatch {
  v1::Meeting meeting;
  int quarter;
  std::vector<const char*> dates;  // referred_at, one per referral
  std::string fates;               // one letter per referral
};

std::vector<ReferralBatch> Referrals() {
  return {
      // Q2 noise; the last ICPC referral at 23:30 BST on 30 September.
      {kIcpc,
       2,
       {"2018-07-09T10:00:00Z", "2018-08-02T11:30:00Z", "2018-08-23T09:15:00Z",
        "2018-09-13T14:00:00Z", "2018-09-30T22:30:00Z"},
       "PDNRP"},
      {kCla, 2, {"2018-07-19T10:00:00Z", "2018-08-16T13:00:00Z", "2018-09-06T15:30:00Z"}, "PRR"},
      // Q3, ICPC: 27 referrals, 6 progressed; the first at 00:45 BST on 1 October.
      {kIcpc,
       3,
       {"2018-09-30T23:45:00Z", "2018-10-03T10:00:00Z", "2018-10-05T14:30:00Z",
        "2018-10-08T09:00:00Z", "2018-10-10T11:15:00Z", "2018-10-12T15:45:00Z",
        "2018-10-16T10:30:00Z", "2018-10-18T13:00:00Z", "2018-10-22T09:20:00Z",
        "2018-10-24T16:00:00Z", "2018-10-29T10:10:00Z", "2018-10-31T14:50:00Z",
        "2018-11-02T11:00:00Z", "2018-11-06T09:30:00Z", "2018-11-08T15:15:00Z",
        "2018-11-12T10:45:00Z", "2018-11-15T13:30:00Z", "2018-11-19T09:00:00Z",
        "2018-11-22T14:20:00Z", "2018-11-26T11:40:00Z", "2018-11-29T16:10:00Z",
        "2018-12-03T10:00:00Z", "2018-12-06T12:30:00Z", "2018-12-10T09:45:00Z",
        "2018-12-13T15:00:00Z", "2018-12-18T11:20:00Z", "2018-12-21T10:05:00Z"},
       "PPDNDNPDNRDNPDNPRNDNPDNRNDR"},
      // Q3, CLA reviews: 13 referrals, 9 progressed.
      {kCla,
       3,
       {"2018-10-04T10:00:00Z", "2018-10-11T14:00:00Z", "2018-10-19T09:30:00Z",
        "2018-10-26T11:00:00Z", "2018-11-01T15:30:00Z", "2018-11-09T10:15:00Z",
        "2018-11-16T13:45:00Z", "2018-11-23T09:00:00Z", "2018-11-30T14:30:00Z",
        "2018-12-07T10:40:00Z", "2018-12-12T16:00:00Z", "2018-12-17T11:10:00Z",
        "2018-12-20T15:20:00Z"},
       "PPDPPNPPRPPDP"},
      // Q4 noise.
      {kIcpc,
       4,
       {"2019-01-10T10:00:00Z", "2019-02-05T11:30:00Z", "2019-02-21T14:00:00Z",
        "2019-03-14T09:45:00Z"},
       "PRDN"},
      {kCla, 4, {"2019-01-17T13:00:00Z", "2019-03-05T10:30:00Z"}, "PP"},
  };
}

// Case-file audits and practice observations: how many of each activity each division made in
// a quarter. Q3 is the report's: "112 audits across the division in Q3 • 31 in Early Help • 63 in
// social care • 18 in YOS" and "92 P.O.s ... • 24 in Early Help • 65 in social care • 3 in YOS".
struct QualityCheckBatch {
  v1::QaActivity activity;
  v1::ServiceArea division;
  int quarter;
  int count;
};

std::vector<QualityCheckBatch> QualityCheckBatches() {
  constexpr auto kAudit = v1::QA_ACTIVITY_CASE_FILE_AUDIT;
  constexpr auto kObservation = v1::QA_ACTIVITY_PRACTICE_OBSERVATION;
  constexpr auto kEh = v1::SERVICE_AREA_EARLY_HELP;
  constexpr auto kSocialCare = v1::SERVICE_AREA_SOCIAL_CARE;
  constexpr auto kYos = v1::SERVICE_AREA_YOUTH_OFFENDING;
  return {
      {kAudit, kEh, 2, 9},         {kAudit, kSocialCare, 2, 14},       {kObservation, kEh, 2, 4},
      {kAudit, kEh, 3, 31},        {kAudit, kSocialCare, 3, 63},       {kAudit, kYos, 3, 18},
      {kObservation, kEh, 3, 24},  {kObservation, kSocialCare, 3, 65}, {kObservation, kYos, 3, 3},
      {kAudit, kSocialCare, 4, 7}, {kObservation, kYos, 4, 2},
  };
}

// The i-th check of a batch: its grade (of every ten, one outstanding, six good, two requires
// improvement, one inadequate), whether it was moderated (every fifth), and its words, from the
// Q3 report's audit analysis.
v1::QaGrade GradeOf(int i) {
  switch (i % 10) {
    case 0:
      return v1::QA_GRADE_OUTSTANDING;
    case 7:
    case 8:
      return v1::QA_GRADE_REQUIRES_IMPROVEMENT;
    case 9:
      return v1::QA_GRADE_INADEQUATE;
    default:
      return v1::QA_GRADE_GOOD;
  }
}
constexpr std::array<const char*, 4> kAuditStrengths = {
    "Good evidence of partner agencies input into assessments",
    "Good evidence of management oversight",
    "Good focus on the child/young person, resulting in their wishes and feelings being recorded",
    "Evidence of the use of Signs of Safety",
};
constexpr std::array<const char*, 3> kAuditAreas = {
    "Assessment of parenting capacity",
    "The appropriateness of placements and contact arrangements",
    "Auditors need to identify areas where oversight practice can be improved",
};

// Independent chairs' oversight outcomes: how many of each outcome chairs recorded after one
// meeting type in a quarter (every one in social care). Q3 is the report's "QA through
// Independent Chairs": LAC reviews 2 escalations, 53 no concerns, 5 commendations of 60 (3%, 88%,
// 8%); CP conferences (initial and review) 1 escalation and 32 no concerns of 33 (3%, 97%).
struct OversightBatch {
  v1::Meeting meeting;
  v1::OversightOutcome outcome;
  int quarter;
  int count;
};

std::vector<OversightBatch> OversightBatches() {
  constexpr auto kCla = v1::MEETING_CLA_REVIEW;
  constexpr auto kIcpc = v1::MEETING_INITIAL_CP_CONFERENCE;
  constexpr auto kRcpc = v1::MEETING_REVIEW_CP_CONFERENCE;
  constexpr auto kEscalation = v1::OVERSIGHT_OUTCOME_ESCALATION;
  constexpr auto kNoConcerns = v1::OVERSIGHT_OUTCOME_NO_CONCERNS;
  constexpr auto kCommendation = v1::OVERSIGHT_OUTCOME_COMMENDATION;
  return {
      {kCla, kNoConcerns, 2, 2},  {kCla, kCommendation, 2, 1}, {kIcpc, kNoConcerns, 2, 1},
      {kCla, kEscalation, 3, 2},  {kCla, kNoConcerns, 3, 53},  {kCla, kCommendation, 3, 5},
      {kIcpc, kEscalation, 3, 1}, {kIcpc, kNoConcerns, 3, 14}, {kRcpc, kNoConcerns, 3, 18},
      {kRcpc, kEscalation, 4, 1}, {kCla, kNoConcerns, 4, 2},
  };
}

// The chairs' words, from the Q3 report's strengths and areas for development.
constexpr std::array<const char*, 3> kOversightStrengths = {
    "Good engagement with children resulting in incorporating their wishes into plans",
    "Consistent footprint of the chair driving the effectiveness of the plan",
    "Embedding Signs of Safety practice",
};
constexpr std::array<const char*, 3> kOversightAreas = {
    "Planning and preparation for conference",
    "A good understanding of what life is like for the child",
    "Allowing informed multi-agency decisions to be made",
};

constexpr std::array<const char*, 3> kNotProgressedReasons = {
    "conference rescheduled at short notice",
    "no advocate available before the meeting",
    "the family did not agree to advocacy",
};

// --- Bookkeeping ----------------------------------------------------------------------------

absl::StatusOr<google::protobuf::Timestamp> At(const char* rfc3339) {
  google::protobuf::Timestamp at;
  if (!TimeUtil::FromString(rfc3339, &at)) {
    return absl::InvalidArgumentError(absl::StrCat("seed plan: bad time ", rfc3339));
  }
  return at;
}

// Adds `count` referrals of children in `band` to `figures`, whose bands are the five of
// docs/disclosure.md, youngest first, once a meeting has a referral.
void AddAgeBand(v1::AdvocacyFigures& figures, const std::string& band, int64_t count) {
  if (figures.age_bands_size() == 0) {
    for (const char* name : {"0-4", "5-9", "10-15", "16-17", "18-25"}) {
      figures.add_age_bands()->set_band(name);
    }
  }
  for (v1::AgeBandCount& b : *figures.mutable_age_bands()) {
    if (b.band() == band) b.set_referrals(b.referrals() + count);
  }
}

void AddAdvocacy(v1::QuarterSummary& summary, v1::Meeting meeting, char fate, int child_age) {
  v1::AdvocacyFigures* figures = nullptr;
  for (v1::AdvocacyFigures& f : *summary.mutable_advocacy()) {
    if (f.meeting() == meeting) figures = &f;
  }
  if (figures == nullptr) {
    figures = summary.add_advocacy();
    figures->set_meeting(meeting);
  }
  figures->set_referrals(figures->referrals() + 1);
  // The pilot's children are 10 to 15: one band, "10-15".
  if (child_age >= 10 && child_age <= 15) AddAgeBand(*figures, "10-15", 1);
  if (fate == 'P') figures->set_progressed(figures->progressed() + 1);
  if (fate == 'D') figures->set_declined(figures->declined() + 1);
  if (fate == 'N') figures->set_not_progressed(figures->not_progressed() + 1);
}

void AddRating(v1::QuarterSummary& summary, int rating, int64_t count) {
  for (v1::RatingCount& r : *summary.mutable_ratings()) {
    if (r.rating() == rating) {
      r.set_count(r.count() + count);
      return;
    }
  }
  v1::RatingCount* r = summary.add_ratings();
  r->set_rating(rating);
  r->set_count(count);
}

void AddOutcome(v1::QuarterSummary& s, v1::ComplaintOutcome outcome) {
  s.set_complaints_closed(s.complaints_closed() + 1);
  switch (outcome) {
    case v1::COMPLAINT_OUTCOME_UPHELD:
      s.set_complaints_upheld(s.complaints_upheld() + 1);
      break;
    case v1::COMPLAINT_OUTCOME_PARTIALLY_UPHELD:
      s.set_complaints_partially_upheld(s.complaints_partially_upheld() + 1);
      break;
    case v1::COMPLAINT_OUTCOME_NOT_UPHELD:
      s.set_complaints_not_upheld(s.complaints_not_upheld() + 1);
      break;
    default:
      s.set_complaints_withdrawn(s.complaints_withdrawn() + 1);
  }
}

void AddQualityCheck(v1::QuarterSummary& s, const v1::QualityCheck& check) {
  v1::QaActivityFigures* figures = nullptr;
  for (v1::QaActivityFigures& existing : *s.mutable_qa_activity()) {
    if (existing.activity() == check.activity()) figures = &existing;
  }
  if (figures == nullptr) {
    figures = s.add_qa_activity();
    figures->set_activity(check.activity());
    figures->set_service_area(check.service_area());
    for (int grade = v1::QA_GRADE_OUTSTANDING; grade <= v1::QA_GRADE_INADEQUATE; ++grade) {
      figures->add_grades()->set_grade(static_cast<v1::QaGrade>(grade));
    }
  }
  figures->set_count(figures->count() + 1);
  if (check.moderated()) figures->set_moderated(figures->moderated() + 1);
  v1::QaGradeCount& grade = *figures->mutable_grades(check.grade() - v1::QA_GRADE_OUTSTANDING);
  grade.set_count(grade.count() + 1);
}

void AddOversight(v1::QuarterSummary& s, const v1::ChairOversight& oversight) {
  const v1::OversightGroup group = oversight.meeting() == v1::MEETING_CLA_REVIEW
                                       ? v1::OVERSIGHT_GROUP_LAC_REVIEWS
                                       : v1::OVERSIGHT_GROUP_CP_CONFERENCES;
  v1::OversightFigures* figures = nullptr;
  for (v1::OversightFigures& existing : *s.mutable_oversight()) {
    if (existing.group() == group) figures = &existing;
  }
  if (figures == nullptr) {
    figures = s.add_oversight();
    figures->set_group(group);
  }
  figures->set_count(figures->count() + 1);
  switch (oversight.outcome()) {
    case v1::OVERSIGHT_OUTCOME_ESCALATION:
      figures->set_escalations(figures->escalations() + 1);
      break;
    case v1::OVERSIGHT_OUTCOME_NO_CONCERNS:
      figures->set_no_concerns(figures->no_concerns() + 1);
      break;
    default:
      figures->set_commendations(figures->commendations() + 1);
  }
}

void AddItem(v1::QuarterSummary& s, const ItemPlan& item) {
  if (item.kind == v1::KIND_COMMENT) {
    s.set_comments(s.comments() + 1);
  } else if (item.kind == v1::KIND_CHILD_STATEMENT) {
    s.set_child_statements(s.child_statements() + 1);
  } else if (item.source == v1::SOURCE_FAMILY) {
    s.set_compliments_from_families(s.compliments_from_families() + 1);
  } else if (item.source == v1::SOURCE_PARTNER_AGENCY) {
    s.set_compliments_from_partners(s.compliments_from_partners() + 1);
  } else if (item.source == v1::SOURCE_CHILD) {
    s.set_compliments_from_children(s.compliments_from_children() + 1);
  } else {
    s.set_compliments_from_advocates(s.compliments_from_advocates() + 1);
  }
  if (item.rating > 0) AddRating(s, item.rating, 1);
}

// Who writes the plan: every item is of an old quarter, a back-fill, which a qa_manager may make
// for every record type (service/domain/access.cc), and only they approve quotes.
constexpr v1::Role kWriterRole = v1::ROLE_QA_MANAGER;

std::chrono::system_clock::time_point Deadline() {
  return std::chrono::system_clock::now() + std::chrono::seconds(30);
}

// Runs the plan; every RPC is checked.
class Seeder {
 public:
  Seeder(v1::FeedbackService::Stub& stub, SeedCredentials& credentials, const SeedOptions& options)
      : stub_(stub), credentials_(credentials), options_(options) {}

  absl::Status Run() {
    size_t referrals = 0;
    for (const ReferralBatch& batch : Referrals()) referrals += batch.dates.size();
    size_t done = 0;
    for (const ReferralBatch& batch : Referrals()) {
      for (size_t i = 0; i < batch.dates.size(); ++i) {
        RETURN_IF_ERROR(Refer(batch, i));
        ++done;
      }
      Progress("advocacy referrals", done, referrals);
    }
    const std::vector<ItemPlan> items = Items();
    for (const ItemPlan& item : items) RETURN_IF_ERROR(Item(item));
    RETURN_IF_ERROR(ChildStatements());
    Progress("compliments, comments and child statements", items.size() + 3, items.size() + 3);
    const std::vector<ComplaintPlan> complaints = Complaints();
    for (size_t i = 0; i < complaints.size(); ++i) {
      const ComplaintPlan& plan = complaints[i];
      RETURN_IF_ERROR(Complaint(
          plan, plan.text != nullptr ? plan.text : kComplaintTexts[i % kComplaintTexts.size()]));
    }
    Progress("complaints with their steps", complaints.size(), complaints.size());
    for (const QualityCheckBatch& batch : QualityCheckBatches()) {
      for (int i = 0; i < batch.count; ++i) RETURN_IF_ERROR(QualityCheck(batch, i));
    }
    Progress("case-file audits and practice observations", out_.quality_checks.size(),
             out_.quality_checks.size());
    for (const OversightBatch& batch : OversightBatches()) {
      for (int i = 0; i < batch.count; ++i) RETURN_IF_ERROR(Oversight(batch, i));
    }
    Progress("chairs' oversight outcomes", out_.oversights.size(), out_.oversights.size());
    if (options_.approve_quotes) {
      for (const auto& [text, id] : out_.quote_ids) RETURN_IF_ERROR(ApproveQuote(id));
      Progress("quotes approved", out_.quotes_approved, out_.quote_ids.size());
    }
    return absl::OkStatus();
  }

  absl::Status ApproveQuote(const std::string& id) {
    v1::ApproveQuoteRequest request;
    request.set_feedback_id(id);
    v1::Quote quote;
    grpc::ClientContext context;
    RETURN_IF_ERROR(Prepare(context, kWriterRole));
    ++out_.rpcs;
    const grpc::Status status = stub_.ApproveQuote(&context, request, &quote);
    if (!status.ok()) return Failed("ApproveQuote", id, status);
    ++out_.quotes_approved;
    return absl::OkStatus();
  }

  SeedDataset Take() && { return std::move(out_); }

 private:
  v1::QuarterSummary& Figures(int quarter, v1::ServiceArea area) {
    v1::QuarterSummary& s = out_.planned_by_area[{kYear, quarter, static_cast<int>(area)}];
    s.set_financial_year(kYear);
    s.set_quarter(quarter);
    return s;
  }

  static absl::Status Failed(const std::string& call, const std::string& what,
                             const grpc::Status& status) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("seed: ", call, " of ", what, ": ", status.error_message()));
  }

  absl::StatusOr<v1::Feedback> Submit(v1::Feedback feedback) {
    feedback.set_submission_id(client::NewSubmissionId());
    v1::SubmitFeedbackRequest request;
    *request.mutable_feedback() = feedback;
    v1::SubmitFeedbackResponse response;
    grpc::ClientContext context;
    RETURN_IF_ERROR(Prepare(context, kWriterRole));
    ++out_.rpcs;
    const grpc::Status status = stub_.SubmitFeedback(&context, request, &response);
    if (!status.ok())
      return Failed("SubmitFeedback", absl::StrCat("\"", feedback.text(), "\""), status);
    if (response.duplicate() || response.feedback().id().empty()) {
      return absl::InternalError(
          absl::StrCat("seed: SubmitFeedback of \"", feedback.text(), "\": not stored as new"));
    }
    // A submitter that may not read feedback back hears only the id: keep what was sent.
    feedback.set_id(response.feedback().id());
    return feedback;
  }

  absl::Status Item(const ItemPlan& plan) {
    v1::Feedback feedback;
    feedback.set_source(plan.source);
    feedback.set_kind(plan.kind);
    feedback.set_meeting(plan.meeting);
    feedback.set_service_area(plan.area);
    feedback.set_text(plan.text);
    feedback.set_rating(plan.rating);
    feedback.set_consent_to_quote(plan.consent_to_quote);
    ASSIGN_OR_RETURN(*feedback.mutable_occurred_at(), At(plan.at));
    ASSIGN_OR_RETURN(v1::Feedback stored, Submit(feedback));
    AddItem(Figures(plan.quarter, plan.area), plan);
    const std::string_view at = plan.at;
    if (at == "2018-09-30T22:59:59Z") out_.q2_last_second_id = stored.id();
    if (at == "2018-09-30T23:30:00Z") out_.q3_first_hour_id = stored.id();
    if (at == "2018-12-31T23:59:59Z") out_.q3_last_second_id = stored.id();
    if (at == "2019-01-01T00:00:00Z") out_.q4_first_instant_id = stored.id();
    if (plan.consent_to_quote) out_.quote_ids[plan.text] = stored.id();
    out_.feedback.push_back(std::move(stored));
    return absl::OkStatus();
  }

  absl::Status QualityCheck(const QualityCheckBatch& batch, int i) {
    v1::RecordQualityCheckRequest request;
    v1::QualityCheck& check = *request.mutable_check();
    check.set_submission_id(client::NewSubmissionId());
    check.set_activity(batch.activity);
    check.set_service_area(batch.division);
    check.set_grade(GradeOf(i));
    check.set_moderated(i % 5 == 0);
    check.set_strengths(kAuditStrengths[i % kAuditStrengths.size()]);
    if (check.grade() >= v1::QA_GRADE_REQUIRES_IMPROVEMENT) {
      check.set_areas_for_improvement(kAuditAreas[i % kAuditAreas.size()]);
    }
    // Mid-month, mid-morning UTC: well inside the quarter's first, second or third month.
    const int first_month = batch.quarter == 4 ? 1 : 3 * batch.quarter + 1;
    const int year = batch.quarter == 4 ? kYear + 1 : kYear;
    auto two_digits = [](int n) { return absl::StrCat(n < 10 ? "0" : "", n); };
    const std::string at = absl::StrCat(year, "-", two_digits(first_month + i % 3), "-",
                                        two_digits(2 + i % 26), "T10:00:00Z");
    ASSIGN_OR_RETURN(*check.mutable_occurred_at(), At(at.c_str()));
    v1::QualityCheck stored;
    grpc::ClientContext context;
    RETURN_IF_ERROR(Prepare(context, kWriterRole));
    ++out_.rpcs;
    const grpc::Status status = stub_.RecordQualityCheck(&context, request, &stored);
    if (!status.ok()) {
      return Failed("RecordQualityCheck", absl::StrCat("check ", i, " of a batch"), status);
    }
    AddQualityCheck(Figures(batch.quarter, batch.division), check);
    out_.quality_checks.push_back(std::move(stored));
    return absl::OkStatus();
  }

  absl::Status Oversight(const OversightBatch& batch, int i) {
    v1::RecordOversightRequest request;
    v1::ChairOversight& oversight = *request.mutable_oversight();
    oversight.set_submission_id(client::NewSubmissionId());
    oversight.set_meeting(batch.meeting);
    oversight.set_service_area(kSc);
    oversight.set_outcome(batch.outcome);
    // Every third has words: strengths, and (for an escalation always) areas for development.
    if (i % 3 == 0) oversight.set_strengths(kOversightStrengths[(i / 3) % 3]);
    if (i % 3 == 1 || batch.outcome == v1::OVERSIGHT_OUTCOME_ESCALATION) {
      oversight.set_areas_for_development(kOversightAreas[(i / 3) % 3]);
    }
    // Mid-month, early afternoon UTC: well inside the quarter's first, second or third month.
    const int first_month = batch.quarter == 4 ? 1 : 3 * batch.quarter + 1;
    const int year = batch.quarter == 4 ? kYear + 1 : kYear;
    auto two_digits = [](int n) { return absl::StrCat(n < 10 ? "0" : "", n); };
    const std::string at = absl::StrCat(year, "-", two_digits(first_month + i % 3), "-",
                                        two_digits(3 + i % 25), "T13:00:00Z");
    ASSIGN_OR_RETURN(*oversight.mutable_occurred_at(), At(at.c_str()));
    v1::ChairOversight stored;
    grpc::ClientContext context;
    RETURN_IF_ERROR(Prepare(context, kWriterRole));
    ++out_.rpcs;
    const grpc::Status status = stub_.RecordOversight(&context, request, &stored);
    if (!status.ok()) {
      return Failed("RecordOversight", absl::StrCat("outcome ", i, " of a batch"), status);
    }
    AddOversight(Figures(batch.quarter, kSc), oversight);
    out_.oversights.push_back(std::move(stored));
    return absl::OkStatus();
  }

  absl::Status Refer(const ReferralBatch& batch, size_t i) {
    v1::CreateAdvocacyReferralRequest request;
    request.set_submission_id(client::NewSubmissionId());
    request.set_meeting(batch.meeting);
    const int child_age = 10 + static_cast<int>(i % 6);  // the pilot's ages, 10-15
    request.set_child_age(child_age);
    request.set_within_city_boundary(true);
    request.set_service_area(kSc);
    ASSIGN_OR_RETURN(*request.mutable_referred_at(), At(batch.dates[i]));
    const std::string what =
        absl::StrCat(v1::Meeting_Name(batch.meeting), " referral at ", batch.dates[i]);
    v1::AdvocacyReferral referral;
    {
      grpc::ClientContext context;
      RETURN_IF_ERROR(Prepare(context, kWriterRole));
      ++out_.rpcs;
      const grpc::Status status = stub_.CreateAdvocacyReferral(&context, request, &referral);
      if (!status.ok()) return Failed("CreateAdvocacyReferral", what, status);
    }
    const char fate = batch.fates.at(i);
    if (fate != 'R') {
      v1::UpdateAdvocacyReferralRequest update;
      update.set_id(referral.id());
      update.set_status(fate == 'P'   ? v1::ADVOCACY_STATUS_PROGRESSED
                        : fate == 'D' ? v1::ADVOCACY_STATUS_DECLINED
                                      : v1::ADVOCACY_STATUS_NOT_PROGRESSED);
      if (fate == 'D') update.set_reason("the young person chose to speak for themselves");
      if (fate == 'N') update.set_reason(kNotProgressedReasons[i % kNotProgressedReasons.size()]);
      grpc::ClientContext context;
      RETURN_IF_ERROR(Prepare(context, kWriterRole));
      ++out_.rpcs;
      const grpc::Status status = stub_.UpdateAdvocacyReferral(&context, update, &referral);
      if (!status.ok()) return Failed("UpdateAdvocacyReferral", what, status);
    }
    AddAdvocacy(Figures(batch.quarter, kSc), batch.meeting, fate, child_age);
    out_.referrals.push_back(std::move(referral));
    return absl::OkStatus();
  }

  // The children's quotes, each given for a progressed Q3 referral (two ICPC, one CLA review),
  // a few days after it was made.
  absl::Status ChildStatements() {
    struct Statement {
      v1::Meeting meeting;
      const char* referred_at;  // of the referral it was given for
      const char* at;
    };
    constexpr std::array<Statement, 3> kStatements = {{
        {kIcpc, "2018-10-03T10:00:00Z", "2018-10-09T14:00:00Z"},
        {kIcpc, "2018-10-16T10:30:00Z", "2018-10-23T11:00:00Z"},
        {kCla, "2018-10-11T14:00:00Z", "2018-10-18T15:30:00Z"},
    }};
    for (size_t i = 0; i < kStatements.size(); ++i) {
      const Statement& s = kStatements[i];
      ASSIGN_OR_RETURN(const google::protobuf::Timestamp referred_at, At(s.referred_at));
      const v1::AdvocacyReferral* referral = nullptr;
      for (const v1::AdvocacyReferral& r : out_.referrals) {
        if (r.meeting() == s.meeting && r.referred_at() == referred_at &&
            r.status() == v1::ADVOCACY_STATUS_PROGRESSED) {
          referral = &r;
        }
      }
      if (referral == nullptr) {
        return absl::InternalError(
            absl::StrCat("seed plan: no progressed referral at ", s.referred_at));
      }
      ItemPlan plan{s.at,
                    3,
                    v1::SOURCE_ADVOCATE,
                    v1::KIND_CHILD_STATEMENT,
                    s.meeting,
                    kSc,
                    std::string(kChildStatementQuotes[i]),
                    0,
                    true};
      v1::Feedback feedback;
      feedback.set_source(plan.source);
      feedback.set_kind(plan.kind);
      feedback.set_meeting(plan.meeting);
      feedback.set_service_area(plan.area);
      feedback.set_text(plan.text);
      feedback.set_consent_to_quote(true);
      feedback.set_child_confirmed(true);
      feedback.set_advocacy_referral_id(referral->id());
      ASSIGN_OR_RETURN(*feedback.mutable_occurred_at(), At(plan.at));
      ASSIGN_OR_RETURN(v1::Feedback stored, Submit(feedback));
      AddItem(Figures(plan.quarter, plan.area), plan);
      out_.quote_ids[plan.text] = stored.id();
      out_.child_statement_ids.push_back(stored.id());
      out_.feedback.push_back(std::move(stored));
    }
    return absl::OkStatus();
  }

  absl::Status Complaint(const ComplaintPlan& plan, const char* text) {
    v1::Feedback feedback;
    feedback.set_source(v1::SOURCE_FAMILY);
    feedback.set_kind(v1::KIND_COMPLAINT);
    feedback.set_meeting(plan.area == kEh ? v1::MEETING_EARLY_HELP_REVIEW : kIcpc);
    feedback.set_service_area(plan.area);
    feedback.set_text(text);
    ASSIGN_OR_RETURN(*feedback.mutable_occurred_at(), At(plan.at));
    ASSIGN_OR_RETURN(v1::Feedback stored, Submit(feedback));
    v1::QuarterSummary& received = Figures(plan.quarter, plan.area);
    received.set_complaints_received(received.complaints_received() + 1);

    PlannedComplaint planned;
    planned.id = stored.id();
    planned.received_quarter = plan.quarter;
    planned.service_area = plan.area;
    for (const Step& step : plan.steps) {
      v1::UpdateComplaintRequest update;
      update.set_id(stored.id());
      update.set_stage(step.escalate_to);
      update.set_outcome(step.outcome);
      update.set_extend(step.extend);
      update.set_actor("complaints-officer");
      update.set_note(absl::StrCat("seed step at ", step.at));
      ASSIGN_OR_RETURN(*update.mutable_effective_at(), At(step.at));
      grpc::ClientContext context;
      RETURN_IF_ERROR(Prepare(context, kWriterRole));
      ++out_.rpcs;
      const grpc::Status status = stub_.UpdateComplaint(&context, update, &stored);
      if (!status.ok()) {
        return Failed("UpdateComplaint", absl::StrCat("complaint of ", plan.at, " at ", step.at),
                      status);
      }
      v1::QuarterSummary& decided = Figures(step.quarter, plan.area);
      if (step.escalate_to != kStay) {
        planned.final_stage = step.escalate_to;
        planned.final_outcome = kNone;
        planned.closed_late = false;
        if (step.escalate_to == kStage2) {
          decided.set_complaints_escalated_stage_2(decided.complaints_escalated_stage_2() + 1);
        } else {
          decided.set_complaints_escalated_stage_3(decided.complaints_escalated_stage_3() + 1);
        }
      }
      if (step.outcome != kNone) {
        planned.final_outcome = step.outcome;
        planned.closed_late = step.late;
        AddOutcome(decided, step.outcome);
        if (!step.late) {
          decided.set_complaints_closed_in_time(decided.complaints_closed_in_time() + 1);
        }
      }
      ++planned.history_size;
    }
    out_.complaints.push_back(std::move(planned));
    out_.feedback.push_back(std::move(stored));
    return absl::OkStatus();
  }

  // A call's deadline, and the token of `role` as its `authorization`.
  absl::Status Prepare(grpc::ClientContext& context, v1::Role role) {
    context.set_deadline(Deadline());
    ASSIGN_OR_RETURN(const std::string token, credentials_.TokenFor(role));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    return absl::OkStatus();
  }

  void Progress(std::string_view what, size_t done, size_t total) {
    if (options_.progress)
      options_.progress(absl::StrCat(std::string(what), " ", done, "/", total));
  }

  v1::FeedbackService::Stub& stub_;
  SeedCredentials& credentials_;
  const SeedOptions& options_;
  SeedDataset out_;
};

}  // namespace

v1::QuarterSummary SeedDataset::Planned(int financial_year, int quarter,
                                        v1::ServiceArea area) const {
  v1::QuarterSummary sum;
  sum.set_financial_year(financial_year);
  sum.set_quarter(quarter);
  sum.set_service_area(area);
  for (const auto& [key, figures] : planned_by_area) {
    const auto& [year, q, key_area] = key;
    if (year != financial_year || q != quarter) continue;
    if (area != v1::SERVICE_AREA_UNSPECIFIED && key_area != area) continue;
    v1::QuarterSummary part = figures;
    part.clear_financial_year();
    part.clear_quarter();
    part.clear_service_area();
    part.clear_advocacy();
    part.clear_ratings();
    part.clear_oversight();
    // Scalars add field by field; repeated figures merge by meeting and by rating.
    const google::protobuf::Reflection* reflection = sum.GetReflection();
    const google::protobuf::Descriptor* descriptor = sum.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = descriptor->field(i);
      if (field->is_repeated() ||
          field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
        continue;
      }
      reflection->SetInt64(&sum, field,
                           reflection->GetInt64(sum, field) + reflection->GetInt64(part, field));
    }
    for (const v1::AdvocacyFigures& a : figures.advocacy()) {
      v1::AdvocacyFigures* into = nullptr;
      for (v1::AdvocacyFigures& existing : *sum.mutable_advocacy()) {
        if (existing.meeting() == a.meeting()) into = &existing;
      }
      if (into == nullptr) {
        into = sum.add_advocacy();
        into->set_meeting(a.meeting());
      }
      into->set_referrals(into->referrals() + a.referrals());
      into->set_progressed(into->progressed() + a.progressed());
      into->set_declined(into->declined() + a.declined());
      into->set_not_progressed(into->not_progressed() + a.not_progressed());
      for (const v1::AgeBandCount& band : a.age_bands()) {
        AddAgeBand(*into, band.band(), band.referrals());
      }
    }
    for (const v1::RatingCount& r : figures.ratings()) AddRating(sum, r.rating(), r.count());
    // Each division's own entries: a (activity, division) pair is in one part only.
    for (const v1::QaActivityFigures& qa : figures.qa_activity()) *sum.add_qa_activity() = qa;
    for (const v1::OversightFigures& o : figures.oversight()) {
      v1::OversightFigures* into = nullptr;
      for (v1::OversightFigures& existing : *sum.mutable_oversight()) {
        if (existing.group() == o.group()) into = &existing;
      }
      if (into == nullptr) {
        into = sum.add_oversight();
        into->set_group(o.group());
      }
      into->set_count(into->count() + o.count());
      into->set_escalations(into->escalations() + o.escalations());
      into->set_no_concerns(into->no_concerns() + o.no_concerns());
      into->set_commendations(into->commendations() + o.commendations());
    }
  }
  std::sort(sum.mutable_oversight()->begin(), sum.mutable_oversight()->end(),
            [](const v1::OversightFigures& a, const v1::OversightFigures& b) {
              return a.group() < b.group();
            });
  std::sort(sum.mutable_qa_activity()->begin(), sum.mutable_qa_activity()->end(),
            [](const v1::QaActivityFigures& a, const v1::QaActivityFigures& b) {
              return std::pair(a.activity(), a.service_area()) <
                     std::pair(b.activity(), b.service_area());
            });
  std::sort(sum.mutable_advocacy()->begin(), sum.mutable_advocacy()->end(),
            [](const v1::AdvocacyFigures& a, const v1::AdvocacyFigures& b) {
              return a.meeting() < b.meeting();
            });
  std::sort(
      sum.mutable_ratings()->begin(), sum.mutable_ratings()->end(),
      [](const v1::RatingCount& a, const v1::RatingCount& b) { return a.rating() < b.rating(); });
  return sum;
}

std::vector<std::string> SeedDataset::IdsWithWord(std::string_view word) const {
  const std::string wanted = absl::AsciiStrToLower(std::string(word));
  std::vector<std::string> ids;
  for (const v1::Feedback& item : feedback) {
    std::string current;
    bool found = false;
    for (const char c : item.text() + " ") {
      if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
        current.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
        continue;
      }
      if (current == wanted) found = true;
      current.clear();
    }
    if (found) ids.push_back(item.id());
  }
  return ids;
}

absl::StatusOr<SeedDataset> GenerateSeedDataset(v1::FeedbackService::Stub& stub,
                                                SeedCredentials& credentials,
                                                const SeedOptions& options) {
  Seeder seeder(stub, credentials, options);
  RETURN_IF_ERROR(seeder.Run());
  return std::move(seeder).Take();
}

}  // namespace feedback::demo
