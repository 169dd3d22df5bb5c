#include "tests/support/test_support.h"

#include <cstdlib>
#include <system_error>

namespace feedback::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "feedbackd-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace feedback::testing
