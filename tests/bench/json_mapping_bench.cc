// What protobuf's JSON mapping costs a submission through the HTTP door, against the binary
// form the gRPC door uses: reading the request `feedbackctl bench --mode submit --http` sends,
// writing the reply feedbackd gives it, and writing that request (the bench client's own work).
//
//   build/tests/bench/feedback_json_mapping_bench [--calls 20000] [--rounds 9] [--only TEXT]
//
// Each conversion is timed three ways: protobuf's own functions (JsonStringToMessage,
// MessageToJsonString), feedback::JsonToMessage and MessageToJson (proto/vocabulary/json_mapping.h:
// the same conversions with the type descriptions kept), and the binary parse or serialisation;
// a request is also read as the gRPC door reads it (feedback::ParseRequest: the UTF-8 check,
// the parse and the check for fields only the server sets), and its feedback checked for those
// fields as the core checks every submission (feedback::CheckNoServerSetFields).
// Each round times --calls calls of each, cycling through eight submissions; prints the median,
// fastest and slowest round in µs per call. One thread: run it on a quiet machine. --only
// "feedback::JsonToMessage" times just that one, for `perf record`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "client/bench/load.h"
#include "feedback/v1/feedback.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/json_mapping.h"
#include "service/core/request_parse.h"
#include "service/domain/server_fields.h"

namespace feedback::bench {
namespace {

namespace v1 = ::feedback::v1;
using Clock = std::chrono::steady_clock;
using google::protobuf::util::TimeUtil;

constexpr int kSamples = 8;

// What feedbackd answers a bench submission with: the record as stored, with the fields the
// server sets: its kind's tag and four themes (the bench's texts average 4.28).
v1::SubmitFeedbackResponse ReplyTo(const v1::SubmitFeedbackRequest& request, int n) {
  v1::SubmitFeedbackResponse reply;
  v1::Feedback& stored = *reply.mutable_feedback();
  stored = request.feedback();
  stored.set_id("fb_01JEXAMPLE" + std::to_string(100000 + n));
  *stored.mutable_received_at() = TimeUtil::SecondsToTimestamp(1764000000 + n);
  *stored.mutable_occurred_at() = stored.received_at();
  for (const char* tag :
       {"compliment", "communication", "listened_to", "support", "views_of_child"})
    stored.add_tags(tag);
  stored.set_submitter_role(v1::ROLE_QA_MANAGER);
  return reply;
}

struct Samples {
  std::vector<v1::SubmitFeedbackRequest> requests;
  std::vector<std::string> request_json;
  std::vector<std::string> request_binary;
  std::vector<v1::SubmitFeedbackResponse> replies;
};

Samples MakeSamples() {
  Samples samples;
  for (int n = 0; n < kSamples; ++n) {
    v1::SubmitFeedbackRequest request = client::bench::BenchSubmission(n);
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(request, &json);
    samples.request_json.push_back(std::move(json));
    samples.request_binary.push_back(request.SerializeAsString());
    samples.replies.push_back(ReplyTo(request, n));
    samples.requests.push_back(std::move(request));
  }
  return samples;
}

// The µs per call of `calls` calls of `each(n)`, n cycling through the samples.
double MicrosPerCall(int calls, const std::function<bool(int)>& each, size_t& failures) {
  const Clock::time_point began = Clock::now();
  for (int i = 0; i < calls; ++i) failures += each(i % kSamples) ? 0 : 1;
  const std::chrono::duration<double, std::micro> took = Clock::now() - began;
  return took.count() / calls;
}

struct Measured {
  const char* what;
  std::function<bool(int)> each;
  std::vector<double> rounds = {};
};

std::vector<Measured> Conversions(const Samples& samples) {
  using google::protobuf::util::JsonParseOptions;
  using google::protobuf::util::JsonPrintOptions;
  namespace pbu = google::protobuf::util;
  const auto& s = samples;
  return {
      {"read request: protobuf JsonStringToMessage",
       [&s](int n) {
         v1::SubmitFeedbackRequest read;
         return pbu::JsonStringToMessage(s.request_json[n], &read, JsonParseOptions()).ok();
       }},
      {"read request: feedback::JsonToMessage",
       [&s](int n) {
         v1::SubmitFeedbackRequest read;
         return JsonToMessage(s.request_json[n], read, JsonParseOptions()).ok();
       }},
      {"read request: binary ParseFromString",
       [&s](int n) {
         v1::SubmitFeedbackRequest read;
         return read.ParseFromString(s.request_binary[n]);
       }},
      {"read request: feedback::ParseRequest",
       [&s](int n) {
         v1::SubmitFeedbackRequest read;
         return ParseRequest(s.request_binary[n], read).ok();
       }},
      {"check request: feedback::CheckNoServerSetFields",
       [&s](int n) { return CheckNoServerSetFields(s.requests[n].feedback(), "feedback").ok(); }},
      {"write reply: protobuf MessageToJsonString",
       [&s](int n) {
         std::string json;
         return pbu::MessageToJsonString(s.replies[n], &json, JsonPrintOptions()).ok();
       }},
      {"write reply: feedback::MessageToJson",
       [&s](int n) {
         std::string json;
         return MessageToJson(s.replies[n], json, JsonPrintOptions()).ok();
       }},
      {"write reply: binary SerializeToString",
       [&s](int n) {
         std::string binary;
         return s.replies[n].SerializeToString(&binary);
       }},
      {"write request: protobuf MessageToJsonString",
       [&s](int n) {
         std::string json;
         return pbu::MessageToJsonString(s.requests[n], &json, JsonPrintOptions()).ok();
       }},
      {"write request: feedback::MessageToJson",
       [&s](int n) {
         std::string json;
         return MessageToJson(s.requests[n], json, JsonPrintOptions()).ok();
       }},
  };
}

void PrintRounds(const Measured& measured) {
  std::vector<double> rounds = measured.rounds;
  std::sort(rounds.begin(), rounds.end());
  std::printf("%-44s median %7.2f µs per call (fastest %.2f, slowest %.2f)\n", measured.what,
              rounds[rounds.size() / 2], rounds.front(), rounds.back());
}

int Run(int calls, int rounds, const std::string& only) {
  const Samples samples = MakeSamples();
  std::vector<Measured> conversions = Conversions(samples);
  std::erase_if(conversions, [&only](const Measured& measured) {
    return std::string_view(measured.what).find(only) == std::string_view::npos;
  });
  size_t failures = 0;
  for (int round = 0; round < rounds; ++round) {
    for (Measured& measured : conversions) {
      measured.rounds.push_back(MicrosPerCall(calls, measured.each, failures));
    }
  }
  std::printf(
      "requests of %zu bytes as JSON, %zu as binary; replies of %zu bytes as binary; "
      "%d calls a round, %d rounds\n",
      samples.request_json[0].size(), samples.request_binary[0].size(),
      samples.replies[0].ByteSizeLong(), calls, rounds);
  for (const Measured& measured : conversions) PrintRounds(measured);
  if (failures != 0) std::fprintf(stderr, "json_mapping_bench: %zu calls failed\n", failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace feedback::bench

int main(int argc, char** argv) {
  CLI::App app{"protobuf's JSON mapping against binary, µs per call on the submit bench's calls"};
  int calls = 20'000;
  int rounds = 9;
  app.add_option("--calls", calls, "calls a round")->check(CLI::Range(1, 100'000'000));
  app.add_option("--rounds", rounds, "rounds")->check(CLI::Range(1, 1000));
  std::string only;
  app.add_option("--only", only, "only the conversions whose name holds this, to profile one");
  CLI11_PARSE(app, argc, argv);
  return feedback::bench::Run(calls, rounds, only);
}
