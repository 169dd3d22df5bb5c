#include "service/server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "storage/status_macros.h"

namespace feedback {

absl::StatusOr<std::unique_ptr<FeedbackServer>> FeedbackServer::Start(
    const ServerOptions& options) {
  ASSIGN_OR_RETURN(QuarterCalendar calendar, QuarterCalendar::Load());
  ASSIGN_OR_RETURN(WorkingDays working_days, WorkingDays::Load(options.bank_holidays_file));
  ASSIGN_OR_RETURN(Tagger tagger, Tagger::Load(options.lexicon_file));
  ASSIGN_OR_RETURN(Eligibility eligibility,
                   Eligibility::Load(options.advocacy_eligibility_file, calendar.zone()));
  std::unique_ptr<FeedbackServer> server(new FeedbackServer());
  server->ledger_ = std::make_unique<Ledger>(
      calendar, ComplaintProcedure(std::move(working_days), calendar.zone()), std::move(tagger),
      std::move(eligibility));
  ASSIGN_OR_RETURN(server->store_, storage::FeedbackStore::Open({.data_dir = options.data_dir}));
  server->writer_ = std::make_unique<storage::GroupCommitWriter>(server->store_.get());
  server->service_ =
      std::make_unique<FeedbackServiceImpl>(server->store_.get(), server->writer_.get(),
                                            server->ledger_.get(), &server->alerts_, calendar);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which would let a second server share a port in use.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &server->port_);
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
  store_.reset();
}

}  // namespace feedback
