#include "client/report/export_csv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/report/escape.h"
#include "google/protobuf/util/time_util.h"
#include "proto/vocabulary/enum_flags.h"

namespace feedback::client {

std::string ExportCsvRow(const v1::Feedback& f, std::string_view referral_submission_id) {
  using google::protobuf::util::TimeUtil;
  auto time = [](const google::protobuf::Timestamp& t) {
    return t.seconds() == 0 && t.nanos() == 0 ? std::string() : TimeUtil::ToString(t);
  };
  return CsvRecord({
      f.id(),
      f.submission_id(),
      time(f.occurred_at()),
      time(f.received_at()),
      FormatEnumFlag(v1::Source_descriptor(), f.source()),
      FormatEnumFlag(v1::Kind_descriptor(), f.kind()),
      FormatEnumFlag(v1::Meeting_descriptor(), f.meeting()),
      FormatEnumFlag(v1::ServiceArea_descriptor(), f.service_area()),
      f.rating() == 0 ? "" : absl::StrCat(f.rating()),
      f.consent_to_quote() ? "true" : "false",
      FormatEnumFlag(v1::ComplaintStage_descriptor(), f.complaint_stage()),
      FormatEnumFlag(v1::ComplaintOutcome_descriptor(), f.complaint_outcome()),
      absl::StrJoin(f.tags(), ";"),
      f.advocacy_referral_id(),
      f.child_confirmed() ? "true" : "false",
      SpreadsheetSafe(f.text()),
      std::string(referral_submission_id),
  });
}

}  // namespace feedback::client
