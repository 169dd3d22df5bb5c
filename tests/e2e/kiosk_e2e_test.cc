// Black-box tests of `feedbackctl kiosk`: standard input stands in for the tablet's buttons.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/lib/kiosk.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/server_process.h"
#include "tests/support/server_test.h"
#include "tests/support/test_support.h"

namespace feedback::testing {
namespace {
namespace kiosk_e2e_test {

using ::testing::HasSubstr;

std::vector<v1::Feedback> ListAll(const ServerProcess& server) {
  std::vector<v1::Feedback> all = ListAllFeedback(server);
  // Oldest first, in the order the kiosk took them.
  std::reverse(all.begin(), all.end());
  return all;
}

// `token_file` holds a kiosk token.
CommandResult Kiosk(const std::string& server, const std::string& token_file,
                    const std::string& outbox, const std::vector<std::string>& flags,
                    const std::string& input) {
  std::vector<std::string> argv = {
      FEEDBACKCTL_PATH, "--server",   server, "--token-file", token_file,  "--outbox",
      outbox,           "--timeout",  "1",    "kiosk",        "--meeting", "cla-review",
      "--service-area", "social-care"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return RunCommand(argv, input);
}

int Pending(const std::string& server, const std::string& outbox) {
  const CommandResult result = RunCommand(
      {FEEDBACKCTL_PATH, "--server", server, "--outbox", outbox, "--json", "outbox", "status"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  google::protobuf::Struct status;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &status).ok()) << result.out;
  return static_cast<int>(status.fields().at("pending").number_value());
}

using KioskEndToEnd = ServerTest;

// A child taps 5 again and again around one answer: one stored response. (All the input arrives
// within the default 3 s debounce of the first press.)
TEST_F(KioskEndToEnd, RapidPressesAroundOneAnswerStoreOneResponse) {
  const std::string address = server().address();
  const CommandResult result =
      Kiosk(address, server().TokenFile(v1::ROLE_KIOSK), dir().Sub("outbox"), {},
            "5\n5\n5\n5\n5\nThe chair listened\ny\n5\n5\n5\n5\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr(client::kKioskRatingPrompt));
  EXPECT_THAT(result.out, HasSubstr(client::kKioskRatingChoices));
  EXPECT_THAT(result.out, HasSubstr(client::kKioskCommentPrompt));
  EXPECT_THAT(result.out, HasSubstr(client::kKioskConsentPrompt));
  EXPECT_THAT(result.out, HasSubstr(client::kClearScreen));

  const std::vector<v1::Feedback> stored = ListAll(server());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].rating(), 5);
  EXPECT_EQ(stored[0].kind(), v1::KIND_COMPLIMENT);
  EXPECT_EQ(stored[0].source(), v1::SOURCE_CHILD);
  EXPECT_EQ(stored[0].meeting(), v1::MEETING_CLA_REVIEW);
  EXPECT_EQ(stored[0].service_area(), v1::SERVICE_AREA_SOCIAL_CARE);
  EXPECT_EQ(stored[0].text(), "The chair listened");
  EXPECT_TRUE(stored[0].consent_to_quote());
  EXPECT_EQ(Pending(address, dir().Sub("outbox")), 0);
}

// Without a debounce, every answered set of questions is one stored item; "quit" is only
// words (a respondent cannot leave), and the end of input stores the one in progress.
TEST_F(KioskEndToEnd, EachResponseIsStoredOnce) {
  const std::string address = server().address();
  const CommandResult result =
      Kiosk(address, server().TokenFile(v1::ROLE_KIOSK), dir().Sub("outbox"),
            {"--debounce-seconds", "0", "--source", "family"}, "4\n\n2\nToo long\nn\n1\nquit\n5\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const std::vector<v1::Feedback> stored = ListAll(server());
  ASSERT_EQ(stored.size(), 3u);
  std::vector<int> ratings;
  for (const v1::Feedback& f : stored) ratings.push_back(f.rating());
  std::sort(ratings.begin(), ratings.end());
  EXPECT_EQ(ratings, (std::vector<int>{1, 2, 4}));
  for (const v1::Feedback& f : stored) {
    EXPECT_EQ(f.source(), v1::SOURCE_FAMILY);
    EXPECT_EQ(f.kind(), f.rating() >= 4 ? v1::KIND_COMPLIMENT : v1::KIND_COMMENT);
    EXPECT_EQ(f.text(), f.rating() == 2 ? "Too long" : f.rating() == 1 ? "quit" : "");
    EXPECT_FALSE(f.consent_to_quote());
  }
}

// No Wi-Fi: the kiosk carries on and keeps every response on the device.
TEST_F(KioskEndToEnd, ServerDownKeepsResponsesInTheOutbox) {
  const std::string address = ClosedPortAddress();
  // The kiosk never reaches a server, so its token is never checked.
  const std::string token_file = dir().Sub("kiosk.token");
  std::ofstream(token_file) << "fbk_never_checked\n";

  const CommandResult result = Kiosk(address, token_file, dir().Sub("outbox"),
                                     {"--debounce-seconds", "0"}, "3\nok\nn\n5\nbrilliant\ny\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Thank you!"));
  EXPECT_THAT(result.err, HasSubstr("kept on this device"));
  EXPECT_EQ(Pending(address, dir().Sub("outbox")), 2);
}

}  // namespace kiosk_e2e_test
}  // namespace
}  // namespace feedback::testing
