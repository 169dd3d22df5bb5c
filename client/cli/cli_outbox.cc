// feedbackctl outbox status | flush: the offline outbox of the server given by --server.
#include <iostream>

#include "client/cli/cli_common.h"
#include "client/lib/outbox.h"
#include "google/protobuf/struct.pb.h"

namespace feedback::client {

namespace {

// What a person reads when a submission could not reach the server: not stored yet, kept where,
// sent how (the flush command names this server and outbox, which the queue belongs to), and
// that the line on stdout is a submission id, not an item id.
std::string QueuedNotice(const CliContext& context, const std::string& submission_id,
                         const Delivery& delivery) {
  const absl::string_view why = delivery.unreachable.message();
  std::string flush = "feedbackctl";
  if (context.server != CliContext().server) absl::StrAppend(&flush, " --server ", context.server);
  if (!context.outbox.empty()) absl::StrAppend(&flush, " --outbox ", context.outbox);
  absl::StrAppend(&flush, " outbox flush");
  return absl::StrCat(
      "feedbackctl: NOT STORED YET: the server at ", context.server,
      " could not be reached or could not store it now (",
      absl::StatusCodeToString(delivery.unreachable.code()), ": ",
      ForTerminalLine(std::string_view(why.data(), why.size())), ").\n",
      "queued: the item is kept on this device, in the outbox: ", delivery.queued_path, "\n",
      "It is sent by `", flush, "`, or by the next submit to the same server. The line printed ",
      "is its submission id (", submission_id, "), not an item id: the server gives the id.");
}

}  // namespace

int DeliverAndReport(const CliContext& context, const FeedbackClient& client,
                     const v1::Feedback& feedback) {
  // Without an outbox (no --outbox, $FEEDBACK_OUTBOX or $HOME) the item is still sent.
  const absl::StatusOr<Outbox> outbox = OutboxForServer(context.outbox, context.server);
  absl::StatusOr<Delivery> delivery =
      SubmitOrQueue(client, outbox.ok() ? &*outbox : nullptr, feedback);
  if (!delivery.ok()) {
    if (!outbox.ok() && IsUnreachable(delivery.status())) {
      return Report(absl::Status(
          delivery.status().code(),
          absl::StrCat(delivery.status().message(), "; not queued: ", outbox.status().message())));
    }
    return Report(delivery.status());
  }
  if (const std::string flushed = DescribeFlush(delivery->flushed); !flushed.empty()) {
    std::cerr << "outbox: " << flushed << std::endl;
  }
  if (!delivery->stored.has_value()) {
    if (context.json) {
      google::protobuf::Struct out;
      auto& fields = *out.mutable_fields();
      fields["queued"].set_bool_value(true);
      fields["submissionId"].set_string_value(feedback.submission_id());
      fields["outboxItem"].set_string_value(delivery->queued_path);
      fields["reason"].set_string_value(std::string(delivery->unreachable.message()));
      std::cout << ToJson(out) << std::endl;
    } else {
      std::cout << feedback.submission_id() << std::endl;
      std::cerr << QueuedNotice(context, feedback.submission_id(), *delivery) << std::endl;
    }
    return kExitOk;
  }
  const v1::SubmitFeedbackResponse& response = *delivery->stored;
  if (context.json) {
    std::cout << ToJson(response) << std::endl;
  } else {
    // The id alone on stdout, so scripts can capture it; the rest is for people.
    std::cout << response.feedback().id() << std::endl;
    std::cerr << (response.duplicate() ? "already stored (same submission " : "stored (submission ")
              << response.feedback().submission_id() << ")" << std::endl;
  }
  return kExitOk;
}
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::string LocalTime(absl::Time at) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", at, LocalZone());
}

Value Text(const std::string& text) {
  Value value;
  value.set_string_value(text);
  return value;
}

Value Number(double number) {
  Value value;
  value.set_number_value(number);
  return value;
}

std::string RootOf(const CliContext& context) {
  if (!context.outbox.empty()) return context.outbox;
  absl::StatusOr<std::string> root = DefaultOutboxRoot();
  return root.ok() ? *root : "";
}

int RunStatus(const CliContext& context) {
  absl::StatusOr<Outbox> outbox = OutboxForServer(context.outbox, context.server);
  if (!outbox.ok()) return Report(outbox.status());
  absl::StatusOr<OutboxStatus> status = outbox->Status();
  if (!status.ok()) return Report(status.status());
  // Items queued for other addresses are never sent here, but must not be forgotten either.
  std::vector<OutboxStatus> others;
  absl::StatusOr<std::vector<OutboxStatus>> all = ListOutboxes(RootOf(context));
  if (!all.ok()) return Report(all.status());
  for (OutboxStatus& other : *all) {
    if (other.dir != status->dir && (other.pending > 0 || !other.rejected.empty())) {
      others.push_back(std::move(other));
    }
  }

  if (context.json) {
    Struct out;
    auto& fields = *out.mutable_fields();
    fields["server"] = Text(context.server);
    fields["outbox"] = Text(status->dir);
    fields["pending"] = Number(status->pending);
    if (status->oldest_queued_at.has_value()) {
      fields["oldestQueuedAt"] = Text(
          absl::FormatTime(absl::RFC3339_full, *status->oldest_queued_at, absl::UTCTimeZone()));
      fields["oldestSubmissionId"] = Text(status->oldest_submission_id);
    }
    auto& rejected = *fields["rejected"].mutable_list_value();
    for (const RejectedItem& item : status->rejected) {
      Value entry;
      auto& entry_fields = *entry.mutable_struct_value()->mutable_fields();
      entry_fields["submissionId"] = Text(item.submission_id);
      entry_fields["error"] = Text(item.error);
      entry_fields["path"] = Text(item.path);
      *rejected.add_values() = std::move(entry);
    }
    auto& other_list = *fields["otherServers"].mutable_list_value();
    for (const OutboxStatus& other : others) {
      Value entry;
      auto& entry_fields = *entry.mutable_struct_value()->mutable_fields();
      entry_fields["server"] = Text(other.server);
      entry_fields["outbox"] = Text(other.dir);
      entry_fields["pending"] = Number(other.pending);
      entry_fields["rejected"] = Number(static_cast<double>(other.rejected.size()));
      *other_list.add_values() = std::move(entry);
    }
    std::cout << ToJson(out) << std::endl;
    return kExitOk;
  }

  std::cout << "outbox for " << context.server << ": " << status->dir << "\n";
  std::cout << "pending: " << status->pending;
  if (status->oldest_queued_at.has_value()) {
    std::cout << " (oldest queued " << LocalTime(*status->oldest_queued_at) << ", submission "
              << status->oldest_submission_id << ")";
  }
  std::cout << "\nrejected: " << status->rejected.size() << "\n";
  for (const RejectedItem& item : status->rejected) {
    std::cout << "  " << ForTerminalLine(item.submission_id) << "  " << ForTerminalLine(item.error)
              << "\n    " << ForTerminalLine(item.path) << "\n";
  }
  for (const OutboxStatus& other : others) {
    std::cout << "also queued for " << other.server << ": " << other.pending << " pending, "
              << other.rejected.size() << " rejected (feedbackctl --server " << other.server
              << " outbox status)\n";
  }
  std::cout << std::flush;
  return kExitOk;
}

int RunFlush(const CliContext& context) {
  absl::StatusOr<Outbox> outbox = OutboxForServer(context.outbox, context.server);
  if (!outbox.ok()) return Report(outbox.status());
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<FlushResult> result = outbox->Flush(*client, /*wait_for_lock=*/true);
  if (!result.ok()) return Report(result.status());

  if (context.json) {
    Struct out;
    auto& fields = *out.mutable_fields();
    fields["sent"] = Number(result->sent);
    fields["duplicates"] = Number(result->duplicates);
    fields["rejected"] = Number(result->rejected);
    fields["pending"] = Number(result->pending);
    fields["stopped"] = Text(result->stopped.ok() ? "" : std::string(result->stopped.message()));
    std::cout << ToJson(out) << std::endl;
  } else {
    std::cout << "sent " << result->sent << " (" << result->duplicates << " already stored), "
              << "rejected " << result->rejected << ", pending " << result->pending << std::endl;
  }
  if (!result->stopped.ok()) return Report(result->stopped);
  if (result->rejected > 0) {
    std::cerr << "feedbackctl: " << result->rejected
              << " item(s) refused by the server were kept in " << outbox->dir()
              << "/rejected; see `feedbackctl outbox status`" << std::endl;
    return kExitInvalid;
  }
  return kExitOk;
}

}  // namespace

void AddOutboxCommands(CLI::App& app, CliContext& context) {
  CLI::App* outbox = app.add_subcommand(
      "outbox", "items kept on this device while the server could not be reached");
  outbox->require_subcommand(1);
  outbox
      ->add_subcommand("status",
                       "pending and rejected items for --server (and any other server's count)")
      ->callback([&context] { context.exit_code = RunStatus(context); });
  outbox
      ->add_subcommand("flush",
                       "send the pending items for --server with their original submission ids; "
                       "exits 0 when all were stored, 3 if any were rejected, 6 if the server "
                       "is still unreachable")
      ->callback([&context] { context.exit_code = RunFlush(context); });
}

}  // namespace feedback::client
