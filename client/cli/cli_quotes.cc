// feedbackctl quotes list | approve | withdraw
//   quotes list --quarter 2018-19Q3 [--candidates]   approved quotes (and, for a qa_manager,
//                                                    the redacted candidates waiting for approval)
//   quotes approve ID [--text "..."]                 approve the automatic redaction, or a wording
//   quotes approve ID ID ...                         approve several, each as redacted
//   quotes approve --quarter 2018-19Q3               review the quarter's candidates one by one:
//                                                    yes / no / edit / quit (answers from stdin)
//   quotes withdraw ID                               take an approval back
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_output.h"
#include "client/cli/exit_codes.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

struct QuoteListFlags {
  std::string quarter;
  bool candidates = false;
};

struct ApproveFlags {
  std::vector<std::string> ids;
  std::string text;
  std::string quarter;
};

// "approved" or "candidate" (the enum's spelling); an item that is no quote "not quotable".
std::string StatusText(v1::QuoteStatus status) {
  if (status == v1::QUOTE_STATUS_UNSPECIFIED) return "not quotable";
  return FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::QuoteStatus>(), status);
}

// "fb_...  approved  2018-10-17  family compliment, initial_cp_conference", then the words and
// what redaction took out.
std::string FormatQuote(const v1::Quote& quote) {
  std::string out = absl::StrCat(quote.feedback_id(), "  ", StatusText(quote.status()));
  if (quote.has_occurred_at()) {
    absl::StrAppend(&out, "  ",
                    absl::FormatTime("%Y-%m-%d",
                                     absl::FromUnixMicros(
                                         TimeUtil::TimestampToMicroseconds(quote.occurred_at())),
                                     LocalZone()));
  }
  if (quote.source() != v1::SOURCE_UNSPECIFIED) {
    absl::StrAppend(
        &out, "  ",
        FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::Source>(), quote.source()), " ",
        FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::Kind>(), quote.kind()), ", ",
        FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::Meeting>(), quote.meeting()));
  }
  absl::StrAppend(&out, "\n");
  // The words' lines indented under the quote's header line.
  if (!quote.text().empty()) {
    absl::StrAppend(&out, "  \"", absl::StrReplaceAll(quote.text(), {{"\n", "\n   "}}), "\"\n");
  }
  if (!quote.redactions().empty()) {
    absl::StrAppend(&out, "  redacted: ", ForTerminalLine(absl::StrJoin(quote.redactions(), ", ")),
                    "\n");
  }
  return out;
}

int RunQuoteList(const CliContext& context, const QuoteListFlags& flags) {
  absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
  if (!quarter.ok()) return Report(quarter.status());
  v1::ListQuotesRequest request;
  request.set_financial_year(quarter->financial_year);
  request.set_quarter(quarter->quarter);
  request.set_include_candidates(flags.candidates);
  return CallAndPrint(context, &v1::FeedbackService::Stub::ListQuotes, request,
                      [](const v1::ListQuotesResponse& response) {
                        std::string out;
                        for (const v1::Quote& quote : response.quotes()) {
                          absl::StrAppend(&out, FormatQuote(quote));
                        }
                        return out;
                      });
}

// What a run of `quotes approve` with several ids or --quarter decided.
struct ApproveTally {
  std::vector<std::string> approved;
  std::vector<std::string> skipped;  // "no", or a listed id the server refused
  std::vector<std::string> left;     // not reached: "quit", the end of the answers, or an error
};

std::string ApproveTallyLine(const ApproveTally& tally) {
  std::string line =
      absl::StrCat("approved ", tally.approved.size(), ", skipped ", tally.skipped.size());
  if (!tally.left.empty()) absl::StrAppend(&line, ", left ", tally.left.size(), " undecided");
  return line + "\n";
}

// `text` as a JSON string: quotes, backslashes and control characters escaped.
std::string ApproveJsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, c));
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, absl::StrFormat("\\u%04x", static_cast<int>(c)));
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string ApproveTallyJson(const ApproveTally& tally) {
  auto ids = [](const std::vector<std::string>& list) {
    std::string out = "[";
    for (size_t i = 0; i < list.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", ApproveJsonString(list[i]));
    }
    return out + "]";
  };
  return absl::StrCat("{\"approved\":", ids(tally.approved), ",\"skipped\":", ids(tally.skipped),
                      ",\"left\":", ids(tally.left), "}\n");
}

// A refusal of one quote's approval (the reviewer can answer again); any other error stops.
bool IsQuoteRefusal(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kFailedPrecondition ||
         status.code() == absl::StatusCode::kNotFound;
}

absl::StatusOr<v1::Quote> ApproveOne(const FeedbackClient& client, const std::string& id,
                                     const std::string& text) {
  v1::ApproveQuoteRequest request;
  request.set_feedback_id(id);
  request.set_text(text);
  return client.Call(&v1::FeedbackService::Stub::ApproveQuote, request);
}

// Prints the tally (stdout) and returns `code`.
int FinishApprovals(const CliContext& context, const ApproveTally& tally, int code) {
  if (context.json) {
    ExactStdout() << ApproveTallyJson(tally);
  } else {
    std::cout << ApproveTallyLine(tally);
  }
  return code;
}

// `quotes approve ID ID ...`: each as redacted, in order. A refused id is reported and skipped;
// the exit code is then the first refusal's. Any other error stops the run.
int RunApproveList(const CliContext& context, const std::vector<std::string>& ids) {
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  ApproveTally tally;
  int code = kExitOk;
  for (size_t i = 0; i < ids.size(); ++i) {
    absl::StatusOr<v1::Quote> quote = ApproveOne(*client, ids[i], "");
    if (quote.ok()) {
      tally.approved.push_back(ids[i]);
      if (!context.json) std::cout << FormatQuote(*quote);
      continue;
    }
    const int failed = Report(quote.status());
    if (code == kExitOk) code = failed;
    if (!IsQuoteRefusal(quote.status())) {
      tally.left.assign(ids.begin() + static_cast<std::ptrdiff_t>(i), ids.end());
      break;
    }
    tally.skipped.push_back(ids[i]);
  }
  return FinishApprovals(context, tally, code);
}

// One reviewer's answers: a terminal's (with prompts) or, from a pipe or file, one per line
// (echoed after the prompt, so that a log reads like the session). Empty at the end of input.
class QuoteAnswers {
 public:
  explicit QuoteAnswers(std::ostream& ui) : ui_(ui), terminal_(isatty(STDIN_FILENO) == 1) {}

  // Shows `prompt` and returns the next line (trimmed of a trailing '\r'); nullopt at the end.
  std::optional<std::string> Ask(std::string_view prompt) {
    ui_ << prompt << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
      ui_ << "\n";
      return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!terminal_) ui_ << ForTerminalLine(line) << "\n";
    return line;
  }

 private:
  std::ostream& ui_;
  const bool terminal_;
};

enum class QuoteReview { kApproved, kSkipped, kQuit };

// Asks about one candidate until the reviewer decides; an edit the server refuses, or an
// approval it refuses, is shown with its reason and asked again.
absl::StatusOr<QuoteReview> ReviewCandidate(const FeedbackClient& client, const v1::Quote& quote,
                                            QuoteAnswers& answers, std::ostream& ui) {
  for (;;) {
    std::optional<std::string> answer = answers.Ask("approve? [y]es, [n]o, [e]dit, [q]uit: ");
    if (!answer.has_value()) return QuoteReview::kQuit;
    const std::string choice = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*answer));
    if (choice == "n" || choice == "no") return QuoteReview::kSkipped;
    if (choice == "q" || choice == "quit") return QuoteReview::kQuit;
    std::string text;
    if (choice == "e" || choice == "edit") {
      std::optional<std::string> wording = answers.Ask("new wording (one line): ");
      if (!wording.has_value()) return QuoteReview::kQuit;
      text = std::string(absl::StripAsciiWhitespace(*wording));
      if (text.empty()) {
        ui << "no wording given; the quote is unchanged\n";
        continue;
      }
    } else if (choice != "y" && choice != "yes") {
      ui << "answer y, n, e or q\n";
      continue;
    }
    absl::StatusOr<v1::Quote> approved = ApproveOne(client, quote.feedback_id(), text);
    if (approved.ok()) {
      ui << "approved: \"" << ForTerminalLine(approved->text()) << "\"\n";
      return QuoteReview::kApproved;
    }
    if (!IsQuoteRefusal(approved.status())) return approved.status();
    ui << "refused: " << ForTerminalLine(std::string(approved.status().message())) << "\n";
  }
}

// `quotes approve --quarter Q`: the quarter's candidates, oldest first, each shown redacted and
// decided by the reviewer. "no" writes nothing (there is no API to decline a quote: it stays a
// candidate); every approval is audited by the server (quote.approve).
int RunApproveQuarter(const CliContext& context, const std::string& quarter_flag) {
  absl::StatusOr<Quarter> quarter = QuarterFlag(quarter_flag);
  if (!quarter.ok()) return Report(quarter.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  v1::ListQuotesRequest request;
  request.set_financial_year(quarter->financial_year);
  request.set_quarter(quarter->quarter);
  request.set_include_candidates(true);
  absl::StatusOr<v1::ListQuotesResponse> listed =
      client->Call(&v1::FeedbackService::Stub::ListQuotes, request);
  if (!listed.ok()) return Report(listed.status());
  std::vector<v1::Quote> candidates;
  for (const v1::Quote& quote : listed->quotes()) {
    if (quote.status() == v1::QUOTE_STATUS_CANDIDATE) candidates.push_back(quote);
  }
  std::reverse(candidates.begin(), candidates.end());  // listed newest first
  std::ostream& ui = context.json ? std::cerr : std::cout;
  ui << candidates.size() << " candidate" << (candidates.size() == 1 ? "" : "s") << " in "
     << quarter_flag << "\n";
  QuoteAnswers answers(ui);
  ApproveTally tally;
  for (size_t i = 0; i < candidates.size(); ++i) {
    ui << "\n[" << i + 1 << "/" << candidates.size() << "] " << FormatQuote(candidates[i]);
    absl::StatusOr<QuoteReview> review = ReviewCandidate(*client, candidates[i], answers, ui);
    if (!review.ok() || *review == QuoteReview::kQuit) {
      for (size_t j = i; j < candidates.size(); ++j) {
        tally.left.push_back(candidates[j].feedback_id());
      }
      if (!review.ok()) return FinishApprovals(context, tally, Report(review.status()));
      break;
    }
    (*review == QuoteReview::kApproved ? tally.approved : tally.skipped)
        .push_back(candidates[i].feedback_id());
  }
  return FinishApprovals(context, tally, kExitOk);
}

// `quotes approve`: one id (optionally --text, exactly as it always was), several ids, or
// --quarter.
int RunApprove(const CliContext& context, const ApproveFlags& flags) {
  if (!flags.quarter.empty() && !flags.ids.empty()) {
    return Report(UsageError("quotes approve: give ids or --quarter, not both"));
  }
  if (flags.quarter.empty() && flags.ids.empty()) {
    return Report(
        UsageError("quotes approve: give the ids to approve, or --quarter to review candidates"));
  }
  if (!flags.text.empty() && flags.ids.size() != 1) {
    return Report(UsageError("--text: only with exactly one id (edit in --quarter's review)"));
  }
  if (!flags.quarter.empty()) return RunApproveQuarter(context, flags.quarter);
  if (flags.ids.size() > 1) return RunApproveList(context, flags.ids);
  v1::ApproveQuoteRequest request;
  request.set_feedback_id(flags.ids.front());
  request.set_text(flags.text);
  return CallAndPrint(context, &v1::FeedbackService::Stub::ApproveQuote, request,
                      [](const v1::Quote& quote) { return FormatQuote(quote); });
}

}  // namespace

void AddQuoteCommands(CLI::App& app, CliContext& context) {
  CLI::App* quotes = app.add_subcommand(
      "quotes", "quotes for reports: consented words, redacted, approved by a qa_manager");
  quotes->require_subcommand(1);

  auto list = std::make_shared<QuoteListFlags>();
  CLI::App* cmd = quotes->add_subcommand("list", "a quarter's approved quotes, newest first");
  cmd->add_option("--quarter", list->quarter, "e.g. 2018-19Q3")->required();
  cmd->add_flag("--candidates", list->candidates,
                "also the redacted candidates waiting for approval (qa_manager; audited)");
  cmd->callback([&context, list] { context.exit_code = RunQuoteList(context, *list); });

  auto approve = std::make_shared<ApproveFlags>();
  cmd = quotes->add_subcommand(
      "approve",
      "approve candidates for reports (audited): one id, several ids, or --quarter to review "
      "each candidate (yes/no/edit/quit; answers line by line from stdin when it is no "
      "terminal)");
  cmd->add_option("ids", approve->ids, "the feedback items' ids (fb_...)");
  cmd->add_option("--text", approve->text,
                  "with one id: the wording to publish (default: the automatic redaction); "
                  "refused if it would itself be redacted");
  cmd->add_option("--quarter", approve->quarter,
                  "review the quarter's candidates one by one, e.g. 2018-19Q3");
  cmd->callback([&context, approve] { context.exit_code = RunApprove(context, *approve); });

  auto id = std::make_shared<std::string>();
  cmd = quotes->add_subcommand("withdraw", "take a quote's approval back (audited)");
  cmd->add_option("id", *id, "the feedback item's id (fb_...)")->required();
  cmd->callback([&context, id] {
    v1::WithdrawQuoteRequest request;
    request.set_feedback_id(*id);
    context.exit_code = CallAndPrint(
        context, &v1::FeedbackService::Stub::WithdrawQuote, request,
        [](const v1::Quote& quote) { return absl::StrCat(quote.feedback_id(), ": withdrawn\n"); });
  });
}

}  // namespace feedback::client
