#include "client/demo/demo_load.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/demo/seed_narrative.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"

namespace feedback::demo {
namespace {

using google::protobuf::util::TimeUtil;

// How long an issued token lives if its revocation is lost (a crash between issue and revoke).
constexpr absl::Duration kTokenLifetime = absl::Hours(1);
constexpr char kDeviceName[] = "feedbackctl demo load";

// Tokens issued through the admin's IssueToken on first use, one per role, and revoked by
// RevokeAll. Not thread-safe.
class IssuedTokens final : public SeedCredentials {
 public:
  explicit IssuedTokens(const client::FeedbackClient& admin) : admin_(admin) {}

  absl::StatusOr<std::string> TokenFor(v1::Role role) override {
    if (auto it = secrets_.find(role); it != secrets_.end()) return it->second;
    v1::IssueTokenRequest request;
    request.set_role(role);
    request.set_device_name(kDeviceName);
    *request.mutable_expires_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now() + kTokenLifetime));
    ASSIGN_OR_RETURN(const v1::IssueTokenResponse issued,
                     admin_.Call(&v1::FeedbackService::Stub::IssueToken, request));
    ids_.push_back(issued.token().id());
    secrets_[role] = issued.secret();
    return issued.secret();
  }

  // Revokes every token issued; returns the first failure (naming the token), having tried all.
  absl::Status RevokeAll() {
    absl::Status first = absl::OkStatus();
    for (const std::string& id : ids_) {
      v1::RevokeTokenRequest request;
      request.set_id(id);
      absl::StatusOr<v1::Token> revoked =
          admin_.Call(&v1::FeedbackService::Stub::RevokeToken, request);
      if (!revoked.ok() && first.ok()) {
        first = absl::Status(revoked.status().code(),
                             absl::StrCat("revoking demo token ", id,
                                          " (revoke it with `feedbackctl admin token revoke ", id,
                                          "`): ", revoked.status().message()));
      }
    }
    secrets_.clear();
    return first;
  }

  const std::vector<std::string>& ids() const { return ids_; }

 private:
  const client::FeedbackClient& admin_;
  std::map<v1::Role, std::string> secrets_;
  std::vector<std::string> ids_;
};

// OK if the store holds no records; FAILED_PRECONDITION saying how many it holds otherwise.
absl::Status RequireEmptyStore(const client::FeedbackClient& admin) {
  ASSIGN_OR_RETURN(
      const v1::VerifyCountersResponse verified,
      admin.Call(&v1::FeedbackService::Stub::VerifyCounters, v1::VerifyCountersRequest()));
  if (verified.records_examined() == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the store already holds ", verified.records_examined(),
      " records (feedback, referrals, audits or oversight outcomes); demo load only fills an "
      "empty store, so nothing was written: start feedbackd on a fresh --data-dir for the "
      "demo"));
}

// `dataset`, once the seed report's narrative (Q2 next steps reviewed, the pilot, its
// recommendations, Q4 next steps) is set on 2018-19 Q3 as a qa_manager.
absl::StatusOr<SeedDataset> WithSeedNarrative(const client::FeedbackClient& admin,
                                              IssuedTokens& tokens, SeedDataset dataset) {
  ASSIGN_OR_RETURN(const std::string qa_manager, tokens.TokenFor(v1::ROLE_QA_MANAGER));
  RETURN_IF_ERROR(testing::LoadSeedNarrative(admin.stub(), qa_manager));
  return dataset;
}

}  // namespace

absl::StatusOr<DemoLoad> LoadDemo(const client::FeedbackClient& admin,
                                  std::function<void(std::string_view)> progress) {
  const absl::Time start = absl::Now();
  RETURN_IF_ERROR(RequireEmptyStore(admin));
  IssuedTokens tokens(admin);
  SeedOptions options;
  options.progress = std::move(progress);
  options.approve_quotes = true;
  absl::StatusOr<SeedDataset> dataset = GenerateSeedDataset(admin.stub(), tokens, options);
  if (dataset.ok()) dataset = WithSeedNarrative(admin, tokens, *std::move(dataset));
  const std::vector<std::string> ids = tokens.ids();
  const absl::Status revoked = tokens.RevokeAll();
  if (!dataset.ok()) {
    if (revoked.ok()) return dataset.status();
    return absl::Status(dataset.status().code(),
                        absl::StrCat(dataset.status().message(), "; ", revoked.message()));
  }
  RETURN_IF_ERROR(revoked);
  return DemoLoad{.dataset = *std::move(dataset), .token_ids = ids, .took = absl::Now() - start};
}

}  // namespace feedback::demo
