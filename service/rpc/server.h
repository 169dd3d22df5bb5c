// Assembling and running feedbackd: store, writer, gRPC server, health and reflection.
#ifndef FEEDBACK_SERVICE_RPC_SERVER_H_
#define FEEDBACK_SERVICE_RPC_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/server.h"
#include "service/core/feedback_core.h"
#include "service/core/gatekeeper.h"
#include "service/core/metrics.h"
#include "service/domain/disclosure.h"
#include "service/domain/redaction.h"
#include "service/domain/retention.h"
#include "service/ops/alert_hub.h"
#include "service/ops/ledger.h"
#include "service/ops/tokens.h"
#include "service/rpc/feedback_service.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"

namespace feedback {

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port. Default: 127.0.0.1:50051.
  std::string listen = "127.0.0.1:50051";
  // Folder of the store; created if missing. Default: ./var/feedback-data.
  std::string data_dir = "./var/feedback-data";
  // Free disk space kept in reserve: below it writes are refused with UNAVAILABLE (nothing
  // written, reads go on) until space returns. Default: 64 MiB.
  uint64_t min_free_disk_mb = 64;
  // Called once when the store can take writes again only after a restart (its write-ahead log
  // failed an append; storage::StoreOptions::on_restart_needed). Default: nothing happens, and
  // writes stay refused until the process is restarted.
  std::function<void()> on_store_restart_needed;
  // Largest request accepted, in bytes. Default: 64 KiB (a submission is at most ~9 KiB).
  int max_receive_message_bytes = 64 * 1024;
  // Bank holidays for complaint due dates. Default: empty, the built-in England 2015-2030 list.
  std::string bank_holidays_file;
  // Tagging lexicon. Default: empty, the built-in lexicon (service/data/default-lexicon.txt).
  std::string lexicon_file;
  // Advocacy eligibility rules. Default: empty, no limits.
  std::string advocacy_eligibility_file;
  // Retention periods per kind (docs/storage.md, "Erasure"). Default: empty, keep forever.
  std::string retention_file;
  // Small-number suppression policy of published figures (docs/disclosure.md). Default: empty,
  // the built-in policy (advocacy age bands suppressed).
  std::string disclosure_policy_file;
  // Names to redact from quote candidates, one per line. Default: empty, only the built-in
  // rules (service/redaction.h).
  std::string redaction_names_file;
  // TLS: PEM certificate chain and private key. Both or neither. Default: none (plaintext).
  std::string tls_cert_file;
  std::string tls_key_file;
  // PEM CA bundle: when set, clients must present a certificate it signed (mutual TLS).
  std::string tls_client_ca_file;
  // Plaintext on an address that is not loopback. Default: refused.
  bool allow_insecure = false;
  // Per-token call rates and stream limits.
  AccessLimits limits{};
  // The report's title parts, e.g. "Leicester City Council" and "Children's Social Care and
  // Early Help Division" (GetNarrative carries them to the report). Default: empty, the
  // report's generic title.
  ReportTitle title{};
};

// A running server. Not copyable; Shutdown() before destruction (the destructor does it too).
class FeedbackServer {
 public:
  // Opens the store and starts serving. FAILED_PRECONDITION with a readable message for an
  // unusable data dir, a store held by another process, or an address that cannot be bound.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FeedbackServer>> Start(
      const ServerOptions& options);

  FeedbackServer(const FeedbackServer&) = delete;
  FeedbackServer& operator=(const FeedbackServer&) = delete;
  ~FeedbackServer();

  // The bound port (useful with port 0).
  int port() const { return port_; }

  // The core every door serves (the HTTP door too); valid until Shutdown.
  FeedbackCore* core() const { return core_.get(); }
  // What the operators see on --metrics-listen; the HTTP door records its calls here too.
  Metrics* metrics() const { return metrics_.get(); }

  // Replaces, while serving, what can change without a restart (feedbackd on SIGHUP): the
  // tagging lexicon (the built-in one when `lexicon_file` is empty) for items submitted from now
  // on, and the per-role rate limits. All or nothing: on an error (a lexicon that does not
  // parse, naming its line) nothing changes. Returns what it now uses, in words for the log.
  [[nodiscard]] absl::StatusOr<std::string> Reload(const std::string& lexicon_file,
                                                   const AccessLimits& limits);

  // Stops accepting calls, lets in-flight calls finish for up to `grace` (then cancels them),
  // drains the writer and closes the store. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  FeedbackServer() = default;

  std::unique_ptr<Metrics> metrics_ = std::make_unique<Metrics>();  // first: outlives its sources
  std::unique_ptr<storage::FeedbackStore> store_;
  std::unique_ptr<storage::GroupCommitWriter> writer_;
  std::unique_ptr<Ledger> ledger_;
  RetentionPolicy retention_;
  std::unique_ptr<Redactor> redactor_;
  std::unique_ptr<TokenRegistry> tokens_;
  std::unique_ptr<Gatekeeper> gate_;
  AlertHub alerts_;
  DisclosurePolicy disclosure_;
  std::unique_ptr<FeedbackCore> core_;
  std::unique_ptr<FeedbackServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_RPC_SERVER_H_
