// The machine's ceilings for a submission, which `feedbackctl bench --ceilings` measures
// feedbackd against (docs/performance.md). Two gRPC servers on loopback answer SubmitFeedback
// and nothing else, as cheaply as they can:
//   echo    answers at once with the request's feedback: what gRPC itself costs per call;
//   commit  answers the same once the request is in a RocksDB write synced to disk; the calls
//           that arrive while one write syncs go together in the next write (group commit),
//           so this is what the disk allows with grouping. With keys_per_call above 1 each
//           call's write holds that many keys (docs/performance.md: what a submission's own
//           writes cost).
// They run as `feedbackd ceilings --data-dir DIR`, in the server binary, because feedbackctl
// holds no RocksDB (the Thin test).
#ifndef FEEDBACK_SERVICE_CEILINGS_CEILINGS_H_
#define FEEDBACK_SERVICE_CEILINGS_CEILINGS_H_

#include <memory>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"

namespace feedback::ceilings {

inline constexpr int kMaxKeysPerCall = 99;

class CeilingServers {
 public:
  // Opens a RocksDB store in `data_dir` (created if missing) and starts both servers on
  // 127.0.0.1 ports the system picks. INVALID_ARGUMENT for keys_per_call outside
  // 1..kMaxKeysPerCall.
  static absl::StatusOr<std::unique_ptr<CeilingServers>> Start(const std::string& data_dir,
                                                               int keys_per_call = 1);
  virtual ~CeilingServers() = default;

  virtual std::string echo_address() const = 0;    // "127.0.0.1:PORT"
  virtual std::string commit_address() const = 0;  // "127.0.0.1:PORT"
};

// `feedbackd ceilings --data-dir DIR`: starts the servers, prints "echo ADDRESS" and
// "commit ADDRESS" lines on stdout, and serves until stdin closes (the bench that started it
// exits or closes the pipe). Sets `*exit_code` (1 if the servers could not start).
void AddCeilingsCommand(CLI::App& app, int* exit_code);

}  // namespace feedback::ceilings

#endif  // FEEDBACK_SERVICE_CEILINGS_CEILINGS_H_
