// SIGHUP to the real server: the lexicon named in its configuration file is read again and
// tags the next submission, with no restart and nothing refused meanwhile; a lexicon that does
// not parse is refused by name and the one in use stays.
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/lib/feedback_client.h"
#include "gmock/gmock.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace reload_e2e_test {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

std::string DefaultLexicon() {
  std::ifstream file(std::string(FEEDBACK_SOURCE_DIR) + "/service/domain/data/default-lexicon.txt");
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// The default lexicon with one more theme.
std::string WithZebraTheme() {
  return absl::StrReplaceAll(DefaultLexicon(),
                             {{"[themes]\n", "[themes]\nroad_safety: zebra crossing\n"}});
}

// Blocks until `file` (the server's stderr) holds `needle`, woken by inotify as it grows;
// false after 30 s.
bool AwaitInFile(const std::string& file, const std::string& needle,
                 const std::function<std::string()>& contents) {
  const int watch = inotify_init1(IN_CLOEXEC);
  if (watch < 0) return false;
  inotify_add_watch(watch, file.c_str(), IN_MODIFY);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool found = contents().find(needle) != std::string::npos;
  while (!found && std::chrono::steady_clock::now() < deadline) {
    pollfd changed{watch, POLLIN, 0};
    if (poll(&changed, 1, 1000) > 0) {
      char events[4096];  // drained: what matters is what the file now holds
      if (read(watch, events, sizeof events) < 0) break;
    }
    found = contents().find(needle) != std::string::npos;
  }
  close(watch);
  return found;
}

std::vector<std::string> TagsOfNew(v1::FeedbackService::Stub& stub, const std::string& text) {
  v1::SubmitFeedbackRequest request;
  v1::Feedback& item = *request.mutable_feedback();
  item.set_submission_id(client::NewSubmissionId());
  item.set_source(v1::SOURCE_FAMILY);
  item.set_kind(v1::KIND_COMMENT);
  item.set_meeting(v1::MEETING_CLA_REVIEW);
  item.set_text(text);
  grpc::ClientContext context;
  v1::SubmitFeedbackResponse response;
  const grpc::Status status = stub.SubmitFeedback(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.feedback().tags().begin(), response.feedback().tags().end()};
}

using ReloadTest = DeferredServerTest;

TEST_F(ReloadTest, SighupReadsTheLexiconAgainAndKeepsTheOldOneWhenTheNewOneIsBroken) {
  const std::string lexicon = dir().Sub("lexicon.txt");
  std::ofstream(lexicon) << DefaultLexicon();
  ASSERT_OK(StartServer({.files = {{"--config", absl::StrCat("lexicon = \"", lexicon, "\"\n")}}}));
  const std::string stderr_file = data_dir() + ".stderr";
  auto log = [this] { return server().Stderr(); };
  EXPECT_THAT(TagsOfNew(stub(), "we crossed at the zebra crossing"), Not(Contains("road_safety")));

  std::ofstream(lexicon) << WithZebraTheme();
  ASSERT_EQ(kill(server().pid(), SIGHUP), 0);
  ASSERT_TRUE(AwaitInFile(stderr_file, "SIGHUP: reloaded", log)) << server().Stderr();
  EXPECT_THAT(server().Stderr(), HasSubstr(lexicon));
  EXPECT_THAT(TagsOfNew(stub(), "we crossed at the zebra crossing"), Contains("road_safety"));

  std::ofstream(lexicon) << "[themes]\nthis line has no colon\n";
  ASSERT_EQ(kill(server().pid(), SIGHUP), 0);
  ASSERT_TRUE(AwaitInFile(stderr_file, "SIGHUP: nothing reloaded", log)) << server().Stderr();
  EXPECT_THAT(server().Stderr(), HasSubstr("lexicon.txt"));
  EXPECT_THAT(TagsOfNew(stub(), "the zebra crossing again"), Contains("road_safety"));
}

}  // namespace reload_e2e_test
}  // namespace
}  // namespace feedback::testing
