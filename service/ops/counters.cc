#include "service/ops/counters.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/domain/complaints.h"
#include "service/domain/oversight.h"
#include "service/domain/tagger.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

// Figures that are not QuarterSummary fields of the same name.
constexpr std::string_view kTagFigure = "tag:";
constexpr std::string_view kRatingFigure = "rating:";
constexpr std::string_view kAdvocacyFigure = "advocacy:";  // advocacy:<meeting>:<status>
constexpr std::string_view kAgeFigure = "age:";            // advocacy:<meeting>:age:<band>
// kiosk:<meeting>:answered, kiosk:<meeting>:rating:<1..5>, kiosk:<meeting>:theme:<tag>
constexpr std::string_view kKioskFigure = "kiosk:";
// qa:<activity>:grade:<grade>, qa:<activity>:moderated, qa:<activity>:strength:<tag>,
// qa:<activity>:improvement:<tag> (audits and observations, counted in their division)
constexpr std::string_view kQaFigure = "qa:";
// oversight:<meeting>:outcome:<outcome>, oversight:<meeting>:strength:<tag>,
// oversight:<meeting>:development:<tag> (chairs' oversight, counted in its service area)
constexpr std::string_view kOversightFigure = "oversight:";

// {true for strengths / false for areas for development, tag} -> count
using OversightThemeCounts = std::map<std::pair<bool, std::string>, int64_t>;

v1::OversightFigures& OversightFor(v1::QuarterSummary& summary, v1::OversightGroup group) {
  for (v1::OversightFigures& figures : *summary.mutable_oversight()) {
    if (figures.group() == group) return figures;
  }
  v1::OversightFigures* figures = summary.add_oversight();
  figures->set_group(group);
  return *figures;
}

void AddOversight(v1::QuarterSummary& summary, OversightThemeCounts& themes,
                  std::string_view figure, int64_t value) {
  // "<meeting>:outcome:<outcome>", "<meeting>:strength:<tag>" or "<meeting>:development:<tag>"
  const std::vector<std::string> parts = absl::StrSplit(std::string(figure), ':');
  int meeting = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &meeting) || !v1::Meeting_IsValid(meeting)) {
    return;
  }
  if (parts[1] == "strength" || parts[1] == "development") {
    themes[{parts[1] == "strength", parts[2]}] += value;
    return;
  }
  int outcome = 0;
  const v1::OversightGroup group = OversightGroupOf(static_cast<v1::Meeting>(meeting));
  if (parts[1] != "outcome" || !absl::SimpleAtoi(parts[2], &outcome) ||
      group == v1::OVERSIGHT_GROUP_UNSPECIFIED) {
    return;
  }
  v1::OversightFigures& figures = OversightFor(summary, group);
  switch (outcome) {
    case v1::OVERSIGHT_OUTCOME_ESCALATION:
      figures.set_escalations(figures.escalations() + value);
      break;
    case v1::OVERSIGHT_OUTCOME_NO_CONCERNS:
      figures.set_no_concerns(figures.no_concerns() + value);
      break;
    case v1::OVERSIGHT_OUTCOME_COMMENDATION:
      figures.set_commendations(figures.commendations() + value);
      break;
    default:
      return;
  }
  figures.set_count(figures.count() + value);
}

// Lists the oversight themes counted, by name, and puts the groups in order.
void FinishOversightFigures(v1::QuarterSummary& summary, const OversightThemeCounts& themes) {
  for (const auto& [key, count] : themes) {  // areas before strengths, then tag
    if (count == 0) continue;
    v1::TagCount* theme = key.first ? summary.add_oversight_strengths()
                                    : summary.add_oversight_areas_for_development();
    theme->set_tag(key.second);
    theme->set_count(count);
  }
  std::sort(summary.mutable_oversight()->begin(), summary.mutable_oversight()->end(),
            [](const v1::OversightFigures& a, const v1::OversightFigures& b) {
              return a.group() < b.group();
            });
}

// {activity, true for strengths / false for areas for improvement, tag} -> count
using QaThemeCounts = std::map<std::tuple<int, bool, std::string>, int64_t>;

v1::QaActivityFigures& QaActivityFor(v1::QuarterSummary& summary, v1::QaActivity activity,
                                     v1::ServiceArea area) {
  for (v1::QaActivityFigures& figures : *summary.mutable_qa_activity()) {
    if (figures.activity() == activity && figures.service_area() == area) return figures;
  }
  v1::QaActivityFigures* figures = summary.add_qa_activity();
  figures->set_activity(activity);
  figures->set_service_area(area);
  // Every grade, best first, zeros included: the table is complete and sums to the count.
  for (int grade = v1::QA_GRADE_OUTSTANDING; grade <= v1::QA_GRADE_INADEQUATE; ++grade) {
    figures->add_grades()->set_grade(static_cast<v1::QaGrade>(grade));
  }
  return *figures;
}

void AddQa(v1::QuarterSummary& summary, QaThemeCounts& themes, int area, std::string_view figure,
           int64_t value) {
  // "<activity>:grade:<grade>", "<activity>:moderated", "<activity>:strength:<tag>" or
  // "<activity>:improvement:<tag>"
  const std::vector<std::string> parts = absl::StrSplit(std::string(figure), ':');
  int activity = 0;
  if (parts.size() < 2 || parts.size() > 3 || !absl::SimpleAtoi(parts[0], &activity) ||
      !v1::QaActivity_IsValid(activity)) {
    return;
  }
  if (parts.size() == 2) {
    if (parts[1] != "moderated") return;
    v1::QaActivityFigures& figures = QaActivityFor(summary, static_cast<v1::QaActivity>(activity),
                                                   static_cast<v1::ServiceArea>(area));
    figures.set_moderated(figures.moderated() + value);
    return;
  }
  if (parts[1] == "strength" || parts[1] == "improvement") {
    themes[{activity, parts[1] == "strength", parts[2]}] += value;
    return;
  }
  int grade = 0;
  if (parts[1] != "grade" || !absl::SimpleAtoi(parts[2], &grade) ||
      grade < v1::QA_GRADE_OUTSTANDING || grade > v1::QA_GRADE_INADEQUATE) {
    return;
  }
  v1::QaActivityFigures& figures = QaActivityFor(summary, static_cast<v1::QaActivity>(activity),
                                                 static_cast<v1::ServiceArea>(area));
  figures.set_count(figures.count() + value);
  v1::QaGradeCount& count = *figures.mutable_grades(grade - v1::QA_GRADE_OUTSTANDING);
  count.set_count(count.count() + value);
}

// Lists the themes counted, by activity, and puts the activity figures in order.
void FinishQaFigures(v1::QuarterSummary& summary, const QaThemeCounts& themes) {
  for (const auto& [key, count] : themes) {  // by activity, areas before strengths, then tag
    if (count == 0) continue;
    const auto& [activity, strength, tag] = key;
    v1::QaThemes* entry = nullptr;
    for (v1::QaThemes& listed : *summary.mutable_qa_themes()) {
      if (listed.activity() == activity) entry = &listed;
    }
    if (entry == nullptr) {
      entry = summary.add_qa_themes();
      entry->set_activity(static_cast<v1::QaActivity>(activity));
    }
    v1::TagCount* theme = strength ? entry->add_strengths() : entry->add_areas_for_improvement();
    theme->set_tag(tag);
    theme->set_count(count);
  }
  std::sort(summary.mutable_qa_activity()->begin(), summary.mutable_qa_activity()->end(),
            [](const v1::QaActivityFigures& a, const v1::QaActivityFigures& b) {
              return std::pair(a.activity(), a.service_area()) <
                     std::pair(b.activity(), b.service_area());
            });
}

// Figures as literals, for absl::StrCat (which takes no std::string_view from Debian's Abseil):
// a submission's kind figure is counted without a string made for it.
const char* ComplimentFigure(v1::Source source) {
  switch (source) {
    case v1::SOURCE_FAMILY:
      return "compliments_from_families";
    case v1::SOURCE_PARTNER_AGENCY:
      return "compliments_from_partners";
    case v1::SOURCE_CHILD:
      return "compliments_from_children";
    default:
      return "compliments_from_advocates";
  }
}

const char* KindFigure(const v1::Feedback& feedback) {
  switch (feedback.kind()) {
    case v1::KIND_COMPLAINT:
      return "complaints_received";
    case v1::KIND_COMPLIMENT:
      return ComplimentFigure(feedback.source());
    case v1::KIND_COMMENT:
      return "comments";
    default:
      return "child_statements";
  }
}

// Adds `value` to the int64 field called `figure`, if QuarterSummary has one.
void AddToScalarField(v1::QuarterSummary& summary, std::string_view figure, int64_t value) {
  const google::protobuf::FieldDescriptor* field =
      summary.GetDescriptor()->FindFieldByName(std::string(figure));
  if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64 ||
      field->is_repeated()) {
    return;
  }
  const google::protobuf::Reflection* reflection = summary.GetReflection();
  reflection->SetInt64(&summary, field, reflection->GetInt64(summary, field) + value);
}

v1::AdvocacyFigures& AdvocacyFor(v1::QuarterSummary& summary, v1::Meeting meeting) {
  for (v1::AdvocacyFigures& figures : *summary.mutable_advocacy()) {
    if (figures.meeting() == meeting) return figures;
  }
  v1::AdvocacyFigures* figures = summary.add_advocacy();
  figures->set_meeting(meeting);
  return *figures;
}

// Adds `value` to the count of `band`, which is one of AgeBands().
void AddAgeBand(v1::AdvocacyFigures& figures, std::string_view band, int64_t value) {
  for (v1::AgeBandCount& count : *figures.mutable_age_bands()) {
    if (count.band() == band) {
      count.set_referrals(count.referrals() + value);
      return;
    }
  }
  // Every band in order, so that a meeting's table is complete and sums to its referrals.
  for (std::string_view name : AgeBands()) {
    v1::AgeBandCount* count = figures.add_age_bands();
    count->set_band(std::string(name));
    if (name == band) count->set_referrals(value);
  }
}

void AddAdvocacy(v1::QuarterSummary& summary, std::string_view figure, int64_t value) {
  // "<meeting number>:<referrals|progressed|declined|not_progressed>" or
  // "<meeting number>:age:<band>"
  const std::vector<std::string> parts = absl::StrSplit(std::string(figure), ':');
  int meeting = 0;
  if (parts.size() < 2 || parts.size() > 3 || !absl::SimpleAtoi(parts[0], &meeting)) return;
  if (parts.size() == 3) {
    const std::vector<std::string_view>& bands = AgeBands();
    if (parts[1] + ":" != kAgeFigure ||
        std::find(bands.begin(), bands.end(), parts[2]) == bands.end()) {
      return;
    }
    AddAgeBand(AdvocacyFor(summary, static_cast<v1::Meeting>(meeting)), parts[2], value);
    return;
  }
  v1::AdvocacyFigures& figures = AdvocacyFor(summary, static_cast<v1::Meeting>(meeting));
  if (parts[1] == "referrals") figures.set_referrals(figures.referrals() + value);
  if (parts[1] == "progressed") figures.set_progressed(figures.progressed() + value);
  if (parts[1] == "declined") figures.set_declined(figures.declined() + value);
  if (parts[1] == "not_progressed") figures.set_not_progressed(figures.not_progressed() + value);
}

v1::KioskFigures& KioskFor(v1::QuarterSummary& summary, v1::Meeting meeting) {
  for (v1::KioskFigures& figures : *summary.mutable_kiosk()) {
    if (figures.meeting() == meeting) return figures;
  }
  v1::KioskFigures* figures = summary.add_kiosk();
  figures->set_meeting(meeting);
  // Every rating, zeros included, like the age bands: the table is complete.
  for (int rating = 1; rating <= 5; ++rating) figures->add_ratings()->set_rating(rating);
  return *figures;
}

void AddKiosk(v1::QuarterSummary& summary, std::map<std::pair<int, std::string>, int64_t>& themes,
              std::string_view figure, int64_t value) {
  // "<meeting number>:answered", "<meeting number>:rating:<1..5>" or "<meeting>:theme:<tag>"
  const std::vector<std::string> parts = absl::StrSplit(std::string(figure), ':');
  int meeting = 0;
  if (parts.size() < 2 || parts.size() > 3 || !absl::SimpleAtoi(parts[0], &meeting)) return;
  if (parts.size() == 2) {
    if (parts[1] != "answered") return;
    v1::KioskFigures& figures = KioskFor(summary, static_cast<v1::Meeting>(meeting));
    figures.set_answered(figures.answered() + value);
    return;
  }
  if (parts[1] == "theme") {
    KioskFor(summary, static_cast<v1::Meeting>(meeting));
    themes[{meeting, parts[2]}] += value;
    return;
  }
  int rating = 0;
  if (parts[1] != "rating" || !absl::SimpleAtoi(parts[2], &rating) || rating < 1 || rating > 5) {
    return;
  }
  v1::RatingCount& count =
      *KioskFor(summary, static_cast<v1::Meeting>(meeting)).mutable_ratings(rating - 1);
  count.set_count(count.count() + value);
}

void AddFigure(v1::QuarterSummary& summary, std::map<std::string, int64_t>& tags,
               std::map<int, int64_t>& ratings,
               std::map<std::pair<int, std::string>, int64_t>& kiosk_themes,
               std::string_view figure, int64_t value) {
  if (figure.starts_with(kKioskFigure)) {
    AddKiosk(summary, kiosk_themes, figure.substr(kKioskFigure.size()), value);
  } else if (figure.starts_with(kTagFigure)) {
    tags[std::string(figure.substr(kTagFigure.size()))] += value;
  } else if (figure.starts_with(kRatingFigure)) {
    int rating = 0;
    if (absl::SimpleAtoi(std::string(figure.substr(kRatingFigure.size())), &rating)) {
      ratings[rating] += value;
    }
  } else if (figure.starts_with(kAdvocacyFigure)) {
    AddAdvocacy(summary, figure.substr(kAdvocacyFigure.size()), value);
  } else {
    AddToScalarField(summary, figure, value);
  }
}

}  // namespace

const std::vector<std::string_view>& AgeBands() {
  static const std::vector<std::string_view> kBands = {"0-4", "5-9", "10-15", "16-17", "18-25"};
  return kBands;
}

std::string_view AgeBandOf(int age) {
  if (age <= 4) return "0-4";
  if (age <= 9) return "5-9";
  if (age <= 15) return "10-15";
  if (age <= 17) return "16-17";
  return "18-25";
}

std::string_view ReferralAgeBand(const v1::AdvocacyReferral& referral) {
  if (!referral.age_band().empty()) return referral.age_band();
  return AgeBandOf(referral.child_age());
}

std::string CounterBook::QuarterPrefix(Quarter quarter) {
  return absl::StrCat(quarter.financial_year, "Q", quarter.quarter, "/");
}

std::string CounterBook::KeyPrefix(const google::protobuf::Timestamp& at, int area) const {
  const Quarter quarter =
      calendar_.QuarterOf(absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(at)));
  return absl::StrCat(QuarterPrefix(quarter), area, "/");
}

std::string CounterBook::Key(const google::protobuf::Timestamp& at, int area,
                             std::string_view figure) const {
  return absl::StrCat(KeyPrefix(at, area), std::string(figure));
}

Counters CounterBook::OfFeedback(const v1::Feedback& feedback,
                                 const v1::Complaint* complaint) const {
  const CounterKeys keys = KeysOfFeedback(feedback, complaint);
  Counters counters;
  // KeysOfFeedback gives most keys in order, and each then goes at the end of the map: one
  // comparison a key rather than a search. A key out of order still goes where it belongs.
  for (size_t i = 0; i < keys.size(); ++i) {
    counters.try_emplace(counters.end(), std::string(keys[i]))->second += 1;
  }
  return counters;
}

CounterKeys CounterBook::KeysOfFeedback(const v1::Feedback& feedback,
                                        const v1::Complaint* complaint) const {
  CounterKeys keys;
  const int area = feedback.service_area();
  // Everything but a complaint's decisions counts in the quarter it occurred in: its prefix,
  // worked out once (a time zone look-up).
  const std::string occurred = KeyPrefix(feedback.occurred_at(), area);
  // In key order (kind figures all start with "c", then "kiosk:", "rating:" and "tag:", tags
  // sorted), for OfFeedback's map.
  auto count = [&](const auto&... figure) { keys.Add(occurred, figure...); };
  count(KindFigure(feedback));
  // absl::StrCat takes absl::string_view, which Debian's Abseil does not make from a std one.
  const absl::string_view rating_figure(kRatingFigure.data(), kRatingFigure.size());
  const absl::string_view tag_figure(kTagFigure.data(), kTagFigure.size());
  if (feedback.submitter_role() == v1::ROLE_KIOSK) {
    // A kiosk answer, by meeting type: counted, rated, and its themes (not its rule tags).
    const std::string kiosk =
        absl::StrCat(std::string(kKioskFigure), static_cast<int>(feedback.meeting()), ":");
    count(kiosk, "answered");
    if (feedback.rating() > 0) count(kiosk, "rating:", feedback.rating());
    for (const std::string& tag : feedback.tags()) {
      if (IsThemeTag(tag)) count(kiosk, "theme:", tag);
    }
  }
  if (feedback.rating() > 0) count(rating_figure, feedback.rating());
  for (const std::string& tag : feedback.tags()) count(tag_figure, tag);
  if (complaint == nullptr) return keys;
  // Every decision counts in the quarter it was made; history is append-only, so a published
  // quarter's decisions never move.
  v1::ComplaintStage previous_stage = v1::COMPLAINT_STAGE_UNSPECIFIED;
  for (const v1::ComplaintEvent& event : complaint->history()) {
    const bool escalated =
        previous_stage != v1::COMPLAINT_STAGE_UNSPECIFIED && event.stage() > previous_stage;
    previous_stage = event.stage();
    if (!escalated && event.action() != "closed") continue;
    const std::string decided = KeyPrefix(event.effective_at(), area);
    if (escalated) {
      keys.Add(decided, "complaints_escalated_stage_", static_cast<int>(event.stage()));
    }
    if (event.action() == "closed") {
      keys.Add(decided, "complaints_", OutcomeTag(event.outcome()));
      keys.Add(decided, "complaints_closed");
      if (TimeUtil::TimestampToMicroseconds(event.effective_at()) <
          TimeUtil::TimestampToMicroseconds(event.due_at())) {
        keys.Add(decided, "complaints_closed_in_time");
      }
    }
  }
  return keys;
}

Counters CounterBook::OfReferral(const v1::AdvocacyReferral& referral) const {
  Counters counters;
  const std::string figure =
      absl::StrCat(std::string(kAdvocacyFigure), static_cast<int>(referral.meeting()), ":");
  counters[Key(referral.referred_at(), referral.service_area(), figure + "referrals")] += 1;
  counters[Key(
      referral.referred_at(), referral.service_area(),
      absl::StrCat(figure, std::string(kAgeFigure), std::string(ReferralAgeBand(referral))))] += 1;
  if (referral.status() != v1::ADVOCACY_STATUS_REFERRED) {
    constexpr std::string_view kPrefix = "ADVOCACY_STATUS_";
    const std::string status =
        absl::AsciiStrToLower(v1::AdvocacyStatus_Name(referral.status()).substr(kPrefix.size()));
    counters[Key(referral.referred_at(), referral.service_area(), figure + status)] += 1;
  }
  return counters;
}

Counters CounterBook::OfQualityCheck(const v1::QualityCheck& check) const {
  Counters counters;
  const int area = check.service_area();
  const auto& at = check.occurred_at();
  const std::string figure =
      absl::StrCat(std::string(kQaFigure), static_cast<int>(check.activity()), ":");
  counters[Key(at, area, absl::StrCat(figure, "grade:", static_cast<int>(check.grade())))] += 1;
  if (check.moderated()) counters[Key(at, area, figure + "moderated")] += 1;
  for (const std::string& tag : check.strength_themes()) {
    counters[Key(at, area, absl::StrCat(figure, "strength:", tag))] += 1;
  }
  for (const std::string& tag : check.improvement_themes()) {
    counters[Key(at, area, absl::StrCat(figure, "improvement:", tag))] += 1;
  }
  return counters;
}

Counters CounterBook::OfOversight(const v1::ChairOversight& oversight) const {
  Counters counters;
  const int area = oversight.service_area();
  const auto& at = oversight.occurred_at();
  const std::string figure =
      absl::StrCat(std::string(kOversightFigure), static_cast<int>(oversight.meeting()), ":");
  counters[Key(at, area,
               absl::StrCat(figure, "outcome:", static_cast<int>(oversight.outcome())))] += 1;
  for (const std::string& tag : oversight.strength_themes()) {
    counters[Key(at, area, absl::StrCat(figure, "strength:", tag))] += 1;
  }
  for (const std::string& tag : oversight.development_themes()) {
    counters[Key(at, area, absl::StrCat(figure, "development:", tag))] += 1;
  }
  return counters;
}

v1::QuarterSummary CounterBook::Summarize(
    Quarter quarter, v1::ServiceArea area,
    const std::vector<std::pair<std::string, int64_t>>& counters) {
  v1::QuarterSummary summary;
  summary.set_financial_year(quarter.financial_year);
  summary.set_quarter(quarter.quarter);
  summary.set_service_area(area);
  std::map<std::string, int64_t> tags;
  std::map<int, int64_t> ratings;
  std::map<std::pair<int, std::string>, int64_t> kiosk_themes;  // {meeting, tag}
  QaThemeCounts qa_themes;
  OversightThemeCounts oversight_themes;
  const std::string prefix = QuarterPrefix(quarter);
  for (const auto& [key, value] : counters) {
    if (!key.starts_with(prefix) || value == 0) continue;
    const std::string_view rest = std::string_view(key).substr(prefix.size());
    const size_t slash = rest.find('/');
    int key_area = 0;
    if (slash == std::string_view::npos ||
        !absl::SimpleAtoi(std::string(rest.substr(0, slash)), &key_area)) {
      continue;
    }
    if (area != v1::SERVICE_AREA_UNSPECIFIED && key_area != area) continue;
    const std::string_view figure = rest.substr(slash + 1);
    if (figure.starts_with(kQaFigure)) {
      AddQa(summary, qa_themes, key_area, figure.substr(kQaFigure.size()), value);
      continue;
    }
    if (figure.starts_with(kOversightFigure)) {
      AddOversight(summary, oversight_themes, figure.substr(kOversightFigure.size()), value);
      continue;
    }
    AddFigure(summary, tags, ratings, kiosk_themes, figure, value);
  }
  FinishQaFigures(summary, qa_themes);
  FinishOversightFigures(summary, oversight_themes);
  for (const auto& [rating, count] : ratings) {
    v1::RatingCount* entry = summary.add_ratings();
    entry->set_rating(rating);
    entry->set_count(count);
  }
  for (const auto& [tag, count] : tags) {
    if (count == 0) continue;
    v1::TagCount* entry = summary.add_tags();
    entry->set_tag(tag);
    entry->set_count(count);
  }
  std::sort(summary.mutable_advocacy()->begin(), summary.mutable_advocacy()->end(),
            [](const v1::AdvocacyFigures& a, const v1::AdvocacyFigures& b) {
              return a.meeting() < b.meeting();
            });
  for (const auto& [key, count] : kiosk_themes) {  // by meeting, then tag
    if (count == 0) continue;
    v1::TagCount* theme = KioskFor(summary, static_cast<v1::Meeting>(key.first)).add_themes();
    theme->set_tag(key.second);
    theme->set_count(count);
  }
  std::sort(summary.mutable_kiosk()->begin(), summary.mutable_kiosk()->end(),
            [](const v1::KioskFigures& a, const v1::KioskFigures& b) {
              return a.meeting() < b.meeting();
            });
  return summary;
}

absl::Status AddCounts(storage::Transaction& txn, const CounterKeys& keys) {
  for (size_t i = 0; i < keys.size(); ++i) RETURN_IF_ERROR(txn.AddToCounter(keys[i], 1));
  return absl::OkStatus();
}

absl::Status ApplyCounterDelta(storage::Transaction& txn, const Counters& before,
                               const Counters& after) {
  // A new item (nothing before) adds `after` as it is: no copy of it on the writer thread.
  if (before.empty()) {
    for (const auto& [key, value] : after) RETURN_IF_ERROR(txn.AddToCounter(key, value));
    return absl::OkStatus();
  }
  Counters delta = after;
  for (const auto& [key, value] : before) delta[key] -= value;
  for (const auto& [key, value] : delta) RETURN_IF_ERROR(txn.AddToCounter(key, value));
  return absl::OkStatus();
}

}  // namespace feedback
