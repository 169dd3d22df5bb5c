// feedback_crash_campaign: N rounds of start feedbackd, drive a mixed concurrent load
// (submissions, complaint decisions, advocacy referrals and their updates, erasures, audited
// reads, backups), SIGKILL it at a random moment (some rounds while an erasure's scrub or a
// backup is under way), restart on the same store and check:
//   - every acknowledged write is there exactly once: submissions (listed once, same words),
//     complaint decisions, referrals and their progress, erasures (the words gone), the audit
//     entry of every acknowledged read, every acknowledged backup (and the latest verifies);
//   - nothing unacknowledged is half-applied: every stored item is one the campaign sent, whole,
//     and `admin verify` finds every counter equal to a recount of the records.
// Exit 0 when every round passed; 1 at the first round with a violation, listing them.
//
//   feedback_crash_campaign --rounds 200 --seed 1     # docs/operations.md has its result
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/lib/feedback_client.h"
#include "grpcpp/client_context.h"
#include "proto/vocabulary/roles.h"
#include "tests/support/server_process.h"
#include "tests/support/test_support.h"

namespace feedback::crash {
namespace {

using testing::ServerProcess;
using Stub = v1::FeedbackService::Stub;

// Where the kill lands in a round.
enum class KillMoment { kAfterAcknowledgements, kDuringErasure, kDuringBackup };

const char* Describe(KillMoment moment) {
  switch (moment) {
    case KillMoment::kAfterAcknowledgements:
      return "mid-load";
    case KillMoment::kDuringErasure:
      return "while an erasure is scrubbing";
    case KillMoment::kDuringBackup:
      return "while a backup is copying";
  }
  return "";
}

// Everything the campaign sent and everything the server acknowledged, across rounds.
struct Ledger {
  absl::Mutex mutex;
  std::map<std::string, v1::Feedback> attempted ABSL_GUARDED_BY(mutex);    // by submission_id
  std::map<std::string, std::string> acknowledged ABSL_GUARDED_BY(mutex);  // -> fb_ id
  std::vector<std::string> open_complaints ABSL_GUARDED_BY(mutex);  // acknowledged, undecided
  std::set<std::string> decided ABSL_GUARDED_BY(mutex);             // complaint ids
  std::vector<std::string> erasable ABSL_GUARDED_BY(mutex);  // acknowledged compliments/comments
  std::set<std::string> erased ABSL_GUARDED_BY(mutex);
  std::set<std::string> referrals ABSL_GUARDED_BY(mutex);   // ar_ ids
  std::set<std::string> progressed ABSL_GUARDED_BY(mutex);  // ar_ ids
  std::set<std::string> read ABSL_GUARDED_BY(mutex);        // fb_ ids read, so audited
  int backups = 0 ABSL_GUARDED_BY(mutex);
  // This round: acknowledgements, and calls under way that a kill may land in.
  int acks_this_round ABSL_GUARDED_BY(mutex) = 0;
  int erasures_in_flight ABSL_GUARDED_BY(mutex) = 0;
  int backups_in_flight ABSL_GUARDED_BY(mutex) = 0;
  int acknowledged_writes ABSL_GUARDED_BY(mutex) = 0;  // of every kind, every round
};

// One round's tokens: those issued on the first start stay valid in the store, and the same
// submitter must retry with the same token for a replay to be recognised.
using Tokens = std::map<v1::Role, std::string>;

std::unique_ptr<Stub> StubFor(const ServerProcess& server, const Tokens& tokens, v1::Role role) {
  return v1::FeedbackService::NewStub(testing::ChannelWithToken(server.address(), tokens.at(role)));
}

grpc::ClientContext* WithDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return &context;
}

v1::Feedback NewItem(std::mt19937& random, int round) {
  static constexpr v1::Source kSources[] = {v1::SOURCE_CHILD, v1::SOURCE_FAMILY,
                                            v1::SOURCE_PARTNER_AGENCY, v1::SOURCE_ADVOCATE};
  static constexpr v1::Kind kKinds[] = {v1::KIND_COMPLIMENT, v1::KIND_COMMENT, v1::KIND_COMPLAINT};
  v1::Feedback item;
  item.set_submission_id(client::NewSubmissionId());
  item.set_source(kSources[random() % 4]);
  item.set_kind(kKinds[random() % 3]);
  item.set_meeting(random() % 2 == 0 ? v1::MEETING_CLA_REVIEW : v1::MEETING_INITIAL_CP_CONFERENCE);
  item.set_rating(static_cast<int>(random() % 6));
  item.set_text(absl::StrCat("round ", round, ": the chair listened and explained the plan ",
                             item.submission_id()));
  return item;
}

// Each worker loops until a call fails: the server has been killed.
class Workers {
 public:
  Workers(const ServerProcess& server, const Tokens& tokens, Ledger& ledger, int round,
          const std::string& backup_dir, unsigned seed)
      : server_(server),
        tokens_(tokens),
        ledger_(ledger),
        round_(round),
        backup_dir_(backup_dir),
        seed_(seed) {}

  void Start() {
    for (int i = 0; i < 3; ++i) threads_.emplace_back([this, i] { Submit(i); });
    threads_.emplace_back([this] { DecideComplaints(); });
    threads_.emplace_back([this] { Refer(); });
    threads_.emplace_back([this] { Erase(); });
    threads_.emplace_back([this] { Read(); });
    threads_.emplace_back([this] { BackUp(); });
  }
  void Join() {
    for (std::thread& thread : threads_) thread.join();
  }

 private:
  void Acknowledged() ABSL_EXCLUSIVE_LOCKS_REQUIRED(ledger_.mutex) {
    ++ledger_.acks_this_round;
    ++ledger_.acknowledged_writes;
  }

  // Sends one new item; false once the server is gone.
  bool SubmitOne(Stub& stub, std::mt19937& random) {
    v1::SubmitFeedbackRequest request;
    *request.mutable_feedback() = NewItem(random, round_);
    const v1::Feedback& item = request.feedback();
    {
      absl::MutexLock lock(&ledger_.mutex);
      ledger_.attempted[item.submission_id()] = item;
    }
    grpc::ClientContext context;
    v1::SubmitFeedbackResponse response;
    if (!stub.SubmitFeedback(WithDeadline(context), request, &response).ok()) return false;
    absl::MutexLock lock(&ledger_.mutex);
    ledger_.acknowledged[item.submission_id()] = response.feedback().id();
    if (item.kind() == v1::KIND_COMPLAINT) {
      ledger_.open_complaints.push_back(response.feedback().id());
    } else {
      ledger_.erasable.push_back(response.feedback().id());
    }
    Acknowledged();
    return true;
  }

  void Submit(int worker) {
    std::mt19937 random(seed_ + static_cast<unsigned>(worker));
    auto stub = StubFor(server_, tokens_, v1::ROLE_ADVOCATE);
    while (SubmitOne(*stub, random)) {
    }
  }

  // Takes a value from `pool` (empty: none yet).
  std::string Take(std::vector<std::string>& pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(ledger_.mutex) {
    if (pool.empty()) return "";
    std::string taken = std::move(pool.back());
    pool.pop_back();
    return taken;
  }

  // Until the server is gone: `pick` (under the ledger's lock) an id to work on, and `use` it
  // (false once a call fails); while there is nothing to pick, submit new items instead, which
  // also finds out when the server is gone.
  void WorkOn(unsigned seed, const std::function<std::string()>& pick,
              const std::function<bool(const std::string&)>& use) {
    std::mt19937 random(seed);
    auto advocate = StubFor(server_, tokens_, v1::ROLE_ADVOCATE);
    for (;;) {
      std::string id;
      {
        absl::MutexLock lock(&ledger_.mutex);
        id = pick();
      }
      if (id.empty() ? !SubmitOne(*advocate, random) : !use(id)) return;
    }
  }

  void DecideComplaints() {
    auto staff = StubFor(server_, tokens_, v1::ROLE_QA_MANAGER);
    WorkOn(
        seed_ + 11,
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return Take(ledger_.open_complaints); },
        [&](const std::string& id) {
          v1::UpdateComplaintRequest request;
          request.set_id(id);
          request.set_stage(v1::COMPLAINT_STAGE_1);
          request.set_outcome(v1::COMPLAINT_OUTCOME_UPHELD);
          request.set_actor("crash campaign");
          grpc::ClientContext context;
          v1::Feedback response;
          if (!staff->UpdateComplaint(WithDeadline(context), request, &response).ok()) return false;
          absl::MutexLock lock(&ledger_.mutex);
          ledger_.decided.insert(id);
          Acknowledged();
          return true;
        });
  }

  void Refer() {
    auto advocate = StubFor(server_, tokens_, v1::ROLE_ADVOCATE);
    for (;;) {
      v1::CreateAdvocacyReferralRequest create;
      create.set_submission_id(client::NewSubmissionId());
      create.set_meeting(v1::MEETING_INITIAL_CP_CONFERENCE);
      create.set_child_age(12);
      create.set_within_city_boundary(true);
      create.set_service_area(v1::SERVICE_AREA_SOCIAL_CARE);
      grpc::ClientContext created_context;
      v1::AdvocacyReferral referral;
      if (!advocate->CreateAdvocacyReferral(WithDeadline(created_context), create, &referral)
               .ok()) {
        return;
      }
      {
        absl::MutexLock lock(&ledger_.mutex);
        ledger_.referrals.insert(referral.id());
        Acknowledged();
      }
      v1::UpdateAdvocacyReferralRequest update;
      update.set_id(referral.id());
      update.set_status(v1::ADVOCACY_STATUS_PROGRESSED);
      grpc::ClientContext updated_context;
      v1::AdvocacyReferral updated;
      if (!advocate->UpdateAdvocacyReferral(WithDeadline(updated_context), update, &updated).ok()) {
        return;
      }
      absl::MutexLock lock(&ledger_.mutex);
      ledger_.progressed.insert(referral.id());
      Acknowledged();
    }
  }

  void Erase() {
    auto admin = StubFor(server_, tokens_, v1::ROLE_ADMIN);
    int n = 0;
    WorkOn(
        seed_ + 13,
        [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          // One acknowledged item in five is erased: the rest stay for the other checks.
          if (ledger_.erasable.size() <= 4) return std::string();
          ++ledger_.erasures_in_flight;
          return Take(ledger_.erasable);
        },
        [&](const std::string& id) {
          v1::EraseFeedbackRequest request;
          request.set_id(id);
          request.set_reason(absl::StrCat("crash campaign erasure ", round_, "-", n++));
          grpc::ClientContext context;
          v1::EraseFeedbackResponse response;
          const bool ok = admin->EraseFeedback(WithDeadline(context), request, &response).ok();
          absl::MutexLock lock(&ledger_.mutex);
          --ledger_.erasures_in_flight;
          if (!ok) return false;
          ledger_.erased.insert(id);
          Acknowledged();
          return true;
        });
  }

  void Read() {
    std::mt19937 random(seed_ + 19);
    auto staff = StubFor(server_, tokens_, v1::ROLE_QA_MANAGER);
    WorkOn(
        seed_ + 17,
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          if (ledger_.acknowledged.empty()) return std::string();
          auto it = ledger_.acknowledged.begin();
          std::advance(it, random() % ledger_.acknowledged.size());
          return it->second;
        },
        [&](const std::string& id) {
          v1::GetFeedbackRequest request;
          request.set_id(id);
          grpc::ClientContext context;
          v1::Feedback item;
          if (!staff->GetFeedback(WithDeadline(context), request, &item).ok()) return false;
          absl::MutexLock lock(&ledger_.mutex);
          ledger_.read.insert(id);  // answered only once its audit entry was durable
          Acknowledged();
          return true;
        });
  }

  void BackUp() {
    auto admin = StubFor(server_, tokens_, v1::ROLE_ADMIN);
    for (;;) {
      {
        absl::MutexLock lock(&ledger_.mutex);
        ++ledger_.backups_in_flight;
      }
      v1::CreateBackupRequest request;
      request.set_dir(backup_dir_);
      request.set_keep(3);
      grpc::ClientContext context;
      v1::Backup backup;
      const bool ok = admin->CreateBackup(WithDeadline(context), request, &backup).ok();
      absl::MutexLock lock(&ledger_.mutex);
      --ledger_.backups_in_flight;
      if (!ok) return;
      ++ledger_.backups;
      Acknowledged();
    }
  }

  const ServerProcess& server_;
  const Tokens& tokens_;
  Ledger& ledger_;
  const int round_;
  const std::string backup_dir_;
  const unsigned seed_;
  std::vector<std::thread> threads_;
};

// What a check found wrong.
using Violations = std::vector<std::string>;

std::vector<v1::Feedback> Everything(const ServerProcess& server, const Tokens& tokens) {
  return testing::ListAllFeedback(server.address(), tokens.at(v1::ROLE_QA_MANAGER));
}

void CheckSubmissions(const ServerProcess& server, const Tokens& tokens, Ledger& ledger,
                      Violations& found) ABSL_EXCLUSIVE_LOCKS_REQUIRED(ledger.mutex) {
  std::map<std::string, int> times;
  for (const v1::Feedback& item : Everything(server, tokens)) {
    ++times[item.submission_id()];
    const auto sent = ledger.attempted.find(item.submission_id());
    if (sent == ledger.attempted.end()) {
      found.push_back(absl::StrCat("stored item ", item.id(), " was never sent"));
      continue;
    }
    const bool erased = item.has_erased_at();
    if (!erased && ledger.erased.contains(item.id())) {
      found.push_back(absl::StrCat("acknowledged erasure of ", item.id(), " is undone"));
    }
    if (!erased && (item.text() != sent->second.text() || item.kind() != sent->second.kind() ||
                    item.rating() != sent->second.rating())) {
      found.push_back(absl::StrCat("stored item ", item.id(), " differs from what was sent"));
    }
    if (erased && !item.text().empty()) {
      found.push_back(absl::StrCat("erased item ", item.id(), " still has its words"));
    }
  }
  for (const auto& [submission_id, id] : ledger.acknowledged) {
    if (times[submission_id] != 1) {
      found.push_back(
          absl::StrCat("acknowledged ", id, " is stored ", times[submission_id], " times"));
    }
  }
}

void CheckComplaintsAndReferrals(const ServerProcess& server, const Tokens& tokens, Ledger& ledger,
                                 Violations& found) ABSL_EXCLUSIVE_LOCKS_REQUIRED(ledger.mutex) {
  auto staff = StubFor(server, tokens, v1::ROLE_QA_MANAGER);
  for (const std::string& id : ledger.decided) {
    v1::GetComplaintRequest request;
    request.set_id(id);
    grpc::ClientContext context;
    v1::Complaint complaint;
    const grpc::Status status = staff->GetComplaint(WithDeadline(context), request, &complaint);
    if (!status.ok() || !complaint.has_closed_at()) {
      found.push_back(absl::StrCat("acknowledged decision on complaint ", id, " is lost"));
    }
  }
  auto advocate = StubFor(server, tokens, v1::ROLE_ADVOCATE);
  for (const std::string& id : ledger.referrals) {
    v1::GetAdvocacyReferralRequest request;
    request.set_id(id);
    grpc::ClientContext context;
    v1::AdvocacyReferral referral;
    const grpc::Status status =
        advocate->GetAdvocacyReferral(WithDeadline(context), request, &referral);
    if (!status.ok()) {
      found.push_back(absl::StrCat("acknowledged referral ", id, " is lost"));
    } else if (ledger.progressed.contains(id) &&
               referral.status() != v1::ADVOCACY_STATUS_PROGRESSED) {
      found.push_back(absl::StrCat("acknowledged progress of referral ", id, " is lost"));
    }
  }
}

void CheckAuditAndCounters(const ServerProcess& server, const Tokens& tokens, Ledger& ledger,
                           Violations& found) ABSL_EXCLUSIVE_LOCKS_REQUIRED(ledger.mutex) {
  auto admin = StubFor(server, tokens, v1::ROLE_ADMIN);
  std::set<std::string> audited;
  v1::ListAuditRequest request;
  request.set_action("feedback.read");
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    v1::ListAuditResponse page;
    if (!admin->ListAudit(WithDeadline(context), request, &page).ok()) {
      found.push_back("ListAudit failed");
      break;
    }
    for (const v1::AuditEntry& entry : page.entries()) {
      audited.insert(entry.ids().begin(), entry.ids().end());
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  for (const std::string& id : ledger.read) {
    if (!audited.contains(id))
      found.push_back(absl::StrCat("an answered read of ", id, " has no audit entry"));
  }
  grpc::ClientContext context;
  v1::VerifyCountersResponse verified;
  if (!admin->VerifyCounters(WithDeadline(context), v1::VerifyCountersRequest(), &verified).ok()) {
    found.push_back("VerifyCounters failed");
  }
  for (const v1::CounterDifference& difference : verified.differences()) {
    found.push_back(absl::StrCat("counter ", difference.key(), ": stored ", difference.stored(),
                                 ", recount ", difference.recomputed()));
  }
}

void CheckBackups(const ServerProcess& server, const Tokens& tokens, const std::string& dir,
                  Ledger& ledger, Violations& found) ABSL_EXCLUSIVE_LOCKS_REQUIRED(ledger.mutex) {
  if (ledger.backups == 0) return;
  auto admin = StubFor(server, tokens, v1::ROLE_ADMIN);
  v1::VerifyBackupRequest request;
  request.set_dir(dir);
  grpc::ClientContext context;
  v1::Backup backup;
  const grpc::Status status = admin->VerifyBackup(WithDeadline(context), request, &backup);
  if (!status.ok()) {
    found.push_back(absl::StrCat("the latest backup does not verify: ", status.error_message()));
  } else if (static_cast<int>(backup.backup_id()) < ledger.backups) {
    found.push_back(absl::StrCat(ledger.backups, " backups acknowledged, the latest is number ",
                                 backup.backup_id()));
  }
}

Violations Check(const ServerProcess& server, const Tokens& tokens, const std::string& backups,
                 Ledger& ledger) {
  absl::MutexLock lock(&ledger.mutex);  // the workers have stopped
  Violations found;
  CheckSubmissions(server, tokens, ledger, found);
  CheckComplaintsAndReferrals(server, tokens, ledger, found);
  CheckAuditAndCounters(server, tokens, ledger, found);
  CheckBackups(server, tokens, backups, ledger, found);
  return found;
}

// Blocks until the round's kill moment, or 30 s.
void AwaitKillMoment(Ledger& ledger, KillMoment moment, int acks) {
  absl::MutexLock lock(&ledger.mutex);
  const auto ready = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    if (ledger.acks_this_round < acks) return false;
    switch (moment) {
      case KillMoment::kAfterAcknowledgements:
        return true;
      case KillMoment::kDuringErasure:
        return ledger.erasures_in_flight > 0;
      case KillMoment::kDuringBackup:
        return ledger.backups_in_flight > 0;
    }
    return true;
  };
  ledger.mutex.AwaitWithTimeout(absl::Condition(&ready), absl::Seconds(30));
}

struct CampaignFlags {
  int rounds = 10;
  unsigned seed = 1;
};

int Run(const CampaignFlags& flags) {
  testing::TempDir dir;
  const std::string store = dir.Sub("store");
  const std::string backups = dir.Sub("backups");
  std::mt19937 random(flags.seed);
  Ledger ledger;
  Tokens tokens;
  const absl::Time began = absl::Now();
  std::string killed;  // what the last round did, printed once the restart's checks pass
  for (int round = 0; round <= flags.rounds; ++round) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(store);
    if (!server.ok()) {
      std::fprintf(stderr, "round %d: feedbackd did not restart: %s\n", round,
                   server.status().ToString().c_str());
      return 1;
    }
    if (round == 0) {
      for (v1::Role role : AllRoles()) tokens[role] = (*server)->token(role);
    }
    const Violations found = Check(**server, tokens, backups, ledger);
    if (!found.empty()) {
      std::fprintf(stderr, "round %d: %zu violation(s) after the restart:\n", round, found.size());
      for (const std::string& violation : found) std::fprintf(stderr, "  %s\n", violation.c_str());
      return 1;
    }
    if (round > 0) {
      std::printf("%s; restarted: every acknowledged write there once, counters equal\n",
                  killed.c_str());
      std::fflush(stdout);
    }
    if (round == flags.rounds) break;  // the last start only checks

    const auto moment = static_cast<KillMoment>(random() % 3);
    const int acks = static_cast<int>(random() % 200);
    {
      absl::MutexLock lock(&ledger.mutex);
      ledger.acks_this_round = 0;
    }
    Workers workers(**server, tokens, ledger, round, backups, flags.seed * 1000 + round);
    workers.Start();
    AwaitKillMoment(ledger, moment, acks);
    const int status = (*server)->Kill();
    workers.Join();
    absl::MutexLock lock(&ledger.mutex);
    killed =
        absl::StrCat("round ", round + 1, "/", flags.rounds, ": SIGKILL ", Describe(moment),
                     " after ", ledger.acks_this_round, " acknowledgements (",
                     WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "killed" : "had exited",
                     "), ", ledger.acknowledged.size(), " items and ", ledger.acknowledged_writes,
                     " writes acknowledged so far");
  }
  absl::MutexLock lock(&ledger.mutex);
  std::printf(
      "crash campaign: %d rounds in %.0f s, %d acknowledged writes (%zu submissions, %zu "
      "complaint decisions, %zu referrals, %zu erasures, %zu audited reads, %d backups): "
      "none lost, none duplicated, every counter equal to a recount\n",
      flags.rounds, absl::ToDoubleSeconds(absl::Now() - began), ledger.acknowledged_writes,
      ledger.acknowledged.size(), ledger.decided.size(), ledger.referrals.size(),
      ledger.erased.size(), ledger.read.size(), ledger.backups);
  return 0;
}

}  // namespace
}  // namespace feedback::crash

int main(int argc, char** argv) {
  feedback::crash::CampaignFlags flags;
  CLI::App app{
      "feedback_crash_campaign: SIGKILL feedbackd under a mixed load, round after "
      "round, and check that no acknowledged write is lost or doubled"};
  app.add_option("--rounds", flags.rounds, "kills (each followed by a restart and the checks)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--seed", flags.seed, "seed of the random kill moments and load")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return feedback::crash::Run(flags);
}
