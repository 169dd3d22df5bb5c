// feedbackd: the feedback service. `feedbackd --listen ADDR --data-dir DIR`; offline tooling on a
// stopped server's store as `feedbackd admin ...` (service/admin_command.h).
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "service/admin_command.h"
#include "service/ceilings/ceilings.h"
#include "service/config_file.h"
#include "service/core/log.h"
#include "service/core/log_limit.h"
#include "service/domain/narrative.h"
#include "service/http/http_server.h"
#include "service/http/metrics_server.h"
#include "service/rpc/server.h"

namespace {

// Exit status after a restart the store asked for (EX_TEMPFAIL): a failure to systemd's
// Restart=on-failure and Docker's restart policies, which start feedbackd again.
constexpr int kExitToRecoverStore = 75;

// Set when the store asks for a restart; SIGUSR1 then wakes the sigwait() below. A SIGUSR1 from
// anyone else is ignored.
std::atomic<bool> store_restart_needed = false;

void AskForRestart() {
  store_restart_needed = true;
  kill(getpid(), SIGUSR1);
}

// Blocks SIGINT, SIGTERM, SIGHUP and SIGUSR1 in every thread (threads inherit the mask), so that
// only the sigwait() below receives them.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The value of `flag` ("--flag VALUE" or "--flag=VALUE") on the command line, before CLI11
// parses it: the configuration file must be read first, to go before the command line's flags.
std::optional<std::string> FlagValue(int argc, char** argv, std::string_view flag) {
  const std::string with_equals = absl::StrCat(std::string(flag), "=");
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == flag && i + 1 < argc) return std::string(argv[i + 1]);
    if (arg.substr(0, with_equals.size()) == with_equals)
      return std::string(arg.substr(with_equals.size()));
  }
  return std::nullopt;
}

// The command line with the settings of the configuration file `config_path` (if any) first.
absl::StatusOr<std::vector<std::string>> ArgsWithConfig(
    const std::optional<std::string>& config_path, const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> args = {argv[0]};
  if (config_path.has_value()) {
    absl::StatusOr<std::vector<feedback::ConfigSetting>> settings =
        feedback::ReadConfigFile(*config_path, app);
    if (!settings.ok()) return settings.status();
    for (const feedback::ConfigSetting& setting : *settings) {
      args.insert(args.end(), setting.args.begin(), setting.args.end());
    }
  }
  args.insert(args.end(), argv + 1, argv + argc);
  return args;
}

// Parses `args` (args[0] the program) into `app`. -1 when parsed and the program goes on;
// otherwise the exit code, after printing what CLI11 has to say (help, or the error).
int ParseArgs(CLI::App& app, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  return -1;
}

// `feedbackd --check-config FILE`: reads the file as a start would, parses its settings with
// every check a start makes of flags, and says what is wrong, by line; 0 when all is valid.
int CheckConfig(const std::string& path, const char* program, CLI::App& app,
                const std::function<absl::Status()>& check_values) {
  absl::StatusOr<std::vector<feedback::ConfigSetting>> settings =
      feedback::ReadConfigFile(path, app);
  if (!settings.ok()) {
    std::cerr << "feedbackd: " << settings.status().message() << std::endl;
    return 2;
  }
  std::vector<std::string> args = {program};
  for (const feedback::ConfigSetting& setting : *settings) {
    args.insert(args.end(), setting.args.begin(), setting.args.end());
  }
  auto refuse = [&](const std::string& message) {
    std::cerr << "feedbackd: " << path << ":" << feedback::LineOfMessage(*settings, message) << ": "
              << message << std::endl;
    return 2;
  };
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& error) {
    return refuse(error.what());
  }
  if (absl::Status valid = check_values(); !valid.ok()) {
    return refuse(std::string(valid.message()));
  }
  std::cout << "feedbackd: " << path << ": " << settings->size() << " settings, all valid"
            << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef FEEDBACK_NO_MUTEX_CYCLE_CHECK
  // Before any lock is taken; why in service/CMakeLists.txt.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#endif
  // The store holds children's words and the audit log: files only this user can read.
  umask(0077);
  // A client must not be able to fill the log through protobuf's messages about what it sent.
  feedback::LimitProtobufLog();
  feedback::ServerOptions options;
  CLI::App app{"feedbackd: durable feedback service for children's social care"};
  // A flag given twice (in the configuration file, then on the command line) takes the last.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::string config_file;
  app.add_option("--config", config_file,
                 "TOML file of settings: feedbackd's flags without their dashes, e.g. "
                 "deploy/config/feedbackd.toml; a flag on the command line wins over the file");
  std::string check_config_file;
  app.add_option("--check-config", check_config_file,
                 "check a TOML settings file, name the line of each problem, and exit (0: valid)");
  app.add_option("--listen", options.listen, "host:port to serve gRPC on (port 0: any free port)")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--data-dir", options.data_dir,
                 "folder of the embedded store (created if missing)")
      ->capture_default_str();
  app.add_option("--bank-holidays", options.bank_holidays_file,
                 "holiday list for complaint due dates (default: built-in England 2015-2030)");
  app.add_option("--lexicon", options.lexicon_file,
                 "tagging lexicon: themes and safeguarding phrases (default: built-in)");
  app.add_option("--advocacy-eligibility", options.advocacy_eligibility_file,
                 "advocacy eligibility rules with effective dates (default: no limits)");
  app.add_option("--retention", options.retention_file,
                 "retention periods: lines `<kind> <days>` (default: keep everything forever)")
      ->check(CLI::ExistingFile);
  app.add_option("--disclosure-policy", options.disclosure_policy_file,
                 "small-number suppression policy of published figures: lines \"suppress "
                 "<figure>\" or \"show <figure>\" (default: advocacy age bands and kiosk figures "
                 "suppressed)")
      ->check(CLI::ExistingFile);
  app.add_option("--redaction-names", options.redaction_names_file,
                 "names to redact from quote candidates, one per line, # comments (default: "
                 "built-in rules only)")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", options.tls_cert_file, "PEM certificate chain: serve TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", options.tls_key_file, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-client-ca", options.tls_client_ca_file,
                 "PEM CA bundle: require client certificates it signed (mutual TLS)")
      ->check(CLI::ExistingFile);
  app.add_flag("--allow-insecure", options.allow_insecure,
               "allow plaintext on an address that is not loopback (e.g. behind a TLS proxy)");
  std::vector<std::string> rate_limits;
  app.add_option("--rate-limit", rate_limits,
                 "ROLE=CALLS_PER_MINUTE per token, 0 unlimited (default: kiosk=30 advocate=120 "
                 "qa_manager=600 reporter=120 admin=600); repeatable")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--max-streams-per-token", options.limits.streams_per_token,
                 "open ExportFeedback/WatchAlerts streams one token may hold")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--enrolment-failures-per-minute", options.limits.enrolment_failures_per_minute,
                 "wrong, expired or used kiosk enrolment codes accepted a minute across the "
                 "server; past it every code is refused until the minute's allowance returns")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000))
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--min-free-disk-mb", options.min_free_disk_mb,
                 "free space kept on the store's disk: below it, writes are refused with "
                 "UNAVAILABLE (clients keep them and retry; reads go on) until space returns")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--max-message-bytes", options.max_receive_message_bytes,
                 "largest request accepted")
      ->capture_default_str()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  feedback::http::HttpOptions http_options;
  app.add_option("--council-name", options.title.council_name,
                 "the council, first in the quarterly report's title, e.g. \"Leicester City "
                 "Council\" (default: none, a generic title)");
  app.add_option("--division-title", options.title.division_title,
                 "the division, in the quarterly report's title, e.g. \"Children's Social Care "
                 "and Early Help Division\" (default: none)");
  app.add_option("--http-listen", http_options.listen,
                 "host:port to serve HTTP on: Connect unary JSON calls and the kiosk page at "
                 "/kiosk (port 0: any free port; same TLS flags and plaintext rule as gRPC)")
      ->default_str("off")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::string metrics_listen;
  app.add_option("--metrics-listen", metrics_listen,
                 "host:port to serve Prometheus metrics on, at /metrics: calls, latency, commits, "
                 "the store's health, open alerts; no personal data (plaintext: loopback only "
                 "unless --allow-insecure)")
      ->default_str("off")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  std::string log_format_text = "text";
  app.add_option("--log-format", log_format_text,
                 "text (\"feedbackd: message (key=value, ...)\") or json (one object a line: time, "
                 "level, message, fields); never anyone's words or a token")
      ->capture_default_str();
  std::string log_level_text = "info";
  app.add_option("--log-level", log_level_text,
                 "lowest level logged: debug (every call, refused ones too), info (reloads, "
                 "shutdown), warning (calls the server failed, a full or failing disk) or error")
      ->capture_default_str();
  std::string restore_from;
  app.add_option("--restore-from", restore_from,
                 "before serving, restore the latest backup in this backup folder (made by "
                 "`feedbackctl admin backup --to DIR`) into --data-dir, which must be new or "
                 "empty: a store is never overwritten");
  uint32_t restore_backup_id = 0;
  app.add_option("--restore-backup-id", restore_backup_id,
                 "with --restore-from: restore this backup instead of the latest")
      ->needs("--restore-from");
  int admin_exit_code = 0;
  feedback::AddAdminCommands(app, &admin_exit_code);
  int ceilings_exit_code = 0;
  feedback::ceilings::AddCeilingsCommand(app, &ceilings_exit_code);
  // What CLI11 cannot check: rate-limit specs and the report's title parts.
  auto check_values = [&]() -> absl::Status {
    for (const std::string& spec : rate_limits) {
      if (absl::Status parsed = feedback::ParseRateLimit(spec, options.limits); !parsed.ok()) {
        return parsed;
      }
    }
    for (absl::Status valid :
         {feedback::ValidateTitlePart("--council-name", options.title.council_name),
          feedback::ValidateTitlePart("--division-title", options.title.division_title)}) {
      if (!valid.ok()) return valid;
    }
    return absl::OkStatus();
  };

  if (std::optional<std::string> checked = FlagValue(argc, argv, "--check-config")) {
    return CheckConfig(*checked, argv[0], app, check_values);
  }
  const std::optional<std::string> config_path = FlagValue(argc, argv, "--config");
  absl::StatusOr<std::vector<std::string>> args = ArgsWithConfig(config_path, app, argc, argv);
  if (!args.ok()) {
    std::cerr << "feedbackd: " << args.status().message() << std::endl;
    return 2;
  }
  if (const int parsed = ParseArgs(app, *args); parsed >= 0) return parsed;
  if (app.got_subcommand("admin")) return admin_exit_code;
  if (app.got_subcommand("ceilings")) return ceilings_exit_code;
  if (absl::Status valid = check_values(); !valid.ok()) {
    std::cerr << "feedbackd: " << valid.message() << std::endl;
    return 2;
  }
  absl::StatusOr<feedback::LogFormat> log_format =
      feedback::ParseLogFormat(log_format_text, "--log-format");
  absl::StatusOr<feedback::LogLevel> log_level =
      feedback::ParseLogLevel(log_level_text, "--log-level");
  for (const absl::Status& parsed : {log_format.status(), log_level.status()}) {
    if (!parsed.ok()) {
      std::cerr << "feedbackd: " << parsed.message() << std::endl;
      return 2;
    }
  }
  feedback::ConfigureLog(*log_format, *log_level);
  using feedback::Log;
  using feedback::LogLevel;

  if (!restore_from.empty()) {
    if (absl::Status restored =
            feedback::RestoreAndSay(restore_from, restore_backup_id, options.data_dir);
        !restored.ok()) {
      Log(LogLevel::kError, std::string(restored.message()));
      return 1;
    }
  }

  const sigset_t signals = BlockShutdownSignals();
  options.on_store_restart_needed = AskForRestart;
  absl::StatusOr<std::unique_ptr<feedback::FeedbackServer>> server =
      feedback::FeedbackServer::Start(options);
  if (!server.ok()) {
    Log(LogLevel::kError, std::string(server.status().message()));
    return 1;
  }
  std::unique_ptr<feedback::http::HttpServer> http;
  if (!http_options.listen.empty()) {
    http_options.tls_cert_file = options.tls_cert_file;
    http_options.tls_key_file = options.tls_key_file;
    http_options.tls_client_ca_file = options.tls_client_ca_file;
    http_options.allow_insecure = options.allow_insecure;
    http_options.max_body_bytes = static_cast<size_t>(options.max_receive_message_bytes);
    http_options.metrics = (*server)->metrics();
    absl::StatusOr<std::unique_ptr<feedback::http::HttpServer>> started =
        feedback::http::HttpServer::Start(http_options, (*server)->core());
    if (!started.ok()) {
      Log(LogLevel::kError, std::string(started.status().message()));
      (*server)->Shutdown(absl::Seconds(1));
      return 1;
    }
    http = *std::move(started);
    const std::string http_host = http_options.listen.substr(0, http_options.listen.rfind(':'));
    std::cout << "feedbackd: http on " << http_host << ":" << http->port() << ", kiosk at "
              << http->scheme() << "://" << http_host << ":" << http->port() << "/kiosk"
              << std::endl;
  }
  std::unique_ptr<feedback::http::MetricsServer> metrics;
  if (!metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<feedback::http::MetricsServer>> started =
        feedback::http::MetricsServer::Start(metrics_listen, options.allow_insecure,
                                             (*server)->metrics());
    if (!started.ok()) {
      Log(LogLevel::kError, std::string(started.status().message()));
      if (http != nullptr) http->Shutdown(absl::Seconds(1));
      (*server)->Shutdown(absl::Seconds(1));
      return 1;
    }
    metrics = *std::move(started);
    std::cout << "feedbackd: metrics on http://"
              << metrics_listen.substr(0, metrics_listen.rfind(':')) << ":" << metrics->port()
              << "/metrics" << std::endl;
  }
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  // Tests and scripts wait for this line: it means the server is ready.
  std::cout << "feedbackd: listening on " << host << ":" << (*server)->port() << ", data in "
            << options.data_dir << std::endl;

  // SIGHUP: the lexicon and the rate limits again, from the configuration file and the flags.
  auto reload = [&]() -> absl::StatusOr<std::string> {
    rate_limits.clear();
    options.lexicon_file.clear();
    absl::StatusOr<std::vector<std::string>> fresh = ArgsWithConfig(config_path, app, argc, argv);
    if (!fresh.ok()) return fresh.status();
    std::vector<char*> fresh_argv;
    for (const std::string& arg : *fresh) fresh_argv.push_back(const_cast<char*>(arg.c_str()));
    app.clear();
    try {
      app.parse(static_cast<int>(fresh_argv.size()), fresh_argv.data());
    } catch (const CLI::ParseError& error) {
      return absl::InvalidArgumentError(error.what());
    }
    feedback::AccessLimits limits;
    for (const std::string& spec : rate_limits) {
      if (absl::Status parsed = feedback::ParseRateLimit(spec, limits); !parsed.ok()) return parsed;
    }
    return (*server)->Reload(options.lexicon_file, limits);
  };
  int received = 0;
  for (sigwait(&signals, &received); received == SIGHUP || received == SIGUSR1;
       sigwait(&signals, &received)) {
    if (received == SIGUSR1) {
      if (store_restart_needed) break;
      continue;
    }
    absl::StatusOr<std::string> reloaded = reload();
    if (reloaded.ok()) {
      Log(LogLevel::kInfo,
          absl::StrCat("SIGHUP: reloaded ", *reloaded, "; every other setting needs a restart"));
    } else {
      Log(LogLevel::kWarning, absl::StrCat("SIGHUP: nothing reloaded, the settings in use stay: ",
                                           reloaded.status().message()));
    }
  }
  Log(LogLevel::kInfo,
      received == SIGUSR1
          ? std::string("exiting so that the service manager starts feedbackd again, which "
                        "recovers the store's write-ahead log; finishing in-flight calls")
          : absl::StrCat(received == SIGTERM ? "SIGTERM" : "SIGINT",
                         ", finishing in-flight calls"));
  // The HTTP door first: its calls in flight are answered while the writer still runs.
  if (http != nullptr) http->Shutdown(absl::Seconds(10));
  (*server)->Shutdown(absl::Seconds(10));
  http.reset();  // after the writer has stopped: every call the door started has its answer
  if (received == SIGUSR1) {
    Log(LogLevel::kWarning, "stopped, to be started again (exit status 75)");
    return kExitToRecoverStore;
  }
  Log(LogLevel::kInfo, "stopped cleanly");
  return 0;
}
