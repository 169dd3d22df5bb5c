// feedbackctl demo load: a realistic 2018-19 Q2-Q4 (the seed report's figures and quotes in Q3)
// put into an empty store through the public API (client/demo/demo_load.h). An admin token.
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "client/cli/cli_common.h"
#include "client/demo/demo_load.h"

namespace feedback::client {
namespace {

constexpr char kDemoNextCommand[] = "feedbackctl report --quarter 2018-19Q3";

struct DemoCounts {
  size_t feedback = 0;
  size_t complaints = 0;
  size_t referrals = 0;
  size_t checks = 0;
  size_t oversights = 0;
  int quotes_approved = 0;
  int rpcs = 0;
  double seconds = 0;
};

DemoCounts DemoCountsOf(const demo::DemoLoad& load) {
  const demo::SeedDataset& seed = load.dataset;
  return {.feedback = seed.feedback.size(),
          .complaints = seed.complaints.size(),
          .referrals = seed.referrals.size(),
          .checks = seed.quality_checks.size(),
          .oversights = seed.oversights.size(),
          .quotes_approved = seed.quotes_approved,
          .rpcs = seed.rpcs,
          .seconds = absl::ToDoubleSeconds(load.took)};
}

std::string DemoJson(const DemoCounts& c) {
  return absl::StrCat("{\"quarters\":[\"2018-19Q2\",\"2018-19Q3\",\"2018-19Q4\"],\"feedback\":",
                      c.feedback, ",\"complaints\":", c.complaints,
                      ",\"advocacyReferrals\":", c.referrals, ",\"qualityChecks\":", c.checks,
                      ",\"oversights\":", c.oversights, ",\"quotesApproved\":", c.quotes_approved,
                      ",\"calls\":", c.rpcs, ",\"seconds\":", absl::StrFormat("%.1f", c.seconds),
                      ",\"next\":\"", kDemoNextCommand, "\"}\n");
}

std::string DemoClosing(const DemoCounts& c) {
  return absl::StrCat(
      "demo: loaded 2018-19 Q2-Q4 (the seed report's quarter is Q3): ", c.feedback,
      " feedback items (", c.complaints, " complaints with their steps), ", c.referrals,
      " advocacy referrals, ", c.checks, " case-file audits and practice observations, ",
      c.oversights, " chairs' oversight outcomes, ", c.quotes_approved, " quotes approved; ",
      c.rpcs, " calls in ", absl::StrFormat("%.1f", c.seconds), " s\n", "next: ", kDemoNextCommand,
      " --token-file FILE   (a reporter or qa_manager token: `feedbackctl admin token issue "
      "--role reporter --out FILE` issues one)\n");
}

int RunDemoLoad(const CliContext& context) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<demo::DemoLoad> load = demo::LoadDemo(
      *client, [](std::string_view line) { std::cerr << "demo: " << line << std::endl; });
  if (!load.ok()) return Report(load.status());
  const DemoCounts counts = DemoCountsOf(*load);
  std::cout << (context.json ? DemoJson(counts) : DemoClosing(counts));
  return kExitOk;
}

}  // namespace

void AddDemoCommands(CLI::App& app, CliContext& context) {
  CLI::App* demo = app.add_subcommand("demo", "a demo dataset for a newcomer");
  demo->require_subcommand(1);
  CLI::App* load = demo->add_subcommand(
      "load",
      "put a realistic 2018-19 Q2-Q4 (the seed report's figures and quotes in Q3) into an empty "
      "store (admin token; refuses a store that holds records)");
  load->callback([&context] { context.exit_code = RunDemoLoad(context); });
}

}  // namespace feedback::client
