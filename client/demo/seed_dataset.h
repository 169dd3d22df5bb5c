// A realistic 2018-19 dataset, built through the public gRPC API, shaped after the division's
// Q3 (October-December 2018) quality assurance report: "26 complaints (7 upheld or partially
// upheld) and 31 compliments" from families, "4 compliments ... from partner agencies", and the
// advocacy pilot's "27 referrals (6 progressed)" for initial child protection conferences and
// "13 Referrals (9 progressed)" for children looked after, with the report's quotes, and its
// "112 audits" and "92 P.O.s" by division, and its chairs' oversight ("LAC reviews: 3%
// escalations, 88% no concerns, 8% commendations"; CP conferences 3% and 97%). Q2 and Q4
// carry smaller "noise" of every kind, and items sit on the quarter edges (local midnight in
// Europe/London):
//   2018-09-30T22:59:59Z  23:59:59 BST on 30 September   Q2
//   2018-09-30T23:30:00Z  00:30 BST on 1 October         Q3
//   2018-12-31T23:59:59Z  23:59:59 GMT on 31 December    Q3
//   2019-01-01T00:00:00Z  00:00 GMT on 1 January         Q4
//
// The generator writes the figures it intends from its own plan, where every item's quarter is
// written down next to its timestamp, never from the server's calendar. Attribution follows the
// project's rules (service/counters.h): an item counts in the quarter of its occurred_at; each
// complaint decision (an outcome, an escalation) in the quarter of that step's effective_at; an
// advocacy referral and its progress in the quarter of referred_at.
//
// One source for two users: the test suite (tests/support/seed_dataset.h, with the test
// server's per-role tokens) and `feedbackctl demo load` (client/demo/demo_load.h, with tokens it
// issues and revokes). Every call carries the token SeedCredentials gives for its role.
//
// Example:
//   absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(*stub, credentials);
//   v1::QuarterSummary want = seed->Planned(2018, 3);
#ifndef FEEDBACK_CLIENT_DEMO_SEED_DATASET_H_
#define FEEDBACK_CLIENT_DEMO_SEED_DATASET_H_

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "feedback/v1/feedback.grpc.pb.h"

namespace feedback::demo {

// The report's words. Children's statements are stored as child statements (source advocate,
// linked to a progressed referral); the others as compliments from families and partners.
inline constexpr std::array<std::string_view, 3> kChildStatementQuotes = {
    "I can actually speak, and people listen when the advocate is here.",
    "People at the meeting could actually hear what I think \xE2\x80\x93 I have been heard.",
    "I found it easier to write down my feelings and have my advocate say it for me at the "
    "meeting",
};
inline constexpr std::array<std::string_view, 3> kFamilyQuotes = {
    "Chairperson was fair and inclusive, and she challenged everyone involved to justify their "
    "comments and suggestions.",
    "feel that getting the safety plan a bit before has been a positive way today.",
    "What went well\xE2\x80\xA6\xE2\x80\xA6The plans to be made to keep baby safe in future and "
    "supported",
};
// The report counts 4 partner compliments but quotes 5 partner remarks: the first four are the
// compliments; the last is stored as a partner agency's rated comment (rating 5) in Q3.
inline constexpr std::array<std::string_view, 5> kPartnerQuotes = {
    "Clear plan drawn up addressing all concerns.",
    "All professionals consulted throughout, and their views listened to and taken into "
    "consideration.",
    "Considerable differences in the meeting \xE2\x80\x93 chair managed the meeting well",
    "Ensured parents and professional views were heard and respected throughout.",
    "Good, clear and thorough",
};

// One complaint as planned, in its final state.
struct PlannedComplaint {
  std::string id;
  int financial_year = 2018;
  int received_quarter = 0;  // quarter of occurred_at
  v1::ServiceArea service_area = v1::SERVICE_AREA_UNSPECIFIED;
  v1::ComplaintStage final_stage = v1::COMPLAINT_STAGE_1;
  v1::ComplaintOutcome final_outcome = v1::COMPLAINT_OUTCOME_UNSPECIFIED;  // unspecified: open
  int history_size = 1;  // "received" plus one per UpdateComplaint
  // Closed after its stage's due date (see GetComplaint's `overdue`); false while open.
  bool closed_late = false;
};

// What GenerateSeedDataset created. Copyable value.
struct SeedDataset {
  // Every stored feedback item, in submission order: what was sent, with the id the server gave
  // it (complaints as their last UpdateComplaint returned them).
  std::vector<v1::Feedback> feedback;
  std::vector<PlannedComplaint> complaints;
  // Every referral, as the server last returned it, in creation order.
  std::vector<v1::AdvocacyReferral> referrals;
  // Quote text (from the arrays above) -> stored item id.
  std::map<std::string, std::string, std::less<>> quote_ids;
  std::vector<std::string> child_statement_ids;
  // Every case-file audit and practice observation, as the server returned it.
  std::vector<v1::QualityCheck> quality_checks;
  // Every chair's oversight outcome, as the server returned it.
  std::vector<v1::ChairOversight> oversights;
  // The items on the quarter edges (see the file comment).
  std::string q2_last_second_id;    // 2018-09-30T22:59:59Z, Q2
  std::string q3_first_hour_id;     // 2018-09-30T23:30:00Z, Q3
  std::string q3_last_second_id;    // 2018-12-31T23:59:59Z, Q3
  std::string q4_first_instant_id;  // 2019-01-01T00:00:00Z, Q4
  // RPCs the generator made (all succeeded).
  int rpcs = 0;
  // Quotes approved (SeedOptions::approve_quotes).
  int quotes_approved = 0;

  // The planned figures of a quarter, restricted to `area` unless it is unspecified, in the
  // shape GetQuarterSummary returns: financial_year, quarter, service_area, every complaint
  // figure (closed in time by the plan's hand-worked due dates), compliment, comment and
  // child-statement counts, ratings (sorted by rating), advocacy (sorted by meeting, one
  // entry per meeting with referrals) and audits and observations (qa_activity, by activity and
  // division) and chairs' oversight (by meeting group). Not planned, so left unset: tags,
  // qa_themes, oversight_strengths, oversight_areas_for_development and previous_quarter.
  v1::QuarterSummary Planned(int financial_year, int quarter,
                             v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED) const;

  // Ids of the stored items whose text contains `word` as a whole word (ASCII letters and
  // digits, case-insensitive), e.g. "chair" but not "chairperson".
  std::vector<std::string> IdsWithWord(std::string_view word) const;

  // Ids of the complaints whose final state passes `keep`.
  template <typename Predicate>
  std::vector<std::string> ComplaintIds(Predicate keep) const {
    std::vector<std::string> ids;
    for (const PlannedComplaint& c : complaints) {
      if (keep(c)) ids.push_back(c.id);
    }
    return ids;
  }

  // (financial year, quarter, service area) -> planned figures in summary form, unsorted.
  // Filled by the generator; read through Planned().
  std::map<std::tuple<int, int, int>, v1::QuarterSummary> planned_by_area;
};

// Role -> bearer token: who the generator calls as. The generator asks for a role before each
// call (today every call is a qa_manager's: back-fills of old quarters are theirs); an error
// stops it and is returned as is.
class SeedCredentials {
 public:
  virtual ~SeedCredentials() = default;
  // The bearer token (the secret) to call as `role`.
  [[nodiscard]] virtual absl::StatusOr<std::string> TokenFor(v1::Role role) = 0;
};

// How GenerateSeedDataset runs. Plain value.
struct SeedOptions {
  // Called with a short line ("referrals 40/56") as each part of the plan is stored.
  // Default: none.
  std::function<void(std::string_view)> progress = nullptr;
  // Also approve every quote of the seed (ApproveQuote, the automatic redaction), as a QA
  // manager would before the report; the tests leave them candidates. Default: false.
  bool approve_quotes = false;
};

// Builds the dataset through `stub` (a fresh, empty server with the built-in lexicon and no
// advocacy eligibility limits; its channel must add no `authorization` of its own), one RPC at
// a time, each call carrying the token `credentials` gives for its role. Submission ids are
// random UUIDs; everything else (times, texts, ages, outcomes) is fixed. Returns the first
// failing RPC's status, naming the call and the item, or the credentials' error.
[[nodiscard]] absl::StatusOr<SeedDataset> GenerateSeedDataset(v1::FeedbackService::Stub& stub,
                                                              SeedCredentials& credentials,
                                                              const SeedOptions& options = {});

}  // namespace feedback::demo

#endif  // FEEDBACK_CLIENT_DEMO_SEED_DATASET_H_
