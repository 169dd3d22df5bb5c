// feedbackctl narrative set | show: the quarterly report's narrative, staff-written text per
// quarter and section, kept as an append-only history of versions (issue 13).
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_common.h"
#include "client/cli/cli_notes.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {
namespace {

struct NarrativeSetFlags {
  std::string quarter, section, text, text_file, submission_id;
  bool text_given = false;
};

struct NarrativeShowFlags {
  std::string quarter, section;
  bool history = false;
};

std::string NarrativeSectionWord(v1::NarrativeSection section) {
  return FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::NarrativeSection>(), section);
}

// The text of `narrative set`: --text (may be empty: clears the section) or --text-file (- for
// stdin), exactly one of them; a usage error naming the flag otherwise.
absl::StatusOr<std::string> NarrativeText(const NarrativeSetFlags& flags) {
  if (flags.text_given && !flags.text_file.empty()) {
    return UsageError("give --text or --text-file, not both");
  }
  if (flags.text_file.empty()) {
    if (!flags.text_given) return UsageError("--text or --text-file: one is required");
    return flags.text;
  }
  return ReadTextFileFlag(flags.text_file);
}

// "next-steps v3, 2018-11-02 14:05, by tok_... (qa-manager)".
std::string NarrativeVersionLine(const v1::NarrativeVersion& version) {
  return absl::StrCat(
      NarrativeSectionWord(version.section()), " v", version.version(), ", ",
      LocalMinute(version.written_at()), ", by ", version.written_by(), " (",
      FormatEnumFlag(google::protobuf::GetEnumDescriptor<v1::Role>(), version.written_by_role()),
      ")");
}

// `narrative show`: each section's current text under its name, then with --history every
// version with when and by whom.
std::string FormatNarrative(const v1::GetNarrativeResponse& response) {
  std::string out;
  for (const v1::NarrativeVersion& current : response.current()) {
    if (current.text().empty()) continue;  // cleared: the report leaves it out
    absl::StrAppend(&out, "## ", NarrativeSectionWord(current.section()), " (v", current.version(),
                    ")\n", current.text());
    if (!absl::EndsWith(current.text(), "\n")) out += "\n";
    out += "\n";
  }
  if (response.history_size() > 0) out += "## history\n";
  for (const v1::NarrativeVersion& version : response.history()) {
    absl::StrAppend(&out, "--- ", NarrativeVersionLine(version), "\n",
                    version.text().empty() ? "(cleared)" : version.text());
    if (!absl::EndsWith(version.text(), "\n")) out += "\n";
  }
  return out;
}

// Sets `request`'s financial_year, quarter and section from the flags `--quarter` and
// `--section`; a usage error naming the flag otherwise.
template <typename Request>
absl::Status SetQuarterAndSection(const std::string& quarter_flag, const std::string& section_flag,
                                  Request& request) {
  absl::StatusOr<Quarter> quarter = QuarterFlag(quarter_flag);
  if (!quarter.ok()) return quarter.status();
  request.set_financial_year(quarter->financial_year);
  request.set_quarter(quarter->quarter);
  absl::StatusOr<v1::NarrativeSection> section =
      EnumFlag<v1::NarrativeSection>("section", section_flag);
  if (!section.ok()) return section.status();
  request.set_section(*section);
  return absl::OkStatus();
}

int RunNarrativeSet(const CliContext& context, const NarrativeSetFlags& flags) {
  v1::SetNarrativeRequest request;
  if (absl::Status s = SetQuarterAndSection(flags.quarter, flags.section, request); !s.ok()) {
    return Report(s);
  }
  absl::StatusOr<std::string> text = NarrativeText(flags);
  if (!text.ok()) return Report(text.status());
  request.set_text(*std::move(text));
  // The idempotency key: a retry after a lost answer sends this same id, and the server stores
  // the version once (client/lib/safe_to_repeat.h).
  request.set_submission_id(flags.submission_id.empty() ? NewSubmissionId() : flags.submission_id);
  return CallAndPrint(context, &v1::FeedbackService::Stub::SetNarrative, request,
                      [](const v1::NarrativeVersion& stored) {
                        std::cerr << "stored " << NarrativeSectionWord(stored.section()) << " of "
                                  << FormatQuarter({stored.financial_year(), stored.quarter()})
                                  << " as version " << stored.version() << std::endl;
                        return absl::StrCat(stored.version(), "\n");
                      });
}

int RunNarrativeShow(const CliContext& context, const NarrativeShowFlags& flags) {
  v1::GetNarrativeRequest request;
  if (absl::Status s = SetQuarterAndSection(flags.quarter, flags.section, request); !s.ok()) {
    return Report(s);
  }
  request.set_include_history(flags.history);
  return CallAndPrint(context, &v1::FeedbackService::Stub::GetNarrative, request,
                      [](const v1::GetNarrativeResponse& response) {
                        if (response.current().empty()) return NothingMatched("narrative");
                        return FormatNarrative(response);
                      });
}

}  // namespace

void AddNarrativeCommands(CLI::App& app, CliContext& context) {
  CLI::App* group = app.add_subcommand(
      "narrative", "the quarterly report's narrative text per quarter and section (history kept)");
  group->require_subcommand(1);

  auto set = std::make_shared<NarrativeSetFlags>();
  CLI::App* cmd = group->add_subcommand(
      "set",
      "store a new version of a section's text (qa_manager or admin token); earlier versions "
      "are kept; prints the version number");
  cmd->add_option("--quarter", set->quarter, "financial quarter, e.g. 2018-19Q3")->required();
  cmd->add_option("--section", set->section, Choices<v1::NarrativeSection>())->required();
  CLI::Option* text = cmd->add_option("--text", set->text, "the text (empty clears the section)");
  cmd->add_option("--text-file", set->text_file, "read the text from a file (- for stdin)");
  cmd->add_option("--submission-id", set->submission_id, "UUID to send (default: a new one)");
  cmd->callback([&context, set, text] {
    set->text_given = text->count() > 0;
    context.exit_code = RunNarrativeSet(context, *set);
  });

  auto show = std::make_shared<NarrativeShowFlags>();
  cmd = group->add_subcommand(
      "show", "a quarter's current narrative per section; --history: every version, who, when");
  cmd->add_option("--quarter", show->quarter, "financial quarter, e.g. 2018-19Q3")->required();
  cmd->add_option("--section", show->section,
                  Choices<v1::NarrativeSection>() + " (default: every section)");
  cmd->add_flag("--history", show->history,
                "every version with its time and writer (qa_manager or admin token)");
  cmd->callback([&context, show] { context.exit_code = RunNarrativeShow(context, *show); });
}

}  // namespace feedback::client
