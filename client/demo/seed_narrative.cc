#include "client/demo/seed_narrative.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "client/lib/feedback_client.h"
#include "grpcpp/client_context.h"

namespace feedback::testing {

const std::vector<std::pair<v1::NarrativeSection, std::string>>& SeedNarrative() {
  static const auto* narrative = new std::vector<std::pair<v1::NarrativeSection, std::string>>{
      {v1::NARRATIVE_SECTION_REVIEW_OF_PREVIOUS_NEXT_STEPS,
       "Assessment training to be rolled out focusing on the areas for improvement \xE2\x80\x93 "
       "focus on identity & diversity, analysis of family history and risks/needs;\n"
       "New supervision template (based on SofS model) introduced in Q3 to support management "
       "oversight and evidence case progression;\n"
       "Targeted QA activity to support auditors understanding of what good looks like via "
       "moderations, audit events, QA Surgeries;\n"
       "Additional methods to secure feedback from the families, including children and young "
       "people. (Pilot Advocacy for initial meetings);\n"
       "Targeted activities by CIN Service around genograms and chronologies\n"
       "External review/ challenge of QA Framework scheduled in Q3\n"},
      {v1::NARRATIVE_SECTION_EXTERNAL_REVIEW,
       "External Review of the Performance Management and QA Framework November 2018 "
       "\xE2\x80\x93 Chris Batty\n"
       "\xE2\x80\xA2 The Performance Management and Quality Assurance Framework is enabling the "
       "council to know itself well.\n"
       "\xE2\x80\xA2 Senior management have maintained a strong and visible focus on ensuring "
       "that compliance and timescales are maintained and quality of practice is improved.\n"
       "\xE2\x80\xA2 The Framework is generally being well implemented and becoming more "
       "integrated into the work of the department at all levels\n"
       "\xE2\x80\xA2 Generally the right balance between consistency and flexibility to allow "
       "for specific service needs but one or two areas where this could be improved.\n"
       "\xE2\x80\xA2 Two aspects \xE2\x80\x93 independent visits to children\xE2\x80\x99s homes "
       "and reviews of foster carers \xE2\x80\x93 which do not meet regulatory requirements\n"},
      {v1::NARRATIVE_SECTION_PILOT_DESCRIPTION,
       "Advocacy was offered for children attending ICPC or newly LAC age 10-15 years. "
       "Advocacy provided by De Montfort university youth work students.\n"},
      {v1::NARRATIVE_SECTION_RECOMMENDATIONS,
       "\xE2\x80\xA2 The pilot will continue \xE2\x80\x93 age restrictions will be removed\n"
       "\xE2\x80\xA2 Leicester City Boundaries will be removed\n"},
      {v1::NARRATIVE_SECTION_NEXT_STEPS,
       "\xE2\x80\xA2 Further guidance to be provided to the auditors regarding the importance of "
       "warm feedback to the practitioners and link between areas of development and actions "
       "\xE2\x80\x93 March 2019;\n"
       "\xE2\x80\xA2 Continue to increase support to individual auditors via QA surgeries and "
       "1- 2-1 support from QA manager \xE2\x80\x93 overview to be provided in Q4\n"
       "\xE2\x80\xA2 New provisions in place to ensure statutory compliance with Reg 44 visits "
       "and foster carers\xE2\x80\x99 reviews\n"
       "\xE2\x80\xA2 Assessments continue to be variable \xE2\x80\x93 focused training to be "
       "provided to front line practitioners via weekly lunch and learn and further Signs of "
       "Safety training\n"
       "\xE2\x80\xA2 Independent review of Leaving Care Services \xE2\x80\x93 January 2019\n"},
  };
  return *narrative;
}

absl::Status LoadSeedNarrative(v1::FeedbackService::Stub& stub, std::string_view qa_manager_token) {
  for (const auto& [section, text] : SeedNarrative()) {
    v1::SetNarrativeRequest request;
    request.set_financial_year(kSeedNarrativeYear);
    request.set_quarter(kSeedNarrativeQuarter);
    request.set_section(section);
    request.set_text(text);
    request.set_submission_id(client::NewSubmissionId());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!qa_manager_token.empty()) {
      context.AddMetadata("authorization", absl::StrCat("Bearer ", std::string(qa_manager_token)));
    }
    v1::NarrativeVersion stored;
    const grpc::Status status = stub.SetNarrative(&context, request, &stored);
    if (!status.ok()) {
      return absl::Status(
          static_cast<absl::StatusCode>(status.error_code()),
          absl::StrCat("seed narrative: SetNarrative of ", v1::NarrativeSection_Name(section), ": ",
                       status.error_message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace feedback::testing
