// feedbackctl quotes list | approve | withdraw
//   quotes list --quarter 2018-19Q3 [--candidates]   approved quotes (and, for a qa_manager,
//                                                    the redacted candidates waiting for approval)
//   quotes approve ID [--text "..."]                 approve the automatic redaction, or a wording
//   quotes withdraw ID                               take an approval back
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "client/cli/cli_common.h"
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
  std::string id;
  std::string text;
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
  cmd = quotes->add_subcommand("approve", "approve a candidate for reports (audited)");
  cmd->add_option("id", approve->id, "the feedback item's id (fb_...)")->required();
  cmd->add_option("--text", approve->text,
                  "the wording to publish (default: the automatic redaction); refused if it "
                  "would itself be redacted");
  cmd->callback([&context, approve] {
    v1::ApproveQuoteRequest request;
    request.set_feedback_id(approve->id);
    request.set_text(approve->text);
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::ApproveQuote, request,
                                     [](const v1::Quote& quote) { return FormatQuote(quote); });
  });

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
