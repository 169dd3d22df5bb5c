// Debian 12's abseil has its own string_view type (not std::string_view): the bridge both ways,
// for the report's files only.
#ifndef FEEDBACK_CLIENT_REPORT_ABSL_BRIDGE_H_
#define FEEDBACK_CLIENT_REPORT_ABSL_BRIDGE_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace feedback::client::report_internal {

inline absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view S(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace feedback::client::report_internal

#endif  // FEEDBACK_CLIENT_REPORT_ABSL_BRIDGE_H_
