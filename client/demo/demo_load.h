// `feedbackctl demo load`: the seed dataset (client/demo/seed_dataset.h) put into an empty
// store through the public API, so that a newcomer has a full 2018-19 Q2-Q4 to report on.
//
// The caller holds an admin token. The load refuses a store that already holds records
// (feedback, advocacy referrals, audits or oversight outcomes), writing nothing; otherwise it
// issues one short-lived token per role the generator needs (IssueToken), loads the quarters
// with them, approves the seed's quotes, and revokes every token it issued, on failure too.
//
// Example:
//   absl::StatusOr<DemoLoad> load = LoadDemo(admin_client, [](std::string_view line) {...});
//   if (load.ok()) std::cout << load->dataset.feedback.size() << " items\n";
#ifndef FEEDBACK_CLIENT_DEMO_DEMO_LOAD_H_
#define FEEDBACK_CLIENT_DEMO_DEMO_LOAD_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/demo/seed_dataset.h"
#include "client/lib/feedback_client.h"

namespace feedback::demo {

// What a successful load did. Plain value.
struct DemoLoad {
  SeedDataset dataset;
  // Ids of the tokens issued for the load; all revoked by the time LoadDemo returns.
  std::vector<std::string> token_ids;
  absl::Duration took;
};

// Loads the demo quarters through `admin` (a client whose token is an admin's), calling
// `progress` with a short line as each part is stored (may be null). Returns
// FAILED_PRECONDITION, having written nothing, if the store already holds records;
// PERMISSION_DENIED (from the server) if the token is not an admin's; the first failing call's
// status otherwise (the issued tokens are revoked all the same; a revocation that fails is
// added to the message).
[[nodiscard]] absl::StatusOr<DemoLoad> LoadDemo(const client::FeedbackClient& admin,
                                                std::function<void(std::string_view)> progress);

}  // namespace feedback::demo

#endif  // FEEDBACK_CLIENT_DEMO_DEMO_LOAD_H_
