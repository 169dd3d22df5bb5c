#include "client/cli/cli_suggest.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace feedback::client {
namespace {

// Optimal string alignment distance between `a` and `b`.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The commands given, root first (option groups, which have no name, are not commands).
std::vector<const CLI::App*> CommandChain(const CLI::App& app) {
  std::vector<const CLI::App*> chain = {&app};
  for (;;) {
    const std::vector<CLI::App*> parsed = chain.back()->get_subcommands();
    auto named = std::find_if(parsed.begin(), parsed.end(),
                              [](const CLI::App* sub) { return !sub->get_name().empty(); });
    if (named == parsed.end()) return chain;
    chain.push_back(*named);
  }
}

// "feedbackctl admin token" for the chain.
std::string CommandLine(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> words = {"feedbackctl"};
  for (size_t i = 1; i < chain.size(); ++i) words.push_back(chain[i]->get_name());
  return absl::StrJoin(words, " ");
}

// Every flag the last command of `chain` accepts: its own and, since they fall through, those
// of the commands above it.
std::vector<std::string> FlagsOf(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> flags;
  for (const CLI::App* command : chain) {
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& name : option->get_lnames()) flags.push_back("--" + name);
      for (const std::string& name : option->get_snames()) flags.push_back("-" + name);
    }
  }
  return flags;
}

std::vector<std::string> SubcommandsOf(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  }
  return names;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string closest = ClosestWord(word, candidates);
  return closest.empty() ? "" : absl::StrCat("; did you mean ", closest, "?");
}

}  // namespace

std::string ClosestWord(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance && 2 * distance < word.size()) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string ExplainParseError(const CLI::App& app, const CLI::ParseError& error) {
  const std::vector<const CLI::App*> chain = CommandChain(app);
  const std::string command = CommandLine(chain);
  const std::string help = absl::StrCat(" (", command, " --help lists them)");
  const std::vector<std::string> extras = app.remaining(true);
  if (!extras.empty()) {
    const std::string& word = extras.front();
    if (absl::StartsWith(word, "-")) {
      const std::string flag = word.substr(0, word.find('='));
      return absl::StrCat("unknown flag ", flag, " for ", command, DidYouMean(flag, FlagsOf(chain)),
                          help);
    }
    const std::vector<std::string> subcommands = SubcommandsOf(*chain.back());
    if (!subcommands.empty()) {
      return absl::StrCat("unknown command \"", word, "\" for ", command,
                          DidYouMean(word, subcommands), help);
    }
    return absl::StrCat("unexpected \"", word, "\" for ", command, " (", command,
                        " --help shows what it takes)");
  }
  return absl::StrCat(error.what(), " (", command, " --help shows what it takes)");
}

}  // namespace feedback::client
