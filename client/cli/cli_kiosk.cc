// feedbackctl kiosk: the "How was today?" kiosk on a staff laptop's terminal (see kiosk.h).
// Every response goes into the offline outbox first (fsynced), then a background thread sends
// the outbox, at once and again every --retry-seconds while anything waits, so the screen never
// waits for the network, a kiosk without Wi-Fi keeps working, and queued answers go as soon as
// the server is back, with nobody at the keyboard. What staff need to know (the outbox, the
// connection) goes to a staff log, never to the respondent's screen.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "client/cli/cli_common.h"
#include "client/lib/kiosk.h"
#include "client/lib/kiosk_input.h"
#include "client/lib/outbox.h"

namespace feedback::client {
namespace {

struct KioskFlags {
  std::string source = "child", meeting, service_area;
  double debounce_seconds = 3;
  double thank_you_seconds = 5;
  double retry_seconds = 30;
  std::string staff_log;
};

// The staff log: the kiosk's technical lines, one a line, each with the time. Standard error
// when that is not the respondent's screen (a terminal), else a file. Thread-safe.
class StaffLog {
 public:
  // `path` empty: standard error. Otherwise the file, appended to, created readable by this
  // user only.
  static absl::StatusOr<std::unique_ptr<StaffLog>> Open(const std::string& path) {
    auto log = std::unique_ptr<StaffLog>(new StaffLog(path));
    if (path.empty()) return log;
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("--staff-log: cannot write \"", path, "\": ", std::strerror(errno)));
    }
    close(fd);
    log->file_.open(path, std::ios::app);
    if (!log->file_) {
      return absl::FailedPreconditionError(
          absl::StrCat("--staff-log: cannot write \"", path, "\""));
    }
    return log;
  }

  void Line(std::string_view text) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::ostream& out = path_.empty() ? std::cerr : file_;
    out << absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::Now(), LocalZone())
        << " kiosk: " << ForTerminalLine(text) << std::endl;
  }

  // The file, or "" for standard error.
  const std::string& path() const { return path_; }

 private:
  explicit StaffLog(std::string path) : path_(std::move(path)) {}

  const std::string path_;
  std::mutex mutex_;
  std::ofstream file_;  // guarded by mutex_
};

// The staff log when --staff-log is not given: standard error unless it is a terminal (then it
// is the respondent's screen), else kiosk.log in the outbox folder.
absl::StatusOr<std::string> DefaultStaffLog(const Outbox& outbox) {
  if (isatty(STDERR_FILENO) != 1) return std::string();
  std::error_code error;
  std::filesystem::create_directories(outbox.dir(), error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("staff log: cannot create \"", outbox.dir(), "\": ", error.message()));
  }
  std::filesystem::permissions(outbox.dir(), std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  return (std::filesystem::path(outbox.dir()) / "kiosk.log").string();
}

// The stop pipe's write end, for the signal handler.
volatile sig_atomic_t g_stop_fd = -1;

extern "C" void RequestKioskStop(int) {
  if (g_stop_fd >= 0) {
    const char byte = 's';
    if (write(g_stop_fd, &byte, 1) < 0) {
      // Nothing to do in a signal handler: the pipe is full, so a stop is already pending.
    }
  }
}

// While it lives: SIGTERM and SIGHUP ask the kiosk to close (stop_fd() becomes readable), and
// at a terminal the keys that would end or suspend it (Ctrl-C, Ctrl-\, Ctrl-Z) do nothing, so a
// respondent cannot leave the kiosk for the staff's shell. Restores everything on destruction.
class KioskSignals {
 public:
  explicit KioskSignals(bool terminal) {
    if (pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
      pipe_[0] = pipe_[1] = -1;
      return;
    }
    g_stop_fd = pipe_[1];
    struct sigaction stop = {};
    stop.sa_handler = RequestKioskStop;
    sigemptyset(&stop.sa_mask);
    for (int signal : {SIGTERM, SIGHUP}) Replace(signal, stop);
    if (!terminal) return;
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (int signal : {SIGINT, SIGQUIT, SIGTSTP}) Replace(signal, ignore);
  }
  ~KioskSignals() {
    for (const auto& [signal, previous] : previous_) sigaction(signal, &previous, nullptr);
    g_stop_fd = -1;
    for (int fd : pipe_) {
      if (fd >= 0) close(fd);
    }
  }
  KioskSignals(const KioskSignals&) = delete;
  KioskSignals& operator=(const KioskSignals&) = delete;

  int stop_fd() const { return pipe_[0]; }

 private:
  void Replace(int signal, const struct sigaction& action) {
    struct sigaction previous = {};
    if (sigaction(signal, &action, &previous) == 0) previous_.emplace_back(signal, previous);
  }

  int pipe_[2] = {-1, -1};
  std::vector<std::pair<int, struct sigaction>> previous_;
};

// Sends the outbox in the background: whenever Poke() is called, and every `retry` while
// anything waits in it. Stop() sends it once more and waits. Thread-safe.
class BackgroundFlusher {
 public:
  BackgroundFlusher(const FeedbackClient& client, const Outbox& outbox, StaffLog& log,
                    absl::Duration retry)
      : client_(client), outbox_(outbox), log_(log), retry_(retry), thread_([this] { Loop(); }) {}
  ~BackgroundFlusher() { Stop(); }
  BackgroundFlusher(const BackgroundFlusher&) = delete;
  BackgroundFlusher& operator=(const BackgroundFlusher&) = delete;

  void Poke() {
    std::lock_guard<std::mutex> lock(mutex_);
    poked_ = true;
    wake_.notify_one();
  }

  // Finishes the flush in progress, runs a last one, and joins the thread.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      wake_.notify_one();
    }
    thread_.join();
    FlushOnce();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      const bool woken = wake_.wait_for(lock, absl::ToChronoMilliseconds(retry_),
                                        [this] { return poked_ || stopping_; });
      if (stopping_) return;
      poked_ = false;
      lock.unlock();
      // Idle: a retry only when something waits (no call to a server for nothing).
      if (woken || AnythingWaits()) FlushOnce();
      lock.lock();
    }
  }

  bool AnythingWaits() const {
    absl::StatusOr<std::vector<PendingItem>> pending = outbox_.Pending();
    return !pending.ok() || !pending->empty();
  }

  // Runs on the flusher's thread, or after it has stopped.
  void FlushOnce() {
    absl::StatusOr<FlushResult> result = outbox_.Flush(client_, /*wait_for_lock=*/true);
    if (!result.ok()) {
      log_.Line(absl::StrCat("outbox: ", result.status().message()));
      return;
    }
    if (result->sent > 0 || result->rejected > 0) {
      log_.Line(absl::StrCat("outbox: ", DescribeFlush(*result)));
    }
    if (result->stopped.ok()) {
      last_stop_.clear();
      return;
    }
    const std::string stop = absl::StrCat(
        IsUnreachable(result->stopped) ? "server not reached (" : "sending stopped (",
        result->stopped.ToString(), "); ", result->pending, " response(s) kept on this device");
    if (stop != last_stop_) log_.Line(stop);  // once, not at every retry
    last_stop_ = stop;
  }

  const FeedbackClient& client_;
  const Outbox& outbox_;
  StaffLog& log_;
  const absl::Duration retry_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::string last_stop_;  // the flushing thread's, then Stop()'s
  std::thread thread_;
};

int RunKioskCommand(const CliContext& context, const KioskFlags& flags) {
  KioskOptions options;
  absl::StatusOr<v1::Source> source = EnumFlag<v1::Source>("source", flags.source);
  if (!source.ok()) return Report(source.status());
  absl::StatusOr<v1::Meeting> meeting = EnumFlag<v1::Meeting>("meeting", flags.meeting);
  if (!meeting.ok()) return Report(meeting.status());
  absl::StatusOr<v1::ServiceArea> area =
      EnumFlag<v1::ServiceArea>("service-area", flags.service_area);
  if (!area.ok()) return Report(area.status());
  options.source = *source;
  options.meeting = *meeting;
  options.service_area = *area;
  options.debounce = absl::Seconds(flags.debounce_seconds);
  options.thank_you_pause = absl::Seconds(flags.thank_you_seconds);

  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<Outbox> outbox = OutboxForServer(context.outbox, context.server);
  if (!outbox.ok()) return Report(outbox.status());
  absl::StatusOr<std::string> log_path = flags.staff_log;
  if (flags.staff_log.empty()) log_path = DefaultStaffLog(*outbox);
  if (!log_path.ok()) return Report(log_path.status());
  absl::StatusOr<std::unique_ptr<StaffLog>> log = StaffLog::Open(*log_path);
  if (!log.ok()) return Report(log.status());
  options.waiting = [&outbox] {
    absl::StatusOr<std::vector<PendingItem>> pending = outbox->Pending();
    return pending.ok() ? static_cast<int>(pending->size()) : 0;
  };

  KioskSignals signals(/*terminal=*/isatty(STDIN_FILENO) == 1);
  FdKioskInput input(STDIN_FILENO, signals.stop_fd());
  (*log)->Line(absl::StrCat("open for ", FormatEnumFlag(v1::Meeting_descriptor(), *meeting), " (",
                            FormatEnumFlag(v1::ServiceArea_descriptor(), *area), "); outbox ",
                            outbox->dir()));
  BackgroundFlusher flusher(*client, *outbox, **log, absl::Seconds(flags.retry_seconds));
  flusher.Poke();  // anything left from an earlier session
  // The kiosk's own screen (its prompts, the clear-screen and mark sequences) is written
  // exactly; it shows nothing that came from the server.
  const int responses =
      RunKiosk(input, ExactStdout(), options, [&](const v1::Feedback& feedback) -> absl::Status {
        absl::StatusOr<std::string> queued = outbox->Add(feedback);
        if (queued.ok()) {
          flusher.Poke();
          return absl::OkStatus();
        }
        // The disk failed: try the server directly rather than lose the response.
        (*log)->Line(absl::StrCat("outbox: ", queued.status().message()));
        absl::StatusOr<v1::SubmitFeedbackResponse> sent = client->Submit(feedback);
        return sent.ok() ? absl::OkStatus() : sent.status();
      });
  flusher.Stop();
  const std::string closed = absl::StrCat("closed: ", responses, " response(s) this session");
  (*log)->Line(closed);
  // The respondent has gone: this is the staff's screen again.
  if (!(*log)->path().empty()) {
    std::cerr << "kiosk: " << closed << "; staff log " << (*log)->path() << std::endl;
  }
  return kExitOk;
}

}  // namespace

void AddKioskCommands(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<KioskFlags>();
  CLI::App* cmd = app.add_subcommand(
      "kiosk",
      "ask \"How was today?\" on this terminal, one person after another; responses go through "
      "the outbox (a rating of 4-5 is stored as a compliment, 1-3 as a comment). Staff close it "
      "with Ctrl-D and the exit phrase (README), or SIGTERM; end of piped input also closes it");
  cmd->add_option("--source", flags->source, Choices<v1::Source>())->capture_default_str();
  cmd->add_option("--meeting", flags->meeting, Choices<v1::Meeting>());
  cmd->add_option("--service-area", flags->service_area, Choices<v1::ServiceArea>());
  cmd->add_option("--debounce-seconds", flags->debounce_seconds,
                  "ignore rating presses this soon after the last accepted one (0: none)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--thank-you-seconds", flags->thank_you_seconds,
                  "how long the thank-you stays when nobody presses Enter")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--retry-seconds", flags->retry_seconds,
                  "while answers wait in the outbox, how often to try sending them again")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 86400.0));
  cmd->add_option("--staff-log", flags->staff_log,
                  "file for the kiosk's technical lines (default: standard error, or kiosk.log "
                  "in the outbox folder when standard error is the kiosk's screen)");
  cmd->callback([&context, flags] { context.exit_code = RunKioskCommand(context, *flags); });
}

}  // namespace feedback::client
