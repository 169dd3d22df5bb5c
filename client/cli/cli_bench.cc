// feedbackctl bench: load on a running feedbackd from many calls in flight at once (gRPC's
// callback API, no thread per call), with throughput, latency percentiles and errors by code;
// --ceilings also measures, in the same run and with the same client and payload, a bare gRPC
// echo and an echo behind a group-committed synced RocksDB write (`feedbackd ceilings`), and
// gives the service's figures as ratios to both (docs/performance.md).
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
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/bench/load.h"
#include "client/cli/cli_common.h"
#include "client/cli/exit_codes.h"

extern char** environ;

namespace feedback::client {
namespace {

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
};

// A measured run, named as the table and the JSON name it.
struct NamedResult {
  std::string name;
  LoadResult result;
};

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

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

// The service against its ceilings, as issue 15's targets put them.
struct Ratios {
  double throughput_to_echo = 0;
  double throughput_to_commit = 0;
  double p99_to_commit = 0;
  double p50_to_echo_plus_commit = 0;  // the single-client target: at most 1
};

Ratios RatiosOf(const LoadResult& service, const LoadResult& echo, const LoadResult& commit) {
  return {
      .throughput_to_echo = Ratio(service.ThroughputPerSecond(), echo.ThroughputPerSecond()),
      .throughput_to_commit = Ratio(service.ThroughputPerSecond(), commit.ThroughputPerSecond()),
      .p99_to_commit = Ratio(service.PercentileMs(0.99), commit.PercentileMs(0.99)),
      .p50_to_echo_plus_commit =
          Ratio(service.PercentileMs(0.5), echo.PercentileMs(0.5) + commit.PercentileMs(0.5)),
  };
}

void PrintJson(const BenchFlags& flags, const std::vector<NamedResult>& results) {
  std::string json = absl::StrFormat("{\"mode\": \"%s\", \"concurrency\": %d, %s", flags.mode,
                                     flags.concurrency, FiguresJson(results[0].result));
  if (results.size() == 3) {
    const Ratios ratios = RatiosOf(results[0].result, results[1].result, results[2].result);
    absl::StrAppend(
        &json, ", \"ceilings\": {\"echo\": {", FiguresJson(results[1].result), "}, \"commit\": {",
        FiguresJson(results[2].result), "}}",
        absl::StrFormat(", \"ratios\": {\"throughput_to_echo\": %.3f, \"throughput_to_commit\": "
                        "%.3f, \"p99_to_commit\": %.3f, \"p50_to_echo_plus_commit\": %.3f}",
                        ratios.throughput_to_echo, ratios.throughput_to_commit,
                        ratios.p99_to_commit, ratios.p50_to_echo_plus_commit));
  }
  std::cout << json << "}\n";
}

void PrintTable(const CliContext& context, const BenchFlags& flags,
                const std::vector<NamedResult>& results) {
  const std::string tagged =
      flags.tag.empty() ? "" : absl::StrCat(" of items tagged ", ForTerminalLine(flags.tag));
  std::cout << absl::StrFormat("%d %s calls%s, %d in flight, to %s\n\n", flags.count, flags.mode,
                               tagged, flags.concurrency, ForTerminalLine(context.server));
  std::cout << absl::StrFormat("  %-10s %10s %9s %9s %9s %9s  %s\n", "", "calls/s", "p50 ms",
                               "p90 ms", "p99 ms", "p99.9 ms", "errors");
  for (const NamedResult& each : results) {
    const LoadResult& r = each.result;
    std::cout << absl::StrFormat("  %-10s %10.0f %9.2f %9.2f %9.2f %9.2f  %s\n", each.name,
                                 r.ThroughputPerSecond(), r.PercentileMs(0.5), r.PercentileMs(0.9),
                                 r.PercentileMs(0.99), r.PercentileMs(0.999), ErrorsText(r));
  }
  if (results.size() == 3) {
    const Ratios ratios = RatiosOf(results[0].result, results[1].result, results[2].result);
    std::cout << absl::StrFormat(
        "\nfeedbackd's throughput is %.2f x the echo's and %.2f x the commit ceiling's;\n"
        "its p99 is %.2f x the commit ceiling's, and its p50 %.2f x (echo p50 + commit p50).\n",
        ratios.throughput_to_echo, ratios.throughput_to_commit, ratios.p99_to_commit,
        ratios.p50_to_echo_plus_commit);
  }
}

// Runs the load on `client`; a failure before the load (a get on an empty store, say) is
// returned, errors of calls within it are counted in the result.
absl::StatusOr<NamedResult> Measure(const std::string& name, const FeedbackClient& client,
                                    const LoadOptions& options) {
  absl::StatusOr<LoadResult> result = bench::RunLoad(client, options);
  if (!result.ok()) return result.status();
  return NamedResult{name, *std::move(result)};
}

int RunBench(const CliContext& context, const BenchFlags& flags) {
  absl::StatusOr<LoadMode> mode = bench::ParseLoadMode(flags.mode);
  if (!mode.ok()) return Report(AsUsageError(mode.status()));
  if (flags.ceilings && *mode != LoadMode::kSubmit) {
    return Report(
        UsageError("--ceilings: the ceilings answer submissions only; use --mode submit"));
  }
  if (!flags.tag.empty() && *mode != LoadMode::kList && *mode != LoadMode::kMix) {
    return Report(UsageError("--tag: filters list calls only; use --mode list or mix"));
  }
  const LoadOptions options{
      .mode = *mode, .concurrency = flags.concurrency, .count = flags.count, .tag = flags.tag};
  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());

  std::vector<NamedResult> results;
  absl::StatusOr<NamedResult> service = Measure("feedbackd", *client, options);
  if (!service.ok()) return Report(service.status());
  results.push_back(*std::move(service));
  if (flags.ceilings) {
    absl::StatusOr<std::unique_ptr<CeilingProcess>> ceilings =
        CeilingProcess::Start(FeedbackdPath(flags), flags.ceilings_dir);
    if (!ceilings.ok()) return Report(ceilings.status());
    for (const auto& [name, address] :
         {std::pair<std::string, std::string>{"echo", (*ceilings)->echo()},
          {"commit", (*ceilings)->commit()}}) {
      absl::StatusOr<NamedResult> ceiling = Measure(name, CeilingClient(*client, address), options);
      if (!ceiling.ok()) return Report(ceiling.status());
      results.push_back(*std::move(ceiling));
    }
  }
  if (context.json) {
    PrintJson(flags, results);
  } else {
    PrintTable(context, flags, results);
  }
  const int64_t failed = results[0].result.ErrorCount();
  if (failed == 0) return kExitOk;
  std::cerr << "feedbackctl: " << failed << " of " << flags.count << " calls to feedbackd failed ("
            << ErrorsText(results[0].result) << ")\n";
  return kExitFailure;
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
  bench->callback([&context, flags] { context.exit_code = RunBench(context, *flags); });
}

}  // namespace feedback::client
