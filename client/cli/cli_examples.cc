#include "client/cli/cli_examples.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace feedback::client {
namespace {

// Leaf commands under `command`, in the order they were added.
void CollectLeaves(const CLI::App& command, std::vector<const CLI::App*>& leaves) {
  const std::vector<const CLI::App*> subcommands =
      command.get_subcommands([](const CLI::App*) { return true; });
  if (subcommands.empty()) {
    leaves.push_back(&command);
    return;
  }
  for (const CLI::App* sub : subcommands) CollectLeaves(*sub, leaves);
}

std::string ExampleFooter(const CLI::App& command) {
  std::vector<const CLI::App*> leaves;
  CollectLeaves(command, leaves);
  std::vector<std::string> lines;
  // A command that runs on its own as well as through its subcommands (`admin backup`, and
  // `admin backup list`) shows its own example first.
  if (leaves.front() != &command) {
    const auto own = CommandExamples().find(CommandPath(command));
    if (own != CommandExamples().end()) lines.push_back("  " + own->second);
  }
  for (const CLI::App* leaf : leaves) {
    const auto found = CommandExamples().find(CommandPath(*leaf));
    if (found != CommandExamples().end()) lines.push_back("  " + found->second);
  }
  if (lines.empty()) return "";
  return absl::StrCat(lines.size() == 1 ? "Example:\n" : "Examples:\n", absl::StrJoin(lines, "\n"));
}

void AddFooters(CLI::App& command) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    sub->footer(ExampleFooter(*sub));
    AddFooters(*sub);
  }
}

}  // namespace

std::string CommandPath(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* at = &command; at->get_parent() != nullptr; at = at->get_parent()) {
    names.insert(names.begin(), at->get_name());
  }
  return absl::StrJoin(names, " ");
}

const std::map<std::string, std::string>& CommandExamples() {
  static const auto* const kExamples = new std::map<std::string, std::string>{
      {"submit",
       "feedbackctl submit --source family --kind compliment --meeting initial-cp-conference "
       "--service-area social-care --rating 5 --text \"The chair listened to us\""},
      {"get", "feedbackctl get fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a"},
      {"list", "feedbackctl list --quarter 2018-19Q3 --kind complaint"},
      {"complaint update",
       "feedbackctl complaint update fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a --outcome "
       "partially-upheld --actor \"Investigating officer\" --effective-at 2018-12-10T12:00:00Z"},
      {"complaint get", "feedbackctl complaint get fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a"},
      {"complaint list", "feedbackctl complaint list --quarter 2018-19Q3 --open"},
      {"advocacy refer",
       "feedbackctl advocacy refer --meeting initial-cp-conference --child-age 12 "
       "--within-city-boundary"},
      {"advocacy progress", "feedbackctl advocacy progress ar_0f4e2d6c8b1a3957e2d4c6b8a0f1e3d5"},
      {"advocacy decline", "feedbackctl advocacy decline ar_0f4e2d6c8b1a3957e2d4c6b8a0f1e3d5"},
      {"advocacy not-progressed",
       "feedbackctl advocacy not-progressed ar_0f4e2d6c8b1a3957e2d4c6b8a0f1e3d5 --reason "
       "\"conference postponed\""},
      {"advocacy get", "feedbackctl advocacy get ar_0f4e2d6c8b1a3957e2d4c6b8a0f1e3d5"},
      {"advocacy list",
       "feedbackctl advocacy list --quarter 2018-19Q3 --meeting initial-cp-conference --status "
       "progressed"},
      {"advocacy statement",
       "feedbackctl advocacy statement --referral ar_0f4e2d6c8b1a3957e2d4c6b8a0f1e3d5 "
       "--child-confirmed --text-file words.txt"},
      {"audit record",
       "feedbackctl audit record --division social-care --grade good --date 2018-11-02 "
       "--moderated --strengths \"Good evidence of partner agencies input\" --areas "
       "\"Assessment of parenting capacity\""},
      {"audit list", "feedbackctl audit list --quarter 2018-19Q3 --division early-help"},
      {"observation record",
       "feedbackctl observation record --division early-help --grade outstanding --date "
       "2018-12-05"},
      {"observation list", "feedbackctl observation list --quarter 2018-19Q3"},
      {"oversight record",
       "feedbackctl oversight record --meeting cla-review --service-area social-care --outcome "
       "commendation --date 2018-11-02 --strengths \"Good engagement with the child\""},
      {"oversight list", "feedbackctl oversight list --quarter 2018-19Q3 --outcome escalation"},
      {"narrative set",
       "feedbackctl narrative set --quarter 2018-19Q3 --section next-steps --text-file "
       "q4-next-steps.txt"},
      {"narrative show", "feedbackctl narrative show --quarter 2018-19Q3 --history"},
      {"summary", "feedbackctl summary --quarter 2018-19Q3 --service-area social-care"},
      {"admin retag", "feedbackctl --token-file var/admin.token admin retag"},
      {"admin verify", "feedbackctl --token-file var/admin.token admin verify"},
      {"admin backup",
       "feedbackctl --token-file var/admin.token admin backup --to /var/backups/feedbackd"},
      {"admin backup list",
       "feedbackctl --token-file var/admin.token admin backup list --to /var/backups/feedbackd"},
      {"admin backup verify",
       "feedbackctl --token-file var/admin.token admin backup verify --to /var/backups/feedbackd"},
      {"alerts watch", "feedbackctl alerts watch"},
      {"bench",
       "feedbackctl --server 127.0.0.1:50099 bench --mode submit --concurrency 64 --count 20000 "
       "--ceilings"},
      {"alerts ack",
       "feedbackctl alerts ack fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a --actor \"Duty social worker\""},
      {"outbox status", "feedbackctl outbox status"},
      {"outbox flush", "feedbackctl outbox flush"},
      {"report", "feedbackctl report --quarter 2018-19Q3 --format html -o 2018-19Q3.html"},
      {"export", "feedbackctl export --quarter 2018-19Q3 --format csv > 2018-19Q3.csv"},
      {"import", "feedbackctl import referrals.csv --type referrals --dry-run"},
      {"kiosk",
       "feedbackctl kiosk --meeting cla-review --service-area social-care --staff-log kiosk.log"},
      {"admin token issue",
       "feedbackctl --token-file var/admin.token admin token issue --role reporter --device "
       "\"QA office\" --out var/reporter.token"},
      {"admin token list", "feedbackctl --token-file var/admin.token admin token list --all"},
      {"admin token revoke",
       "feedbackctl --token-file var/admin.token admin token revoke "
       "tok_9c2e4a6b8d0f1e3c5a7b9d1f3e5c7a9b"},
      {"admin audit",
       "feedbackctl --token-file var/admin.token admin audit --since 2026-11-01T00:00:00Z --action "
       "feedback.read"},
      {"quotes list", "feedbackctl quotes list --quarter 2018-19Q3 --candidates"},
      {"quotes approve", "feedbackctl quotes approve --quarter 2018-19Q3"},
      {"demo load", "feedbackctl --token-file var/admin.token demo load"},
      {"quotes withdraw", "feedbackctl quotes withdraw fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a"},
      {"admin erase",
       "feedbackctl --token-file var/admin.token admin erase fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a "
       "--reason \"SAR 2026-041\""},
      {"admin purge", "feedbackctl --token-file var/admin.token admin purge --dry-run"},
      {"admin hold set",
       "feedbackctl --token-file var/admin.token admin hold set "
       "fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a "
       "--reason \"claim 2026-7\""},
      {"admin hold release",
       "feedbackctl --token-file var/admin.token admin hold release "
       "fb_6f1c0e3f9e2a4c7d8b1a2f3e4d5c6b7a --reason \"claim 2026-7 settled\""},
      {"admin hold list", "feedbackctl --token-file var/admin.token admin hold list"},
      {"admin publish",
       "feedbackctl --token-file var/admin.token admin publish --quarter 2018-19Q3"},
      {"admin kiosk enrol", "feedbackctl admin kiosk enrol --device tablet-3"},
      {"completion bash", "source <(feedbackctl completion bash)"},
  };
  return *kExamples;
}

void AddExamplesToHelp(CLI::App& root) { AddFooters(root); }

}  // namespace feedback::client
