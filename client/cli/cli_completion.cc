#include "client/cli/cli_completion.h"

#include <iostream>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace feedback::client {
namespace {

struct CommandWords {
  std::string path;                   // "admin token": the commands after feedbackctl
  std::vector<std::string> commands;  // its subcommands
  std::set<std::string> flags;        // every flag it accepts
  std::set<std::string> valued;       // those of them that take a value
};

// Collects `command` at `path` and, below it, every subcommand; `inherited` are the flags of the
// commands above (global flags fall through, so they are accepted everywhere).
void Collect(const CLI::App& command, const std::string& path, CommandWords inherited,
             std::vector<CommandWords>& out) {
  CommandWords words = std::move(inherited);
  words.path = path;
  words.commands.clear();
  for (const CLI::Option* option : command.get_options()) {
    if (!option->nonpositional()) continue;
    std::vector<std::string> names;
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    for (const std::string& name : names) {
      words.flags.insert(name);
      if (option->get_type_size_max() > 0) words.valued.insert(name);
    }
  }
  std::vector<const CLI::App*> subcommands;
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name().empty()) continue;
    words.commands.push_back(sub->get_name());
    subcommands.push_back(sub);
  }
  out.push_back(words);
  for (const CLI::App* sub : subcommands) {
    Collect(*sub, path.empty() ? sub->get_name() : absl::StrCat(path, " ", sub->get_name()), words,
            out);
  }
}

// A bash function `name` that prints, for a command path ("$1"), the words `pick` gives it.
template <typename Pick>
std::string CaseFunction(const std::string& name, const std::vector<CommandWords>& all, Pick pick) {
  std::string out = absl::StrCat(name, "() {\n  case \"$1\" in\n");
  for (const CommandWords& words : all) {
    absl::StrAppend(&out, "    \"", words.path, "\") echo \"", absl::StrJoin(pick(words), " "),
                    "\" ;;\n");
  }
  absl::StrAppend(&out, "  esac\n}\n");
  return out;
}

}  // namespace

std::string BashCompletionScript(const CLI::App& app) {
  std::vector<CommandWords> all;
  Collect(app, "", CommandWords{}, all);
  std::string script =
      "# bash completion for feedbackctl, made by `feedbackctl completion bash` from its own\n"
      "# command and flag definitions. Install for yourself with\n"
      "#   feedbackctl completion bash > ~/.local/share/bash-completion/completions/feedbackctl\n"
      "# or for this shell with: source <(feedbackctl completion bash)\n";
  absl::StrAppend(&script, CaseFunction("_feedbackctl_commands", all,
                                        [](const CommandWords& w) { return w.commands; }));
  absl::StrAppend(&script, CaseFunction("_feedbackctl_flags", all,
                                        [](const CommandWords& w) { return w.flags; }));
  absl::StrAppend(&script, CaseFunction("_feedbackctl_valued", all,
                                        [](const CommandWords& w) { return w.valued; }));
  absl::StrAppend(&script, R"bash(_feedbackctl() {
  local cur="${COMP_WORDS[COMP_CWORD]}" path="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="${COMP_WORDS[i]}"
    case "$word" in
      -*=*) ;;
      -*) case " $(_feedbackctl_valued "$path") " in *" $word "*) ((i++)) ;; esac ;;
      *) case " $(_feedbackctl_commands "$path") " in
           *" $word "*) path="${path:+$path }$word" ;;
         esac ;;
    esac
  done
  local previous="${COMP_WORDS[COMP_CWORD-1]}"
  if ((COMP_CWORD > 1)) && [[ "$cur" != -* ]] &&
     [[ " $(_feedbackctl_valued "$path") " == *" $previous "* ]]; then
    compopt -o default 2>/dev/null
    COMPREPLY=()
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_feedbackctl_flags "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_feedbackctl_commands "$path")" -- "$cur"))
  fi
  return 0
}
complete -F _feedbackctl feedbackctl
)bash");
  return script;
}

void AddCompletionCommand(CLI::App& app, CliContext& context) {
  CLI::App* completion = app.add_subcommand(
      "completion", "print a shell completion script, e.g. source <(feedbackctl completion bash)");
  completion->require_subcommand(1);
  CLI::App* bash = completion->add_subcommand("bash", "the bash completion script");
  bash->callback([&app, &context] {
    ExactStdout() << BashCompletionScript(app) << std::flush;  // a data format: byte for byte
    context.exit_code = kExitOk;
  });
}

}  // namespace feedback::client
