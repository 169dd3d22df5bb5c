#include "tests/support/disclosure_intruder.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"

namespace feedback::testing {
namespace {

// Datasets put through ApplyDisclosureControl, and search steps, per withheld cell before the
// search gives up (and says so).
constexpr int64_t kDatasetBudget = 4000;
constexpr int64_t kStepBudget = 400000;

constexpr std::string_view kOutcomes[] = {"upheld", "partially_upheld", "not_upheld", "withdrawn"};
constexpr std::string_view kKindTags[] = {"tags.complaint", "tags.compliment", "tags.comment",
                                          "tags.child_statement"};
// Tags in an equation above; every other tag is only bounded by the number of items.
const std::set<std::string, std::less<>>& StructuralTags() {
  static const auto* tags = new std::set<std::string, std::less<>>{
      "complaint", "compliment", "comment", "child_statement",  "open",       "closed",   "stage_1",
      "stage_2",   "stage_3",    "upheld",  "partially_upheld", "not_upheld", "withdrawn"};
  return *tags;
}

// A parsed cell name.
struct Name {
  enum Kind {
    kScalar,
    kRating,
    kTag,
    kAdvocacy,
    kBand,
    kKioskAnswered,
    kKioskRating,
    kKioskTheme,
    kQa,              // qa.<ACTIVITY>.<AREA>.count, .moderated, .grade.<GRADE>
    kQaTheme,         // qa.<ACTIVITY>.strength.<tag>, qa.<ACTIVITY>.improvement.<tag>
    kOversight,       // oversight.<GROUP>.count, .escalations, .no_concerns, .commendations
    kOversightTheme,  // oversight.strength.<tag>, oversight.development.<tag>
  } kind = kScalar;
  // scalar field, tag, advocacy field, band, kiosk theme, QA or oversight field ("count",
  // "grade"), or a QA or oversight theme
  std::string field;
  int rating = 0;
  v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
  v1::QaActivity activity = v1::QA_ACTIVITY_UNSPECIFIED;
  v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED;
  v1::QaGrade grade = v1::QA_GRADE_UNSPECIFIED;
  v1::OversightGroup group = v1::OVERSIGHT_GROUP_UNSPECIFIED;
  bool strength = false;  // a QA or oversight theme: a strength (or an area to improve)
};

std::optional<Name> ParseQa(absl::string_view name) {
  Name parsed;
  const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 2));
  if (parts.size() != 3 || !v1::QaActivity_Parse(parts[0], &parsed.activity)) return std::nullopt;
  if (parts[1] == "strength" || parts[1] == "improvement") {
    parsed.kind = Name::kQaTheme;
    parsed.strength = parts[1] == "strength";
    parsed.field = parts[2];
    return parsed;
  }
  if (!v1::ServiceArea_Parse(parts[1], &parsed.area)) return std::nullopt;
  parsed.kind = Name::kQa;
  parsed.field = parts[2];
  if (absl::string_view grade = parts[2]; absl::ConsumePrefix(&grade, "grade.")) {
    if (!v1::QaGrade_Parse(std::string(grade), &parsed.grade)) return std::nullopt;
    parsed.field = "grade";
  }
  return parsed;
}

std::optional<Name> ParseOversight(absl::string_view name) {
  Name parsed;
  const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 1));
  if (parts.size() != 2) return std::nullopt;
  if (parts[0] == "strength" || parts[0] == "development") {
    parsed.kind = Name::kOversightTheme;
    parsed.strength = parts[0] == "strength";
    parsed.field = parts[1];
    return parsed;
  }
  if (!v1::OversightGroup_Parse(parts[0], &parsed.group)) return std::nullopt;
  parsed.kind = Name::kOversight;
  parsed.field = parts[1];
  return parsed;
}

std::optional<Name> Parse(std::string_view whole) {
  absl::string_view name(whole.data(), whole.size());
  Name parsed;
  if (absl::ConsumePrefix(&name, "ratings.")) {
    parsed.kind = Name::kRating;
    if (!absl::SimpleAtoi(name, &parsed.rating)) return std::nullopt;
    return parsed;
  }
  if (absl::ConsumePrefix(&name, "tags.")) {
    parsed.kind = Name::kTag;
    parsed.field = std::string(name);
    return parsed;
  }
  if (absl::ConsumePrefix(&name, "qa.")) return ParseQa(name);
  if (absl::ConsumePrefix(&name, "oversight.")) return ParseOversight(name);
  if (absl::ConsumePrefix(&name, "kiosk.")) {
    // kiosk.<MEETING>.answered, kiosk.<MEETING>.rating.<n>, kiosk.<MEETING>.theme.<tag>
    const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 2));
    if (parts.size() < 2 || !v1::Meeting_Parse(parts[0], &parsed.meeting)) return std::nullopt;
    if (parts.size() == 2 && parts[1] == "answered") {
      parsed.kind = Name::kKioskAnswered;
      return parsed;
    }
    if (parts.size() != 3) return std::nullopt;
    if (parts[1] == "rating" && absl::SimpleAtoi(parts[2], &parsed.rating)) {
      parsed.kind = Name::kKioskRating;
      return parsed;
    }
    if (parts[1] != "theme") return std::nullopt;
    parsed.kind = Name::kKioskTheme;
    parsed.field = parts[2];
    return parsed;
  }
  if (absl::ConsumePrefix(&name, "advocacy.")) {
    const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 2));
    if (parts.size() < 2 || !v1::Meeting_Parse(parts[0], &parsed.meeting)) return std::nullopt;
    if (parts.size() == 3 && parts[1] == "age_band") {
      parsed.kind = Name::kBand;
      parsed.field = parts[2];
      return parsed;
    }
    if (parts.size() != 2) return std::nullopt;
    parsed.kind = Name::kAdvocacy;
    parsed.field = parts[1];
    return parsed;
  }
  parsed.field = std::string(name);
  return parsed;
}

const v1::AdvocacyFigures* FindMeeting(const v1::QuarterSummary& s, v1::Meeting meeting) {
  for (const v1::AdvocacyFigures& a : s.advocacy()) {
    if (a.meeting() == meeting) return &a;
  }
  return nullptr;
}

v1::AdvocacyFigures* FindMeeting(v1::QuarterSummary& s, v1::Meeting meeting) {
  for (v1::AdvocacyFigures& a : *s.mutable_advocacy()) {
    if (a.meeting() == meeting) return &a;
  }
  return nullptr;
}

const v1::KioskFigures* FindKiosk(const v1::QuarterSummary& s, v1::Meeting meeting) {
  for (const v1::KioskFigures& k : s.kiosk()) {
    if (k.meeting() == meeting) return &k;
  }
  return nullptr;
}

// The kiosk figures of `meeting`, added (with all five ratings, as Summarize lists them) if the
// summary has none.
v1::KioskFigures& KioskOf(v1::QuarterSummary& s, v1::Meeting meeting) {
  for (v1::KioskFigures& k : *s.mutable_kiosk()) {
    if (k.meeting() == meeting) return k;
  }
  v1::KioskFigures* k = s.add_kiosk();
  k->set_meeting(meeting);
  for (int rating = 1; rating <= 5; ++rating) k->add_ratings()->set_rating(rating);
  return *k;
}

const v1::QaActivityFigures* FindQa(const v1::QuarterSummary& s, v1::QaActivity activity,
                                    v1::ServiceArea area) {
  for (const v1::QaActivityFigures& q : s.qa_activity()) {
    if (q.activity() == activity && q.service_area() == area) return &q;
  }
  return nullptr;
}

// The figures of `activity` in `area`, added (with the four grades, in activity then division
// order, as Summarize lists them) if the summary has none.
v1::QaActivityFigures& QaOf(v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area) {
  auto* all = s.mutable_qa_activity();
  auto it = std::find_if(all->begin(), all->end(), [&](const v1::QaActivityFigures& q) {
    return std::pair(q.activity(), q.service_area()) >= std::pair(activity, area);
  });
  if (it != all->end() && it->activity() == activity && it->service_area() == area) return *it;
  const int at = static_cast<int>(it - all->begin());
  v1::QaActivityFigures* q = all->Add();
  q->set_activity(activity);
  q->set_service_area(area);
  for (int g = v1::QA_GRADE_OUTSTANDING; g <= v1::QA_GRADE_INADEQUATE; ++g) {
    q->add_grades()->set_grade(static_cast<v1::QaGrade>(g));
  }
  for (int i = all->size() - 1; i > at; --i) all->SwapElements(i, i - 1);
  return *all->Mutable(at);
}

const v1::OversightFigures* FindOversight(const v1::QuarterSummary& s, v1::OversightGroup group) {
  for (const v1::OversightFigures& o : s.oversight()) {
    if (o.group() == group) return &o;
  }
  return nullptr;
}

v1::OversightFigures& OversightOf(v1::QuarterSummary& s, v1::OversightGroup group) {
  auto* all = s.mutable_oversight();
  auto it = std::find_if(all->begin(), all->end(),
                         [&](const v1::OversightFigures& o) { return o.group() >= group; });
  if (it != all->end() && it->group() == group) return *it;
  const int at = static_cast<int>(it - all->begin());
  all->Add()->set_group(group);
  for (int i = all->size() - 1; i > at; --i) all->SwapElements(i, i - 1);
  return *all->Mutable(at);
}

// The theme list a QA or oversight theme name points into (added for a QA activity if needed).
const google::protobuf::RepeatedPtrField<v1::TagCount>* ThemesOf(const v1::QuarterSummary& s,
                                                                 const Name& name) {
  if (name.kind == Name::kOversightTheme) {
    return name.strength ? &s.oversight_strengths() : &s.oversight_areas_for_development();
  }
  for (const v1::QaThemes& t : s.qa_themes()) {
    if (t.activity() == name.activity) {
      return name.strength ? &t.strengths() : &t.areas_for_improvement();
    }
  }
  return nullptr;
}

google::protobuf::RepeatedPtrField<v1::TagCount>& MutableThemesOf(v1::QuarterSummary& s,
                                                                  const Name& name) {
  if (name.kind == Name::kOversightTheme) {
    return name.strength ? *s.mutable_oversight_strengths()
                         : *s.mutable_oversight_areas_for_development();
  }
  v1::QaThemes* entry = nullptr;
  for (v1::QaThemes& t : *s.mutable_qa_themes()) {
    if (t.activity() == name.activity) entry = &t;
  }
  if (entry == nullptr) {
    entry = s.add_qa_themes();
    entry->set_activity(name.activity);
  }
  return name.strength ? *entry->mutable_strengths() : *entry->mutable_areas_for_improvement();
}

// Sets the count of `tag` in `themes`, sorted by tag, leaving it out when 0 (as Summarize does).
void SetTheme(google::protobuf::RepeatedPtrField<v1::TagCount>& themes, const std::string& tag,
              int64_t value) {
  auto it = std::find_if(themes.begin(), themes.end(),
                         [&](const v1::TagCount& t) { return t.tag() >= tag; });
  const bool found = it != themes.end() && it->tag() == tag;
  if (value == 0) {
    if (found) themes.erase(it);
    return;
  }
  if (!found) {
    const int at = static_cast<int>(it - themes.begin());
    themes.Add()->set_tag(tag);
    for (int i = themes.size() - 1; i > at; --i) themes.SwapElements(i, i - 1);
    it = themes.begin() + at;
  }
  it->set_count(value);
}

// The int64 field of `message` called `field`, or null.
const google::protobuf::FieldDescriptor* Int64Field(const google::protobuf::Message& message,
                                                    const std::string& field) {
  const google::protobuf::FieldDescriptor* f = message.GetDescriptor()->FindFieldByName(field);
  if (f == nullptr || f->is_repeated() ||
      f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
    return nullptr;
  }
  return f;
}

// One side of a relation: a variable (a withheld cell) or a published count.
struct Term {
  int var = -1;  // index into Attack::vars, or -1
  int64_t known = 0;
};

// sum(plus) - sum(minus) == 0, or <= 0 when !equal.
struct Relation {
  std::vector<Term> plus, minus;
  bool equal = true;
  bool links = true;    // ties its variables into one connected set
  bool checked = true;  // false: only links
};

struct Var {
  std::string name;
  int64_t exact = 0;
  int64_t hi = 0;
  std::vector<int> relations;  // indices into Attack::relations
  std::set<int64_t> possible;
  bool budget_ran_out = false;
};

class Attack {
 public:
  Attack(const v1::QuarterSummary& exact, const DisclosurePolicy& policy,
         const IntruderOptions& options)
      : exact_(exact), policy_(policy), options_(options) {
    published_ = exact;
    ApplyDisclosureControl(published_, policy_);
    for (const std::string& name : published_.suppressed()) {
      index_[name] = static_cast<int>(vars_.size());
      Var var;
      var.name = name;
      var.exact = CountOf(exact_, name);
      var.hi = var.exact + kReach;
      var.possible.insert(var.exact);
      vars_.push_back(std::move(var));
    }
    BuildRelations();
    value_.resize(vars_.size());
    assigned_.resize(vars_.size());
  }

  IntruderReport Run() {
    for (size_t v = 0; v < vars_.size(); ++v) {
      if (vars_[v].possible.size() < 2) FindAnotherValue(static_cast<int>(v));
    }
    IntruderReport report;
    report.exact = exact_;
    report.published = published_;
    report.datasets_tried = datasets_tried_;
    for (const Var& var : vars_) {
      report.cells.push_back(
          {var.name, var.exact, {var.possible.begin(), var.possible.end()}, var.budget_ran_out});
    }
    return report;
  }

 private:
  Term TermOf(std::string_view name) const {
    if (auto it = index_.find(std::string(name)); it != index_.end()) return {it->second, 0};
    return {-1, CountOf(published_, name)};
  }

  void Add(const std::vector<std::string>& plus, const std::vector<std::string>& minus, bool equal,
           bool links = true, bool checked = true) {
    Relation relation;
    relation.equal = equal;
    relation.links = links;
    relation.checked = checked;
    for (const std::string& name : plus) relation.plus.push_back(TermOf(name));
    for (const std::string& name : minus) relation.minus.push_back(TermOf(name));
    const int index = static_cast<int>(relations_.size());
    bool has_var = false;
    for (const std::vector<Term>* side : {&relation.plus, &relation.minus}) {
      for (const Term& term : *side) {
        if (term.var < 0) continue;
        has_var = true;
        std::vector<int>& mine = vars_[term.var].relations;
        if (mine.empty() || mine.back() != index) mine.push_back(index);
      }
    }
    if (has_var) relations_.push_back(std::move(relation));
  }

  void BuildRelations() {
    for (const v1::AdvocacyFigures& a : published_.advocacy()) {
      const std::string m = absl::StrCat("advocacy.", v1::Meeting_Name(a.meeting()), ".");
      if (a.age_bands_size() > 0) {
        std::vector<std::string> bands;
        for (const v1::AgeBandCount& band : a.age_bands()) {
          bands.push_back(absl::StrCat(m, "age_band.", band.band()));
        }
        Add(bands, {m + "referrals"}, true);
      }
      Add({m + "progressed", m + "declined", m + "not_progressed"}, {m + "referrals"}, false);
    }
    for (const v1::KioskFigures& k : published_.kiosk()) {
      // A meeting's kiosk ratings are at most its answers (some answers are not rated), and so
      // is each of its themes.
      const std::string m = absl::StrCat("kiosk.", v1::Meeting_Name(k.meeting()), ".");
      std::vector<std::string> ratings;
      for (const v1::RatingCount& r : k.ratings()) {
        ratings.push_back(absl::StrCat(m, "rating.", r.rating()));
      }
      Add(ratings, {m + "answered"}, false);
      for (const v1::TagCount& t : k.themes()) {
        Add({absl::StrCat(m, "theme.", t.tag())}, {m + "answered"}, false);
      }
    }
    // A division's grades sum to its checks, its moderated checks are at most them, and each of
    // an activity's themes is at most its checks in every division.
    std::map<v1::QaActivity, std::vector<std::string>> checks;
    for (const v1::QaActivityFigures& q : published_.qa_activity()) {
      const std::string d = absl::StrCat("qa.", v1::QaActivity_Name(q.activity()), ".",
                                         v1::ServiceArea_Name(q.service_area()), ".");
      std::vector<std::string> grades;
      for (const v1::QaGradeCount& g : q.grades()) {
        grades.push_back(absl::StrCat(d, "grade.", v1::QaGrade_Name(g.grade())));
      }
      Add(grades, {d + "count"}, true);
      Add({d + "moderated"}, {d + "count"}, false);
      checks[q.activity()].push_back(d + "count");
    }
    for (const v1::QaThemes& t : published_.qa_themes()) {
      const std::string a = absl::StrCat("qa.", v1::QaActivity_Name(t.activity()), ".");
      for (const v1::TagCount& theme : t.strengths()) {
        Add({absl::StrCat(a, "strength.", theme.tag())}, checks[t.activity()], false);
      }
      for (const v1::TagCount& theme : t.areas_for_improvement()) {
        Add({absl::StrCat(a, "improvement.", theme.tag())}, checks[t.activity()], false);
      }
    }
    // A meeting group's outcomes sum to its count; each chairs' theme is at most every count.
    std::vector<std::string> oversight_counts;
    for (const v1::OversightFigures& o : published_.oversight()) {
      const std::string g = absl::StrCat("oversight.", v1::OversightGroup_Name(o.group()), ".");
      Add({g + "escalations", g + "no_concerns", g + "commendations"}, {g + "count"}, true);
      oversight_counts.push_back(g + "count");
    }
    for (const v1::TagCount& theme : published_.oversight_strengths()) {
      Add({"oversight.strength." + theme.tag()}, oversight_counts, false);
    }
    for (const v1::TagCount& theme : published_.oversight_areas_for_development()) {
      Add({"oversight.development." + theme.tag()}, oversight_counts, false);
    }
    std::vector<std::string> outcomes, outcome_tags;
    for (std::string_view outcome : kOutcomes) {
      outcomes.push_back(absl::StrCat("complaints_", std::string(outcome)));
      outcome_tags.push_back(absl::StrCat("tags.", std::string(outcome)));
    }
    Add(outcomes, {"complaints_closed"}, true);
    Add({"complaints_closed_in_time"}, {"complaints_closed"}, false);
    Add({"compliments_from_families", "compliments_from_partners", "compliments_from_children",
         "compliments_from_advocates"},
        {"tags.compliment"}, true);
    Add({"complaints_received"}, {"tags.complaint"}, true);
    Add({"comments"}, {"tags.comment"}, true);
    Add({"child_statements"}, {"tags.child_statement"}, true);
    Add({"tags.open", "tags.closed"}, {"tags.complaint"}, true);
    Add({"tags.stage_1", "tags.stage_2", "tags.stage_3"}, {"tags.complaint"}, true);
    Add(outcome_tags, {"tags.closed"}, true);
    // The rules protect the ratings as a group (their total, the rated items, taken as known):
    // search them together, so that a swap of two withheld ratings is tried.
    std::vector<std::string> ratings;
    for (int r = 1; r <= 5; ++r) ratings.push_back(absl::StrCat("ratings.", r));
    Add(ratings, {}, false, /*links=*/true, /*checked=*/false);
    if (!options_.item_bounds) return;
    std::vector<std::string> items;
    for (std::string_view tag : kKindTags) items.push_back(std::string(tag));
    Add(ratings, items, false, /*links=*/false);
    for (const v1::TagCount& tag : published_.tags()) {
      if (StructuralTags().count(tag.tag()) > 0) continue;
      Add({absl::StrCat("tags.", tag.tag())}, items, false, /*links=*/false);
    }
    // Kiosk answers are items too: together at most the items, their ratings at most the
    // quarter's ratings, their themes at most the quarter's tags.
    std::vector<std::string> answered;
    std::map<int, std::vector<std::string>> kiosk_ratings;
    std::map<std::string, std::vector<std::string>> kiosk_themes;
    for (const v1::KioskFigures& k : published_.kiosk()) {
      const std::string m = absl::StrCat("kiosk.", v1::Meeting_Name(k.meeting()), ".");
      answered.push_back(m + "answered");
      for (const v1::RatingCount& r : k.ratings()) {
        kiosk_ratings[r.rating()].push_back(absl::StrCat(m, "rating.", r.rating()));
      }
      for (const v1::TagCount& t : k.themes()) {
        kiosk_themes[t.tag()].push_back(absl::StrCat(m, "theme.", t.tag()));
      }
    }
    if (!answered.empty()) Add(answered, items, false, /*links=*/false);
    for (const auto& [rating, cells] : kiosk_ratings) {
      Add(cells, {absl::StrCat("ratings.", rating)}, false, /*links=*/false);
    }
    for (const auto& [tag, cells] : kiosk_themes) {
      Add(cells, {absl::StrCat("tags.", tag)}, false, /*links=*/false);
    }
  }

  // The interval sum(plus) - sum(minus) can still reach, given the assigned variables.
  std::pair<int64_t, int64_t> Reach(const Relation& relation) const {
    int64_t lo = 0, hi = 0;
    auto add = [&](const Term& term, int sign) {
      if (term.var < 0) {
        lo += sign * term.known;
        hi += sign * term.known;
      } else if (assigned_[term.var]) {
        lo += sign * value_[term.var];
        hi += sign * value_[term.var];
      } else if (sign > 0) {
        hi += vars_[term.var].hi;  // lo += 0
      } else {
        lo -= vars_[term.var].hi;
      }
    };
    for (const Term& term : relation.plus) add(term, +1);
    for (const Term& term : relation.minus) add(term, -1);
    return {lo, hi};
  }

  bool Consistent(int var) const {
    for (int r : vars_[var].relations) {
      const Relation& relation = relations_[r];
      if (!relation.checked) continue;
      const auto [lo, hi] = Reach(relation);
      if (lo > 0 || (relation.equal && hi < 0)) return false;
    }
    return true;
  }

  // Values to try for a unit whose cells have the exact value `exact` and go up to `hi`, nearest
  // `exact` first; without it when `other` is set.
  static std::vector<int64_t> Candidates(int64_t exact, int64_t hi, bool other) {
    std::vector<int64_t> values;
    if (!other) values.push_back(exact);
    for (int64_t d = 1; exact - d >= 0 || exact + d <= hi; ++d) {
      if (exact + d <= hi) values.push_back(exact + d);
      if (exact - d >= 0) values.push_back(exact - d);
    }
    return values;
  }

  // True if the server would publish the dataset of the current assignment as `published_`.
  bool PublishesTheSame() {
    ++datasets_tried_;
    ++datasets_this_search_;
    v1::QuarterSummary candidate = published_;
    candidate.clear_suppressed();
    for (size_t v = 0; v < vars_.size(); ++v) {
      SetCount(candidate, vars_[v].name, value_[v]);
    }
    ApplyDisclosureControl(candidate, policy_);
    return google::protobuf::util::MessageDifferencer::Equals(candidate, published_);
  }

  bool OutOfBudget() const {
    return datasets_this_search_ >= budget_ || steps_this_search_ >= kStepBudget;
  }

  // Depth-first search over `units_` (cells that move together), the first unit away from its
  // exact value and at most `moves` units away from theirs in all, every relation checked as
  // soon as its cells are assigned.
  bool Search(size_t depth, int moves) {
    if (OutOfBudget()) return false;
    if (depth == units_.size()) return PublishesTheSame();
    const std::vector<int>& unit = units_[depth];
    const int64_t exact = vars_[unit.front()].exact;
    int64_t hi = vars_[unit.front()].hi;
    for (int v : unit) hi = std::min(hi, vars_[v].hi);
    for (int64_t value : Candidates(exact, hi, /*other=*/depth == 0)) {
      const int left = moves - (value == exact ? 0 : 1);
      if (left < 0) break;  // every later candidate moves too
      ++steps_this_search_;
      for (int v : unit) {
        value_[v] = value;
        assigned_[v] = true;
      }
      bool consistent = true;
      for (int v : unit) consistent = consistent && Consistent(v);
      if (consistent && Search(depth + 1, left)) return true;
      for (int v : unit) assigned_[v] = false;
      if (OutOfBudget()) return false;
    }
    for (int v : unit) value_[v] = vars_[v].exact;
    return false;
  }

  // Resets the assignment: `order_` unassigned at their exact values, every other cell exact.
  void Reset() {
    std::vector<bool> in_order(vars_.size(), false);
    for (int v : order_) in_order[v] = true;
    for (size_t v = 0; v < vars_.size(); ++v) {
      value_[v] = vars_[v].exact;
      assigned_[v] = !in_order[v];
    }
  }

  // Runs Search over `units` with `budget` datasets, allowing 1, 2, ... units to move; true
  // (and the values recorded) if it found a consistent dataset.
  bool SearchUnits(std::vector<std::vector<int>> units, int64_t budget) {
    units_ = std::move(units);
    budget_ = budget;
    datasets_this_search_ = 0;
    steps_this_search_ = 0;
    bool found = false;
    for (int moves = 1; !found && moves <= static_cast<int>(units_.size()) && !OutOfBudget();
         ++moves) {
      Reset();
      found = Search(0, moves);
    }
    if (found) {
      for (int v : order_) vars_[v].possible.insert(value_[v]);
    }
    return found;
  }

  // Looks for a consistent dataset in which `target` differs from its exact value, changing the
  // cells connected to it and keeping every other withheld cell exact. Cheap guesses first:
  //   1. `target` swapped with one other cell (what the rules are meant to allow);
  //   2. cells with equal exact values moved together (a class of equal cells);
  //   3. every cell on its own.
  void FindAnotherValue(int target) {
    order_.clear();
    std::vector<bool> seen(vars_.size(), false);
    order_.push_back(target);
    seen[target] = true;
    for (size_t i = 0; i < order_.size(); ++i) {
      for (int r : vars_[order_[i]].relations) {
        if (!relations_[r].links) continue;
        for (const std::vector<Term>* side : {&relations_[r].plus, &relations_[r].minus}) {
          for (const Term& term : *side) {
            if (term.var >= 0 && !seen[term.var]) {
              seen[term.var] = true;
              order_.push_back(term.var);
            }
          }
        }
      }
    }
    // 1. Swaps.
    for (int other : order_) {
      if (vars_[other].exact == vars_[target].exact) continue;
      Reset();
      for (int v : order_) assigned_[v] = true;
      std::swap(value_[target], value_[other]);
      bool consistent = value_[target] <= vars_[target].hi && value_[other] <= vars_[other].hi;
      for (int v : order_) consistent = consistent && Consistent(v);
      if (consistent && PublishesTheSame()) {
        for (int v : order_) vars_[v].possible.insert(value_[v]);
        Reset();
        return;
      }
    }
    // 2. Classes of equal cells, the target's first.
    std::map<int64_t, std::vector<int>> classes;
    for (int v : order_) classes[vars_[v].exact].push_back(v);
    std::vector<std::vector<int>> units = {classes[vars_[target].exact]};
    for (auto& [exact, unit] : classes) {
      if (exact != vars_[target].exact) units.push_back(unit);
    }
    bool found = SearchUnits(std::move(units), kDatasetBudget / 4);
    // 3. Cells one by one.
    if (!found) {
      std::vector<std::vector<int>> singles;
      for (int v : order_) singles.push_back({v});
      found = SearchUnits(std::move(singles), kDatasetBudget);
      if (!found && OutOfBudget()) vars_[target].budget_ran_out = true;
    }
    order_.clear();
    Reset();
  }

  const v1::QuarterSummary& exact_;
  const DisclosurePolicy& policy_;
  const IntruderOptions options_;
  v1::QuarterSummary published_;
  std::map<std::string, int> index_;
  std::vector<Var> vars_;
  std::vector<Relation> relations_;
  std::vector<int64_t> value_;
  std::vector<bool> assigned_;
  std::vector<int> order_;               // the cells the current search may change
  std::vector<std::vector<int>> units_;  // what Search assigns, in order
  int64_t budget_ = 0;
  int64_t datasets_tried_ = 0;
  int64_t datasets_this_search_ = 0;
  int64_t steps_this_search_ = 0;
};

}  // namespace

void PrintTo(const WithheldCell& cell, std::ostream* out) {
  *out << cell.name << " = " << cell.value << " (possible: " << absl::StrJoin(cell.possible, ", ")
       << (cell.budget_ran_out ? "; the search ran out of budget" : "") << ")";
}

std::vector<WithheldCell> IntruderReport::GivenAway() const {
  std::vector<WithheldCell> given_away;
  for (const WithheldCell& cell : cells) {
    if (cell.possible.size() < 2) given_away.push_back(cell);
  }
  return given_away;
}

std::string IntruderReport::Describe() const {
  std::string out;
  for (const WithheldCell& cell : GivenAway()) {
    absl::StrAppend(&out, "given away: ", cell.name, " = ", cell.value,
                    cell.budget_ran_out ? " (search budget ran out)" : "", "\n");
  }
  absl::StrAppend(&out, "exact:     ", exact.ShortDebugString(), "\n",
                  "published: ", published.ShortDebugString(), "\n");
  return out;
}

IntruderReport Intrude(const v1::QuarterSummary& exact, const DisclosurePolicy& policy,
                       const IntruderOptions& options) {
  return Attack(exact, policy, options).Run();
}

int64_t CountOf(const v1::QuarterSummary& summary, std::string_view name) {
  const std::optional<Name> parsed = Parse(name);
  if (!parsed.has_value()) return 0;
  switch (parsed->kind) {
    case Name::kRating:
      for (const v1::RatingCount& r : summary.ratings()) {
        if (r.rating() == parsed->rating) return r.count();
      }
      return 0;
    case Name::kTag:
      for (const v1::TagCount& t : summary.tags()) {
        if (t.tag() == parsed->field) return t.count();
      }
      return 0;
    case Name::kBand: {
      const v1::AdvocacyFigures* a = FindMeeting(summary, parsed->meeting);
      if (a == nullptr) return 0;
      for (const v1::AgeBandCount& band : a->age_bands()) {
        if (band.band() == parsed->field) return band.referrals();
      }
      return 0;
    }
    case Name::kAdvocacy: {
      const v1::AdvocacyFigures* a = FindMeeting(summary, parsed->meeting);
      const google::protobuf::FieldDescriptor* f =
          Int64Field(v1::AdvocacyFigures::default_instance(), parsed->field);
      if (a == nullptr || f == nullptr) return 0;
      return a->GetReflection()->GetInt64(*a, f);
    }
    case Name::kScalar: {
      const google::protobuf::FieldDescriptor* f = Int64Field(summary, parsed->field);
      return f == nullptr ? 0 : summary.GetReflection()->GetInt64(summary, f);
    }
    case Name::kKioskAnswered:
    case Name::kKioskRating:
    case Name::kKioskTheme: {
      const v1::KioskFigures* k = FindKiosk(summary, parsed->meeting);
      if (k == nullptr) return 0;
      if (parsed->kind == Name::kKioskAnswered) return k->answered();
      if (parsed->kind == Name::kKioskRating) {
        for (const v1::RatingCount& r : k->ratings()) {
          if (r.rating() == parsed->rating) return r.count();
        }
        return 0;
      }
      for (const v1::TagCount& t : k->themes()) {
        if (t.tag() == parsed->field) return t.count();
      }
      return 0;
    }
    case Name::kQa: {
      const v1::QaActivityFigures* q = FindQa(summary, parsed->activity, parsed->area);
      if (q == nullptr) return 0;
      if (parsed->field == "grade") {
        for (const v1::QaGradeCount& g : q->grades()) {
          if (g.grade() == parsed->grade) return g.count();
        }
        return 0;
      }
      const google::protobuf::FieldDescriptor* f =
          Int64Field(v1::QaActivityFigures::default_instance(), parsed->field);
      return f == nullptr ? 0 : q->GetReflection()->GetInt64(*q, f);
    }
    case Name::kOversight: {
      const v1::OversightFigures* o = FindOversight(summary, parsed->group);
      const google::protobuf::FieldDescriptor* f =
          Int64Field(v1::OversightFigures::default_instance(), parsed->field);
      if (o == nullptr || f == nullptr) return 0;
      return o->GetReflection()->GetInt64(*o, f);
    }
    case Name::kQaTheme:
    case Name::kOversightTheme: {
      const auto* themes = ThemesOf(summary, *parsed);
      if (themes == nullptr) return 0;
      for (const v1::TagCount& t : *themes) {
        if (t.tag() == parsed->field) return t.count();
      }
      return 0;
    }
  }
  return 0;
}

void SetCount(v1::QuarterSummary& summary, std::string_view name, int64_t value) {
  const std::optional<Name> parsed = Parse(name);
  if (!parsed.has_value()) return;
  switch (parsed->kind) {
    case Name::kRating: {
      auto* ratings = summary.mutable_ratings();
      auto it = std::find_if(ratings->begin(), ratings->end(), [&](const v1::RatingCount& r) {
        return r.rating() >= parsed->rating;
      });
      const bool found = it != ratings->end() && it->rating() == parsed->rating;
      if (value == 0) {
        if (found) ratings->erase(it);
        return;
      }
      if (!found) {
        const int at = static_cast<int>(it - ratings->begin());
        summary.add_ratings()->set_rating(parsed->rating);
        for (int i = ratings->size() - 1; i > at; --i) ratings->SwapElements(i, i - 1);
        it = ratings->begin() + at;
      }
      it->set_count(value);
      return;
    }
    case Name::kTag: {
      auto* tags = summary.mutable_tags();
      auto it = std::find_if(tags->begin(), tags->end(),
                             [&](const v1::TagCount& t) { return t.tag() >= parsed->field; });
      const bool found = it != tags->end() && it->tag() == parsed->field;
      if (value == 0) {
        if (found) tags->erase(it);
        return;
      }
      if (!found) {
        const int at = static_cast<int>(it - tags->begin());
        summary.add_tags()->set_tag(parsed->field);
        for (int i = tags->size() - 1; i > at; --i) tags->SwapElements(i, i - 1);
        it = tags->begin() + at;
      }
      it->set_count(value);
      return;
    }
    case Name::kBand: {
      v1::AdvocacyFigures* a = FindMeeting(summary, parsed->meeting);
      if (a == nullptr) return;
      for (v1::AgeBandCount& band : *a->mutable_age_bands()) {
        if (band.band() == parsed->field) band.set_referrals(value);
      }
      return;
    }
    case Name::kAdvocacy: {
      v1::AdvocacyFigures* a = FindMeeting(summary, parsed->meeting);
      const google::protobuf::FieldDescriptor* f =
          Int64Field(v1::AdvocacyFigures::default_instance(), parsed->field);
      if (a != nullptr && f != nullptr) a->GetReflection()->SetInt64(a, f, value);
      return;
    }
    case Name::kScalar: {
      const google::protobuf::FieldDescriptor* f = Int64Field(summary, parsed->field);
      if (f != nullptr) summary.GetReflection()->SetInt64(&summary, f, value);
      return;
    }
    case Name::kKioskAnswered:
      KioskOf(summary, parsed->meeting).set_answered(value);
      return;
    case Name::kKioskRating:
      for (v1::RatingCount& r : *KioskOf(summary, parsed->meeting).mutable_ratings()) {
        if (r.rating() == parsed->rating) r.set_count(value);
      }
      return;
    case Name::kQa: {
      v1::QaActivityFigures& q = QaOf(summary, parsed->activity, parsed->area);
      if (parsed->field == "grade") {
        for (v1::QaGradeCount& g : *q.mutable_grades()) {
          if (g.grade() == parsed->grade) g.set_count(value);
        }
        return;
      }
      const google::protobuf::FieldDescriptor* f =
          Int64Field(v1::QaActivityFigures::default_instance(), parsed->field);
      if (f != nullptr) q.GetReflection()->SetInt64(&q, f, value);
      return;
    }
    case Name::kOversight: {
      v1::OversightFigures& o = OversightOf(summary, parsed->group);
      const google::protobuf::FieldDescriptor* f =
          Int64Field(v1::OversightFigures::default_instance(), parsed->field);
      if (f != nullptr) o.GetReflection()->SetInt64(&o, f, value);
      return;
    }
    case Name::kQaTheme:
    case Name::kOversightTheme:
      SetTheme(MutableThemesOf(summary, *parsed), parsed->field, value);
      return;
    case Name::kKioskTheme: {
      // Sorted by tag; left out when 0, as Summarize does.
      auto* themes = KioskOf(summary, parsed->meeting).mutable_themes();
      auto it = std::find_if(themes->begin(), themes->end(),
                             [&](const v1::TagCount& t) { return t.tag() >= parsed->field; });
      const bool found = it != themes->end() && it->tag() == parsed->field;
      if (value == 0) {
        if (found) themes->erase(it);
        return;
      }
      if (!found) {
        const int at = static_cast<int>(it - themes->begin());
        themes->Add()->set_tag(parsed->field);
        for (int i = themes->size() - 1; i > at; --i) themes->SwapElements(i, i - 1);
        it = themes->begin() + at;
      }
      it->set_count(value);
      return;
    }
  }
}

}  // namespace feedback::testing
