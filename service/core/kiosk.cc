// FeedbackCore: the tablet kiosk (enrolment codes, their exchange, and "talk to someone now").
#include <string>
#include <utility>

#include "service/core/core_support.h"
#include "service/core/feedback_core.h"
#include "service/domain/enrolment_code.h"
#include "service/ops/enrolment.h"
#include "service/ops/talk_now.h"
#include "service/ops/tokens.h"

namespace feedback {

void FeedbackCore::IssueKioskEnrolment(const Principal& caller,
                                       const v1::IssueKioskEnrolmentRequest& request,
                                       Reply<v1::KioskEnrolment> reply) {
  if (!Permits(caller, "IssueKioskEnrolment", reply)) return;
  if (absl::Status valid = ValidateEnrolmentRequest(request); !valid.ok()) {
    return std::move(reply)(valid);
  }
  absl::StatusOr<std::string> code = NewEnrolmentCode();
  if (!code.ok()) return std::move(reply)(code.status());
  WriteThenReply(*writer_, IssueEnrolmentOp(request, *std::move(code), caller, Now()),
                 std::move(reply),
                 [](v1::KioskEnrolment& enrolment) { return std::move(enrolment); });
}

void FeedbackCore::EnrolKiosk(const Principal& caller, const v1::EnrolKioskRequest& request,
                              Reply<v1::EnrolKioskResponse> reply) {
  if (!Permits(caller, "EnrolKiosk", reply)) return;
  // A code that cannot be one says so, and costs nothing: its form is no secret.
  absl::StatusOr<std::string> code = NormaliseEnrolmentCode(request.code());
  if (!code.ok()) return std::move(reply)(code.status());
  const absl::Time now = Now();
  // Taken before the code is looked at, so that no code is checked once the budget is spent.
  if (absl::Status budget = gate_->TakeEnrolmentTry(now); !budget.ok()) {
    return std::move(reply)(budget);
  }
  absl::StatusOr<std::string> secret = NewTokenSecret();
  if (!secret.ok()) {
    gate_->ReturnEnrolmentTry();
    return std::move(reply)(secret.status());
  }
  WriteThenReply(*writer_, EnrolKioskOp(*std::move(code), *secret, now), std::move(reply),
                 [this, secret = *secret](EnrolledKiosk& enrolled) {
                   gate_->ReturnEnrolmentTry();  // a good code spends nothing
                   // In the registry before the device hears back: its first call is admitted.
                   tokens_->Put(enrolled.token);
                   v1::EnrolKioskResponse response;
                   response.set_secret(secret);
                   *response.mutable_token() = enrolled.token.token();
                   response.set_device_name(enrolled.token.token().device_name());
                   return response;
                 });
}

void FeedbackCore::RequestTalkNow(const Principal& caller, const v1::RequestTalkNowRequest& request,
                                  Reply<v1::Alert> reply) {
  if (!Permits(caller, "RequestTalkNow", reply)) return;
  const absl::Time now = Now();
  if (absl::Status valid = ValidateTalkNowRequest(request, now); !valid.ok()) {
    return std::move(reply)(valid);
  }
  WriteThenReply(*writer_, RaiseTalkNowOp(request, caller, now), std::move(reply),
                 [this](TalkNowOutcome& outcome) {
                   // Out to the watchers as soon as it is durable, before the kiosk hears back.
                   if (!outcome.duplicate) alerts_->Publish(outcome.alert);
                   return std::move(outcome.alert);
                 });
}

}  // namespace feedback
