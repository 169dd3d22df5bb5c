#include "client/report/model.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/report/absl_bridge.h"
#include "client/report/cells.h"
#include "client/report/figure_specs.h"
#include "client/report/oversight_section.h"
#include "client/report/sentences.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

using report_internal::A;
using report_internal::AdvocacyCell;
using report_internal::AdvocacyTotal;
using report_internal::AgeBandMeasure;
using report_internal::ComplimentsTotal;
using report_internal::DivisionKey;
using report_internal::DivisionLabel;
using report_internal::DivisionName;
using report_internal::FieldOf;
using report_internal::FigureSpec;
using report_internal::FigureSpecs;
using report_internal::FindAdvocacy;
using report_internal::FindKiosk;
using report_internal::HasQaActivity;
using report_internal::IsWithheld;
using report_internal::kEnDash;
using report_internal::KioskAnsweredOf;
using report_internal::KioskCell;
using report_internal::KioskKey;
using report_internal::KioskRatingOf;
using report_internal::LateRevisionText;
using report_internal::LateSummary;
using report_internal::MeetingKey;
using report_internal::MeetingName;
using report_internal::Months;
using report_internal::Plus;
using report_internal::ProgressedOf;
using report_internal::QaCountOf;
using report_internal::QaDivisions;
using report_internal::QaGradeOf;
using report_internal::QaKey;
using report_internal::QaModeratedOf;
using report_internal::QaNoun;
using report_internal::QaThemeCell;
using report_internal::ReferralsOf;
using report_internal::SpacedQuarter;
using report_internal::ThemeLabel;
using report_internal::UpheldOrPartiallyUpheld;
using report_internal::Value;

// The section a quote belongs in, by who gave it.
std::string QuoteSection(v1::Source source) {
  switch (source) {
    case v1::SOURCE_CHILD:
    case v1::SOURCE_ADVOCATE:
      return "participation";
    case v1::SOURCE_FAMILY:
      return "families";
    case v1::SOURCE_PARTNER_AGENCY:
      return "partners";
    default:
      return "all";
  }
}

// The quote `item` (a v1::Feedback or a v1::Quote, whose fields are named alike) makes.
template <typename Item>
ReportQuote QuoteOf(const Item& item, std::string id) {
  ReportQuote quote;
  quote.id = std::move(id);
  quote.source = item.source();
  quote.kind = item.kind();
  quote.meeting = item.meeting();
  quote.text = item.text();
  quote.occurred_at_seconds = item.occurred_at().seconds();
  return quote;
}

std::string KioskThemeMeasure(v1::Meeting meeting, const std::string& tag) {
  return absl::StrCat(KioskKey(meeting), "_theme_", tag);
}

std::string KioskThemeLabel(v1::Meeting meeting, const std::string& tag) {
  return absl::StrCat("Kiosk theme ", kEnDash, " ", MeetingName(meeting), ": ", ThemeLabel(tag));
}

// The most frequent themes of `meeting`'s kiosk answers in `s`: shown counts largest first, then
// the withheld ones (1 to 5, or any when the answers are withheld: their order tells nothing),
// each by name; at most kKioskThemesShown.
std::vector<KioskTheme> MostFrequentThemes(const v1::QuarterSummary& s, v1::Meeting meeting) {
  const v1::KioskFigures* k = FindKiosk(s, meeting);
  if (k == nullptr) return {};
  return LeadingThemes(
      s, k->themes(),
      [meeting](const std::string& tag) { return KioskCell(meeting, absl::StrCat("theme.", tag)); },
      [meeting](const std::string& tag) { return KioskThemeMeasure(meeting, tag); },
      kKioskThemesShown);
}

// The most frequent of `themes` (an activity's strengths or areas for improvement; `kind` names
// their cells, "strength" or "improvement"): shown counts largest first, then withheld ones, each
// by name; at most kQaThemesShown.
std::vector<QaTheme> LeadingQaThemes(
    const v1::QuarterSummary& s, v1::QaActivity activity, std::string_view kind,
    const google::protobuf::RepeatedPtrField<v1::TagCount>& themes) {
  return LeadingThemes(
      s, themes,
      [activity, kind](const std::string& tag) { return QaThemeCell(activity, kind, tag); },
      [activity, kind](const std::string& tag) {
        return absl::StrCat(QaKey(activity), "_", A(kind), "_", tag);
      },
      kQaThemesShown);
}

// The seed's "QA framework activity": audits and practice observations of the quarter `s`,
// each by division and grade, with their leading themes; or, when the quarter has no check at
// all, one sentence saying so (and no figure).
ReportSection QaSection(const v1::QuarterSummary& s) {
  ReportSection section;
  section.id = "qa_activity";
  section.heading = report_internal::kQaHeading;
  if (!HasQaActivity(s)) {
    section.statements.push_back(
        {"qa_statement", QaNothingStatement(s.financial_year(), s.quarter())});
    return section;
  }
  for (v1::QaActivity activity :
       {v1::QA_ACTIVITY_CASE_FILE_AUDIT, v1::QA_ACTIVITY_PRACTICE_OBSERVATION}) {
    QaActivityBlock block;
    block.activity = activity;
    block.measure = QaKey(activity);
    block.noun = QaNoun(activity);
    block.heading = activity == v1::QA_ACTIVITY_CASE_FILE_AUDIT
                        ? "Audits across the Division"
                        : "Practice Observations across the Division";
    block.statement.measure = absl::StrCat(block.measure, "_statement");
    if (!HasQaActivity(s, activity)) {
      block.statement.text = QaNoneStatement(activity, s.quarter());
    } else {
      block.total.label = "Across the division";
      block.total.measure = block.measure;
      block.total.count = 0;
      block.total.grades.assign(std::size(kQaGrades), Value(0));
      block.total.moderated = 0;
      std::vector<std::pair<std::string, Value>> named;
      for (v1::ServiceArea area : QaDivisions(s, activity)) {
        QaDivisionRow row;
        row.service_area = area;
        row.label = DivisionLabel(area);
        row.measure = absl::StrCat(block.measure, "_", DivisionKey(area));
        row.count = QaCountOf(s, activity, area);
        for (size_t g = 0; g < std::size(kQaGrades); ++g) {
          row.grades.push_back(QaGradeOf(s, activity, area, kQaGrades[g]));
          block.total.grades[g] = Plus(block.total.grades[g], row.grades.back());
        }
        row.moderated = QaModeratedOf(s, activity, area);
        block.total.count = Plus(block.total.count, row.count);
        block.total.moderated = Plus(block.total.moderated, row.moderated);
        named.emplace_back(DivisionName(area), row.count);
        block.divisions.push_back(std::move(row));
      }
      block.statement.text = QaStatement(activity, s.quarter(), block.total.count, named);
      for (const v1::QaThemes& themes : s.qa_themes()) {
        if (themes.activity() != activity) continue;
        block.strengths = LeadingQaThemes(s, activity, "strength", themes.strengths());
        block.areas_for_improvement =
            LeadingQaThemes(s, activity, "improvement", themes.areas_for_improvement());
      }
    }
    section.statements.push_back(block.statement);
    section.qa_activities.push_back(std::move(block));
  }
  return section;
}

// The text of the reported quarter's narrative `section`, or "" when it has none (or only
// whitespace).
std::string NarrativeText(const QuarterReportInput& input, v1::NarrativeSection section) {
  for (const v1::NarrativeVersion& version : input.narrative) {
    if (version.section() != section) continue;
    const std::string& text = version.text();
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return "";
    return text;
  }
  return "";
}

// "narrative_next_steps".
std::string NarrativeMeasure(v1::NarrativeSection section) {
  std::string name = v1::NarrativeSection_Name(section);
  constexpr std::string_view kPrefix = "NARRATIVE_SECTION_";
  for (char& c : name) c = static_cast<char>(absl::ascii_tolower(static_cast<unsigned char>(c)));
  return absl::StrCat("narrative_", name.substr(kPrefix.size()));
}

// A section of its own for a narrative `section` ("review_of_previous_next_steps", ...), or
// nullopt when the quarter has no text for it.
std::optional<ReportSection> NarrativeSectionOf(const QuarterReportInput& input,
                                                v1::NarrativeSection section, std::string id,
                                                std::string heading) {
  std::string text = NarrativeText(input, section);
  if (text.empty()) return std::nullopt;
  ReportSection out;
  out.id = std::move(id);
  out.heading = std::move(heading);
  out.narrative_before.push_back({NarrativeMeasure(section), "", std::move(text)});
  return out;
}

// The seed's first line: "Leicester City Council Quarter 3 October – December 2018 Children's
// Social Care and Early Help Division Quality Assurance Report", each configured part in its
// place; without any, the generic "Feedback and participation report, 2018-19 Q3 (...)".
std::string ReportHeading(const QuarterReportInput& input, const QuarterReport& report) {
  const std::string division_part =
      input.service_area == v1::SERVICE_AREA_UNSPECIFIED
          ? std::string()
          : absl::StrCat(" ", kEnDash, " ", DivisionLabel(input.service_area));
  if (input.council_name.empty() && input.division_title.empty()) {
    return absl::StrCat("Feedback and participation report, ", report.title, division_part);
  }
  std::string out;
  if (!input.council_name.empty()) absl::StrAppend(&out, input.council_name, " ");
  absl::StrAppend(&out, "Quarter ", report.quarter, " ",
                  Months(report.financial_year, report.quarter), " ");
  if (!input.division_title.empty()) absl::StrAppend(&out, input.division_title, " ");
  absl::StrAppend(&out, "Quality Assurance Report", division_part);
  return out;
}

}  // namespace

std::vector<ReportTheme> LeadingThemes(
    const v1::QuarterSummary& s, const google::protobuf::RepeatedPtrField<v1::TagCount>& themes,
    const std::function<std::string(const std::string& tag)>& cell_of,
    const std::function<std::string(const std::string& tag)>& measure_of, size_t most) {
  std::vector<ReportTheme> leading;
  for (const v1::TagCount& t : themes) {
    const bool withheld = IsWithheld(s, cell_of(t.tag()));
    if (!withheld && t.count() == 0) continue;
    leading.push_back(
        {t.tag(), ThemeLabel(t.tag()), measure_of(t.tag()), withheld ? Value() : Value(t.count())});
  }
  // Withheld counts rank below every shown one: their order would tell what they hide.
  std::stable_sort(leading.begin(), leading.end(), [](const ReportTheme& a, const ReportTheme& b) {
    const int64_t rank_a = a.count.has_value() ? *a.count : -1;
    const int64_t rank_b = b.count.has_value() ? *b.count : -1;
    if (rank_a != rank_b) return rank_a > rank_b;
    return a.tag < b.tag;
  });
  if (leading.size() > most) leading.resize(most);
  return leading;
}

ReportQuote QuoteFromFeedback(const v1::Feedback& feedback) {
  return QuoteOf(feedback, feedback.id());
}

ReportQuote QuoteFromApproved(const v1::Quote& quote) {
  return QuoteOf(quote, quote.feedback_id());
}

absl::StatusOr<QuarterReport> BuildQuarterReport(const QuarterReportInput& input) {
  const std::vector<v1::QuarterSummary>& summaries = input.summaries;
  if (summaries.empty() || summaries.size() > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "summaries: want the quarters Q1..Qn of one financial year, got ", summaries.size()));
  }
  const int financial_year = summaries.front().financial_year();
  for (size_t i = 0; i < summaries.size(); ++i) {
    if (summaries[i].financial_year() != financial_year ||
        summaries[i].quarter() != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "summaries[", i, "]: want ", FormatQuarter({financial_year, static_cast<int>(i) + 1}),
          ", got financial_year ", summaries[i].financial_year(), " quarter ",
          summaries[i].quarter()));
    }
  }
  if (absl::Status valid = ValidateQuarter({financial_year, 1}); !valid.ok()) return valid;
  const v1::QuarterSummary& current = summaries.back();
  const v1::QuarterSummary& previous = current.previous_quarter();

  QuarterReport report;
  report.financial_year = financial_year;
  report.quarter = current.quarter();
  report.period = FormatQuarter({financial_year, report.quarter});
  report.title = absl::StrCat(SpacedQuarter(financial_year, report.quarter), " (",
                              Months(financial_year, report.quarter), ")");
  report.service_area = input.service_area;
  report.heading = ReportHeading(input, report);
  report.division =
      input.service_area != v1::SERVICE_AREA_UNSPECIFIED ? DivisionLabel(input.service_area)
      : input.division_title.empty() ? std::string("Children's Social Care and Early Help Division")
                                     : input.division_title;
  if (input.service_area != v1::SERVICE_AREA_UNSPECIFIED) {
    report.scope_note = absl::StrCat(
        "This report covers ", DivisionLabel(input.service_area),
        " only: every figure is that division's. Quotes and the narrative are the whole "
        "division's and are left out.");
  }
  const Quarter before = PreviousQuarter({financial_year, report.quarter});
  report.previous_period = FormatQuarter(before);
  report.change_label = before.financial_year == financial_year
                            ? absl::StrCat("Q", before.quarter)
                            : SpacedQuarter(before.financial_year, before.quarter);

  // The pilot's two meetings always; any other meeting with a referral in the year or the
  // previous quarter.
  std::vector<v1::Meeting> meetings = {v1::MEETING_INITIAL_CP_CONFERENCE, v1::MEETING_CLA_REVIEW};
  // The published quarters shown with changes after publication, the reported one first, with
  // their changes as summaries of differences.
  std::vector<std::pair<const v1::QuarterSummary*, v1::QuarterSummary>> revised;
  for (auto s = summaries.rbegin(); s != summaries.rend(); ++s) {
    if (s->late_revisions_size() > 0) revised.emplace_back(&*s, LateSummary(*s));
  }
  if (summaries.size() == 1 && previous.late_revisions_size() > 0) {
    revised.emplace_back(&previous, LateSummary(previous));
  }
  std::vector<const v1::QuarterSummary*> all;
  all.reserve(summaries.size() + 1 + revised.size());
  for (const v1::QuarterSummary& s : summaries) all.push_back(&s);
  all.push_back(&previous);
  for (const auto& [summary, late] : revised) all.push_back(&late);
  for (int m = v1::Meeting_MIN; m <= v1::Meeting_MAX; ++m) {
    const auto meeting = static_cast<v1::Meeting>(m);
    if (!v1::Meeting_IsValid(m) ||
        std::find(meetings.begin(), meetings.end(), meeting) != meetings.end()) {
      continue;
    }
    const bool used = std::any_of(all.begin(), all.end(), [meeting](const v1::QuarterSummary* s) {
      const v1::AdvocacyFigures* a = FindAdvocacy(*s, meeting);
      return (a != nullptr && a->referrals() != 0) ||
             IsWithheld(*s, AdvocacyCell(meeting, "referrals"));
    });
    if (used) meetings.push_back(meeting);
  }
  // A kiosk section for each meeting type with kiosk answers in the year, the previous quarter
  // or a revision: none when no kiosk was used, so a report without kiosk answers is as before.
  std::vector<v1::Meeting> kiosk_meetings;
  for (int m = v1::Meeting_MIN; m <= v1::Meeting_MAX; ++m) {
    const auto meeting = static_cast<v1::Meeting>(m);
    if (!v1::Meeting_IsValid(m)) continue;
    if (std::any_of(all.begin(), all.end(), [meeting](const v1::QuarterSummary* s) {
          return FindKiosk(*s, meeting) != nullptr;
        })) {
      kiosk_meetings.push_back(meeting);
    }
  }

  const std::vector<FigureSpec> specs =
      FigureSpecs(meetings, kiosk_meetings, /*qa=*/HasQaActivity(current));
  for (const FigureSpec& spec : specs) {
    ReportFigure figure;
    figure.measure = spec.measure;
    figure.section = spec.section;
    figure.label = spec.label;
    const Value now = spec.get(current);
    const Value before = spec.get(previous);
    figure.value = now.value_or(0);
    figure.value_withheld = !now.has_value();
    figure.previous_quarter = before.value_or(0);
    figure.previous_quarter_withheld = !before.has_value();
    for (const v1::QuarterSummary& s : summaries) {
      const Value v = spec.get(s);
      figure.by_quarter.push_back(v.value_or(0));
      figure.by_quarter_withheld.push_back(!v.has_value());
      figure.year_to_date += v.value_or(0);
      if (!v.has_value()) figure.year_to_date_withheld = true;
    }
    if (figure.year_to_date_withheld) figure.year_to_date = 0;
    report.figures.push_back(std::move(figure));
  }

  ReportSection participation;
  participation.id = "participation";
  participation.heading = absl::StrCat("Participation ", kEnDash, " Advocacy Pilot");
  for (v1::Meeting meeting : meetings) {
    participation.statements.push_back(
        {absl::StrCat("advocacy_", MeetingKey(meeting), "_statement"),
         AdvocacyStatement(meeting, ReferralsOf(current, meeting),
                           ProgressedOf(current, meeting))});
  }
  ReportSection families;
  families.id = "families";
  families.heading = "Feedback from Families";
  families.group = "Feedback";
  families.statements.push_back(
      {"families_statement",
       FamiliesStatement(FieldOf(current, "complaints_received"), UpheldOrPartiallyUpheld(current),
                         FieldOf(current, "compliments_from_families"))});
  ReportSection partners;
  partners.id = "partners";
  partners.heading = "Feedback from Partner Agencies";
  partners.group = "Feedback";
  partners.statements.push_back(
      {"partners_statement", PartnersStatement(FieldOf(current, "compliments_from_partners"))});
  ReportSection everything;
  everything.id = "all";
  everything.heading = "All feedback";
  // The seed's order: the QA framework's activity first, then QA through Independent Chairs,
  // participation and feedback.
  report.sections = {QaSection(current), report_internal::OversightSection(current),
                     std::move(participation), std::move(families), std::move(partners)};
  for (v1::Meeting meeting : kiosk_meetings) {
    ReportSection kiosk;
    kiosk.id = KioskKey(meeting);
    kiosk.heading = absl::StrCat("Kiosk ", kEnDash, " ", MeetingName(meeting));
    kiosk.group = "Feedback";
    kiosk.kiosk_meeting = meeting;
    kiosk.kiosk_themes = MostFrequentThemes(current, meeting);
    std::vector<Value> ratings;
    for (int rating = 1; rating <= 5; ++rating) {
      ratings.push_back(KioskRatingOf(current, meeting, rating));
    }
    std::vector<std::pair<std::string, Value>> themes;
    for (const KioskTheme& theme : kiosk.kiosk_themes)
      themes.emplace_back(theme.label, theme.count);
    kiosk.statements.push_back(
        {absl::StrCat(kiosk.id, "_statement"),
         KioskStatement(meeting, KioskAnsweredOf(current, meeting), ratings, themes)});
    report.sections.push_back(std::move(kiosk));
  }
  report.sections.push_back(std::move(everything));
  // The narrative where the seed has it: the review of the previous quarter's next steps and
  // any external review before the QA framework's activity, the pilot's description and its
  // recommendations around the advocacy figures, and the next steps last.
  {
    const int next_quarter = report.quarter % 4 + 1;
    std::vector<ReportSection> opening;
    if (std::optional<ReportSection> review =
            NarrativeSectionOf(input, v1::NARRATIVE_SECTION_REVIEW_OF_PREVIOUS_NEXT_STEPS,
                               "review_of_previous_next_steps",
                               absl::StrCat("Review of Q", before.quarter, " Next Steps"))) {
      opening.push_back(*std::move(review));
    }
    if (std::optional<ReportSection> external = NarrativeSectionOf(
            input, v1::NARRATIVE_SECTION_EXTERNAL_REVIEW, "external_review", "External Review")) {
      opening.push_back(*std::move(external));
    }
    report.sections.insert(report.sections.begin(), std::make_move_iterator(opening.begin()),
                           std::make_move_iterator(opening.end()));
    for (ReportSection& section : report.sections) {
      if (section.id != "participation") continue;
      if (std::string text = NarrativeText(input, v1::NARRATIVE_SECTION_PILOT_DESCRIPTION);
          !text.empty()) {
        section.narrative_before.push_back(
            {NarrativeMeasure(v1::NARRATIVE_SECTION_PILOT_DESCRIPTION), "", std::move(text)});
      }
      if (std::string text = NarrativeText(input, v1::NARRATIVE_SECTION_RECOMMENDATIONS);
          !text.empty()) {
        section.narrative_after.push_back({NarrativeMeasure(v1::NARRATIVE_SECTION_RECOMMENDATIONS),
                                           "Recommendations", std::move(text)});
      }
    }
    if (std::optional<ReportSection> steps =
            NarrativeSectionOf(input, v1::NARRATIVE_SECTION_NEXT_STEPS, "next_steps",
                               absl::StrCat("Q", next_quarter, " ", kEnDash, " Next Steps"))) {
      report.sections.push_back(*std::move(steps));
    }
  }

  std::vector<ReportQuote> quotes = input.quotes;
  std::stable_sort(quotes.begin(), quotes.end(), [](const ReportQuote& a, const ReportQuote& b) {
    return std::tie(a.occurred_at_seconds, a.id) < std::tie(b.occurred_at_seconds, b.id);
  });
  for (ReportQuote& quote : quotes) {
    const std::string section = QuoteSection(quote.source);
    for (ReportSection& s : report.sections) {
      if (s.id == section) {
        s.quotes.push_back(std::move(quote));
        break;
      }
    }
  }

  for (int q = 1; q <= 4; ++q) {
    ChartQuarter bar;
    bar.quarter = q;
    if (q <= static_cast<int>(summaries.size())) {
      const v1::QuarterSummary& s = summaries[q - 1];
      const Value complaints = FieldOf(s, "complaints_received");
      const Value compliments = ComplimentsTotal(s);
      const Value referrals = AdvocacyTotal(s);
      bar.complaints_received = complaints.value_or(0);
      bar.complaints_received_withheld = !complaints.has_value();
      bar.compliments = compliments.value_or(0);
      bar.compliments_withheld = !compliments.has_value();
      bar.advocacy_referrals = referrals.value_or(0);
      bar.advocacy_referrals_withheld = !referrals.has_value();
    }
    report.chart.push_back(bar);
  }

  // Age bands in the order the server lists them (youngest first), for the reported meetings.
  for (const v1::AdvocacyFigures& a : current.advocacy()) {
    for (const v1::AgeBandCount& band : a.age_bands()) {
      if (std::find(report.age_bands.begin(), report.age_bands.end(), band.band()) ==
          report.age_bands.end()) {
        report.age_bands.push_back(band.band());
      }
    }
  }
  if (!report.age_bands.empty()) {
    for (v1::Meeting meeting : meetings) {
      AgeBandRow row;
      row.meeting = meeting;
      row.measure = absl::StrCat("advocacy_", MeetingKey(meeting), "_age");
      row.label = MeetingName(meeting);
      const v1::AdvocacyFigures* a = FindAdvocacy(current, meeting);
      for (const std::string& band : report.age_bands) {
        Value value = 0;
        if (IsWithheld(current, absl::StrCat(AdvocacyCell(meeting, "age_band"), ".", band))) {
          value = std::nullopt;
        } else if (a != nullptr) {
          for (const v1::AgeBandCount& count : a->age_bands()) {
            if (count.band() == band) value = count.referrals();
          }
        }
        row.referrals.push_back(value);
      }
      report.age_band_rows.push_back(std::move(row));
    }
  }
  report.suppressed.assign(current.suppressed().begin(), current.suppressed().end());

  if (current.has_published_at()) {
    report.published_on = absl::FormatTime(
        "%Y-%m-%d", absl::FromUnixSeconds(current.published_at().seconds()), absl::UTCTimeZone());
  }
  for (const auto& [summary, late] : revised) {
    const std::string period = FormatQuarter({summary->financial_year(), summary->quarter()});
    const std::string spaced = SpacedQuarter(summary->financial_year(), summary->quarter());
    auto note = [&](const std::string& section, const std::string& measure,
                    const std::string& label, Value count) {
      report.late_revisions.push_back(
          {period, section, measure, label, count, LateRevisionText(spaced, label, count)});
    };
    for (const FigureSpec& spec : specs) {
      const Value count = spec.get(late);
      if (!count.has_value() || *count != 0) note(spec.section, spec.measure, spec.label, count);
    }
    report_internal::NoteOversightLateRevisions(
        late, [&note](const std::string& measure, const std::string& label, Value count) {
          note("oversight", measure, label, count);
        });
    // The age bands and kiosk themes, which the report shows for the reported quarter only.
    if (summary != &current) continue;
    for (const v1::KioskFigures& k : late.kiosk()) {
      for (const v1::TagCount& theme : k.themes()) {
        const bool withheld =
            IsWithheld(late, KioskCell(k.meeting(), absl::StrCat("theme.", theme.tag())));
        if (!withheld && theme.count() == 0) continue;
        note(KioskKey(k.meeting()), KioskThemeMeasure(k.meeting(), theme.tag()),
             KioskThemeLabel(k.meeting(), theme.tag()), withheld ? Value() : Value(theme.count()));
      }
    }
    for (const v1::AdvocacyFigures& a : late.advocacy()) {
      for (const v1::AgeBandCount& band : a.age_bands()) {
        const bool withheld =
            IsWithheld(late, absl::StrCat(AdvocacyCell(a.meeting(), "age_band"), ".", band.band()));
        if (!withheld && band.referrals() == 0) continue;
        AgeBandRow row;
        row.measure = absl::StrCat("advocacy_", MeetingKey(a.meeting()), "_age");
        note("participation", AgeBandMeasure(row, band.band()),
             absl::StrCat("Advocacy referrals ", kEnDash, " ", MeetingName(a.meeting()), ", aged ",
                          band.band()),
             withheld ? Value() : Value(band.referrals()));
      }
    }
  }
  return report;
}

}  // namespace feedback::client
