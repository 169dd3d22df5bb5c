// feedbackctl: the command-line client of feedbackd. `feedbackctl --help` lists the commands.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli_output.h"
#include "client/enum_flags.h"
#include "client/feedback_client.h"
#include "google/protobuf/util/time_util.h"
#include "service/quarter.h"

namespace feedback::client {
namespace {

using google::protobuf::util::TimeUtil;

struct GlobalFlags {
  std::string server = "127.0.0.1:50051";
  std::string token_file;
  bool json = false;
  double timeout_seconds = 10;
};

struct SubmitFlags {
  std::string source, kind, meeting, service_area, text, text_file, occurred_at, submission_id;
  int rating = 0;
  bool consent_to_quote = false;
};

struct ListFlags {
  std::string quarter, source, kind, tag, page_token;
  int page_size = 0;
  bool all_pages = false;
};

// A failure to report: what went wrong and the exit code it means.
struct Failure {
  absl::Status status;
};

absl::TimeZone London() {
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  return calendar.ok() ? calendar->zone() : absl::UTCTimeZone();
}

int Report(const absl::Status& status) {
  std::cerr << "feedbackctl: " << absl::StatusCodeToString(status.code()) << ": "
            << status.message() << std::endl;
  return ExitCodeFor(status);
}

absl::StatusOr<std::string> ReadToken(const GlobalFlags& flags) {
  if (flags.token_file.empty()) {
    const char* from_env = std::getenv("FEEDBACK_TOKEN");
    return std::string(from_env == nullptr ? "" : from_env);
  }
  std::ifstream in(flags.token_file);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat("--token-file: cannot read ", flags.token_file));
  std::string token((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::string(absl::StripAsciiWhitespace(token));
}

absl::StatusOr<FeedbackClient> MakeClient(const GlobalFlags& flags) {
  absl::StatusOr<std::string> token = ReadToken(flags);
  if (!token.ok()) return token.status();
  return FeedbackClient(ClientOptions{
      .server = flags.server, .timeout = absl::Seconds(flags.timeout_seconds), .token = *token});
}

template <typename EnumType>
absl::Status SetEnum(std::string_view flag, const std::string& text,
                     void (v1::Feedback::*set)(EnumType), v1::Feedback& feedback) {
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<int> number =
      ParseEnumFlag(google::protobuf::GetEnumDescriptor<EnumType>(), flag, text);
  if (!number.ok()) return number.status();
  (feedback.*set)(static_cast<EnumType>(*number));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadText(const SubmitFlags& flags) {
  if (flags.text_file.empty()) return flags.text;
  if (!flags.text.empty())
    return absl::InvalidArgumentError("give --text or --text-file, not both");
  std::istream* in = &std::cin;
  std::ifstream file;
  if (flags.text_file != "-") {
    file.open(flags.text_file);
    if (!file)
      return absl::InvalidArgumentError(absl::StrCat("--text-file: cannot read ", flags.text_file));
    in = &file;
  }
  return std::string((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
}

absl::StatusOr<v1::Feedback> FeedbackFromFlags(const SubmitFlags& flags) {
  v1::Feedback feedback;
  if (absl::Status s = SetEnum("source", flags.source, &v1::Feedback::set_source, feedback);
      !s.ok())
    return s;
  if (absl::Status s = SetEnum("kind", flags.kind, &v1::Feedback::set_kind, feedback); !s.ok())
    return s;
  if (absl::Status s = SetEnum("meeting", flags.meeting, &v1::Feedback::set_meeting, feedback);
      !s.ok())
    return s;
  if (absl::Status s =
          SetEnum("service-area", flags.service_area, &v1::Feedback::set_service_area, feedback);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> text = ReadText(flags);
  if (!text.ok()) return text.status();
  feedback.set_text(*text);
  feedback.set_rating(flags.rating);
  feedback.set_consent_to_quote(flags.consent_to_quote);
  if (!flags.occurred_at.empty() &&
      !TimeUtil::FromString(flags.occurred_at, feedback.mutable_occurred_at())) {
    return absl::InvalidArgumentError(
        absl::StrCat("--occurred-at: \"", flags.occurred_at,
                     "\" is not an RFC 3339 time such as 2018-10-01T00:30:00+01:00"));
  }
  feedback.set_submission_id(flags.submission_id.empty() ? NewSubmissionId() : flags.submission_id);
  return feedback;
}

int RunSubmit(const GlobalFlags& global, const SubmitFlags& flags) {
  absl::StatusOr<v1::Feedback> feedback = FeedbackFromFlags(flags);
  if (!feedback.ok()) return Report(feedback.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(global);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<v1::SubmitFeedbackResponse> response = client->Submit(*feedback);
  if (!response.ok()) return Report(response.status());
  if (global.json) {
    std::cout << ToJson(*response) << std::endl;
  } else {
    // The id alone on stdout, so scripts can capture it; the rest is for people.
    std::cout << response->feedback().id() << std::endl;
    std::cerr << (response->duplicate() ? "already stored (same submission "
                                        : "stored (submission ")
              << response->feedback().submission_id() << ")" << std::endl;
  }
  return kExitOk;
}

int RunGet(const GlobalFlags& global, const std::string& id) {
  absl::StatusOr<FeedbackClient> client = MakeClient(global);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<v1::Feedback> feedback = client->Get(id);
  if (!feedback.ok()) return Report(feedback.status());
  std::cout << (global.json ? ToJson(*feedback) + "\n" : FormatFeedbackLong(*feedback, London()));
  return kExitOk;
}

absl::StatusOr<v1::ListFeedbackRequest> ListRequestFromFlags(const ListFlags& flags) {
  v1::ListFeedbackRequest request;
  if (!flags.quarter.empty()) {
    absl::StatusOr<Quarter> quarter = ParseQuarter(flags.quarter, "--quarter");
    if (!quarter.ok()) return quarter.status();
    request.set_financial_year(quarter->financial_year);
    request.set_quarter(quarter->quarter);
  }
  for (const auto& [flag, text, type] :
       {std::tuple{"source", flags.source, google::protobuf::GetEnumDescriptor<v1::Source>()},
        std::tuple{"kind", flags.kind, google::protobuf::GetEnumDescriptor<v1::Kind>()}}) {
    if (text.empty()) continue;
    absl::StatusOr<int> number = ParseEnumFlag(type, flag, text);
    if (!number.ok()) return number.status();
    if (std::string_view(flag) == "source")
      request.set_source(static_cast<v1::Source>(*number));
    else
      request.set_kind(static_cast<v1::Kind>(*number));
  }
  request.set_tag(flags.tag);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  return request;
}

int RunList(const GlobalFlags& global, const ListFlags& flags) {
  absl::StatusOr<v1::ListFeedbackRequest> request = ListRequestFromFlags(flags);
  if (!request.ok()) return Report(request.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(global);
  if (!client.ok()) return Report(client.status());
  const absl::TimeZone zone = London();
  v1::ListFeedbackResponse all;
  do {
    absl::StatusOr<v1::ListFeedbackResponse> page = client->List(*request);
    if (!page.ok()) return Report(page.status());
    for (const v1::Feedback& item : page->feedback()) {
      if (global.json)
        *all.add_feedback() = item;
      else
        std::cout << FormatFeedbackLine(item, zone) << "\n";
    }
    all.set_next_page_token(page->next_page_token());
    request->set_page_token(page->next_page_token());
  } while (flags.all_pages && !request->page_token().empty());
  if (global.json) {
    std::cout << ToJson(all) << std::endl;
  } else if (!all.next_page_token().empty()) {
    std::cerr << "more: repeat with --page-token " << all.next_page_token() << " (or --all)"
              << std::endl;
  }
  return kExitOk;
}

std::string Choices(const google::protobuf::EnumDescriptor* type) {
  return absl::StrCat("one of: ", absl::StrJoin(EnumFlagSpellings(type), ", "));
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"feedbackctl: submit and read feedback held by feedbackd"};
  app.require_subcommand(1);
  GlobalFlags global;
  app.add_option("--server", global.server, "feedbackd address host:port")->capture_default_str();
  app.add_option("--token-file", global.token_file,
                 "file holding the bearer token (default: $FEEDBACK_TOKEN)");
  app.add_flag("--json", global.json, "machine-readable output (protobuf JSON mapping)");
  app.add_option("--timeout", global.timeout_seconds, "deadline of each call, in seconds")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  SubmitFlags submit;
  CLI::App* submit_cmd = app.add_subcommand("submit", "store one piece of feedback; prints its id");
  submit_cmd
      ->add_option("--source", submit.source,
                   Choices(google::protobuf::GetEnumDescriptor<v1::Source>()))
      ->required();
  submit_cmd
      ->add_option("--kind", submit.kind, Choices(google::protobuf::GetEnumDescriptor<v1::Kind>()))
      ->required();
  submit_cmd->add_option("--meeting", submit.meeting,
                         Choices(google::protobuf::GetEnumDescriptor<v1::Meeting>()));
  submit_cmd->add_option("--service-area", submit.service_area,
                         Choices(google::protobuf::GetEnumDescriptor<v1::ServiceArea>()));
  submit_cmd->add_option("--rating", submit.rating, "1..5 (0 or absent: no rating)");
  submit_cmd->add_option("--text", submit.text, "the words, as given");
  submit_cmd->add_option("--text-file", submit.text_file,
                         "read the words from a file (- for stdin)");
  submit_cmd->add_flag("--consent-to-quote", submit.consent_to_quote,
                       "the person agreed to be quoted");
  submit_cmd->add_option("--occurred-at", submit.occurred_at,
                         "when it was given, RFC 3339 (default: when the server receives it)");
  submit_cmd->add_option("--submission-id", submit.submission_id,
                         "UUID to send (default: a new one); reuse it to retry safely");

  std::string get_id;
  CLI::App* get_cmd = app.add_subcommand("get", "show one item");
  get_cmd->add_option("id", get_id, "the item's id (fb_...)")->required();

  ListFlags list;
  CLI::App* list_cmd = app.add_subcommand("list", "list items, newest first");
  list_cmd->add_option("--quarter", list.quarter,
                       "financial quarter, e.g. 2018-19Q3 (default: all time)");
  list_cmd->add_option("--source", list.source,
                       Choices(google::protobuf::GetEnumDescriptor<v1::Source>()));
  list_cmd->add_option("--kind", list.kind,
                       Choices(google::protobuf::GetEnumDescriptor<v1::Kind>()));
  list_cmd->add_option("--tag", list.tag, "only items with this tag");
  list_cmd->add_option("--page-size", list.page_size,
                       "items per page (server default 50, at most 500)");
  list_cmd->add_option("--page-token", list.page_token, "continue from a previous page");
  list_cmd->add_flag("--all", list.all_pages, "follow every page");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return kExitUsage;
  }
  if (submit_cmd->parsed()) return RunSubmit(global, submit);
  if (get_cmd->parsed()) return RunGet(global, get_id);
  if (list_cmd->parsed()) return RunList(global, list);
  return kExitUsage;
}

}  // namespace feedback::client

int main(int argc, char** argv) { return feedback::client::Main(argc, argv); }
