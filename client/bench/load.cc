#include "client/bench/load.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "proto/vocabulary/quarter.h"
#include "proto/vocabulary/transport.h"

namespace feedback::client::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::array<std::pair<std::string_view, LoadMode>, 5> kModes = {{
    {"submit", LoadMode::kSubmit},
    {"get", LoadMode::kGet},
    {"list", LoadMode::kList},
    {"summary", LoadMode::kSummary},
    {"mix", LoadMode::kMix},
}};

// What families and partners write after a meeting, in the words they use: a submission is
// eight of these, about 540 bytes of text (600 on the wire with the other fields). Two in three
// name a theme of the lexicon, so a submission has about four themes (4.3 on average over the
// first 4,096), as the bench's eight fixed sentences had before it varied them; none is a
// safeguarding phrase, as few real submissions are.
constexpr std::array<std::string_view, 32> kSentences = {
    "The chair explained what the meeting was for before we started. ",
    "I was able to say what I wanted to say and people listened to me. ",
    "The report was sent to us two days before, so we had time to read it. ",
    "Everyone was kind, although it was hard to hear some of the worries. ",
    "I would like the plan to say more about help with school and getting there. ",
    "Thank you to the social worker, who kept us up to date every week. ",
    "It would help if the room was quieter and the meeting started on time. ",
    "My advocate helped me write down my wishes and read them out for me. ",
    "The meeting went on too long, but the chair made sure it stayed fair. ",
    "I did not understand some of the words, so the chair explained them. ",
    "Mum felt more at ease because her support worker could come with her. ",
    "We got the safety plan a week before, which made it easier to walk in. ",
    "The police and the school gave reports that were clear and helpful. ",
    "Nan wants to be consulted next time, as she does the school run. ",
    "The plan is clear now and we know who is doing what by the next review. ",
    "I could speak on the phone from school and not miss my maths lesson. ",
    "My foster carer sat next to me and that made it a lot less scary. ",
    "Dad could not get time off work, so please could it be after four. ",
    "Our interpreter was very good and we felt respected the whole time. ",
    "The health visitor's report had the wrong date of birth for the baby. ",
    "It felt fair, and they wrote down the things that are going well too. ",
    "I want to see my sister more often and they heard what I think. ",
    "The minutes took three weeks to come, so we could not check them. ",
    "Thank you for the snacks and the pens while the grown-ups talked. ",
    "The reviewing officer rang me beforehand to ask about my feelings. ",
    "There were too many people in a small room and it was very hot. ",
    "We agreed the contact plan, and we have been kept informed since. ",
    "I wish the meeting had been after school so I could play football. ",
    "The family support worker has been a real help in the mornings. ",
    "Please send the letters in large print, as my eyesight is poor now. ",
    "It was good to hear my views read out and my teacher was caring. ",
    "I was nervous at first, but everyone was kind and spoke to me. ",
};

constexpr std::array<v1::Source, 3> kSources = {v1::SOURCE_CHILD, v1::SOURCE_FAMILY,
                                                v1::SOURCE_PARTNER_AGENCY};
constexpr std::array<v1::Kind, 2> kKinds = {v1::KIND_COMPLIMENT, v1::KIND_COMMENT};
constexpr std::array<v1::Meeting, 3> kMeetings = {
    v1::MEETING_INITIAL_CP_CONFERENCE, v1::MEETING_REVIEW_CP_CONFERENCE, v1::MEETING_CLA_REVIEW};

constexpr int kIdsToRead = 500;

// One step of SplitMix64: a cheap, well-mixed number from a counter, so the bench's client spends
// next to nothing choosing a text (what it spends, every server it measures pays alike).
uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Submission `call_number`'s text: eight of kSentences, chosen and ordered by the call number
// (the same text for the same number in every run). Whole sentences, so each is tagged as a real
// one is; a different text nearly every call, as a server sees, where eight texts sent in turn
// let the CPU learn where their words end (docs/performance.md, seventeenth pass).
std::string BenchText(int64_t call_number) {
  std::array<uint8_t, kSentences.size()> order;
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint8_t>(i);
  uint64_t state = static_cast<uint64_t>(call_number);
  std::string text;
  text.reserve(640);
  for (size_t i = 0; i < 8; ++i) {  // the first eight of a Fisher-Yates shuffle
    const size_t pick = i + SplitMix64(state) % (order.size() - i);
    std::swap(order[i], order[pick]);
    text.append(kSentences[order[i]]);
  }
  return text;
}

enum class CallKind { kSubmit, kGet, kList, kSummary };

CallKind CallKindFor(LoadMode mode, int64_t call_number) {
  switch (mode) {
    case LoadMode::kSubmit:
      return CallKind::kSubmit;
    case LoadMode::kGet:
      return CallKind::kGet;
    case LoadMode::kList:
      return CallKind::kList;
    case LoadMode::kSummary:
      return CallKind::kSummary;
    case LoadMode::kMix:
      break;
  }
  switch (call_number % 10) {
    case 7:
      return CallKind::kGet;
    case 8:
      return CallKind::kList;
    case 9:
      return CallKind::kSummary;
    default:
      return CallKind::kSubmit;
  }
}

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

bool ReadsStoredItems(LoadMode mode) { return mode == LoadMode::kGet || mode == LoadMode::kMix; }

// One call in flight at a time, over and over: its own context and messages, and what its calls
// measured. Only the callback of its current call touches it, so it needs no lock.
struct Slot {
  const FeedbackClient* client = nullptr;  // whose connection its calls go on
  std::unique_ptr<grpc::ClientContext> context;
  CallKind kind = CallKind::kSubmit;
  Clock::time_point sent;
  v1::SubmitFeedbackRequest submit;
  v1::SubmitFeedbackResponse submitted;
  v1::GetFeedbackRequest get;
  v1::Feedback got;
  v1::ListFeedbackRequest list;
  v1::ListFeedbackResponse listed;
  v1::GetQuarterSummaryRequest summary;
  v1::QuarterSummary summarised;
  std::vector<double> latencies_ms;
  std::map<std::string, int64_t> errors;
  std::map<std::string, std::string> first_messages;
};

class LoadRun {
 public:
  // The slots are shared out evenly among `clients`, each slot's calls on one client's
  // connection. List and summary calls read `quarter`, the one today's submissions fall in.
  LoadRun(const std::vector<const FeedbackClient*>& clients, const LoadOptions& options,
          std::vector<std::string> ids, Quarter quarter)
      : options_(options), ids_(std::move(ids)), slots_(options.concurrency) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].client = clients[i * clients.size() / slots_.size()];
    }
    list_.set_financial_year(quarter.financial_year);
    list_.set_quarter(quarter.quarter);
    list_.set_tag(options.tag);
    summary_.set_financial_year(quarter.financial_year);
    summary_.set_quarter(quarter.quarter);
  }

  LoadResult Run() {
    const Clock::time_point start = Clock::now();
    {
      absl::MutexLock lock(&mutex_);
      running_slots_ = static_cast<int>(slots_.size());
    }
    for (Slot& slot : slots_) StartNextCall(slot);
    {
      absl::MutexLock lock(&mutex_);
      mutex_.Await(absl::Condition(
          +[](int* running) { return *running == 0; }, &running_slots_));
    }
    const std::chrono::duration<double> took = Clock::now() - start;
    return Gather(took.count());
  }

 private:
  // Sends the slot's next call, or retires the slot once every call has been claimed.
  void StartNextCall(Slot& slot) {
    const int64_t call_number = next_call_.fetch_add(1, std::memory_order_relaxed);
    if (call_number >= options_.count) {
      absl::MutexLock lock(&mutex_);
      --running_slots_;
      return;
    }
    slot.kind = CallKindFor(options_.mode, call_number);
    slot.context = slot.client->NewContext();
    // Requests are made before the clock starts: the latency is the call's alone.
    if (slot.kind == CallKind::kSubmit) slot.submit = BenchSubmission(call_number);
    if (slot.kind == CallKind::kGet) slot.get.set_id(ids_[call_number % ids_.size()]);
    auto done = [this, &slot](grpc::Status status) { Finished(slot, status); };
    v1::FeedbackService::Stub::async_interface* calls = slot.client->stub().async();
    grpc::ClientContext* context = slot.context.get();
    slot.sent = Clock::now();
    switch (slot.kind) {
      case CallKind::kSubmit:
        calls->SubmitFeedback(context, &slot.submit, &slot.submitted, std::move(done));
        break;
      case CallKind::kGet:
        calls->GetFeedback(context, &slot.get, &slot.got, std::move(done));
        break;
      case CallKind::kList:
        calls->ListFeedback(context, &list_, &slot.listed, std::move(done));
        break;
      case CallKind::kSummary:
        calls->GetQuarterSummary(context, &summary_, &slot.summarised, std::move(done));
        break;
    }
  }

  void Finished(Slot& slot, const grpc::Status& status) {
    const std::chrono::duration<double, std::milli> took = Clock::now() - slot.sent;
    if (status.ok()) {
      slot.latencies_ms.push_back(took.count());
    } else {
      CountFailure(absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
                   status.error_message(), slot.errors, slot.first_messages);
    }
    StartNextCall(slot);
  }

  LoadResult Gather(double seconds) {
    LoadResult result;
    result.calls = options_.count;
    result.seconds = seconds;
    for (Slot& slot : slots_) {
      result.latencies_ms.insert(result.latencies_ms.end(), slot.latencies_ms.begin(),
                                 slot.latencies_ms.end());
      for (const auto& [code, count] : slot.errors) result.errors[code] += count;
      result.first_messages.insert(slot.first_messages.begin(), slot.first_messages.end());
    }
    std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
    return result;
  }

  const LoadOptions options_;
  const std::vector<std::string> ids_;
  v1::ListFeedbackRequest list_;
  v1::GetQuarterSummaryRequest summary_;
  std::vector<Slot> slots_;
  std::atomic<int64_t> next_call_{0};
  absl::Mutex mutex_;
  int running_slots_ ABSL_GUARDED_BY(mutex_) = 0;
};

// Calls in flight on one connection at most: three quarters of the streams feedbackd lets a
// connection have open (proto/vocabulary/transport.h). At the limit itself, a call sent before
// the transport had counted the last one's stream closed would wait in the client; and beyond
// it, with every call on one connection, a server would never see more than the limit in
// flight, whatever --concurrency said (at C = 256 it saw 100: docs/performance.md, thirty-first
// pass).
constexpr int kCallsPerConnection = kMaxStreamsPerConnection * 3 / 4;

// The clients a load of `concurrency` calls in flight goes through: `client` itself when one
// connection carries them all, else as many clients of its settings as it takes, each with a
// connection of its own (kept in `own`), connected before the run so that no call waits for one.
// A server that cannot be reached fails their calls, as it fails one connection's.
std::vector<const FeedbackClient*> ConnectionsFor(
    const FeedbackClient& client, int concurrency,
    std::vector<std::unique_ptr<FeedbackClient>>& own) {
  const int connections = (concurrency + kCallsPerConnection - 1) / kCallsPerConnection;
  if (connections <= 1) return {&client};
  ClientOptions options = client.options();
  options.own_connection = true;
  std::vector<const FeedbackClient*> clients;
  // Once one connection is refused the rest are not tried: the run's calls then fail at once.
  bool reachable = true;
  for (int i = 0; i < connections; ++i) {
    own.push_back(std::make_unique<FeedbackClient>(options));
    reachable = reachable && own.back()->Connect(options.timeout);
    clients.push_back(own.back().get());
  }
  return clients;
}

// Up to kIdsToRead ids of stored items, newest first, for get calls to read.
absl::StatusOr<std::vector<std::string>> StoredIds(const FeedbackClient& client) {
  v1::ListFeedbackRequest request;
  request.set_page_size(kIdsToRead);
  absl::StatusOr<v1::ListFeedbackResponse> page = client.List(request);
  if (!page.ok()) return page.status();
  std::vector<std::string> ids;
  for (const v1::Feedback& item : page->feedback()) ids.push_back(item.id());
  if (ids.empty()) {
    return absl::FailedPreconditionError(
        "--mode get and --mode mix read stored feedback, and the server holds none yet: run "
        "`feedbackctl bench --mode submit` first");
  }
  return ids;
}

}  // namespace

absl::StatusOr<LoadMode> ParseLoadMode(std::string_view text) {
  for (const auto& [name, mode] : kModes) {
    if (text == name) return mode;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--mode: \"", std::string(text),
                   "\" is not a mode; one of: submit, get, list, summary, mix"));
}

std::string_view LoadModeName(LoadMode mode) {
  for (const auto& [name, each] : kModes) {
    if (each == mode) return name;
  }
  return "submit";
}

void CountFailure(const std::string& code, std::string_view message,
                  std::map<std::string, int64_t>& errors,
                  std::map<std::string, std::string>& first_messages) {
  if (errors[code]++ == 0) first_messages.emplace(code, message);
}

double LoadResult::ThroughputPerSecond() const {
  return seconds > 0 ? static_cast<double>(latencies_ms.size()) / seconds : 0;
}

double LoadResult::PercentileMs(double fraction) const {
  if (latencies_ms.empty()) return 0;
  const auto rank = static_cast<size_t>(std::ceil(fraction * latencies_ms.size()));
  return latencies_ms[std::clamp<size_t>(rank, 1, latencies_ms.size()) - 1];
}

LoadResult Pooled(const std::vector<LoadResult>& runs) {
  LoadResult pooled;
  for (const LoadResult& run : runs) {
    pooled.calls += run.calls;
    pooled.seconds += run.seconds;
    pooled.latencies_ms.insert(pooled.latencies_ms.end(), run.latencies_ms.begin(),
                               run.latencies_ms.end());
    for (const auto& [code, count] : run.errors) pooled.errors[code] += count;
    pooled.first_messages.insert(run.first_messages.begin(), run.first_messages.end());
  }
  std::sort(pooled.latencies_ms.begin(), pooled.latencies_ms.end());
  return pooled;
}

std::vector<BenchServer> RoundOrder(int round, bool http, bool ceilings) {
  std::vector<BenchServer> order = {BenchServer::kService};
  if (http) order.push_back(BenchServer::kHttp);
  if (ceilings) order.insert(order.end(), {BenchServer::kEcho, BenchServer::kCommit});
  if (round % 2 == 1) std::reverse(order.begin(), order.end());
  return order;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle),
                   values.end());
  if (values.size() % 2 == 1) return values[middle];
  const double upper = values[middle];
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return (lower + upper) / 2;
}

int64_t LoadResult::ErrorCount() const {
  int64_t total = 0;
  for (const auto& [code, count] : errors) total += count;
  return total;
}

CeilingRatios CeilingRatiosOf(const LoadResult& service, const LoadResult& echo,
                              const LoadResult& commit) {
  const double served = service.ThroughputPerSecond();
  return {
      .throughput_to_echo = Ratio(served, echo.ThroughputPerSecond()),
      .throughput_to_commit = Ratio(served, commit.ThroughputPerSecond()),
      .throughput_to_min_ceiling =
          Ratio(served, std::min(echo.ThroughputPerSecond(), commit.ThroughputPerSecond())),
      .p99_to_commit = Ratio(service.PercentileMs(0.99), commit.PercentileMs(0.99)),
      .p50_to_echo_plus_commit =
          Ratio(service.PercentileMs(0.5), echo.PercentileMs(0.5) + commit.PercentileMs(0.5)),
  };
}

DoorRatios DoorRatiosOf(const LoadResult& grpc, const LoadResult& http) {
  return {.http_to_grpc = Ratio(http.ThroughputPerSecond(), grpc.ThroughputPerSecond()),
          .http_p99_to_grpc = Ratio(http.PercentileMs(0.99), grpc.PercentileMs(0.99))};
}

ClientOptions CeilingClientOptions(const ClientOptions& service, const std::string& address) {
  ClientOptions options = service;
  options.server = address;
  options.token.assign(service.token.size(), 'x');
  options.tls_root_certs.clear();
  options.tls_client_cert.clear();
  options.tls_client_key.clear();
  return options;
}

v1::SubmitFeedbackRequest BenchSubmission(int64_t call_number) {
  v1::SubmitFeedbackRequest request;
  v1::Feedback* feedback = request.mutable_feedback();
  feedback->set_submission_id(NewSubmissionId());
  feedback->set_source(kSources[call_number % kSources.size()]);
  feedback->set_kind(kKinds[call_number % kKinds.size()]);
  feedback->set_meeting(kMeetings[call_number % kMeetings.size()]);
  feedback->set_rating(static_cast<int>(call_number % 5) + 1);
  feedback->set_text(BenchText(call_number));
  return request;
}

absl::StatusOr<LoadResult> RunLoad(const FeedbackClient& client, const LoadOptions& options) {
  if (options.concurrency < 1 || options.concurrency > 10000) {
    return absl::InvalidArgumentError("--concurrency: must be from 1 to 10000");
  }
  if (options.count < 1) return absl::InvalidArgumentError("--count: must be at least 1");
  std::vector<std::string> ids;
  if (ReadsStoredItems(options.mode)) {
    absl::StatusOr<std::vector<std::string>> stored = StoredIds(client);
    if (!stored.ok()) return stored.status();
    ids = *std::move(stored);
  }
  absl::StatusOr<QuarterCalendar> calendar = QuarterCalendar::Load();
  if (!calendar.ok()) return calendar.status();
  std::vector<std::unique_ptr<FeedbackClient>> own;
  LoadRun run(ConnectionsFor(client, options.concurrency, own), options, std::move(ids),
              calendar->QuarterOf(absl::Now()));
  return run.Run();
}

}  // namespace feedback::client::bench
