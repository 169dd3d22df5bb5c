#include "client/report/figure_specs.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "client/lib/kiosk.h"
#include "client/report/absl_bridge.h"
#include "client/report/sentences.h"
#include "proto/vocabulary/enum_flags.h"

namespace feedback::client::report_internal {
namespace {

using Getter = std::function<Value(const v1::QuarterSummary&)>;

// Reads the int64 field `name`.
Getter Field(std::string name) {
  return [name = std::move(name)](const v1::QuarterSummary& s) { return FieldOf(s, name); };
}

// `of` summed over every meeting of `s`.
Value SumOverMeetings(const v1::QuarterSummary& s,
                      Value (*of)(const v1::QuarterSummary&, v1::Meeting)) {
  Value total = 0;
  for (const v1::AdvocacyFigures& a : s.advocacy()) total = Plus(total, of(s, a.meeting()));
  return total;
}

}  // namespace

Value Plus(Value a, Value b) {
  if (!a.has_value() || !b.has_value()) return std::nullopt;
  return *a + *b;
}

bool IsWithheld(const v1::QuarterSummary& s, std::string_view name) {
  return std::find(s.suppressed().begin(), s.suppressed().end(), name) != s.suppressed().end();
}

Value FieldOf(const v1::QuarterSummary& s, const std::string& name) {
  if (IsWithheld(s, name)) return std::nullopt;
  const google::protobuf::FieldDescriptor* field = s.GetDescriptor()->FindFieldByName(name);
  return field == nullptr ? 0 : s.GetReflection()->GetInt64(s, field);
}

std::string AdvocacyCell(v1::Meeting meeting, std::string_view part) {
  return absl::StrCat("advocacy.", v1::Meeting_Name(meeting), ".", A(part));
}

const v1::AdvocacyFigures* FindAdvocacy(const v1::QuarterSummary& summary, v1::Meeting meeting) {
  for (const v1::AdvocacyFigures& a : summary.advocacy()) {
    if (a.meeting() == meeting) return &a;
  }
  return nullptr;
}

Value ReferralsOf(const v1::QuarterSummary& s, v1::Meeting meeting) {
  if (IsWithheld(s, AdvocacyCell(meeting, "referrals"))) return std::nullopt;
  const v1::AdvocacyFigures* a = FindAdvocacy(s, meeting);
  return a == nullptr ? 0 : a->referrals();
}

std::string KioskCell(v1::Meeting meeting, std::string_view part) {
  return absl::StrCat("kiosk.", v1::Meeting_Name(meeting), ".", A(part));
}

const v1::KioskFigures* FindKiosk(const v1::QuarterSummary& summary, v1::Meeting meeting) {
  for (const v1::KioskFigures& k : summary.kiosk()) {
    if (k.meeting() == meeting) return &k;
  }
  return nullptr;
}

Value KioskAnsweredOf(const v1::QuarterSummary& s, v1::Meeting meeting) {
  if (IsWithheld(s, KioskCell(meeting, "answered"))) return std::nullopt;
  const v1::KioskFigures* k = FindKiosk(s, meeting);
  return k == nullptr ? 0 : k->answered();
}

Value KioskRatingOf(const v1::QuarterSummary& s, v1::Meeting meeting, int rating) {
  if (IsWithheld(s, KioskCell(meeting, absl::StrCat("rating.", rating)))) return std::nullopt;
  const v1::KioskFigures* k = FindKiosk(s, meeting);
  if (k == nullptr) return 0;
  for (const v1::RatingCount& r : k->ratings()) {
    if (r.rating() == rating) return r.count();
  }
  return 0;
}

std::string KioskKey(v1::Meeting meeting) { return absl::StrCat("kiosk_", MeetingKey(meeting)); }

Value ProgressedOf(const v1::QuarterSummary& s, v1::Meeting meeting) {
  if (IsWithheld(s, AdvocacyCell(meeting, "progressed"))) return std::nullopt;
  const v1::AdvocacyFigures* a = FindAdvocacy(s, meeting);
  return a == nullptr ? 0 : a->progressed();
}

Value AdvocacyTotal(const v1::QuarterSummary& s) { return SumOverMeetings(s, ReferralsOf); }

Value ProgressedTotal(const v1::QuarterSummary& s) { return SumOverMeetings(s, ProgressedOf); }

Value UpheldOrPartiallyUpheld(const v1::QuarterSummary& s) {
  return Plus(FieldOf(s, "complaints_upheld"), FieldOf(s, "complaints_partially_upheld"));
}

Value ComplimentsTotal(const v1::QuarterSummary& s) {
  return Plus(
      Plus(FieldOf(s, "compliments_from_families"), FieldOf(s, "compliments_from_partners")),
      Plus(FieldOf(s, "compliments_from_children"), FieldOf(s, "compliments_from_advocates")));
}

std::string QaCell(v1::QaActivity activity, v1::ServiceArea area, std::string_view part) {
  return absl::StrCat("qa.", v1::QaActivity_Name(activity), ".", v1::ServiceArea_Name(area), ".",
                      A(part));
}

std::string QaThemeCell(v1::QaActivity activity, std::string_view kind, std::string_view tag) {
  return absl::StrCat("qa.", v1::QaActivity_Name(activity), ".", A(kind), ".", A(tag));
}

const v1::QaActivityFigures* FindQa(const v1::QuarterSummary& s, v1::QaActivity activity,
                                    v1::ServiceArea area) {
  for (const v1::QaActivityFigures& q : s.qa_activity()) {
    if (q.activity() == activity && q.service_area() == area) return &q;
  }
  return nullptr;
}

bool HasQaActivity(const v1::QuarterSummary& s, v1::QaActivity activity) {
  for (const v1::QaActivityFigures& q : s.qa_activity()) {
    if (q.activity() == activity) return true;
  }
  const std::string prefix = absl::StrCat("qa.", v1::QaActivity_Name(activity), ".");
  return std::any_of(s.suppressed().begin(), s.suppressed().end(),
                     [&prefix](const std::string& name) { return absl::StartsWith(name, prefix); });
}

bool HasQaActivity(const v1::QuarterSummary& s) {
  return HasQaActivity(s, v1::QA_ACTIVITY_CASE_FILE_AUDIT) ||
         HasQaActivity(s, v1::QA_ACTIVITY_PRACTICE_OBSERVATION);
}

std::vector<v1::ServiceArea> QaDivisions(const v1::QuarterSummary& s, v1::QaActivity activity) {
  std::vector<v1::ServiceArea> areas = {v1::SERVICE_AREA_EARLY_HELP, v1::SERVICE_AREA_SOCIAL_CARE,
                                        v1::SERVICE_AREA_YOUTH_OFFENDING};
  for (const v1::QaActivityFigures& q : s.qa_activity()) {
    if (q.activity() == activity &&
        std::find(areas.begin(), areas.end(), q.service_area()) == areas.end()) {
      areas.push_back(q.service_area());
    }
  }
  return areas;
}

Value QaCountOf(const v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area) {
  if (IsWithheld(s, QaCell(activity, area, "count"))) return std::nullopt;
  const v1::QaActivityFigures* q = FindQa(s, activity, area);
  return q == nullptr ? 0 : q->count();
}

Value QaModeratedOf(const v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area) {
  if (IsWithheld(s, QaCell(activity, area, "moderated"))) return std::nullopt;
  const v1::QaActivityFigures* q = FindQa(s, activity, area);
  return q == nullptr ? 0 : q->moderated();
}

Value QaGradeOf(const v1::QuarterSummary& s, v1::QaActivity activity, v1::ServiceArea area,
                v1::QaGrade grade) {
  if (IsWithheld(s, QaCell(activity, area, absl::StrCat("grade.", v1::QaGrade_Name(grade))))) {
    return std::nullopt;
  }
  const v1::QaActivityFigures* q = FindQa(s, activity, area);
  if (q == nullptr) return 0;
  for (const v1::QaGradeCount& g : q->grades()) {
    if (g.grade() == grade) return g.count();
  }
  return 0;
}

Value QaTotalOf(const v1::QuarterSummary& s, v1::QaActivity activity) {
  Value total = 0;
  for (v1::ServiceArea area : QaDivisions(s, activity)) {
    total = Plus(total, QaCountOf(s, activity, area));
  }
  return total;
}

std::string QaKey(v1::QaActivity activity) {
  return activity == v1::QA_ACTIVITY_PRACTICE_OBSERVATION ? "qa_practice_observations"
                                                          : "qa_case_file_audits";
}

std::string DivisionKey(v1::ServiceArea area) {
  const std::string spelled = FormatEnumFlag(v1::ServiceArea_descriptor(), area);
  return absl::StrReplaceAll(spelled.empty() ? "unspecified" : spelled, {{"-", "_"}});
}

std::vector<FigureSpec> FigureSpecs(const std::vector<v1::Meeting>& meetings,
                                    const std::vector<v1::Meeting>& kiosk_meetings, bool qa) {
  std::vector<FigureSpec> specs;
  for (v1::QaActivity activity :
       {v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::QA_ACTIVITY_PRACTICE_OBSERVATION}) {
    if (!qa) break;
    const std::string key = QaKey(activity);
    const std::string noun = QaNoun(activity);
    specs.push_back({key, "qa_activity", absl::StrCat(noun, ", every division"),
                     [activity](const v1::QuarterSummary& s) { return QaTotalOf(s, activity); }});
    for (v1::ServiceArea area : {v1::SERVICE_AREA_EARLY_HELP, v1::SERVICE_AREA_SOCIAL_CARE,
                                 v1::SERVICE_AREA_YOUTH_OFFENDING}) {
      specs.push_back(
          {absl::StrCat(key, "_", DivisionKey(area)), "qa_activity",
           absl::StrCat(noun, " ", kEnDash, " ", DivisionLabel(area)),
           [activity, area](const v1::QuarterSummary& s) { return QaCountOf(s, activity, area); }});
    }
  }
  for (v1::Meeting meeting : meetings) {
    const std::string key = MeetingKey(meeting);
    const std::string name = MeetingName(meeting);
    specs.push_back({absl::StrCat("advocacy_", key, "_referrals"), "participation",
                     absl::StrCat("Advocacy referrals ", kEnDash, " ", name),
                     [meeting](const v1::QuarterSummary& s) { return ReferralsOf(s, meeting); }});
    specs.push_back({absl::StrCat("advocacy_", key, "_progressed"), "participation",
                     absl::StrCat("Progressed to advocacy support ", kEnDash, " ", name),
                     [meeting](const v1::QuarterSummary& s) { return ProgressedOf(s, meeting); }});
  }
  // In report order; no getter: the QuarterSummary field named like the measure.
  const struct {
    const char* measure;
    const char* section;
    const char* label;
    Getter get;
  } kFigures[] = {
      {"advocacy_referrals_total", "participation", "Advocacy referrals, every meeting",
       AdvocacyTotal},
      {"advocacy_progressed_total", "participation",
       "Progressed to advocacy support, every meeting", ProgressedTotal},
      {"child_statements", "participation", "Children's statements", nullptr},
      {"compliments_from_children", "participation", "Compliments from children and young people",
       nullptr},
      {"compliments_from_advocates", "participation", "Compliments from advocates", nullptr},
      {"complaints_received", "families", "Complaints received", nullptr},
      {"complaints_upheld_or_partially_upheld", "families", "Complaints upheld or partially upheld",
       UpheldOrPartiallyUpheld},
      {"complaints_upheld", "families", "Complaints upheld", nullptr},
      {"complaints_partially_upheld", "families", "Complaints partially upheld", nullptr},
      {"complaints_not_upheld", "families", "Complaints not upheld", nullptr},
      {"complaints_withdrawn", "families", "Complaints withdrawn", nullptr},
      {"complaints_closed", "families", "Complaints closed (any outcome)", nullptr},
      {"complaints_closed_in_time", "families", "Complaints closed within their due date", nullptr},
      {"complaints_escalated_stage_2", "families", "Complaints escalated to stage 2", nullptr},
      {"complaints_escalated_stage_3", "families", "Complaints escalated to stage 3", nullptr},
      {"compliments_from_families", "families", "Compliments from families", nullptr},
      {"compliments_from_partners", "partners", "Compliments from partner agencies", nullptr},
      {"compliments_total", "all", "Compliments, every source", ComplimentsTotal},
      {"comments", "all", "Comments", nullptr},
  };
  bool kiosk_meetings_done = false;
  for (const auto& figure : kFigures) {
    if (!kiosk_meetings_done && std::string_view(figure.section) == "all") {
      // The kiosk sections sit with the feedback sections, before "all".
      for (v1::Meeting meeting : kiosk_meetings) {
        const std::string key = KioskKey(meeting);
        const std::string name = MeetingName(meeting);
        specs.push_back(
            {key + "_answered", key, absl::StrCat("Kiosk answers ", kEnDash, " ", name),
             [meeting](const v1::QuarterSummary& s) { return KioskAnsweredOf(s, meeting); }});
        for (int rating = 1; rating <= 5; ++rating) {
          specs.push_back({absl::StrCat(key, "_rating_", rating), key,
                           absl::StrCat("How was today? ", rating, " ", A(KioskRatingWords(rating)),
                                        " ", kEnDash, " ", name),
                           [meeting, rating](const v1::QuarterSummary& s) {
                             return KioskRatingOf(s, meeting, rating);
                           }});
        }
      }
      kiosk_meetings_done = true;
    }
    specs.push_back({figure.measure, figure.section, figure.label,
                     figure.get ? figure.get : Field(figure.measure)});
  }
  return specs;
}

namespace {

// LateSummary for one audits', observations' or chairs' oversight cell: "qa.<ACTIVITY>.<AREA>.
// count|moderated|grade.<GRADE>" or "oversight.<GROUP>.count|escalations|no_concerns|
// commendations" (their themes are not reported as late revisions).
void AddLateQualityOrOversight(v1::QuarterSummary& late, const std::string& name, int64_t count) {
  const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 3));
  if (parts[0] == "qa" && parts.size() == 4) {
    v1::QaActivity activity = v1::QA_ACTIVITY_UNSPECIFIED;
    v1::ServiceArea area = v1::SERVICE_AREA_UNSPECIFIED;
    if (!v1::QaActivity_Parse(parts[1], &activity) || !v1::ServiceArea_Parse(parts[2], &area)) {
      return;
    }
    v1::QaActivityFigures* q = nullptr;
    for (v1::QaActivityFigures& existing : *late.mutable_qa_activity()) {
      if (existing.activity() == activity && existing.service_area() == area) q = &existing;
    }
    if (q == nullptr) {
      q = late.add_qa_activity();
      q->set_activity(activity);
      q->set_service_area(area);
    }
    if (parts[3] == "count") q->set_count(count);
    if (parts[3] == "moderated") q->set_moderated(count);
    return;
  }
  v1::OversightGroup group = v1::OVERSIGHT_GROUP_UNSPECIFIED;
  if (parts[0] != "oversight" || parts.size() != 3 || !v1::OversightGroup_Parse(parts[1], &group)) {
    return;
  }
  v1::OversightFigures* o = nullptr;
  for (v1::OversightFigures& existing : *late.mutable_oversight()) {
    if (existing.group() == group) o = &existing;
  }
  if (o == nullptr) {
    o = late.add_oversight();
    o->set_group(group);
  }
  if (parts[2] == "count") o->set_count(count);
  if (parts[2] == "escalations") o->set_escalations(count);
  if (parts[2] == "no_concerns") o->set_no_concerns(count);
  if (parts[2] == "commendations") o->set_commendations(count);
}

}  // namespace

v1::QuarterSummary LateSummary(const v1::QuarterSummary& s) {
  v1::QuarterSummary late;
  late.set_financial_year(s.financial_year());
  late.set_quarter(s.quarter());
  for (const v1::LateRevision& revision : s.late_revisions()) {
    const std::string& name = revision.figure();
    if (revision.withheld()) late.add_suppressed(name);
    int rating = 0;
    if (absl::StartsWith(name, "ratings.") && absl::SimpleAtoi(name.substr(8), &rating)) {
      v1::RatingCount* count = late.add_ratings();
      count->set_rating(rating);
      count->set_count(revision.count());
    } else if (absl::StartsWith(name, "tags.")) {
      v1::TagCount* tag = late.add_tags();
      tag->set_tag(name.substr(5));
      tag->set_count(revision.count());
    } else if (absl::StartsWith(name, "kiosk.")) {
      // kiosk.<MEETING>.answered, kiosk.<MEETING>.rating.<n> or kiosk.<MEETING>.theme.<tag>
      const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 3));
      v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
      if (parts.size() < 3 || !v1::Meeting_Parse(parts[1], &meeting)) continue;
      v1::KioskFigures* k = nullptr;
      for (v1::KioskFigures& existing : *late.mutable_kiosk()) {
        if (existing.meeting() == meeting) k = &existing;
      }
      if (k == nullptr) {
        k = late.add_kiosk();
        k->set_meeting(meeting);
      }
      int rating = 0;
      if (parts[2] == "answered") k->set_answered(revision.count());
      if (parts[2] == "rating" && parts.size() == 4 && absl::SimpleAtoi(parts[3], &rating)) {
        v1::RatingCount* count = k->add_ratings();
        count->set_rating(rating);
        count->set_count(revision.count());
      }
      if (parts[2] == "theme" && parts.size() == 4) {
        v1::TagCount* theme = k->add_themes();
        theme->set_tag(parts[3]);
        theme->set_count(revision.count());
      }
    } else if (absl::StartsWith(name, "advocacy.")) {
      // advocacy.<MEETING>.<referrals|progressed|...> or advocacy.<MEETING>.age_band.<band>
      const std::vector<std::string> parts = absl::StrSplit(name, absl::MaxSplits('.', 3));
      v1::Meeting meeting = v1::MEETING_UNSPECIFIED;
      if (parts.size() < 3 || !v1::Meeting_Parse(parts[1], &meeting)) continue;
      v1::AdvocacyFigures* a = nullptr;
      for (v1::AdvocacyFigures& existing : *late.mutable_advocacy()) {
        if (existing.meeting() == meeting) a = &existing;
      }
      if (a == nullptr) {
        a = late.add_advocacy();
        a->set_meeting(meeting);
      }
      if (parts[2] == "referrals") a->set_referrals(revision.count());
      if (parts[2] == "progressed") a->set_progressed(revision.count());
      if (parts[2] == "declined") a->set_declined(revision.count());
      if (parts[2] == "not_progressed") a->set_not_progressed(revision.count());
      if (parts[2] == "age_band" && parts.size() == 4) {
        v1::AgeBandCount* band = a->add_age_bands();
        band->set_band(parts[3]);
        band->set_referrals(revision.count());
      }
    } else if (absl::StartsWith(name, "qa.") || absl::StartsWith(name, "oversight.")) {
      AddLateQualityOrOversight(late, name, revision.count());
    } else if (const google::protobuf::FieldDescriptor* field =
                   late.GetDescriptor()->FindFieldByName(name);
               field != nullptr && !field->is_repeated() &&
               field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      late.GetReflection()->SetInt64(&late, field, revision.count());
    }
  }
  return late;
}

}  // namespace feedback::client::report_internal
