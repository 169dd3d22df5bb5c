// feedbackctl summary | admin retag | admin verify | alerts watch | alerts ack
#include <iostream>

#include "absl/strings/str_format.h"
#include "client/cli_common.h"
#include "service/quarter.h"

namespace feedback::client {
namespace {

std::string FormatSummary(const v1::QuarterSummary& s) {
  const Quarter quarter{s.financial_year(), s.quarter()};
  const v1::QuarterSummary& p = s.previous_quarter();
  auto row = [](std::string_view name, int64_t now, int64_t before) {
    return absl::StrFormat("  %-40s %6d   (previous quarter %d)\n", name, now, before);
  };
  std::string out = absl::StrCat(FormatQuarter(quarter), " summary\n");
  absl::StrAppend(
      &out, row("complaints received", s.complaints_received(), p.complaints_received()),
      row("  upheld", s.complaints_upheld(), p.complaints_upheld()),
      row("  partially upheld", s.complaints_partially_upheld(), p.complaints_partially_upheld()),
      row("  not upheld", s.complaints_not_upheld(), p.complaints_not_upheld()),
      row("  withdrawn", s.complaints_withdrawn(), p.complaints_withdrawn()),
      row("  closed (any outcome)", s.complaints_closed(), p.complaints_closed()),
      row("  closed within due date", s.complaints_closed_in_time(), p.complaints_closed_in_time()),
      row("  escalated to stage 2", s.complaints_escalated_stage_2(),
          p.complaints_escalated_stage_2()),
      row("  escalated to stage 3", s.complaints_escalated_stage_3(),
          p.complaints_escalated_stage_3()),
      row("compliments from families", s.compliments_from_families(),
          p.compliments_from_families()),
      row("compliments from partner agencies", s.compliments_from_partners(),
          p.compliments_from_partners()),
      row("compliments from children", s.compliments_from_children(),
          p.compliments_from_children()),
      row("comments", s.comments(), p.comments()),
      row("child statements", s.child_statements(), p.child_statements()));
  const auto* meetings = google::protobuf::GetEnumDescriptor<v1::Meeting>();
  for (const v1::AdvocacyFigures& a : s.advocacy()) {
    absl::StrAppend(
        &out, absl::StrFormat(
                  "  advocacy %-31s %6d referrals, %d progressed, %d declined, %d not progressed\n",
                  FormatEnumFlag(meetings, a.meeting()), a.referrals(), a.progressed(),
                  a.declined(), a.not_progressed()));
  }
  for (const v1::RatingCount& r : s.ratings()) {
    absl::StrAppend(&out, absl::StrFormat("  rating %d/5 %32d\n", r.rating(), r.count()));
  }
  for (const v1::TagCount& t : s.tags()) {
    absl::StrAppend(&out, absl::StrFormat("  tag %-36s %6d\n", t.tag(), t.count()));
  }
  return out;
}

int RunWatch(const CliContext& context) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  auto grpc_context = client->NewContext(/*with_deadline=*/false);
  auto reader = client->stub().WatchAlerts(grpc_context.get(), v1::WatchAlertsRequest());
  v1::Alert alert;
  while (reader->Read(&alert)) {
    if (context.json) {
      std::cout << ToJson(alert) << std::endl;
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
  cmd->callback([&context, quarter, area] {
    absl::StatusOr<Quarter> parsed = ParseQuarter(*quarter, "--quarter");
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
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::GetQuarterSummary,
                                     request, FormatSummary);
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
            std::cout << "  " << d.key() << ": stored " << d.stored() << ", recomputed "
                      << d.recomputed() << "\n";
          }
        }
        context.exit_code = r->differences_size() == 0 ? kExitOk : kExitFailure;
      });

  CLI::App* alerts = app.add_subcommand("alerts", "safeguarding alerts for duty staff");
  alerts->require_subcommand(1);
  alerts->add_subcommand("watch", "print unacknowledged alerts, then new ones as they come")
      ->callback([&context] { context.exit_code = RunWatch(context); });
  auto id = std::make_shared<std::string>();
  auto actor = std::make_shared<std::string>();
  cmd = alerts->add_subcommand("ack", "acknowledge an alert: it is no longer re-sent");
  cmd->add_option("id", *id, "the alert's id (the feedback id)")->required();
  cmd->add_option("--actor", *actor, "who took it on")->required();
  cmd->callback([&context, id, actor] {
    v1::AcknowledgeAlertRequest request;
    request.set_id(*id);
    request.set_actor(*actor);
    context.exit_code = CallAndPrint(
        context, &v1::FeedbackService::Stub::AcknowledgeAlert, request, [](const v1::Alert& a) {
          return absl::StrCat(a.id(), " acknowledged by ", a.acknowledged_by(), "\n");
        });
  });
}

}  // namespace feedback::client
