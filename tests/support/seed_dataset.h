// The 2018-19 seed dataset for tests: the generator of `feedbackctl demo load`
// (client/demo/seed_dataset.h), run against a test server with its per-role test tokens.
//
// Example:
//   absl::StatusOr<SeedDataset> seed = GenerateSeedDataset(server());
//   ASSERT_OK(seed);
//   v1::QuarterSummary want = seed->Planned(2018, 3);
#ifndef FEEDBACK_TESTS_SUPPORT_SEED_DATASET_H_
#define FEEDBACK_TESTS_SUPPORT_SEED_DATASET_H_

#include "absl/status/statusor.h"
#include "client/demo/seed_dataset.h"
#include "tests/support/server_process.h"

namespace feedback::testing {

using demo::kChildStatementQuotes;
using demo::kFamilyQuotes;
using demo::kPartnerQuotes;
using demo::PlannedComplaint;
using demo::SeedDataset;

// Builds the dataset on `server` (a fresh, empty store with the built-in lexicon and no advocacy
// eligibility limits), each call with the server's test token of the role the generator asks
// for. Returns the generator's error.
[[nodiscard]] absl::StatusOr<SeedDataset> GenerateSeedDataset(const ServerProcess& server);

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_SEED_DATASET_H_
