// feedbackctl bench: load on a running feedbackd from many calls in flight at once (gRPC's
// callback API, no thread per call), with throughput, latency percentiles and errors by code;
// --ceilings also measures, in the same run and with the same client and payload, a bare gRPC
// echo and an echo behind a group-committed synced RocksDB write (`feedbackd ceilings`), and
// gives the service's figures as ratios to both; --http measures the HTTP door beside the gRPC
// door the same way (docs/performance.md).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/bench/http_load.h"
#include "client/bench/load.h"
#include "client/cli/cli_common.h"
#include "client/cli/exit_codes.h"
#include "client/lib/terminal_text.h"
#include "proto/vocabulary/status_macros.h"

extern char** environ;

namespace feedback::client {
namespace {

using bench::BenchServer;
using bench::CeilingRatios;
using bench::CeilingRatiosOf;
using bench::DoorRatios;
using bench::DoorRatiosOf;
using bench::LoadMode;
using bench::LoadOptions;
using bench::LoadResult;

struct BenchFlags {
  std::string mode = "submit";
  int concurrency = 16;
  int64_t count = 2000;
  std::string tag;  // --tag: list calls read only items with it
  bool ceilings = false;
  std::string feedbackd;     // --feedbackd: the server binary that serves the ceilings
  std::string ceilings_dir;  // --ceilings-dir: where the commit ceiling's store goes
  std::string http;          // --http: the HTTP door's host:port, measured after gRPC's
  int64_t warmup = 0;        // --warmup: calls to each server before its measured ones
  int rounds = 1;            // --rounds: the servers measured this many times, alternated
};

// `run(options)` after `warmup` calls of the same load, not measured: each server (and the client
// process, whose first run also starts its threads and grows its memory) is measured warm.
template <typename Run>
absl::StatusOr<LoadResult> MeasureWarm(int64_t warmup, const LoadOptions& options, Run run) {
  if (warmup > 0) {
    LoadOptions warming = options;
    warming.count = warmup;
    absl::StatusOr<LoadResult> warmed = run(warming);
    if (!warmed.ok()) return warmed.status();
  }
  return run(options);
}

// feedbackd, for `feedbackd ceilings`: --feedbackd, else beside this feedbackctl (an install),
// else where the build puts it (build/service/feedbackd beside build/client/feedbackctl), else
// from PATH.
std::string FeedbackdPath(const BenchFlags& flags) {
  if (!flags.feedbackd.empty()) return flags.feedbackd;
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    for (const std::filesystem::path& candidate :
         {self.parent_path() / "feedbackd", self.parent_path() / ".." / "service" / "feedbackd"}) {
      if (std::filesystem::is_regular_file(candidate, error)) return candidate.string();
    }
  }
  return "feedbackd";
}

// A running `feedbackd ceilings`: it serves until this closes its stdin.
class CeilingProcess {
 public:
  static absl::StatusOr<std::unique_ptr<CeilingProcess>> Start(const std::string& feedbackd,
                                                               const std::string& parent_dir) {
    auto process = std::unique_ptr<CeilingProcess>(new CeilingProcess());
    if (absl::Status started = process->Spawn(feedbackd, parent_dir); !started.ok()) {
      return started;
    }
    return process;
  }

  ~CeilingProcess() {
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ != nullptr) fclose(stdout_);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
    std::error_code ignored;
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ignored);
  }

  const std::string& echo() const { return echo_; }
  const std::string& commit() const { return commit_; }

 private:
  CeilingProcess() = default;

  absl::Status Spawn(const std::string& feedbackd, const std::string& parent_dir) {
    std::error_code error;
    const std::filesystem::path parent = parent_dir.empty()
                                             ? std::filesystem::temp_directory_path(error)
                                             : std::filesystem::path(parent_dir);
    std::string pattern = (parent / "feedbackctl-bench-XXXXXX").string();
    if (error || mkdtemp(pattern.data()) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--ceilings-dir: cannot make a folder in ", parent.string()));
    }
    data_dir_ = pattern;
    int to_child[2];
    int from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
      return absl::InternalError("cannot make pipes for feedbackd ceilings");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
    std::vector<std::string> args = {feedbackd, "ceilings", "--data-dir", data_dir_};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int spawned =
        posix_spawnp(&pid_, feedbackd.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    stdin_ = to_child[1];
    stdout_ = fdopen(from_child[0], "r");
    if (spawned != 0) {
      pid_ = -1;
      return absl::NotFoundError(
          absl::StrCat("--feedbackd: cannot run ", feedbackd, " (", std::strerror(spawned),
                       "): --ceilings needs the server binary; name it with --feedbackd PATH"));
    }
    return ReadAddresses(feedbackd);
  }

  // The child's "echo ADDRESS" and "commit ADDRESS" lines.
  absl::Status ReadAddresses(const std::string& feedbackd) {
    char line[256];
    while ((echo_.empty() || commit_.empty()) && stdout_ != nullptr &&
           std::fgets(line, sizeof line, stdout_) != nullptr) {
      std::string text(line);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      if (text.rfind("echo ", 0) == 0) echo_ = text.substr(5);
      if (text.rfind("commit ", 0) == 0) commit_ = text.substr(7);
    }
    if (echo_.empty() || commit_.empty()) {
      return absl::UnavailableError(
          absl::StrCat(feedbackd, " ceilings did not start (its message is above)"));
    }
    return absl::OkStatus();
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  FILE* stdout_ = nullptr;
  std::string data_dir_;
  std::string echo_;
  std::string commit_;
};

// A client of a ceiling server (bench::CeilingClientOptions).
FeedbackClient CeilingClient(const FeedbackClient& service, const std::string& address) {
  return FeedbackClient(bench::CeilingClientOptions(service.options(), address));
}

std::string ErrorsText(const LoadResult& result) {
  if (result.errors.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [code, count] : result.errors) parts.push_back(absl::StrCat(code, " ", count));
  return absl::StrJoin(parts, ", ");
}

std::string FiguresJson(const LoadResult& result) {
  std::vector<std::string> by_code;
  for (const auto& [code, count] : result.errors) {
    by_code.push_back(absl::StrCat("\"", code, "\": ", count));
  }
  return absl::StrFormat(
      "\"calls\": %d, \"seconds\": %.6f, \"throughput_per_s\": %.1f, \"p50_ms\": %.3f, "
      "\"p90_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f, \"errors\": %d, "
      "\"errors_by_code\": {%s}",
      result.calls, result.seconds, result.ThroughputPerSecond(), result.PercentileMs(0.5),
      result.PercentileMs(0.9), result.PercentileMs(0.99), result.PercentileMs(0.999),
      result.ErrorCount(), absl::StrJoin(by_code, ", "));
}

// What one `bench` measured (or one round of it): feedbackd through its gRPC door, and what the
// flags added.
struct BenchResults {
  LoadResult service;
  std::optional<LoadResult> http;    // --http: the HTTP door, the same load
  std::optional<LoadResult> echo;    // --ceilings
  std::optional<LoadResult> commit;  // --ceilings
};

// A ratio of the results, by its JSON name, with a short label for a table.
struct NamedRatio {
  std::string_view name;
  std::string_view label;
  double value;
};

// The ratios of what was measured, in the order the JSON and the tables give them.
std::vector<NamedRatio> RatiosOf(const BenchResults& results) {
  std::vector<NamedRatio> ratios;
  if (results.echo && results.commit) {
    const CeilingRatios ceiling = CeilingRatiosOf(results.service, *results.echo, *results.commit);
    ratios.push_back({"throughput_to_echo", "/ echo", ceiling.throughput_to_echo});
    ratios.push_back({"throughput_to_commit", "/ commit", ceiling.throughput_to_commit});
    ratios.push_back({"throughput_to_min_ceiling", "/ lower", ceiling.throughput_to_min_ceiling});
    ratios.push_back({"p99_to_commit", "p99 / commit", ceiling.p99_to_commit});
    ratios.push_back({"p50_to_echo_plus_commit", "p50 / (e+c)", ceiling.p50_to_echo_plus_commit});
  }
  if (results.http) {
    const DoorRatios doors = DoorRatiosOf(results.service, *results.http);
    ratios.push_back({"http_to_grpc", "http / grpc", doors.http_to_grpc});
    ratios.push_back({"http_p99_to_grpc", "http p99 / grpc", doors.http_p99_to_grpc});
  }
  return ratios;
}

std::string RatiosJson(const std::vector<NamedRatio>& ratios) {
  std::vector<std::string> members;
  for (const NamedRatio& ratio : ratios) {
    members.push_back(absl::StrFormat("\"%s\": %.3f", ratio.name, ratio.value));
  }
  return absl::StrJoin(members, ", ");
}

// The JSON members of `results`: feedbackd's figures, then each other server's, then the ratios.
std::string ResultsJsonMembers(const BenchResults& results) {
  std::string json = FiguresJson(results.service);
  if (results.http) absl::StrAppend(&json, ", \"http\": {", FiguresJson(*results.http), "}");
  if (results.echo && results.commit) {
    absl::StrAppend(&json, ", \"ceilings\": {\"echo\": {", FiguresJson(*results.echo),
                    "}, \"commit\": {", FiguresJson(*results.commit), "}}");
  }
  const std::vector<NamedRatio> ratios = RatiosOf(results);
  if (!ratios.empty()) absl::StrAppend(&json, ", \"ratios\": {", RatiosJson(ratios), "}");
  return json;
}

// Each ratio's median over the rounds (every round has the same ratios).
std::vector<NamedRatio> RatioMedians(const std::vector<BenchResults>& rounds) {
  std::vector<NamedRatio> medians = RatiosOf(rounds.front());
  for (size_t i = 0; i < medians.size(); ++i) {
    std::vector<double> values;
    for (const BenchResults& round : rounds) values.push_back(RatiosOf(round)[i].value);
    medians[i].value = bench::Median(std::move(values));
  }
  return medians;
}

// A run of one round is that round; of several, each server's rounds pooled
// (bench::Pooled), and the rounds one by one with each ratio's median.
void PrintJson(const BenchFlags& flags, const BenchResults& pooled,
               const std::vector<BenchResults>& rounds) {
  std::string json = absl::StrFormat("{\"mode\": \"%s\", \"concurrency\": %d, %s", flags.mode,
                                     flags.concurrency, ResultsJsonMembers(pooled));
  if (rounds.size() > 1) {
    std::vector<std::string> each;
    for (const BenchResults& round : rounds) {
      each.push_back(absl::StrCat("{", ResultsJsonMembers(round), "}"));
    }
    absl::StrAppend(&json, ", \"rounds\": ", rounds.size(), ", \"by_round\": [",
                    absl::StrJoin(each, ", "), "]");
    const std::vector<NamedRatio> medians = RatioMedians(rounds);
    if (!medians.empty()) {
      absl::StrAppend(&json, ", \"ratio_medians\": {", RatiosJson(medians), "}");
    }
  }
  std::cout << json << "}\n";
}

void PrintRow(const std::string& name, const LoadResult& r) {
  std::cout << absl::StrFormat("  %-10s %10.0f %9.2f %9.2f %9.2f %9.2f  %s\n", name,
                               r.ThroughputPerSecond(), r.PercentileMs(0.5), r.PercentileMs(0.9),
                               r.PercentileMs(0.99), r.PercentileMs(0.999), ErrorsText(r));
}

// The rounds one by one: feedbackd's calls a second and each ratio, then each one's median.
void PrintRounds(const std::vector<BenchResults>& rounds) {
  const bool others = rounds.front().commit.has_value() || rounds.front().http.has_value();
  std::cout << absl::StrFormat("\nBy round%s:\n  %-7s %10s",
                               others ? " (feedbackd first in odd rounds, last in even ones)" : "",
                               "round", "calls/s");
  for (const NamedRatio& ratio : RatiosOf(rounds.front())) {
    std::cout << absl::StrFormat(" %15s", ratio.label);
  }
  std::cout << "\n";
  std::vector<double> throughputs;
  for (size_t i = 0; i < rounds.size(); ++i) {
    throughputs.push_back(rounds[i].service.ThroughputPerSecond());
    std::cout << absl::StrFormat("  %-7d %10.0f", i + 1, throughputs.back());
    for (const NamedRatio& ratio : RatiosOf(rounds[i])) {
      std::cout << absl::StrFormat(" %15.3f", ratio.value);
    }
    std::cout << "\n";
  }
  std::cout << absl::StrFormat("  %-7s %10.0f", "median", bench::Median(std::move(throughputs)));
  for (const NamedRatio& ratio : RatioMedians(rounds)) {
    std::cout << absl::StrFormat(" %15.3f", ratio.value);
  }
  std::cout << "\n";
}

void PrintTable(const CliContext& context, const BenchFlags& flags, const BenchResults& results,
                const std::vector<BenchResults>& rounds) {
  const std::string tagged =
      flags.tag.empty() ? "" : absl::StrCat(" of items tagged ", ForTerminalLine(flags.tag));
  const std::string http =
      results.http ? absl::StrCat(" (gRPC), then to ", ForTerminalLine(flags.http), " (HTTP)") : "";
  const std::string in_rounds =
      rounds.size() > 1
          ? absl::StrFormat(", in each of %d rounds: first all rounds together, then each round",
                            rounds.size())
          : "";
  std::cout << absl::StrFormat("%d %s calls%s, %d in flight, to %s%s%s\n\n", flags.count,
                               flags.mode, tagged, flags.concurrency,
                               ForTerminalLine(context.server), http, in_rounds);
  std::cout << absl::StrFormat("  %-10s %10s %9s %9s %9s %9s  %s\n", "", "calls/s", "p50 ms",
                               "p90 ms", "p99 ms", "p99.9 ms", "errors");
  PrintRow("feedbackd", results.service);
  if (results.http) PrintRow("http door", *results.http);
  if (results.echo) PrintRow("echo", *results.echo);
  if (results.commit) PrintRow("commit", *results.commit);
  if (results.http) {
    const DoorRatios doors = DoorRatiosOf(results.service, *results.http);
    std::cout << absl::StrFormat(
        "\nThrough the HTTP door feedbackd answered %.2f x the calls a second it answered through "
        "gRPC,\nwith a p99 %.2f x gRPC's.\n",
        doors.http_to_grpc, doors.http_p99_to_grpc);
  }
  if (results.echo && results.commit) {
    const CeilingRatios ceiling = CeilingRatiosOf(results.service, *results.echo, *results.commit);
    std::cout << absl::StrFormat(
        "\nfeedbackd's throughput is %.2f x the echo's and %.2f x the commit ceiling's (%.2f x "
        "the lower of the two);\n"
        "its p99 is %.2f x the commit ceiling's, and its p50 %.2f x (echo p50 + commit p50).\n",
        ceiling.throughput_to_echo, ceiling.throughput_to_commit, ceiling.throughput_to_min_ceiling,
        ceiling.p99_to_commit, ceiling.p50_to_echo_plus_commit);
  }
  if (rounds.size() > 1) PrintRounds(rounds);
}

absl::Status CheckFlags(const BenchFlags& flags, LoadMode mode) {
  if (flags.ceilings && mode != LoadMode::kSubmit) {
    return UsageError("--ceilings: the ceilings answer submissions only; use --mode submit");
  }
  if (!flags.http.empty() && mode != LoadMode::kSubmit) {
    return UsageError("--http: the HTTP door is measured with submissions only; use --mode submit");
  }
  if (!flags.tag.empty() && mode != LoadMode::kList && mode != LoadMode::kMix) {
    return UsageError("--tag: filters list calls only; use --mode list or mix");
  }
  return absl::OkStatus();
}

// The servers a round measures: feedbackd, and what the flags add.
struct BenchTargets {
  const FeedbackClient* service = nullptr;
  std::optional<bench::HttpLoadTarget> http;  // --http
  std::optional<FeedbackClient> echo;         // --ceilings
  std::optional<FeedbackClient> commit;       // --ceilings
};

// One server's figures: `warmup` calls, then the measured ones, with the same load.
absl::StatusOr<LoadResult> MeasureOne(const BenchFlags& flags, const BenchTargets& targets,
                                      const LoadOptions& options, BenchServer server) {
  return MeasureWarm(flags.warmup, options, [&](const LoadOptions& load) {
    switch (server) {
      case BenchServer::kHttp:
        return bench::RunHttpLoad(*targets.http, load);
      case BenchServer::kEcho:
        return bench::RunLoad(*targets.echo, load);
      case BenchServer::kCommit:
        return bench::RunLoad(*targets.commit, load);
      case BenchServer::kService:
        break;
    }
    return bench::RunLoad(*targets.service, load);
  });
}

// Round `round` (0-based): every server in bench::RoundOrder's order.
absl::StatusOr<BenchResults> MeasureRound(const BenchFlags& flags, const BenchTargets& targets,
                                          const LoadOptions& options, int round) {
  BenchResults results;
  for (BenchServer server :
       bench::RoundOrder(round, targets.http.has_value(), targets.echo.has_value())) {
    absl::StatusOr<LoadResult> measured = MeasureOne(flags, targets, options, server);
    if (!measured.ok()) {
      if (flags.rounds == 1) return measured.status();
      return absl::Status(measured.status().code(),
                          absl::StrCat("round ", round + 1, " of ", flags.rounds, ": ",
                                       measured.status().message()));
    }
    switch (server) {
      case BenchServer::kService:
        results.service = *std::move(measured);
        break;
      case BenchServer::kHttp:
        results.http = *std::move(measured);
        break;
      case BenchServer::kEcho:
        results.echo = *std::move(measured);
        break;
      case BenchServer::kCommit:
        results.commit = *std::move(measured);
        break;
    }
  }
  return results;
}

// Each server's rounds pooled (bench::Pooled).
BenchResults PooledRounds(const std::vector<BenchResults>& rounds) {
  auto pool = [&rounds](std::optional<LoadResult> BenchResults::*member) {
    std::vector<LoadResult> runs;
    for (const BenchResults& round : rounds) {
      if ((round.*member).has_value()) runs.push_back(*(round.*member));
    }
    return runs.empty() ? std::nullopt : std::optional<LoadResult>(bench::Pooled(runs));
  };
  std::vector<LoadResult> services;
  for (const BenchResults& round : rounds) services.push_back(round.service);
  return {.service = bench::Pooled(services),
          .http = pool(&BenchResults::http),
          .echo = pool(&BenchResults::echo),
          .commit = pool(&BenchResults::commit)};
}

// The exit code, and on standard error how many of feedbackd's calls failed, through each door,
// with what was said of one call of each code; for a rate limit, how to measure without it.
int FailedCalls(const BenchResults& results) {
  int exit_code = kExitOk;
  bool rate_limited = false;
  for (const auto& [door, result] :
       {std::pair<std::string_view, const LoadResult*>{"", &results.service},
        {" through the HTTP door", results.http ? &*results.http : nullptr}}) {
    if (result == nullptr || result->ErrorCount() == 0) continue;
    std::cerr << "feedbackctl: " << result->ErrorCount() << " of " << result->calls
              << " calls to feedbackd" << door << " failed (" << ErrorsText(*result) << ")\n";
    for (const auto& [code, message] : result->first_messages) {
      if (!message.empty()) {
        std::cerr << "feedbackctl:   " << code << ": " << ForTerminalLine(message) << "\n";
      }
    }
    rate_limited = rate_limited || result->errors.contains("RESOURCE_EXHAUSTED");
    exit_code = kExitFailure;
  }
  if (rate_limited) {
    std::cerr << "feedbackctl: to measure, start a test server with --rate-limit ROLE=0 (no limit "
                 "for the token's role)\n";
  }
  return exit_code;
}

int RunBench(const CliContext& context, const BenchFlags& flags) {
  absl::StatusOr<LoadMode> mode = bench::ParseLoadMode(flags.mode);
  if (!mode.ok()) return Report(AsUsageError(mode.status()));
  if (absl::Status usage = CheckFlags(flags, *mode); !usage.ok()) return Report(usage);
  const LoadOptions options{
      .mode = *mode, .concurrency = flags.concurrency, .count = flags.count, .tag = flags.tag};
  if (!flags.http.empty()) {
    // Before the gRPC run, so that a wrong address costs no minutes of load.
    if (absl::Status checked = bench::CheckHttpAddress(flags.http); !checked.ok()) {
      return Report(absl::IsInvalidArgument(checked) ? AsUsageError(checked) : checked);
    }
  }
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());

  // One `feedbackd ceilings` for the whole run: its store grows round by round, as feedbackd's.
  // Declared before the clients of its servers, so that they go first.
  std::unique_ptr<CeilingProcess> ceilings;
  if (flags.ceilings) {
    absl::StatusOr<std::unique_ptr<CeilingProcess>> started =
        CeilingProcess::Start(FeedbackdPath(flags), flags.ceilings_dir);
    if (!started.ok()) return Report(started.status());
    ceilings = *std::move(started);
  }
  BenchTargets targets;
  targets.service = &*client;
  if (!flags.http.empty()) {
    targets.http = bench::HttpLoadTarget{.address = flags.http,
                                         .token = client->options().token,
                                         .timeout = client->options().timeout};
  }
  if (ceilings) {
    targets.echo = CeilingClient(*client, ceilings->echo());
    targets.commit = CeilingClient(*client, ceilings->commit());
  }
  std::vector<BenchResults> rounds;
  for (int round = 0; round < flags.rounds; ++round) {
    absl::StatusOr<BenchResults> measured = MeasureRound(flags, targets, options, round);
    if (!measured.ok()) return Report(measured.status());
    rounds.push_back(*std::move(measured));
  }
  const BenchResults pooled = rounds.size() == 1 ? BenchResults{} : PooledRounds(rounds);
  const BenchResults& results = rounds.size() == 1 ? rounds.front() : pooled;
  if (context.json) {
    PrintJson(flags, results, rounds);
  } else {
    PrintTable(context, flags, results, rounds);
  }
  return FailedCalls(results);
}

}  // namespace

void AddBenchCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<BenchFlags>();
  CLI::App* bench = app.add_subcommand(
      "bench",
      "measure a running feedbackd: COUNT calls, CONCURRENCY in flight at once; prints calls per "
      "second, latency percentiles and errors by code (docs/performance.md). Submissions are "
      "stored like any other: run it against a test server, not the council's");
  bench
      ->add_option("--mode", flags->mode,
                   "submit (new ~600-byte items), get (reads stored items, each audited), list "
                   "(first page of this quarter), summary (this quarter's figures), or mix "
                   "(7 submits, 1 get, 1 list, 1 summary in 10)")
      ->capture_default_str();
  bench->add_option("--concurrency,-c", flags->concurrency, "calls in flight at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  bench->add_option("--count,-n", flags->count, "calls in all")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
  bench->add_option("--tag", flags->tag,
                    "with --mode list or mix: list only items with this tag (a list by a tag "
                    "few items have reads the quarter's index until its page is full)");
  bench->add_flag("--ceilings", flags->ceilings,
                  "also measure, in the same run with the same client and payload, a bare gRPC "
                  "echo and an echo behind a group-committed synced RocksDB write (served by "
                  "`feedbackd ceilings`), and give feedbackd's figures as ratios to both");
  bench->add_option("--feedbackd", flags->feedbackd,
                    "with --ceilings: the feedbackd binary (default: beside feedbackctl, then "
                    "PATH)");
  bench->add_option("--ceilings-dir", flags->ceilings_dir,
                    "with --ceilings: where the commit ceiling keeps its store for the run; put "
                    "it on the disk feedbackd's store is on (default: the temporary folder)");
  bench->add_option("--http", flags->http,
                    "with --mode submit: also measure feedbackd's HTTP door at this host:port "
                    "(feedbackd --http-listen; plain HTTP, so on this machine only), with the same "
                    "load and payload right after the gRPC door, and give its figures as ratios "
                    "to gRPC's");
  bench
      ->add_option("--warmup", flags->warmup,
                   "calls to each server measured (feedbackd, its HTTP door, each ceiling) just "
                   "before its measured calls, with the same load, not counted")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{100'000'000}));
  bench
      ->add_option(
          "--rounds", flags->rounds,
          "measure every server this many times, each time with --warmup and --count calls, "
          "in turn: feedbackd, its HTTP door, the echo and the commit ceiling in odd rounds, "
          "the reverse in even ones; gives the rounds pooled, then each round's calls a second "
          "and ratios and each ratio's median (on a shared machine two runs seconds apart can "
          "differ by a third)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  bench->callback([&context, flags] { context.exit_code = RunBench(context, *flags); });
}

}  // namespace feedback::client
