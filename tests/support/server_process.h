// Runs the real feedbackd binary as a child process, for black-box tests.
#ifndef FEEDBACK_TESTS_SUPPORT_SERVER_PROCESS_H_
#define FEEDBACK_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "grpcpp/channel.h"

namespace feedback::testing {

// One feedbackd process on an ephemeral loopback port. Not thread-safe.
// Example:
//   ASSERT_OK_AND_ASSIGN... auto server = ServerProcess::Start(dir.Sub("data"));
//   auto stub = (*server)->NewStub();
class ServerProcess {
 public:
  // Starts `feedbackd --listen 127.0.0.1:0 --data-dir DATA_DIR EXTRA_ARGS...` and returns once
  // it has printed its "listening on" line (the server is ready). Fails with the server's
  // stderr if it exits first, or after 60 s without being ready.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& data_dir, const std::vector<std::string>& extra_args = {});

  // SIGKILLs the server if it is still running.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

  std::shared_ptr<grpc::Channel> NewChannel() const;
  std::unique_ptr<v1::FeedbackService::Stub> NewStub() const;

  // Sends `signal` and waits for the process to end; returns its wait status.
  int StopWith(int signal);
  // SIGKILL: the crash a power cut would cause, as far as the process can tell.
  int Kill();
  // Everything the server wrote to stderr so far.
  std::string Stderr() const;

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  std::string address_;
  std::string stderr_path_;
};

// Every item `request` matches, following every page (the request's page_token is the start).
// A failed call fails the current test and ends the listing.
std::vector<v1::Feedback> ListAllFeedback(v1::FeedbackService::Stub& stub,
                                          v1::ListFeedbackRequest request);
// Every stored item of the server at `address`, all time, newest first.
std::vector<v1::Feedback> ListAllFeedback(const std::string& address);

// Runs a command to completion with no stdin; returns its exit code and what it printed.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text = "");

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_SERVER_PROCESS_H_
