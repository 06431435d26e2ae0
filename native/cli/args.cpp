#include "cli/args.h"

#include <filesystem>
#include <utility>

namespace digits::cli {

Args::Args(std::string command, std::string help_text, const std::vector<std::string>& argv,
           std::set<std::string> value_flags, std::set<std::string> switches, size_t max_positional)
    : command_(std::move(command)) {
  for (const std::string& a : argv)
    if (a == "--help") throw HelpRequested{std::move(help_text)};
  const std::string help = "; see 'digits " + command_ + " --help'";
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), val;
      bool inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        val = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      if (value_flags.count(name)) {
        if (!inline_value) {
          if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value" + help);
          val = argv[++i];
        }
        if (values_.count(name)) throw UsageError("option --" + name + " given twice" + help);
        values_[name] = val;
      } else if (switches.count(name)) {
        if (inline_value) throw UsageError("option --" + name + " takes no value" + help);
        switches_seen_.insert(name);
      } else {
        throw UsageError("unknown option '" + a + "' for 'digits " + command_ + "'" + help);
      }
    } else if (a.size() > 1 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9')) {
      throw UsageError("unknown option '" + a + "' for 'digits " + command_ +
                       "' (options start with --)" + help);
    } else {
      if (positional_.size() >= max_positional)
        throw UsageError("unexpected argument '" + a + "' for 'digits " + command_ + "'" + help);
      positional_.push_back(a);
    }
  }
}

bool Args::has(const std::string& flag) const {
  return switches_seen_.count(flag) || values_.count(flag);
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::value_or(const std::string& flag, const std::string& fallback) const {
  return value(flag).value_or(fallback);
}

long Args::integer(const std::string& flag, long fallback, long min, long max) const {
  auto v = value(flag);
  if (!v) return fallback;
  size_t used = 0;
  long n = 0;
  try {
    n = std::stol(*v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != v->size())
    throw UsageError("option --" + flag + " needs a whole number, got '" + *v + "'");
  if (n < min || n > max)
    throw UsageError("option --" + flag + " must be between " + std::to_string(min) + " and " +
                     std::to_string(max) + ", got " + *v);
  return n;
}

std::string Args::choice(const std::string& flag, const std::string& fallback,
                         const std::vector<std::string>& choices) const {
  std::string v = value_or(flag, fallback);
  for (const auto& c : choices)
    if (c == v) return v;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  throw UsageError("option --" + flag + " must be one of " + list + ", got '" + v + "'");
}

static std::string default_dir(const char* relative) {
  if (std::filesystem::exists(relative)) return relative;
  std::filesystem::path in_source = std::filesystem::path(DIGITS_SOURCE_DIR) / relative;
  if (std::filesystem::exists(in_source)) return in_source.string();
  return relative;
}

std::string default_data_dir() { return default_dir("data/mnist"); }
std::string default_weights_dir() { return default_dir("weights"); }

}  // namespace digits::cli
