// feedbackctl kiosk: the "How was today?" kiosk on standard input and output (see kiosk.h).
// Every response goes into the offline outbox first (fsynced), then a background thread sends
// the outbox, so the screen never waits for the network and a kiosk without Wi-Fi keeps working.
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "client/cli/cli_common.h"
#include "client/lib/kiosk.h"
#include "client/lib/outbox.h"

namespace feedback::client {
namespace {

struct KioskFlags {
  std::string source = "child", meeting, service_area;
  double debounce_seconds = 3;
};

// Sends the outbox in the background whenever Poke() is called; Stop() sends it once more and
// waits. Thread-safe.
class BackgroundFlusher {
 public:
  BackgroundFlusher(const FeedbackClient& client, const Outbox& outbox)
      : client_(client), outbox_(outbox), thread_([this] { Loop(); }) {}
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
      wake_.wait(lock, [this] { return poked_ || stopping_; });
      if (stopping_) return;
      poked_ = false;
      lock.unlock();
      FlushOnce();
      lock.lock();
    }
  }

  void FlushOnce() {
    absl::StatusOr<FlushResult> result = outbox_.Flush(client_, /*wait_for_lock=*/true);
    if (!result.ok()) {
      std::cerr << "kiosk: outbox: " << result.status().message() << std::endl;
      return;
    }
    if (result->sent > 0 || result->rejected > 0) {
      std::cerr << "kiosk: outbox: " << DescribeFlush(*result) << std::endl;
    }
    if (!result->stopped.ok()) {
      std::cerr << "kiosk: server not reached (" << result->stopped.message() << "); "
                << result->pending << " response(s) kept on this device" << std::endl;
    }
  }

  const FeedbackClient& client_;
  const Outbox& outbox_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;     // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
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

  absl::StatusOr<FeedbackClient> client = MakeClient(context);
  if (!client.ok()) return Report(client.status());
  absl::StatusOr<Outbox> outbox = OutboxForServer(context.outbox, context.server);
  if (!outbox.ok()) return Report(outbox.status());

  BackgroundFlusher flusher(*client, *outbox);
  flusher.Poke();  // anything left from an earlier session
  // The kiosk's own screen (its prompts and the clear-screen sequence) is written exactly; it
  // shows nothing that came from the server.
  const int responses =
      RunKiosk(std::cin, ExactStdout(), options, [&](const v1::Feedback& feedback) -> absl::Status {
        absl::StatusOr<std::string> queued = outbox->Add(feedback);
        if (queued.ok()) {
          flusher.Poke();
          return absl::OkStatus();
        }
        // The disk failed: try the server directly rather than lose the response.
        std::cerr << "kiosk: " << queued.status().message() << std::endl;
        absl::StatusOr<v1::SubmitFeedbackResponse> sent = client->Submit(feedback);
        return sent.ok() ? absl::OkStatus() : sent.status();
      });
  flusher.Stop();
  std::cerr << "kiosk: " << responses << " response(s) this session" << std::endl;
  return kExitOk;
}

}  // namespace

void AddKioskCommands(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<KioskFlags>();
  CLI::App* cmd = app.add_subcommand(
      "kiosk",
      "ask \"How was today?\" on this terminal, one person after another, until end of input or "
      "\"quit\"; responses go through the outbox (a rating of 4-5 is stored as a compliment, "
      "1-3 as a comment)");
  cmd->add_option("--source", flags->source, Choices<v1::Source>())->capture_default_str();
  cmd->add_option("--meeting", flags->meeting, Choices<v1::Meeting>());
  cmd->add_option("--service-area", flags->service_area, Choices<v1::ServiceArea>());
  cmd->add_option("--debounce-seconds", flags->debounce_seconds,
                  "ignore rating presses this soon after the last accepted one (0: none)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&context, flags] { context.exit_code = RunKioskCommand(context, *flags); });
}

}  // namespace feedback::client
