// A small command-line parser for `digits <command> [options]`: known flags only, every value
// checked, every mistake reported as a sentence (UsageError) that main turns into exit code 2.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace digits::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A failure that is not the user's typing (missing file, corrupt weights...): exit code 1.
struct RunError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `digits <command> --help`: Args throws it instead of parsing, and main prints `text` on stdout
// and exits 0. Not a mistake, so not a std::exception.
struct HelpRequested {
  std::string text;
};

class Args {
 public:
  // `help_text` is the command's help: "--help" anywhere in argv throws HelpRequested with it,
  // before any other check. `value_flags` take a value (--name VALUE or --name=VALUE); `switches`
  // take none.
  Args(std::string command, std::string help_text, const std::vector<std::string>& argv,
       std::set<std::string> value_flags, std::set<std::string> switches,
       size_t max_positional = 0);

  bool has(const std::string& flag) const;
  std::optional<std::string> value(const std::string& flag) const;
  std::string value_or(const std::string& flag, const std::string& fallback) const;
  long integer(const std::string& flag, long fallback, long min, long max) const;
  // One of `choices`, or UsageError listing them.
  std::string choice(const std::string& flag, const std::string& fallback,
                     const std::vector<std::string>& choices) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::string command_;
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_seen_;
  std::vector<std::string> positional_;
};

// Where data and weights are by default: "data/mnist" and "weights" under the current directory
// when they exist there, else under the source tree this binary was built from.
std::string default_data_dir();
std::string default_weights_dir();

}  // namespace digits::cli
