#include "service/core/feedback_core.h"

namespace feedback {
namespace {

const DisclosurePolicy& DefaultDisclosure() {
  static const auto* policy = new DisclosurePolicy();
  return *policy;
}

}  // namespace

FeedbackCore::FeedbackCore(ServiceParts parts, QuarterCalendar calendar)
    : store_(parts.store),
      writer_(parts.writer),
      ledger_(parts.ledger),
      alerts_(parts.alerts),
      gate_(parts.gate),
      tokens_(parts.tokens),
      redactor_(parts.redactor),
      calendar_(calendar),
      clock_(std::move(parts.clock)),
      retention_(parts.retention),
      title_(std::move(parts.title)),
      data_dir_(std::move(parts.data_dir)),
      figures_(std::make_unique<QuarterFigures>(
          *parts.store, parts.disclosure != nullptr ? *parts.disclosure : DefaultDisclosure(),
          calendar)),
      scrubber_(std::make_unique<Scrubber>(parts.store)),
      backups_(std::make_unique<BackupRunner>(parts.store)) {}

FeedbackCore::~FeedbackCore() = default;

absl::StatusOr<Principal> FeedbackCore::Admit(const Credentials& credentials,
                                              std::string_view method, absl::Time now) {
  return gate_->Admit(credentials, method, now);
}

}  // namespace feedback
