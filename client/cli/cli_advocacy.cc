// feedbackctl advocacy refer | progress | decline | not-progressed | get | list | statement
#include <fstream>
#include <iostream>
#include <iterator>

#include "absl/strings/str_format.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "client/lib/outbox.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

struct ReferFlags {
  std::string meeting, referred_at, service_area, submission_id;
  int child_age = 0;
  bool within_city_boundary = false;
};

struct ReferralListFlags {
  std::string quarter, meeting, status;
};

struct StatementFlags {
  std::string referral_id, text_file = "-", submission_id, occurred_at;
  bool child_confirmed = false, consent_to_quote = false;
};

std::string FormatReferral(const v1::AdvocacyReferral& r) {
  const auto* meetings = google::protobuf::GetEnumDescriptor<v1::Meeting>();
  const auto* statuses = google::protobuf::GetEnumDescriptor<v1::AdvocacyStatus>();
  return absl::StrCat(r.id(), "  ", FormatEnumFlag(meetings, r.meeting()), "  age ", r.child_age(),
                      r.within_city_boundary() ? "  within boundary" : "  outside boundary", "  ",
                      FormatEnumFlag(statuses, r.status()),
                      r.reason().empty() ? "" : "  (" + ForTerminalLine(r.reason()) + ")", "\n");
}

// One line of `advocacy list`: id, meeting, status, the local date it was made. Never the reason
// (the server does not list it; `advocacy get` shows it, audited).
std::string FormatReferralLine(const v1::AdvocacyReferral& r) {
  const auto* meetings = google::protobuf::GetEnumDescriptor<v1::Meeting>();
  const auto* statuses = google::protobuf::GetEnumDescriptor<v1::AdvocacyStatus>();
  const absl::Time at = absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(r.referred_at()));
  return absl::StrFormat(
      "%s  %-26s %-15s referred %s\n", r.id(), FormatEnumFlag(meetings, r.meeting()),
      FormatEnumFlag(statuses, r.status()), absl::FormatTime("%Y-%m-%d", at, LocalZone()));
}

int RunReferralList(const CliContext& context, const ReferralListFlags& flags) {
  v1::ListAdvocacyReferralsRequest request;
  if (!flags.quarter.empty()) {
    absl::StatusOr<Quarter> quarter = QuarterFlag(flags.quarter);
    if (!quarter.ok()) return Report(quarter.status());
    request.set_financial_year(quarter->financial_year);
    request.set_quarter(quarter->quarter);
  }
  absl::StatusOr<v1::Meeting> meeting = EnumFlag<v1::Meeting>("meeting", flags.meeting);
  if (!meeting.ok()) return Report(meeting.status());
  absl::StatusOr<v1::AdvocacyStatus> status = EnumFlag<v1::AdvocacyStatus>("status", flags.status);
  if (!status.ok()) return Report(status.status());
  request.set_meeting(*meeting);
  request.set_status(*status);
  return CallAndPrint(context, &v1::FeedbackService::Stub::ListAdvocacyReferrals, request,
                      [](const v1::ListAdvocacyReferralsResponse& response) {
                        if (response.referrals().empty()) return NothingMatched("referrals");
                        std::string out;
                        for (const v1::AdvocacyReferral& r : response.referrals()) {
                          out += FormatReferralLine(r);
                        }
                        return out;
                      });
}

int RunRefer(const CliContext& context, const ReferFlags& flags) {
  v1::CreateAdvocacyReferralRequest request;
  absl::StatusOr<v1::Meeting> meeting = EnumFlag<v1::Meeting>("meeting", flags.meeting);
  if (!meeting.ok()) return Report(meeting.status());
  absl::StatusOr<v1::ServiceArea> area =
      EnumFlag<v1::ServiceArea>("service-area", flags.service_area);
  if (!area.ok()) return Report(area.status());
  request.set_meeting(*meeting);
  request.set_service_area(*area);
  request.set_child_age(flags.child_age);
  request.set_within_city_boundary(flags.within_city_boundary);
  request.set_submission_id(flags.submission_id.empty() ? NewSubmissionId() : flags.submission_id);
  if (absl::Status s =
          ParseTimeFlag("referred-at", flags.referred_at, request.mutable_referred_at());
      !s.ok()) {
    return Report(s);
  }
  if (flags.referred_at.empty()) request.clear_referred_at();
  return CallAndPrint(context, &v1::FeedbackService::Stub::CreateAdvocacyReferral, request,
                      [](const v1::AdvocacyReferral& r) { return r.id() + "\n"; });
}

int RunDecision(const CliContext& context, const std::string& id, v1::AdvocacyStatus status,
                const std::string& reason) {
  v1::UpdateAdvocacyReferralRequest request;
  request.set_id(id);
  request.set_status(status);
  request.set_reason(reason);
  return CallAndPrint(context, &v1::FeedbackService::Stub::UpdateAdvocacyReferral, request,
                      FormatReferral);
}

// A child's statement: the advocate's submission of the child's own words for the referral's
// meeting. If the server cannot be reached when the statement is sent, it is kept in the outbox
// (exit 0, the submission id printed). The referral must be looked up first, for its meeting and
// service area: if that lookup cannot reach the server, nothing is queued (exit 6).
int RunStatement(const CliContext& context, const StatementFlags& flags) {
  absl::StatusOr<std::string> text = ReadTextFileFlag(flags.text_file);
  if (!text.ok()) return Report(text.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  v1::GetAdvocacyReferralRequest lookup;
  lookup.set_id(flags.referral_id);
  absl::StatusOr<v1::AdvocacyReferral> referral =
      client->Call(&v1::FeedbackService::Stub::GetAdvocacyReferral, lookup);
  if (!referral.ok()) {
    if (IsUnreachable(referral.status())) {
      return Report(absl::Status(
          referral.status().code(),
          absl::StrCat(referral.status().message(),
                       " (looking up the referral; the statement was not sent or queued)")));
    }
    return Report(referral.status());
  }
  v1::Feedback statement;
  statement.set_submission_id(flags.submission_id.empty() ? NewSubmissionId()
                                                          : flags.submission_id);
  statement.set_source(v1::SOURCE_ADVOCATE);
  statement.set_kind(v1::KIND_CHILD_STATEMENT);
  statement.set_meeting(referral->meeting());
  statement.set_service_area(referral->service_area());
  statement.set_text(*text);
  statement.set_advocacy_referral_id(referral->id());
  statement.set_child_confirmed(flags.child_confirmed);
  statement.set_consent_to_quote(flags.consent_to_quote);
  if (absl::Status s =
          ParseTimeFlag("occurred-at", flags.occurred_at, statement.mutable_occurred_at());
      !s.ok()) {
    return Report(s);
  }
  if (flags.occurred_at.empty()) statement.clear_occurred_at();
  // As for submit: a new submission is stamped now; a reused --submission-id is sent as given.
  if (flags.submission_id.empty()) PrepareForDelivery(statement);
  return DeliverAndReport(context, *client, statement);
}

}  // namespace

void AddAdvocacyCommands(CLI::App& app, CliContext& context) {
  CLI::App* advocacy = app.add_subcommand("advocacy", "advocacy referrals and child statements");
  advocacy->require_subcommand(1);

  auto refer = std::make_shared<ReferFlags>();
  CLI::App* cmd =
      advocacy->add_subcommand("refer", "refer a child for advocacy at a meeting; prints its id");
  cmd->add_option("--meeting", refer->meeting, Choices<v1::Meeting>())->required();
  cmd->add_option("--child-age", refer->child_age, "the child's age in years")->required();
  cmd->add_flag("--within-city-boundary", refer->within_city_boundary,
                "the child lives within the city boundary");
  cmd->add_option("--service-area", refer->service_area, Choices<v1::ServiceArea>());
  cmd->add_option("--referred-at", refer->referred_at, "when, RFC 3339 (default: now)");
  cmd->add_option("--submission-id", refer->submission_id, "UUID to send (default: a new one)");
  cmd->callback([&context, refer] { context.exit_code = RunRefer(context, *refer); });

  struct Decision {
    const char* name;
    const char* help;
    v1::AdvocacyStatus status;
  };
  for (const Decision& decision :
       {Decision{"progress", "the child had advocacy support at the meeting",
                 v1::ADVOCACY_STATUS_PROGRESSED},
        Decision{"decline", "the child declined advocacy", v1::ADVOCACY_STATUS_DECLINED},
        Decision{"not-progressed", "advocacy did not go ahead (give --reason)",
                 v1::ADVOCACY_STATUS_NOT_PROGRESSED}}) {
    auto id = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    cmd = advocacy->add_subcommand(decision.name, decision.help);
    cmd->add_option("id", *id, "the referral's id (ar_...)")->required();
    cmd->add_option("--reason", *reason, "why (required for not-progressed)");
    cmd->callback([&context, id, reason, status = decision.status] {
      context.exit_code = RunDecision(context, *id, status, *reason);
    });
  }

  auto id = std::make_shared<std::string>();
  cmd = advocacy->add_subcommand("get", "show a referral");
  cmd->add_option("id", *id, "the referral's id (ar_...)")->required();
  cmd->callback([&context, id] {
    v1::GetAdvocacyReferralRequest request;
    request.set_id(*id);
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::GetAdvocacyReferral,
                                     request, FormatReferral);
  });

  auto list = std::make_shared<ReferralListFlags>();
  cmd = advocacy->add_subcommand(
      "list", "referrals, newest first: id, meeting, status, date referred (never the reason)");
  cmd->add_option("--quarter", list->quarter,
                  "referred in this financial quarter, e.g. 2018-19Q3 (default: all time)");
  cmd->add_option("--meeting", list->meeting, Choices<v1::Meeting>());
  cmd->add_option("--status", list->status, Choices<v1::AdvocacyStatus>());
  cmd->callback([&context, list] { context.exit_code = RunReferralList(context, *list); });

  auto statement = std::make_shared<StatementFlags>();
  cmd =
      advocacy->add_subcommand("statement", "submit a child's own words for a referral's meeting");
  cmd->add_option("--referral", statement->referral_id, "the referral (ar_...)")->required();
  cmd->add_option("--text-file", statement->text_file,
                  "the words: a file, or - for stdin (default)")
      ->capture_default_str();
  cmd->add_flag("--child-confirmed", statement->child_confirmed,
                "the child confirmed the words are theirs");
  cmd->add_flag("--consent-to-quote", statement->consent_to_quote, "the child agreed to be quoted");
  cmd->add_option("--occurred-at", statement->occurred_at,
                  "when the child gave them (default: now)");
  cmd->add_option("--submission-id", statement->submission_id, "UUID to send (default: a new one)");
  cmd->callback([&context, statement] { context.exit_code = RunStatement(context, *statement); });
}

}  // namespace feedback::client
