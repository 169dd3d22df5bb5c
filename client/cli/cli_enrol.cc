// feedbackctl admin kiosk enrol --device NAME: a one-time code that enrols one tablet kiosk.
#include <iostream>
#include <memory>
#include <string>

#include "client/cli/cli_common.h"
#include "client/cli/kiosk_text.h"

namespace feedback::client {

void AddEnrolCommands(CLI::App& app, CliContext& context) {
  CLI::App* kiosk = AdminCommand(app)->add_subcommand("kiosk", "tablet kiosks: enrolment");
  kiosk->require_subcommand(1);
  auto device = std::make_shared<std::string>();
  CLI::App* enrol = kiosk->add_subcommand(
      "enrol",
      "a one-time code (15 minutes, works once) that the tablet exchanges for its kiosk token; "
      "needs a qa_manager or admin token");
  enrol->add_option("--device", *device, "the tablet's name, e.g. tablet-3")->required();
  enrol->callback([&context, device] {
    v1::IssueKioskEnrolmentRequest request;
    request.set_device_name(*device);
    context.exit_code = CallAndPrint(context, &v1::FeedbackService::Stub::IssueKioskEnrolment,
                                     request, [](const v1::KioskEnrolment& enrolment) {
                                       return FormatEnrolment(enrolment, LocalZone(), absl::Now());
                                     });
  });
}

}  // namespace feedback::client
