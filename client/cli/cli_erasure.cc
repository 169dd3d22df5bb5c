// feedbackctl admin erase | admin purge | admin hold set|release|list
#include <iostream>

#include "absl/time/time.h"
#include "client/cli/cli_common.h"
#include "google/protobuf/util/time_util.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

struct EraseFlags {
  std::string id, reason;
};

struct HoldFlags {
  std::string id, reason;
};

std::string FormatErased(const v1::EraseFeedbackResponse& response) {
  if (response.has_referral()) {
    return absl::StrCat(response.referral().id(), ": erased at ",
                        LocalMinute(response.referral().erased_at()),
                        " (reason and exact age removed; age band and counts kept)\n");
  }
  if (response.has_check()) {
    return absl::StrCat(response.check().id(), ": erased at ",
                        LocalMinute(response.check().erased_at()),
                        " (strengths and areas for improvement removed; grade, themes and "
                        "counts kept)\n");
  }
  if (response.has_oversight()) {
    return absl::StrCat(response.oversight().id(), ": erased at ",
                        LocalMinute(response.oversight().erased_at()),
                        " (strengths and areas for development removed; outcome, themes and "
                        "counts kept)\n");
  }
  return absl::StrCat(response.feedback().id(), ": erased at ",
                      LocalMinute(response.feedback().erased_at()),
                      " (text and identifying fields removed; counts kept)\n");
}

std::string FormatPurge(bool dry_run, const v1::PurgeFeedbackResponse& response) {
  std::string out;
  for (const std::string& id : response.erased()) {
    absl::StrAppend(&out, dry_run ? "would erase " : "erased ", id, "\n");
  }
  for (const std::string& id : response.held()) {
    absl::StrAppend(&out, "held       ", id, " (legal hold: kept)\n");
  }
  absl::StrAppend(&out, dry_run ? "dry run: " : "", response.erased_size(),
                  dry_run ? " would be erased, " : " erased, ", response.held_size(), " held, ",
                  response.examined(), " examined\n");
  return out;
}

std::string FormatHold(const v1::LegalHold& hold) {
  return absl::StrCat(hold.id(), hold.hold() ? "  held since " : "  released at ",
                      LocalMinute(hold.set_at()), " by ", ForTerminalLine(hold.set_by()),
                      hold.reason().empty() ? "" : ": ", ForTerminalLine(hold.reason()), "\n");
}

std::string FormatHolds(const v1::ListLegalHoldsResponse& response) {
  if (response.holds().empty()) return "no legal holds\n";
  std::string out;
  for (const v1::LegalHold& hold : response.holds()) out += FormatHold(hold);
  return out;
}

int RunHold(const CliContext& context, const HoldFlags& flags, bool hold) {
  v1::SetLegalHoldRequest request;
  request.set_id(flags.id);
  request.set_hold(hold);
  request.set_reason(flags.reason);
  return CallAndPrint(context, &v1::FeedbackService::Stub::SetLegalHold, request, FormatHold);
}

}  // namespace

void AddErasureCommands(CLI::App& app, CliContext& context) {
  CLI::App* admin = AdminCommand(app);

  auto erase = std::make_shared<EraseFlags>();
  CLI::App* cmd = admin->add_subcommand(
      "erase", "remove an item's text and identifying fields everywhere (counts are kept)");
  cmd->add_option("id", erase->id,
                  "the item's id (fb_...), an advocacy referral's (ar_...), an audit's or "
                  "observation's (qc_...) or a chair's oversight outcome's (co_...)")
      ->required();
  cmd->add_option("--reason", erase->reason,
                  "case reference for the audit log, e.g. \"SAR 2026-041\" (no personal text)")
      ->required();
  cmd->callback([&context, erase] {
    v1::EraseFeedbackRequest request;
    request.set_id(erase->id);
    request.set_reason(erase->reason);
    context.exit_code =
        CallAndPrint(context, &v1::FeedbackService::Stub::EraseFeedback, request, FormatErased);
  });

  auto dry_run = std::make_shared<bool>(false);
  cmd = admin->add_subcommand("purge",
                              "erase every item past its kind's retention period, except those "
                              "under a legal hold");
  cmd->add_flag("--dry-run", *dry_run, "only list what would be erased; change nothing");
  cmd->callback([&context, dry_run] {
    v1::PurgeFeedbackRequest request;
    request.set_dry_run(*dry_run);
    context.exit_code = CallAndPrint(
        context, &v1::FeedbackService::Stub::PurgeFeedback, request,
        [dry_run](const v1::PurgeFeedbackResponse& r) { return FormatPurge(*dry_run, r); });
  });

  CLI::App* hold = admin->add_subcommand("hold", "legal holds: held items are never erased");
  hold->require_subcommand(1);
  auto set = std::make_shared<HoldFlags>();
  cmd = hold->add_subcommand("set", "place an item under a legal hold");
  cmd->add_option("id", set->id, "the record's id (fb_, ar_, qc_ or co_...)")->required();
  cmd->add_option("--reason", set->reason, "case reference for the audit log")->required();
  cmd->callback([&context, set] { context.exit_code = RunHold(context, *set, true); });

  auto release = std::make_shared<HoldFlags>();
  cmd = hold->add_subcommand("release", "release an item's legal hold");
  cmd->add_option("id", release->id, "the record's id (fb_, ar_, qc_ or co_...)")->required();
  cmd->add_option("--reason", release->reason, "case reference for the audit log");
  cmd->callback([&context, release] { context.exit_code = RunHold(context, *release, false); });

  cmd = hold->add_subcommand("list", "every legal hold in force");
  cmd->callback([&context] {
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::ListLegalHolds,
                                     v1::ListLegalHoldsRequest(), FormatHolds);
  });
}

}  // namespace feedback::client
