// The export CSV (`feedbackctl export --format csv`): one record per feedback item, separate from
// the report. The columns are documented in docs/report-formats.md; change them only together
// with that page.
#ifndef FEEDBACK_CLIENT_REPORT_EXPORT_CSV_H_
#define FEEDBACK_CLIENT_REPORT_EXPORT_CSV_H_

#include <string>
#include <string_view>

#include "feedback/v1/feedback.pb.h"

namespace feedback::client {

// The export CSV's header line (without its CRLF). Stable: columns are only ever appended.
inline constexpr char kExportCsvHeader[] =
    "id,submission_id,occurred_at,received_at,source,kind,meeting,service_area,rating,"
    "consent_to_quote,complaint_stage,complaint_outcome,tags,advocacy_referral_id,child_confirmed,"
    "text,advocacy_referral_submission_id";
// One export CSV record for `feedback`, ending in CRLF (columns in docs/report-formats.md).
// `referral_submission_id`: the submission_id of the referral that advocacy_referral_id names,
// so that `feedbackctl import` can link the statement to that referral in another store ("" when
// there is none or the exporter may not read referrals).
std::string ExportCsvRow(const v1::Feedback& feedback,
                         std::string_view referral_submission_id = {});

}  // namespace feedback::client

#endif  // FEEDBACK_CLIENT_REPORT_EXPORT_CSV_H_
