// What feedbackctl says when its command line does not parse: the word that was not understood,
// and the closest word that would have been ("did you mean --quarter?").
#ifndef FEEDBACK_CLIENT_CLI_CLI_SUGGEST_H_
#define FEEDBACK_CLIENT_CLI_CLI_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"

namespace feedback::client {

// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
// swaps of two neighbours each count 1), if it is close enough to be what was meant: at most 2
// edits, and fewer than half the word's letters. "" if none is.
// Example: ClosestWord("lsit", {"list", "get", "submit"}) == "list".
std::string ClosestWord(std::string_view word, const std::vector<std::string>& candidates);

// The message for `error`, thrown by `app.parse`: for a word that is neither a flag nor a
// command that could come there, it names the word, the command it was given to, and the
// closest valid flag or command; otherwise CLI11's own message. Ends with where help is.
// REQUIRES: `app` is the root app, and `error` came from its parse (its parsed subcommands and
// left-over words are still recorded).
std::string ExplainParseError(const CLI::App& app, const CLI::ParseError& error);

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_SUGGEST_H_
