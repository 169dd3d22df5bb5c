// feedbackctl admin publish --quarter 2018-19Q3: freeze a finished quarter's published figures
// (docs/quarters.md, "Published quarters").
#include <iostream>

#include "client/cli/cli_common.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/quarter.h"

namespace feedback::client {

void AddPublishCommands(CLI::App& app, CliContext& context) {
  auto quarter = std::make_shared<std::string>();
  CLI::App* publish = AdminCommand(app)->add_subcommand(
      "publish",
      "freeze a finished quarter's published figures; later arrivals are shown as late revisions");
  publish->add_option("--quarter", *quarter, "e.g. 2018-19Q3")->required();
  publish->callback([&context, quarter] {
    absl::StatusOr<Quarter> parsed = QuarterFlag(*quarter);
    if (!parsed.ok()) {
      context.exit_code = Report(parsed.status());
      return;
    }
    v1::PublishQuarterRequest request;
    request.set_financial_year(parsed->financial_year);
    request.set_quarter(parsed->quarter);
    context.exit_code = CallAndPrint(
        context, &v1::FeedbackService::Stub::PublishQuarter, request,
        [](const v1::PublishedQuarter& published) {
          const absl::Time at = absl::FromUnixMicros(
              google::protobuf::util::TimeUtil::TimestampToMicroseconds(published.published_at()));
          return absl::StrCat(
              "published ", FormatQuarter({published.financial_year(), published.quarter()}),
              " at ", absl::FormatTime("%Y-%m-%d %H:%M %Z", at, LocalZone()), ": ",
              published.summaries_size(), " summaries frozen (all areas and each service area)\n");
        });
  });
}

}  // namespace feedback::client
