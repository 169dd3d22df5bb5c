#include "service/ops/publication.h"

#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/counters.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;
using CounterList = std::vector<std::pair<std::string, int64_t>>;

// The name of an enum value in a cell name: its name, or its number when it has none.
template <typename Enum>
std::string CellPart(Enum value, const std::string& name) {
  return name.empty() ? absl::StrCat(static_cast<int>(value)) : name;
}

// VisitCells for the audits' and practice observations' cells: "qa.<ACTIVITY>.<AREA>.count",
// ".moderated", ".grade.<GRADE>", "qa.<ACTIVITY>.strength.<tag>", ".improvement.<tag>".
void VisitQualityCheckCells(
    v1::QuarterSummary& summary,
    absl::FunctionRef<int64_t(const std::string& name, int64_t value)> visit) {
  for (v1::QaActivityFigures& q : *summary.mutable_qa_activity()) {
    const std::string cell =
        absl::StrCat("qa.", CellPart(q.activity(), v1::QaActivity_Name(q.activity())), ".",
                     CellPart(q.service_area(), v1::ServiceArea_Name(q.service_area())), ".");
    q.set_count(visit(cell + "count", q.count()));
    q.set_moderated(visit(cell + "moderated", q.moderated()));
    for (v1::QaGradeCount& grade : *q.mutable_grades()) {
      grade.set_count(visit(
          absl::StrCat(cell, "grade.", CellPart(grade.grade(), v1::QaGrade_Name(grade.grade()))),
          grade.count()));
    }
  }
  for (v1::QaThemes& themes : *summary.mutable_qa_themes()) {
    const std::string cell = absl::StrCat(
        "qa.", CellPart(themes.activity(), v1::QaActivity_Name(themes.activity())), ".");
    for (v1::TagCount& theme : *themes.mutable_strengths()) {
      theme.set_count(visit(absl::StrCat(cell, "strength.", theme.tag()), theme.count()));
    }
    for (v1::TagCount& theme : *themes.mutable_areas_for_improvement()) {
      theme.set_count(visit(absl::StrCat(cell, "improvement.", theme.tag()), theme.count()));
    }
  }
}

// VisitCells for the chairs' oversight cells: "oversight.<GROUP>.count", ".escalations",
// ".no_concerns", ".commendations", "oversight.strength.<tag>", "oversight.development.<tag>".
void VisitOversightCells(v1::QuarterSummary& summary,
                         absl::FunctionRef<int64_t(const std::string& name, int64_t value)> visit) {
  for (v1::OversightFigures& o : *summary.mutable_oversight()) {
    const std::string cell =
        absl::StrCat("oversight.", CellPart(o.group(), v1::OversightGroup_Name(o.group())), ".");
    o.set_count(visit(cell + "count", o.count()));
    o.set_escalations(visit(cell + "escalations", o.escalations()));
    o.set_no_concerns(visit(cell + "no_concerns", o.no_concerns()));
    o.set_commendations(visit(cell + "commendations", o.commendations()));
  }
  for (v1::TagCount& theme : *summary.mutable_oversight_strengths()) {
    theme.set_count(visit(absl::StrCat("oversight.strength.", theme.tag()), theme.count()));
  }
  for (v1::TagCount& theme : *summary.mutable_oversight_areas_for_development()) {
    theme.set_count(visit(absl::StrCat("oversight.development.", theme.tag()), theme.count()));
  }
}

// Calls `visit(name, value)` for every published count of `summary` and stores what it returns.
// Names as in QuarterSummary.suppressed (service/disclosure.cc names the same cells).
void VisitCells(v1::QuarterSummary& summary,
                absl::FunctionRef<int64_t(const std::string& name, int64_t value)> visit) {
  const google::protobuf::Descriptor* descriptor = summary.GetDescriptor();
  const google::protobuf::Reflection* reflection = summary.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() ||
        field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      continue;
    }
    reflection->SetInt64(&summary, field,
                         visit(field->name(), reflection->GetInt64(summary, field)));
  }
  for (v1::RatingCount& rating : *summary.mutable_ratings()) {
    rating.set_count(visit(absl::StrCat("ratings.", rating.rating()), rating.count()));
  }
  for (v1::TagCount& tag : *summary.mutable_tags()) {
    tag.set_count(visit(absl::StrCat("tags.", tag.tag()), tag.count()));
  }
  for (v1::AdvocacyFigures& a : *summary.mutable_advocacy()) {
    const std::string& name = v1::Meeting_Name(a.meeting());
    const std::string cell = absl::StrCat(
        "advocacy.", name.empty() ? absl::StrCat(static_cast<int>(a.meeting())) : name, ".");
    a.set_referrals(visit(cell + "referrals", a.referrals()));
    a.set_progressed(visit(cell + "progressed", a.progressed()));
    a.set_declined(visit(cell + "declined", a.declined()));
    a.set_not_progressed(visit(cell + "not_progressed", a.not_progressed()));
    for (v1::AgeBandCount& band : *a.mutable_age_bands()) {
      band.set_referrals(visit(absl::StrCat(cell, "age_band.", band.band()), band.referrals()));
    }
  }
  for (v1::KioskFigures& k : *summary.mutable_kiosk()) {
    const std::string& name = v1::Meeting_Name(k.meeting());
    const std::string cell = absl::StrCat(
        "kiosk.", name.empty() ? absl::StrCat(static_cast<int>(k.meeting())) : name, ".");
    k.set_answered(visit(cell + "answered", k.answered()));
    for (v1::RatingCount& rating : *k.mutable_ratings()) {
      rating.set_count(visit(absl::StrCat(cell, "rating.", rating.rating()), rating.count()));
    }
    for (v1::TagCount& theme : *k.mutable_themes()) {
      theme.set_count(visit(absl::StrCat(cell, "theme.", theme.tag()), theme.count()));
    }
  }
  VisitQualityCheckCells(summary, visit);
  VisitOversightCells(summary, visit);
}

absl::StatusOr<v1::QuarterSummary> FrozenSummary(const v1::internal::StoredPublication& publication,
                                                 v1::ServiceArea area) {
  for (const v1::QuarterSummary& summary : publication.published().summaries()) {
    if (summary.service_area() == area) return summary;
  }
  return absl::DataLossError(absl::StrCat(
      "publication of ",
      FormatQuarter({publication.published().financial_year(), publication.published().quarter()}),
      " has no summary for service area ", static_cast<int>(area)));
}

CounterList CountersOf(const v1::internal::StoredPublication& publication) {
  CounterList counters;
  for (const v1::internal::FrozenCounter& counter : publication.counters()) {
    counters.emplace_back(counter.key(), counter.value());
  }
  return counters;
}

}  // namespace

std::string PublishedKey(Quarter quarter) {
  return absl::StrCat(std::string(kPublishedPrefix), quarter.financial_year, "Q", quarter.quarter);
}

const std::vector<v1::ServiceArea>& PublishedAreas() {
  static const auto* areas = new std::vector<v1::ServiceArea>{
      v1::SERVICE_AREA_UNSPECIFIED, v1::SERVICE_AREA_EARLY_HELP, v1::SERVICE_AREA_SOCIAL_CARE,
      v1::SERVICE_AREA_YOUTH_OFFENDING};
  return *areas;
}

std::vector<v1::LateRevision> LateRevisions(Quarter quarter, v1::ServiceArea area,
                                            const CounterList& live, const CounterList& frozen,
                                            const DisclosurePolicy* policy) {
  std::map<std::string, int64_t> delta;
  for (const auto& [key, value] : live) delta[key] += value;
  for (const auto& [key, value] : frozen) delta[key] -= value;
  CounterList changed;
  for (const auto& [key, value] : delta) {
    if (value != 0) changed.emplace_back(key, value);
  }
  v1::QuarterSummary differences = CounterBook::Summarize(quarter, area, changed);
  std::set<std::string, std::less<>> withheld;
  if (policy != nullptr) {
    v1::QuarterSummary magnitudes = differences;
    VisitCells(magnitudes, [](const std::string&, int64_t value) { return std::abs(value); });
    ApplyDisclosureControl(magnitudes, *policy);
    withheld.insert(magnitudes.suppressed().begin(), magnitudes.suppressed().end());
  }
  std::vector<v1::LateRevision> revisions;
  VisitCells(differences, [&](const std::string& name, int64_t value) {
    if (withheld.contains(name) || value != 0) {
      v1::LateRevision& revision = revisions.emplace_back();
      revision.set_figure(name);
      revision.set_withheld(withheld.erase(name) > 0);
      revision.set_count(revision.withheld() ? 0 : value);
    }
    return value;
  });
  // Cells the control withheld that the differences do not hold (a zero rating or tag it lists
  // so that the withheld ones have two possible values): listed too.
  for (const std::string& name : withheld) {
    v1::LateRevision& revision = revisions.emplace_back();
    revision.set_figure(name);
    revision.set_withheld(true);
  }
  return revisions;
}

absl::StatusOr<std::optional<v1::internal::StoredPublication>> QuarterFigures::FindPublication(
    Lookup find, Quarter quarter) const {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, find(PublishedKey(quarter)));
  if (!bytes.has_value()) return std::nullopt;
  v1::internal::StoredPublication publication;
  if (!publication.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("publication of ", FormatQuarter(quarter), " does not parse"));
  }
  return publication;
}

absl::StatusOr<std::optional<std::string>> QuarterFigures::FromStore(std::string_view key) const {
  absl::StatusOr<std::string> bytes = store_.GetEntity(key);
  if (absl::IsNotFound(bytes.status())) return std::nullopt;
  if (!bytes.ok()) return bytes.status();
  return *std::move(bytes);
}

absl::StatusOr<v1::QuarterSummary> QuarterFigures::Published(Lookup find, Quarter quarter,
                                                             v1::ServiceArea area,
                                                             const CounterList& counters) const {
  v1::QuarterSummary current = CounterBook::Summarize(quarter, area, counters);
  const Quarter before = PreviousQuarter(quarter);
  ASSIGN_OR_RETURN(std::optional<v1::internal::StoredPublication> frozen_before,
                   FindPublication(find, before));
  if (!frozen_before.has_value()) {
    ASSIGN_OR_RETURN(auto previous, store_.ReadCounters(CounterBook::QuarterPrefix(before)));
    *current.mutable_previous_quarter() = CounterBook::Summarize(before, area, previous);
    ApplyDisclosureControl(current, policy_);
    return current;
  }
  // The previous quarter as it was published, so that no report shows two versions of it.
  ApplyDisclosureControl(current, policy_);
  ASSIGN_OR_RETURN(v1::QuarterSummary previous, FrozenSummary(*frozen_before, area));
  previous.clear_previous_quarter();
  *current.mutable_previous_quarter() = std::move(previous);
  return current;
}

absl::Status QuarterFigures::AttachLateRevisions(v1::QuarterSummary& summary) const {
  summary.clear_late_revisions();
  if (!summary.has_published_at()) return absl::OkStatus();
  const Quarter quarter{summary.financial_year(), summary.quarter()};
  auto from_store = [this](std::string_view key) { return FromStore(key); };
  ASSIGN_OR_RETURN(std::optional<v1::internal::StoredPublication> publication,
                   FindPublication(from_store, quarter));
  if (!publication.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto live, store_.ReadCounters(CounterBook::QuarterPrefix(quarter)));
  for (v1::LateRevision& revision :
       LateRevisions(quarter, summary.service_area(), live, CountersOf(*publication), &policy_)) {
    *summary.add_late_revisions() = std::move(revision);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::QuarterSummary> QuarterFigures::Get(Quarter quarter, v1::ServiceArea area,
                                                       bool published) const {
  auto from_store = [this](std::string_view key) { return FromStore(key); };
  if (!published) {
    // Exact and live, for internal QA: no publication data, so that nothing built from it
    // (a report with --exact) can pass it off as published figures.
    const Quarter before = PreviousQuarter(quarter);
    ASSIGN_OR_RETURN(auto current, store_.ReadCounters(CounterBook::QuarterPrefix(quarter)));
    ASSIGN_OR_RETURN(auto previous, store_.ReadCounters(CounterBook::QuarterPrefix(before)));
    v1::QuarterSummary summary = CounterBook::Summarize(quarter, area, current);
    *summary.mutable_previous_quarter() = CounterBook::Summarize(before, area, previous);
    return summary;
  }
  ASSIGN_OR_RETURN(std::optional<v1::internal::StoredPublication> publication,
                   FindPublication(from_store, quarter));
  v1::QuarterSummary summary;
  if (publication.has_value()) {
    ASSIGN_OR_RETURN(summary, FrozenSummary(*publication, area));
  } else {
    ASSIGN_OR_RETURN(auto counters, store_.ReadCounters(CounterBook::QuarterPrefix(quarter)));
    ASSIGN_OR_RETURN(summary, Published(from_store, quarter, area, counters));
  }
  RETURN_IF_ERROR(AttachLateRevisions(summary));
  if (summary.has_previous_quarter()) {
    RETURN_IF_ERROR(AttachLateRevisions(*summary.mutable_previous_quarter()));
  }
  return summary;
}

absl::Status QuarterFigures::CheckFinished(Quarter quarter, absl::Time now) const {
  const absl::Time end = calendar_.End(quarter);
  if (end <= now) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("quarter: ", FormatQuarter(quarter), " is not over until ",
                   absl::FormatTime("%Y-%m-%d %H:%M %Z", end, calendar_.zone()),
                   "; a quarter is published once it has ended"));
}

storage::TypedWriteOp<v1::PublishedQuarter> QuarterFigures::Publish(
    Quarter quarter, absl::Time now, std::string published_by) const {
  return [this, quarter, now, published_by = std::move(published_by)](
             storage::Transaction& txn) -> absl::StatusOr<v1::PublishedQuarter> {
    auto find = [&txn](std::string_view key) { return txn.FindEntity(key); };
    ASSIGN_OR_RETURN(std::optional<v1::internal::StoredPublication> existing,
                     FindPublication(find, quarter));
    if (existing.has_value()) {
      const absl::Time at = absl::FromUnixMicros(
          TimeUtil::TimestampToMicroseconds(existing->published().published_at()));
      return absl::FailedPreconditionError(absl::StrCat(
          "quarter: ", FormatQuarter(quarter), " was published on ",
          absl::FormatTime("%Y-%m-%d", at, calendar_.zone()),
          "; published figures do not change (what arrives later is shown as late revisions)"));
    }
    for (int q = 1; q < quarter.quarter; ++q) {
      const Quarter earlier{quarter.financial_year, q};
      ASSIGN_OR_RETURN(std::optional<v1::internal::StoredPublication> found,
                       FindPublication(find, earlier));
      if (!found.has_value()) {
        return absl::FailedPreconditionError(
            absl::StrCat("quarter: publish ", FormatQuarter(earlier), " first (a quarter's ",
                         "report shows every earlier quarter of its financial year)"));
      }
    }
    v1::internal::StoredPublication stored;
    v1::PublishedQuarter& published = *stored.mutable_published();
    published.set_financial_year(quarter.financial_year);
    published.set_quarter(quarter.quarter);
    *published.mutable_published_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    published.set_published_by(published_by);
    // The counters are read once, on the writer thread: a write committed before this one is
    // in them; one staged in the same group just before is not, and shows as a late revision.
    ASSIGN_OR_RETURN(auto counters, store_.ReadCounters(CounterBook::QuarterPrefix(quarter)));
    for (const auto& [key, value] : counters) {
      if (value == 0) continue;
      v1::internal::FrozenCounter* frozen = stored.add_counters();
      frozen->set_key(key);
      frozen->set_value(value);
    }
    const CounterList frozen_counters = CountersOf(stored);
    for (v1::ServiceArea area : PublishedAreas()) {
      // The published form as GetQuarterSummary gave it a moment ago, from the counters stored.
      ASSIGN_OR_RETURN(v1::QuarterSummary frozen, Published(find, quarter, area, frozen_counters));
      frozen.mutable_previous_quarter()->clear_late_revisions();
      *frozen.mutable_published_at() = published.published_at();
      *published.add_summaries() = std::move(frozen);
    }
    RETURN_IF_ERROR(txn.PutEntity(PublishedKey(quarter), stored.SerializeAsString()));
    return published;
  };
}

}  // namespace feedback
