// feedbackctl submit | get | list
#include <fstream>
#include <iostream>
#include <iterator>

#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "client/lib/outbox.h"
#include "google/protobuf/struct.pb.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

struct SubmitFlags {
  std::string source, kind, meeting, service_area, text, text_file, occurred_at, submission_id;
  std::string advocacy_referral_id;
  int rating = 0;
  bool consent_to_quote = false;
  bool child_confirmed = false;
};

struct FeedbackListFlags {
  std::string quarter, source, kind, tag, page_token;
  int page_size = 0;
  bool all_pages = false;
};

absl::StatusOr<std::string> ReadText(const SubmitFlags& flags) {
  if (flags.text_file.empty()) return flags.text;
  if (!flags.text.empty()) return UsageError("give --text or --text-file, not both");
  return ReadTextFileFlag(flags.text_file);
}

absl::StatusOr<v1::Feedback> FeedbackFromFlags(const SubmitFlags& flags) {
  v1::Feedback feedback;
  absl::StatusOr<v1::Source> source = EnumFlag<v1::Source>("source", flags.source);
  absl::StatusOr<v1::Kind> kind = EnumFlag<v1::Kind>("kind", flags.kind);
  absl::StatusOr<v1::Meeting> meeting = EnumFlag<v1::Meeting>("meeting", flags.meeting);
  absl::StatusOr<v1::ServiceArea> area =
      EnumFlag<v1::ServiceArea>("service-area", flags.service_area);
  for (const absl::Status& status :
       {source.status(), kind.status(), meeting.status(), area.status()}) {
    if (!status.ok()) return status;
  }
  feedback.set_source(*source);
  feedback.set_kind(*kind);
  feedback.set_meeting(*meeting);
  feedback.set_service_area(*area);
  absl::StatusOr<std::string> text = ReadText(flags);
  if (!text.ok()) return text.status();
  feedback.set_text(*text);
  feedback.set_rating(flags.rating);
  feedback.set_consent_to_quote(flags.consent_to_quote);
  feedback.set_advocacy_referral_id(flags.advocacy_referral_id);
  feedback.set_child_confirmed(flags.child_confirmed);
  if (absl::Status s =
          ParseTimeFlag("occurred-at", flags.occurred_at, feedback.mutable_occurred_at());
      !s.ok()) {
    return s;
  }
  if (flags.occurred_at.empty()) feedback.clear_occurred_at();
  feedback.set_submission_id(flags.submission_id.empty() ? NewSubmissionId() : flags.submission_id);
  return feedback;
}

// Sends the item; if the server cannot be reached (after the client's retries) keeps it in the
// outbox and still exits 0, printing its submission id. Queued items are flushed first.
int RunSubmit(const CliContext& context, const SubmitFlags& flags) {
  absl::StatusOr<v1::Feedback> feedback = FeedbackFromFlags(flags);
  if (!feedback.ok()) return Report(feedback.status());
  // A new submission is stamped with its time now, so it keeps its quarter if it has to wait in
  // the outbox. A reused --submission-id is sent as given: an earlier attempt may have left
  // occurred_at to the server, and the retry must carry the same content.
  if (flags.submission_id.empty()) PrepareForDelivery(*feedback);
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  return DeliverAndReport(context, *client, *feedback);
}

absl::StatusOr<v1::ListFeedbackRequest> ListRequestFromFlags(const FeedbackListFlags& flags) {
  v1::ListFeedbackRequest request;
  if (!flags.quarter.empty()) {
    absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
    if (!quarter.ok()) return quarter.status();
    request.set_financial_year(quarter->financial_year);
    request.set_quarter(quarter->quarter);
  }
  absl::StatusOr<v1::Source> source = EnumFlag<v1::Source>("source", flags.source);
  if (!source.ok()) return source.status();
  absl::StatusOr<v1::Kind> kind = EnumFlag<v1::Kind>("kind", flags.kind);
  if (!kind.ok()) return kind.status();
  request.set_source(*source);
  request.set_kind(*kind);
  request.set_tag(flags.tag);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  return request;
}

int RunFeedbackList(const CliContext& context, const FeedbackListFlags& flags) {
  absl::StatusOr<v1::ListFeedbackRequest> request = ListRequestFromFlags(flags);
  if (!request.ok()) return Report(request.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  const absl::TimeZone zone = LocalZone();
  v1::ListFeedbackResponse all;
  int shown = 0;
  do {
    absl::StatusOr<v1::ListFeedbackResponse> page = client->List(*request);
    if (!page.ok()) return Report(page.status());
    for (const v1::Feedback& item : page->feedback()) {
      if (context.json) {
        *all.add_feedback() = item;
      } else {
        std::cout << FormatFeedbackLine(item, zone) << "\n";
      }
      ++shown;
    }
    all.set_next_page_token(page->next_page_token());
    request->set_page_token(page->next_page_token());
  } while (flags.all_pages && !request->page_token().empty());
  if (context.json) {
    std::cout << ToJson(all) << std::endl;
  } else if (shown == 0 && all.next_page_token().empty()) {
    NothingMatched("items");
  } else if (!all.next_page_token().empty()) {
    std::cerr << "more: repeat with --page-token " << all.next_page_token() << " (or --all)"
              << std::endl;
  }
  return kExitOk;
}

}  // namespace

void AddFeedbackCommands(CLI::App& app, CliContext& context) {
  auto submit = std::make_shared<SubmitFlags>();
  CLI::App* cmd = app.add_subcommand("submit", "store one piece of feedback; prints its id");
  cmd->add_option("--source", submit->source, Choices<v1::Source>())->required();
  cmd->add_option("--kind", submit->kind, Choices<v1::Kind>())->required();
  cmd->add_option("--meeting", submit->meeting, Choices<v1::Meeting>());
  cmd->add_option("--service-area", submit->service_area, Choices<v1::ServiceArea>());
  cmd->add_option("--rating", submit->rating, "1..5 (0 or absent: no rating)");
  cmd->add_option("--text", submit->text, "the words, as given");
  cmd->add_option("--text-file", submit->text_file, "read the words from a file (- for stdin)");
  cmd->add_flag("--consent-to-quote", submit->consent_to_quote, "the person agreed to be quoted");
  cmd->add_option("--occurred-at", submit->occurred_at,
                  "when it was given, RFC 3339 (default: when the server receives it)");
  cmd->add_option("--submission-id", submit->submission_id,
                  "UUID to send (default: a new one); reuse it to retry safely");
  cmd->add_option("--advocacy-referral-id", submit->advocacy_referral_id,
                  "child statements: the referral (ar_...) it was given for");
  cmd->add_flag("--child-confirmed", submit->child_confirmed,
                "child statements: the child confirmed the words are theirs");
  cmd->callback([&context, submit] { context.exit_code = RunSubmit(context, *submit); });

  auto id = std::make_shared<std::string>();
  cmd = app.add_subcommand("get", "show one item");
  cmd->add_option("id", *id, "the item's id (fb_...)")->required();
  cmd->callback([&context, id] {
    v1::GetFeedbackRequest request;
    request.set_id(*id);
    context.exit_code =
        CallAndPrint(context, &v1::FeedbackService::Stub::GetFeedback, request,
                     [](const v1::Feedback& f) { return FormatFeedbackLong(f, LocalZone()); });
  });

  auto list = std::make_shared<FeedbackListFlags>();
  cmd = app.add_subcommand("list", "list items, newest first");
  cmd->add_option("--quarter", list->quarter,
                  "financial quarter, e.g. 2018-19Q3 (default: all time)");
  cmd->add_option("--source", list->source, Choices<v1::Source>());
  cmd->add_option("--kind", list->kind, Choices<v1::Kind>());
  cmd->add_option("--tag", list->tag, "only items with this tag");
  cmd->add_option("--page-size", list->page_size,
                  "items per page (server default 50, at most 500)");
  cmd->add_option("--page-token", list->page_token, "continue from a previous page");
  cmd->add_flag("--all", list->all_pages, "follow every page");
  cmd->callback([&context, list] { context.exit_code = RunFeedbackList(context, *list); });
}

}  // namespace feedback::client
