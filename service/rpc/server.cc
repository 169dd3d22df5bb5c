#include "service/rpc/server.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/evp.h"
#include "openssl/pem.h"
#include "openssl/x509.h"
#include "proto/vocabulary/listen_address.h"
#include "proto/vocabulary/roles.h"
#include "proto/vocabulary/status_macros.h"
#include "proto/vocabulary/transport.h"
#include "service/core/log.h"
#include "service/ops/queries.h"

namespace feedback {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, std::string_view flag) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  if (!in || contents.str().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(std::string(flag), ": cannot read ", path));
  }
  return contents.str();
}

// Refuses to read an encrypted key rather than prompting on the terminal for a passphrase.
int NoPassphrase(char*, int, int, void*) { return -1; }

// A key that is not the certificate's would only fail when gRPC binds the port, reported as
// "port in use": check the pair here, naming the flags. The first certificate of the chain
// is the server's own.
absl::Status CheckKeyMatchesCertificate(const ServerOptions& options, const std::string& cert_pem,
                                        const std::string& key_pem) {
  // Whatever OpenSSL queued while reading is no business of the TLS handshakes that follow.
  struct ClearErrors {
    ~ClearErrors() { ERR_clear_error(); }
  } clear_errors;
  std::unique_ptr<BIO, decltype(&BIO_free)> cert_bio(
      BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr), &X509_free);
  if (cert == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("--tls-cert: ", options.tls_cert_file, " holds no PEM certificate"));
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> key_bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr), &EVP_PKEY_free);
  if (key == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("--tls-key: ", options.tls_key_file, " holds no unencrypted PEM private key"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("--tls-key: ", options.tls_key_file, " is not the private key of the ",
                     "certificate in --tls-cert ", options.tls_cert_file,
                     "; give the key that was made with that certificate"));
  }
  return absl::OkStatus();
}

// Plaintext, or TLS (mutual when a client CA is given). Refuses plaintext off loopback unless
// the operator said --allow-insecure, because tokens and children's words would cross the
// network in the clear.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> CredentialsFor(
    const ServerOptions& options) {
  const bool tls = !options.tls_cert_file.empty() || !options.tls_key_file.empty();
  if (!tls) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::FailedPreconditionError("--tls-client-ca needs --tls-cert and --tls-key");
    }
    RETURN_IF_ERROR(CheckPlaintextListen("--listen", options.listen, options.allow_insecure));
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    return absl::FailedPreconditionError("--tls-cert and --tls-key must be given together");
  }
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(options.tls_cert_file, "--tls-cert"));
  ASSIGN_OR_RETURN(pair.private_key, ReadPem(options.tls_key_file, "--tls-key"));
  RETURN_IF_ERROR(CheckKeyMatchesCertificate(options, pair.cert_chain, pair.private_key));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_file.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem(options.tls_client_ca_file, "--tls-client-ca"));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

// The gauges of the store, the writer and the alerts, read at each scrape. No personal data:
// counts, bytes, ages.
std::vector<GaugeValue> StoreGauges(const storage::FeedbackStore& store,
                                    const storage::GroupCommitWriter& writer) {
  const storage::StoreHealth health = store.Health();
  std::vector<GaugeValue> gauges = {
      {"feedbackd_store_disk_full",
       "1 while writes are refused because the disk has less room than the reserve",
       health.disk_full ? 1.0 : 0.0},
      {"feedbackd_store_write_failing", "1 while writes fail on the disk (I/O error)",
       health.write_failing ? 1.0 : 0.0},
      {"feedbackd_store_free_disk_bytes", "Free space on the store's file system",
       static_cast<double>(health.free_disk_bytes)},
      {"feedbackd_rocksdb_live_sst_bytes", "Bytes of live table files, every column family",
       static_cast<double>(health.live_table_bytes)},
      {"feedbackd_rocksdb_pending_compaction_bytes",
       "Estimated bytes compaction has still to rewrite",
       static_cast<double>(health.pending_compaction_bytes)},
      {"feedbackd_rocksdb_write_stopped", "1 while RocksDB stops writes (a write stall)",
       health.writes_stopped ? 1.0 : 0.0},
      {"feedbackd_rocksdb_delayed_write_rate_bytes",
       "Bytes per second RocksDB allows while it slows writes; 0 when it does not",
       static_cast<double>(health.delayed_write_rate)},
      {"feedbackd_rocksdb_background_errors", "Background errors since the store opened",
       static_cast<double>(health.background_errors)},
      {"feedbackd_writer_queued_operations", "Write operations waiting for the group-commit writer",
       static_cast<double>(writer.queued())},
  };
  absl::StatusOr<std::vector<v1::Alert>> open = UnacknowledgedAlerts(store);
  double oldest_seconds = 0;
  if (open.ok()) {
    const absl::Time now = absl::Now();
    for (const v1::Alert& alert : *open) {
      const absl::Time raised = absl::FromUnixSeconds(alert.raised_at().seconds());
      oldest_seconds = std::max(oldest_seconds, absl::ToDoubleSeconds(now - raised));
    }
  }
  gauges.push_back({"feedbackd_alerts_open", "Safeguarding and talk-now alerts not acknowledged",
                    open.ok() ? static_cast<double>(open->size()) : -1.0});
  gauges.push_back({"feedbackd_alerts_oldest_open_seconds",
                    "Age of the oldest alert not acknowledged; 0 when none is open",
                    oldest_seconds});
  return gauges;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FeedbackServer>> FeedbackServer::Start(
    const ServerOptions& options) {
  ASSIGN_OR_RETURN(QuarterCalendar calendar, QuarterCalendar::Load());
  ASSIGN_OR_RETURN(WorkingDays working_days, WorkingDays::Load(options.bank_holidays_file));
  ASSIGN_OR_RETURN(Tagger tagger, Tagger::Load(options.lexicon_file));
  ASSIGN_OR_RETURN(Eligibility eligibility,
                   Eligibility::Load(options.advocacy_eligibility_file, calendar.zone()));
  ASSIGN_OR_RETURN(RetentionPolicy retention, RetentionPolicy::Load(options.retention_file));
  DisclosurePolicy disclosure;
  if (!options.disclosure_policy_file.empty()) {
    ASSIGN_OR_RETURN(disclosure, DisclosurePolicy::Load(options.disclosure_policy_file));
  }
  ASSIGN_OR_RETURN(Redactor redactor, Redactor::Load(options.redaction_names_file));
  std::unique_ptr<FeedbackServer> server(new FeedbackServer());
  server->retention_ = std::move(retention);
  server->disclosure_ = std::move(disclosure);
  server->ledger_ = std::make_unique<Ledger>(
      calendar, ComplaintProcedure(std::move(working_days), calendar.zone()), std::move(tagger),
      std::move(eligibility));
  server->redactor_ = std::make_unique<Redactor>(std::move(redactor));
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials, CredentialsFor(options));
  ASSIGN_OR_RETURN(server->store_,
                   storage::FeedbackStore::Open(
                       {.data_dir = options.data_dir,
                        .min_free_disk_bytes = options.min_free_disk_mb << 20,
                        .on_write_health_change =
                            [](std::string_view message) { Log(LogLevel::kWarning, message); },
                        .on_restart_needed = options.on_store_restart_needed}));
  ASSIGN_OR_RETURN(server->tokens_, TokenRegistry::Load(*server->store_));
  server->gate_ = std::make_unique<Gatekeeper>(server->tokens_.get(), options.limits);
  server->writer_ = std::make_unique<storage::GroupCommitWriter>(
      server->store_.get(), /*max_group=*/512,
      [metrics = server->metrics_.get()](size_t operations, absl::Duration commit) {
        metrics->RecordCommit(operations, commit);
      });
  server->metrics_->AddGauges([store = server->store_.get(), writer = server->writer_.get()] {
    return StoreGauges(*store, *writer);
  });
  server->core_ = std::make_unique<FeedbackCore>(ServiceParts{.store = server->store_.get(),
                                                              .writer = server->writer_.get(),
                                                              .ledger = server->ledger_.get(),
                                                              .alerts = &server->alerts_,
                                                              .gate = server->gate_.get(),
                                                              .tokens = server->tokens_.get(),
                                                              .retention = &server->retention_,
                                                              .disclosure = &server->disclosure_,
                                                              .redactor = server->redactor_.get(),
                                                              .title = options.title,
                                                              .data_dir = options.data_dir},
                                                 calendar);
  server->service_ =
      std::make_unique<FeedbackServiceImpl>(server->core_.get(), server->metrics_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second server share a port in use.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
  // Pings find clients that vanished without closing (a laptop off the network), so their
  // stream slots are freed in about a minute rather than when TCP gives up hours later.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    server->server_.reset();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot listen on ", options.listen,
                     ": the port is in use or the address is not one of this machine's"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(
      v1::FeedbackService::service_full_name(), true);
  return server;
}

FeedbackServer::~FeedbackServer() { Shutdown(absl::Seconds(5)); }

absl::StatusOr<std::string> FeedbackServer::Reload(const std::string& lexicon_file,
                                                   const AccessLimits& limits) {
  ASSIGN_OR_RETURN(Tagger tagger, Tagger::Load(lexicon_file));
  ledger_->SetTagger(std::move(tagger));
  gate_->SetRateLimits(limits.calls_per_minute);
  std::string rates;
  for (const auto& [role, calls] : limits.calls_per_minute) {
    absl::StrAppend(&rates, rates.empty() ? "" : " ", RoleName(role), "=", calls);
  }
  return absl::StrCat("the lexicon (", lexicon_file.empty() ? "built-in" : lexicon_file,
                      ") and rate limits (", rates, ")");
}

void FeedbackServer::Shutdown(absl::Duration grace) {
  if (server_ != nullptr) {
    alerts_.Close();  // alert watchers would otherwise hold the shutdown for its whole grace
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
    server_.reset();
  }
  // Every call is finished, so nothing new can reach the writer.
  if (writer_ != nullptr) writer_->Stop();
  writer_.reset();
  service_.reset();
  core_.reset();
  gate_.reset();
  tokens_.reset();
  store_.reset();
}

}  // namespace feedback
