// feedbackctl summary | admin retag | admin verify | alerts watch | alerts ack
#include <algorithm>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "client/cli/kiosk_text.h"
#include "client/lib/kiosk.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

// True if the server withheld the cell `name` (small-number suppression; docs/disclosure.md).
bool Withheld(const v1::QuarterSummary& s, std::string_view name) {
  return std::find(s.suppressed().begin(), s.suppressed().end(), name) != s.suppressed().end();
}

// A count as shown: "c" when withheld.
std::string Shown(const v1::QuarterSummary& s, std::string_view name, int64_t value) {
  return Withheld(s, name) ? std::string("c") : absl::StrCat(value);
}

std::string FormatSummary(const v1::QuarterSummary& s) {
  const Quarter quarter{s.financial_year(), s.quarter()};
  const v1::QuarterSummary& p = s.previous_quarter();
  // {label, QuarterSummary int64 field}; the server names a withheld scalar after its field.
  static constexpr std::pair<std::string_view, std::string_view> kRows[] = {
      {"complaints received", "complaints_received"},
      {"  upheld", "complaints_upheld"},
      {"  partially upheld", "complaints_partially_upheld"},
      {"  not upheld", "complaints_not_upheld"},
      {"  withdrawn", "complaints_withdrawn"},
      {"  closed (any outcome)", "complaints_closed"},
      {"  closed within due date", "complaints_closed_in_time"},
      {"  escalated to stage 2", "complaints_escalated_stage_2"},
      {"  escalated to stage 3", "complaints_escalated_stage_3"},
      {"compliments from families", "compliments_from_families"},
      {"compliments from partner agencies", "compliments_from_partners"},
      {"compliments from children", "compliments_from_children"},
      {"comments", "comments"},
      {"child statements", "child_statements"},
  };
  auto value = [](const v1::QuarterSummary& summary, std::string_view field_name) {
    const google::protobuf::FieldDescriptor* field =
        summary.GetDescriptor()->FindFieldByName(std::string(field_name));
    return Shown(summary, field_name,
                 field == nullptr ? 0 : summary.GetReflection()->GetInt64(summary, field));
  };
  std::string out = absl::StrCat(FormatQuarter(quarter), " summary\n");
  for (const auto& [label, field] : kRows) {
    absl::StrAppend(&out, absl::StrFormat("  %-40s %6s   (previous quarter %s)\n", label,
                                          value(s, field), value(p, field)));
  }
  const auto* meetings = google::protobuf::GetEnumDescriptor<v1::Meeting>();
  for (const v1::AdvocacyFigures& a : s.advocacy()) {
    const std::string cell = absl::StrCat("advocacy.", v1::Meeting_Name(a.meeting()), ".");
    absl::StrAppend(
        &out,
        absl::StrFormat(
            "  advocacy %-31s %6s referrals, %s progressed, %s declined, %s not progressed\n",
            FormatEnumFlag(meetings, a.meeting()), Shown(s, cell + "referrals", a.referrals()),
            Shown(s, cell + "progressed", a.progressed()),
            Shown(s, cell + "declined", a.declined()),
            Shown(s, cell + "not_progressed", a.not_progressed())));
    if (a.age_bands_size() == 0) continue;
    std::string bands;
    for (const v1::AgeBandCount& band : a.age_bands()) {
      absl::StrAppend(&bands, bands.empty() ? "" : ", ", band.band(), ": ",
                      Shown(s, absl::StrCat(cell, "age_band.", band.band()), band.referrals()));
    }
    absl::StrAppend(&out, absl::StrFormat("    by age %s\n", bands));
  }
  for (const v1::RatingCount& r : s.ratings()) {
    absl::StrAppend(&out,
                    absl::StrFormat("  %-40s %6s\n", absl::StrCat("rating ", r.rating(), "/5"),
                                    Shown(s, absl::StrCat("ratings.", r.rating()), r.count())));
  }
  for (const v1::TagCount& t : s.tags()) {
    absl::StrAppend(&out, absl::StrFormat("  tag %-36s %6s\n", t.tag(),
                                          Shown(s, absl::StrCat("tags.", t.tag()), t.count())));
  }
  // Kiosk answers by meeting type (docs/quarters.md, "Kiosk answers").
  for (const v1::KioskFigures& k : s.kiosk()) {
    const std::string cell = absl::StrCat("kiosk.", v1::Meeting_Name(k.meeting()), ".");
    const std::string meeting = FormatEnumFlag(meetings, k.meeting());
    absl::StrAppend(&out, absl::StrFormat("  kiosk %-34s %6s answered\n",
                                          meeting.empty() ? "unspecified" : meeting,
                                          Shown(s, cell + "answered", k.answered())));
    std::string ratings;
    for (const v1::RatingCount& r : k.ratings()) {
      absl::StrAppend(&ratings, ratings.empty() ? "" : ", ", r.rating(), " ",
                      absl::AsciiStrToLower(std::string(KioskRatingWords(r.rating()))), ": ",
                      Shown(s, absl::StrCat(cell, "rating.", r.rating()), r.count()));
    }
    absl::StrAppend(&out, "    how was today? ", ratings, "\n");
    std::string themes;
    for (const v1::TagCount& t : k.themes()) {
      absl::StrAppend(&themes, themes.empty() ? "" : ", ", t.tag(), ": ",
                      Shown(s, absl::StrCat(cell, "theme.", t.tag()), t.count()));
    }
    if (!themes.empty()) absl::StrAppend(&out, "    themes ", themes, "\n");
  }
  if (s.suppressed_size() > 0) {
    absl::StrAppend(&out,
                    "  c: withheld to protect children's confidentiality (small-number "
                    "suppression)\n");
  }
  // Published quarters: the figures above are as frozen; what changed since is listed, never
  // folded in (docs/quarters.md).
  for (const v1::QuarterSummary* q : {&s, &p}) {
    if (!q->has_published_at()) continue;
    absl::StrAppend(
        &out, "  ", FormatQuarter({q->financial_year(), q->quarter()}), " published ",
        absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(q->published_at().seconds()),
                         LocalZone()),
        q->late_revisions_size() == 0 ? "; nothing changed since\n" : "; changed since:\n");
    for (const v1::LateRevision& r : q->late_revisions()) {
      absl::StrAppend(&out, absl::StrFormat("    %-54s %6s\n", r.figure(),
                                            r.withheld() ? std::string("c")
                                                         : absl::StrFormat("%+d", r.count())));
    }
  }
  return out;
}

int RunWatch(const CliContext& context) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  auto grpc_context = client->NewContext(/*with_deadline=*/false);
  auto reader = client->stub().WatchAlerts(grpc_context.get(), v1::WatchAlertsRequest());
  // The server answers the watch at once (its initial metadata); from then on it is waiting.
  // A person sees that it is, not a silent terminal; stdout keeps only alerts.
  reader->WaitForInitialMetadata();
  std::cerr << "watching for alerts from " << context.server
            << " (unacknowledged ones first, then new ones as they are raised); Ctrl-C to stop"
            << std::endl;
  v1::Alert alert;
  while (reader->Read(&alert)) {
    if (context.json) {
      std::cout << ToJson(alert) << std::endl;
    } else if (alert.reason() == v1::ALERT_REASON_TALK_NOW) {
      std::cout << FormatTalkNowAlert(alert, LocalZone(), absl::Now()) << std::endl;
    } else if (alert.reason() == v1::ALERT_REASON_CHAIR_ESCALATION) {
      // A chair's practice alert: the meeting and when it is due, never the chair's words.
      std::cout << "PRACTICE ALERT " << ForTerminalLine(alert.id()) << ": a chair escalated a "
                << FormatEnumFlag(v1::Meeting_descriptor(), alert.meeting()) << " in "
                << FormatEnumFlag(v1::ServiceArea_descriptor(), alert.service_area())
                << "; resolve (acknowledge) before "
                << google::protobuf::util::TimeUtil::ToString(alert.due_at()) << std::endl;
    } else {
      std::cout << "SAFEGUARDING ALERT " << alert.id() << "\n"
                << FormatFeedbackLong(alert.feedback(), LocalZone()) << std::endl;
    }
  }
  return Report(FromGrpcStatus(reader->Finish()));
}

}  // namespace

void AddReportingCommands(CLI::App& app, CliContext& context) {
  auto quarter = std::make_shared<std::string>();
  auto area = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("summary", "a quarter's figures, with the previous quarter's");
  cmd->add_option("--quarter", *quarter, "e.g. 2018-19Q3")->required();
  cmd->add_option("--service-area", *area, Choices<v1::ServiceArea>() + " (default: all)");
  auto published = std::make_shared<bool>(false);
  cmd->add_flag("--published", *published,
                "the published form, with small-number suppression (always, for a reporter)");
  cmd->callback([&context, quarter, area, published] {
    absl::StatusOr<Quarter> parsed = QuarterFlag(*quarter);
    if (!parsed.ok()) {
      context.exit_code = Report(parsed.status());
      return;
    }
    absl::StatusOr<v1::ServiceArea> service_area = EnumFlag<v1::ServiceArea>("service-area", *area);
    if (!service_area.ok()) {
      context.exit_code = Report(service_area.status());
      return;
    }
    v1::GetQuarterSummaryRequest request;
    request.set_financial_year(parsed->financial_year);
    request.set_quarter(parsed->quarter);
    request.set_service_area(*service_area);
    request.set_published(*published);
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::GetQuarterSummary,
                                     request, [&](const v1::QuarterSummary& summary) {
                                       NoteIfPublishedForm(summary, /*asked_exact=*/!*published);
                                       return FormatSummary(summary);
                                     });
  });

  CLI::App* admin = AdminCommand(app);
  admin->add_subcommand("retag", "re-tag every stored item with the server's current lexicon")
      ->callback([&context] {
        context.exit_code = CallAndPrint(
            context, &v1::FeedbackService::Stub::RetagFeedback, v1::RetagFeedbackRequest(),
            [](const v1::RetagFeedbackResponse& r) {
              return absl::StrCat("examined ", r.examined(), ", re-tagged ", r.changed(), "\n");
            });
      });
  admin->add_subcommand("verify", "recompute every counter from the records and compare")
      ->callback([&context] {
        absl::StatusOr<FeedbackClient> client = MakeClient(context);
        if (!client.ok()) {
          context.exit_code = Report(client.status());
          return;
        }
        absl::StatusOr<v1::VerifyCountersResponse> r =
            client->Call(&v1::FeedbackService::Stub::VerifyCounters, v1::VerifyCountersRequest());
        if (!r.ok()) {
          context.exit_code = Report(r.status());
          return;
        }
        if (context.json) {
          std::cout << ToJson(*r) << std::endl;
        } else {
          std::cout << "examined " << r->records_examined() << " records, " << r->counters_checked()
                    << " counters: " << r->differences_size() << " differences\n";
          for (const v1::CounterDifference& d : r->differences()) {
            std::cout << "  " << ForTerminalLine(d.key()) << ": stored " << d.stored()
                      << ", recomputed " << d.recomputed() << "\n";
          }
        }
        context.exit_code = r->differences_size() == 0 ? kExitOk : kExitFailure;
      });

  CLI::App* alerts = app.add_subcommand(
      "alerts",
      "safeguarding alerts for duty staff (an item's words, or talk-now from a kiosk), and "
      "chairs' practice alerts (an oversight escalation) for managers");
  alerts->require_subcommand(1);
  alerts->add_subcommand("watch", "print unacknowledged alerts, then new ones as they come")
      ->callback([&context] { context.exit_code = RunWatch(context); });
  auto id = std::make_shared<std::string>();
  auto actor = std::make_shared<std::string>();
  cmd = alerts->add_subcommand("ack", "acknowledge an alert: it is no longer re-sent");
  cmd->add_option(
         "id", *id,
         "the alert's id (the feedback id, a talk-now alert's tn_..., or an escalation's co_...)")
      ->required();
  cmd->add_option("--actor", *actor, "who took it on")->required();
  cmd->callback([&context, id, actor] {
    v1::AcknowledgeAlertRequest request;
    request.set_id(*id);
    request.set_actor(*actor);
    context.exit_code = CallAndPrint(
        context, &v1::FeedbackService::Stub::AcknowledgeAlert, request, [](const v1::Alert& a) {
          return absl::StrCat(a.id(), " acknowledged by ", ForTerminalLine(a.acknowledged_by()),
                              "\n");
        });
  });
}

}  // namespace feedback::client
