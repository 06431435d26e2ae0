#include "cli/commands.h"

#include <algorithm>

namespace digits::cli {

namespace {

// One field of every registry model, joined by `separator`.
std::string join(const char* ModelInfo::*field, const std::string& separator) {
  std::string text;
  for (const ModelInfo& model : kModelRegistry)
    text += (text.empty() ? "" : separator) + std::string(model.*field);
  return text;
}

}  // namespace

std::string model_ids(const std::string& separator) { return join(&ModelInfo::id, separator); }

std::string weights_file_names() { return join(&ModelInfo::weights_file, ", "); }

std::string weights_option_help(size_t column) {
  std::string flag = "  --weights DIR";
  flag.resize(std::max(column, flag.size() + 1), ' ');
  return flag + "folder with the models' weights files (default: weights):\n" +
         std::string(flag.size(), ' ') + weights_file_names() + "\n";
}

}  // namespace digits::cli
