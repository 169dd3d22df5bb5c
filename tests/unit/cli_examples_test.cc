// Issue 12: feedbackctl's help teaches. Every command's --help ends with an example, and each
// example is a command line that the command's own flag definitions accept.
#include "client/cli/cli_examples.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/cli/cli_app.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {
namespace cli_examples_test {

using ::testing::HasSubstr;

// Every command under `command` (groups and leaves), depth first.
void Walk(CLI::App& command, const std::function<void(CLI::App&)>& visit) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; })) {
    visit(*sub);
    Walk(*sub, visit);
  }
}

bool IsLeaf(CLI::App& command) {
  return command.get_subcommands([](CLI::App*) { return true; }).empty();
}

// The feedbackctl part of an example ("source <(feedbackctl completion bash)" -> "completion
// bash"): after "feedbackctl ", up to a shell redirection, pipe or closing parenthesis.
std::string ArgumentsOf(const std::string& example) {
  std::string args(
      example.substr(example.find("feedbackctl ") + std::string("feedbackctl ").size()));
  for (const char* end : {" > ", " | ", ")"}) {
    const size_t at = args.find(end);
    if (at != std::string::npos) args.resize(at);
  }
  return args;
}

// The commands CLI11 parsed, from the root down: "admin token issue".
std::string ParsedPath(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* at = &app;;) {
    const std::vector<const CLI::App*> parsed =
        at->get_subcommands([](const CLI::App* sub) { return sub->parsed(); });
    if (parsed.empty()) break;
    at = parsed.front();
    names.push_back(at->get_name());
  }
  return absl::StrJoin(names, " ");
}

TEST(CommandExamples, EveryCommandsHelpEndsWithItsExample) {
  CLI::App app{"feedbackctl"};
  CliContext context;
  AddFeedbackctl(app, context);
  int leaves = 0;
  Walk(app, [&](CLI::App& command) {
    const std::string path = CommandPath(command);
    const std::string help = command.help();
    if (IsLeaf(command)) {
      ++leaves;
      ASSERT_TRUE(CommandExamples().contains(path)) << "`" << path << "` has no example";
      EXPECT_THAT(help, HasSubstr("Example:\n  " + CommandExamples().at(path))) << path;
    } else {
      EXPECT_THAT(help, HasSubstr("Example")) << path;  // its commands' examples
    }
  });
  EXPECT_GE(leaves, 30);
  // No example for a command that does not exist (a renamed one's example left behind).
  for (const auto& [path, example] : CommandExamples()) {
    bool found = false;
    Walk(app, [&](CLI::App& command) { found = found || CommandPath(command) == path; });
    EXPECT_TRUE(found) << "an example for `" << path << "`, which is not a command";
  }
}

// Each example parses against a fresh feedbackctl whose commands do not run, reaches the
// command it is the example of, and gives enum flags and --quarter values the command accepts.
TEST(CommandExamples, EachParsesAsTheCommandItIsTheExampleOf) {
  for (const auto& [path, example] : CommandExamples()) {
    SCOPED_TRACE(example);
    CLI::App app{"feedbackctl"};
    CliContext context;
    AddFeedbackctl(app, context);
    // The root's parse-complete callback runs once every flag is parsed and checked, before any
    // command's callback: stopping there parses without running anything.
    struct Parsed {};
    app.parse_complete_callback([] { throw Parsed(); });
    const std::string args = ArgumentsOf(example);
    try {
      app.parse(args, /*program_name_included=*/false);
      ADD_FAILURE() << "`feedbackctl " << args << "` parsed but was not stopped before running";
      continue;
    } catch (const Parsed&) {
    } catch (const CLI::ParseError& error) {
      ADD_FAILURE() << "`feedbackctl " << args << "` does not parse: " << error.what();
      continue;
    }
    EXPECT_EQ(ParsedPath(app), path);
    Walk(app, [&](CLI::App& command) {
      if (!command.parsed()) return;
      for (const CLI::Option* option : command.get_options()) {
        if (option->count() == 0) continue;
        const std::string value = option->as<std::string>();
        const std::string& description = option->get_description();
        if (const size_t at = description.find("one of: "); at != std::string::npos) {
          const std::vector<std::string> choices = absl::StrSplit(
              absl::StripSuffix(description.substr(at + 8), " (default: all)"), ", ");
          EXPECT_THAT(choices, ::testing::Contains(value)) << option->get_name();
        }
        if (option->get_name() == "--quarter") {
          EXPECT_TRUE(ParseQuarter(value).ok()) << value;
        }
      }
    });
  }
}

}  // namespace cli_examples_test
}  // namespace
}  // namespace feedback::client
