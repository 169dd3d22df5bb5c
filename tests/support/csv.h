// Test helper: reading CSV output back, strictly.
#ifndef FEEDBACK_TESTS_SUPPORT_CSV_H_
#define FEEDBACK_TESTS_SUPPORT_CSV_H_

#include <string>
#include <string_view>
#include <vector>

namespace feedback::testing {

// RFC 4180 records of `text`; malformed quoting fails the current test.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text);

}  // namespace feedback::testing

#endif  // FEEDBACK_TESTS_SUPPORT_CSV_H_
