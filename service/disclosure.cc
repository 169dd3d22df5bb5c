#include "service/disclosure.h"

#include <algorithm>
#include <fstream>
#include <optional>
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

// One published count of a summary.
struct Cell {
  std::string name;         // as listed in QuarterSummary.suppressed
  std::string_view figure;  // the policy figure it belongs to
  int64_t value = 0;
  std::function<void()> clear;  // sets the count in the summary to 0
  bool withheld = false;
};

// Cells that sum to a total. `total` is a cell index, or none when the total is not itself a
// field of the summary (the report or another publication may still show it).
struct Group {
  std::optional<size_t> total;
  std::vector<size_t> members;
};

// Every published count of `summary`, with the groups they form. The cells point into
// `summary`, which must not change shape while they are in use.
void Collect(v1::QuarterSummary& summary, std::vector<Cell>& cells, std::vector<Group>& groups) {
  const google::protobuf::Descriptor* descriptor = summary.GetDescriptor();
  const google::protobuf::Reflection* reflection = summary.GetReflection();
  auto index_of = [&cells](std::string_view name) -> size_t {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].name == name) return i;
    }
    return cells.size();
  };
  for (const ScalarFigure& scalar : kScalarFigures) {
    const google::protobuf::FieldDescriptor* field =
        descriptor->FindFieldByName(std::string(scalar.field));
    if (field == nullptr) continue;
    cells.push_back({std::string(scalar.field), scalar.figure, reflection->GetInt64(summary, field),
                     [&summary, reflection, field] { reflection->SetInt64(&summary, field, 0); }});
  }
  Group outcomes{index_of("complaints_closed"), {}};
  for (std::string_view outcome : {"complaints_upheld", "complaints_partially_upheld",
                                   "complaints_not_upheld", "complaints_withdrawn"}) {
    outcomes.members.push_back(index_of(outcome));
  }
  groups.push_back(std::move(outcomes));
  Group compliments;
  for (std::string_view source : {"compliments_from_families", "compliments_from_partners",
                                  "compliments_from_children", "compliments_from_advocates"}) {
    compliments.members.push_back(index_of(source));
  }

  Group ratings;
  for (v1::RatingCount& rating : *summary.mutable_ratings()) {
    ratings.members.push_back(cells.size());
    cells.push_back({absl::StrCat("ratings.", rating.rating()), "ratings", rating.count(),
                     [&rating] { rating.set_count(0); }});
  }
  groups.push_back(std::move(ratings));
  for (v1::TagCount& tag : *summary.mutable_tags()) {
    // An item has several tags: the tag counts are not a partition, so they form no group.
    cells.push_back({absl::StrCat("tags.", tag.tag()), FigureOfTag(tag.tag()), tag.count(),
                     [&tag] { tag.set_count(0); }});
  }
  // The "compliment" tag counts every compliment: the total of the compliments by source.
  if (const size_t total = index_of("tags.compliment"); total < cells.size()) {
    compliments.total = total;
  }
  groups.push_back(std::move(compliments));

  for (v1::AdvocacyFigures& advocacy : *summary.mutable_advocacy()) {
    const std::string meeting =
        absl::StrCat("advocacy.", v1::Meeting_Name(advocacy.meeting()).empty()
                                      ? absl::StrCat(static_cast<int>(advocacy.meeting()))
                                      : v1::Meeting_Name(advocacy.meeting()));
    Group bands{cells.size(), {}};
    cells.push_back({absl::StrCat(meeting, ".referrals"), "advocacy.referrals",
                     advocacy.referrals(), [&advocacy] { advocacy.set_referrals(0); }});
    cells.push_back({absl::StrCat(meeting, ".progressed"), "advocacy.progressed",
                     advocacy.progressed(), [&advocacy] { advocacy.set_progressed(0); }});
    cells.push_back({absl::StrCat(meeting, ".declined"), "advocacy.declined", advocacy.declined(),
                     [&advocacy] { advocacy.set_declined(0); }});
    cells.push_back({absl::StrCat(meeting, ".not_progressed"), "advocacy.not_progressed",
                     advocacy.not_progressed(), [&advocacy] { advocacy.set_not_progressed(0); }});
    for (v1::AgeBandCount& band : *advocacy.mutable_age_bands()) {
      bands.members.push_back(cells.size());
      cells.push_back({absl::StrCat(meeting, ".age_band.", band.band()), kAgeBandFigure,
                       band.referrals(), [&band] { band.set_referrals(0); }});
    }
    if (!bands.members.empty()) groups.push_back(std::move(bands));
  }
  // Drop references to fields this build of the proto lacks (index_of found nothing).
  for (Group& group : groups) {
    std::erase_if(group.members, [&cells](size_t i) { return i >= cells.size(); });
    if (group.total.has_value() && *group.total >= cells.size()) group.total.reset();
  }
}

// One step of secondary suppression for `group`: true if it withheld a cell.
bool ProtectGroup(const Group& group, std::vector<Cell>& cells) {
  int withheld = 0;
  if (group.total.has_value() && cells[*group.total].withheld) ++withheld;
  for (size_t i : group.members) withheld += cells[i].withheld ? 1 : 0;
  if (withheld != 1) return false;
  // The smallest other non-zero cell; failing that another (zero) cell; failing that the total.
  std::optional<size_t> choice;
  for (size_t i : group.members) {
    if (cells[i].withheld) continue;
    if (!choice.has_value()) {
      choice = i;
      continue;
    }
    const int64_t best = cells[*choice].value;
    const int64_t value = cells[i].value;
    if ((best == 0 && value != 0) || (value != 0 && value < best)) choice = i;
  }
  if (!choice.has_value() && group.total.has_value() && !cells[*group.total].withheld) {
    choice = group.total;
  }
  if (!choice.has_value()) return false;
  cells[*choice].withheld = true;
  return true;
}

void Control(v1::QuarterSummary& summary, const DisclosurePolicy& policy) {
  std::vector<Cell> cells;
  std::vector<Group> groups;
  Collect(summary, cells, groups);
  for (Cell& cell : cells) {
    cell.withheld =
        cell.value >= 1 && cell.value <= kMaxWithheldCount && policy.Suppresses(cell.figure);
  }
  // Each pass withholds at least one more cell or ends, so this terminates.
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Group& group : groups) changed = ProtectGroup(group, cells) || changed;
  }
  for (Cell& cell : cells) {
    if (!cell.withheld) continue;
    cell.clear();
    summary.add_suppressed(cell.name);
  }
}

}  // namespace

DisclosurePolicy::DisclosurePolicy() : suppressed_{std::string(kAgeBandFigure)} {}

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
