#include "client/report/sentences.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/lib/kiosk.h"
#include "client/report/absl_bridge.h"
#include "client/report/cells.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace report_internal {

std::string MeetingName(v1::Meeting meeting) {
  switch (meeting) {
    case v1::MEETING_INITIAL_CP_CONFERENCE:
      return "Initial Child Protection Conference";
    case v1::MEETING_REVIEW_CP_CONFERENCE:
      return "Review Child Protection Conference";
    case v1::MEETING_CLA_REVIEW:
      return "Children Looked After";
    case v1::MEETING_CIN_REVIEW:
      return "Child in Need Review";
    case v1::MEETING_EARLY_HELP_REVIEW:
      return "Early Help Review";
    case v1::MEETING_FAMILY_GROUP_CONFERENCE:
      return "Family Group Conference";
    case v1::MEETING_OTHER:
      return "Other Meetings";
    default:
      return "Unspecified Meeting";
  }
}

std::string DivisionName(v1::ServiceArea area) {
  switch (area) {
    case v1::SERVICE_AREA_EARLY_HELP:
      return "Early Help";
    case v1::SERVICE_AREA_SOCIAL_CARE:
      return "social care";
    case v1::SERVICE_AREA_YOUTH_OFFENDING:
      return "YOS";
    default:
      return "no division given";
  }
}

std::string DivisionLabel(v1::ServiceArea area) {
  std::string label = DivisionName(area);
  label[0] = absl::ascii_toupper(static_cast<unsigned char>(label[0]));
  return label;
}

std::string QaNoun(v1::QaActivity activity) {
  return activity == v1::QA_ACTIVITY_PRACTICE_OBSERVATION ? "Practice observations"
                                                          : "Case-file audits";
}

std::string OversightGroupLabel(v1::OversightGroup group) {
  switch (group) {
    case v1::OVERSIGHT_GROUP_LAC_REVIEWS:
      return "LAC reviews";
    case v1::OVERSIGHT_GROUP_CP_CONFERENCES:
      return "CP conferences";
    default:
      return "Other meetings";
  }
}

std::string Percent(Value part, Value total) {
  if (!part.has_value() || !total.has_value()) return kWithheld;
  if (*total <= 0) return "0%";
  // Whole numbers, halves up, in integers: (200 * part + total) / (2 * total).
  return absl::StrCat((200 * *part + *total) / (2 * *total), "%");
}

std::string ThemeLabel(std::string_view tag) {
  std::string label(tag);
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::string SpacedQuarter(int financial_year, int quarter) {
  const std::string written = FormatQuarter(Quarter{financial_year, quarter});  // 2018-19Q3
  return absl::StrCat(written.substr(0, written.size() - 2), " ",
                      written.substr(written.size() - 2));
}

std::string Months(int financial_year, int quarter) {
  static constexpr std::array<const char*, 4> kMonths = {
      "April \xE2\x80\x93 June", "July \xE2\x80\x93 September", "October \xE2\x80\x93 December",
      "January \xE2\x80\x93 March"};
  return absl::StrCat(kMonths[quarter - 1], " ", financial_year + (quarter == 4 ? 1 : 0));
}

std::string YearToDateSpan(int quarter) {
  return quarter == 1 ? "Q1" : absl::StrCat("Q1", kEnDash, "Q", quarter);
}

std::string PublishedSentence(const QuarterReport& report) {
  if (report.published_on.empty()) return "";
  return absl::StrCat("Figures as published on ", report.published_on, ".");
}

std::string LateRevisionText(const std::string& spaced_period, std::string_view label,
                             Value count) {
  std::string change;
  if (!count.has_value()) {
    change = absl::StrCat(kWithheld, " more");
  } else if (*count < 0) {
    change = absl::StrCat(-*count, " fewer");
  } else {
    change = absl::StrCat(*count, " more");
  }
  return absl::StrCat(spaced_period, " ", kEnDash, " ", A(label), ": ", change,
                      " after publication");
}

namespace {

// "1 complaint", "26 complaints", "c complaints".
std::string Count(Value n, absl::string_view one, absl::string_view many) {
  if (!n.has_value()) return absl::StrCat(kWithheld, " ", many);
  return absl::StrCat(*n, " ", *n == 1 ? one : many);
}

}  // namespace
}  // namespace report_internal

using report_internal::A;
using report_internal::Count;
using report_internal::kEnDash;
using report_internal::MeetingName;
using report_internal::Shown;
using report_internal::Value;

std::string FamiliesStatement(int64_t complaints, int64_t upheld_or_partially_upheld,
                              int64_t compliments) {
  return FamiliesStatement(Value(complaints), Value(upheld_or_partially_upheld),
                           Value(compliments));
}

std::string FamiliesStatement(Value complaints, Value upheld_or_partially_upheld,
                              Value compliments) {
  return absl::StrCat("Feedback from Families: ", Count(complaints, "complaint", "complaints"),
                      " (", Shown(upheld_or_partially_upheld), " upheld or partially upheld) and ",
                      Count(compliments, "compliment", "compliments"), ".");
}

std::string PartnersStatement(int64_t compliments) { return PartnersStatement(Value(compliments)); }

std::string PartnersStatement(Value compliments) {
  return absl::StrCat(
      "Feedback from Partner Agencies: ", Count(compliments, "compliment was", "compliments were"),
      " received from partner agencies");
}

std::string AdvocacyStatement(v1::Meeting meeting, int64_t referrals, int64_t progressed) {
  return AdvocacyStatement(meeting, Value(referrals), Value(progressed));
}

std::string AdvocacyStatement(v1::Meeting meeting, Value referrals, Value progressed) {
  switch (meeting) {
    case v1::MEETING_INITIAL_CP_CONFERENCE:
      return absl::StrCat("Advocacy ", kEnDash, " Initial Child Protection Conference ", kEnDash,
                          " ", Count(referrals, "referral", "referrals"), " (", Shown(progressed),
                          " progressed to advocacy support at conference)");
    case v1::MEETING_CLA_REVIEW:
      return absl::StrCat("Advocacy for Children Looked After ", kEnDash, " ",
                          Count(referrals, "Referral", "Referrals"), " (", Shown(progressed),
                          " progressed to advocacy support)");
    default:
      return absl::StrCat("Advocacy ", kEnDash, " ", MeetingName(meeting), " ", kEnDash, " ",
                          Count(referrals, "referral", "referrals"), " (", Shown(progressed),
                          " progressed to advocacy support)");
  }
}

std::string KioskStatement(v1::Meeting meeting, Value answered, const std::vector<Value>& ratings,
                           const std::vector<std::pair<std::string, Value>>& themes) {
  std::string out = absl::StrCat("Kiosk ", kEnDash, " ", MeetingName(meeting), ": ",
                                 Count(answered, "answer", "answers"), " to \"How was today?\"");
  for (size_t i = 0; i < ratings.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? ": " : ", ", Shown(ratings[i]), " ",
                    A(KioskRatingWords(static_cast<int>(i) + 1)));
  }
  absl::StrAppend(&out, ".");
  for (size_t i = 0; i < themes.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? " Most frequent themes: " : ", ", themes[i].first, " (",
                    Shown(themes[i].second), ")", i + 1 == themes.size() ? "." : "");
  }
  return out;
}

std::string QaStatement(v1::QaActivity activity, int quarter, Value total,
                        const std::vector<std::pair<std::string, Value>>& divisions) {
  const bool observations = activity == v1::QA_ACTIVITY_PRACTICE_OBSERVATION;
  std::string out =
      absl::StrCat(total.has_value() && *total == 1 ? "There was " : "There were ",
                   Count(total, observations ? "P.O." : "audit", observations ? "P.O.s" : "audits"),
                   " across the division in Q", quarter);
  for (const auto& [name, count] : divisions) {
    absl::StrAppend(&out, " ", report_internal::kBullet, " ", Shown(count), " in ", name);
  }
  return out;
}

std::string OversightStatement(std::string_view label, int quarter, Value count, Value escalations,
                               Value no_concerns, Value commendations) {
  if (count.has_value() && *count == 0) {
    return absl::StrCat(A(label), ": no oversight outcome was recorded in Q", quarter);
  }
  using report_internal::Percent;
  return absl::StrCat(A(label), ": ", Percent(escalations, count), " escalations, ",
                      Percent(no_concerns, count), " no concerns, ", Percent(commendations, count),
                      " commendations (", Count(count, "outcome", "outcomes"), ": ",
                      Count(escalations, "escalation", "escalations"), ", ", Shown(no_concerns),
                      " no concerns, ", Count(commendations, "commendation", "commendations"), ")");
}

std::string OversightNothingStatement(int financial_year, int quarter) {
  return absl::StrCat("No independent chairs' oversight outcomes were recorded in ",
                      report_internal::SpacedQuarter(financial_year, quarter), ".");
}

std::string QaNoneStatement(v1::QaActivity activity, int quarter) {
  return absl::StrCat("No ",
                      activity == v1::QA_ACTIVITY_PRACTICE_OBSERVATION ? "practice observations"
                                                                       : "case-file audits",
                      " were recorded across the division in Q", quarter, ".");
}

std::string QaNothingStatement(int financial_year, int quarter) {
  return absl::StrCat("No case-file audits or practice observations were recorded in ",
                      report_internal::SpacedQuarter(financial_year, quarter), ".");
}

std::string ChangeText(int64_t now, int64_t before, std::string_view on) {
  const int64_t change = now - before;
  if (change == 0) return absl::StrCat("(no change on ", A(on), ")");
  return absl::StrCat("(", change > 0 ? "+" : "", change, " on ", A(on), ")");
}

}  // namespace feedback::client
