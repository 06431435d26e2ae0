#include "test_paths.h"

namespace digits {

const std::string& source_dir() {
  static const std::string path = DIGITS_SOURCE_DIR;
  return path;
}

const std::string& cli_path() {
  static const std::string path = DIGITS_CLI_PATH;
  return path;
}

}  // namespace digits
