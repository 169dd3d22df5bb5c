// Short notes for the person at the terminal, on standard error, where a command would otherwise
// leave them guessing (an empty list, figures in a form they did not ask for). Standard output
// keeps only the data, so scripts see exactly what they saw before; --json prints no note.
#ifndef FEEDBACK_CLIENT_CLI_CLI_NOTES_H_
#define FEEDBACK_CLIENT_CLI_CLI_NOTES_H_

#include <iostream>
#include <string>
#include <string_view>

#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// For a list with no rows: writes "no WHAT matched" to stderr, and returns "" (what a
// human renderer then prints on stdout). `what` is plural: "complaints", "referrals".
inline std::string NothingMatched(std::string_view what) {
  std::cerr << "no " << what << " matched" << std::endl;
  return "";
}

// When exact figures were asked for (`asked_exact`: summary without --published, report
// --exact) and the server answered with the published form (a reporter's token always gets it),
// says so on stderr, and what would give the exact counts.
inline void NoteIfPublishedForm(const v1::QuarterSummary& summary, bool asked_exact) {
  if (!asked_exact || !summary.published_form()) return;
  std::cerr << "note: these are the published figures (small-number suppression, \"c\" for a "
               "withheld count), not exact counts: this token's role gets only the published "
               "form; exact counts for internal QA need a qa_manager token"
            << std::endl;
}

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_CLI_CLI_NOTES_H_
