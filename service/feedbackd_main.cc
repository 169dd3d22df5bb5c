// feedbackd: the feedback service. `feedbackd --listen ADDR --data-dir DIR`.
#include <csignal>
#include <cstdio>
#include <iostream>

#include "CLI/CLI.hpp"
#include "service/server.h"

namespace {

// Blocks SIGINT and SIGTERM in every thread (threads inherit the mask), so that only the
// sigwait() below receives them.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int main(int argc, char** argv) {
  feedback::ServerOptions options;
  CLI::App app{"feedbackd: durable feedback service for children's social care"};
  app.add_option("--listen", options.listen, "host:port to serve gRPC on (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--data-dir", options.data_dir,
                 "folder of the embedded store (created if missing)")
      ->capture_default_str();
  app.add_option("--bank-holidays", options.bank_holidays_file,
                 "holiday list for complaint due dates (default: built-in England 2015-2030)");
  app.add_option("--lexicon", options.lexicon_file,
                 "tagging lexicon: themes and safeguarding phrases (default: built-in)");
  app.add_option("--advocacy-eligibility", options.advocacy_eligibility_file,
                 "advocacy eligibility rules with effective dates (default: no limits)");
  CLI11_PARSE(app, argc, argv);

  const sigset_t signals = BlockShutdownSignals();
  absl::StatusOr<std::unique_ptr<feedback::FeedbackServer>> server =
      feedback::FeedbackServer::Start(options);
  if (!server.ok()) {
    std::cerr << "feedbackd: " << server.status().message() << std::endl;
    return 1;
  }
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  // Tests and scripts wait for this line: it means the server is ready.
  std::cout << "feedbackd: listening on " << host << ":" << (*server)->port() << ", data in "
            << options.data_dir << std::endl;

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "feedbackd: " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
            << ", finishing in-flight calls" << std::endl;
  (*server)->Shutdown(absl::Seconds(10));
  std::cerr << "feedbackd: stopped cleanly" << std::endl;
  return 0;
}
