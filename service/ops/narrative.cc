#include "service/ops/narrative.h"

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/status_macros.h"
#include "service/ops/audit.h"
#include "service/ops/ingest.h"
#include "service/ops/replay.h"
#include "storage/layout.h"

namespace feedback {
namespace {

using google::protobuf::util::TimeUtil;

constexpr ReplayWords kNarrativeWords{"narrative text", "stored"};

// "2018Q3/05/": the part of a version's key after the prefix, before its version number.
std::string SectionPart(int32_t financial_year, int32_t quarter, int section) {
  return absl::StrFormat("%dQ%d/%02d/", financial_year, quarter, section);
}

// "narrative/2018Q3/" (section 0: every section) or "narrative/2018Q3/05/".
std::string ScanPrefix(int32_t financial_year, int32_t quarter, v1::NarrativeSection section) {
  if (section == v1::NARRATIVE_SECTION_UNSPECIFIED) {
    return absl::StrFormat("%s%dQ%d/", std::string(storage::layout::kNarrativePrefix),
                           financial_year, quarter);
  }
  return absl::StrCat(std::string(storage::layout::kNarrativePrefix),
                      SectionPart(financial_year, quarter, section));
}

absl::StatusOr<std::optional<v1::NarrativeVersion>> FindVersion(storage::Transaction& txn,
                                                                const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.FindEntity(key));
  if (!bytes.has_value()) return std::nullopt;
  v1::NarrativeVersion stored;
  if (!stored.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat(key, ": a stored narrative version does not parse"));
  }
  return stored;
}

// The number the next version of the request's section gets: versions are dense from 1, so the
// first absent one (a section has a handful of edits a quarter; each probe is a point read,
// and versions staged earlier in the same group count).
absl::StatusOr<int32_t> NextVersion(storage::Transaction& txn,
                                    const v1::SetNarrativeRequest& request) {
  for (int32_t version = 1;; ++version) {
    ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                     txn.FindEntity(NarrativeVersionKey(request.financial_year(), request.quarter(),
                                                        request.section(), version)));
    if (!bytes.has_value()) return version;
  }
}

}  // namespace

std::string NarrativeVersionKey(int32_t financial_year, int32_t quarter,
                                v1::NarrativeSection section, int32_t version) {
  return absl::StrCat(std::string(storage::layout::kNarrativePrefix),
                      SectionPart(financial_year, quarter, section),
                      absl::StrFormat("%08d", version));
}

storage::TypedWriteOp<v1::NarrativeVersion> SetNarrativeOp(v1::SetNarrativeRequest request,
                                                           Principal caller, absl::Time now) {
  // A UUID's case is not content: "ABC..." and "abc..." are one submission.
  request.set_submission_id(absl::AsciiStrToLower(request.submission_id()));
  return [request = std::move(request), caller = std::move(caller),
          now](storage::Transaction& txn) -> absl::StatusOr<v1::NarrativeVersion> {
    const std::string idempotency_key = absl::StrCat(
        std::string(storage::layout::kNarrativeSubmissionPrefix), request.submission_id());
    const std::string fingerprint = ContentFingerprint(request);
    ASSIGN_OR_RETURN(
        std::optional<std::string> stored_key,
        DecideReplay(txn, idempotency_key, caller.token_id, fingerprint, kNarrativeWords));
    if (stored_key.has_value()) {
      ASSIGN_OR_RETURN(std::optional<v1::NarrativeVersion> stored, FindVersion(txn, *stored_key));
      if (!stored.has_value()) {
        return absl::DataLossError(absl::StrCat(*stored_key, ": narrative version is missing"));
      }
      return *std::move(stored);
    }
    ASSIGN_OR_RETURN(const int32_t version, NextVersion(txn, request));
    v1::NarrativeVersion stored;
    stored.set_financial_year(request.financial_year());
    stored.set_quarter(request.quarter());
    stored.set_section(request.section());
    stored.set_text(request.text());
    stored.set_version(version);
    *stored.mutable_written_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    stored.set_written_by(caller.token_id);
    stored.set_written_by_role(caller.role);
    stored.set_submission_id(request.submission_id());
    const std::string key = NarrativeVersionKey(request.financial_year(), request.quarter(),
                                                request.section(), version);
    RETURN_IF_ERROR(txn.PutEntity(key, stored.SerializeAsString()));
    RETURN_IF_ERROR(PutIdempotencyEntry(txn, idempotency_key, {fingerprint, key, caller.token_id}));
    // Non-personal detail: the quarter, the section and the version; never the text.
    RETURN_IF_ERROR(AppendAudit(
        txn, caller, now,
        AuditEvent("narrative.set", {key},
                   absl::StrCat(request.financial_year(), "Q", request.quarter(), " ",
                                v1::NarrativeSection_Name(request.section()), " v", version))));
    return stored;
  };
}

absl::StatusOr<v1::GetNarrativeResponse> ReadNarrative(const storage::FeedbackStore& store,
                                                       const v1::GetNarrativeRequest& request) {
  v1::GetNarrativeResponse response;
  std::optional<v1::NarrativeVersion> last;  // the last version seen of the current section
  RETURN_IF_ERROR(
      store.ScanEntities(ScanPrefix(request.financial_year(), request.quarter(), request.section()),
                         [&](std::string_view key, std::string_view value) -> storage::ScanStep {
                           v1::NarrativeVersion version;
                           if (!version.ParseFromString(std::string(value))) {
                             return absl::DataLossError(absl::StrCat(
                                 std::string(key), ": a stored narrative version does not parse"));
                           }
                           if (last.has_value() && last->section() != version.section()) {
                             *response.add_current() = *std::move(last);
                           }
                           if (request.include_history()) *response.add_history() = version;
                           last = std::move(version);
                           return absl::OkStatus();
                         }));
  if (last.has_value()) *response.add_current() = *std::move(last);
  return response;
}

}  // namespace feedback
