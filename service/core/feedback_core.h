// The service, whatever the transport: every RPC of feedback.v1.FeedbackService as a function
// of (admitted caller, parsed request) to a response or an error, with authorisation (the
// access table and the rules that depend on the request), stream limits, validation and audit
// inside. The doors are adapters over it: the gRPC door (service/rpc) reads credentials and
// bytes, calls Admit, ParseRequest (request_parse.h) and the operation, and sends the reply.
//
// Example (a door's unary call):
//   absl::StatusOr<Principal> caller = core.Admit(credentials, "GetFeedback", absl::Now());
//   if (!caller.ok()) return Send(caller.status());
//   v1::GetFeedbackRequest request;
//   if (absl::Status parsed = ParseRequest(bytes, request); !parsed.ok()) return Send(parsed);
//   core.GetFeedback(*caller, request, [](absl::StatusOr<v1::Feedback> feedback) { Send(...); });
#ifndef FEEDBACK_SERVICE_CORE_FEEDBACK_CORE_H_
#define FEEDBACK_SERVICE_CORE_FEEDBACK_CORE_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "feedback/v1/feedback.pb.h"
#include "proto/vocabulary/quarter.h"
#include "service/core/gatekeeper.h"
#include "service/core/stream_sink.h"
#include "service/domain/access.h"
#include "service/domain/disclosure.h"
#include "service/domain/narrative.h"
#include "service/domain/redaction.h"
#include "service/domain/retention.h"
#include "service/ops/alert_hub.h"
#include "service/ops/backups.h"
#include "service/ops/erasure.h"
#include "service/ops/ledger.h"
#include "service/ops/publication.h"
#include "service/ops/tokens.h"
#include "storage/feedback_store.h"
#include "storage/group_commit_writer.h"

namespace feedback {

// How an operation answers: exactly once, with the response or the error. On the caller's
// thread when nothing has to be written; otherwise on the writer thread, once the change (or the
// audit entry of a read of people's words) is durable. Nothing is written when it is an error.
template <typename T>
using Reply = absl::AnyInvocable<void(absl::StatusOr<T>) &&>;

// The borrowed parts a FeedbackCore works with; each must outlive it.
struct ServiceParts {
  storage::FeedbackStore* store;
  storage::GroupCommitWriter* writer;
  const Ledger* ledger;
  AlertHub* alerts;
  Gatekeeper* gate;
  TokenRegistry* tokens;
  const RetentionPolicy* retention = nullptr;    // nullptr: keep everything forever
  const DisclosurePolicy* disclosure = nullptr;  // published summaries; null: the default policy
  const Redactor* redactor = nullptr;            // quote candidates
  // The time as kiosk enrolment and talk-now requests read it (tests move it to expire a code).
  // Default (empty): absl::Now.
  std::function<absl::Time()> clock = {};
  // The report's title parts (feedbackd --council-name, --division-title). Default: empty.
  ReportTitle title = {};
  // The store's folder, which no backup folder may overlap. Default: empty (the working folder).
  std::string data_dir = {};
};

// Thread-safe. Every operation takes the caller that Admit admitted to it and the request
// (borrowed for the call only: what is needed later is copied), refuses a caller whose role
// may not call it (PERMISSION_DENIED, as Admit would), validates on the calling thread, and
// never waits on a disk write: a change goes to the GroupCommitWriter as one operation and
// `reply` runs once it is durable. Reads are served from the store directly; a read of raw
// feedback (or a referral's reason) is answered only once its audit entry is durable.
// Handlers live in feedback.cc, complaints.cc, advocacy.cc, summaries.cc, publication.cc,
// alerts.cc, quotes.cc, erasure.cc, admin.cc and kiosk.cc; the streams in export_stream.cc and
// alert_watch.cc.
class FeedbackCore {
 public:
  FeedbackCore(ServiceParts parts, QuarterCalendar calendar);
  ~FeedbackCore();
  FeedbackCore(const FeedbackCore&) = delete;
  FeedbackCore& operator=(const FeedbackCore&) = delete;

  // The caller of `method` (the RPC's name), if its token is valid, its role may call the method
  // and it is within its rate: else UNAUTHENTICATED, PERMISSION_DENIED or RESOURCE_EXHAUSTED
  // (Gatekeeper::Admit). A door asks before it decodes a byte of the request.
  [[nodiscard]] absl::StatusOr<Principal> Admit(const Credentials& credentials,
                                                std::string_view method, absl::Time now);

  // feedback.cc
  // Takes its request over: the stored record is made from the request's own feedback.
  void SubmitFeedback(const Principal& caller, v1::SubmitFeedbackRequest request,
                      Reply<v1::SubmitFeedbackResponse> reply);
  void GetFeedback(const Principal& caller, const v1::GetFeedbackRequest& request,
                   Reply<v1::Feedback> reply);
  void ListFeedback(const Principal& caller, const v1::ListFeedbackRequest& request,
                    Reply<v1::ListFeedbackResponse> reply);
  // Streams the quarter's items a page at a time, each page audited before it is sent.
  void ExportFeedback(const Principal& caller, const v1::ExportFeedbackRequest& request,
                      StreamSink<v1::Feedback>& sink);
  void RetagFeedback(const Principal& caller, const v1::RetagFeedbackRequest& request,
                     Reply<v1::RetagFeedbackResponse> reply);

  // complaints.cc
  void UpdateComplaint(const Principal& caller, const v1::UpdateComplaintRequest& request,
                       Reply<v1::Feedback> reply);
  void GetComplaint(const Principal& caller, const v1::GetComplaintRequest& request,
                    Reply<v1::Complaint> reply);
  void ListComplaints(const Principal& caller, const v1::ListComplaintsRequest& request,
                      Reply<v1::ListComplaintsResponse> reply);

  // advocacy.cc
  void CreateAdvocacyReferral(const Principal& caller,
                              const v1::CreateAdvocacyReferralRequest& request,
                              Reply<v1::AdvocacyReferral> reply);
  void UpdateAdvocacyReferral(const Principal& caller,
                              const v1::UpdateAdvocacyReferralRequest& request,
                              Reply<v1::AdvocacyReferral> reply);
  void GetAdvocacyReferral(const Principal& caller, const v1::GetAdvocacyReferralRequest& request,
                           Reply<v1::AdvocacyReferral> reply);
  void ListAdvocacyReferrals(const Principal& caller,
                             const v1::ListAdvocacyReferralsRequest& request,
                             Reply<v1::ListAdvocacyReferralsResponse> reply);

  // summaries.cc
  void GetQuarterSummary(const Principal& caller, const v1::GetQuarterSummaryRequest& request,
                         Reply<v1::QuarterSummary> reply);

  // publication.cc
  void PublishQuarter(const Principal& caller, const v1::PublishQuarterRequest& request,
                      Reply<v1::PublishedQuarter> reply);

  // alerts.cc
  // Streams every unacknowledged alert, then each new one, each audited before it is sent.
  void WatchAlerts(const Principal& caller, const v1::WatchAlertsRequest& request,
                   StreamSink<v1::Alert>& sink);
  void AcknowledgeAlert(const Principal& caller, const v1::AcknowledgeAlertRequest& request,
                        Reply<v1::Alert> reply);

  // quotes.cc
  void ListQuotes(const Principal& caller, const v1::ListQuotesRequest& request,
                  Reply<v1::ListQuotesResponse> reply);
  void ApproveQuote(const Principal& caller, const v1::ApproveQuoteRequest& request,
                    Reply<v1::Quote> reply);
  void WithdrawQuote(const Principal& caller, const v1::WithdrawQuoteRequest& request,
                     Reply<v1::Quote> reply);

  // erasure.cc: an erasure or purge answers only once its batch is durable AND the old values
  // have been scrubbed from the store's files.
  void EraseFeedback(const Principal& caller, const v1::EraseFeedbackRequest& request,
                     Reply<v1::EraseFeedbackResponse> reply);
  void PurgeFeedback(const Principal& caller, const v1::PurgeFeedbackRequest& request,
                     Reply<v1::PurgeFeedbackResponse> reply);
  void SetLegalHold(const Principal& caller, const v1::SetLegalHoldRequest& request,
                    Reply<v1::LegalHold> reply);
  void ListLegalHolds(const Principal& caller, const v1::ListLegalHoldsRequest& request,
                      Reply<v1::ListLegalHoldsResponse> reply);

  // admin.cc
  void IssueToken(const Principal& caller, const v1::IssueTokenRequest& request,
                  Reply<v1::IssueTokenResponse> reply);
  void ListTokens(const Principal& caller, const v1::ListTokensRequest& request,
                  Reply<v1::ListTokensResponse> reply);
  void RevokeToken(const Principal& caller, const v1::RevokeTokenRequest& request,
                   Reply<v1::Token> reply);
  void ListAudit(const Principal& caller, const v1::ListAuditRequest& request,
                 Reply<v1::ListAuditResponse> reply);
  void VerifyCounters(const Principal& caller, const v1::VerifyCountersRequest& request,
                      Reply<v1::VerifyCountersResponse> reply);

  // kiosk.cc: the tablet kiosk. A qa_manager or admin issues a one-time code for a device; the
  // device (any caller: EnrolKiosk needs no token) exchanges it once for its kiosk token, within
  // the Gatekeeper's budget of failed codes; a kiosk asks for someone to come and talk.
  void IssueKioskEnrolment(const Principal& caller, const v1::IssueKioskEnrolmentRequest& request,
                           Reply<v1::KioskEnrolment> reply);
  void EnrolKiosk(const Principal& caller, const v1::EnrolKioskRequest& request,
                  Reply<v1::EnrolKioskResponse> reply);
  // The alert goes to every watcher once it is durable, before the caller hears back; a repeat
  // of its request_id answers the same alert and raises nothing.
  void RequestTalkNow(const Principal& caller, const v1::RequestTalkNowRequest& request,
                      Reply<v1::Alert> reply);

  // Case-file audits and practice observations (service/domain/quality_checks.h).
  void RecordQualityCheck(const Principal& caller, const v1::RecordQualityCheckRequest& request,
                          Reply<v1::QualityCheck> reply);
  void ListQualityChecks(const Principal& caller, const v1::ListQualityChecksRequest& request,
                         Reply<v1::ListQualityChecksResponse> reply);

  // Independent chairs' oversight (service/domain/oversight.h).
  void RecordOversight(const Principal& caller, const v1::RecordOversightRequest& request,
                       Reply<v1::ChairOversight> reply);
  void ListOversights(const Principal& caller, const v1::ListOversightsRequest& request,
                      Reply<v1::ListOversightsResponse> reply);

  // The quarterly report's narrative (service/domain/narrative.h), in narrative.cc.
  void SetNarrative(const Principal& caller, const v1::SetNarrativeRequest& request,
                    Reply<v1::NarrativeVersion> reply);
  void GetNarrative(const Principal& caller, const v1::GetNarrativeRequest& request,
                    Reply<v1::GetNarrativeResponse> reply);
  // backups.cc: backups run one at a time on the BackupRunner's thread, while the server
  // serves; the answer comes once the backup is on disk (and its audit entry durable).
  void CreateBackup(const Principal& caller, const v1::CreateBackupRequest& request,
                    Reply<v1::Backup> reply);
  void ListBackups(const Principal& caller, const v1::ListBackupsRequest& request,
                   Reply<v1::ListBackupsResponse> reply);
  void VerifyBackup(const Principal& caller, const v1::VerifyBackupRequest& request,
                    Reply<v1::Backup> reply);

 private:
  absl::Time Now() const { return clock_ ? clock_() : absl::Now(); }

  storage::FeedbackStore* const store_;
  storage::GroupCommitWriter* const writer_;
  const Ledger* const ledger_;
  AlertHub* const alerts_;
  Gatekeeper* const gate_;
  TokenRegistry* const tokens_;
  const Redactor* const redactor_;
  const QuarterCalendar calendar_;
  const std::function<absl::Time()> clock_;  // empty: absl::Now
  const RetentionPolicy* const retention_;   // may be null
  const ReportTitle title_;                  // may be empty
  const std::string data_dir_;
  const std::unique_ptr<QuarterFigures> figures_;  // summaries and published quarters
  // Declared last: destroyed first, after finishing every queued scrub, while the store is open.
  const std::unique_ptr<Scrubber> scrubber_;
  const std::unique_ptr<BackupRunner> backups_;  // destroyed first: finishes a backup under way
};

}  // namespace feedback

#endif  // FEEDBACK_SERVICE_CORE_FEEDBACK_CORE_H_
