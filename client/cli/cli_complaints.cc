// feedbackctl complaint update | get | list
#include <iostream>

#include "absl/strings/str_format.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

struct UpdateFlags {
  std::string id, stage, outcome, note, effective_at, actor;
  bool extend = false;
};

struct ComplaintListFlags {
  std::string quarter, stage, outcome;
  bool open_only = false, overdue_only = false, all_pages = false;
  int page_size = 0;
  std::string page_token;
};

std::string OutcomeText(v1::ComplaintOutcome outcome) {
  return outcome == v1::COMPLAINT_OUTCOME_UNSPECIFIED
             ? "open"
             : FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::ComplaintOutcome>(), outcome);
}

std::string FormatComplaint(const v1::Complaint& c) {
  std::string out = FormatFeedbackLong(c.feedback(), LocalZone());
  absl::StrAppend(&out, "stage started:  ", LocalMinute(c.stage_started_at()), "\n",
                  "due by:         ", LocalMinute(c.due_at()), c.extended() ? " (extended)" : "",
                  "\n", "closed at:      ", LocalMinute(c.closed_at()), "\n",
                  "overdue:        ", c.overdue() ? "yes" : "no", "\n", "history:\n");
  for (const v1::ComplaintEvent& e : c.history()) {
    absl::StrAppend(
        &out,
        absl::StrFormat("  %-22s %-10s stage %d  %-16s by %s%s\n", LocalMinute(e.effective_at()),
                        e.action(), static_cast<int>(e.stage()), OutcomeText(e.outcome()),
                        ForTerminalLine(e.actor()),
                        e.note().empty() ? "" : ": " + ForTerminalLine(e.note())));
  }
  return out;
}

std::string FormatComplaintLine(const v1::Complaint& c) {
  return absl::StrFormat("%s  stage %d  %-16s due %s%s  %s\n", c.feedback().id(),
                         static_cast<int>(c.feedback().complaint_stage()),
                         OutcomeText(c.feedback().complaint_outcome()), LocalMinute(c.due_at()),
                         c.overdue() ? "  OVERDUE" : "", LocalMinute(c.feedback().occurred_at()));
}

// Sets request.stage and request.outcome from their flags (either may be empty).
template <typename Request>
absl::Status SetStageAndOutcome(const std::string& stage_flag, const std::string& outcome_flag,
                                Request& request) {
  absl::StatusOr<v1::ComplaintStage> stage = EnumFlag<v1::ComplaintStage>("stage", stage_flag);
  if (!stage.ok()) return stage.status();
  absl::StatusOr<v1::ComplaintOutcome> outcome =
      EnumFlag<v1::ComplaintOutcome>("outcome", outcome_flag);
  if (!outcome.ok()) return outcome.status();
  request.set_stage(*stage);
  request.set_outcome(*outcome);
  return absl::OkStatus();
}

int RunUpdate(const CliContext& context, const UpdateFlags& flags) {
  v1::UpdateComplaintRequest request;
  request.set_id(flags.id);
  if (absl::Status s = SetStageAndOutcome(flags.stage, flags.outcome, request); !s.ok()) {
    return Report(s);
  }
  request.set_note(flags.note);
  request.set_actor(flags.actor);
  request.set_extend(flags.extend);
  if (absl::Status s =
          ParseTimeFlag("effective-at", flags.effective_at, request.mutable_effective_at());
      !s.ok()) {
    return Report(s);
  }
  if (flags.effective_at.empty()) request.clear_effective_at();
  return CallAndPrint(
      context, &v1::FeedbackService::Stub::UpdateComplaint, request, [](const v1::Feedback& f) {
        return absl::StrCat(f.id(), ": stage ", static_cast<int>(f.complaint_stage()), ", ",
                            OutcomeText(f.complaint_outcome()), "\n");
      });
}

int RunComplaintList(const CliContext& context, const ComplaintListFlags& flags) {
  v1::ListComplaintsRequest request;
  if (!flags.quarter.empty()) {
    absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
    if (!quarter.ok()) return Report(quarter.status());
    request.set_financial_year(quarter->financial_year);
    request.set_quarter(quarter->quarter);
  }
  if (absl::Status s = SetStageAndOutcome(flags.stage, flags.outcome, request); !s.ok()) {
    return Report(s);
  }
  request.set_open_only(flags.open_only);
  request.set_overdue_only(flags.overdue_only);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  v1::ListComplaintsResponse all;
  int shown = 0;
  do {
    absl::StatusOr<v1::ListComplaintsResponse> page =
        client->Call(&v1::FeedbackService::Stub::ListComplaints, request);
    if (!page.ok()) return Report(page.status());
    for (const v1::Complaint& complaint : page->complaints()) {
      if (context.json) {
        *all.add_complaints() = complaint;
      } else {
        std::cout << FormatComplaintLine(complaint);
      }
      ++shown;
    }
    all.set_next_page_token(page->next_page_token());
    request.set_page_token(page->next_page_token());
  } while (flags.all_pages && !request.page_token().empty());
  if (context.json) {
    std::cout << ToJson(all) << std::endl;
  } else if (shown == 0 && all.next_page_token().empty()) {
    NothingMatched("complaints");
  } else if (!all.next_page_token().empty()) {
    std::cerr << "more: repeat with --page-token " << all.next_page_token() << " (or --all)"
              << std::endl;
  }
  return kExitOk;
}

}  // namespace

void AddComplaintCommands(CLI::App& app, CliContext& context) {
  CLI::App* complaint = app.add_subcommand("complaint", "the complaints procedure");
  complaint->require_subcommand(1);

  auto update = std::make_shared<UpdateFlags>();
  CLI::App* cmd = complaint->add_subcommand(
      "update", "escalate a complaint to a stage and/or close it with an outcome");
  cmd->add_option("id", update->id, "the complaint's id (fb_...)")->required();
  cmd->add_option("--stage", update->stage, "escalate to: " + Choices<v1::ComplaintStage>());
  cmd->add_option("--outcome", update->outcome, "close with: " + Choices<v1::ComplaintOutcome>());
  cmd->add_option("--note", update->note, "what happened, for the history");
  cmd->add_option("--effective-at", update->effective_at,
                  "when it happened, RFC 3339 (default: now)");
  cmd->add_option("--actor", update->actor, "who made the change");
  cmd->add_flag("--extend", update->extend,
                "extend the stage's due date (stage 1: 20, stage 2: 65 working days)");
  cmd->callback([&context, update] { context.exit_code = RunUpdate(context, *update); });

  auto id = std::make_shared<std::string>();
  cmd = complaint->add_subcommand("get", "a complaint with its stage, due date and history");
  cmd->add_option("id", *id, "the complaint's id (fb_...)")->required();
  cmd->callback([&context, id] {
    v1::GetComplaintRequest request;
    request.set_id(*id);
    context.exit_code =
        CallAndPrint(context, &v1::FeedbackService::Stub::GetComplaint, request, FormatComplaint);
  });

  auto list = std::make_shared<ComplaintListFlags>();
  cmd = complaint->add_subcommand("list", "complaints, newest first");
  cmd->add_option("--quarter", list->quarter,
                  "received in this financial quarter, e.g. 2018-19Q3 (default: all time)");
  cmd->add_option("--stage", list->stage, Choices<v1::ComplaintStage>());
  cmd->add_option("--outcome", list->outcome, Choices<v1::ComplaintOutcome>());
  cmd->add_flag("--open", list->open_only, "only open complaints");
  cmd->add_flag("--overdue", list->overdue_only, "only open past due, or closed late");
  cmd->add_option("--page-size", list->page_size, "complaints per page");
  cmd->add_option("--page-token", list->page_token, "continue from a previous page");
  cmd->add_flag("--all", list->all_pages, "follow every page");
  cmd->callback([&context, list] { context.exit_code = RunComplaintList(context, *list); });
}

}  // namespace feedback::client
