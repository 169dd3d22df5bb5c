// The narrative of the seed's Q3 2018-19 report (/work/shared/seed/000_79bf287e92f3309d.txt):
// the review of Q2's next steps, the external review, the advocacy pilot's description and
// recommendations, and the Q4 next steps, in the seed's own words, one bullet a line. Loaded
// through the public API (SetNarrative), so the demo loader can use it as the tests do.
//
// Example:
//   ASSERT_OK(LoadSeedNarrative(*server->NewStub(), server->token(v1::ROLE_QA_MANAGER)));
#ifndef FEEDBACK_CLIENT_DEMO_SEED_NARRATIVE_H_
#define FEEDBACK_CLIENT_DEMO_SEED_NARRATIVE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "feedback/v1/feedback.grpc.pb.h"

namespace feedback::testing {

// The seed quarter: 2018-19 Q3.
inline constexpr int kSeedNarrativeYear = 2018;
inline constexpr int kSeedNarrativeQuarter = 3;

// Each section of the seed's narrative with its text, in report order.
const std::vector<std::pair<v1::NarrativeSection, std::string>>& SeedNarrative();

// Stores SeedNarrative() for 2018-19 Q3 through `stub`, one SetNarrative per section, each with a
// new submission id; `qa_manager_token` (empty: the stub's own credentials) goes in the call's
// authorization metadata as a bearer token. Returns the first failing call's status, naming it.
[[nodiscard]] absl::Status LoadSeedNarrative(v1::FeedbackService::Stub& stub,
                                             std::string_view qa_manager_token);

}  // namespace feedback::testing

#endif  // FEEDBACK_CLIENT_DEMO_SEED_NARRATIVE_H_
