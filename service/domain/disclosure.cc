#include "service/domain/disclosure.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace feedback {
namespace {

constexpr std::string_view kAll = "all";
constexpr std::string_view kAgeBandFigure = "advocacy.age_band";
constexpr std::string_view kKioskAnsweredFigure = "kiosk.answered";
constexpr std::string_view kKioskRatingsFigure = "kiosk.ratings";
constexpr std::string_view kKioskThemesFigure = "kiosk.themes";
constexpr std::string_view kQaCountFigure = "qa.count";
constexpr std::string_view kQaModeratedFigure = "qa.moderated";
constexpr std::string_view kQaGradesFigure = "qa.grades";
constexpr std::string_view kQaThemesFigure = "qa.themes";
constexpr std::string_view kOversightCountFigure = "oversight.count";
constexpr std::string_view kOversightOutcomesFigure = "oversight.outcomes";
constexpr std::string_view kOversightThemesFigure = "oversight.themes";

// The QuarterSummary int64 fields that are published counts, with the figure each belongs to.
struct ScalarFigure {
  std::string_view field;
  std::string_view figure;
};
constexpr ScalarFigure kScalarFigures[] = {
    {"complaints_received", "complaints.received"},
    {"complaints_upheld", "complaints.outcomes"},
    {"complaints_partially_upheld", "complaints.outcomes"},
    {"complaints_not_upheld", "complaints.outcomes"},
    {"complaints_withdrawn", "complaints.outcomes"},
    {"complaints_closed", "complaints.closed"},
    {"complaints_closed_in_time", "complaints.closed"},
    {"complaints_escalated_stage_2", "complaints.escalated"},
    {"complaints_escalated_stage_3", "complaints.escalated"},
    {"compliments_from_families", "compliments.by_source"},
    {"compliments_from_partners", "compliments.by_source"},
    {"compliments_from_children", "compliments.by_source"},
    {"compliments_from_advocates", "compliments.by_source"},
    {"comments", "comments"},
    {"child_statements", "child_statements"},
};

// Tag counts that repeat a figure published elsewhere in the summary (a kind, an outcome, a
// stage): each is controlled by that figure's policy, or it would give the withheld value away.
std::string_view FigureOfTag(std::string_view tag) {
  static constexpr std::pair<std::string_view, std::string_view> kMirrors[] = {
      {"complaint", "complaints.received"},
      {"compliment", "compliments.by_source"},
      {"comment", "comments"},
      {"child_statement", "child_statements"},
      {"upheld", "complaints.outcomes"},
      {"partially_upheld", "complaints.outcomes"},
      {"not_upheld", "complaints.outcomes"},
      {"withdrawn", "complaints.outcomes"},
      {"open", "complaints.closed"},
      {"closed", "complaints.closed"},
      {"stage_1", "complaints.escalated"},
      {"stage_2", "complaints.escalated"},
      {"stage_3", "complaints.escalated"},
  };
  for (const auto& [mirror, figure] : kMirrors) {
    if (tag == mirror) return figure;
  }
  return "tags";
}

// Secondary suppression, and why it keeps every withheld cell unknowable
// ======================================================================
//
// The guarantee. A reader knows the policy, these rules (this file), every published count of
// every summary, and how the counts of a quarter relate: the members of a group sum to its
// total (the ratings: to the number of rated items, taken as known), a meeting's decisions are
// at most its referrals, complaints closed in time at most the complaints closed, a kind count
// equals its tag, and the complaint tags split the complaints by state and by stage, the closed
// ones by outcome. For every withheld cell, at least two values are consistent with all of that:
// no withheld count can be pinned, to 1..5 or to anything else.
//
// The rules, applied until nothing changes (Control), after primary suppression:
//   M. A kind count and its tag are withheld together (the same count, published twice).
//   G. In a group with a withheld member or a withheld total (Protect):
//      * if the policy shows the members' figure, every non-zero member is withheld;
//      * otherwise, if the total is withheld, every zero member is withheld; and until the
//        withheld members hold at least two different counts, Protect withholds
//          1. every member that has the smallest non-zero count still shown; failing that,
//          2. every zero member; failing that,
//          3. the total.
//   B. A withheld complaints_closed withholds a non-zero complaints_closed_in_time.
//   K. The complaint tags are withheld all together, zeros included, once one of them or the
//      "complaint" tag is, and whenever there are 1 to 5 complaints and the policy suppresses a
//      figure that one of the tags follows (so that the split cannot decide it).
//   T. A meeting's kiosk themes are each at most its kiosk answers: a withheld answer count
//      withholds every non-zero theme of its meeting. Likewise a division's moderated checks
//      are at most its checks, each of an activity's QA themes at most its checks in every
//      division, and each chairs' theme at most the outcomes of every meeting group: a withheld
//      bound withholds every non-zero cell it bounds.
//
// Why members of a suppressed figure stay unknowable. Say a dataset D is published as P, and
// let W be the withheld members of a group g whose figure the policy suppresses. Let D' be D
// with the counts of two members i and j of W swapped. D' is published as P too:
//   * primary suppression withholds j in D' exactly when it withholds i in D: a group's members
//     belong to one figure (the three decision figures count as one, see Suppresses), and the
//     counts moved with them;
//   * every step of G depends on the counts of g's members only as a multiset, and on which of
//     them are withheld: it withholds *every* member with the chosen count, never "the first"
//     of equal cells (which would tell a reader where a count sits), or every zero, or the
//     total; D and D' have the same multiset and agree everywhere else, so each step withholds
//     the same cells in D' as in D with i and j exchanged, and i and j end up withheld in both;
//   * nothing outside g sees i or j: no member of g is in another group or a total, and g's
//     total is the same in D and D'.
// So each withheld member can hold the count of any other withheld member of its group, as far
// as any reader can tell, and G makes those counts differ: every withheld member has at least
// two possible values. This holds whatever the reader guesses about which cells were withheld
// first, and whether the total is shown or not.
//
// The other withheld cells move by shifting a count rather than swapping it, and nothing here
// proves that every such shift is published the same; the intruder test checks them, and the
// swaps above, exhaustively within a range, over the examples and over a thousand random
// quarters and policies (tests/unit/disclosure_intruder_test.cc). The rules that keep shifts
// possible:
//   * members of a shown figure are withheld only to hide a total; all the non-zero ones go, so
//     no shown member bounds a withheld one, and a unit can move between two withheld members or
//     between a member and the total without any rule noticing (only "zero or not" matters);
//   * a withheld total brings its zero members along, so its sum can move by one (a zero
//     member could be a one), and rule 3 withholds the total when the members alone cannot
//     differ;
//   * rule B keeps a shown count from bounding a withheld total from below, and the decisions
//     group does the same for the referrals;
//   * the complaint tags nest (the "closed" tag is a member of the state split and the total of
//     the outcome split), so a swap inside one split would break the other; K withholds them as
//     a block, within which any shift that keeps the splits' sums is published the same.
//   * a meeting's kiosk ratings are a group bounded by its kiosk answers, like its decisions by
//     its referrals. Each of its kiosk themes is bounded by the answers too, on its own (an
//     answer has several themes): a withheld theme (1..5) has a second value below the answers
//     when they are shown and at least 2; kiosk.answered is therefore suppressed whenever
//     kiosk.themes is (see Suppresses), so shown answers are 0 or at least 6; and a withheld
//     answer count takes every non-zero theme with it (T), so no shown theme bounds it from
//     below and a theme can move with it.
//   * the same holds of a division's moderated QA checks and of the QA and chairs' themes,
//     bounded by the sum of several counts: qa.count is suppressed whenever qa.moderated or
//     qa.themes is, and oversight.count whenever oversight.themes is, so a shown bound is 0 or
//     at least 6, and any withheld bound takes every non-zero cell it bounds with it.
//
// Limits (docs/disclosure.md): the number of items (the kind counts together) is at least the
// rated items and at least each theme tag's count, and these bounds are not protected: shown
// ratings can pin a withheld kind count. Summaries of different service areas are controlled
// one at a time.

// The tags that split the quarter's complaints (service/complaints.cc, ComplaintTags): each
// complaint has one state tag and one stage tag, and a closed one one outcome tag.
constexpr std::string_view kStateTags[] = {"open", "closed"};
constexpr std::string_view kStageTags[] = {"stage_1", "stage_2", "stage_3"};
constexpr std::string_view kOutcomeTags[] = {"upheld", "partially_upheld", "not_upheld",
                                             "withdrawn"};
constexpr int kFirstRating = 1;
constexpr int kLastRating = 5;

// The figures of a meeting's decisions on its referrals. They share one bound, the referrals,
// and form one group (Collect), so they are suppressed together: with one of them suppressed,
// a count of 1 to 5 in any of them is withheld.
constexpr std::string_view kDecisionFigures[] = {"advocacy.progressed", "advocacy.declined",
                                                 "advocacy.not_progressed"};

bool Suppresses(const DisclosurePolicy& policy, std::string_view figure) {
  // A theme is at most its meeting's answers: with answers of 1 shown, a withheld theme would
  // be 1. So the answers are suppressed with the themes.
  if (figure == kKioskAnsweredFigure) {
    return policy.Suppresses(kKioskAnsweredFigure) || policy.Suppresses(kKioskThemesFigure);
  }
  // Likewise a division's checks bound its moderated ones and, with the other divisions', an
  // activity's themes; and the meeting groups' outcomes bound the chairs' themes.
  if (figure == kQaCountFigure) {
    return policy.Suppresses(kQaCountFigure) || policy.Suppresses(kQaModeratedFigure) ||
           policy.Suppresses(kQaThemesFigure);
  }
  if (figure == kOversightCountFigure) {
    return policy.Suppresses(kOversightCountFigure) || policy.Suppresses(kOversightThemesFigure);
  }
  if (std::find(std::begin(kDecisionFigures), std::end(kDecisionFigures), figure) !=
      std::end(kDecisionFigures)) {
    return std::any_of(std::begin(kDecisionFigures), std::end(kDecisionFigures),
                       [&policy](std::string_view f) { return policy.Suppresses(f); });
  }
  return policy.Suppresses(figure);
}

// One published count of a summary.
struct Cell {
  std::string name;         // as listed in QuarterSummary.suppressed
  std::string_view figure;  // the policy figure it belongs to
  int64_t value = 0;
  std::function<void()> clear;  // sets the count in the summary to 0
  bool withheld = false;
  bool suppressed_figure = false;  // the policy suppresses `figure` (see Suppresses)
  bool is_total = false;           // the total of some group
};

// Cells that sum to a total, all of one figure. `total` is a cell index, or none when the total
// is not a cell of the summary (the ratings: the number of rated items is not published, but
// the number of items bounds it, so the group is protected as if its total were shown). A
// meeting's decisions are a group too: they sum to at most its referrals.
struct Group {
  std::optional<size_t> total;
  std::vector<size_t> members;
};

// Cells each at most the sum of `totals` (one member can reach it, the others too: an item has
// several themes), with no other relation among them.
struct Bound {
  std::vector<size_t> totals;
  std::vector<size_t> members;
};

// Everything Control works on: every published count of a summary, the groups they form, the
// complaint tags (rule K), complaints closed in time within complaints closed (rule B), and the
// kind counts with their tags (rule M).
struct Table {
  std::vector<Cell> cells;
  std::vector<Group> groups;
  Group complaint_tags;  // the state, stage and outcome tags; total: the "complaint" tag
  std::optional<std::pair<size_t, size_t>> closed_in_time;  // {closed, in time}
  std::vector<std::pair<size_t, size_t>> mirrors;
  // Rule T: cells each at most the sum of some totals: each meeting's kiosk themes, each at
  // most its kiosk answers; a division's moderated checks, at most its checks; an activity's
  // QA themes, at most its checks in every division; the chairs' themes, at most the outcomes.
  std::vector<Bound> bounds;
};

// Inserts a default entry into `entries`, which are sorted by `key_of` as Summarize sorts them,
// where the entry for `key` belongs; returns it, or null when there is one already.
template <typename Entry, typename Key, typename KeyOf>
Entry* InsertSorted(google::protobuf::RepeatedPtrField<Entry>& entries, const Key& key,
                    KeyOf key_of) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const Entry& entry) { return !(key_of(entry) < key); });
  if (it != entries.end() && key_of(*it) == key) return nullptr;
  const int at = static_cast<int>(it - entries.begin());
  entries.Add();
  for (int i = entries.size() - 1; i > at; --i) entries.SwapElements(i, i - 1);
  return entries.Mutable(at);
}

// Lists the ratings and complaint tags that `summary` leaves out because they are 0, with a
// count of 0, so that secondary suppression can withhold a zero among them (a tag or rating the
// summary does not list is known to be 0). Returns their cell names, for Unlist.
std::vector<std::string> ListZeros(v1::QuarterSummary& summary) {
  std::vector<std::string> listed;
  if (summary.ratings_size() > 0) {
    for (int rating = kFirstRating; rating <= kLastRating; ++rating) {
      v1::RatingCount* zero = InsertSorted(*summary.mutable_ratings(), rating,
                                           [](const v1::RatingCount& r) { return r.rating(); });
      if (zero == nullptr) continue;
      zero->set_rating(rating);
      listed.push_back(absl::StrCat("ratings.", rating));
    }
  }
  const bool complaints = std::any_of(summary.tags().begin(), summary.tags().end(),
                                      [](const v1::TagCount& t) { return t.tag() == "complaint"; });
  if (!complaints) return listed;
  std::vector<std::string_view> tags;
  for (std::string_view tag : kStateTags) tags.push_back(tag);
  for (std::string_view tag : kStageTags) tags.push_back(tag);
  for (std::string_view tag : kOutcomeTags) tags.push_back(tag);
  for (std::string_view tag : tags) {
    const std::string name(tag);
    v1::TagCount* zero =
        InsertSorted(*summary.mutable_tags(), name, [](const v1::TagCount& t) { return t.tag(); });
    if (zero == nullptr) continue;
    zero->set_tag(name);
    listed.push_back(absl::StrCat("tags.", name));
  }
  return listed;
}

// Removes the entries ListZeros listed that stay shown.
void Unlist(v1::QuarterSummary& summary, const std::vector<std::string>& listed) {
  auto listed_and_shown = [&](const std::string& name) {
    return std::find(listed.begin(), listed.end(), name) != listed.end() &&
           std::find(summary.suppressed().begin(), summary.suppressed().end(), name) ==
               summary.suppressed().end();
  };
  auto* ratings = summary.mutable_ratings();
  ratings->erase(std::remove_if(ratings->begin(), ratings->end(),
                                [&](const v1::RatingCount& r) {
                                  return listed_and_shown(absl::StrCat("ratings.", r.rating()));
                                }),
                 ratings->end());
  auto* tags = summary.mutable_tags();
  tags->erase(
      std::remove_if(tags->begin(), tags->end(),
                     [&](const v1::TagCount& t) { return listed_and_shown("tags." + t.tag()); }),
      tags->end());
}

std::string QaActivityName(v1::QaActivity value) {
  const std::string& name = v1::QaActivity_Name(value);
  return name.empty() ? absl::StrCat(static_cast<int>(value)) : name;
}

// `group(total, members)` adds a group of cells by name (Collect's helper).
using AddGroup = std::function<void(std::string_view, const std::vector<std::string>&)>;

// The quality checks' cells: per activity and division "qa.<ACTIVITY>.<AREA>.count",
// ".moderated" and ".grade.<GRADE>" (the grades sum to the count, the moderated at most it);
// per activity "qa.<ACTIVITY>.strength.<tag>" and ".improvement.<tag>", each at most the
// activity's checks in every division.
void CollectQa(v1::QuarterSummary& summary, Table& table, const AddGroup& group) {
  std::vector<Cell>& cells = table.cells;
  std::map<v1::QaActivity, std::vector<size_t>> counts_of_activity;
  for (v1::QaActivityFigures& qa : *summary.mutable_qa_activity()) {
    const std::string prefix = absl::StrCat("qa.", QaActivityName(qa.activity()), ".",
                                            v1::ServiceArea_Name(qa.service_area()).empty()
                                                ? absl::StrCat(static_cast<int>(qa.service_area()))
                                                : v1::ServiceArea_Name(qa.service_area()),
                                            ".");
    const std::string count = prefix + "count";
    cells.push_back({count, kQaCountFigure, qa.count(), [&qa] { qa.set_count(0); }});
    const size_t count_index = cells.size() - 1;
    counts_of_activity[qa.activity()].push_back(count_index);
    cells.push_back(
        {prefix + "moderated", kQaModeratedFigure, qa.moderated(), [&qa] { qa.set_moderated(0); }});
    table.bounds.push_back({{count_index}, {cells.size() - 1}});
    std::vector<std::string> grades;
    for (v1::QaGradeCount& grade : *qa.mutable_grades()) {
      const std::string& grade_name = v1::QaGrade_Name(grade.grade());
      grades.push_back(absl::StrCat(
          prefix, "grade.",
          grade_name.empty() ? absl::StrCat(static_cast<int>(grade.grade())) : grade_name));
      cells.push_back(
          {grades.back(), kQaGradesFigure, grade.count(), [&grade] { grade.set_count(0); }});
    }
    group(count, grades);
  }
  for (v1::QaThemes& themes : *summary.mutable_qa_themes()) {
    const std::string prefix = absl::StrCat("qa.", QaActivityName(themes.activity()), ".");
    Bound bound{counts_of_activity[themes.activity()], {}};
    for (auto [kind, list] : {std::pair{"strength.", themes.mutable_strengths()},
                              std::pair{"improvement.", themes.mutable_areas_for_improvement()}}) {
      for (v1::TagCount& theme : *list) {
        cells.push_back({absl::StrCat(prefix, kind, theme.tag()), kQaThemesFigure, theme.count(),
                         [&theme] { theme.set_count(0); }});
        bound.members.push_back(cells.size() - 1);
      }
    }
    if (!bound.members.empty()) table.bounds.push_back(std::move(bound));
  }
}

// The chairs' oversight cells: per meeting group "oversight.<GROUP>.count" and its three
// outcomes ".escalations", ".no_concerns", ".commendations", which sum to it; the themes
// "oversight.strength.<tag>" and "oversight.development.<tag>", each at most the outcomes of
// every group.
void CollectOversight(v1::QuarterSummary& summary, Table& table, const AddGroup& group) {
  std::vector<Cell>& cells = table.cells;
  Bound themes;
  for (v1::OversightFigures& o : *summary.mutable_oversight()) {
    const std::string& group_name = v1::OversightGroup_Name(o.group());
    const std::string prefix = absl::StrCat(
        "oversight.", group_name.empty() ? absl::StrCat(static_cast<int>(o.group())) : group_name,
        ".");
    cells.push_back({prefix + "count", kOversightCountFigure, o.count(), [&o] { o.set_count(0); }});
    themes.totals.push_back(cells.size() - 1);
    cells.push_back({prefix + "escalations", kOversightOutcomesFigure, o.escalations(),
                     [&o] { o.set_escalations(0); }});
    cells.push_back({prefix + "no_concerns", kOversightOutcomesFigure, o.no_concerns(),
                     [&o] { o.set_no_concerns(0); }});
    cells.push_back({prefix + "commendations", kOversightOutcomesFigure, o.commendations(),
                     [&o] { o.set_commendations(0); }});
    group(prefix + "count",
          {prefix + "escalations", prefix + "no_concerns", prefix + "commendations"});
  }
  for (auto [kind, list] :
       {std::pair{"oversight.strength.", summary.mutable_oversight_strengths()},
        std::pair{"oversight.development.", summary.mutable_oversight_areas_for_development()}}) {
    for (v1::TagCount& theme : *list) {
      cells.push_back({absl::StrCat(kind, theme.tag()), kOversightThemesFigure, theme.count(),
                       [&theme] { theme.set_count(0); }});
      themes.members.push_back(cells.size() - 1);
    }
  }
  if (!themes.members.empty()) table.bounds.push_back(std::move(themes));
}

// Every published count of `summary`, with the groups and relations they form. The cells point
// into `summary`, which must not change shape while they are in use.
Table Collect(v1::QuarterSummary& summary) {
  Table table;
  std::vector<Cell>& cells = table.cells;
  auto index_of = [&cells](std::string_view name) -> size_t {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].name == name) return i;
    }
    return cells.size();
  };
  auto indices = [&](const std::vector<std::string>& names) {
    std::vector<size_t> found;
    for (const std::string& name : names) {
      if (const size_t i = index_of(name); i < cells.size()) found.push_back(i);
    }
    return found;
  };
  auto group = [&](std::string_view total, const std::vector<std::string>& members) {
    Group g{std::nullopt, indices(members)};
    if (const size_t t = index_of(total); t < cells.size()) g.total = t;
    if (!g.members.empty()) table.groups.push_back(std::move(g));
  };
  auto mirror = [&](std::string_view a, std::string_view b) {
    const size_t i = index_of(a), j = index_of(b);
    if (i < cells.size() && j < cells.size()) table.mirrors.emplace_back(i, j);
  };

  const google::protobuf::Descriptor* descriptor = summary.GetDescriptor();
  const google::protobuf::Reflection* reflection = summary.GetReflection();
  for (const ScalarFigure& scalar : kScalarFigures) {
    const google::protobuf::FieldDescriptor* field =
        descriptor->FindFieldByName(std::string(scalar.field));
    if (field == nullptr) continue;
    cells.push_back({std::string(scalar.field), scalar.figure, reflection->GetInt64(summary, field),
                     [&summary, reflection, field] { reflection->SetInt64(&summary, field, 0); }});
  }
  std::vector<std::string> ratings;
  for (v1::RatingCount& rating : *summary.mutable_ratings()) {
    ratings.push_back(absl::StrCat("ratings.", rating.rating()));
    cells.push_back(
        {ratings.back(), "ratings", rating.count(), [&rating] { rating.set_count(0); }});
  }
  for (v1::TagCount& tag : *summary.mutable_tags()) {
    // An item has several tags, so the tag counts are no partition, but the kind tags repeat
    // the kind counts and the complaint tags split the complaints (below).
    cells.push_back({absl::StrCat("tags.", tag.tag()), FigureOfTag(tag.tag()), tag.count(),
                     [&tag] { tag.set_count(0); }});
  }
  for (v1::AdvocacyFigures& advocacy : *summary.mutable_advocacy()) {
    const std::string meeting =
        absl::StrCat("advocacy.", v1::Meeting_Name(advocacy.meeting()).empty()
                                      ? absl::StrCat(static_cast<int>(advocacy.meeting()))
                                      : v1::Meeting_Name(advocacy.meeting()));
    cells.push_back({absl::StrCat(meeting, ".referrals"), "advocacy.referrals",
                     advocacy.referrals(), [&advocacy] { advocacy.set_referrals(0); }});
    cells.push_back({absl::StrCat(meeting, ".progressed"), "advocacy.progressed",
                     advocacy.progressed(), [&advocacy] { advocacy.set_progressed(0); }});
    cells.push_back({absl::StrCat(meeting, ".declined"), "advocacy.declined", advocacy.declined(),
                     [&advocacy] { advocacy.set_declined(0); }});
    cells.push_back({absl::StrCat(meeting, ".not_progressed"), "advocacy.not_progressed",
                     advocacy.not_progressed(), [&advocacy] { advocacy.set_not_progressed(0); }});
    std::vector<std::string> bands;
    for (v1::AgeBandCount& band : *advocacy.mutable_age_bands()) {
      bands.push_back(absl::StrCat(meeting, ".age_band.", band.band()));
      cells.push_back(
          {bands.back(), kAgeBandFigure, band.referrals(), [&band] { band.set_referrals(0); }});
    }
    group(absl::StrCat(meeting, ".referrals"), bands);
    group(absl::StrCat(meeting, ".referrals"),
          {absl::StrCat(meeting, ".progressed"), absl::StrCat(meeting, ".declined"),
           absl::StrCat(meeting, ".not_progressed")});
  }
  for (v1::KioskFigures& kiosk : *summary.mutable_kiosk()) {
    const std::string meeting =
        absl::StrCat("kiosk.", v1::Meeting_Name(kiosk.meeting()).empty()
                                   ? absl::StrCat(static_cast<int>(kiosk.meeting()))
                                   : v1::Meeting_Name(kiosk.meeting()));
    const std::string answered = absl::StrCat(meeting, ".answered");
    cells.push_back(
        {answered, kKioskAnsweredFigure, kiosk.answered(), [&kiosk] { kiosk.set_answered(0); }});
    std::vector<std::string> ratings_of_meeting;
    for (v1::RatingCount& rating : *kiosk.mutable_ratings()) {
      ratings_of_meeting.push_back(absl::StrCat(meeting, ".rating.", rating.rating()));
      cells.push_back({ratings_of_meeting.back(), kKioskRatingsFigure, rating.count(),
                       [&rating] { rating.set_count(0); }});
    }
    Bound themes{{index_of(answered)}, {}};
    for (v1::TagCount& theme : *kiosk.mutable_themes()) {
      cells.push_back({absl::StrCat(meeting, ".theme.", theme.tag()), kKioskThemesFigure,
                       theme.count(), [&theme] { theme.set_count(0); }});
      themes.members.push_back(cells.size() - 1);
    }
    // The ratings sum to at most the answers (the rest gave no rating), like decisions.
    group(answered, ratings_of_meeting);
    if (!themes.members.empty()) table.bounds.push_back(std::move(themes));
  }
  CollectQa(summary, table, group);
  CollectOversight(summary, table, group);

  group("complaints_closed", {"complaints_upheld", "complaints_partially_upheld",
                              "complaints_not_upheld", "complaints_withdrawn"});
  // The "compliment" tag counts every compliment: the total of the compliments by source.
  group("tags.compliment", {"compliments_from_families", "compliments_from_partners",
                            "compliments_from_children", "compliments_from_advocates"});
  group("", ratings);
  std::vector<std::string> complaint_tags;
  auto add_tags = [&complaint_tags](const auto& names) {
    for (std::string_view tag : names) {
      complaint_tags.push_back(absl::StrCat("tags.", std::string(tag)));
    }
  };
  add_tags(kStateTags);
  add_tags(kStageTags);
  add_tags(kOutcomeTags);
  table.complaint_tags.members = indices(complaint_tags);
  if (const size_t i = index_of("tags.complaint"); i < cells.size()) {
    table.complaint_tags.total = i;
  }
  const size_t closed = index_of("complaints_closed"),
               in_time = index_of("complaints_closed_in_time");
  if (closed < cells.size() && in_time < cells.size()) table.closed_in_time = {{closed, in_time}};
  mirror("complaints_received", "tags.complaint");
  mirror("comments", "tags.comment");
  mirror("child_statements", "tags.child_statement");
  for (const Group& g : table.groups) {
    if (g.total.has_value()) cells[*g.total].is_total = true;
  }
  return table;
}

// Rule G, one step for `group`: true if it withheld a cell.
bool Protect(const Group& group, std::vector<Cell>& cells) {
  const bool total_withheld = group.total.has_value() && cells[*group.total].withheld;
  std::set<int64_t> counts;  // of the withheld members
  for (size_t i : group.members) {
    if (cells[i].withheld) counts.insert(cells[i].value);
  }
  if (counts.empty() && !total_withheld) return false;
  bool changed = false;
  auto withhold = [&](auto&& pick) {
    for (size_t i : group.members) {
      Cell& cell = cells[i];
      if (!cell.withheld && pick(cell)) cell.withheld = changed = true;
    }
    return changed;
  };
  auto zero = [](const Cell& cell) {
    // Not a total: a withheld total of 0 would be the sum of its shown zeros.
    return cell.value == 0 && !cell.is_total;
  };
  if (std::none_of(group.members.begin(), group.members.end(),
                   [&cells](size_t i) { return cells[i].suppressed_figure; })) {
    return withhold([](const Cell& cell) { return cell.value != 0; });
  }
  if (total_withheld && withhold(zero)) return true;
  if (counts.size() >= 2) return false;
  // 1. Every member with the smallest non-zero count still shown.
  std::optional<int64_t> smallest;
  for (size_t i : group.members) {
    const Cell& cell = cells[i];
    if (!cell.withheld && cell.value != 0 && (!smallest || cell.value < *smallest)) {
      smallest = cell.value;
    }
  }
  if (smallest.has_value()) {
    return withhold([&](const Cell& cell) { return cell.value == *smallest; });
  }
  // 2. Every zero member.
  if (!counts.empty() && withhold(zero)) return true;
  // 3. The total.
  if (group.total.has_value() && !total_withheld) {
    cells[*group.total].withheld = true;
    return true;
  }
  return false;
}

// Rule K's second trigger. With 1 to 5 complaints and a policy that suppresses a figure the
// complaint tags follow, whether a tag is 1..5 must not decide whether the block is withheld:
// with one complaint, a withheld block would otherwise say that it is closed (only an outcome
// tag of 1 could have triggered it) and a shown one that it is open. So the block goes whatever
// the split, and the one published fact is the complaint tag, which is shown anyway.
bool FewComplaintsUnderASuppressedFigure(const Group& block, const std::vector<Cell>& cells) {
  if (!block.total.has_value()) return false;
  const int64_t complaints = cells[*block.total].value;
  return complaints >= 1 && complaints <= kMaxWithheldCount &&
         std::any_of(block.members.begin(), block.members.end(),
                     [&cells](size_t i) { return cells[i].suppressed_figure; });
}

void Control(v1::QuarterSummary& summary, const DisclosurePolicy& policy) {
  const std::vector<std::string> listed = ListZeros(summary);
  {
    Table table = Collect(summary);
    std::vector<Cell>& cells = table.cells;
    for (Cell& cell : cells) {
      cell.suppressed_figure = Suppresses(policy, cell.figure);
      cell.withheld = cell.value >= 1 && cell.value <= kMaxWithheldCount && cell.suppressed_figure;
    }
    // Each pass withholds at least one more cell or ends, so this terminates.
    bool changed = true;
    auto withhold = [&changed](Cell& cell) {
      if (!cell.withheld) cell.withheld = changed = true;
    };
    while (changed) {
      changed = false;
      for (const auto& [a, b] : table.mirrors) {  // M
        if (cells[a].withheld || cells[b].withheld) {
          withhold(cells[a]);
          withhold(cells[b]);
        }
      }
      for (const Group& group : table.groups) changed = Protect(group, cells) || changed;  // G
      if (table.closed_in_time.has_value()) {                                              // B
        const auto [closed, in_time] = *table.closed_in_time;
        if (cells[closed].withheld && cells[in_time].value != 0) withhold(cells[in_time]);
      }
      for (const Bound& bound : table.bounds) {  // T
        if (std::none_of(bound.totals.begin(), bound.totals.end(),
                         [&cells](size_t i) { return cells[i].withheld; })) {
          continue;
        }
        for (size_t i : bound.members) {
          if (cells[i].value != 0) withhold(cells[i]);
        }
      }
      const Group& block = table.complaint_tags;  // K
      if ((block.total.has_value() && cells[*block.total].withheld) ||
          FewComplaintsUnderASuppressedFigure(block, cells) ||
          std::any_of(block.members.begin(), block.members.end(),
                      [&cells](size_t i) { return cells[i].withheld; })) {
        for (size_t i : block.members) withhold(cells[i]);
      }
    }
    for (Cell& cell : cells) {
      if (!cell.withheld) continue;
      cell.clear();
      summary.add_suppressed(cell.name);
    }
  }
  Unlist(summary, listed);
}

}  // namespace

DisclosurePolicy::DisclosurePolicy()
    : suppressed_{std::string(kAgeBandFigure), std::string(kKioskAnsweredFigure),
                  std::string(kKioskRatingsFigure), std::string(kKioskThemesFigure)} {}

const std::vector<std::string_view>& DisclosurePolicy::Figures() {
  static const std::vector<std::string_view> kFigures = {
      "advocacy.referrals",
      "advocacy.progressed",
      "advocacy.declined",
      "advocacy.not_progressed",
      kAgeBandFigure,
      "complaints.received",
      "complaints.outcomes",
      "complaints.closed",
      "complaints.escalated",
      "compliments.by_source",
      "comments",
      "child_statements",
      "ratings",
      "tags",
      kKioskAnsweredFigure,
      kKioskRatingsFigure,
      kKioskThemesFigure,
      kQaCountFigure,
      kQaModeratedFigure,
      kQaGradesFigure,
      kQaThemesFigure,
      kOversightCountFigure,
      kOversightOutcomesFigure,
      kOversightThemesFigure,
  };
  return kFigures;
}

bool DisclosurePolicy::Suppresses(std::string_view figure) const {
  return suppressed_.find(figure) != suppressed_.end();
}

absl::Status DisclosurePolicy::Set(std::string_view figure, bool suppress) {
  const std::vector<std::string_view>& figures = Figures();
  std::vector<std::string_view> chosen;
  if (figure == kAll) {
    chosen = figures;
  } else if (std::find(figures.begin(), figures.end(), figure) != figures.end()) {
    chosen = {figure};
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "figure: unknown figure \"", std::string(figure), "\"; known: all, ",
        absl::StrJoin(figures, ", ",
                      [](std::string* out, std::string_view name) { out->append(name); })));
  }
  for (std::string_view name : chosen) {
    if (suppress) {
      suppressed_.insert(std::string(name));
    } else {
      suppressed_.erase(std::string(name));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DisclosurePolicy> DisclosurePolicy::Parse(std::string_view text,
                                                         std::string_view origin) {
  DisclosurePolicy policy;
  const std::vector<std::string> lines = absl::StrSplit(std::string(text), '\n');
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string line = lines[n];
    if (const size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    const std::vector<std::string> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (words.empty()) continue;
    const std::string where = absl::StrCat(std::string(origin), ":", n + 1, ": ");
    if (words.size() != 2 || (words[0] != "suppress" && words[0] != "show")) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "want \"suppress <figure>\" or \"show <figure>\", got \"",
                       std::string(absl::StripAsciiWhitespace(line)), "\""));
    }
    if (absl::Status set = policy.Set(words[1], words[0] == "suppress"); !set.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, set.message()));
    }
  }
  return policy;
}

absl::StatusOr<DisclosurePolicy> DisclosurePolicy::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("disclosure policy: cannot read \"", path, "\""));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

void ApplyDisclosureControl(v1::QuarterSummary& summary, const DisclosurePolicy& policy) {
  Control(summary, policy);
  if (summary.has_previous_quarter()) Control(*summary.mutable_previous_quarter(), policy);
}

}  // namespace feedback
