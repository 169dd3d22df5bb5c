// Runs the real feedbackd binary as a child process, for black-box tests.
#ifndef FEEDBACK_TESTS_SUPPORT_SERVER_PROCESS_H_
#define FEEDBACK_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "feedback/v1/feedback.grpc.pb.h"
#include "grpcpp/channel.h"

namespace feedback::testing {

// One feedbackd process on an ephemeral loopback port. Not thread-safe.
// Before the server starts, one token of each role is issued offline on its store (as
// `feedbackd admin token issue --data-dir` does), and written to `<data_dir>.<role>.token`
// for command-line tests.
// Example:
//   ASSERT_OK_AND_ASSIGN... auto server = ServerProcess::Start(dir.Sub("data"));
//   auto stub = (*server)->NewStub();                      // staff: each call's own role
//   auto kiosk = (*server)->NewStub(v1::ROLE_KIOSK);       // one role for every call
class ServerProcess {
 public:
  // Starts `feedbackd --listen 127.0.0.1:0 --data-dir DATA_DIR --rate-limit ROLE=0...
  // --max-streams-per-token 16 EXTRA_ARGS...` and returns once it has printed its "listening
  // on" line (the server is ready). Rates are unlimited unless EXTRA_ARGS set them (later flags
  // win), so that tests of other features can load data quickly and one test token can stand
  // for several watchers. Fails with the server's stderr if it exits first, or
  // after 60 s without being ready.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& data_dir, const std::vector<std::string>& extra_args = {});
  // Start without issuing tokens: the store already holds `tokens` (one per role, e.g. a
  // backup's, for `--restore-from`).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> StartWithTokens(
      const std::string& data_dir, std::map<v1::Role, std::string> tokens,
      const std::vector<std::string>& extra_args = {});

  // SIGKILLs the server if it is still running.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  // "127.0.0.1:PORT" of the HTTP door, if the server was started with --http-listen (it prints
  // "feedbackd: http on HOST:PORT, ..." before it is ready); else empty.
  const std::string& http_address() const { return http_address_; }
  // "127.0.0.1:PORT" of the metrics door, if started with --metrics-listen ("feedbackd: metrics
  // on http://HOST:PORT/metrics"); else empty.
  const std::string& metrics_address() const { return metrics_address_; }
  pid_t pid() const { return pid_; }

  // A channel for "the staff": every call carries the token of the role the access table
  // first allows for its method, in the order qa_manager, advocate, admin, reporter, kiosk
  // (QA staff may back-fill old quarters). For tests of features, not of access control.
  std::shared_ptr<grpc::Channel> NewChannel() const;
  std::unique_ptr<v1::FeedbackService::Stub> NewStub() const;
  // Every call carries the token of `role`.
  std::shared_ptr<grpc::Channel> NewChannel(v1::Role role) const;
  std::unique_ptr<v1::FeedbackService::Stub> NewStub(v1::Role role) const;

  // The secret of the token issued for `role`, and the file that holds it.
  const std::string& token(v1::Role role) const { return tokens_.at(role); }
  // Every role's token: StartWithTokens(same store, tokens()) starts the server again.
  const std::map<v1::Role, std::string>& tokens() const { return tokens_; }
  std::string TokenFile(v1::Role role) const;
  // `feedbackctl --server ADDRESS --token-file FILE` with the token of the role that the
  // command's user would have (admin for `admin ...`, advocate for `advocacy ...`, reporter for
  // `summary` and `report`, kiosk for `kiosk`, qa_manager otherwise), then `args`.
  std::vector<std::string> Ctl(const std::vector<std::string>& args) const;
  std::vector<std::string> Ctl(v1::Role role, const std::vector<std::string>& args) const;

  // Sends `signal` and waits for the process to end; returns its wait status.
  int StopWith(int signal);
  // Waits for the process to end by itself; returns its wait status.
  int WaitForExit();
  // SIGKILL: the crash a power cut would cause, as far as the process can tell.
  int Kill();
  // Everything the server wrote to stderr so far.
  std::string Stderr() const;

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  std::string address_;
  std::string http_address_;
  std::string metrics_address_;
  std::string stderr_path_;
  std::string data_dir_;
  std::map<v1::Role, std::string> tokens_;
};

// Issues one token of each role directly on the (stopped) store in `data_dir`, writes each to
// TestTokenFile(data_dir, role), and returns their secrets.
absl::StatusOr<std::map<v1::Role, std::string>> IssueTestTokens(const std::string& data_dir);
// "<data_dir>.<role>.token".
std::string TestTokenFile(const std::string& data_dir, v1::Role role);

// A channel to `address` whose calls carry `authorization: Bearer <token>`.
std::shared_ptr<grpc::Channel> ChannelWithToken(const std::string& address,
                                                const std::string& token);

// Every item `request` matches, following every page (the request's page_token is the start).
// A failed call fails the current test and ends the listing.
std::vector<v1::Feedback> ListAllFeedback(v1::FeedbackService::Stub& stub,
                                          v1::ListFeedbackRequest request);
// Every stored item of `server`, all time, newest first.
std::vector<v1::Feedback> ListAllFeedback(const ServerProcess& server);
// The same, of the server at `address`, with a qa_manager `token`.
std::vector<v1::Feedback> ListAllFeedback(const std::string& address, const std::string& token);

// The summary of one quarter, all service areas; a failed call fails the current test.
v1::QuarterSummary QuarterSummaryOf(v1::FeedbackService::Stub& stub, int financial_year,
                                    int quarter);
// Asks the server to recompute every counter from the records (an admin call) and expects no
// difference.
void ExpectCountersConsistent(v1::FeedbackService::Stub& stub);

// "127.0.0.1:PORT" of a port nothing listens on (bound, then closed, so no one else holds it
// unless the kernel hands it out again in the meantime).
std::string ClosedPortAddress();

// Runs a command to completion with no stdin; returns its exit code and what it printed.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text = "");

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_SERVER_PROCESS_H_
